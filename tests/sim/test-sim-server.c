/* test-sim-server.c: listening, threads, the _sim endpoints, persistence, fulcrumctl sim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "fulcrum-test-util.h"
#include "sim-test-common.h"

static const char *fulcrumctl_path;

typedef struct
{
  GBytes   *body;
  guint     status;
  gboolean  done;
} AsyncGet;

static void
async_get_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncGet *get = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  get->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  get->status = soup_message_get_status (msg);
  get->done = TRUE;
}

/* In the caller's main context: the client must be asynchronous. */
static JsonNode *
get_json_async (SoupSession *session,
                const char  *url,
                guint       *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  AsyncGet get = { 0 };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, async_get_cb, &get);
  fulcrum_test_wait_for (&get.done, 10000);
  *status = get.status;
  g_assert_nonnull (get.body);
  json_parser_load_from_data (parser, g_bytes_get_data (get.body, NULL),
                              g_bytes_get_size (get.body), &error);
  g_assert_no_error (error);
  g_bytes_unref (get.body);
  return json_parser_steal_root (parser);
}

static void
test_listen_in_context (void)
{
  g_autoptr(FulcrumSimServer) server = fulcrum_sim_server_new ();
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  guint status = 0;
  guint port;

  fulcrum_sim_server_set_n_opportunities (server, 30);
  g_assert_false (fulcrum_sim_server_is_running (server));
  g_assert_true (fulcrum_sim_server_listen (server, 0, &error));
  g_assert_no_error (error);
  g_assert_true (fulcrum_sim_server_is_running (server));

  port = fulcrum_sim_server_get_port (server);
  g_assert_cmpuint (port, >, 0);
  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_assert_cmpstr (fulcrum_sim_server_get_base_url (server), ==, base);
  url = g_strconcat (base, "/authorize", NULL);
  g_assert_cmpstr (fulcrum_sim_server_get_authorize_url (server), ==, url);
  g_clear_pointer (&url, g_free);
  url = g_strconcat (base, "/oauth/token", NULL);
  g_assert_cmpstr (fulcrum_sim_server_get_token_url (server), ==, url);
  g_clear_pointer (&url, g_free);
  url = g_strconcat (base, "/v1", NULL);
  g_assert_cmpstr (fulcrum_sim_server_get_api_base (server), ==, url);
  g_clear_pointer (&url, g_free);
  /* the audience keeps its trailing slash, like Lever's */
  url = g_strconcat (base, "/v1/", NULL);
  g_assert_cmpstr (fulcrum_sim_server_get_audience (server), ==, url);
  g_clear_pointer (&url, g_free);

  url = g_strconcat (base, "/_sim/info", NULL);
  info = get_json_async (session, url, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (info), "simulator"), ==,
                   "fulcrum");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (info), "key_id"), ==,
                   fulcrum_sim_server_get_key_id (server));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (info), "version"), ==, 1);

  /* the default latency is Lever's: the main context keeps running meanwhile */
  g_clear_pointer (&url, g_free);
  url = g_strconcat (base, "/v1/users", NULL);
  page = get_json_async (session, url, &status);
  g_assert_cmpuint (status, ==, 401);

  fulcrum_sim_server_stop (server);
  g_assert_false (fulcrum_sim_server_is_running (server));
  g_assert_null (fulcrum_sim_server_get_base_url (server));

  /* and again */
  g_assert_true (fulcrum_sim_server_listen (server, 0, &error));
  g_assert_no_error (error);
  g_assert_false (fulcrum_sim_server_listen (server, 0, &error));
  g_assert_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_RUNNING);
}

static void
test_port_in_use (void)
{
  SimFixture fixture = { 0 };
  g_autoptr(FulcrumSimServer) second = fulcrum_sim_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  guint used;

  sim_fixture_setup (&fixture, 10);
  used = fulcrum_sim_server_get_port (fixture.server);
  port = g_strdup_printf ("%u", used);

  g_assert_false (fulcrum_sim_server_start_thread (second, used, &error));
  g_assert_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_LISTEN);
  g_assert_nonnull (strstr (error->message, port));
  g_assert_false (fulcrum_sim_server_is_running (second));
  g_clear_error (&error);

  g_assert_false (fulcrum_sim_server_listen (second, used, &error));
  g_assert_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_LISTEN);

  sim_fixture_teardown (&fixture);
}

static void
test_stats (void)
{
  SimFixture fixture = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(SimResponse) stats = NULL;
  g_autoptr(SimResponse) reset = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  sim_fixture_setup (&fixture, 10);
  token = sim_access_token (&fixture, "offline_access users:read:admin");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SimResponse) ok = sim_get (&fixture, "/v1/users", token);
      g_autoptr(SimResponse) denied = sim_get (&fixture, "/v1/postings", token);
    }

  stats = sim_get (&fixture, "/_sim/stats", NULL);
  g_assert_cmpuint (stats->status, ==, 200);
  node = sim_response_json (stats);
  object = json_node_get_object (node);
  /* authorize, decision, token, then 6 API requests; /_sim is not counted */
  g_assert_cmpint (json_object_get_int_member (object, "requests"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (object, "api_requests"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "responses"),
                                               "403"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "responses"),
                                               "302"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     object, "token_requests"), "authorization_code"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "pages"), ==, 3);
  g_assert_true (json_object_has_member (object, "rate_limited"));
  g_assert_true (json_object_has_member (object, "refresh_tokens_rotated"));
  g_assert_true (json_object_has_member (object, "families_revoked"));
  g_assert_true (json_object_has_member (json_object_get_object_member (object, "faults"),
                                         "reset"));

  reset = sim_request (&fixture, "POST", "/_sim/reset-stats", NULL, NULL, NULL);
  g_assert_cmpuint (reset->status, ==, 200);
  g_assert_cmpint (sim_stat (&fixture, "requests"), ==, 0);
  g_assert_cmpint (sim_stat (&fixture, "responses.403"), ==, 0);

  sim_fixture_teardown (&fixture);
}

static void
start_with_state (SimFixture *fixture,
                  const char *state_file)
{
  static const char * const redirect_uris[] = { SIM_TEST_REDIRECT_URI, NULL };
  g_autoptr(GError) error = NULL;

  fixture->server = fulcrum_sim_server_new ();
  fulcrum_sim_server_set_n_opportunities (fixture->server, 20);
  fulcrum_sim_server_set_latency (fixture->server, 0, 0.0);
  fulcrum_sim_server_set_state_file (fixture->server, state_file);
  fulcrum_sim_server_add_app (fixture->server, SIM_TEST_CLIENT_ID, SIM_TEST_CLIENT_SECRET,
                              redirect_uris, NULL);
  g_assert_true (fulcrum_sim_server_start_thread (fixture->server, 0, &error));
  g_assert_no_error (error);
  fixture->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
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

static void
test_persistence (void)
{
  g_autofree char *state_file = g_build_filename (fulcrum_test_get_root (), "sim",
                                                  "state.json", NULL);
  g_autofree char *dir = g_path_get_dirname (state_file);
  SimFixture first = { 0 };
  SimFixture second = { 0 };
  SimFixture third = { 0 };
  g_autoptr(JsonNode) tokens = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh_token = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *found = NULL;

  start_with_state (&first, state_file);
  key_id = g_strdup (fulcrum_sim_server_get_key_id (first.server));
  tokens = sim_link (&first, "offline_access users:read:admin");
  access = g_strdup (json_object_get_string_member (json_node_get_object (tokens),
                                                    "access_token"));
  refresh_token = g_strdup (json_object_get_string_member (json_node_get_object (tokens),
                                                           "refresh_token"));
  sim_fixture_teardown (&first);

  /* hashes only: no token and no client secret in the file */
  g_assert_true (g_file_get_contents (state_file, &contents, NULL, NULL));
  g_assert_null (strstr (contents, access));
  g_assert_null (strstr (contents, refresh_token));
  g_assert_null (strstr (contents, SIM_TEST_CLIENT_SECRET));
  g_assert_false (fulcrum_test_dir_contains (dir, refresh_token, &found));

  /* the app starts the simulator again: the linked account keeps working */
  start_with_state (&second, state_file);
  g_assert_cmpstr (fulcrum_sim_server_get_key_id (second.server), ==, key_id);
  {
    g_autoptr(SimResponse) api = sim_get (&second, "/v1/users", access);
    g_autoptr(SimResponse) rotated = refresh (&second, refresh_token);

    g_assert_cmpuint (api->status, ==, 200);
    g_assert_cmpuint (rotated->status, ==, 200);
  }
  sim_fixture_teardown (&second);

  /* and a rotated token stays rotated */
  start_with_state (&third, state_file);
  {
    g_autoptr(SimResponse) replay = refresh (&third, refresh_token);
    g_autoptr(SimResponse) api = sim_get (&third, "/v1/users", access);

    g_assert_cmpuint (replay->status, ==, 400);
    /* the replay revoked the family, and that was saved too */
    g_assert_cmpuint (api->status, ==, 401);
  }
  sim_fixture_teardown (&third);

  /* a file that cannot be used is an error, not a fresh start that drops the links */
  g_assert_true (g_file_set_contents (state_file, "{ not json", -1, NULL));
  {
    g_autoptr(FulcrumSimServer) server = fulcrum_sim_server_new ();
    g_autoptr(GError) error = NULL;

    fulcrum_sim_server_set_state_file (server, state_file);
    g_assert_false (fulcrum_sim_server_start_thread (server, 0, &error));
    g_assert_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_STATE_FILE);
  }
}

typedef struct
{
  char     *url;
  GError   *error;
  gboolean  done;
} PendingGet;

static gpointer
pending_get_thread (gpointer data)
{
  PendingGet *get = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 20, NULL);
  msg = soup_message_new ("GET", get->url);
  body = soup_session_send_and_read (session, msg, NULL, &get->error);
  g_atomic_int_set (&get->done, TRUE);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_stop_with_pending (void)
{
  SimFixture fixture = { 0 };
  PendingGet get = { 0 };
  GThread *thread;

  sim_fixture_setup (&fixture, 10);
  fulcrum_sim_server_set_latency (fixture.server, 60000, 0.0);
  get.url = sim_url (&fixture, "/v1/users");
  thread = g_thread_new ("pending", pending_get_thread, &get);
  while (sim_stat (&fixture, "api_requests") < 1)
    g_usleep (1000);

  /* a response waiting for its latency does not hold the server up, nor crash it */
  sim_fixture_teardown (&fixture);
  g_thread_join (thread);
  g_assert_true (get.done);
  g_assert_nonnull (get.error);
  g_clear_error (&get.error);
  g_free (get.url);
}

static void
test_thread_start_stop (void)
{
  g_autoptr(FulcrumSimServer) server = fulcrum_sim_server_new ();

  fulcrum_sim_server_set_n_opportunities (server, 2000);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;

      /* stopped while it still generates its data */
      g_assert_true (fulcrum_sim_server_start_thread (server, 0, &error));
      g_assert_no_error (error);
      g_assert_true (fulcrum_sim_server_is_running (server));
      fulcrum_sim_server_stop (server);
      g_assert_false (fulcrum_sim_server_is_running (server));
      g_assert_cmpuint (fulcrum_sim_server_get_port (server), ==, 0);
    }
  /* dispose stops a running server too */
  g_assert_true (fulcrum_sim_server_start_thread (server, 0, NULL));
}

static void
test_fulcrumctl_serve (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stdout_lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *line = NULL;
  g_autofree char *info_url = NULL;
  JsonObject *endpoints;
  SimFixture client = { 0 };

  if (fulcrumctl_path == NULL)
    {
      g_test_skip ("fulcrumctl was not built");
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, fulcrumctl_path, "sim",
                              "serve", "--port", "0", "--opportunities", "50", "--seed", "7",
                              "--latency-ms", "0", "--no-rate-limit", "--fault", "500:0.5",
                              "--client-id", "cli-app", "--client-secret", "cli-secret",
                              "--redirect-uri", "http://127.0.0.1:1234/cb",
                              "--redirect-uri", "http://127.0.0.1:1234/cb2", NULL);
  g_assert_no_error (error);
  stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (stdout_lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  /* one JSON line with the endpoints and the app */
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  endpoints = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (endpoints, "url"),
                                   "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (endpoints, "authorize_url"),
                                   "/authorize"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (endpoints, "token_url"),
                                   "/oauth/token"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (endpoints, "api_base"), "/v1"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (endpoints, "audience"), "/v1/"));
  g_assert_cmpstr (json_object_get_string_member (endpoints, "client_id"), ==, "cli-app");
  g_assert_cmpstr (json_object_get_string_member (endpoints, "client_secret"), ==, "cli-secret");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (endpoints,
                                                                         "redirect_uris")), ==, 2);

  client.session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  info_url = g_strconcat (json_object_get_string_member (endpoints, "url"), "/_sim/info", NULL);
  {
    g_autoptr(SimResponse) info = sim_get (&client, info_url, NULL);
    g_autoptr(SimResponse) token = NULL;
    g_autofree char *token_url = g_strdup (json_object_get_string_member (endpoints,
                                                                          "token_url"));
    g_autoptr(JsonNode) body = NULL;

    g_assert_cmpuint (info->status, ==, 200);
    /* the app is registered with that secret */
    token = sim_request (&client, "POST", token_url, NULL, "application/x-www-form-urlencoded",
                         "grant_type=refresh_token&client_id=cli-app&client_secret=cli-secret"
                         "&refresh_token=x");
    g_assert_cmpuint (token->status, ==, 400);
    body = sim_response_json (token);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "error"), ==,
                     "invalid_grant");
  }
  g_clear_object (&client.session);

  /* a second one on the same port fails, and says a simulator already runs there */
  {
    const char *url = json_object_get_string_member (endpoints, "url");
    g_autofree char *port = g_strdup (strrchr (url, ':') + 1);
    g_autoptr(GSubprocess) second = NULL;
    g_autofree char *err = NULL;

    second = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error, fulcrumctl_path, "sim", "serve", "--port", port,
                               "--opportunities", "5", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (second, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 1);
    g_assert_nonnull (strstr (err, port));
    g_assert_nonnull (strstr (err, "Fulcrum simulator"));
  }

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_fulcrumctl_usage (void)
{
  const char *bad[][4] = {
    { "--fault", "explode:0.5", NULL },
    { "--fault", "500:2", NULL },
    { "--latency-ms", "fast", NULL },
    { "--rate", "5", "--no-rate-limit", NULL },
    { "--client-secret", "only", NULL },
    { "--port", "70000", NULL },
    { "--seed", "-3", NULL },
  };

  if (fulcrumctl_path == NULL)
    {
      g_test_skip ("fulcrumctl was not built");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (args, (gpointer) fulcrumctl_path);
      g_ptr_array_add (args, (gpointer) "sim");
      g_ptr_array_add (args, (gpointer) "serve");
      for (guint j = 0; bad[i][j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) bad[i][j]);
      g_ptr_array_add (args, NULL);
      process = g_subprocess_newv ((const char * const *) args->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      g_assert_no_error (error);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
    }
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  if (argc > 1)
    fulcrumctl_path = argv[1];

  g_test_add_func ("/sim/server/listen-in-context", test_listen_in_context);
  g_test_add_func ("/sim/server/port-in-use", test_port_in_use);
  g_test_add_func ("/sim/server/stats", test_stats);
  g_test_add_func ("/sim/server/persistence", test_persistence);
  g_test_add_func ("/sim/server/stop-with-pending", test_stop_with_pending);
  g_test_add_func ("/sim/server/thread-start-stop", test_thread_start_stop);
  g_test_add_func ("/sim/server/fulcrumctl-serve", test_fulcrumctl_serve);
  g_test_add_func ("/sim/server/fulcrumctl-usage", test_fulcrumctl_usage);

  return g_test_run ();
}
