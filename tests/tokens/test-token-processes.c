/* test-token-processes.c: other Fulcrum processes (tokens-helper) on the same account.
 *
 * Each test runs in a process of its own (see meson.build): once another process has
 * written libsecret's file keyring, this process's copy of it is out of date for good.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-test-util.h"
#include "tokens-test-common.h"

/* Helper processes run this far ahead: past the expiry of a token linked now. */
#define HELPER_OFFSET_S 7200

static GSubprocess *
spawn_helper (const char *account_id,
              gint64      clock_offset_s,
              const char *mode)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *helper = g_test_build_filename (G_TEST_BUILT, "tokens", "tokens-helper", NULL);
  g_autofree char *offset = g_strdup_printf ("%" G_GINT64_FORMAT, clock_offset_s);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Same XDG dirs, keyring and G_MESSAGES_DEBUG=all as this process. */
  g_subprocess_launcher_setenv (launcher, "FULCRUM_TOKENS_HELPER_CLOCK_OFFSET_S", offset, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, helper, account_id, mode, NULL);
  g_assert_no_error (error);

  return process;
}

static void
start_helper (GSubprocess *process)
{
  GOutputStream *input = g_subprocess_get_stdin_pipe (process);
  g_autoptr(GError) error = NULL;

  /* A pipe write is not buffered; communicate() closes the pipe later. */
  g_output_stream_write_all (input, "go\n", 3, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Waits for the helper; returns its exit status and what it printed (its logs join the
 * ones checked for secrets). */
static int
finish_helper (TokensFixture *fixture,
               GSubprocess   *process,
               char         **token)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  tokens_test_add_log (err);
  g_strstrip (out);
  if (*out != '\0')
    tokens_fixture_remember (fixture, out);
  if (token != NULL)
    *token = g_steal_pointer (&out);
  if (g_subprocess_get_exit_status (process) != 0)
    g_test_message ("helper: %s", err);

  return g_subprocess_get_exit_status (process);
}

/* Two processes (the GUI and fulcrumctl) refreshing at once: one refresh, one token. */
static void
test_two_processes (TokensFixture *fixture,
                    gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "shared");
  g_autoptr(FulcrumTokenSet) linked = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(GSubprocess) first = spawn_helper ("shared", HELPER_OFFSET_S, NULL);
  g_autoptr(GSubprocess) second = spawn_helper ("shared", HELPER_OFFSET_S, NULL);
  g_autoptr(GSubprocess) later = NULL;
  g_autofree char *first_token = NULL;
  g_autofree char *second_token = NULL;
  g_autofree char *later_token = NULL;

  start_helper (first);
  start_helper (second);
  g_assert_cmpint (finish_helper (fixture, first, &first_token), ==, 0);
  g_assert_cmpint (finish_helper (fixture, second, &second_token), ==, 0);

  g_assert_cmpstr (first_token, ==, second_token);
  g_assert_cmpstr (first_token, !=, linked->access_token);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);
  g_assert_cmpuint (tokens_sim_api_status (fixture, first_token), ==, 200);

  /* A third process, on time: the stored token, no refresh. */
  later = spawn_helper ("shared", 0, NULL);
  start_helper (later);
  g_assert_cmpint (finish_helper (fixture, later, &later_token), ==, 0);
  g_assert_cmpstr (later_token, ==, first_token);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);
}

/* A process dies between Lever's answer and the keyring write: the next process to ask
 * finds the account needs re-link (the refresh token it has was spent), only that
 * account, and the config file is still valid. */
static void
test_crash_before_store (TokensFixture *fixture,
                         gconstpointer  data)
{
  FulcrumLinkedAccount *bystander = tokens_fixture_link (fixture, "bystander");
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "crashy");
  g_autoptr(GSubprocess) crashing = spawn_helper ("crashy", HELPER_OFFSET_S, "crash-before-store");
  g_autoptr(GSubprocess) restarted = NULL;
  g_autoptr(GSubprocess) again = NULL;
  g_autoptr(FulcrumLinkedAccount) on_disk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bystander_token = NULL;

  g_assert_nonnull (account);
  start_helper (crashing);
  g_assert_cmpint (finish_helper (fixture, crashing, NULL), ==, 99);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);

  /* Fulcrum starts again and asks: it sends the refresh token it has, which Lever has
   * already rotated. */
  restarted = spawn_helper ("crashy", HELPER_OFFSET_S, NULL);
  start_helper (restarted);
  g_assert_cmpint (finish_helper (fixture, restarted, NULL), ==, 3);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 2);

  on_disk = tokens_load_account_from_disk ("crashy");
  g_assert_cmpint (fulcrum_linked_account_get_status (on_disk), ==,
                   FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);
  g_assert_nonnull (strstr (fulcrum_linked_account_get_status_message (on_disk), "invalid_grant"));

  /* And it stays so, without another request. */
  again = spawn_helper ("crashy", HELPER_OFFSET_S, NULL);
  start_helper (again);
  g_assert_cmpint (finish_helper (fixture, again, NULL), ==, 3);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 2);

  /* The other account of the profile is fine. */
  bystander_token = tokens_fixture_get_token (fixture, bystander, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens_sim_api_status (fixture, bystander_token), ==, 200);
  g_clear_object (&on_disk);
  on_disk = tokens_load_account_from_disk ("bystander");
  g_assert_cmpint (fulcrum_linked_account_get_status (on_disk), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
}

/* This process read the keyring before another one refreshed. libsecret's file backend
 * (Flatpak) keeps answering with that old copy: the lock file's record shows it is old,
 * and the spent refresh token is not sent (which would make Lever revoke the grant). Nor
 * is any other account's, since that backend now refuses this process's writes. With a
 * Secret Service the new tokens are simply read. */
static void
test_stale_keyring_view (TokensFixture *fixture,
                         gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "stale");
  FulcrumLinkedAccount *neighbour = tokens_fixture_link (fixture, "neighbour");
  g_autoptr(FulcrumTokenSet) linked = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(FulcrumTokenSet) neighbour_linked = NULL;
  g_autoptr(GSubprocess) other = spawn_helper ("stale", HELPER_OFFSET_S, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *token = NULL;
  g_autofree char *neighbour_token = NULL;
  gboolean file_backend = g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0;

  neighbour_linked = tokens_fixture_read_keyring (fixture, neighbour, NULL);

  first = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);

  start_helper (other);
  g_assert_cmpint (finish_helper (fixture, other, &theirs), ==, 0);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);

  fixture->now_us = linked->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  if (file_backend)
    {
      g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT);
      g_assert_nonnull (strstr (error->message, "Restart"));
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, theirs);
    }

  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 0);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);
  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpuint (tokens_sim_api_status (fixture, theirs), ==, 200);
  g_clear_error (&error);

  /* Another account, which the other process never touched. The file backend now refuses
   * every write from this process, so the refresh token must not be spent: the new one
   * could not be kept. */
  fixture->now_us = neighbour_linked->expires_at;
  neighbour_token = tokens_fixture_get_token (fixture, neighbour, FALSE, &error);
  if (file_backend)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == FULCRUM_SECRET_ERROR);
      g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 0);
      g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);
      g_assert_cmpint (fulcrum_linked_account_get_status (neighbour), ==,
                       FULCRUM_ACCOUNT_STATUS_ACTIVE);
      /* Its refresh token is still good. */
      g_assert_cmpuint (tokens_sim_refresh (fixture, neighbour_linked->refresh_token, NULL),
                        ==, 200);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (tokens_sim_api_status (fixture, neighbour_token), ==, 200);
    }
}

int
main (int   argc,
      char *argv[])
{
  tokens_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, TokensFixture, NULL, tokens_fixture_setup, func, tokens_fixture_teardown)

  ADD ("/tokens/processes/two-at-once", test_two_processes);
  ADD ("/tokens/processes/crash-before-store", test_crash_before_store);
  ADD ("/tokens/processes/stale-keyring-view", test_stale_keyring_view);

#undef ADD

  return g_test_run ();
}
