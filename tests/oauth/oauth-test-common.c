/* oauth-test-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-test-browser.h"
#include "fulcrum-test-util.h"
#include "oauth-test-common.h"

#define WAIT_MS 20000

static const char * const test_scopes[] = {
  "offline_access", "users:read:admin", "opportunities:read:admin", "notes:write:admin", NULL
};

void
oauth_fixture_setup (OAuthFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy_uri = NULL;
  g_autofree char *dir_name = NULL;
  static guint n_fixtures;
  const char *redirect_uris[4];

  fixture->port = fulcrum_test_free_port ();
  fixture->redirect_uri = fulcrum_connector_profile_default_redirect_uri (FULCRUM_ENVIRONMENT_ID_SIMULATOR,
                                                                          fixture->port);
  proxy_uri = g_strdup_printf ("http://127.0.0.1:%u/callback/sim-proxy", fixture->port);
  redirect_uris[0] = fixture->redirect_uri;
  redirect_uris[1] = OAUTH_TEST_PASTE_URI;
  redirect_uris[2] = proxy_uri;
  redirect_uris[3] = NULL;

  fixture->sim = fulcrum_sim_server_new ();
  fulcrum_sim_server_set_n_opportunities (fixture->sim, 10);
  fulcrum_sim_server_set_latency (fixture->sim, 0, 0.0);
  fulcrum_sim_server_set_rate_limit (fixture->sim, FALSE, 10.0, 20);
  fulcrum_sim_server_add_app (fixture->sim, OAUTH_TEST_CLIENT_ID, OAUTH_TEST_CLIENT_SECRET,
                              redirect_uris, NULL);
  fulcrum_sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);

  fixture->environment = fulcrum_environment_new_builtin (FULCRUM_ENVIRONMENT_KIND_SIMULATOR);
  fulcrum_environment_set_base_url (fixture->environment,
                                    fulcrum_sim_server_get_base_url (fixture->sim));

  /* A config directory per test, under the test root that the leak checks search. */
  dir_name = g_strdup_printf ("store-%u", ++n_fixtures);
  fixture->config_dir = g_build_filename (fulcrum_test_get_root (), "config", dir_name, NULL);
  fixture->store = fulcrum_store_new (fixture->config_dir);
  fulcrum_store_load (fixture->store, &error);
  g_assert_no_error (error);

  fixture->profile = fulcrum_connector_profile_new (OAUTH_TEST_PROFILE_ID,
                                                    FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  fulcrum_connector_profile_set_name (fixture->profile, OAUTH_TEST_PROFILE_NAME);
  fulcrum_connector_profile_set_client_id (fixture->profile, OAUTH_TEST_CLIENT_ID);
  fulcrum_connector_profile_set_scopes (fixture->profile, test_scopes, &error);
  g_assert_no_error (error);
  fulcrum_connector_profile_set_redirect_uri (fixture->profile, fixture->redirect_uri);
  fulcrum_connector_profile_set_has_secret (fixture->profile, TRUE);
  fulcrum_store_add_profile (fixture->store, fixture->profile, &error);
  g_assert_no_error (error);

  fixture->secrets = fulcrum_secret_store_new ();

  /* Loopback only: no proxy from the environment. */
  fixture->browser = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

void
oauth_fixture_teardown (OAuthFixture  *fixture,
                        gconstpointer  data)
{
  g_clear_object (&fixture->browser);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->profile);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->environment);
  fulcrum_sim_server_stop (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->config_dir, g_free);
  g_clear_pointer (&fixture->redirect_uri, g_free);

  /* Let sources that closed connections scheduled run before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

FulcrumOAuthFlow *
oauth_fixture_new_flow (OAuthFixture *fixture)
{
  return fulcrum_oauth_flow_new (fixture->environment, fixture->profile,
                                 OAUTH_TEST_CLIENT_SECRET);
}

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} Call;

static void
browser_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Call *call = user_data;

  call->bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &call->error);
  call->done = TRUE;
}

BrowserPage *
browser_request (OAuthFixture *fixture,
                 const char   *method,
                 const char   *url,
                 const char   *content_type,
                 const char   *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  BrowserPage *page = g_new0 (BrowserPage, 1);
  Call call = { 0 };

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  soup_session_send_and_read_async (fixture->browser, msg, G_PRIORITY_DEFAULT, NULL,
                                    browser_done_cb, &call);
  fulcrum_test_wait_for (&call.done, WAIT_MS);

  if (call.bytes == NULL)
    {
      page->error = call.error;
      return page;
    }

  page->status = soup_message_get_status (msg);
  page->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  page->body = g_strndup (g_bytes_get_data (call.bytes, NULL), g_bytes_get_size (call.bytes));
  g_bytes_unref (call.bytes);

  return page;
}

BrowserPage *
browser_get (OAuthFixture *fixture,
             const char   *url)
{
  return browser_request (fixture, SOUP_METHOD_GET, url, NULL, NULL);
}

void
browser_page_free (BrowserPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->headers, soup_message_headers_unref);
  g_clear_error (&page->error);
  g_free (page->body);
  g_free (page);
}

char *
browser_consent (OAuthFixture *fixture,
                 const char   *authorize_url,
                 const char   *decision)
{
  return fulcrum_test_answer_consent (fixture->browser, authorize_url, decision);
}

void
assert_listener_page (BrowserPage *page)
{
  static const char * const external[] = {
    "http:", "https:", "//", "src=", "href=", "url(", "@import", "<script", "<link", "<img",
    "<iframe", "<form",
  };
  const char *csp;

  g_assert_no_error (page->error);
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Referrer-Policy"), ==,
                   "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Cache-Control"), ==,
                   "no-store");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (page->headers, NULL),
                                   "text/html"));
  csp = soup_message_headers_get_one (page->headers, "Content-Security-Policy");
  g_assert_nonnull (csp);
  g_assert_true (g_str_has_prefix (csp, "default-src 'none'"));

  for (guint i = 0; i < G_N_ELEMENTS (external); i++)
    if (strstr (page->body, external[i]) != NULL)
      g_error ("The listener's page refers to something outside itself (%s):\n%s",
               external[i], page->body);

  g_assert_nonnull (strstr (page->body, "return to Fulcrum"));
}

GHashTable *
url_get_params (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);

  g_assert_nonnull (uri);
  if (g_uri_get_query (uri) == NULL)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
}

char *
url_get_param (const char *url,
               const char *name)
{
  g_autoptr(GHashTable) params = url_get_params (url);

  g_assert_nonnull (params);
  return g_strdup (g_hash_table_lookup (params, name));
}

char *
url_set_param (const char *url,
               const char *name,
               const char *value)
{
  const char *query = strchr (url, '?');
  g_auto(GStrv) parts = NULL;
  GString *out;
  gboolean replaced = FALSE;

  out = g_string_new_len (url, query != NULL ? query - url : (gssize) strlen (url));
  parts = g_strsplit (query != NULL ? query + 1 : "", "&", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *prefix = g_strconcat (name, "=", NULL);
      const char *part = parts[i];

      if (*part == '\0')
        continue;
      g_string_append_c (out, strchr (out->str, '?') != NULL ? '&' : '?');
      if (g_str_has_prefix (part, prefix))
        {
          replaced = TRUE;
          if (value == NULL)
            {
              g_string_truncate (out, out->len - 1);
              continue;
            }
          g_string_append (out, prefix);
          g_string_append_uri_escaped (out, value, NULL, FALSE);
        }
      else
        {
          g_string_append (out, part);
        }
    }

  if (!replaced && value != NULL)
    {
      g_string_append_c (out, strchr (out->str, '?') != NULL ? '&' : '?');
      g_string_append_printf (out, "%s=", name);
      g_string_append_uri_escaped (out, value, NULL, FALSE);
    }

  return g_string_free (out, FALSE);
}

gint64
sim_code_requests (OAuthFixture *fixture)
{
  g_autoptr(JsonNode) stats = fulcrum_sim_server_get_stats (fixture->sim);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (stats),
                                                        "token_requests");

  return json_object_get_int_member (requests, "authorization_code");
}

gboolean
has_ipv6_loopback (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         NULL);
  if (socket == NULL)
    return FALSE;
  address = g_inet_socket_address_new_from_string ("::1", 0);

  return g_socket_bind (socket, address, FALSE, NULL);
}

gboolean
is_listening (const char *host,
              guint       port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (host, port);
  g_autoptr(GSocketConnection) connection = NULL;

  /* The kernel completes a connection to a listening socket without our main loop. */
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, NULL);

  return connection != NULL;
}

void
assert_nothing_listening (guint port)
{
  g_assert_false (is_listening ("127.0.0.1", port));
  if (has_ipv6_loopback ())
    g_assert_false (is_listening ("::1", port));
}

struct _FlowWait
{
  gboolean         done;
  FulcrumTokenSet *tokens;
  GError          *error;
};

static void
flow_wait_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  FlowWait *wait = user_data;

  wait->tokens = fulcrum_oauth_flow_wait_finish (FULCRUM_OAUTH_FLOW (object), result,
                                                 &wait->error);
  wait->done = TRUE;
}

FlowWait *
flow_wait_begin (FulcrumOAuthFlow *flow,
                 GCancellable     *cancellable)
{
  FlowWait *wait = g_new0 (FlowWait, 1);

  fulcrum_oauth_flow_wait_async (flow, cancellable, flow_wait_cb, wait);
  return wait;
}

gboolean
flow_wait_is_done (FlowWait *wait)
{
  return wait->done;
}

FulcrumTokenSet *
flow_wait_end (FlowWait  *wait,
               GError   **error)
{
  FulcrumTokenSet *tokens;

  fulcrum_test_wait_for (&wait->done, WAIT_MS);
  tokens = wait->tokens;
  if (wait->error != NULL)
    g_propagate_error (error, wait->error);
  g_free (wait);

  return tokens;
}

FulcrumTokenSet *
flow_wait (FulcrumOAuthFlow  *flow,
           GCancellable      *cancellable,
           GError           **error)
{
  return flow_wait_end (flow_wait_begin (flow, cancellable), error);
}

static void
token_endpoint_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  TokenEndpoint *endpoint = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  endpoint->n_requests++;
  g_clear_pointer (&endpoint->form, g_hash_table_unref);
  endpoint->form = g_uri_parse_params (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                       "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_free (endpoint->accept);
  endpoint->accept = g_strdup (soup_message_headers_get_one (request_headers, "Accept"));
  g_free (endpoint->request_content_type);
  endpoint->request_content_type = g_strdup (soup_message_headers_get_content_type (request_headers,
                                                                                    NULL));

  /* Status 0: a token endpoint that never answers. */
  if (endpoint->status == 0)
    {
      soup_server_message_pause (msg);
      return;
    }

  soup_server_message_set_status (msg, endpoint->status, NULL);
  soup_server_message_set_response (msg, endpoint->content_type, SOUP_MEMORY_COPY,
                                    endpoint->body, strlen (endpoint->body));
}

TokenEndpoint *
token_endpoint_new (guint       status,
                    const char *content_type,
                    const char *body)
{
  TokenEndpoint *endpoint = g_new0 (TokenEndpoint, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  GSList *uris;

  endpoint->status = status;
  endpoint->content_type = g_strdup (content_type);
  endpoint->body = g_strdup (body);
  endpoint->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (endpoint->server, "/oauth/token", token_endpoint_cb, endpoint, NULL);
  soup_server_listen (endpoint->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (endpoint->server);
  g_assert_nonnull (uris);
  endpoint->url = g_strdup_printf ("http://127.0.0.1:%d/oauth/token", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return endpoint;
}

void
token_endpoint_free (TokenEndpoint *endpoint)
{
  if (endpoint == NULL)
    return;

  soup_server_disconnect (endpoint->server);
  g_clear_object (&endpoint->server);
  g_clear_pointer (&endpoint->form, g_hash_table_unref);
  g_free (endpoint->url);
  g_free (endpoint->content_type);
  g_free (endpoint->body);
  g_free (endpoint->accept);
  g_free (endpoint->request_content_type);
  g_free (endpoint);
}

static GMutex log_mutex;
static GString *log_text;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_mutex);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (log_text, fields[i].value);
      else
        g_string_append_len (log_text, fields[i].value, fields[i].length);
      g_string_append_c (log_text, ' ');
    }
  g_string_append_c (log_text, '\n');
  g_mutex_unlock (&log_mutex);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

void
log_capture_install (void)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
}

const char *
log_capture_get (void)
{
  return log_text->str;
}
