/* test-fulcrumctl-profile.c: connector profiles and their secrets, as scripts use them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <pty.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"
#include "fulcrumctl-test-util.h"

static void
test_profile_create_defaults (void)
{
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_auto(GStrv) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(FulcrumctlRun) show = { 0 };
  g_auto(FulcrumctlRun) list = { 0 };
  static const char *list_keys[] = {
    "id", "name", "environment", "client_id", "scopes", "redirect_uri", "has_secret",
  };
  JsonObject *object;
  JsonArray *scopes;

  fulcrumctl_test_reset_state ();
  fulcrumctl_test_create_profile ("Acme Sandbox", "sandbox", NULL, "acme-sandbox");

  shown = fulcrumctl_test_run_json ("profile", "show", "acme-sandbox", NULL);
  object = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "acme-sandbox");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Acme Sandbox");
  g_assert_cmpstr (json_object_get_string_member (object, "environment"), ==, "sandbox");
  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==, "client-id-1234");
  g_assert_cmpstr (json_object_get_string_member (object, "redirect_uri"), ==,
                   "http://127.0.0.1:53682/callback/sandbox");
  g_assert_false (json_object_get_boolean_member (object, "has_secret"));

  /* Without --scope: core's default set, as the profile editor would offer it. */
  expected = fulcrum_scopes_normalize (fulcrum_scopes_get_default (), &error);
  g_assert_no_error (error);
  scopes = json_object_get_array_member (object, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, g_strv_length (expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (fulcrumctl_test_array_contains (scopes, expected[i]));
  g_assert_true (fulcrumctl_test_array_contains (scopes, "offline_access"));
  g_assert_true (fulcrumctl_test_array_contains (scopes, "users:read:admin"));

  listed = fulcrumctl_test_run_json ("profile", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 1);
  object = json_array_get_object_element (json_node_get_array (listed), 0);
  for (guint i = 0; i < G_N_ELEMENTS (list_keys); i++)
    g_assert_true (json_object_has_member (object, list_keys[i]));

  /* Human forms: "key: value" lines and aligned columns. */
  fulcrumctl_test_run (&show, NULL, "profile", "show", "Acme Sandbox", NULL);
  fulcrumctl_assert_status (&show, 0);
  g_assert_true (g_str_has_prefix (show.out, "id:"));
  g_assert_nonnull (strstr (show.out, "\nclient id:"));
  g_assert_nonnull (strstr (show.out, "client-id-1234\n"));
  g_assert_nonnull (strstr (show.out, "http://127.0.0.1:53682/callback/sandbox\n"));

  fulcrumctl_test_create_profile ("Acme Production", "production", NULL, "acme-production");
  fulcrumctl_test_run (&list, NULL, "profile", "list", NULL);
  fulcrumctl_assert_status (&list, 0);
  g_assert_nonnull (strstr (list.out, "acme-sandbox"));
  g_assert_nonnull (strstr (list.out, "acme-production"));
  fulcrumctl_assert_columns_aligned (list.out, "NAME");
}

static void
test_profile_scope_rules (void)
{
  const char * const *known = fulcrum_scopes_get_known ();
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(JsonNode) shown = NULL;
  g_auto(FulcrumctlRun) unknown = { 0 };
  g_auto(FulcrumctlRun) no_offline = { 0 };
  g_auto(FulcrumctlRun) too_many = { 0 };
  g_auto(FulcrumctlRun) twenty = { 0 };
  g_auto(FulcrumctlRun) write_read = { 0 };
  JsonArray *scopes;
  guint n_scopes = 0;

  fulcrumctl_test_reset_state ();

  fulcrumctl_test_run (&unknown, NULL, "profile", "create", "--name", "Unknown", "--environment",
                       "sandbox", "--client-id", "abc", "--scope", "offline_access", "--scope",
                       "users:read:admin", "--scope", "candidates:read:admin", NULL);
  fulcrumctl_assert_status (&unknown, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&unknown, "candidates:read:admin");

  fulcrumctl_test_run (&no_offline, NULL, "profile", "create", "--name", "No offline",
                       "--environment", "sandbox", "--client-id", "abc", "--scope",
                       "users:read:admin", "--scope", "opportunities:read:admin", NULL);
  fulcrumctl_assert_status (&no_offline, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&no_offline, "offline_access");

  /* 21 scopes that no rule folds together: the two required ones and 19 other reads. */
  g_ptr_array_add (args, (gpointer) "profile");
  g_ptr_array_add (args, (gpointer) "create");
  g_ptr_array_add (args, (gpointer) "--name");
  g_ptr_array_add (args, (gpointer) "Too many");
  g_ptr_array_add (args, (gpointer) "--environment");
  g_ptr_array_add (args, (gpointer) "sandbox");
  g_ptr_array_add (args, (gpointer) "--client-id");
  g_ptr_array_add (args, (gpointer) "abc");
  g_ptr_array_add (args, (gpointer) "--scope");
  g_ptr_array_add (args, (gpointer) "offline_access");
  g_ptr_array_add (args, (gpointer) "--scope");
  g_ptr_array_add (args, (gpointer) "users:read:admin");
  n_scopes = 2;
  for (guint i = 0; known[i] != NULL && n_scopes < 21; i++)
    {
      if (strstr (known[i], ":read:") == NULL || g_str_equal (known[i], "users:read:admin"))
        continue;
      g_ptr_array_add (args, (gpointer) "--scope");
      g_ptr_array_add (args, (gpointer) known[i]);
      n_scopes++;
    }
  g_assert_cmpuint (n_scopes, ==, 21);
  g_ptr_array_add (args, NULL);

  fulcrumctl_test_run_strv (&too_many, NULL, (const char * const *) args->pdata);
  fulcrumctl_assert_status (&too_many, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&too_many, "20");
  g_assert_cmpuint (fulcrumctl_test_count_profiles (), ==, 0);

  /* Twenty is still allowed: drop the last scope (and its --scope). */
  g_ptr_array_remove_index (args, args->len - 1);
  g_ptr_array_remove_index (args, args->len - 1);
  g_ptr_array_remove_index (args, args->len - 1);
  g_ptr_array_add (args, NULL);
  fulcrumctl_test_run_strv (&twenty, NULL, (const char * const *) args->pdata);
  fulcrumctl_assert_status (&twenty, 0);
  g_assert_cmpstr (twenty.out, ==, "too-many\n");

  /* A write scope includes its read scope: only the minimal set is kept. */
  fulcrumctl_test_run (&write_read, NULL, "profile", "create", "--name", "Writer", "--environment",
                       "sandbox", "--client-id", "abc", "--scope", "offline_access", "--scope",
                       "users:read:admin", "--scope", "opportunities:read:admin", "--scope",
                       "opportunities:write:admin", NULL);
  fulcrumctl_assert_status (&write_read, 0);

  shown = fulcrumctl_test_run_json ("profile", "show", "writer", NULL);
  scopes = json_object_get_array_member (json_node_get_object (shown), "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, 3);
  g_assert_true (fulcrumctl_test_array_contains (scopes, "offline_access"));
  g_assert_true (fulcrumctl_test_array_contains (scopes, "users:read:admin"));
  g_assert_true (fulcrumctl_test_array_contains (scopes, "opportunities:write:admin"));
  g_assert_false (fulcrumctl_test_array_contains (scopes, "opportunities:read:admin"));

  g_assert_cmpuint (fulcrumctl_test_count_profiles (), ==, 2);
}

static void
test_profile_secret (void)
{
  g_autofree char *secret = fulcrumctl_test_make_secret ("sec-");
  g_autofree char *secret2 = fulcrumctl_test_make_secret ("sec2-");
  g_autofree char *input = g_strdup_printf ("%s\n", secret);
  g_autofree char *input2 = g_strdup_printf ("%s\n", secret2);
  g_autofree char *stored = NULL;
  g_autofree char *stored2 = NULL;
  g_autofree char *still = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) shown_plain = NULL;
  g_auto(FulcrumctlRun) create = { 0 };
  g_auto(FulcrumctlRun) set = { 0 };
  g_auto(FulcrumctlRun) empty = { 0 };
  g_auto(FulcrumctlRun) blank_line = { 0 };
  g_auto(FulcrumctlRun) create_empty = { 0 };
  g_auto(FulcrumctlRun) show = { 0 };
  g_auto(FulcrumctlRun) set_plain = { 0 };

  fulcrumctl_test_reset_state ();

  fulcrumctl_test_run (&create, input, "profile", "create", "--name", "Acme", "--environment",
                       "production", "--client-id", "abc", "--secret-stdin", NULL);
  fulcrumctl_assert_status (&create, 0);
  g_assert_cmpstr (create.out, ==, "acme\n");

  shown = fulcrumctl_test_run_json ("profile", "show", "acme", NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (shown), "has_secret"));

  stored = fulcrumctl_test_lookup_client_secret ("acme");
  g_assert_cmpstr (stored, ==, secret);
  fulcrumctl_assert_secret_only_in_keyring (secret, &create);

  fulcrumctl_test_run (&show, NULL, "profile", "show", "acme", NULL);
  fulcrumctl_assert_status (&show, 0);
  fulcrumctl_assert_secret_only_in_keyring (secret, &show);

  /* set-secret replaces it. */
  fulcrumctl_test_run (&set, input2, "profile", "set-secret", "acme", NULL);
  fulcrumctl_assert_status (&set, 0);
  stored2 = fulcrumctl_test_lookup_client_secret ("acme");
  g_assert_cmpstr (stored2, ==, secret2);
  fulcrumctl_assert_secret_only_in_keyring (secret2, &set);

  /* An empty secret is refused and the stored one stays. */
  fulcrumctl_test_run (&empty, "", "profile", "set-secret", "acme", NULL);
  fulcrumctl_assert_status (&empty, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&empty, "empty");
  fulcrumctl_test_run (&blank_line, "\n", "profile", "set-secret", "acme", NULL);
  fulcrumctl_assert_status (&blank_line, FULCRUMCTL_TEST_EXIT_USAGE);
  still = fulcrumctl_test_lookup_client_secret ("acme");
  g_assert_cmpstr (still, ==, secret2);

  /* Nothing is created when the secret is refused. */
  fulcrumctl_test_run (&create_empty, "\n", "profile", "create", "--name", "Empty",
                       "--environment", "production", "--client-id", "abc", "--secret-stdin", NULL);
  fulcrumctl_assert_status (&create_empty, FULCRUMCTL_TEST_EXIT_USAGE);
  g_assert_cmpuint (fulcrumctl_test_count_profiles (), ==, 1);

  /* set-secret on a profile that had none marks it; only the first line is the secret. */
  fulcrumctl_test_create_profile ("Plain", "sandbox", NULL, "plain");
  fulcrumctl_test_run (&set_plain, "first-line\r\nsecond-line\n", "profile", "set-secret", "Plain",
                       NULL);
  fulcrumctl_assert_status (&set_plain, 0);
  plain = fulcrumctl_test_lookup_client_secret ("plain");
  g_assert_cmpstr (plain, ==, "first-line");
  shown_plain = fulcrumctl_test_run_json ("profile", "show", "plain", NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (shown_plain),
                                                 "has_secret"));
}

static gboolean
terminal_echoes (int fd)
{
  struct termios attributes;

  g_assert_cmpint (tcgetattr (fd, &attributes), ==, 0);
  return (attributes.c_lflag & ECHO) != 0;
}

/* Typed at a terminal, the secret is read without echo, and the echo comes back after. */
static void
test_profile_secret_terminal (void)
{
  g_autofree char *secret = fulcrumctl_test_make_secret ("tty-");
  g_autofree char *typed = g_strdup_printf ("%s\n", secret);
  g_autofree char *stored = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) screen = g_string_new (NULL);
  g_autoptr(GString) prompt = g_string_new (NULL);
  g_auto(FulcrumctlRun) run = { 0 };
  GInputStream *stderr_pipe;
  int controller = -1;
  int terminal = -1;
  char buffer[256];
  gssize n;

  fulcrumctl_test_reset_state ();
  fulcrumctl_test_create_profile ("Typed", "sandbox", NULL, "typed");

  g_assert_cmpint (openpty (&controller, &terminal, NULL, NULL, NULL), ==, 0);
  g_assert_true (terminal_echoes (controller));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_take_stdin_fd (launcher, terminal);
  process = g_subprocess_launcher_spawn (launcher, &error, fulcrumctl_test_get_path (),
                                         "profile", "set-secret", "typed", NULL);
  g_assert_no_error (error);
  /* Our copy of the terminal end goes with the launcher. */
  g_clear_object (&launcher);

  /* Type only after the prompt, as a person would; by then the echo must be off. */
  stderr_pipe = g_subprocess_get_stderr_pipe (process);
  while (strstr (prompt->str, ": ") == NULL)
    {
      n = g_input_stream_read (stderr_pipe, buffer, sizeof buffer - 1, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (prompt, buffer, n);
    }
  g_assert_nonnull (strstr (prompt->str, "Client secret for “Typed”"));
  g_assert_false (terminal_echoes (controller));
  g_assert_cmpint (write (controller, typed, strlen (typed)), ==, strlen (typed));

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  g_assert_true (terminal_echoes (controller));

  /* What the terminal showed: never the secret. */
  g_assert_cmpint (fcntl (controller, F_SETFL, O_NONBLOCK), ==, 0);
  while ((n = read (controller, buffer, sizeof buffer)) > 0)
    g_string_append_len (screen, buffer, n);
  g_assert_null (strstr (screen->str, secret));
  close (controller);

  stored = fulcrumctl_test_lookup_client_secret ("typed");
  g_assert_cmpstr (stored, ==, secret);
  fulcrumctl_assert_secret_only_in_keyring (secret, &run);
}

/* Without a keyring nothing is half done: no profile that claims a secret, no profile
 * removed while its secrets stay behind. */
static void
test_profile_no_keyring (void)
{
  g_autofree char *secret = fulcrumctl_test_make_secret ("nokeyring-");
  g_autofree char *input = g_strdup_printf ("%s\n", secret);
  const char *create_args[] = { "profile", "create", "--name", "Unsaved", "--environment",
                                "sandbox", "--client-id", "abc", "--secret-stdin", NULL };
  const char *set_args[] = { "profile", "set-secret", "kept", NULL };
  const char *delete_args[] = { "profile", "delete", "kept", NULL };
  const char * const *args[] = { create_args, set_args, delete_args };
  g_autoptr(JsonNode) listed = NULL;
  JsonObject *kept;

  fulcrumctl_test_reset_state ();
  fulcrumctl_test_create_profile ("Kept", "sandbox", NULL, "kept");

  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    {
      g_auto(FulcrumctlRun) run = { 0 };

      fulcrumctl_test_spawn (&run, input, TRUE, args[i]);
      fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_FAILED);
      fulcrumctl_assert_error_mentions (&run, "keyring");
      fulcrumctl_assert_secret_only_in_keyring (secret, &run);
    }

  listed = fulcrumctl_test_run_json ("profile", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 1);
  kept = fulcrumctl_test_find_by_id (json_node_get_array (listed), "kept");
  g_assert_nonnull (kept);
  g_assert_false (json_object_get_boolean_member (kept, "has_secret"));
}

static void
test_profile_edit (void)
{
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(JsonNode) unchanged = NULL;
  g_autoptr(JsonNode) reset = NULL;
  g_auto(FulcrumctlRun) edit = { 0 };
  g_auto(FulcrumctlRun) bad_scope = { 0 };
  g_auto(FulcrumctlRun) taken = { 0 };
  g_auto(FulcrumctlRun) missing = { 0 };
  g_auto(FulcrumctlRun) default_uri = { 0 };
  JsonObject *object;
  JsonArray *scopes;

  fulcrumctl_test_reset_state ();
  fulcrumctl_test_create_profile ("Acme", "sandbox", NULL, "acme");
  fulcrumctl_test_create_profile ("Other", "sandbox", NULL, "other");

  fulcrumctl_test_run (&edit, NULL, "profile", "edit", "acme", "--name", "Acme EU",
                       "--client-id", "new-client-id", "--scope", "offline_access",
                       "--scope", "users:read:admin,notes:write:admin",
                       "--redirect-uri", "http://127.0.0.1:8080/callback/sandbox", NULL);
  fulcrumctl_assert_status (&edit, 0);

  edited = fulcrumctl_test_run_json ("profile", "show", "acme eu", NULL);
  object = json_node_get_object (edited);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "acme");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Acme EU");
  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==, "new-client-id");
  g_assert_cmpstr (json_object_get_string_member (object, "environment"), ==, "sandbox");
  g_assert_cmpstr (json_object_get_string_member (object, "redirect_uri"), ==,
                   "http://127.0.0.1:8080/callback/sandbox");
  /* --scope replaced the whole list. */
  scopes = json_object_get_array_member (object, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, 3);
  g_assert_true (fulcrumctl_test_array_contains (scopes, "offline_access"));
  g_assert_true (fulcrumctl_test_array_contains (scopes, "users:read:admin"));
  g_assert_true (fulcrumctl_test_array_contains (scopes, "notes:write:admin"));

  /* A broken rule changes nothing, not even the options that were fine. */
  fulcrumctl_test_run (&bad_scope, NULL, "profile", "edit", "acme", "--client-id", "lost",
                       "--scope", "offline_access", "--scope", "users:read:admin",
                       "--scope", "opportunities:read", NULL);
  fulcrumctl_assert_status (&bad_scope, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&bad_scope, "opportunities:read");

  fulcrumctl_test_run (&taken, NULL, "profile", "edit", "acme", "--name", "other", NULL);
  fulcrumctl_assert_status (&taken, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&taken, "Other");

  unchanged = fulcrumctl_test_run_json ("profile", "show", "acme", NULL);
  object = json_node_get_object (unchanged);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Acme EU");
  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==, "new-client-id");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "scopes")),
                    ==, 3);

  fulcrumctl_test_run (&missing, NULL, "profile", "edit", "nobody", "--name", "x", NULL);
  fulcrumctl_assert_status (&missing, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&missing, "nobody");

  /* An empty redirect URI goes back to the environment's default. */
  fulcrumctl_test_run (&default_uri, NULL, "profile", "edit", "acme", "--redirect-uri", "", NULL);
  fulcrumctl_assert_status (&default_uri, 0);
  reset = fulcrumctl_test_run_json ("profile", "show", "acme", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reset), "redirect_uri"),
                   ==, "http://127.0.0.1:53682/callback/sandbox");
}

static void
test_profile_delete (void)
{
  g_autofree char *secret = fulcrumctl_test_make_secret ("del-");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_auto(FulcrumctlRun) delete = { 0 };
  g_auto(FulcrumctlRun) again = { 0 };
  g_auto(FulcrumctlRun) show = { 0 };

  fulcrumctl_test_reset_state ();
  fulcrumctl_test_create_profile ("Doomed", "sandbox", secret, "doomed");
  fulcrumctl_test_create_profile ("Kept", "sandbox", "kept-secret", "kept");

  before = fulcrumctl_test_lookup_client_secret ("doomed");
  g_assert_cmpstr (before, ==, secret);

  fulcrumctl_test_run (&delete, NULL, "profile", "delete", "Doomed", NULL);
  fulcrumctl_assert_status (&delete, 0);

  after = fulcrumctl_test_lookup_client_secret ("doomed");
  g_assert_null (after);
  /* Only that profile's items went. */
  kept = fulcrumctl_test_lookup_client_secret ("kept");
  g_assert_cmpstr (kept, ==, "kept-secret");

  listed = fulcrumctl_test_run_json ("profile", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 1);
  g_assert_null (fulcrumctl_test_find_by_id (json_node_get_array (listed), "doomed"));

  fulcrumctl_test_run (&again, NULL, "profile", "delete", "doomed", NULL);
  fulcrumctl_assert_status (&again, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&again, "doomed");
  fulcrumctl_test_run (&show, NULL, "profile", "show", "doomed", NULL);
  fulcrumctl_assert_status (&show, FULCRUMCTL_TEST_EXIT_FAILED);
}

int
main (int    argc,
      char **argv)
{
  fulcrumctl_test_init (&argc, &argv);

  g_test_add_func ("/cli/profile/create-defaults", test_profile_create_defaults);
  g_test_add_func ("/cli/profile/scope-rules", test_profile_scope_rules);
  g_test_add_func ("/cli/profile/secret", test_profile_secret);
  g_test_add_func ("/cli/profile/secret-terminal", test_profile_secret_terminal);
  g_test_add_func ("/cli/profile/no-keyring", test_profile_no_keyring);
  g_test_add_func ("/cli/profile/edit", test_profile_edit);
  g_test_add_func ("/cli/profile/delete", test_profile_delete);

  return g_test_run ();
}
