/* fulcrum-token-endpoint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-tokens"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-token-endpoint.h"
#include "fulcrum-token-set.h"

typedef struct
{
  SoupMessage   *msg;
  GOutputStream *sink;
  guint8        *buffer;   /* FULCRUM_TOKEN_RESPONSE_MAX_BYTES, zeroed when freed */
  char          *host;
} Post;

static void
post_free (Post *post)
{
  g_clear_object (&post->msg);
  g_clear_object (&post->sink);
  if (post->buffer != NULL)
    {
      explicit_bzero (post->buffer, FULCRUM_TOKEN_RESPONSE_MAX_BYTES);
      g_free (post->buffer);
    }
  g_free (post->host);
  g_free (post);
}

static void
wipe_string (gpointer data)
{
  explicit_bzero (data, strlen (data));
  g_free (data);
}

void
fulcrum_token_response_free (FulcrumTokenResponse *response)
{
  if (response == NULL)
    return;

  if (response->body != NULL)
    {
      explicit_bzero (response->body, response->body_length);
      g_free (response->body);
    }
  g_free (response->content_type);
  g_free (response);
}

/* Any failure to talk to the server is worth another try later; the message names the
 * host (never the URL's query, which has no secret anyway) and GIO's reason. */
static GError *
transport_error (const char   *host,
                 const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  return g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT,
                      _("Could not reach the token endpoint at %s (%s). Try again later."),
                      host, error->message);
}

static void
spliced_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Post *post = g_task_get_task_data (task);
  FulcrumTokenResponse *response;
  SoupMessageHeaders *headers;
  gsize len;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error) < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        g_task_return_new_error (task, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                                 _("The token endpoint at %s sent more than %u KiB; that is not a token response"),
                                 post->host, FULCRUM_TOKEN_RESPONSE_MAX_BYTES / 1024);
      else
        g_task_return_error (task, transport_error (post->host, error));
      return;
    }

  len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (post->sink));
  headers = soup_message_get_response_headers (post->msg);

  response = g_new0 (FulcrumTokenResponse, 1);
  response->status = soup_message_get_status (post->msg);
  response->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  response->body = g_malloc (len + 1);
  memcpy (response->body, post->buffer, len);
  response->body[len] = '\0';
  response->body_length = len;

  g_task_return_pointer (task, response, (GDestroyNotify) fulcrum_token_response_free);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  Post *post = g_task_get_task_data (task);

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, transport_error (post->host, error));
      return;
    }

  /* A fixed-size sink: a runaway body fails with G_IO_ERROR_NO_SPACE. */
  post->buffer = g_malloc0 (FULCRUM_TOKEN_RESPONSE_MAX_BYTES);
  post->sink = g_memory_output_stream_new (post->buffer, FULCRUM_TOKEN_RESPONSE_MAX_BYTES,
                                           NULL, NULL);
  g_output_stream_splice_async (post->sink, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                spliced_cb, g_object_ref (task));
}

void
fulcrum_token_endpoint_post_async (SoupSession         *session,
                                   const char          *token_url,
                                   const char * const  *form,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) uri = NULL;
  GString *encoded;
  Post *post;
  gsize len;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (token_url != NULL);
  g_return_if_fail (form != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_token_endpoint_post_async);

  uri = g_uri_parse (token_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_task_return_new_error (task, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                               _("The token URL “%s” is not valid"), token_url);
      return;
    }

  post = g_new0 (Post, 1);
  post->host = g_strdup (g_uri_get_host (uri));
  post->msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  g_task_set_task_data (task, post, (GDestroyNotify) post_free);

  encoded = g_string_new (NULL);
  for (guint i = 0; form[i] != NULL && form[i + 1] != NULL; i += 2)
    {
      if (encoded->len > 0)
        g_string_append_c (encoded, '&');
      g_string_append_uri_escaped (encoded, form[i], NULL, FALSE);
      g_string_append_c (encoded, '=');
      g_string_append_uri_escaped (encoded, form[i + 1], NULL, FALSE);
    }
  len = encoded->len;
  /* The body holds the client secret and the refresh token: zero it when libsoup is done. */
  {
    char *data = g_string_free (encoded, FALSE);

    body = g_bytes_new_with_free_func (data, len, wipe_string, data);
  }

  soup_message_set_request_body_from_bytes (post->msg, "application/x-www-form-urlencoded", body);
  soup_message_headers_replace (soup_message_get_request_headers (post->msg), "Accept",
                                "application/json");
  /* A redirect is not an answer from a token endpoint; never resend the body elsewhere. */
  soup_message_add_flags (post->msg, SOUP_MESSAGE_NO_REDIRECT);

  soup_session_send_async (session, post->msg, G_PRIORITY_DEFAULT, cancellable,
                           sent_cb, g_object_ref (task));
}

FulcrumTokenResponse *
fulcrum_token_endpoint_post_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fulcrum_token_endpoint_post_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
