/* fulcrum-oauth-private.h: the pieces of the link flow, for the flow and its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fulcrum-oauth-flow.h"

G_BEGIN_DECLS

/* RFC 7636 §4.1: 32 random octets give a 43-character base64url verifier. */
#define FULCRUM_OAUTH_VERIFIER_BYTES 32
/* 256 bits of state: well above RFC 9700's 128. */
#define FULCRUM_OAUTH_STATE_BYTES    32
/* The longest redirect (request target or pasted URL) the flow reads. */
#define FULCRUM_OAUTH_MAX_REDIRECT_LENGTH (8 * 1024)

/* fulcrum-oauth-pkce.c */

/* Fills @buffer from getrandom(); FALSE (and an error) only when the kernel refuses. */
gboolean  fulcrum_oauth_random_bytes     (guint8        *buffer,
                                          gsize          length,
                                          GError       **error);
/* RFC 4648 §5 without padding. */
char     *fulcrum_oauth_base64url_encode (const guint8  *data,
                                          gsize          length);
/* A fresh random value of @n_bytes, base64url encoded; NULL on error. */
char     *fulcrum_oauth_random_token     (gsize          n_bytes,
                                          GError       **error);
/* BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2. */
char     *fulcrum_oauth_challenge_s256   (const char    *verifier);
/* Compares in time that depends on the lengths only. NULL equals nothing. */
gboolean  fulcrum_oauth_secure_equal     (const char    *a,
                                          const char    *b);
/* Zeroes a string before freeing it. */
void      fulcrum_oauth_wipe_free        (char          *str);

/* What an authorization response carries. Only these five parameters are read. */
typedef struct
{
  char     *code;
  char     *state;
  char     *error;
  char     *error_description;
  char     *iss;
  /* One of the five was given more than once (RFC 6749 §3.1 forbids it) or could not
   * be decoded. */
  gboolean  malformed;
} FulcrumOAuthRedirect;

/* Parses the still percent-encoded query of a redirect. */
FulcrumOAuthRedirect *fulcrum_oauth_redirect_parse (const char           *encoded_query);
gboolean              fulcrum_oauth_redirect_is_empty (const FulcrumOAuthRedirect *self);
void                  fulcrum_oauth_redirect_free  (FulcrumOAuthRedirect *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumOAuthRedirect, fulcrum_oauth_redirect_free)

/* fulcrum-oauth-listener.c */

typedef enum
{
  /* Not this flow's answer (state missing or wrong, …): error page, the wait goes on. */
  FULCRUM_OAUTH_CALLBACK_REFUSED,
  /* This flow's code: the success page; the listener stops. */
  FULCRUM_OAUTH_CALLBACK_ACCEPTED,
  /* This flow's answer, but an error: the error page; the listener stops. */
  FULCRUM_OAUTH_CALLBACK_FAILED,
} FulcrumOAuthCallbackResult;

/* Decides about a redirect that reached the callback path. @message is set for the
 * REFUSED and FAILED pages (plain text, the listener escapes it). */
typedef FulcrumOAuthCallbackResult (*FulcrumOAuthCallbackFunc) (const FulcrumOAuthRedirect  *redirect,
                                                                char                       **message,
                                                                gpointer                     user_data);

#define FULCRUM_TYPE_OAUTH_LISTENER (fulcrum_oauth_listener_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumOAuthListener, fulcrum_oauth_listener, FULCRUM, OAUTH_LISTENER, GObject)

/* @redirect_uri: a loopback URI (http, 127.0.0.1 or ::1, explicit port). */
FulcrumOAuthListener *fulcrum_oauth_listener_new          (GUri                     *redirect_uri,
                                                           FulcrumOAuthCallbackFunc  func,
                                                           gpointer                  user_data);
/* Binds the redirect URI's address and port (required) and the other loopback address
 * (where it binds) on the thread-default main context. */
gboolean              fulcrum_oauth_listener_listen       (FulcrumOAuthListener     *self,
                                                           GError                  **error);
/* Stops listening at once; connections still open go when their answer is sent. */
void                  fulcrum_oauth_listener_close        (FulcrumOAuthListener     *self);
gboolean              fulcrum_oauth_listener_is_listening (FulcrumOAuthListener     *self);

/* The self-contained page the browser gets. */
GBytes               *fulcrum_oauth_page_render           (gboolean                  success,
                                                           const char               *title,
                                                           const char               *message,
                                                           const char               *next_step);

/* fulcrum-oauth-exchange.c */

typedef struct
{
  const char *token_url;
  const char *client_id;
  const char *client_secret;
  const char *code;
  const char *redirect_uri;   /* byte for byte as in the authorization request */
  const char *code_verifier;
} FulcrumOAuthCodeExchange;

/* The form POST of RFC 6749 §4.1.3 with PKCE's verifier (through the token endpoint POST
 * that refreshes use too); the request is copied. */
void                  fulcrum_oauth_exchange_code_async   (const FulcrumOAuthCodeExchange *request,
                                                           GCancellable                   *cancellable,
                                                           GAsyncReadyCallback             callback,
                                                           gpointer                        user_data);
FulcrumTokenSet      *fulcrum_oauth_exchange_code_finish  (GAsyncResult                   *result,
                                                           GError                        **error);

/* fulcrum-oauth-flow.c, for fulcrum-oauth-link.c */

FulcrumEnvironment      *fulcrum_oauth_flow_get_environment (FulcrumOAuthFlow *self);
FulcrumConnectorProfile *fulcrum_oauth_flow_get_profile     (FulcrumOAuthFlow *self);

G_END_DECLS
