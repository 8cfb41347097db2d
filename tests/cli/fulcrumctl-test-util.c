/* fulcrumctl-test-util.c: running fulcrumctl from the cli tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-browser.h"
#include "fulcrum-test-util.h"
#include "fulcrumctl-test-util.h"

static char *fulcrumctl_path;
static char *self_path;

static void
free_paths (void)
{
  g_clear_pointer (&fulcrumctl_path, g_free);
  g_clear_pointer (&self_path, g_free);
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static int
lookup_client_secret_main (const char *profile_id)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FulcrumSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  fulcrum_secret_store_lookup_async (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, profile_id,
                                     NULL, NULL, lookup_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  secret = fulcrum_secret_store_lookup_finish (secrets, result, &error);
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (secret != NULL)
    g_print ("%s", secret);

  return 0;
}

/* For builds with -Db_sanitize=address,undefined: the fulcrumctl processes keep leak
 * checking, less one known leak in libsecret (see the file), and stop on undefined behaviour
 * so that the exit status shows it. */
static void
set_up_sanitizers (void)
{
  const char *options = g_getenv ("LSAN_OPTIONS");
  g_autofree char *suppressions = g_test_build_filename (G_TEST_DIST, "cli", "lsan.supp", NULL);
  g_autofree char *lsan = NULL;
  g_autofree char *asan = NULL;
  g_autofree char *ubsan = NULL;

  lsan = g_strdup_printf ("%s%ssuppressions=%s:print_suppressions=0",
                          options != NULL ? options : "", options != NULL ? ":" : "",
                          suppressions);
  g_setenv ("LSAN_OPTIONS", lsan, TRUE);

  /* GLib is built without frame pointers: only the slow unwinder sees past it to the frame
   * that the suppression names. */
  options = g_getenv ("ASAN_OPTIONS");
  asan = g_strdup_printf ("%s%sfast_unwind_on_malloc=0",
                          options != NULL ? options : "", options != NULL ? ":" : "");
  g_setenv ("ASAN_OPTIONS", asan, TRUE);

  options = g_getenv ("UBSAN_OPTIONS");
  ubsan = g_strdup_printf ("%s%shalt_on_error=1:print_stacktrace=1",
                           options != NULL ? options : "", options != NULL ? ":" : "");
  g_setenv ("UBSAN_OPTIONS", ubsan, TRUE);
}

void
fulcrumctl_run_clear (FulcrumctlRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* @argv: the program and its arguments, without the final NULL. */
static void
spawn_argv (FulcrumctlRun *run,
            const char    *input,
            gboolean       no_keyring,
            GPtrArray     *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (no_keyring)
    {
      /* The Secret Service on a bus that is not there: fails at once, as on a machine
       * without a keyring. */
      g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "service", TRUE);
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                    "unix:path=/nonexistent/fulcrum-test-bus", TRUE);
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);

  /* A crash or a sanitizer abort is never an answer a script could act on. */
  if (!g_subprocess_get_if_exited (process))
    g_error ("%s was killed by signal %d\nstdout: %s\nstderr: %s",
             (const char *) argv->pdata[1], g_subprocess_get_term_sig (process),
             run->out, run->err);
  run->status = g_subprocess_get_exit_status (process);

  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

void
fulcrumctl_test_spawn (FulcrumctlRun      *run,
                       const char         *input,
                       gboolean            no_keyring,
                       const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, fulcrumctl_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);

  spawn_argv (run, input, no_keyring, argv);
}

void
fulcrumctl_test_run_strv (FulcrumctlRun      *run,
                          const char         *input,
                          const char * const *args)
{
  fulcrumctl_test_spawn (run, input, FALSE, args);
}

static GPtrArray *
collect_args (const char *first_arg,
              va_list     args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, fulcrumctl_path);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);

  return argv;
}

void
fulcrumctl_test_run (FulcrumctlRun *run,
                     const char    *input,
                     ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  const char *first_arg;
  va_list args;

  va_start (args, input);
  first_arg = va_arg (args, const char *);
  argv = collect_args (first_arg, args);
  va_end (args);

  spawn_argv (run, input, FALSE, argv);
}

JsonNode *
fulcrumctl_test_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));

  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
fulcrumctl_test_run_json (const char *first_arg,
                          ...)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, first_arg);
  argv = collect_args (first_arg, args);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--json");

  spawn_argv (&run, NULL, FALSE, argv);
  fulcrumctl_assert_status (&run, 0);

  return fulcrumctl_test_parse_json (run.out);
}

JsonObject *
fulcrumctl_test_find_by_id (JsonArray  *array,
                            const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "id"), id) == 0)
        return object;
    }

  return NULL;
}

gboolean
fulcrumctl_test_array_contains (JsonArray  *array,
                                const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
        return TRUE;
    }

  return FALSE;
}

guint
fulcrumctl_test_count_environments (void)
{
  g_autoptr(JsonNode) root = fulcrumctl_test_run_json ("env", "list", NULL);

  return json_array_get_length (json_node_get_array (root));
}

guint
fulcrumctl_test_count_profiles (void)
{
  g_autoptr(JsonNode) root = fulcrumctl_test_run_json ("profile", "list", NULL);

  return json_array_get_length (json_node_get_array (root));
}

/* Read by a fresh process (this binary in lookup mode), so that no cached keyring state of
 * ours can answer instead. */
char *
fulcrumctl_test_lookup_client_secret (const char *profile_id)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(FulcrumctlRun) run = { 0 };

  g_ptr_array_add (argv, self_path);
  g_ptr_array_add (argv, (gpointer) "--lookup-client-secret");
  g_ptr_array_add (argv, (gpointer) profile_id);
  spawn_argv (&run, NULL, FALSE, argv);
  fulcrumctl_assert_status (&run, 0);

  return run.out[0] != '\0' ? g_strdup (run.out) : NULL;
}

void
fulcrumctl_test_reset_state (void)
{
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "fulcrum", NULL);
  g_autoptr(GDir) dir = g_dir_open (config_dir, 0, NULL);
  const char *keyring = g_getenv ("SECRET_FILE_TEST_PATH");
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (config_dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }

  if (keyring != NULL)
    g_unlink (keyring);
}

void
fulcrumctl_test_create_profile (const char *name,
                                const char *environment,
                                const char *secret,
                                const char *expected_id)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_autofree char *input = secret != NULL ? g_strdup_printf ("%s\n", secret) : NULL;

  fulcrumctl_test_run (&run, input, "profile", "create", "--name", name,
                       "--environment", environment, "--client-id", "client-id-1234",
                       secret != NULL ? "--secret-stdin" : NULL, NULL);
  fulcrumctl_assert_status (&run, 0);
  g_assert_cmpstr (g_strchomp (run.out), ==, expected_id);
}

char *
fulcrumctl_test_make_secret (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat (prefix, uuid, NULL);
}

/* Errors are one line starting "fulcrumctl: " and say something about @needle. */
void
fulcrumctl_assert_error_mentions (FulcrumctlRun *run,
                                  const char    *needle)
{
  g_assert_true (g_str_has_prefix (run->err, "fulcrumctl: "));
  if (strstr (run->err, needle) == NULL)
    g_error ("stderr does not mention “%s”: %s", needle, run->err);
}

/* In a human list, every row's second column starts where the header's does. */
void
fulcrumctl_assert_columns_aligned (const char *text,
                                   const char *second_header)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *column;
  gsize offset;

  g_assert_nonnull (lines[0]);
  g_assert_true (g_str_has_prefix (lines[0], "ID"));
  column = strstr (lines[0], second_header);
  g_assert_nonnull (column);
  offset = column - lines[0];

  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), >, offset);
      g_assert_true (lines[i][offset - 1] == ' ');
      g_assert_true (lines[i][offset] != ' ');
    }
}

void
fulcrumctl_assert_secret_only_in_keyring (const char    *secret,
                                          FulcrumctlRun *run)
{
  g_autofree char *found_in = NULL;

  g_assert_null (strstr (run->out, secret));
  g_assert_null (strstr (run->err, secret));
  /* The whole test root: config, data, cache, runtime, and the keyring file, which
   * must hold the secret encrypted. */
  if (fulcrum_test_dir_contains (fulcrum_test_get_root (), secret, &found_in))
    g_error ("the client secret is readable in %s", found_in);
}

void
fulcrumctl_test_init (int    *argc,
                      char ***argv)
{
  /* Lookup mode, in the parent's dirs: see fulcrumctl_test_lookup_client_secret(). */
  if (*argc == 3 && g_str_equal ((*argv)[1], "--lookup-client-secret"))
    exit (lookup_client_secret_main ((*argv)[2]));

  fulcrum_test_init_environment ();
  /* English messages, and UTF-8 passed through as is. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");

  g_test_init (argc, argv, NULL);

  set_up_sanitizers ();

  if (*argc > 1)
    fulcrumctl_path = g_strdup ((*argv)[1]);
  else
    fulcrumctl_path = g_build_filename (g_getenv ("FULCRUM_BUILD_ROOT"), "src", "cli",
                                        "fulcrumctl", NULL);
  g_assert_true (g_file_test (fulcrumctl_path, G_FILE_TEST_IS_EXECUTABLE));
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self_path);
  atexit (free_paths);
}

const char *
fulcrumctl_test_get_path (void)
{
  return fulcrumctl_path;
}

char *
fulcrumctl_test_answer_consent (SoupSession *session,
                                const char  *authorize_url,
                                const char  *decision)
{
  return fulcrum_test_answer_consent (session, authorize_url, decision);
}
