/* fulcrum-oauth-listener.c: the loopback listener that receives Lever's redirect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-oauth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-oauth-private.h"

/* RFC 8252 §7.3: an HTTP server on the loopback interface, open only while a link
 * waits. The sockets are our own (GSocketService) and handed to a SoupServer, so that
 * listening stops the moment the answer arrives while the browser still gets its page. */

struct _FulcrumOAuthListener
{
  GObject                   parent_instance;

  SoupServer               *server;
  GSocketService           *service;
  GMainContext             *context;
  GSource                  *disconnect_source;

  char                     *host;   /* "127.0.0.1" or "::1", as in the redirect URI */
  char                     *path;   /* decoded */
  guint                     port;

  FulcrumOAuthCallbackFunc  func;
  gpointer                  user_data;

  guint                     n_unsent;  /* final pages not yet written */
  guint                     listening : 1;
  guint                     answered : 1;
};

G_DEFINE_FINAL_TYPE (FulcrumOAuthListener, fulcrum_oauth_listener, G_TYPE_OBJECT)

static char *
escape_html (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

GBytes *
fulcrum_oauth_page_render (gboolean    success,
                           const char *title,
                           const char *message,
                           const char *next_step)
{
  g_autofree char *title_html = escape_html (title);
  g_autofree char *message_html = escape_html (message);
  g_autofree char *next_html = escape_html (next_step);
  GString *page = g_string_new (NULL);

  /* Everything inline: the page loads nothing, from anywhere. */
  g_string_append_printf (page,
                          "<!DOCTYPE html>\n"
                          "<html>\n<head>\n"
                          "<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                          "<meta name=\"referrer\" content=\"no-referrer\">\n"
                          "<title>%s – Fulcrum</title>\n"
                          "<style>\n"
                          ":root{color-scheme:light dark}\n"
                          "body{font-family:system-ui,sans-serif;line-height:1.5;"
                          "max-width:34em;margin:4em auto;padding:0 1em}\n"
                          "h1{font-size:1.6em}\n"
                          ".success h1{color:#26a269}\n"
                          ".error h1{color:#c01c28}\n"
                          ".next{font-weight:bold}\n"
                          "</style>\n"
                          "</head>\n"
                          "<body class=\"%s\">\n<main>\n"
                          "<h1>%s</h1>\n"
                          "<p>%s</p>\n"
                          "<p class=\"next\">%s</p>\n"
                          "</main>\n</body>\n</html>\n",
                          title_html, success ? "success" : "error", title_html,
                          message_html, next_html);

  return g_string_free_to_bytes (page);
}

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            gboolean           success,
            const char        *title,
            const char        *message,
            const char        *next_step)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) page = fulcrum_oauth_page_render (success, title, message, next_step);
  gsize length = 0;
  const char *data = g_bytes_get_data (page, &length);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; "
                                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  /* The listener is short-lived: no connection outlives its answer. */
  soup_message_headers_replace (headers, "Connection", "close");

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    data, length);
}

static void
reply_not_for_us (SoupServerMessage *msg,
                  guint              status,
                  const char        *message)
{
  reply_page (msg, status, FALSE, _("Not a link answer"), message,
              _("You can close this tab and return to Fulcrum."));
}

static gboolean
disconnect_cb (gpointer user_data)
{
  FulcrumOAuthListener *self = user_data;

  g_clear_pointer (&self->disconnect_source, g_source_unref);

  /* A page still being written goes first; its "finished" brings us back. */
  if (self->n_unsent == 0)
    soup_server_disconnect (self->server);

  return G_SOURCE_REMOVE;
}

/* Never from inside a SoupServer handler: the connection being answered must survive. */
static void
schedule_disconnect (FulcrumOAuthListener *self)
{
  if (self->disconnect_source != NULL || self->context == NULL)
    return;

  self->disconnect_source = g_idle_source_new ();
  g_source_set_callback (self->disconnect_source, disconnect_cb, self, NULL);
  g_source_set_static_name (self->disconnect_source, "[fulcrum] oauth listener disconnect");
  g_source_attach (self->disconnect_source, self->context);
}

static void
final_page_finished_cb (SoupServerMessage    *msg,
                        FulcrumOAuthListener *self)
{
  g_assert (self->n_unsent > 0);

  self->n_unsent--;
  if (self->n_unsent == 0 && !self->listening)
    schedule_disconnect (self);
}

static void
stop_listening (FulcrumOAuthListener *self)
{
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }

  if (self->listening)
    g_debug ("Stopped listening on port %u", self->port);
  self->listening = FALSE;
}

/* Refuses, before the body is read, what cannot be Lever's redirect. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  FulcrumOAuthListener *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *host = g_uri_get_host (uri);
  const char *encoded_query = g_uri_get_query (uri);
  gsize target_length;

  /* Nothing we answer needs a body: do not keep one in memory. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  target_length = strlen (g_uri_get_path (uri)) +
                  (encoded_query != NULL ? strlen (encoded_query) + 1 : 0);
  if (target_length > FULCRUM_OAUTH_MAX_REDIRECT_LENGTH)
    {
      reply_not_for_us (msg, SOUP_STATUS_REQUEST_URI_TOO_LONG,
                        _("This request is far longer than any answer from Lever, so Fulcrum did not read it."));
      return;
    }

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET");
      reply_not_for_us (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                        _("Lever’s answer arrives as a GET request; this one was not."));
      return;
    }

  /* A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding)
   * sends its own Host. */
  if ((g_strcmp0 (host, "127.0.0.1") != 0 && g_strcmp0 (host, "::1") != 0) ||
      g_uri_get_port (uri) != (int) self->port)
    {
      reply_not_for_us (msg, SOUP_STATUS_MISDIRECTED_REQUEST,
                        _("This request was addressed to another host."));
      return;
    }

  if (g_strcmp0 (path, self->path) != 0)
    {
      reply_not_for_us (msg, SOUP_STATUS_NOT_FOUND,
                        _("Fulcrum listens here only for Lever’s answer to a link."));
      return;
    }
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  FulcrumOAuthListener *self = user_data;
  g_autoptr(FulcrumOAuthListener) hold = g_object_ref (self);
  g_autoptr(FulcrumOAuthRedirect) redirect = NULL;
  g_autofree char *message = NULL;
  FulcrumOAuthCallbackResult result;

  /* The early handler answered everything that is not a GET of the callback path. */
  g_assert (g_strcmp0 (path, self->path) == 0);

  if (self->answered)
    {
      reply_page (msg, SOUP_STATUS_GONE, FALSE, _("Already answered"),
                  _("Fulcrum already received the answer to this link."),
                  _("You can close this tab and return to Fulcrum."));
      return;
    }

  /* The query parameters libsoup decoded are not used: only the five of a redirect are
   * read, from the encoded query. */
  redirect = fulcrum_oauth_redirect_parse (g_uri_get_query (soup_server_message_get_uri (msg)));
  if (fulcrum_oauth_redirect_is_empty (redirect))
    {
      reply_not_for_us (msg, SOUP_STATUS_BAD_REQUEST,
                        _("This address receives Lever’s answer to a link, and this request carries none."));
      return;
    }

  result = self->func (redirect, &message, self->user_data);

  switch (result)
    {
    case FULCRUM_OAUTH_CALLBACK_REFUSED:
      reply_page (msg, SOUP_STATUS_BAD_REQUEST, FALSE, _("This answer was refused"), message,
                  _("Close this tab and return to Fulcrum. If it is still waiting, finish the link in the browser tab it opened last."));
      return;

    case FULCRUM_OAUTH_CALLBACK_ACCEPTED:
      reply_page (msg, SOUP_STATUS_OK, TRUE, _("Lever answered"),
                  _("Fulcrum received the authorization and is finishing the link."),
                  _("You can close this tab and return to Fulcrum."));
      break;

    case FULCRUM_OAUTH_CALLBACK_FAILED:
      reply_page (msg, SOUP_STATUS_BAD_REQUEST, FALSE, _("The link did not work"), message,
                  _("You can close this tab and return to Fulcrum to try again."));
      break;

    default:
      g_assert_not_reached ();
    }

  /* The first answer of this flow ends the listening; the page still goes out. */
  self->answered = TRUE;
  self->n_unsent++;
  g_signal_connect_object (msg, "finished", G_CALLBACK (final_page_finished_cb), self, 0);
  fulcrum_oauth_listener_close (self);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  FulcrumOAuthListener *self = user_data;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;

  local = g_socket_connection_get_local_address (connection, &error);
  if (local != NULL)
    remote = g_socket_connection_get_remote_address (connection, &error);

  if (local == NULL || remote == NULL ||
      !soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote,
                                    &error))
    g_debug ("Dropped a connection to the link listener: %s", error->message);

  return TRUE;
}

static void
fulcrum_oauth_listener_dispose (GObject *object)
{
  FulcrumOAuthListener *self = (FulcrumOAuthListener *) object;

  stop_listening (self);
  if (self->disconnect_source != NULL)
    {
      g_source_destroy (self->disconnect_source);
      g_clear_pointer (&self->disconnect_source, g_source_unref);
    }
  if (self->server != NULL)
    soup_server_disconnect (self->server);

  g_clear_object (&self->service);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (fulcrum_oauth_listener_parent_class)->dispose (object);
}

static void
fulcrum_oauth_listener_finalize (GObject *object)
{
  FulcrumOAuthListener *self = (FulcrumOAuthListener *) object;

  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (fulcrum_oauth_listener_parent_class)->finalize (object);
}

static void
fulcrum_oauth_listener_class_init (FulcrumOAuthListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fulcrum_oauth_listener_dispose;
  object_class->finalize = fulcrum_oauth_listener_finalize;
}

static void
fulcrum_oauth_listener_init (FulcrumOAuthListener *self)
{
}

FulcrumOAuthListener *
fulcrum_oauth_listener_new (GUri                     *redirect_uri,
                            FulcrumOAuthCallbackFunc  func,
                            gpointer                  user_data)
{
  FulcrumOAuthListener *self;
  const char *path;

  g_return_val_if_fail (redirect_uri != NULL, NULL);
  g_return_val_if_fail (g_uri_get_port (redirect_uri) > 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (FULCRUM_TYPE_OAUTH_LISTENER, NULL);
  self->host = g_strdup (g_uri_get_host (redirect_uri));
  self->port = g_uri_get_port (redirect_uri);
  path = g_uri_get_path (redirect_uri);
  self->path = g_uri_unescape_string (path != NULL && *path != '\0' ? path : "/", NULL);
  if (self->path == NULL)
    self->path = g_strdup (path);
  self->func = func;
  self->user_data = user_data;

  return self;
}

static gboolean
add_address (FulcrumOAuthListener  *self,
             const char            *host,
             GError               **error)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (host, self->port);

  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an address: %s", host);
      return FALSE;
    }

  return g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                        G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                        NULL, NULL, error);
}

gboolean
fulcrum_oauth_listener_listen (FulcrumOAuthListener  *self,
                               GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *other_host;

  g_return_val_if_fail (FULCRUM_IS_OAUTH_LISTENER (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "Fulcrum", NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);

  self->service = g_socket_service_new ();
  g_signal_connect_object (self->service, "incoming", G_CALLBACK (incoming_cb), self, 0);

  /* Never another port: the registered one or nothing (RFC 8252 §8.3 would allow any
   * port, but Lever matches the callback URL byte for byte). */
  if (!add_address (self, self->host, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_PORT_IN_USE,
                     _("Port %u on %s is in use by another program, so Fulcrum cannot receive Lever’s answer there. Close that program, or register another callback URL with Lever and set it in the profile."),
                     self->port, self->host);
      else
        g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                     _("Fulcrum cannot listen on port %u of %s for Lever’s answer: %s"),
                     self->port, self->host, local_error->message);
      stop_listening (self);
      return FALSE;
    }

  /* The other loopback address as well, where the machine has it. */
  other_host = g_strcmp0 (self->host, "::1") == 0 ? "127.0.0.1" : "::1";
  g_clear_error (&local_error);
  if (!add_address (self, other_host, &local_error))
    g_debug ("Not listening on %s port %u as well: %s", other_host, self->port,
             local_error->message);

  g_socket_service_start (self->service);
  self->listening = TRUE;
  g_debug ("Listening for the redirect on %s port %u", self->host, self->port);

  return TRUE;
}

void
fulcrum_oauth_listener_close (FulcrumOAuthListener *self)
{
  g_return_if_fail (FULCRUM_IS_OAUTH_LISTENER (self));

  stop_listening (self);
  if (self->server != NULL)
    schedule_disconnect (self);
}

gboolean
fulcrum_oauth_listener_is_listening (FulcrumOAuthListener *self)
{
  g_return_val_if_fail (FULCRUM_IS_OAUTH_LISTENER (self), FALSE);

  return self->listening;
}
