/* sim-test-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-scopes.h"
#include "sim-test-common.h"

void
sim_fixture_setup (SimFixture *fixture,
                   guint       n_opportunities)
{
  static const char * const redirect_uris[] = { SIM_TEST_REDIRECT_URI, NULL };
  g_autoptr(GError) error = NULL;

  fixture->server = fulcrum_sim_server_new ();
  fulcrum_sim_server_set_seed (fixture->server, 42);
  fulcrum_sim_server_set_n_opportunities (fixture->server, n_opportunities);
  fulcrum_sim_server_set_latency (fixture->server, 0, 0.0);
  fulcrum_sim_server_set_rate_limit (fixture->server, FALSE, 10.0, 20);
  fulcrum_sim_server_add_app (fixture->server, SIM_TEST_CLIENT_ID, SIM_TEST_CLIENT_SECRET,
                              redirect_uris, NULL);
  fulcrum_sim_server_start_thread (fixture->server, 0, &error);
  g_assert_no_error (error);

  /* loopback only: no proxy from the environment */
  fixture->session = soup_session_new_with_options ("max-conns-per-host", 8,
                                                    "proxy-resolver", NULL, NULL);
}

void
sim_fixture_teardown (SimFixture *fixture)
{
  g_clear_object (&fixture->session);
  fulcrum_sim_server_stop (fixture->server);
  g_clear_object (&fixture->server);
}

char *
sim_url (SimFixture *fixture,
         const char *path_and_query)
{
  if (g_str_has_prefix (path_and_query, "http://"))
    return g_strdup (path_and_query);
  return g_strconcat (fulcrum_sim_server_get_base_url (fixture->server), path_and_query, NULL);
}

SimResponse *
sim_request (SimFixture *fixture,
             const char *method,
             const char *url,
             const char *token,
             const char *content_type,
             const char *body)
{
  g_autofree char *full = sim_url (fixture, url);
  g_autoptr(SoupMessage) msg = soup_message_new (method, full);
  SimResponse *response = g_new0 (SimResponse, 1);

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  response->body = soup_session_send_and_read (fixture->session, msg, NULL, &response->error);
  if (response->error == NULL)
    {
      response->status = soup_message_get_status (msg);
      response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
    }
  return response;
}

SimResponse *
sim_get (SimFixture *fixture,
         const char *path_and_query,
         const char *token)
{
  return sim_request (fixture, "GET", path_and_query, token, NULL, NULL);
}

void
sim_response_free (SimResponse *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_error (&response->error);
  g_free (response);
}

char *
sim_response_dup_text (SimResponse *response)
{
  g_assert_no_error (response->error);
  return g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
}

JsonNode *
sim_response_json (SimResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;

  g_assert_no_error (response->error);
  data = g_bytes_get_data (response->body, &len);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

char *
sim_response_error_code (SimResponse *response)
{
  g_autoptr(JsonNode) node = sim_response_json (response);
  JsonObject *object;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_true (json_object_has_member (object, "message"));
  return g_strdup (json_object_get_string_member (object, "code"));
}

const char *
sim_all_scopes (void)
{
  static char *all;

  if (all == NULL)
    all = fulcrum_scopes_to_string (fulcrum_scopes_get_known ());
  return all;
}

char *
sim_authorize_url (SimFixture *fixture,
                   const char *scope,
                   const char *state)
{
  g_autoptr(GString) url = g_string_new (fulcrum_sim_server_get_authorize_url (fixture->server));
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autofree char *challenge = NULL;

  g_checksum_update (checksum, (const guchar *) SIM_TEST_PKCE_VERIFIER, -1);
  g_checksum_get_digest (checksum, digest, &len);
  challenge = g_base64_encode (digest, len);
  g_strdelimit (challenge, "+", '-');
  g_strdelimit (challenge, "/", '_');
  *strchr (challenge, '=') = '\0';

  g_string_append (url, "?client_id=" SIM_TEST_CLIENT_ID "&response_type=code&redirect_uri=");
  g_string_append_uri_escaped (url, SIM_TEST_REDIRECT_URI, NULL, FALSE);
  g_string_append (url, "&audience=");
  g_string_append_uri_escaped (url, fulcrum_sim_server_get_audience (fixture->server), NULL,
                               FALSE);
  g_string_append (url, "&scope=");
  g_string_append_uri_escaped (url, scope, NULL, FALSE);
  g_string_append (url, "&state=");
  g_string_append_uri_escaped (url, state, NULL, FALSE);
  g_string_append (url, "&code_challenge_method=S256&code_challenge=");
  g_string_append (url, challenge);
  g_string_append (url, "&prompt=consent");
  return g_string_free (g_steal_pointer (&url), FALSE);
}

char *
sim_consent (SimFixture *fixture,
             const char *authorize_url)
{
  g_autoptr(SimResponse) response = sim_get (fixture, authorize_url, NULL);
  g_autofree char *text = NULL;
  const char *start;
  const char *end;

  g_assert_cmpuint (response->status, ==, 200);
  text = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
  start = strstr (text, "name=\"transaction\" value=\"");
  g_assert_nonnull (start);
  start += strlen ("name=\"transaction\" value=\"");
  end = strchr (start, '"');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

char *
sim_decide (SimFixture *fixture,
            const char *transaction,
            const char *decision)
{
  g_autofree char *body = g_strdup_printf ("transaction=%s&decision=%s", transaction, decision);
  g_autoptr(SimResponse) response = sim_request (fixture, "POST", "/authorize/decision", NULL,
                                                 "application/x-www-form-urlencoded", body);

  g_assert_cmpuint (response->status, ==, 302);
  return g_strdup (soup_message_headers_get_one (response->headers, "Location"));
}

SimResponse *
sim_token_request (SimFixture *fixture,
                   const char *first_key,
                   ...)
{
  g_autoptr(GString) body = g_string_new (NULL);
  const char *key;
  va_list args;

  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (body->len > 0)
        g_string_append_c (body, '&');
      g_string_append (body, key);
      g_string_append_c (body, '=');
      g_string_append_uri_escaped (body, value, NULL, FALSE);
    }
  va_end (args);

  return sim_request (fixture, "POST", "/oauth/token", NULL,
                      "application/x-www-form-urlencoded", body->str);
}

static char *
query_value (const char *uri,
             const char *key)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (parsed);
  if (g_uri_get_query (parsed) == NULL)
    return NULL;
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (params);
  return g_strdup (g_hash_table_lookup (params, key));
}

JsonNode *
sim_link (SimFixture *fixture,
          const char *scope)
{
  g_autofree char *url = sim_authorize_url (fixture, scope, "state-1234");
  g_autofree char *transaction = sim_consent (fixture, url);
  g_autofree char *location = sim_decide (fixture, transaction, "allow");
  g_autofree char *code = query_value (location, "code");
  g_autofree char *state = query_value (location, "state");
  g_autoptr(SimResponse) response = NULL;

  g_assert_cmpstr (state, ==, "state-1234");
  g_assert_nonnull (code);
  response = sim_token_request (fixture, "grant_type", "authorization_code",
                                "client_id", SIM_TEST_CLIENT_ID,
                                "client_secret", SIM_TEST_CLIENT_SECRET,
                                "code", code, "redirect_uri", SIM_TEST_REDIRECT_URI,
                                "code_verifier", SIM_TEST_PKCE_VERIFIER, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  return sim_response_json (response);
}

char *
sim_access_token (SimFixture *fixture,
                  const char *scope)
{
  g_autoptr(JsonNode) tokens = sim_link (fixture, scope);

  return g_strdup (json_object_get_string_member (json_node_get_object (tokens),
                                                  "access_token"));
}

GPtrArray *
sim_read_all (SimFixture *fixture,
              const char *path_and_query,
              const char *token,
              guint      *n_pages)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *next = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *url = NULL;
      g_autoptr(SimResponse) response = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;
      JsonArray *data;

      if (next != NULL)
        url = g_strdup_printf ("%s%soffset=%s", path_and_query,
                               strchr (path_and_query, '?') ? "&" : "?", next);
      else
        url = g_strdup (path_and_query);
      response = sim_get (fixture, url, token);
      g_assert_cmpuint (response->status, ==, 200);
      root = sim_response_json (response);
      object = json_node_get_object (root);
      data = json_object_get_array_member (object, "data");
      for (guint i = 0; i < json_array_get_length (data); i++)
        g_ptr_array_add (records, json_node_copy (json_array_get_element (data, i)));
      g_clear_pointer (&next, g_free);
      if (json_object_get_boolean_member (object, "hasNext"))
        {
          next = g_strdup (json_object_get_string_member (object, "next"));
          g_assert_nonnull (next);
        }
      else
        g_assert_false (json_object_has_member (object, "next"));
      pages++;
      g_assert_cmpuint (pages, <, 100000);
    }
  while (next != NULL);

  if (n_pages != NULL)
    *n_pages = pages;
  return records;
}

gint64
sim_stat (SimFixture *fixture,
          const char *member)
{
  g_autoptr(JsonNode) stats = fulcrum_sim_server_get_stats (fixture->server);
  g_auto(GStrv) path = g_strsplit (member, ".", 2);
  JsonObject *object = json_node_get_object (stats);

  if (path[1] != NULL)
    {
      object = json_object_get_object_member (object, path[0]);
      return json_object_get_int_member_with_default (object, path[1], 0);
    }
  return json_object_get_int_member_with_default (object, member, 0);
}
