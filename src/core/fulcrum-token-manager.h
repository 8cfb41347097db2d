/* fulcrum-token-manager.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fulcrum-linked-account.h"
#include "fulcrum-secret-store.h"
#include "fulcrum-store.h"
#include "fulcrum-token-set.h"

G_BEGIN_DECLS

/* An access token counts as expired this many seconds early. */
#define FULCRUM_TOKEN_EARLY_EXPIRY_S 120

/* Unix time in microseconds; injectable for tests. */
typedef gint64 (*FulcrumClockFunc) (gpointer user_data);

#define FULCRUM_TYPE_TOKEN_MANAGER (fulcrum_token_manager_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumTokenManager, fulcrum_token_manager, FULCRUM, TOKEN_MANAGER, GObject)

/* Keeps the tokens of @store's linked accounts fresh. Create and use it on the thread that
 * owns @store (the main thread); results complete on the caller's thread-default context.
 * One refresh at a time per account: in this process (every caller waits for the same
 * refresh) and across processes (a lock file per account under $XDG_RUNTIME_DIR/fulcrum,
 * then the keyring is read again before deciding to refresh). */
FulcrumTokenManager *fulcrum_token_manager_new                (FulcrumStore         *store,
                                                               FulcrumSecretStore   *secrets);
void                 fulcrum_token_manager_set_clock          (FulcrumTokenManager  *self,
                                                               FulcrumClockFunc      clock,
                                                               gpointer              user_data);
gint64               fulcrum_token_manager_now                (FulcrumTokenManager  *self);
/* A valid access token for @account, refreshing first when it is (about to be) expired or
 * when @force_refresh (after a 401). Errors: FULCRUM_OAUTH_ERROR_NEEDS_RELINK (the account
 * needs re-link; it is marked so and the config saved), _INVALID_CLIENT (the profile's
 * credentials), _TRANSIENT (try again later; tokens and status unchanged), and
 * FULCRUM_SECRET_ERROR_* for the keyring. */
void                 fulcrum_token_manager_get_access_token_async  (FulcrumTokenManager  *self,
                                                                    FulcrumLinkedAccount *account,
                                                                    gboolean              force_refresh,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
/* Free with fulcrum_secret_free(). */
char                *fulcrum_token_manager_get_access_token_finish (FulcrumTokenManager  *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);
/* Forces a refresh ("Refresh now"). */
void                 fulcrum_token_manager_refresh_async      (FulcrumTokenManager  *self,
                                                               FulcrumLinkedAccount *account,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean             fulcrum_token_manager_refresh_finish     (FulcrumTokenManager  *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
/* Counts token endpoint requests made by this manager (tests and diagnostics). */
guint                fulcrum_token_manager_get_n_token_requests (FulcrumTokenManager *self);

G_END_DECLS
