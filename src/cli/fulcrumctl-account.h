/* fulcrumctl-account.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrumctl-util.h"

G_BEGIN_DECLS

/* "fulcrumctl account …"; argv[0] is "account". */
int                   fulcrumctl_account_main          (int                   argc,
                                                        char                **argv);

/* For the commands that act on a linked account (account …, run): */

/* The account named by its id or label, or FULCRUMCTL_ERROR_NOT_FOUND. */
FulcrumLinkedAccount *fulcrumctl_find_account          (FulcrumStore         *store,
                                                        const char           *id_or_label,
                                                        GError              **error);
/* For an account of the built-in simulator, starts the simulator in this process unless
 * another Fulcrum process runs it; call fulcrumctl_stop_simulator() before exiting. Does
 * nothing for other environments. */
gboolean              fulcrumctl_ensure_simulator      (FulcrumEnvironment   *environment,
                                                        FulcrumSecretStore   *secrets,
                                                        GError              **error);
void                  fulcrumctl_stop_simulator        (void);
/* Like fulcrumctl_exit_status_for_error(), and 3 when the account must be linked again. */
int                   fulcrumctl_account_exit_status   (const GError         *error);
int                   fulcrumctl_account_report_error  (const GError         *error);

G_END_DECLS
