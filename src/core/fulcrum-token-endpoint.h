/* fulcrum-token-endpoint.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Bodies larger than this are not token responses; reading stops there. */
#define FULCRUM_TOKEN_RESPONSE_MAX_BYTES (64 * 1024)

/* What the token endpoint answered, before any interpretation. */
typedef struct
{
  guint   status;
  char   *content_type;
  char   *body;          /* NUL-terminated; zeroed when freed */
  gsize   body_length;
} FulcrumTokenResponse;

/* POSTs @form (NULL-terminated name, value pairs) form-encoded to @token_url, with the
 * client secret in the body as Lever wants it. Transport failures (DNS, refused, reset,
 * timeout, TLS) are FULCRUM_OAUTH_ERROR_TRANSIENT naming the host; a body over the limit
 * is FULCRUM_OAUTH_ERROR_INVALID_RESPONSE. The request body is zeroed once sent. */
void                  fulcrum_token_endpoint_post_async  (SoupSession          *session,
                                                          const char           *token_url,
                                                          const char * const   *form,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
FulcrumTokenResponse *fulcrum_token_endpoint_post_finish (GAsyncResult         *result,
                                                          GError              **error);
void                  fulcrum_token_response_free        (FulcrumTokenResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumTokenResponse, fulcrum_token_response_free)

G_END_DECLS
