/* fulcrum-oauth-exchange.c: the authorization-code grant's token request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-oauth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-oauth-private.h"

/* The token endpoint gets this long to answer before the exchange counts as failed. */
#define EXCHANGE_TIMEOUT_S 60

typedef struct
{
  SoupSession *session;
  char        *server_name;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_clear_object (&exchange->session);
  g_free (exchange->server_name);
  g_free (exchange);
}

static void
append_form_param (GString    *form,
                   const char *name,
                   const char *value)
{
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append (form, name);
  g_string_append_c (form, '=');
  g_string_append_uri_escaped (form, value, NULL, FALSE);
}

static void
wipe_bytes (gpointer data)
{
  fulcrum_oauth_wipe_free (data);
}

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
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  FulcrumTokenSet *tokens;
  SoupMessage *msg;
  const char *content_type;
  gsize length = 0;
  gpointer body;

  bytes = soup_session_send_and_read_finish (session, result, &error);
  msg = soup_session_get_async_result_message (session, result);

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED,
                                 _("The link was cancelled"));
      else
        g_task_return_new_error (task, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT,
                                 _("Fulcrum could not reach the token endpoint of %s: %s"),
                                 exchange->server_name, error->message);
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  /* A private copy that can be wiped: the body holds the tokens. */
  body = g_bytes_unref_to_data (g_steal_pointer (&bytes), &length);
  tokens = fulcrum_token_set_new_from_response (soup_message_get_status (msg), content_type,
                                                body, length, g_get_real_time (), &error);
  if (body != NULL)
    explicit_bzero (body, length);
  g_free (body);

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
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  Exchange *exchange;
  GString *form;
  gsize length;
  char *data;

  g_return_if_fail (request != NULL);
  g_return_if_fail (request->token_url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_oauth_exchange_code_async);
  g_task_set_check_cancellable (task, FALSE);
  exchange = g_new0 (Exchange, 1);
  exchange->server_name = g_strdup (request->server_name);
  g_task_set_task_data (task, exchange, (GDestroyNotify) exchange_free);

  msg = soup_message_new (SOUP_METHOD_POST, request->token_url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                               _("The token URL “%s” of %s is not a valid URL"),
                               request->token_url, request->server_name);
      return;
    }

  /* RFC 6749 §4.1.3, the client secret in the body (lever-api.md §2), PKCE's verifier,
   * and the redirect URI byte for byte as in the authorization request. */
  form = g_string_new (NULL);
  append_form_param (form, "grant_type", "authorization_code");
  append_form_param (form, "client_id", request->client_id);
  append_form_param (form, "client_secret", request->client_secret);
  append_form_param (form, "code", request->code);
  append_form_param (form, "redirect_uri", request->redirect_uri);
  append_form_param (form, "code_verifier", request->code_verifier);
  length = form->len;
  data = g_string_free (form, FALSE);
  body = g_bytes_new_with_free_func (data, length, wipe_bytes, data);

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  /* A redirect must not carry the secret anywhere else. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  exchange->session = soup_session_new_with_options ("timeout", EXCHANGE_TIMEOUT_S,
                                                     "user-agent", "Fulcrum/" PACKAGE_VERSION,
                                                     NULL);
  /* A system proxy cannot reach this machine's loopback (the simulator, a test server). */
  if (is_loopback_host (g_uri_get_host (soup_message_get_uri (msg))))
    soup_session_set_proxy_resolver (exchange->session, NULL);

  g_debug ("Exchanging an authorization code at %s", request->token_url);
  soup_session_send_and_read_async (exchange->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    sent_cb, g_steal_pointer (&task));
}

FulcrumTokenSet *
fulcrum_oauth_exchange_code_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_oauth_exchange_code_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
