/* test-fulcrumctl-account.c: linked accounts through fulcrumctl, against the built-in simulator
 *
 * Every fulcrumctl process starts the built-in simulator itself (on this binary's own
 * FULCRUM_SIMULATOR_PORT) and stops it when it exits, so each command after a link is a
 * "restart": the simulator's state file and the keyring carry the account over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"
#include "fulcrumctl-account-test-util.h"

static void
test_one_click_profile (void)
{
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) scoped = NULL;
  g_autoptr(JsonNode) own = NULL;
  g_autofree char *secret = NULL;
  g_auto(FulcrumctlRun) scoped_run = { 0 };
  g_auto(FulcrumctlRun) bad_scope = { 0 };
  g_auto(FulcrumctlRun) with_secret = { 0 };
  g_auto(FulcrumctlRun) no_client_id = { 0 };
  g_auto(FulcrumctlRun) own_app = { 0 };
  g_auto(FulcrumctlRun) taken = { 0 };
  JsonObject *object;
  JsonArray *scopes;

  account_test_reset_state ();

  account_test_create_simulator_profile ("Sim", "sim\n");
  shown = account_test_run_json ("profile", "show", "sim", NULL);
  object = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (object, "environment"), ==, "simulator");
  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==, "fulcrum-simulator");
  /* The callback registered for the built-in app: loopback, the simulator's own path. */
  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[0-9]+/callback/simulator$",
                                       json_object_get_string_member (object, "redirect_uri"),
                                       0, 0));
  g_assert_true (json_object_get_boolean_member (object, "has_secret"));

  /* The secret is really there, for a process that never saw it being made. */
  secret = fulcrumctl_test_lookup_client_secret ("sim");
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >=, 32);
  account_test_assert_only_in_keyring (secret);

  /* Scopes can still be chosen; the environment by its name too. */
  account_test_run (&scoped_run, "profile", "create", "--name", "Notes", "--environment",
                    "Lever Simulator", "--scope", "offline_access", "--scope",
                    "users:read:admin,notes:write:admin", NULL);
  fulcrumctl_assert_status (&scoped_run, 0);
  scoped = account_test_run_json ("profile", "show", "notes", NULL);
  object = json_node_get_object (scoped);
  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==, "fulcrum-simulator");
  scopes = json_object_get_array_member (object, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, 3);
  g_assert_true (fulcrumctl_test_array_contains (scopes, "notes:write:admin"));

  /* A broken rule creates nothing, in the config or in the keyring. */
  account_test_run (&bad_scope, "profile", "create", "--name", "Bad", "--environment", "simulator",
                    "--scope", "offline_access", "--scope", "users:read:admin", "--scope",
                    "candidates:read:admin", NULL);
  fulcrumctl_assert_status (&bad_scope, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&bad_scope, "candidates:read:admin");
  g_assert_null (fulcrumctl_test_lookup_client_secret ("bad"));

  account_test_run (&taken, "profile", "create", "--name", "SIM", "--environment", "simulator",
                    NULL);
  fulcrumctl_assert_status (&taken, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&taken, "Sim");
  g_assert_cmpuint (fulcrumctl_test_count_profiles (), ==, 2);

  /* The built-in app's secret is not the user's to give. */
  account_test_run (&with_secret, "profile", "create", "--name", "Typed", "--environment",
                    "simulator", "--secret-stdin", NULL);
  fulcrumctl_assert_status (&with_secret, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&with_secret, "--secret-stdin");

  /* Other environments still need their client id. */
  account_test_run (&no_client_id, "profile", "create", "--name", "Sandbox", "--environment",
                    "sandbox", NULL);
  fulcrumctl_assert_status (&no_client_id, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&no_client_id, "--client-id");

  /* With --client-id, a simulator profile is an ordinary one. */
  account_test_run (&own_app, "profile", "create", "--name", "Own", "--environment", "simulator",
                    "--client-id", "my-own-app", NULL);
  fulcrumctl_assert_status (&own_app, 0);
  own = account_test_run_json ("profile", "show", "own", NULL);
  object = json_node_get_object (own);
  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==, "my-own-app");
  g_assert_false (json_object_get_boolean_member (object, "has_secret"));
  g_assert_cmpuint (fulcrumctl_test_count_profiles (), ==, 3);
}

static void
test_link (void)
{
  g_autoptr(JsonNode) profile = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) status_json = NULL;
  g_auto(FulcrumctlRun) human_list = { 0 };
  g_auto(FulcrumctlRun) status = { 0 };
  g_auto(FulcrumctlRun) by_label = { 0 };
  g_auto(FulcrumctlRun) linked = { 0 };
  g_auto(GStrv) tokens = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *state_file = NULL;
  const char *label_args[] = { "--label", "Acme Sim", NULL };
  const char *debug_env[] = { "G_MESSAGES_DEBUG", "all", NULL };
  JsonArray *profile_scopes;
  JsonObject *account;
  JsonArray *scopes;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 expires_at;

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");

  /* With every debug message on: they go to stderr, and hold no secret either. */
  account_test_run_link (&linked, "sim", BROWSER_ALLOW, TRUE, label_args, debug_env);
  fulcrumctl_assert_status (&linked, 0);
  g_assert_nonnull (strstr (linked.err, "fulcrum"));
  lines = g_strsplit (linked.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  id = g_strdup (lines[1]);
  g_assert_cmpstr (id, ==, "acme-sim");

  list = account_test_run_json ("account", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  account = account_test_find_account (list, id);
  g_assert_cmpstr (json_object_get_string_member (account, "label"), ==, "Acme Sim");
  g_assert_cmpstr (json_object_get_string_member (account, "profile"), ==, "sim");
  g_assert_cmpstr (json_object_get_string_member (account, "environment"), ==, "simulator");
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "active");

  /* Granted what the profile asked for. */
  profile = account_test_run_json ("profile", "show", "sim", NULL);
  profile_scopes = json_object_get_array_member (json_node_get_object (profile), "scopes");
  scopes = json_object_get_array_member (account, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, json_array_get_length (profile_scopes));
  for (guint i = 0; i < json_array_get_length (profile_scopes); i++)
    g_assert_true (fulcrumctl_test_array_contains (scopes,
                                                   json_array_get_string_element (profile_scopes,
                                                                                  i)));
  g_assert_true (fulcrumctl_test_array_contains (scopes, "offline_access"));

  /* The simulator's tokens live an hour. */
  expires_at = json_object_get_int_member (account, "expires_at");
  g_assert_cmpint (expires_at, >, now + 3000);
  g_assert_cmpint (expires_at, <=, now + 3600 + 60);
  g_assert_cmpint (json_object_get_int_member (account, "linked_at"), >=, now - 60);
  g_assert_cmpint (json_object_get_int_member (account, "last_used"), ==, 0);

  /* The human forms. */
  account_test_run (&human_list, "account", "list", NULL);
  fulcrumctl_assert_status (&human_list, 0);
  fulcrumctl_assert_columns_aligned (human_list.out, "LABEL");
  g_assert_nonnull (strstr (human_list.out, "Acme Sim"));
  g_assert_nonnull (strstr (human_list.out, "active"));

  account_test_run (&status, "account", "status", "acme sim", NULL);
  fulcrumctl_assert_status (&status, 0);
  g_assert_true (g_str_has_prefix (status.out, "id:"));
  g_assert_nonnull (strstr (status.out, "acme-sim\n"));
  g_assert_nonnull (strstr (status.out, "\nstatus:"));
  g_assert_nonnull (strstr (status.out, "active\n"));
  g_assert_nonnull (strstr (status.out, "simulator (Lever Simulator)"));
  g_assert_nonnull (strstr (status.out, "minutes)\n"));
  g_assert_nonnull (strstr (status.out, "(in "));
  g_assert_nonnull (strstr (status.out, "\nlast used:"));
  g_assert_nonnull (strstr (status.out, "never\n"));

  status_json = account_test_run_json ("account", "status", id, NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status_json), "expires_at"),
                   ==, expires_at);

  account_test_run (&by_label, "account", "status", "nobody", NULL);
  fulcrumctl_assert_status (&by_label, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&by_label, "nobody");

  /* The tokens are in the keyring, and only there. */
  tokens = account_test_lookup_tokens ("sim", id);
  g_assert_nonnull (tokens);
  account_test_assert_only_in_keyring (tokens[0]);
  account_test_assert_only_in_keyring (tokens[1]);
  client_secret = fulcrumctl_test_lookup_client_secret ("sim");
  account_test_assert_only_in_keyring (client_secret);

  /* The simulator kept its memory of the grant for the next process. */
  state_file = g_build_filename (g_get_user_data_dir (), "fulcrum", "simulator-state.json", NULL);
  g_assert_true (g_file_test (state_file, G_FILE_TEST_IS_REGULAR));
}

static void
create_other_profile (void)
{
  g_auto(FulcrumctlRun) run = { 0 };

  account_test_run (&run, "profile", "create", "--name", "Created meanwhile", "--environment",
                    "sandbox", "--client-id", "abc", NULL);
  fulcrumctl_assert_status (&run, 0);
}

/* A link waits minutes; what another process saves meanwhile is not written over. */
static void
test_link_keeps_changes (void)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_autoptr(JsonNode) profiles = NULL;

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");

  account_test_run_link_full (&run, "sim", BROWSER_ALLOW, TRUE, NULL, NULL, create_other_profile);
  fulcrumctl_assert_status (&run, 0);

  profiles = account_test_run_json ("profile", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (profiles)), ==, 2);
  g_assert_nonnull (fulcrumctl_test_find_by_id (json_node_get_array (profiles),
                                                "created-meanwhile"));
  g_assert_cmpuint (account_test_count_accounts (), ==, 1);
}

static void
test_link_denied (void)
{
  g_auto(FulcrumctlRun) run = { 0 };

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");

  account_test_run_link (&run, "sim", BROWSER_DENY, TRUE, NULL, NULL);
  fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_FAILED);
  account_test_assert_last_error_mentions (&run, "access_denied");
  /* Only the URL on stdout: no account id. */
  g_assert_null (strchr (strchr (run.out, '\n') + 1, '\n'));
  g_assert_cmpuint (account_test_count_accounts (), ==, 0);
}

static void
test_link_timeout (void)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_autofree char *redirect_uri = NULL;
  const char *timeout_args[] = { "--timeout", "1", NULL };

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");

  account_test_run_link (&run, "Sim", BROWSER_IGNORE, TRUE, timeout_args, NULL);
  fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_FAILED);
  account_test_assert_last_error_mentions (&run, "did not redirect back");
  /* It names the callback that Lever must know. */
  redirect_uri = account_test_profile_redirect_uri ("sim");
  account_test_assert_last_error_mentions (&run, redirect_uri);
  /* Only the URL on stdout. */
  g_assert_null (strchr (strchr (run.out, '\n') + 1, '\n'));
  g_assert_cmpuint (account_test_count_accounts (), ==, 0);
}

static void
test_link_interrupted (void)
{
  g_auto(FulcrumctlRun) run = { 0 };

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");

  account_test_run_link (&run, "sim", BROWSER_INTERRUPT, TRUE, NULL, NULL);
  fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_FAILED);
  account_test_assert_last_error_mentions (&run, "cancelled");
  g_assert_cmpuint (account_test_count_accounts (), ==, 0);
}

/* With no browser to open, fulcrumctl says so and gives the URL to open by hand. */
static void
test_link_without_browser (void)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_autofree char *share = g_build_filename (fulcrum_test_get_root (), "share", NULL);
  g_autofree char *schemas = g_build_filename (share, "glib-2.0", NULL);
  g_autofree char *empty = g_build_filename (fulcrum_test_get_root (), "empty", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) link = NULL;
  g_auto(GStrv) lines = NULL;
  /* No desktop files, no mimeapps.list: GIO knows no browser. GSettings schemas stay
   * where GIO's proxy module expects them. */
  const char *env[] = { "XDG_DATA_DIRS", share, "XDG_CONFIG_DIRS", empty, NULL };

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");

  g_assert_cmpint (g_mkdir_with_parents (share, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  link = g_file_new_for_path (schemas);
  if (!g_file_query_exists (link, NULL))
    g_file_make_symbolic_link (link, "/usr/share/glib-2.0", NULL, &error);
  g_assert_no_error (error);

  account_test_run_link (&run, "sim", BROWSER_ALLOW, FALSE, NULL, env);
  fulcrumctl_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.err, "Could not open a browser"));
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[1], ==, "sim-lever-simulator");
  g_assert_cmpuint (account_test_count_accounts (), ==, 1);
}

/* A callback that is not on this computer: the user pastes where the browser landed. Lever
 * here is a "fulcrumctl sim serve" of its own, reached through a custom environment. */
static void
test_link_pasted (void)
{
  const char *redirect_uri = "https://integrations.example/callback/remote";
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) server_out = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(JsonNode) endpoints = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(FulcrumctlRun) env_add = { 0 };
  g_auto(FulcrumctlRun) link = { 0 };
  g_autofree char *server_line = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *url = NULL;
  g_autofree char *location = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *pasted = NULL;
  g_autofree char *rest = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *server_info;
  JsonObject *account;
  GOutputStream *input;

  account_test_reset_state ();

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             fulcrumctl_test_get_path (), "sim", "serve", "--port", "0",
                             "--latency-ms", "0", "--redirect-uri", redirect_uri, NULL);
  g_assert_no_error (error);
  server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  server_line = g_data_input_stream_read_line_utf8 (server_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server_line);
  endpoints = fulcrumctl_test_parse_json (server_line);
  server_info = json_node_get_object (endpoints);
  client_secret = g_strdup_printf ("%s\n",
                                   json_object_get_string_member (server_info, "client_secret"));

  account_test_run (&env_add, "env", "add", "--name", "Remote Lever",
                    "--authorize-url", json_object_get_string_member (server_info, "authorize_url"),
                    "--token-url", json_object_get_string_member (server_info, "token_url"),
                    "--audience", json_object_get_string_member (server_info, "audience"),
                    "--api-base", json_object_get_string_member (server_info, "api_base"), NULL);
  fulcrumctl_assert_status (&env_add, 0);
  {
    g_auto(FulcrumctlRun) create = { 0 };

    fulcrumctl_test_run (&create, client_secret, "profile", "create", "--name", "Remote",
                         "--environment", "remote-lever", "--client-id",
                         json_object_get_string_member (server_info, "client_id"),
                         "--redirect-uri", redirect_uri, "--secret-stdin", NULL);
    account_test_record (&create);
    fulcrumctl_assert_status (&create, 0);
  }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              fulcrumctl_test_get_path (), "account", "link", "--profile",
                              "remote", "--no-browser", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);

  location = fulcrumctl_test_answer_consent (session, url, "allow");
  g_assert_true (g_str_has_prefix (location, redirect_uri));

  /* A forged answer first: refused, and the wait goes on; then the real one. */
  forged = g_strdup_printf ("%s?code=forged&state=forged\n", redirect_uri);
  pasted = g_strdup_printf ("\n%s\n", location);
  input = g_subprocess_get_stdin_pipe (process);
  g_output_stream_write_all (input, forged, strlen (forged), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (input, pasted, strlen (pasted), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (input, NULL, &error);
  g_assert_no_error (error);

  rest = account_test_read_all (G_INPUT_STREAM (out));
  link.out = g_strconcat (url, "\n", rest, NULL);
  link.err = account_test_read_all (g_subprocess_get_stderr_pipe (process));
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  link.status = g_subprocess_get_exit_status (process);
  account_test_record (&link);
  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", link.status, link.out, link.err);
  fulcrumctl_assert_status (&link, 0);
  g_assert_nonnull (strstr (link.err, "paste"));
  g_assert_nonnull (strstr (link.err, "state does not match"));

  lines = g_strsplit (link.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  list = account_test_run_json ("account", "list", NULL);
  account = account_test_find_account (list, lines[1]);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "active");

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);

  /* The throwaway app's secret went into the keyring only. */
  account_test_assert_only_in_keyring (g_strchomp (client_secret));
}

static void
test_refresh_and_relink (void)
{
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) dead = NULL;
  g_auto(FulcrumctlRun) refresh = { 0 };
  g_auto(FulcrumctlRun) again = { 0 };
  g_auto(FulcrumctlRun) relink = { 0 };
  g_auto(FulcrumctlRun) still_dead = { 0 };
  g_auto(FulcrumctlRun) status = { 0 };
  g_auto(GStrv) linked_tokens = NULL;
  g_auto(GStrv) refreshed_tokens = NULL;
  g_auto(GStrv) second_tokens = NULL;
  g_autofree char *id = NULL;
  JsonObject *account;

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");
  id = account_test_link ("sim", NULL);
  /* The default label: profile and environment. */
  g_assert_cmpstr (id, ==, "sim-lever-simulator");
  before = account_test_run_json ("account", "status", "Sim (Lever Simulator)", NULL);
  linked_tokens = account_test_lookup_tokens ("sim", id);

  /* The linking process and its simulator are gone: this one starts the simulator again
   * from its state file and refreshes. */
  account_test_run (&refresh, "account", "refresh", id, NULL);
  fulcrumctl_assert_status (&refresh, 0);
  refreshed_tokens = account_test_lookup_tokens ("sim", id);
  g_assert_cmpstr (refreshed_tokens[0], !=, linked_tokens[0]);
  /* Lever rotates refresh tokens: the new one was kept. */
  g_assert_cmpstr (refreshed_tokens[1], !=, linked_tokens[1]);

  after = account_test_run_json ("account", "status", id, NULL);
  account = json_node_get_object (after);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "active");
  g_assert_cmpint (json_object_get_int_member (account, "last_refresh"), >=,
                   json_object_get_int_member (json_node_get_object (before), "last_refresh"));
  g_assert_cmpint (json_object_get_int_member (account, "expires_at"), >=,
                   json_object_get_int_member (json_node_get_object (before), "expires_at"));

  /* And once more from yet another process, with the rotated token. */
  account_test_run (&again, "account", "refresh", "sim (lever simulator)", NULL);
  fulcrumctl_assert_status (&again, 0);
  second_tokens = account_test_lookup_tokens ("sim", id);
  g_assert_cmpstr (second_tokens[1], !=, refreshed_tokens[1]);

  for (guint i = 0; i < 2; i++)
    {
      account_test_assert_only_in_keyring (linked_tokens[i]);
      account_test_assert_only_in_keyring (refreshed_tokens[i]);
      account_test_assert_only_in_keyring (second_tokens[i]);
    }

  /* Lever no longer knows the grant: exit 3, and the account says so. */
  account_test_spoil_refresh_token ("sim", id);
  account_test_run (&relink, "account", "refresh", id, NULL);
  fulcrumctl_assert_status (&relink, FULCRUMCTL_TEST_EXIT_NEEDS_RELINK);
  fulcrumctl_assert_error_mentions (&relink, "invalid_grant");

  dead = account_test_run_json ("account", "status", id, NULL);
  account = json_node_get_object (dead);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "needs-relink");
  g_assert_nonnull (strstr (json_object_get_string_member (account, "status_message"),
                            "invalid_grant"));

  account_test_run (&status, "account", "status", id, NULL);
  fulcrumctl_assert_status (&status, 0);
  g_assert_nonnull (strstr (status.out, "needs-relink\n"));
  g_assert_nonnull (strstr (status.out, "\nstatus message:"));

  /* No retry on a dead grant: still 3, with the same words. */
  account_test_run (&still_dead, "account", "refresh", id, NULL);
  fulcrumctl_assert_status (&still_dead, FULCRUMCTL_TEST_EXIT_NEEDS_RELINK);
  fulcrumctl_assert_error_mentions (&still_dead, "invalid_grant");
}

static void
test_rename (void)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) renamed_status = NULL;
  g_auto(FulcrumctlRun) rename = { 0 };
  g_auto(FulcrumctlRun) taken_label = { 0 };
  g_auto(FulcrumctlRun) taken_id = { 0 };
  g_auto(FulcrumctlRun) unknown = { 0 };
  g_auto(FulcrumctlRun) empty = { 0 };
  g_auto(FulcrumctlRun) same = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  JsonObject *account;

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");
  first = account_test_link ("sim", "First");
  second = account_test_link ("sim", "Second");
  g_assert_cmpstr (first, !=, second);

  account_test_run (&rename, "account", "rename", "first", "Acme Robotics", NULL);
  fulcrumctl_assert_status (&rename, 0);
  renamed_status = account_test_run_json ("account", "status", "acme robotics", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (renamed_status), "id"),
                   ==, first);

  /* A label names one account only. */
  account_test_run (&taken_label, "account", "rename", "Acme Robotics", "SECOND", NULL);
  fulcrumctl_assert_status (&taken_label, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&taken_label, "SECOND");
  account_test_run (&taken_id, "account", "rename", "Acme Robotics", second, NULL);
  fulcrumctl_assert_status (&taken_id, FULCRUMCTL_TEST_EXIT_USAGE);
  account_test_run (&unknown, "account", "rename", "third", "Third", NULL);
  fulcrumctl_assert_status (&unknown, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&unknown, "third");
  account_test_run (&empty, "account", "rename", first, " ", NULL);
  fulcrumctl_assert_status (&empty, FULCRUMCTL_TEST_EXIT_USAGE);

  /* A change of case of its own label is fine. */
  account_test_run (&same, "account", "rename", "Second", "SECOND", NULL);
  fulcrumctl_assert_status (&same, 0);

  list = account_test_run_json ("account", "list", NULL);
  account = account_test_find_account (list, first);
  g_assert_cmpstr (json_object_get_string_member (account, "label"), ==, "Acme Robotics");
  account = account_test_find_account (list, second);
  g_assert_cmpstr (json_object_get_string_member (account, "label"), ==, "SECOND");
}

static void
test_unlink (void)
{
  g_auto(FulcrumctlRun) unlink = { 0 };
  g_auto(FulcrumctlRun) again = { 0 };
  g_auto(FulcrumctlRun) status = { 0 };
  g_auto(GStrv) tokens = NULL;
  g_auto(GStrv) gone = NULL;
  g_auto(GStrv) kept_tokens = NULL;
  g_autofree char *id = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *client_secret = NULL;

  account_test_reset_state ();
  account_test_create_simulator_profile ("Sim", "sim\n");
  id = account_test_link ("sim", "Doomed");
  kept = account_test_link ("sim", "Kept");
  tokens = account_test_lookup_tokens ("sim", id);
  g_assert_nonnull (tokens);

  account_test_run (&unlink, "account", "unlink", "doomed", NULL);
  fulcrumctl_assert_status (&unlink, 0);

  /* Its tokens left the keyring (as a fresh process sees it), and its record the config. */
  gone = account_test_lookup_tokens ("sim", id);
  g_assert_null (gone);
  g_assert_cmpuint (account_test_count_accounts (), ==, 1);
  account_test_run (&status, "account", "status", id, NULL);
  fulcrumctl_assert_status (&status, FULCRUMCTL_TEST_EXIT_FAILED);

  /* Nothing else went: the other account's tokens and the profile's secret stay. */
  kept_tokens = account_test_lookup_tokens ("sim", kept);
  g_assert_nonnull (kept_tokens);
  client_secret = fulcrumctl_test_lookup_client_secret ("sim");
  g_assert_nonnull (client_secret);

  account_test_run (&again, "account", "unlink", id, NULL);
  fulcrumctl_assert_status (&again, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&again, id);
}

static void
test_link_needs_secret (void)
{
  g_auto(FulcrumctlRun) run = { 0 };

  account_test_reset_state ();
  fulcrumctl_test_create_profile ("Acme", "sandbox", NULL, "acme");

  account_test_run (&run, "account", "link", "--profile", "acme", "--no-browser", NULL);
  fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&run, "fulcrumctl profile set-secret acme");
  /* Nothing to open. */
  g_assert_cmpstr (run.out, ==, "");
}

static void
test_usage (void)
{
  static const char *commands[][6] = {
    { "account", NULL },
    { "account", "link", NULL },
    { "account", "link", "--profile", "sim", "--timeout", "0" },
    { "account", "link", "--profile", "sim", "--label", "" },
    { "account", "list", "extra", NULL },
    { "account", "status", NULL },
    { "account", "refresh", NULL },
    { "account", "rename", "only-one", NULL },
    { "account", "unlink", "a", "b", NULL },
    { "account", "frobnicate", NULL },
  };
  g_auto(FulcrumctlRun) help = { 0 };

  account_test_reset_state ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(FulcrumctlRun) run = { 0 };
      const char *args[7] = { NULL };

      for (guint j = 0; j < 6 && commands[i][j] != NULL; j++)
        args[j] = commands[i][j];
      fulcrumctl_test_run_strv (&run, NULL, args);
      fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_USAGE);
      g_assert_true (g_str_has_prefix (run.err, "fulcrumctl") ||
                     g_str_has_prefix (run.err, "Usage:"));
    }

  account_test_run (&help, "account", "link", "--help", NULL);
  fulcrumctl_assert_status (&help, 0);
  g_assert_nonnull (strstr (help.out, "--no-browser"));
}

int
main (int    argc,
      char **argv)
{
  account_test_init (&argc, &argv);

  g_test_add_func ("/cli/account/one-click-profile", test_one_click_profile);
  g_test_add_func ("/cli/account/link", test_link);
  g_test_add_func ("/cli/account/link-denied", test_link_denied);
  g_test_add_func ("/cli/account/link-keeps-changes", test_link_keeps_changes);
  g_test_add_func ("/cli/account/link-timeout", test_link_timeout);
  g_test_add_func ("/cli/account/link-interrupted", test_link_interrupted);
  g_test_add_func ("/cli/account/link-without-browser", test_link_without_browser);
  g_test_add_func ("/cli/account/link-needs-secret", test_link_needs_secret);
  g_test_add_func ("/cli/account/link-pasted", test_link_pasted);
  g_test_add_func ("/cli/account/refresh-and-relink", test_refresh_and_relink);
  g_test_add_func ("/cli/account/rename", test_rename);
  g_test_add_func ("/cli/account/unlink", test_unlink);
  g_test_add_func ("/cli/account/usage", test_usage);

  return g_test_run ();
}
