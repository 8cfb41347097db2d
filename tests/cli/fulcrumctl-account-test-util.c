/* fulcrumctl-account-test-util.c: linking accounts through fulcrumctl from the cli tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"
#include "fulcrumctl-account-test-util.h"

/* Everything the fulcrumctl processes of one test printed. */
static GString *transcript;
static char *simulator_base_url;

/* Helper modes: this binary started again, in the test's dirs, to read or spoil an
 * account's token set in the keyring from a fresh process. */

static void
helper_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static int
token_set_helper_main (const char *mode,
                       const char *profile_id,
                       const char *account_id)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FulcrumSecret) blob = NULL;
  g_autoptr(FulcrumSecret) spoiled_blob = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;

  fulcrum_secret_store_lookup_async (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, profile_id,
                                     account_id, NULL, helper_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  blob = fulcrum_secret_store_lookup_finish (secrets, result, &error);
  g_clear_object (&result);
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (blob == NULL)
    return 0;

  if (!(tokens = fulcrum_token_set_deserialize (blob, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (g_str_equal (mode, "show"))
    {
      g_print ("%s\n%s\n", tokens->access_token, tokens->refresh_token);
      return 0;
    }

  /* "spoil": a refresh token the simulator never issued, as after a revoked grant. */
  g_free (tokens->refresh_token);
  tokens->refresh_token = g_strdup ("not-a-refresh-token-the-simulator-issued");
  spoiled_blob = fulcrum_token_set_serialize (tokens);
  fulcrum_secret_store_store_async (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, profile_id,
                                    account_id, spoiled_blob, NULL, helper_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!fulcrum_secret_store_store_finish (secrets, result, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}

/* What the keyring holds for an account, read by a fresh process: NULL when nothing,
 * else { access token, refresh token }. */
char **
account_test_lookup_tokens (const char *profile_id,
                            const char *account_id)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char **lines;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, self, "--token-set", "show", profile_id, account_id, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("looking the tokens up failed: %s", err);

  if (out[0] == '\0')
    return NULL;

  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[0], !=, "");
  g_assert_cmpstr (lines[1], !=, "");

  return lines;
}

void
account_test_spoil_refresh_token (const char *profile_id,
                                  const char *account_id)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self, "--token-set", "spoil",
                              profile_id, account_id, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* Running fulcrumctl */

void
account_test_record (FulcrumctlRun *run)
{
  g_string_append (transcript, run->out);
  g_string_append (transcript, run->err);
}


void
account_test_run (FulcrumctlRun *run,
                  const char    *first_arg,
                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  fulcrumctl_test_run_strv (run, NULL, (const char * const *) args->pdata);
  account_test_record (run);
}


JsonNode *
account_test_run_json (const char *first_arg,
                       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(FulcrumctlRun) run = { 0 };
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, (gpointer) "--json");
  g_ptr_array_add (args, NULL);

  fulcrumctl_test_run_strv (&run, NULL, (const char * const *) args->pdata);
  account_test_record (&run);
  fulcrumctl_assert_status (&run, 0);

  return fulcrumctl_test_parse_json (run.out);
}

char *
account_test_read_all (GInputStream *stream)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_NONE, NULL, &error);
  g_assert_no_error (error);
  /* The terminating NUL, before closing. */
  g_output_stream_write_all (memory, "", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (memory, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory));
}

/* The same, then follows the redirect to the loopback callback. Returns the HTTP status
 * of the callback's page. */
guint
account_test_act_as_browser (const char *authorize_url,
                             const char *decision)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SoupMessage) callback = NULL;
  g_autoptr(GBytes) ignored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = fulcrumctl_test_answer_consent (session, authorize_url, decision);

  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:"));
  callback = soup_message_new (SOUP_METHOD_GET, location);
  soup_message_add_flags (callback, SOUP_MESSAGE_NO_REDIRECT);
  ignored = soup_session_send_and_read (session, callback, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (callback);
}

/* The built-in app's callback port is fixed by its registration with the simulator, and
 * another suite's link flow may hold it for a moment: then try again, for a while. */
#define PORT_BUSY_ATTEMPTS 40
#define PORT_BUSY_PAUSE_US (250 * 1000)

static GSubprocess *
spawn_link (GPtrArray          *argv,
            const char * const *extra_env,
            GDataInputStream  **out,
            char              **url)
{
  g_autoptr(GError) error = NULL;

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *err = NULL;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
      for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
        g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);
      process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                              &error);
      g_assert_no_error (error);

      /* The authorize URL comes first, while fulcrumctl waits for the redirect. */
      *out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      *url = g_data_input_stream_read_line_utf8 (*out, NULL, NULL, &error);
      g_assert_no_error (error);
      if (*url != NULL)
        return g_steal_pointer (&process);

      g_clear_object (out);
      err = account_test_read_all (g_subprocess_get_stderr_pipe (process));
      g_subprocess_wait (process, NULL, NULL);
      if (strstr (err, "is in use") == NULL || attempt == PORT_BUSY_ATTEMPTS)
        g_error ("fulcrumctl printed no authorize URL; stderr: %s", err);
      g_test_message ("the callback port is busy; trying again: %s", err);
      g_usleep (PORT_BUSY_PAUSE_US);
    }
}

/* Runs "fulcrumctl account link --profile @profile [@extra_args…]", reads the first line
 * of its output, calls @while_waiting, and acts on the URL. */
void
account_test_run_link_full (FulcrumctlRun      *run,
                            const char         *profile,
                            BrowserAction       action,
                            gboolean            no_browser,
                            const char * const *extra_args,
                            const char * const *extra_env,
                            void              (*while_waiting) (void))
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected_prefix = NULL;
  g_autofree char *rest = NULL;
  guint callback_status;

  g_ptr_array_add (argv, (gpointer) fulcrumctl_test_get_path ());
  g_ptr_array_add (argv, (gpointer) "account");
  g_ptr_array_add (argv, (gpointer) "link");
  g_ptr_array_add (argv, (gpointer) "--profile");
  g_ptr_array_add (argv, (gpointer) profile);
  if (no_browser)
    g_ptr_array_add (argv, (gpointer) "--no-browser");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  process = spawn_link (argv, extra_env, &out, &url);
  expected_prefix = g_strconcat (simulator_base_url, "/authorize?", NULL);
  g_assert_true (g_str_has_prefix (url, expected_prefix));

  if (while_waiting != NULL)
    while_waiting ();

  if (action == BROWSER_INTERRUPT)
    {
      g_subprocess_send_signal (process, SIGINT);
    }
  else if (action != BROWSER_IGNORE)
    {
      callback_status = account_test_act_as_browser (url, action == BROWSER_ALLOW ? "allow"
                                                                                   : "deny");
      /* The page the browser shows after the redirect: success, or why not. */
      g_assert_cmpuint (callback_status, ==, action == BROWSER_ALLOW ? SOUP_STATUS_OK
                                                                      : SOUP_STATUS_BAD_REQUEST);
    }

  rest = account_test_read_all (G_INPUT_STREAM (out));
  run->out = g_strconcat (url, "\n", rest, NULL);
  run->err = account_test_read_all (g_subprocess_get_stderr_pipe (process));
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("fulcrumctl was killed by signal %d\nstdout: %s\nstderr: %s",
             g_subprocess_get_term_sig (process), run->out, run->err);
  run->status = g_subprocess_get_exit_status (process);
  account_test_record (run);

  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

void
account_test_run_link (FulcrumctlRun      *run,
                       const char         *profile,
                       BrowserAction       action,
                       gboolean            no_browser,
                       const char * const *extra_args,
                       const char * const *extra_env)
{
  account_test_run_link_full (run, profile, action, no_browser, extra_args, extra_env, NULL);
}

/* Links through @profile and returns the new account's id. */
char *
account_test_link (const char *profile,
                   const char *label)
{
  g_auto(FulcrumctlRun) run = { 0 };
  const char *label_args[] = { "--label", label, NULL };
  g_auto(GStrv) lines = NULL;

  account_test_run_link (&run, profile, BROWSER_ALLOW, TRUE, label != NULL ? label_args : NULL,
                         NULL);
  fulcrumctl_assert_status (&run, 0);

  /* The URL, then the id. */
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[1], !=, "");
  g_assert_cmpstr (lines[2], ==, "");

  return g_strdup (lines[1]);
}

void
account_test_create_simulator_profile (const char *name,
                                       const char *expected_id)
{
  g_auto(FulcrumctlRun) run = { 0 };

  account_test_run (&run, "profile", "create", "--name", name, "--environment", "simulator", NULL);
  fulcrumctl_assert_status (&run, 0);
  g_assert_cmpstr (run.out, ==, expected_id);
}

/* The link prints instructions first: its error is the last line, "fulcrumctl: …". */
void
account_test_assert_last_error_mentions (FulcrumctlRun *run,
                                         const char    *needle)
{
  g_auto(GStrv) lines = g_strsplit (g_strchomp (run->err), "\n", -1);
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >, 0);
  g_assert_true (g_str_has_prefix (lines[n - 1], "fulcrumctl: "));
  if (strstr (lines[n - 1], needle) == NULL)
    g_error ("the error does not mention “%s”: %s", needle, lines[n - 1]);
}

JsonObject *
account_test_find_account (JsonNode   *list,
                           const char *id)
{
  JsonObject *account = fulcrumctl_test_find_by_id (json_node_get_array (list), id);

  g_assert_nonnull (account);
  return account;
}

char *
account_test_profile_redirect_uri (const char *profile)
{
  g_autoptr(JsonNode) shown = account_test_run_json ("profile", "show", profile, NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (shown), "redirect_uri"));
}

guint
account_test_count_accounts (void)
{
  g_autoptr(JsonNode) list = account_test_run_json ("account", "list", NULL);

  return json_array_get_length (json_node_get_array (list));
}

/* No file under the test root (but the encrypted keyring) and nothing fulcrumctl printed
 * holds @secret. */
void
account_test_assert_only_in_keyring (const char *secret)
{
  g_autofree char *found_in = NULL;

  g_assert_nonnull (secret);
  if (strstr (transcript->str, secret) != NULL)
    g_error ("fulcrumctl printed a secret or token");
  if (fulcrum_test_dir_contains (fulcrum_test_get_root (), secret, &found_in))
    g_error ("a secret or token is readable in %s", found_in);
}

void
account_test_reset_state (void)
{
  g_autofree char *sim_state = g_build_filename (g_get_user_data_dir (), "fulcrum",
                                                 "simulator-state.json", NULL);

  fulcrumctl_test_reset_state ();
  g_unlink (sim_state);
  g_string_truncate (transcript, 0);
}

static void
free_globals (void)
{
  g_string_free (transcript, TRUE);
  g_free (simulator_base_url);
}

void
account_test_init (int    *argc,
                   char ***argv)
{
  g_autofree char *port = NULL;

  if (*argc == 5 && g_str_equal ((*argv)[1], "--token-set"))
    exit (token_set_helper_main ((*argv)[2], (*argv)[3], (*argv)[4]));

#ifdef __SANITIZE_ADDRESS__
  /* libsecret's file backend leaks on every write (see lsan.supp), and link and refresh
   * write the keyring amid their network calls, where no suppression could tell that leak
   * from one of ours: under AddressSanitizer, this suite uses a real gnome-keyring. */
  g_setenv ("FULCRUM_TEST_KEYRING", "gnome-keyring", FALSE);
#endif

  fulcrumctl_test_init (argc, argv);

  /* With a real keyring the suppression, and the slow unwinder it needs, are not needed:
   * the fast one keeps the suite quick. */
  if (g_strcmp0 (g_getenv ("FULCRUM_TEST_KEYRING"), "gnome-keyring") == 0)
    {
      g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":fast_unwind_on_malloc=1",
                                           NULL);

      g_setenv ("ASAN_OPTIONS", asan, TRUE);
    }

  /* This binary's own simulator port, so that parallel test binaries never meet. */
  port = g_strdup_printf ("%u", fulcrum_test_free_port ());
  g_setenv ("FULCRUM_SIMULATOR_PORT", port, TRUE);
  simulator_base_url = g_strconcat ("http://127.0.0.1:", port, NULL);
  transcript = g_string_new (NULL);
  atexit (free_globals);
}

const char *
account_test_get_simulator_base_url (void)
{
  return simulator_base_url;
}
