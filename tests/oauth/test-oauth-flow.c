/* test-oauth-flow.c: the link flow against the simulator, the browser scripted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>

#include "fulcrum-oauth-private.h"
#include "fulcrum-test-util.h"
#include "oauth-test-common.h"

#define WAIT_MS 20000

static void
start_flow (FulcrumOAuthFlow *flow)
{
  g_autoptr(GError) error = NULL;
  gboolean started = fulcrum_oauth_flow_start (flow, &error);

  /* the error first: it says what went wrong (a port taken, say) */
  g_assert_no_error (error);
  g_assert_true (started);
  g_assert_nonnull (fulcrum_oauth_flow_get_authorize_url (flow));
}

static char *
flow_state (FulcrumOAuthFlow *flow)
{
  return url_get_param (fulcrum_oauth_flow_get_authorize_url (flow), "state");
}

static void
assert_base64url (const char *value,
                  gsize       length)
{
  g_assert_nonnull (value);
  g_assert_cmpuint (strlen (value), ==, length);
  for (const char *p = value; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
}

static char *
s256 (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  char *b64;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &length);
  b64 = g_base64_encode (digest, length);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  if (strchr (b64, '=') != NULL)
    *strchr (b64, '=') = '\0';

  return b64;
}

/* Answers the consent page and returns the page the listener sends for the redirect. */
static BrowserPage *
consent_and_follow (OAuthFixture     *fixture,
                    FulcrumOAuthFlow *flow,
                    const char       *decision,
                    char            **location_out)
{
  g_autofree char *location = browser_consent (fixture,
                                               fulcrum_oauth_flow_get_authorize_url (flow),
                                               decision);
  BrowserPage *page;

  g_assert_true (g_str_has_prefix (location, fixture->redirect_uri));
  g_assert_cmpint (location[strlen (fixture->redirect_uri)], ==, '?');
  page = browser_get (fixture, location);
  if (location_out != NULL)
    *location_out = g_steal_pointer (&location);

  return page;
}

/* A raw HTTP request, for what a browser would not send; the main loop runs meanwhile. */
typedef struct
{
  gboolean  done;
  GString  *response;
  char      buffer[4096];
  GError   *error;
} RawRequest;

static void
raw_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawRequest *raw = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &raw->error);

  if (n <= 0)
    {
      raw->done = TRUE;
      return;
    }
  g_string_append_len (raw->response, raw->buffer, n);
  g_input_stream_read_async (G_INPUT_STREAM (object), raw->buffer, sizeof raw->buffer,
                             G_PRIORITY_DEFAULT, NULL, raw_read_cb, raw);
}

static char *
raw_request (guint       port,
             const char *request)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *out;
  RawRequest raw = { 0 };

  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);

  /* Small enough for the socket buffer: the write does not wait for the listener. */
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  raw.response = g_string_new (NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             raw.buffer, sizeof raw.buffer, G_PRIORITY_DEFAULT, NULL,
                             raw_read_cb, &raw);
  fulcrum_test_wait_for (&raw.done, WAIT_MS);
  g_assert_no_error (raw.error);

  return g_string_free (raw.response, FALSE);
}

static void
assert_still_waiting (OAuthFixture *fixture,
                      FlowWait     *wait)
{
  /* Let anything the last request set off run first. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (flow_wait_is_done (wait));
  g_assert_true (is_listening ("127.0.0.1", fixture->port));
  g_assert_cmpint (sim_code_requests (fixture), ==, 0);
}

static void
finish_successfully (OAuthFixture     *fixture,
                     FulcrumOAuthFlow *flow,
                     FlowWait         *wait)
{
  g_autoptr(BrowserPage) page = consent_and_follow (fixture, flow, "allow", NULL);
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (page->status, ==, 200);
  tokens = flow_wait_end (wait, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpint (sim_code_requests (fixture), ==, 1);
  assert_nothing_listening (fixture->port);
}

static void
test_authorize_url (OAuthFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumOAuthFlow) again = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GHashTable) again_params = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *prefix = NULL;
  g_autofree guchar *state_bytes = NULL;
  const char *url;
  gsize n_state_bytes = 0;

  g_assert_true (fulcrum_oauth_flow_get_uses_loopback (flow));
  g_assert_null (fulcrum_oauth_flow_get_authorize_url (flow));
  start_flow (flow);

  url = fulcrum_oauth_flow_get_authorize_url (flow);
  prefix = g_strconcat (fulcrum_environment_get_authorize_url (fixture->environment), "?", NULL);
  g_assert_true (g_str_has_prefix (url, prefix));

  params = url_get_params (url);
  g_assert_cmpuint (g_hash_table_size (params), ==, 9);
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, OAUTH_TEST_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, fixture->redirect_uri);
  g_assert_cmpstr (fulcrum_oauth_flow_get_redirect_uri (flow), ==, fixture->redirect_uri);
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "prompt"), ==, "consent");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  /* The audience keeps its trailing slash. */
  g_assert_cmpstr (g_hash_table_lookup (params, "audience"), ==,
                   fulcrum_environment_get_audience (fixture->environment));
  g_assert_true (g_str_has_suffix (g_hash_table_lookup (params, "audience"), "/"));
  scope = g_strjoinv (" ", (char **) fulcrum_connector_profile_get_scopes (fixture->profile));
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, scope);
  g_assert_nonnull (strstr (url, "scope=offline_access%20"));

  /* State: 256 random bits; the challenge: a SHA-256, base64url. */
  assert_base64url (g_hash_table_lookup (params, "state"), 43);
  state_bytes = g_base64_decode (g_hash_table_lookup (params, "state"), &n_state_bytes);
  g_assert_cmpuint (n_state_bytes * 8, >=, 128);
  assert_base64url (g_hash_table_lookup (params, "code_challenge"), 43);

  /* Fresh values for every flow. */
  again = oauth_fixture_new_flow (fixture);
  start_flow (again);
  again_params = url_get_params (fulcrum_oauth_flow_get_authorize_url (again));
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), !=,
                   g_hash_table_lookup (again_params, "state"));
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), !=,
                   g_hash_table_lookup (again_params, "code_challenge"));
  fulcrum_oauth_flow_cancel (again);
}

static void
test_success (OAuthFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(BrowserPage) page = NULL;
  g_autoptr(BrowserPage) replay = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *sent_state = NULL;
  g_autofree char *returned_state = NULL;
  g_autofree char *scope = NULL;
  FlowWait *wait;

  start_flow (flow);
  g_assert_true (is_listening ("127.0.0.1", fixture->port));
  wait = flow_wait_begin (flow, NULL);

  page = consent_and_follow (fixture, flow, "allow", &location);
  sent_state = flow_state (flow);
  returned_state = url_get_param (location, "state");
  g_assert_cmpstr (sent_state, ==, returned_state);

  g_assert_cmpuint (page->status, ==, 200);
  assert_listener_page (page);
  g_assert_nonnull (strstr (page->body, "Lever answered"));
  g_assert_nonnull (strstr (page->body, "You can close this tab and return to Fulcrum."));

  tokens = flow_wait_end (wait, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_nonnull (tokens->access_token);
  g_assert_nonnull (tokens->refresh_token);
  g_assert_cmpstr (tokens->token_type, ==, "Bearer");
  scope = g_strjoinv (" ", (char **) fulcrum_connector_profile_get_scopes (fixture->profile));
  g_assert_cmpstr (tokens->scope, ==, scope);
  g_assert_cmpint (tokens->expires_at, >, tokens->obtained_at);

  /* One token request, which the simulator granted only because the code, the redirect
   * URI (byte for byte) and S256(code_verifier) matched the authorization request. */
  g_assert_cmpint (sim_code_requests (fixture), ==, 1);

  /* The listener is gone: the same redirect again reaches nothing. */
  assert_nothing_listening (fixture->port);
  replay = browser_get (fixture, location);
  g_assert_nonnull (replay->error);
  g_assert_cmpint (sim_code_requests (fixture), ==, 1);
}

static void
test_deny (OAuthFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(BrowserPage) page = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *lever_error = NULL;
  FlowWait *wait;

  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  page = consent_and_follow (fixture, flow, "deny", &location);
  lever_error = url_get_param (location, "error");
  g_assert_cmpstr (lever_error, ==, "access_denied");

  /* The error page differs from the success page and says what happened. */
  g_assert_cmpuint (page->status, ==, 400);
  assert_listener_page (page);
  g_assert_null (strstr (page->body, "Lever answered"));
  g_assert_nonnull (strstr (page->body, "The link did not work"));
  g_assert_nonnull (strstr (page->body, "User did not authorize the request"));

  tokens = flow_wait_end (wait, &error);
  g_assert_null (tokens);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "User did not authorize the request"));
  g_assert_cmpint (sim_code_requests (fixture), ==, 0);
  assert_nothing_listening (fixture->port);
}

static void
assert_refused (OAuthFixture *fixture,
                FlowWait     *wait,
                const char   *url)
{
  g_autoptr(BrowserPage) page = browser_get (fixture, url);

  g_assert_cmpuint (page->status, ==, 400);
  assert_listener_page (page);
  g_assert_nonnull (strstr (page->body, "This answer was refused"));
  assert_still_waiting (fixture, wait);
}

static void
test_state_refused (OAuthFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(BrowserPage) page = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *state = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *short_state = NULL;
  g_autofree char *repeated = NULL;
  g_autofree char *forged_error = NULL;
  g_autofree char *forged_error_no_state = NULL;
  FlowWait *wait;

  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  state = flow_state (flow);
  location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (flow), "allow");

  /* A real code with a wrong, missing, shortened or doubled state: refused before the
   * code is even read, no token request, the wait goes on. */
  wrong = url_set_param (location, "state", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  assert_refused (fixture, wait, wrong);
  missing = url_set_param (location, "state", NULL);
  assert_refused (fixture, wait, missing);
  short_state = g_strndup (state, 42);
  truncated = url_set_param (location, "state", short_state);
  assert_refused (fixture, wait, truncated);
  repeated = g_strconcat (location, "&state=", state, NULL);
  assert_refused (fixture, wait, repeated);

  /* A forged error cannot end the flow either. */
  forged_error = g_strdup_printf ("%s?error=access_denied&state=forged", fixture->redirect_uri);
  assert_refused (fixture, wait, forged_error);
  forged_error_no_state = g_strdup_printf ("%s?error=access_denied", fixture->redirect_uri);
  assert_refused (fixture, wait, forged_error_no_state);

  /* The genuine redirect still completes the link. */
  page = browser_get (fixture, location);
  g_assert_cmpuint (page->status, ==, 200);
  tokens = flow_wait_end (wait, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpint (sim_code_requests (fixture), ==, 1);
  assert_nothing_listening (fixture->port);
}

static void
test_second_flow_cancels_first (OAuthFixture  *fixture,
                                gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) first = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumOAuthFlow) second = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumTokenSet) first_tokens = NULL;
  g_autoptr(BrowserPage) stale = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stale_location = NULL;
  FlowWait *first_wait;
  FlowWait *second_wait;

  start_flow (first);
  first_wait = flow_wait_begin (first, NULL);

  /* Same profile, same port: the first flow gives up its listener. */
  start_flow (second);
  first_tokens = flow_wait_end (first_wait, &error);
  g_assert_null (first_tokens);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED);
  g_assert_true (is_listening ("127.0.0.1", fixture->port));
  second_wait = flow_wait_begin (second, NULL);

  /* The first attempt's browser tab, finished now, brings a state this flow never sent. */
  stale_location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (first), "allow");
  stale = browser_get (fixture, stale_location);
  g_assert_cmpuint (stale->status, ==, 400);
  assert_listener_page (stale);
  assert_still_waiting (fixture, second_wait);

  finish_successfully (fixture, second, second_wait);
}

static void
test_stray_requests (OAuthFixture  *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *method;
    const char *path;
    guint       status;
  } strays[] = {
    { "GET", "/favicon.ico", 404 },
    { "GET", "/", 404 },
    { "GET", "/callback/production?code=x&state=y", 404 },   /* another environment's path */
    { "GET", "/callback/simulator/more?code=x&state=y", 404 },
    { "GET", "/callback/simulator", 400 },
    { "GET", "/callback/simulator?utm_source=mail", 400 },   /* nothing to read */
    { "POST", "/callback/simulator?code=x&state=y", 405 },
    { "HEAD", "/callback/simulator?code=x&state=y", 405 },
  };
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  FlowWait *wait;

  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (strays); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", fixture->port,
                                              strays[i].path);
      g_autoptr(BrowserPage) page = browser_request (fixture, strays[i].method, url,
                                                     "application/x-www-form-urlencoded",
                                                     strcmp (strays[i].method, "POST") == 0 ? "a=b" : NULL);

      g_test_message ("%s %s", strays[i].method, strays[i].path);
      g_assert_no_error (page->error);
      g_assert_cmpuint (page->status, ==, strays[i].status);
      if (strcmp (strays[i].method, "HEAD") != 0)
        assert_listener_page (page);
      assert_still_waiting (fixture, wait);
    }

  finish_successfully (fixture, flow, wait);
}

static void
test_request_too_large (OAuthFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(BrowserPage) page = NULL;
  g_autoptr(BrowserPage) posted = NULL;
  g_autofree char *state = NULL;
  g_autofree char *padding = g_strnfill (9 * 1024, 'a');
  g_autofree char *huge_url = NULL;
  g_autofree char *huge_body = g_strnfill (4 * 1024 * 1024, 'b');
  g_autofree char *rebound = NULL;
  g_autofree char *request = NULL;
  FlowWait *wait;

  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  state = flow_state (flow);

  /* Even with the right state, a request over the cap is not read. */
  huge_url = g_strdup_printf ("%s?state=%s&code=x&pad=%s", fixture->redirect_uri, state, padding);
  page = browser_get (fixture, huge_url);
  g_assert_cmpuint (page->status, ==, 414);
  assert_listener_page (page);
  assert_still_waiting (fixture, wait);

  /* A large body is neither kept nor answered with anything but a refusal. */
  posted = browser_request (fixture, "POST", fixture->redirect_uri, "text/plain", huge_body);
  g_assert_no_error (posted->error);
  g_assert_cmpuint (posted->status, ==, 405);
  assert_still_waiting (fixture, wait);

  /* DNS rebinding: a page of another site that resolves to 127.0.0.1. */
  request = g_strdup_printf ("GET /callback/simulator?state=%s&code=x HTTP/1.1\r\n"
                             "Host: attacker.example:%u\r\n\r\n", state, fixture->port);
  rebound = raw_request (fixture->port, request);
  g_assert_true (g_str_has_prefix (rebound, "HTTP/1.1 421"));
  assert_still_waiting (fixture, wait);

  finish_successfully (fixture, flow, wait);
}

static void
test_port_in_use (OAuthFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSocketListener) blocker = g_socket_listener_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1",
                                                                             fixture->port);
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumOAuthFlow) later = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) wait_error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", fixture->port);

  g_socket_listener_add_address (blocker, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (fulcrum_oauth_flow_start (flow, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_PORT_IN_USE);
  g_assert_nonnull (strstr (error->message, port));

  /* No other port instead: nothing to open, the redirect URI unchanged, and waiting
   * reports the same error. */
  g_assert_null (fulcrum_oauth_flow_get_authorize_url (flow));
  g_assert_cmpstr (fulcrum_oauth_flow_get_redirect_uri (flow), ==, fixture->redirect_uri);
  tokens = flow_wait (flow, NULL, &wait_error);
  g_assert_null (tokens);
  g_assert_error (wait_error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_PORT_IN_USE);

  /* Once the port is free, a new flow gets it. */
  g_socket_listener_close (blocker);
  later = oauth_fixture_new_flow (fixture);
  start_flow (later);
  g_assert_true (is_listening ("127.0.0.1", fixture->port));
  fulcrum_oauth_flow_cancel (later);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_nothing_listening (fixture->port);
}

static void
test_timeout (OAuthFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;

  fulcrum_oauth_flow_set_timeout (flow, 1);
  start_flow (flow);
  tokens = flow_wait (flow, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "Lever did not redirect back"));
  g_assert_nonnull (strstr (error->message, fixture->redirect_uri));
  assert_nothing_listening (fixture->port);
}

static void
test_timeout_after_refusal (OAuthFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(BrowserPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *forged = NULL;
  FlowWait *wait;

  fulcrum_oauth_flow_set_timeout (flow, 1);
  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  forged = g_strdup_printf ("%s?code=abc&state=forged", fixture->redirect_uri);
  page = browser_get (fixture, forged);
  g_assert_cmpuint (page->status, ==, 400);

  /* The message still names the callback URL, and tells about the refused answer. */
  tokens = flow_wait_end (wait, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, fixture->redirect_uri));
  g_assert_nonnull (strstr (error->message, "state does not match"));
  assert_nothing_listening (fixture->port);
}

static void
test_cancel (OAuthFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumOAuthFlow) other = oauth_fixture_new_flow (fixture);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) other_error = NULL;
  FlowWait *wait;

  /* Through the wait's cancellable. */
  start_flow (flow);
  wait = flow_wait_begin (flow, cancellable);
  g_assert_true (is_listening ("127.0.0.1", fixture->port));
  g_cancellable_cancel (cancellable);
  tokens = flow_wait_end (wait, &error);
  g_assert_null (tokens);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED);
  assert_nothing_listening (fixture->port);

  /* Through fulcrum_oauth_flow_cancel(), e.g. the dialog's Cancel button. */
  start_flow (other);
  wait = flow_wait_begin (other, NULL);
  fulcrum_oauth_flow_cancel (other);
  assert_nothing_listening (fixture->port);
  tokens = flow_wait_end (wait, &other_error);
  g_assert_null (tokens);
  g_assert_error (other_error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED);
  g_assert_cmpint (sim_code_requests (fixture), ==, 0);
}

static void
test_lever_error_codes (OAuthFixture  *fixture,
                        gconstpointer  data)
{
  static const struct {
    const char *error;
    int         code;
  } cases[] = {
    { "access_denied", FULCRUM_OAUTH_ERROR_ACCESS_DENIED },
    { "invalid_scope", FULCRUM_OAUTH_ERROR_REJECTED },
    { "invalid_request", FULCRUM_OAUTH_ERROR_REJECTED },
    { "unauthorized_client", FULCRUM_OAUTH_ERROR_INVALID_CLIENT },
    { "server_error", FULCRUM_OAUTH_ERROR_TRANSIENT },
    { "temporarily_unavailable", FULCRUM_OAUTH_ERROR_TRANSIENT },
    { "login_required", FULCRUM_OAUTH_ERROR_AUTHORIZATION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
      g_autoptr(FulcrumTokenSet) tokens = NULL;
      g_autoptr(BrowserPage) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *state = NULL;
      g_autofree char *url = NULL;
      FlowWait *wait;

      start_flow (flow);
      wait = flow_wait_begin (flow, NULL);
      state = flow_state (flow);
      url = g_strdup_printf ("%s?error=%s&error_description=%s&state=%s", fixture->redirect_uri,
                             cases[i].error, "The+admin+has+not+logged+into+Lever+recently",
                             state);
      page = browser_get (fixture, url);
      g_assert_cmpuint (page->status, ==, 400);
      assert_listener_page (page);

      tokens = flow_wait_end (wait, &error);
      g_assert_error (error, FULCRUM_OAUTH_ERROR, cases[i].code);
      /* Lever's words, as they are. */
      g_assert_nonnull (strstr (error->message, "The admin has not logged into Lever recently"));
      assert_nothing_listening (fixture->port);
    }
  g_assert_cmpint (sim_code_requests (fixture), ==, 0);
}

static void
test_issuer (OAuthFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumOAuthFlow) honest = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(FulcrumTokenSet) honest_tokens = NULL;
  g_autoptr(BrowserPage) page = NULL;
  g_autoptr(BrowserPage) honest_page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *mixed_up = NULL;
  g_autofree char *honest_location = NULL;
  g_autofree char *with_iss = NULL;
  g_autofree char *sim_origin = g_strconcat (fulcrum_sim_server_get_base_url (fixture->sim), "/",
                                             NULL);
  FlowWait *wait;

  /* RFC 9207: an answer that names another server is a mix-up, even with our state. */
  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (flow), "allow");
  mixed_up = url_set_param (location, "iss", "https://auth.attacker.example/");
  page = browser_get (fixture, mixed_up);
  g_assert_cmpuint (page->status, ==, 400);
  tokens = flow_wait_end (wait, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_AUTHORIZATION);
  g_assert_nonnull (strstr (error->message, "auth.attacker.example"));
  g_assert_cmpint (sim_code_requests (fixture), ==, 0);
  assert_nothing_listening (fixture->port);

  /* The environment's own issuer is fine. */
  start_flow (honest);
  wait = flow_wait_begin (honest, NULL);
  honest_location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (honest), "allow");
  with_iss = url_set_param (honest_location, "iss", sim_origin);
  honest_page = browser_get (fixture, with_iss);
  g_assert_cmpuint (honest_page->status, ==, 200);
  honest_tokens = flow_wait_end (wait, NULL);
  g_assert_nonnull (honest_tokens);
}

static void
test_ipv6 (OAuthFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(BrowserPage) page = NULL;
  g_autofree char *location = NULL;
  g_autofree char *v4_prefix = NULL;
  g_autofree char *v6_location = NULL;
  FlowWait *wait;

  if (!has_ipv6_loopback ())
    {
      g_test_skip ("no IPv6 loopback on this machine");
      return;
    }

  start_flow (flow);
  g_assert_true (is_listening ("::1", fixture->port));
  wait = flow_wait_begin (flow, NULL);
  location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (flow), "allow");
  v4_prefix = g_strdup_printf ("http://127.0.0.1:%u/", fixture->port);
  g_assert_true (g_str_has_prefix (location, v4_prefix));
  v6_location = g_strdup_printf ("http://[::1]:%u/%s", fixture->port, location + strlen (v4_prefix));
  page = browser_get (fixture, v6_location);
  g_assert_cmpuint (page->status, ==, 200);
  tokens = flow_wait_end (wait, NULL);
  g_assert_nonnull (tokens);
  assert_nothing_listening (fixture->port);
}

static char *
find_external_ipv4 (void)
{
  struct ifaddrs *addresses = NULL;
  char *found = NULL;

  if (getifaddrs (&addresses) != 0)
    return NULL;

  for (struct ifaddrs *a = addresses; a != NULL && found == NULL; a = a->ifa_next)
    {
      g_autoptr(GSocketAddress) address = NULL;
      GInetAddress *inet;

      if (a->ifa_addr == NULL || a->ifa_addr->sa_family != AF_INET)
        continue;
      address = g_socket_address_new_from_native (a->ifa_addr, sizeof (struct sockaddr_in));
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
      if (!g_inet_address_get_is_loopback (inet))
        found = g_inet_address_to_string (inet);
    }

  freeifaddrs (addresses);
  return found;
}

static void
test_loopback_only (OAuthFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autofree char *external = find_external_ipv4 ();

  start_flow (flow);
  g_assert_true (is_listening ("127.0.0.1", fixture->port));
  if (external == NULL)
    {
      fulcrum_oauth_flow_cancel (flow);
      g_test_skip ("no non-loopback IPv4 address to try");
      return;
    }

  /* Not 0.0.0.0: the machine's other addresses do not reach the listener. */
  g_test_message ("trying %s", external);
  g_assert_false (is_listening (external, fixture->port));
  fulcrum_oauth_flow_cancel (flow);
}

/* A custom environment whose token endpoint is scripted, to see the token request. */
static FulcrumOAuthFlow *
new_flow_with_token_endpoint (OAuthFixture           *fixture,
                              TokenEndpoint          *endpoint,
                              FulcrumConnectorProfile **profile_out)
{
  g_autoptr(FulcrumEnvironment) environment = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;

  environment = fulcrum_environment_new_custom ("sim-proxy", "Scripted token endpoint",
                                                fulcrum_sim_server_get_authorize_url (fixture->sim),
                                                endpoint->url,
                                                fulcrum_sim_server_get_audience (fixture->sim),
                                                fulcrum_sim_server_get_api_base (fixture->sim),
                                                10.0, 20, &error);
  g_assert_no_error (error);
  redirect = fulcrum_connector_profile_default_redirect_uri ("sim-proxy", fixture->port);
  profile = fulcrum_connector_profile_new ("scripted", "sim-proxy");
  fulcrum_connector_profile_set_name (profile, "Scripted");
  fulcrum_connector_profile_set_client_id (profile, OAUTH_TEST_CLIENT_ID);
  fulcrum_connector_profile_set_scopes (profile,
                                        fulcrum_connector_profile_get_scopes (fixture->profile),
                                        &error);
  g_assert_no_error (error);
  fulcrum_connector_profile_set_redirect_uri (profile, redirect);
  if (profile_out != NULL)
    *profile_out = g_object_ref (profile);

  return fulcrum_oauth_flow_new (environment, profile, OAUTH_TEST_CLIENT_SECRET);
}

static FulcrumTokenSet *
exchange_with (OAuthFixture     *fixture,
               FulcrumOAuthFlow *flow,
               const char       *code,
               GError          **error)
{
  g_autoptr(BrowserPage) page = NULL;
  g_autofree char *state = NULL;
  g_autofree char *url = NULL;
  FlowWait *wait;

  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  state = flow_state (flow);
  url = g_strdup_printf ("%s?code=%s&state=%s", fulcrum_oauth_flow_get_redirect_uri (flow),
                         code, state);
  page = browser_get (fixture, url);
  g_assert_cmpuint (page->status, ==, 200);

  return flow_wait_end (wait, error);
}

static void
test_token_request (OAuthFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(TokenEndpoint) endpoint = NULL;
  g_autoptr(FulcrumOAuthFlow) flow = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GHashTable) authorize = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *challenge = NULL;
  const char *verifier;

  endpoint = token_endpoint_new (200, "application/json",
                                 "{\"access_token\":\"at-scripted\",\"refresh_token\":\"rt-scripted\","
                                 "\"token_type\":\"Bearer\",\"expires_in\":3600}");
  flow = new_flow_with_token_endpoint (fixture, endpoint, &profile);
  tokens = exchange_with (fixture, flow, "code-0123456789", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "at-scripted");
  g_assert_cmpstr (tokens->refresh_token, ==, "rt-scripted");
  g_assert_null (tokens->scope);

  /* A form POST with exactly these fields, JSON asked for. */
  g_assert_cmpuint (endpoint->n_requests, ==, 1);
  g_assert_cmpstr (endpoint->request_content_type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpstr (endpoint->accept, ==, "application/json");
  g_assert_cmpuint (g_hash_table_size (endpoint->form), ==, 6);
  g_assert_cmpstr (g_hash_table_lookup (endpoint->form, "grant_type"), ==, "authorization_code");
  g_assert_cmpstr (g_hash_table_lookup (endpoint->form, "client_id"), ==, OAUTH_TEST_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (endpoint->form, "client_secret"), ==,
                   OAUTH_TEST_CLIENT_SECRET);
  g_assert_cmpstr (g_hash_table_lookup (endpoint->form, "code"), ==, "code-0123456789");

  /* The redirect URI byte-identical in both requests. */
  authorize = url_get_params (fulcrum_oauth_flow_get_authorize_url (flow));
  g_assert_cmpstr (g_hash_table_lookup (endpoint->form, "redirect_uri"), ==,
                   fulcrum_connector_profile_get_redirect_uri (profile));
  g_assert_cmpstr (g_hash_table_lookup (endpoint->form, "redirect_uri"), ==,
                   g_hash_table_lookup (authorize, "redirect_uri"));

  /* PKCE: 43 base64url characters, and the challenge sent was S256 of it. */
  verifier = g_hash_table_lookup (endpoint->form, "code_verifier");
  assert_base64url (verifier, 43);
  challenge = s256 (verifier);
  g_assert_cmpstr (challenge, ==, g_hash_table_lookup (authorize, "code_challenge"));
  g_assert_cmpstr (g_hash_table_lookup (authorize, "code_challenge_method"), ==, "S256");
}

static void
test_token_errors (OAuthFixture  *fixture,
                   gconstpointer  data)
{
  static const struct {
    guint       status;
    const char *content_type;
    const char *body;
    int         code;
  } cases[] = {
    { 400, "application/json", "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code\"}", FULCRUM_OAUTH_ERROR_INVALID_GRANT },
    { 200, "application/json", "{\"error\":\"invalid_grant\"}", FULCRUM_OAUTH_ERROR_INVALID_GRANT },
    { 401, "application/json", "{\"error\":\"invalid_client\"}", FULCRUM_OAUTH_ERROR_INVALID_CLIENT },
    { 503, "text/html", "<html><body>Service Unavailable</body></html>", FULCRUM_OAUTH_ERROR_TRANSIENT },
    { 200, "text/html", "<!DOCTYPE html><html><body>Log in</body></html>", FULCRUM_OAUTH_ERROR_INVALID_RESPONSE },
    { 200, "application/json", "{\"token_type\":\"Bearer\"}", FULCRUM_OAUTH_ERROR_INVALID_RESPONSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TokenEndpoint) endpoint = token_endpoint_new (cases[i].status,
                                                              cases[i].content_type,
                                                              cases[i].body);
      g_autoptr(FulcrumOAuthFlow) flow = new_flow_with_token_endpoint (fixture, endpoint, NULL);
      g_autoptr(FulcrumTokenSet) tokens = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("HTTP %u: %s", cases[i].status, cases[i].body);
      tokens = exchange_with (fixture, flow, "code-x", &error);
      g_assert_null (tokens);
      g_assert_error (error, FULCRUM_OAUTH_ERROR, cases[i].code);
      g_assert_cmpuint (endpoint->n_requests, ==, 1);
      assert_nothing_listening (fixture->port);
    }
}

static void
test_token_endpoint_unreachable (OAuthFixture  *fixture,
                                 gconstpointer  data)
{
  g_autoptr(TokenEndpoint) endpoint = token_endpoint_new (200, "application/json", "{}");
  g_autoptr(FulcrumOAuthFlow) flow = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;

  flow = new_flow_with_token_endpoint (fixture, endpoint, NULL);
  /* Nothing answers there any more. */
  soup_server_disconnect (endpoint->server);
  tokens = exchange_with (fixture, flow, "code-x", &error);
  g_assert_null (tokens);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT);
  assert_nothing_listening (fixture->port);
}

static void
test_wrong_client_secret (OAuthFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = fulcrum_oauth_flow_new (fixture->environment, fixture->profile,
                                                             "not-the-secret");
  g_autoptr(BrowserPage) page = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  FlowWait *wait;

  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  page = consent_and_follow (fixture, flow, "allow", NULL);
  tokens = flow_wait_end (wait, &error);
  g_assert_null (tokens);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_CLIENT);
  g_assert_nonnull (strstr (error->message, "client secret"));
  g_assert_null (strstr (error->message, "not-the-secret"));
}

static void
test_misconfigured (OAuthFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) no_secret = fulcrum_oauth_flow_new (fixture->environment,
                                                                  fixture->profile, NULL);
  g_autoptr(FulcrumEnvironment) sandbox = fulcrum_environment_new_builtin (FULCRUM_ENVIRONMENT_KIND_SANDBOX);
  g_autoptr(FulcrumOAuthFlow) other_environment = fulcrum_oauth_flow_new (sandbox, fixture->profile,
                                                                          OAUTH_TEST_CLIENT_SECRET);
  g_autoptr(FulcrumOAuthFlow) twice = oauth_fixture_new_flow (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_false (fulcrum_oauth_flow_start (no_secret, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED);
  g_clear_error (&error);

  /* A profile's credentials never go to another environment. */
  g_assert_false (fulcrum_oauth_flow_start (other_environment, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED);
  g_clear_error (&error);
  assert_nothing_listening (fixture->port);

  start_flow (twice);
  g_assert_false (fulcrum_oauth_flow_start (twice, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED);
  fulcrum_oauth_flow_cancel (twice);
}

static void
test_paste (OAuthFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *wrong_state = NULL;
  g_autofree char *no_answer = NULL;
  g_autofree char *padded = NULL;
  FlowWait *wait;

  fulcrum_connector_profile_set_redirect_uri (fixture->profile, OAUTH_TEST_PASTE_URI);
  flow = oauth_fixture_new_flow (fixture);
  g_assert_false (fulcrum_oauth_flow_get_uses_loopback (flow));
  start_flow (flow);
  assert_nothing_listening (fixture->port);
  wait = flow_wait_begin (flow, NULL);

  location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (flow), "allow");
  g_assert_true (g_str_has_prefix (location, OAUTH_TEST_PASTE_URI "?"));

  /* Another address, a wrong state, no answer at all: refused, the wait goes on. */
  elsewhere = g_strconcat ("https://attacker.example/callback/simulator",
                           strchr (location, '?'), NULL);
  g_assert_false (fulcrum_oauth_flow_submit_redirect_url (flow, elsewhere, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  wrong_state = url_set_param (location, "state", "forged");
  g_assert_false (fulcrum_oauth_flow_submit_redirect_url (flow, wrong_state, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_STATE_MISMATCH);
  g_clear_error (&error);

  no_answer = g_strdup (OAUTH_TEST_PASTE_URI);
  g_assert_false (fulcrum_oauth_flow_submit_redirect_url (flow, no_answer, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (flow_wait_is_done (wait));
  g_assert_cmpint (sim_code_requests (fixture), ==, 0);

  /* The address as copied from the browser, blanks around it. */
  padded = g_strdup_printf ("  %s\n", location);
  g_assert_true (fulcrum_oauth_flow_submit_redirect_url (flow, padded, &error));
  g_assert_no_error (error);
  tokens = flow_wait_end (wait, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpint (sim_code_requests (fixture), ==, 1);

  /* Single use. */
  g_assert_false (fulcrum_oauth_flow_submit_redirect_url (flow, location, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_STATE_MISMATCH);
  g_assert_cmpint (sim_code_requests (fixture), ==, 1);
}

static void
test_paste_denied (OAuthFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) wait_error = NULL;
  g_autofree char *location = NULL;
  FlowWait *wait;

  fulcrum_connector_profile_set_redirect_uri (fixture->profile, OAUTH_TEST_PASTE_URI);
  flow = oauth_fixture_new_flow (fixture);
  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (flow), "deny");

  g_assert_false (fulcrum_oauth_flow_submit_redirect_url (flow, location, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_ACCESS_DENIED);
  tokens = flow_wait_end (wait, &wait_error);
  g_assert_error (wait_error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_ACCESS_DENIED);
}

static void
test_paste_on_loopback (OAuthFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  FlowWait *wait;

  /* The browser could not reach the listener (another machine, a sandbox): the user
   * pastes the address instead, and the listener closes as for a redirect. */
  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (flow), "allow");
  g_assert_true (fulcrum_oauth_flow_submit_redirect_url (flow, location, &error));
  g_assert_no_error (error);
  assert_nothing_listening (fixture->port);
  tokens = flow_wait_end (wait, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpint (sim_code_requests (fixture), ==, 1);
}

static void
test_cancel_during_exchange (OAuthFixture  *fixture,
                             gconstpointer  data)
{
  g_autoptr(TokenEndpoint) endpoint = token_endpoint_new (0, NULL, "");
  g_autoptr(FulcrumOAuthFlow) flow = new_flow_with_token_endpoint (fixture, endpoint, NULL);
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(BrowserPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *url = NULL;
  FlowWait *wait;

  start_flow (flow);
  wait = flow_wait_begin (flow, NULL);
  state = flow_state (flow);
  url = g_strdup_printf ("%s?code=code-x&state=%s", fulcrum_oauth_flow_get_redirect_uri (flow),
                         state);
  page = browser_get (fixture, url);
  g_assert_cmpuint (page->status, ==, 200);

  /* The token endpoint got the request and hangs; Cancel ends it at once. */
  while (endpoint->n_requests == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (flow_wait_is_done (wait));
  fulcrum_oauth_flow_cancel (flow);
  tokens = flow_wait_end (wait, &error);
  g_assert_null (tokens);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED);
  assert_nothing_listening (fixture->port);
}

static void
test_paste_without_flow (OAuthFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s?code=abc&state=def", fixture->redirect_uri);

  /* A state arrives, but none was sent. */
  g_assert_false (fulcrum_oauth_flow_submit_redirect_url (flow, url, &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_STATE_MISMATCH);
  g_assert_cmpint (sim_code_requests (fixture), ==, 0);
}

static void
add_test (const char *path,
          void (*func) (OAuthFixture *, gconstpointer))
{
  g_test_add (path, OAuthFixture, NULL, oauth_fixture_setup, func, oauth_fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  add_test ("/oauth/flow/authorize-url", test_authorize_url);
  add_test ("/oauth/flow/success", test_success);
  add_test ("/oauth/flow/deny", test_deny);
  add_test ("/oauth/flow/state-refused", test_state_refused);
  add_test ("/oauth/flow/second-flow-cancels-first", test_second_flow_cancels_first);
  add_test ("/oauth/flow/stray-requests", test_stray_requests);
  add_test ("/oauth/flow/request-too-large", test_request_too_large);
  add_test ("/oauth/flow/port-in-use", test_port_in_use);
  add_test ("/oauth/flow/timeout", test_timeout);
  add_test ("/oauth/flow/timeout-after-refusal", test_timeout_after_refusal);
  add_test ("/oauth/flow/cancel", test_cancel);
  add_test ("/oauth/flow/lever-error-codes", test_lever_error_codes);
  add_test ("/oauth/flow/issuer", test_issuer);
  add_test ("/oauth/flow/ipv6", test_ipv6);
  add_test ("/oauth/flow/loopback-only", test_loopback_only);
  add_test ("/oauth/flow/token-request", test_token_request);
  add_test ("/oauth/flow/token-errors", test_token_errors);
  add_test ("/oauth/flow/token-endpoint-unreachable", test_token_endpoint_unreachable);
  add_test ("/oauth/flow/wrong-client-secret", test_wrong_client_secret);
  add_test ("/oauth/flow/misconfigured", test_misconfigured);
  add_test ("/oauth/flow/paste", test_paste);
  add_test ("/oauth/flow/paste-denied", test_paste_denied);
  add_test ("/oauth/flow/paste-without-flow", test_paste_without_flow);
  add_test ("/oauth/flow/paste-on-loopback", test_paste_on_loopback);
  add_test ("/oauth/flow/cancel-during-exchange", test_cancel_during_exchange);

  return g_test_run ();
}
