/* fulcrum-oauth-exchange.c: the authorization-code grant's token request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-oauth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-oauth-private.h"
#include "fulcrum-token-endpoint.h"

/* The token endpoint gets this long to answer before the exchange counts as failed. */
#define EXCHANGE_TIMEOUT_S 60

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
posted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FulcrumTokenResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  FulcrumTokenSet *tokens;

  response = fulcrum_token_endpoint_post_finish (result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED,
                                 _("The link was cancelled"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tokens = fulcrum_token_set_new_from_response (response->status, response->content_type,
                                                response->body, response->body_length,
                                                g_get_real_time (), &error);
  if (tokens == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) fulcrum_token_set_free);
}

void
fulcrum_oauth_exchange_code_async (const FulcrumOAuthCodeExchange *request,
                                   GCancellable                   *cancellable,
                                   GAsyncReadyCallback             callback,
                                   gpointer                        user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GUri) uri = NULL;
  /* RFC 6749 §4.1.3, the client secret in the body (lever-api.md §2), PKCE's verifier,
   * and the redirect URI byte for byte as in the authorization request. */
  const char * const form[] = {
    "grant_type", "authorization_code",
    "client_id", request->client_id,
    "client_secret", request->client_secret,
    "code", request->code,
    "redirect_uri", request->redirect_uri,
    "code_verifier", request->code_verifier,
    NULL,
  };

  g_return_if_fail (request != NULL);
  g_return_if_fail (request->token_url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_oauth_exchange_code_async);
  g_task_set_check_cancellable (task, FALSE);

  session = soup_session_new_with_options ("timeout", EXCHANGE_TIMEOUT_S,
                                           "user-agent", "Fulcrum/" PACKAGE_VERSION,
                                           NULL);
  /* A system proxy cannot reach this machine's loopback (the simulator, a test server). */
  uri = g_uri_parse (request->token_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL && is_loopback_host (g_uri_get_host (uri)))
    soup_session_set_proxy_resolver (session, NULL);

  g_debug ("Exchanging an authorization code at %s", request->token_url);
  /* the POST keeps its session alive until it is done */
  fulcrum_token_endpoint_post_async (session, request->token_url, form, cancellable, posted_cb,
                                     g_steal_pointer (&task));
}

FulcrumTokenSet *
fulcrum_oauth_exchange_code_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_oauth_exchange_code_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
