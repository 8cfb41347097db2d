/* test-token-concurrency.c: one refresh however many callers and threads ask.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-test-util.h"
#include "tokens-test-common.h"

#define N_CALLERS  20
#define N_THREADS  4

typedef struct
{
  gboolean  done;
  char     *token;
  GError   *error;
} Wait;

static void
got_token_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->token = fulcrum_token_manager_get_access_token_finish (FULCRUM_TOKEN_MANAGER (object),
                                                              result, &wait->error);
  wait->done = TRUE;
}

static void
ask_many (TokensFixture        *fixture,
          FulcrumLinkedAccount *account,
          Wait                 *waits,
          guint                 n,
          gboolean              some_forced)
{
  /* Some callers may force, as after a 401: they join the same refresh. */
  for (guint i = 0; i < n; i++)
    fulcrum_token_manager_get_access_token_async (fixture->manager, account,
                                                  some_forced && i % 4 == 3, NULL,
                                                  got_token_cb, &waits[i]);
  for (guint i = 0; i < n; i++)
    {
      fulcrum_test_wait_for (&waits[i].done, 30000);
      g_assert_no_error (waits[i].error);
      tokens_fixture_remember (fixture, waits[i].token);
    }
}

/* N parallel calls with an expired token: exactly one token request, one answer for all. */
static void
test_parallel_callers (TokensFixture *fixture,
                       gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "crowd");
  g_autoptr(FulcrumTokenSet) linked = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(FulcrumTokenSet) stored = NULL;
  Wait waits[N_CALLERS] = { { 0 } };

  fixture->now_us = linked->expires_at;
  ask_many (fixture, account, waits, N_CALLERS, TRUE);

  for (guint i = 0; i < N_CALLERS; i++)
    g_assert_cmpstr (waits[i].token, ==, waits[0].token);
  g_assert_cmpstr (waits[0].token, !=, linked->access_token);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);

  stored = tokens_fixture_read_keyring (fixture, account, NULL);
  g_assert_cmpstr (stored->access_token, ==, waits[0].token);
  g_assert_cmpuint (tokens_sim_api_status (fixture, waits[0].token), ==, 200);

  for (guint i = 0; i < N_CALLERS; i++)
    g_free (waits[i].token);
}

/* The first calls after start read the keyring once between them, and refresh nothing. */
static void
test_parallel_first_read (TokensFixture *fixture,
                          gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "morning");
  g_autoptr(FulcrumTokenSet) linked = tokens_fixture_read_keyring (fixture, account, NULL);
  Wait waits[N_CALLERS] = { { 0 } };

  ask_many (fixture, account, waits, N_CALLERS, FALSE);

  for (guint i = 0; i < N_CALLERS; i++)
    {
      g_assert_cmpstr (waits[i].token, ==, linked->access_token);
      g_free (waits[i].token);
    }
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 0);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 0);
}

/* Threads: each with its own main context, config and manager, as separate components
 * of one process would be. They meet at the lock file. */
typedef struct
{
  const char *account_id;
  gint64      now_us;
  GMutex     *mutex;
  GCond      *cond;
  guint      *n_ready;
  gboolean    done;
  char       *token;
  GError     *error;
  guint       n_requests;
} ThreadJob;

static gint64
job_clock (gpointer user_data)
{
  ThreadJob *job = user_data;

  return job->now_us;
}

static void
thread_got_token_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ThreadJob *job = user_data;

  job->token = fulcrum_token_manager_get_access_token_finish (FULCRUM_TOKEN_MANAGER (object),
                                                             result, &job->error);
  job->done = TRUE;
}

static gpointer
thread_main (gpointer data)
{
  ThreadJob *job = data;
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  {
    g_autoptr(FulcrumStore) store = fulcrum_store_new (NULL);
    g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
    g_autoptr(FulcrumTokenManager) manager = NULL;
    g_autoptr(GError) error = NULL;
    FulcrumLinkedAccount *account;

    fulcrum_store_load (store, &error);
    g_assert_no_error (error);
    account = fulcrum_store_find_account (store, job->account_id);
    g_assert_nonnull (account);
    manager = fulcrum_token_manager_new (store, secrets);
    fulcrum_token_manager_set_clock (manager, job_clock, job);

    /* Start together. */
    g_mutex_lock (job->mutex);
    (*job->n_ready)++;
    g_cond_broadcast (job->cond);
    while (*job->n_ready < N_THREADS)
      g_cond_wait (job->cond, job->mutex);
    g_mutex_unlock (job->mutex);

    fulcrum_token_manager_get_access_token_async (manager, account, FALSE, NULL,
                                                  thread_got_token_cb, job);
    while (!job->done)
      g_main_context_iteration (context, TRUE);
    job->n_requests = fulcrum_token_manager_get_n_token_requests (manager);
  }
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return NULL;
}

static void
test_threads (TokensFixture *fixture,
              gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "threads");
  g_autoptr(FulcrumTokenSet) linked = tokens_fixture_read_keyring (fixture, account, NULL);
  ThreadJob jobs[N_THREADS] = { { 0 } };
  GThread *threads[N_THREADS];
  GMutex mutex;
  GCond cond;
  guint n_ready = 0;
  guint n_requests = 0;

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  for (guint i = 0; i < N_THREADS; i++)
    {
      jobs[i].account_id = "threads";
      jobs[i].now_us = linked->expires_at;
      jobs[i].mutex = &mutex;
      jobs[i].cond = &cond;
      jobs[i].n_ready = &n_ready;
      threads[i] = g_thread_new ("token-caller", thread_main, &jobs[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  for (guint i = 0; i < N_THREADS; i++)
    {
      g_assert_no_error (jobs[i].error);
      tokens_fixture_remember (fixture, jobs[i].token);
      g_assert_cmpstr (jobs[i].token, ==, jobs[0].token);
      n_requests += jobs[i].n_requests;
    }
  g_assert_cmpstr (jobs[0].token, !=, linked->access_token);
  g_assert_cmpuint (n_requests, ==, 1);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);
  g_assert_cmpuint (tokens_sim_api_status (fixture, jobs[0].token), ==, 200);

  for (guint i = 0; i < N_THREADS; i++)
    g_free (jobs[i].token);
}

int
main (int   argc,
      char *argv[])
{
  tokens_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, TokensFixture, NULL, tokens_fixture_setup, func, tokens_fixture_teardown)

  ADD ("/tokens/parallel/expired", test_parallel_callers);
  ADD ("/tokens/parallel/first-read", test_parallel_first_read);
  ADD ("/tokens/threads", test_threads);

#undef ADD

  return g_test_run ();
}
