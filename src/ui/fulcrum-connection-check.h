/* fulcrum-connection-check.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

/* "Check Connection": seconds before a silent server counts as not reachable. */
#define FULCRUM_CONNECTION_CHECK_TIMEOUT_S 5

/* Asks @environment's authorization server for its root (a HEAD request, off the main
 * thread through libsoup, with a short timeout). Any HTTP answer means reachable. The
 * built-in simulator is started first, as it is whenever the window needs it. The result
 * is a sentence for people, e.g. "Lever Sandbox is reachable: it answered in 120 ms"; the error says why
 * it could not be reached. */
void  fulcrum_connection_check_async  (FulcrumEnvironment   *environment,
                                       FulcrumSecretStore   *secrets,
                                       guint                 timeout_s,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
char *fulcrum_connection_check_finish (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
