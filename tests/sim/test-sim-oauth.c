/* test-sim-oauth.c: the simulator's authorization server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-test-util.h"
#include "sim-test-common.h"

#define API_SCOPES "offline_access users:read:admin opportunities:read:admin"

static char *
location_param (const char *location,
                const char *key)
{
  g_autoptr(GUri) uri = g_uri_parse (location, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (uri);
  g_assert_nonnull (g_uri_get_query (uri));
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  return g_strdup (g_hash_table_lookup (params, key));
}

static char *
get_code (SimFixture *fixture,
          const char *scope)
{
  g_autofree char *url = sim_authorize_url (fixture, scope, "s");
  g_autofree char *transaction = sim_consent (fixture, url);
  g_autofree char *location = sim_decide (fixture, transaction, "allow");

  return location_param (location, "code");
}

static SimResponse *
exchange (SimFixture *fixture,
          const char *code,
          const char *redirect_uri,
          const char *verifier,
          const char *secret)
{
  return sim_token_request (fixture, "grant_type", "authorization_code",
                            "client_id", SIM_TEST_CLIENT_ID, "client_secret", secret,
                            "code", code, "redirect_uri", redirect_uri,
                            "code_verifier", verifier, NULL);
}

static SimResponse *
refresh (SimFixture *fixture,
         const char *refresh_token)
{
  return sim_token_request (fixture, "grant_type", "refresh_token",
                            "client_id", SIM_TEST_CLIENT_ID,
                            "client_secret", SIM_TEST_CLIENT_SECRET,
                            "refresh_token", refresh_token, NULL);
}

static char *
oauth_error (SimResponse *response)
{
  g_autoptr(JsonNode) node = sim_response_json (response);
  JsonObject *object = json_node_get_object (node);

  g_assert_true (json_object_has_member (object, "error_description"));
  return g_strdup (json_object_get_string_member (object, "error"));
}

static guint
api_status (SimFixture *fixture,
            const char *token)
{
  g_autoptr(SimResponse) response = sim_get (fixture, "/v1/users?limit=1", token);

  g_assert_no_error (response->error);
  return response->status;
}

static const char *
member (JsonNode   *node,
        const char *name)
{
  return json_object_get_string_member (json_node_get_object (node), name);
}

static void
test_consent_page (SimFixture    *fixture,
                   gconstpointer  data)
{
  g_autofree char *url = sim_authorize_url (fixture, "offline_access users:read:admin "
                                            "notes:write:admin", "st");
  g_autoptr(SimResponse) response = sim_get (fixture, url, NULL);
  g_autofree char *html = sim_response_dup_text (response);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (response->headers,
                                                                          NULL), "text/html"));
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Cache-Control"), ==,
                   "no-store");
  /* the app, the organization and every scope are named */
  g_assert_nonnull (strstr (html, SIM_TEST_CLIENT_ID));
  g_assert_nonnull (strstr (html, "Acme Robotics (simulated)"));
  g_assert_nonnull (strstr (html, "<code>offline_access</code>"));
  g_assert_nonnull (strstr (html, "<code>users:read:admin</code>"));
  g_assert_nonnull (strstr (html, "<code>notes:write:admin</code>"));
  /* a plain form, no JavaScript */
  g_assert_nonnull (strstr (html, "<form method=\"post\""));
  g_assert_nonnull (strstr (html, "<button type=\"submit\" name=\"decision\" value=\"allow\">"));
  g_assert_nonnull (strstr (html, "<button type=\"submit\" name=\"decision\" value=\"deny\">"));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "javascript:"));

  /* the organization name is a setting */
  fulcrum_sim_server_set_organization (fixture->server, "Initech <Test>");
  fulcrum_sim_server_set_app_name (fixture->server, SIM_TEST_CLIENT_ID, "My Integration");
  {
    g_autoptr(SimResponse) again = sim_get (fixture, url, NULL);
    g_autofree char *text = sim_response_dup_text (again);

    g_assert_nonnull (strstr (text, "Initech &lt;Test&gt;"));
    g_assert_nonnull (strstr (text, "My Integration"));
  }
}

static void
test_redirect_mismatch (SimFixture    *fixture,
                        gconstpointer  data)
{
  static const char * const wrong[] = {
    "http://127.0.0.1:53682/callback/simulator/",
    "http://localhost:53682/callback/simulator",
    "http://127.0.0.1:53683/callback/simulator",
    "http://127.0.0.1:53682/callback/Simulator",
  };

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autofree char *url = sim_authorize_url (fixture, API_SCOPES, "st");
      g_autofree char *escaped = g_uri_escape_string (wrong[i], NULL, FALSE);
      g_autofree char *right = g_uri_escape_string (SIM_TEST_REDIRECT_URI, NULL, FALSE);
      g_autoptr(GString) bad = g_string_new (url);
      g_autoptr(SimResponse) response = NULL;
      g_autofree char *html = NULL;

      g_string_replace (bad, right, escaped, 1);
      response = sim_get (fixture, bad->str, NULL);
      html = sim_response_dup_text (response);
      /* an error page, never a redirect */
      g_assert_cmpuint (response->status, ==, 400);
      g_assert_null (soup_message_headers_get_one (response->headers, "Location"));
      g_assert_nonnull (strstr (html, "Callback URL mismatch"));
      g_assert_null (strstr (html, "name=\"transaction\""));
    }

  /* no redirect_uri at all, and an unknown client */
  {
    g_autoptr(SimResponse) response = sim_get (fixture, "/authorize?client_id=" SIM_TEST_CLIENT_ID
                                               "&response_type=code&scope=offline_access",
                                               NULL);

    g_assert_cmpuint (response->status, ==, 400);
    g_assert_null (soup_message_headers_get_one (response->headers, "Location"));
  }
  {
    g_autofree char *url = sim_authorize_url (fixture, API_SCOPES, "st");
    g_autoptr(GString) bad = g_string_new (url);
    g_autoptr(SimResponse) response = NULL;

    g_string_replace (bad, "client_id=" SIM_TEST_CLIENT_ID, "client_id=someone-else", 1);
    response = sim_get (fixture, bad->str, NULL);
    g_assert_cmpuint (response->status, ==, 400);
    g_assert_null (soup_message_headers_get_one (response->headers, "Location"));
  }
}

static void
assert_redirect_error (SimFixture *fixture,
                       const char *url,
                       const char *error)
{
  g_autoptr(SimResponse) response = sim_get (fixture, url, NULL);
  const char *location;
  g_autofree char *got = NULL;
  g_autofree char *state = NULL;

  g_assert_cmpuint (response->status, ==, 302);
  location = soup_message_headers_get_one (response->headers, "Location");
  g_assert_true (g_str_has_prefix (location, SIM_TEST_REDIRECT_URI "?"));
  got = location_param (location, "error");
  state = location_param (location, "state");
  g_assert_cmpstr (got, ==, error);
  g_assert_cmpstr (state, ==, "st");
}

static void
test_authorize_errors (SimFixture    *fixture,
                       gconstpointer  data)
{
  static const char * const redirect_uris[] = { SIM_TEST_REDIRECT_URI, NULL };
  static const char * const allowed[] = { "offline_access", "users:read:admin", NULL };
  g_autofree char *url = sim_authorize_url (fixture, API_SCOPES, "st");
  g_autoptr(GString) token_type = g_string_new (url);
  g_autoptr(GString) method = g_string_new (url);

  g_string_replace (token_type, "response_type=code", "response_type=token", 1);
  assert_redirect_error (fixture, token_type->str, "unsupported_response_type");

  g_string_replace (method, "code_challenge_method=S256", "code_challenge_method=S512", 1);
  assert_redirect_error (fixture, method->str, "invalid_request");

  /* names seen in the wild that are not Lever scopes */
  for (guint i = 0; i < 3; i++)
    {
      const char *bad[] = { "opportunities:read", "candidates:read:admin", "contacts:read:admin" };
      g_autofree char *scope = g_strdup_printf ("offline_access %s", bad[i]);
      g_autofree char *bad_url = sim_authorize_url (fixture, scope, "st");

      assert_redirect_error (fixture, bad_url, "invalid_scope");
    }

  /* within what the registered app may ask */
  fulcrum_sim_server_add_app (fixture->server, SIM_TEST_CLIENT_ID, SIM_TEST_CLIENT_SECRET,
                              redirect_uris, allowed);
  {
    g_autofree char *narrow = sim_authorize_url (fixture, "offline_access users:read:admin",
                                                 "st");
    g_autofree char *wide = sim_authorize_url (fixture, API_SCOPES, "st");
    g_autofree char *transaction = sim_consent (fixture, narrow);

    g_assert_nonnull (transaction);
    assert_redirect_error (fixture, wide, "invalid_scope");
  }
}

static void
test_deny (SimFixture    *fixture,
           gconstpointer  data)
{
  g_autofree char *url = sim_authorize_url (fixture, API_SCOPES, "deny-state");
  g_autofree char *transaction = sim_consent (fixture, url);
  g_autofree char *location = sim_decide (fixture, transaction, "deny");
  g_autofree char *error = location_param (location, "error");
  g_autofree char *state = location_param (location, "state");
  g_autofree char *code = location_param (location, "code");
  g_autoptr(SimResponse) again = NULL;

  g_assert_true (g_str_has_prefix (location, SIM_TEST_REDIRECT_URI "?"));
  g_assert_cmpstr (error, ==, "access_denied");
  g_assert_cmpstr (state, ==, "deny-state");
  g_assert_null (code);
  g_assert_cmpint (sim_stat (fixture, "consents_denied"), ==, 1);

  /* a consent is answered once */
  again = sim_request (fixture, "POST", "/authorize/decision", NULL,
                       "application/x-www-form-urlencoded",
                       "decision=allow&transaction=x");
  g_assert_cmpuint (again->status, ==, 400);
  g_assert_null (soup_message_headers_get_one (again->headers, "Location"));
}

static void
test_code_exchange (SimFixture    *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) tokens = sim_link (fixture, API_SCOPES);
  JsonObject *object = json_node_get_object (tokens);
  g_autofree char *prefix = g_strdup_printf ("sim_%s_",
                                             fulcrum_sim_server_get_key_id (fixture->server));

  g_assert_true (g_str_has_prefix (member (tokens, "access_token"), prefix));
  g_assert_nonnull (member (tokens, "refresh_token"));
  g_assert_cmpstr (member (tokens, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 3600);
  g_assert_cmpstr (member (tokens, "scope"), ==, API_SCOPES);
  g_assert_cmpuint (api_status (fixture, member (tokens, "access_token")), ==, 200);
  g_assert_cmpint (sim_stat (fixture, "token_requests.authorization_code"), ==, 1);

  /* no offline_access, no refresh token */
  {
    g_autoptr(JsonNode) short_lived = sim_link (fixture, "users:read:admin");

    g_assert_false (json_object_has_member (json_node_get_object (short_lived),
                                            "refresh_token"));
    g_assert_cmpuint (api_status (fixture, member (short_lived, "access_token")), ==, 200);
  }

  /* client authentication with HTTP Basic works too */
  {
    g_autofree char *code = get_code (fixture, API_SCOPES);
    g_autofree char *body = g_strdup_printf ("grant_type=authorization_code&code=%s&"
                                             "redirect_uri=%s&code_verifier=%s", code,
                                             SIM_TEST_REDIRECT_URI, SIM_TEST_PKCE_VERIFIER);
    g_autofree char *url = sim_url (fixture, "/oauth/token");
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
    g_autoptr(GBytes) reply = NULL;
    g_autofree char *basic = g_base64_encode ((const guchar *) SIM_TEST_CLIENT_ID ":"
                                              SIM_TEST_CLIENT_SECRET,
                                              strlen (SIM_TEST_CLIENT_ID ":"
                                                      SIM_TEST_CLIENT_SECRET));
    g_autofree char *authorization = g_strconcat ("Basic ", basic, NULL);

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  authorization);
    reply = soup_session_send_and_read (fixture->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
}

static void
test_code_reuse (SimFixture    *fixture,
                 gconstpointer  data)
{
  g_autofree char *code = get_code (fixture, API_SCOPES);
  g_autoptr(SimResponse) first = exchange (fixture, code, SIM_TEST_REDIRECT_URI,
                                           SIM_TEST_PKCE_VERIFIER, SIM_TEST_CLIENT_SECRET);
  g_autoptr(SimResponse) second = NULL;
  g_autoptr(SimResponse) refreshed = NULL;
  g_autoptr(JsonNode) tokens = NULL;
  g_autofree char *error = NULL;
  g_autofree char *refresh_error = NULL;

  g_assert_cmpuint (first->status, ==, 200);
  tokens = sim_response_json (first);
  g_assert_cmpuint (api_status (fixture, member (tokens, "access_token")), ==, 200);

  second = exchange (fixture, code, SIM_TEST_REDIRECT_URI, SIM_TEST_PKCE_VERIFIER,
                     SIM_TEST_CLIENT_SECRET);
  g_assert_cmpuint (second->status, ==, 400);
  error = oauth_error (second);
  g_assert_cmpstr (error, ==, "invalid_grant");

  /* the replay revoked what the code had given */
  g_assert_cmpuint (api_status (fixture, member (tokens, "access_token")), ==, 401);
  refreshed = refresh (fixture, member (tokens, "refresh_token"));
  g_assert_cmpuint (refreshed->status, ==, 400);
  refresh_error = oauth_error (refreshed);
  g_assert_cmpstr (refresh_error, ==, "invalid_grant");
  g_assert_cmpint (sim_stat (fixture, "families_revoked"), ==, 1);
}

static void
test_code_expiry (SimFixture    *fixture,
                  gconstpointer  data)
{
  g_autofree char *late = get_code (fixture, API_SCOPES);
  g_autofree char *in_time = get_code (fixture, API_SCOPES);
  g_autoptr(SimResponse) ok = NULL;
  g_autoptr(SimResponse) expired = NULL;
  g_autofree char *error = NULL;

  fulcrum_sim_server_advance_clock (fixture->server, 590);
  ok = exchange (fixture, in_time, SIM_TEST_REDIRECT_URI, SIM_TEST_PKCE_VERIFIER,
                 SIM_TEST_CLIENT_SECRET);
  g_assert_cmpuint (ok->status, ==, 200);

  fulcrum_sim_server_advance_clock (fixture->server, 15);
  expired = exchange (fixture, late, SIM_TEST_REDIRECT_URI, SIM_TEST_PKCE_VERIFIER,
                      SIM_TEST_CLIENT_SECRET);
  g_assert_cmpuint (expired->status, ==, 400);
  error = oauth_error (expired);
  g_assert_cmpstr (error, ==, "invalid_grant");
}

static void
test_code_checks (SimFixture    *fixture,
                  gconstpointer  data)
{
  static const struct {
    const char *redirect_uri;
    const char *verifier;
    const char *secret;
    guint       status;
    const char *error;
  } cases[] = {
    { SIM_TEST_REDIRECT_URI "/", SIM_TEST_PKCE_VERIFIER, SIM_TEST_CLIENT_SECRET, 400,
      "invalid_grant" },
    { "http://localhost:53682/callback/simulator", SIM_TEST_PKCE_VERIFIER,
      SIM_TEST_CLIENT_SECRET, 400, "invalid_grant" },
    { SIM_TEST_REDIRECT_URI, "wrong-verifier-wrong-verifier-wrong-verifier-00",
      SIM_TEST_CLIENT_SECRET, 400, "invalid_grant" },
    { SIM_TEST_REDIRECT_URI, "", SIM_TEST_CLIENT_SECRET, 400, "invalid_grant" },
    { SIM_TEST_REDIRECT_URI, SIM_TEST_PKCE_VERIFIER, "not-the-secret", 401, "invalid_client" },
    { SIM_TEST_REDIRECT_URI, SIM_TEST_PKCE_VERIFIER, "", 401, "invalid_client" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = get_code (fixture, API_SCOPES);
      g_autoptr(SimResponse) response = exchange (fixture, code, cases[i].redirect_uri,
                                                  cases[i].verifier, cases[i].secret);
      g_autofree char *error = NULL;

      g_assert_cmpuint (response->status, ==, cases[i].status);
      error = oauth_error (response);
      g_assert_cmpstr (error, ==, cases[i].error);
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Cache-Control"), ==,
                       "no-store");
    }

  /* an unknown grant type, no grant type, and a code that never existed */
  {
    g_autoptr(SimResponse) password = sim_token_request (fixture, "grant_type", "password",
                                                         "client_id", SIM_TEST_CLIENT_ID,
                                                         "client_secret",
                                                         SIM_TEST_CLIENT_SECRET, NULL);
    g_autoptr(SimResponse) none = sim_token_request (fixture, "client_id", SIM_TEST_CLIENT_ID,
                                                     NULL);
    g_autoptr(SimResponse) unknown = exchange (fixture, "no-such-code", SIM_TEST_REDIRECT_URI,
                                               SIM_TEST_PKCE_VERIFIER, SIM_TEST_CLIENT_SECRET);
    g_autofree char *e1 = oauth_error (password);
    g_autofree char *e2 = oauth_error (none);
    g_autofree char *e3 = oauth_error (unknown);

    g_assert_cmpuint (password->status, ==, 400);
    g_assert_cmpstr (e1, ==, "unsupported_grant_type");
    g_assert_cmpuint (none->status, ==, 400);
    g_assert_cmpstr (e2, ==, "invalid_request");
    g_assert_cmpstr (e3, ==, "invalid_grant");
  }
}

static void
test_refresh_rotation (SimFixture    *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) first = sim_link (fixture, API_SCOPES);
  g_autoptr(SimResponse) rotated = refresh (fixture, member (first, "refresh_token"));
  g_autoptr(SimResponse) replay = NULL;
  g_autoptr(SimResponse) after = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *error = NULL;
  g_autofree char *after_error = NULL;

  g_assert_cmpuint (rotated->status, ==, 200);
  second = sim_response_json (rotated);
  /* each refresh returns a new refresh token */
  g_assert_nonnull (member (second, "refresh_token"));
  g_assert_cmpstr (member (second, "refresh_token"), !=, member (first, "refresh_token"));
  g_assert_cmpstr (member (second, "access_token"), !=, member (first, "access_token"));
  g_assert_cmpuint (api_status (fixture, member (second, "access_token")), ==, 200);
  g_assert_cmpint (sim_stat (fixture, "refresh_tokens_rotated"), ==, 1);

  /* the used one is dead, and presenting it revokes the whole family */
  replay = refresh (fixture, member (first, "refresh_token"));
  g_assert_cmpuint (replay->status, ==, 400);
  error = oauth_error (replay);
  g_assert_cmpstr (error, ==, "invalid_grant");
  g_assert_cmpint (sim_stat (fixture, "families_revoked"), ==, 1);

  after = refresh (fixture, member (second, "refresh_token"));
  g_assert_cmpuint (after->status, ==, 400);
  after_error = oauth_error (after);
  g_assert_cmpstr (after_error, ==, "invalid_grant");
  g_assert_cmpuint (api_status (fixture, member (second, "access_token")), ==, 401);
  g_assert_cmpint (sim_stat (fixture, "token_requests.refresh_token"), ==, 3);

  /* another family of the same app is not touched */
  {
    g_autoptr(JsonNode) other = sim_link (fixture, API_SCOPES);
    g_autoptr(SimResponse) ok = refresh (fixture, member (other, "refresh_token"));

    g_assert_cmpuint (ok->status, ==, 200);
  }
}

static void
test_access_expiry (SimFixture    *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) tokens = sim_link (fixture, API_SCOPES);
  const char *access = member (tokens, "access_token");

  fulcrum_sim_server_advance_clock (fixture->server, 3590);
  g_assert_cmpuint (api_status (fixture, access), ==, 200);
  fulcrum_sim_server_advance_clock (fixture->server, 15);
  g_assert_cmpuint (api_status (fixture, access), ==, 401);

  {
    g_autoptr(SimResponse) refreshed = refresh (fixture, member (tokens, "refresh_token"));
    g_autoptr(JsonNode) fresh = sim_response_json (refreshed);

    g_assert_cmpuint (api_status (fixture, member (fresh, "access_token")), ==, 200);
  }

  /* the lifetime is a setting */
  fulcrum_sim_server_set_access_token_lifetime (fixture->server, 60);
  {
    g_autoptr(JsonNode) short_lived = sim_link (fixture, API_SCOPES);

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (short_lived),
                                                 "expires_in"), ==, 60);
    fulcrum_sim_server_advance_clock (fixture->server, 61);
    g_assert_cmpuint (api_status (fixture, member (short_lived, "access_token")), ==, 401);
  }
}

static void
test_other_environment (SimFixture    *fixture,
                        gconstpointer  data)
{
  SimFixture other = { 0 };
  g_autofree char *token = sim_access_token (fixture, API_SCOPES);
  g_autoptr(SimResponse) response = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *forged = NULL;

  sim_fixture_setup (&other, 50);
  g_assert_cmpstr (fulcrum_sim_server_get_key_id (other.server), !=,
                   fulcrum_sim_server_get_key_id (fixture->server));

  response = sim_get (&other, "/v1/users", token);
  g_assert_cmpuint (response->status, ==, 403);
  body = sim_response_json (response);
  g_assert_cmpstr (member (body, "code"), ==, "Forbidden");
  g_assert_cmpstr (member (body, "message"), ==, "Unable to find a signing key that matches");

  /* a token of this environment that it never issued */
  forged = g_strdup_printf ("sim_%s_not-a-real-token",
                            fulcrum_sim_server_get_key_id (other.server));
  g_assert_cmpuint (api_status (&other, forged), ==, 401);

  sim_fixture_teardown (&other);

  /* an explicit key id is honoured */
  {
    g_autoptr(FulcrumSimServer) server = fulcrum_sim_server_new ();

    fulcrum_sim_server_set_key_id (server, "prod-2024");
    g_assert_cmpstr (fulcrum_sim_server_get_key_id (server), ==, "prod-2024");
  }
}

static void
test_no_audience (SimFixture    *fixture,
                  gconstpointer  data)
{
  g_autofree char *url = sim_authorize_url (fixture, API_SCOPES, "st");
  g_autofree char *audience =
    g_uri_escape_string (fulcrum_sim_server_get_audience (fixture->server), NULL, FALSE);
  g_autofree char *param = g_strconcat ("&audience=", audience, NULL);
  g_autoptr(GString) without = g_string_new (url);
  g_autoptr(SimResponse) page = NULL;
  g_autofree char *html = NULL;
  g_autofree char *transaction = NULL;
  g_autofree char *location = NULL;
  g_autofree char *code = NULL;
  g_autoptr(SimResponse) response = NULL;
  g_autoptr(JsonNode) tokens = NULL;

  g_string_replace (without, param, "", 1);
  page = sim_get (fixture, without->str, NULL);
  html = sim_response_dup_text (page);
  /* Lever's consent then shows offline_access only */
  g_assert_nonnull (strstr (html, "<code>offline_access</code>"));
  g_assert_null (strstr (html, "<code>users:read:admin</code>"));

  transaction = sim_consent (fixture, without->str);
  location = sim_decide (fixture, transaction, "allow");
  code = location_param (location, "code");
  response = exchange (fixture, code, SIM_TEST_REDIRECT_URI, SIM_TEST_PKCE_VERIFIER,
                       SIM_TEST_CLIENT_SECRET);
  tokens = sim_response_json (response);
  g_assert_cmpstr (member (tokens, "scope"), ==, "offline_access");
  g_assert_cmpuint (api_status (fixture, member (tokens, "access_token")), ==, 403);
}

static void
test_revoke_app (SimFixture    *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) tokens = sim_link (fixture, API_SCOPES);
  g_autoptr(SimResponse) response = NULL;
  g_autofree char *error = NULL;

  g_assert_cmpuint (fulcrum_sim_server_revoke_app (fixture->server, SIM_TEST_CLIENT_ID), ==, 1);
  response = refresh (fixture, member (tokens, "refresh_token"));
  error = oauth_error (response);
  g_assert_cmpstr (error, ==, "invalid_grant");
  g_assert_cmpuint (api_status (fixture, member (tokens, "access_token")), ==, 401);
}

static void
test_token_fault (SimFixture    *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) tokens = sim_link (fixture, API_SCOPES);
  g_autoptr(SimResponse) failed = NULL;
  g_autoptr(SimResponse) ok = NULL;
  g_autofree char *error = NULL;

  fulcrum_sim_server_set_fault_rate (fixture->server, FULCRUM_SIM_FAULT_TOKEN_500, 1.0);
  failed = refresh (fixture, member (tokens, "refresh_token"));
  g_assert_cmpuint (failed->status, ==, 500);
  error = oauth_error (failed);
  g_assert_cmpstr (error, ==, "server_error");
  g_assert_cmpint (sim_stat (fixture, "faults.token-500"), ==, 1);

  /* at a rate */
  fulcrum_sim_server_set_fault_rate (fixture->server, FULCRUM_SIM_FAULT_TOKEN_500, 0.25);
  {
    guint failures = 0;

    for (guint i = 0; i < 400; i++)
      {
        g_autoptr(SimResponse) response = refresh (fixture, "simrt_not-a-token");

        g_assert_true (response->status == 500 || response->status == 400);
        failures += response->status == 500;
      }
    /* 100 expected; ±5.8 σ */
    g_assert_cmpuint (failures, >=, 50);
    g_assert_cmpuint (failures, <=, 150);
    g_assert_cmpint (sim_stat (fixture, "faults.token-500"), ==, 1 + failures);
  }

  /* a 500 is transient: the refresh token still works */
  fulcrum_sim_server_set_fault_rate (fixture->server, FULCRUM_SIM_FAULT_TOKEN_500, 0.0);
  ok = refresh (fixture, member (tokens, "refresh_token"));
  g_assert_cmpuint (ok->status, ==, 200);
}

static void
setup (SimFixture    *fixture,
       gconstpointer  data)
{
  sim_fixture_setup (fixture, 50);
}

static void
teardown (SimFixture    *fixture,
          gconstpointer  data)
{
  sim_fixture_teardown (fixture);
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, SimFixture, NULL, setup, func, teardown)
  ADD ("/sim/oauth/consent-page", test_consent_page);
  ADD ("/sim/oauth/redirect-mismatch", test_redirect_mismatch);
  ADD ("/sim/oauth/authorize-errors", test_authorize_errors);
  ADD ("/sim/oauth/deny", test_deny);
  ADD ("/sim/oauth/code-exchange", test_code_exchange);
  ADD ("/sim/oauth/code-reuse", test_code_reuse);
  ADD ("/sim/oauth/code-expiry", test_code_expiry);
  ADD ("/sim/oauth/code-checks", test_code_checks);
  ADD ("/sim/oauth/refresh-rotation", test_refresh_rotation);
  ADD ("/sim/oauth/access-expiry", test_access_expiry);
  ADD ("/sim/oauth/other-environment", test_other_environment);
  ADD ("/sim/oauth/no-audience", test_no_audience);
  ADD ("/sim/oauth/revoke-app", test_revoke_app);
  ADD ("/sim/oauth/token-fault", test_token_fault);
#undef ADD

  return g_test_run ();
}
