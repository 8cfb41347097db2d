/* fulcrum-oauth-flow.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fulcrum-connector-profile.h"
#include "fulcrum-environment.h"
#include "fulcrum-linked-account.h"
#include "fulcrum-secret-store.h"
#include "fulcrum-store.h"
#include "fulcrum-token-set.h"

G_BEGIN_DECLS

/* Lever's consent page can sit open a long time; RFC 8252 flows wait minutes, not hours. */
#define FULCRUM_OAUTH_FLOW_DEFAULT_TIMEOUT_S 600

#define FULCRUM_TYPE_OAUTH_FLOW (fulcrum_oauth_flow_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumOAuthFlow, fulcrum_oauth_flow, FULCRUM, OAUTH_FLOW, GObject)

/* One authorization-code flow (RFC 8252, RFC 9700, PKCE S256) for @profile in
 * @environment. The client secret is only held in memory for the code exchange. */
FulcrumOAuthFlow *fulcrum_oauth_flow_new                (FulcrumEnvironment       *environment,
                                                         FulcrumConnectorProfile  *profile,
                                                         const char               *client_secret);
void              fulcrum_oauth_flow_set_timeout        (FulcrumOAuthFlow         *self,
                                                         guint                     seconds);
/* Fresh PKCE verifier and state, and, for a loopback redirect URI, the listener on
 * 127.0.0.1 (and ::1 where it binds) on the registered port. Starting a flow for a
 * profile cancels that profile's previous flow. */
gboolean          fulcrum_oauth_flow_start              (FulcrumOAuthFlow         *self,
                                                         GError                  **error);
/* The URL to open in the system browser; valid after start(). */
const char       *fulcrum_oauth_flow_get_authorize_url  (FulcrumOAuthFlow         *self);
/* The exact redirect URI sent in both requests. */
const char       *fulcrum_oauth_flow_get_redirect_uri   (FulcrumOAuthFlow         *self);
/* FALSE when the user must paste the URL the browser landed on (non-loopback redirect). */
gboolean          fulcrum_oauth_flow_get_uses_loopback  (FulcrumOAuthFlow         *self);
/* Waits for the redirect (or a pasted URL), checks state, exchanges the code. Listener
 * closed on every way out: success, error, timeout, cancel. */
void              fulcrum_oauth_flow_wait_async         (FulcrumOAuthFlow         *self,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
FulcrumTokenSet  *fulcrum_oauth_flow_wait_finish        (FulcrumOAuthFlow         *self,
                                                         GAsyncResult             *result,
                                                         GError                  **error);
/* The paste path: the URL the browser landed on. Same state check as the listener. */
gboolean          fulcrum_oauth_flow_submit_redirect_url (FulcrumOAuthFlow        *self,
                                                          const char              *url,
                                                          GError                 **error);
void              fulcrum_oauth_flow_cancel             (FulcrumOAuthFlow         *self);

/* The whole link: start (already done by the caller, who opened the browser), wait,
 * store the token set in the keyring FIRST, then add the account to @store and save the
 * config. @label may be NULL (a default is derived). Returns the new account. */
void                  fulcrum_oauth_flow_link_account_async  (FulcrumOAuthFlow    *self,
                                                              FulcrumStore        *store,
                                                              FulcrumSecretStore  *secrets,
                                                              const char          *label,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
FulcrumLinkedAccount *fulcrum_oauth_flow_link_account_finish (FulcrumOAuthFlow    *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

G_END_DECLS
