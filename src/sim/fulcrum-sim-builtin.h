/* fulcrum-sim-builtin.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrum-core.h"
#include "fulcrum-sim-server.h"

G_BEGIN_DECLS

/* The built-in Simulator environment: one simulated Lever organization per user, shared by
 * every Fulcrum process. The first process that needs it starts it in a thread of its own
 * on the environment's port (FULCRUM_SIMULATOR_PORT, default 47800); the others find it
 * there. Its token families live in $XDG_DATA_HOME/fulcrum/simulator-state.json (hashes
 * only), so linked simulator accounts keep working across restarts. */

#define FULCRUM_SIM_BUILTIN_CLIENT_ID "fulcrum-simulator"
/* The keyring item (kind client-secret) holding the built-in app's secret. */
#define FULCRUM_SIM_BUILTIN_SECRET_OWNER "builtin-simulator-app"

/* The callback registered for the built-in app: the default redirect URI of a simulator
 * profile (its port moves with FULCRUM_SIMULATOR_REDIRECT_PORT). */
char             *fulcrum_sim_builtin_dup_redirect_uri        (void);

/* The built-in app's client secret, created (random) and kept in the keyring on first use.
 * Free with fulcrum_secret_free(). */
void              fulcrum_sim_builtin_get_secret_async        (FulcrumSecretStore   *secrets,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
char             *fulcrum_sim_builtin_get_secret_finish       (GAsyncResult         *result,
                                                               GError              **error);

/* Makes sure the simulator answers at @environment's base URL. */
void              fulcrum_sim_builtin_ensure_running_async    (FulcrumEnvironment   *environment,
                                                               FulcrumSecretStore   *secrets,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean          fulcrum_sim_builtin_ensure_running_finish   (GAsyncResult         *result,
                                                               GError              **error);
/* The simulator running in this process, or NULL (not started, or another process runs it). */
FulcrumSimServer *fulcrum_sim_builtin_get_server              (void);
/* Stops the one running in this process, if any (at exit). */
void              fulcrum_sim_builtin_shutdown                (void);

/* "One click": a connector profile for the built-in simulator, with its client id, secret
 * (keyring first) and callback filled in, added to @store and saved. */
void                     fulcrum_sim_builtin_create_profile_async  (FulcrumStore        *store,
                                                                    FulcrumSecretStore  *secrets,
                                                                    const char          *name,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
FulcrumConnectorProfile *fulcrum_sim_builtin_create_profile_finish (GAsyncResult        *result,
                                                                    GError             **error);

G_END_DECLS
