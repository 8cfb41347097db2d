/* fulcrum-token-set.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FULCRUM_OAUTH_ERROR (fulcrum_oauth_error_quark ())

/* What went wrong in the OAuth flow or at the token endpoint, by what the caller does next. */
typedef enum
{
  /* The grant is dead (used/expired code, expired or reused refresh token): re-link. */
  FULCRUM_OAUTH_ERROR_INVALID_GRANT,
  /* Lever refused the client id/secret: the profile's credentials are wrong. */
  FULCRUM_OAUTH_ERROR_INVALID_CLIENT,
  /* The user or Lever refused consent (error=access_denied on the redirect). */
  FULCRUM_OAUTH_ERROR_ACCESS_DENIED,
  /* Another error redirect from the authorization server (RFC 6749 §4.1.2.1). */
  FULCRUM_OAUTH_ERROR_AUTHORIZATION,
  /* Any other 4xx from the token endpoint: not retried, the account needs re-link. */
  FULCRUM_OAUTH_ERROR_REJECTED,
  /* 5xx, connection reset, DNS, timeout talking to the server: transient, try later. */
  FULCRUM_OAUTH_ERROR_TRANSIENT,
  /* The server's answer could not be understood (HTML, truncated, no access_token). */
  FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
  /* The redirect's state was missing or wrong: possible CSRF, nothing was exchanged. */
  FULCRUM_OAUTH_ERROR_STATE_MISMATCH,
  /* The loopback port is taken. */
  FULCRUM_OAUTH_ERROR_PORT_IN_USE,
  /* No redirect arrived in time. */
  FULCRUM_OAUTH_ERROR_TIMEOUT,
  FULCRUM_OAUTH_ERROR_CANCELLED,
  /* The profile cannot start a flow (no secret, invalid redirect URI, …). */
  FULCRUM_OAUTH_ERROR_MISCONFIGURED,
  /* The account is marked needs-relink; no request was made. */
  FULCRUM_OAUTH_ERROR_NEEDS_RELINK,
} FulcrumOAuthError;

#define FULCRUM_TOKEN_SET_VERSION 1

/* The tokens of one linked account; lives in the keyring as one JSON blob. */
typedef struct
{
  char   *access_token;
  char   *refresh_token;
  char   *token_type;
  char   *scope;        /* space separated, as granted; NULL when the server did not say */
  gint64  expires_at;   /* Unix time in microseconds; 0 when unknown */
  gint64  obtained_at;  /* Unix time in microseconds */
} FulcrumTokenSet;

GQuark           fulcrum_oauth_error_quark          (void);

/* Parses a token endpoint response (JSON, or tolerated form-encoded). @now_us is when the
 * response arrived. Fails for an `error` member even with HTTP 200, for a missing access
 * token, and for bodies that are not a token response; @http_status picks the error code
 * for bodies without an `error` (5xx → TRANSIENT, 4xx → REJECTED). `expires_in` may be
 * missing, a string, huge or negative. Messages never contain the tokens. */
FulcrumTokenSet *fulcrum_token_set_new_from_response (guint         http_status,
                                                      const char   *content_type,
                                                      const char   *body,
                                                      gsize         body_length,
                                                      gint64        now_us,
                                                      GError      **error);
FulcrumTokenSet *fulcrum_token_set_copy             (const FulcrumTokenSet  *self);
/* Zeroes the tokens before freeing them. */
void             fulcrum_token_set_free             (FulcrumTokenSet        *self);
/* The keyring blob: JSON with "version". */
char            *fulcrum_token_set_serialize        (const FulcrumTokenSet  *self);
FulcrumTokenSet *fulcrum_token_set_deserialize      (const char             *blob,
                                                     GError                **error);
/* Whether the access token counts as expired at @now_us, @early_s seconds early. A token
 * without a known expiry never counts as expired (a 401 then forces a refresh). */
gboolean         fulcrum_token_set_is_expired       (const FulcrumTokenSet  *self,
                                                     gint64                  now_us,
                                                     guint                   early_s);
/* Builds the GError for an OAuth `error` code and description, in the user's words. */
GError          *fulcrum_oauth_error_from_code      (const char             *code,
                                                     const char             *description);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumTokenSet, fulcrum_token_set_free)

G_END_DECLS
