/* fulcrum-profile-commit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

/* Saves what a profile editor holds, in the order that never loses a secret:
 * 1. @secret (when not empty) goes to the keyring as the profile's client secret;
 * 2. @changes is added to the store as a new profile (@profile NULL), or its fields are
 *    copied into @profile, and has-secret is set when a secret was stored;
 * 3. the store is saved.
 * @changes must carry the id the profile keeps. Only step 1 can be cancelled: once the
 * keyring holds the secret, the profile and the file follow. Error messages say which step
 * failed. */
void                     fulcrum_profile_commit_async  (FulcrumStore             *store,
                                                        FulcrumSecretStore       *secrets,
                                                        FulcrumConnectorProfile  *profile,
                                                        FulcrumConnectorProfile  *changes,
                                                        const char               *secret,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
/* Returns the profile as it is in the store. */
FulcrumConnectorProfile *fulcrum_profile_commit_finish (GAsyncResult             *result,
                                                        GError                  **error);

G_END_DECLS
