/* test-client-limits.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "client-test-common.h"
#include "fulcrum-test-util.h"

/* Lever's rate limit, tokens that die early, accounts that cannot be used, and tokens
 * that must not travel: where the client meets the limits of the API. */

#define SCOPES CLIENT_TEST_READ_SCOPES " confidential:access:admin"

static GHashTable *
export_params (const char *limit)
{
  return client_params ("confidentiality", "all", "limit", limit, NULL);
}

/* Samples the simulator's request counter to check the rate over any one-second window. */
typedef struct
{
  FulcrumSimServer *sim;
  GArray           *times;
  GArray           *counts;
  guint             id;
} Sampler;

static gboolean
sample_cb (gpointer user_data)
{
  Sampler *sampler = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 count = client_sim_stat (sampler->sim, "api_requests");

  g_array_append_val (sampler->times, now);
  g_array_append_val (sampler->counts, count);
  return G_SOURCE_CONTINUE;
}

static void
sampler_start (Sampler          *sampler,
               FulcrumSimServer *sim)
{
  sampler->sim = sim;
  sampler->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  sampler->counts = g_array_new (FALSE, FALSE, sizeof (gint64));
  sample_cb (sampler);
  sampler->id = g_timeout_add (25, sample_cb, sampler);
}

/* Generous: at most burst + rate × window (+2 for sampling), over windows of ≥ 1 s. */
static void
sampler_check (Sampler *sampler,
               double   rate,
               guint    burst)
{
  g_clear_handle_id (&sampler->id, g_source_remove);
  sample_cb (sampler);
  for (guint i = 0; i < sampler->times->len; i++)
    for (guint j = i + 1; j < sampler->times->len; j++)
      {
        gint64 span = g_array_index (sampler->times, gint64, j) -
                      g_array_index (sampler->times, gint64, i);
        gint64 n = g_array_index (sampler->counts, gint64, j) -
                   g_array_index (sampler->counts, gint64, i);

        if (span < G_USEC_PER_SEC)
          continue;
        g_assert_cmpfloat (n, <=, burst + rate * span / 1e6 + 2);
        break;
      }
  g_array_unref (sampler->times);
  g_array_unref (sampler->counts);
}

/* A normal export at Lever's limit, in windows at once, never meets a 429. */
static void
test_no_429_at_the_limit (void)
{
  ClientFixture fixture;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) params = export_params ("10");
  g_autoptr(RunResult) result = NULL;
  Sampler sampler = { 0 };

  client_fixture_setup (&fixture, 400);
  client_fixture_link (&fixture, SCOPES);
  all = client_sim_read_all (&fixture, "/opportunities?confidentiality=all");
  fulcrum_sim_server_set_rate_limit (fixture.sim, TRUE, FULCRUM_LEVER_RATE_LIMIT,
                                     FULCRUM_LEVER_RATE_BURST);
  fulcrum_sim_server_set_retry_after (fixture.sim, TRUE);
  fulcrum_lever_client_set_concurrency (fixture.client, 4);

  sampler_start (&sampler, fixture.sim);
  result = client_run (fixture.client, "lever_list_opportunities", params,
                       FULCRUM_LEVER_RUN_PARTITIONED);
  sampler_check (&sampler, FULCRUM_LEVER_RATE_LIMIT, FULCRUM_LEVER_RATE_BURST);

  run_result_assert_same (result, all);
  g_test_message ("%" G_GUINT64_FORMAT " requests in %.1f s", result->stats.requests,
                  result->stats.elapsed_us / 1e6);
  g_assert_cmpuint (result->stats.requests, >, 2 * FULCRUM_LEVER_RATE_BURST);
  g_assert_cmpint (client_sim_stat (fixture.sim, "rate_limited"), ==, 0);
  g_assert_cmpuint (result->stats.throttled, ==, 0);
  client_fixture_teardown (&fixture);
}

typedef struct
{
  RunResult *result;
  gboolean   done;
} Pending;

static gboolean
collect_cb (FulcrumLeverPage        *page,
            const FulcrumLeverStats *stats,
            gpointer                 user_data)
{
  Pending *pending = user_data;
  JsonArray *records = fulcrum_lever_page_get_records (page);

  for (guint i = 0; i < json_array_get_length (records); i++)
    g_ptr_array_add (pending->result->records,
                     json_node_ref (json_array_get_element (records, i)));
  return TRUE;
}

static void
pending_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pending *pending = user_data;

  fulcrum_lever_client_run_action_finish (FULCRUM_LEVER_CLIENT (object), result,
                                          &pending->result->stats, NULL,
                                          &pending->result->error);
  pending->done = TRUE;
}

static void
pending_start (Pending            *pending,
               FulcrumLeverClient *client,
               GHashTable         *params)
{
  pending->result = g_new0 (RunResult, 1);
  pending->result->records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  fulcrum_lever_client_run_action_async (client, "lever_list_opportunities", params,
                                         FULCRUM_LEVER_RUN_ALL_PAGES, collect_cb, pending, NULL,
                                         NULL, pending_done_cb, pending);
}

/* Two clients of one account, at once: one bucket between them, so still no 429. */
static void
test_bucket_shared (void)
{
  ClientFixture fixture;
  g_autoptr(FulcrumLeverClient) other = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) params = export_params ("10");
  FulcrumRateLimiter *limiter;
  Pending a = { 0 }, b = { 0 };
  Sampler sampler = { 0 };
  guint64 acquired;

  client_fixture_setup (&fixture, 250);
  client_fixture_link (&fixture, SCOPES);
  all = client_sim_read_all (&fixture, "/opportunities?confidentiality=all");
  fulcrum_sim_server_set_rate_limit (fixture.sim, TRUE, FULCRUM_LEVER_RATE_LIMIT,
                                     FULCRUM_LEVER_RATE_BURST);
  other = fulcrum_lever_client_new (fixture.store, fixture.tokens, fixture.account);
  limiter = fulcrum_lever_client_get_rate_limiter (fixture.client);
  g_assert_true (limiter == fulcrum_lever_client_get_rate_limiter (other));
  acquired = fulcrum_rate_limiter_get_n_acquired (limiter);
  fulcrum_sim_server_reset_stats (fixture.sim);

  sampler_start (&sampler, fixture.sim);
  pending_start (&a, fixture.client, params);
  pending_start (&b, other, params);
  fulcrum_test_wait_for (&a.done, 60000);
  fulcrum_test_wait_for (&b.done, 60000);
  sampler_check (&sampler, FULCRUM_LEVER_RATE_LIMIT, FULCRUM_LEVER_RATE_BURST);

  run_result_assert_same (a.result, all);
  run_result_assert_same (b.result, all);
  g_assert_cmpint (client_sim_stat (fixture.sim, "rate_limited"), ==, 0);
  /* every request of both went through the one bucket */
  g_assert_cmpuint (fulcrum_rate_limiter_get_n_acquired (limiter) - acquired, ==,
                    a.result->stats.requests + b.result->stats.requests);
  g_assert_cmpint (client_sim_stat (fixture.sim, "api_requests"), ==,
                   a.result->stats.requests + b.result->stats.requests);

  run_result_free (a.result);
  run_result_free (b.result);
  g_clear_object (&other);
  client_fixture_teardown (&fixture);
}

/* A server much stricter than its documented limit: 429s, then the data. */
static void
run_storm (gboolean retry_after)
{
  ClientFixture fixture;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) params = export_params ("25");
  g_autoptr(RunResult) result = NULL;

  client_fixture_setup (&fixture, 200);
  client_fixture_link (&fixture, SCOPES);
  client_fixture_fast_retries (&fixture, 10);
  all = client_sim_read_all (&fixture, "/opportunities?confidentiality=all");
  fulcrum_sim_server_set_rate_limit (fixture.sim, TRUE, 3.0, 2);
  fulcrum_sim_server_set_retry_after (fixture.sim, retry_after);

  result = client_run (fixture.client, "lever_list_opportunities", params,
                       FULCRUM_LEVER_RUN_ALL_PAGES);
  g_test_message ("%" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT " 429s, %.1f s",
                  result->stats.requests, result->stats.throttled,
                  result->stats.elapsed_us / 1e6);
  run_result_assert_same (result, all);
  g_assert_cmpint (client_sim_stat (fixture.sim, "rate_limited"), >, 0);
  g_assert_cmpuint (result->stats.throttled, ==, client_sim_stat (fixture.sim, "rate_limited"));
  g_assert_cmpuint (result->stats.retries, ==, result->stats.throttled);
  /* every 429 slowed the account's bucket down */
  g_assert_cmpuint (fulcrum_rate_limiter_get_n_throttled (
                      fulcrum_lever_client_get_rate_limiter (fixture.client)), ==,
                    result->stats.throttled);
  client_fixture_teardown (&fixture);
}

static void
test_429_storm_retry_after (void)
{
  run_storm (TRUE);
}

static void
test_429_storm (void)
{
  run_storm (FALSE);
}

/* The simulator's clock moves past the token's expiry while the client still thinks it
 * valid: 401, one refresh, one retry. */
static void
test_401_refresh (void)
{
  ClientFixture fixture;
  g_autoptr(RunResult) before = NULL;
  g_autoptr(RunResult) after = NULL;

  client_fixture_setup (&fixture, 10);
  client_fixture_link (&fixture, "offline_access users:read:admin");
  before = client_run (fixture.client, "lever_list_users", NULL, FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_no_error (before->error);
  g_assert_cmpuint (before->stats.refreshes, ==, 0);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture.tokens), ==, 0);

  fulcrum_sim_server_advance_clock (fixture.sim, 3700);
  after = client_run (fixture.client, "lever_list_users", NULL, FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->records->len, ==, before->records->len);
  g_assert_cmpuint (after->stats.refreshes, ==, 1);
  g_assert_cmpuint (after->stats.requests, ==, before->stats.requests + 1);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture.tokens), ==, 1);
  g_assert_cmpint (client_sim_stat (fixture.sim, "token_requests.refresh_token"), ==, 1);
  g_assert_cmpint (client_sim_stat (fixture.sim, "responses.401"), ==, 1);
  client_fixture_teardown (&fixture);
}

/* Lever's admin revoked the app: the refresh is refused, the account needs re-linking,
 * and that is what the caller hears, the next time without a request. */
static void
test_needs_relink (void)
{
  ClientFixture fixture;
  FulcrumLinkedAccount *account;
  g_autoptr(RunResult) refused = NULL;
  g_autoptr(RunResult) again = NULL;
  gint64 requests;

  client_fixture_setup (&fixture, 10);
  account = client_fixture_link (&fixture, "offline_access users:read:admin");
  g_assert_cmpuint (fulcrum_sim_server_revoke_app (fixture.sim, CLIENT_TEST_CLIENT_ID), >, 0);

  refused = client_run (fixture.client, "lever_list_users", NULL, FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_error (refused->error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_test_message ("%s", refused->error->message);
  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==,
                   FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);

  requests = client_sim_stat (fixture.sim, "requests");
  again = client_run (fixture.client, "lever_list_users", NULL, FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_error (again->error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_assert_cmpint (client_sim_stat (fixture.sim, "requests"), ==, requests);
  client_fixture_teardown (&fixture);
}

static void
test_suspended (void)
{
  ClientFixture fixture;
  FulcrumLinkedAccount *account;
  g_autoptr(RunResult) result = NULL;

  client_fixture_setup (&fixture, 10);
  account = client_fixture_link (&fixture, "offline_access users:read:admin");
  fulcrum_linked_account_set_status (account, FULCRUM_ACCOUNT_STATUS_SUSPENDED);
  result = client_run (fixture.client, "lever_list_users", NULL, FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_error (result->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_SUSPENDED);
  g_assert_cmpint (client_sim_stat (fixture.sim, "api_requests"), ==, 0);
  client_fixture_teardown (&fixture);
}

static FulcrumEnvironment *
add_environment (ClientFixture    *fixture,
                 const char       *id,
                 const char       *name,
                 FulcrumSimServer *auth,
                 const char       *api_base)
{
  g_autoptr(FulcrumEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;

  env = fulcrum_environment_new_custom (id, name, fulcrum_sim_server_get_authorize_url (auth),
                                        fulcrum_sim_server_get_token_url (auth),
                                        fulcrum_sim_server_get_audience (auth), api_base,
                                        FULCRUM_LEVER_RATE_LIMIT, FULCRUM_LEVER_RATE_BURST,
                                        &error);
  g_assert_no_error (error);
  fulcrum_store_add_environment (fixture->store, env, &error);
  g_assert_no_error (error);
  return env;
}

/* A token of one environment at another's API: Lever's 403, in the user's words. */
static void
test_cross_environment (void)
{
  ClientFixture fixture;
  g_autoptr(FulcrumSimServer) other = fulcrum_sim_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RunResult) result = NULL;

  client_fixture_setup (&fixture, 10);
  fulcrum_sim_server_set_n_opportunities (other, 10);
  fulcrum_sim_server_set_key_id (other, "0ther5ey");
  fulcrum_sim_server_start_thread (other, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fulcrum_sim_server_get_key_id (other), !=,
                   fulcrum_sim_server_get_key_id (fixture.sim));

  /* "Sim A" signs in at the fixture's simulator, but its API base was edited to the
   * other one's, which "Sim B" also uses */
  add_environment (&fixture, "sim-a", "Sim A", fixture.sim,
                   fulcrum_sim_server_get_api_base (other));
  add_environment (&fixture, "sim-b", "Sim B", other, fulcrum_sim_server_get_api_base (other));
  client_fixture_add_profile (&fixture, "profile-a", "sim-a", "offline_access users:read:admin");
  client_fixture_link_with (&fixture, fixture.sim, "profile-a", "offline_access users:read:admin");

  result = client_run (fixture.client, "lever_list_users", NULL, FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_error (result->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_WRONG_ENVIRONMENT);
  g_assert_cmpstr (result->error->message, ==,
                   "This account was linked in Sim A; it cannot call Sim B.");
  g_assert_cmpuint (result->stats.requests, ==, 1);
  g_assert_cmpint (client_sim_stat (other, "responses.403"), ==, 1);

  fulcrum_sim_server_stop (other);
  client_fixture_teardown (&fixture);
}

/* A fake Lever whose `next` points elsewhere, and an elsewhere that counts visitors. */
typedef struct
{
  SoupServer *server;
  char       *base;
  char       *next;
  guint       requests;
} Fake;

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fake *fake = user_data;
  const char *offset = query != NULL ? g_hash_table_lookup (query, "offset") : NULL;
  g_autofree char *body = NULL;

  fake->requests++;
  if (g_str_has_suffix (path, "/redirect"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, fake->next);
      return;
    }
  if (g_strcmp0 (offset, "page2") == 0)
    body = g_strdup ("{\"data\":[{\"id\":\"r2\",\"createdAt\":2}],\"hasNext\":false}");
  else
    body = g_strdup_printf ("{\"data\":[{\"id\":\"r1\",\"createdAt\":1}],\"hasNext\":true,"
                            "\"next\":\"%s\"}", fake->next != NULL ? fake->next : "");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
fake_start (Fake *fake)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  fake->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fake_stop (Fake *fake)
{
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_clear_pointer (&fake->base, g_free);
  g_clear_pointer (&fake->next, g_free);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;
  JsonNode *root = fulcrum_lever_client_request_finish (FULCRUM_LEVER_CLIENT (object), result,
                                                        error);

  g_assert_null (root);
}

static void
test_token_stays_home (void)
{
  ClientFixture fixture;
  Fake lever = { 0 }, elsewhere = { 0 };
  g_autofree char *api_base = NULL;
  g_autoptr(FulcrumEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_url = NULL;
  g_autofree char *audience = NULL;

  client_fixture_setup (&fixture, 10);
  fake_start (&lever);
  fake_start (&elsewhere);
  api_base = g_strconcat (lever.base, "/v1", NULL);
  token_url = g_strconcat (lever.base, "/oauth/token", NULL);
  audience = g_strconcat (lever.base, "/v1/", NULL);
  env = fulcrum_environment_new_custom ("fake", "Fake Lever", token_url, token_url, audience,
                                        api_base, 10, 20, &error);
  g_assert_no_error (error);
  fulcrum_store_add_environment (fixture.store, env, &error);
  g_assert_no_error (error);
  client_fixture_add_profile (&fixture, "fake-profile", "fake", "offline_access users:read:admin");
  client_fixture_add_account (&fixture, "fake-profile", "made-up-access-token");

  {
    g_autofree char *bare = g_strdup (lever.base + strlen ("http://"));
    char *refused[] = {
      /* another origin */
      g_strdup_printf ("%s/v1/opportunities?offset=x", elsewhere.base),
      /* out of the API base */
      g_strdup_printf ("%s/v1/../admin?offset=x", lever.base),
      g_strdup_printf ("%s/v1/%%2e%%2e/admin?offset=x", lever.base),
      g_strdup_printf ("%s/v1extra/opportunities", lever.base),
      /* credentials in the URL, another scheme */
      g_strdup_printf ("http://user@%s/v1/opportunities", bare),
      g_strdup_printf ("https://%s/v1/opportunities", bare),
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(RunResult) result = NULL;

        g_free (lever.next);
        lever.next = refused[i];
        result = client_run (fixture.client, "lever_list_opportunities", NULL,
                             FULCRUM_LEVER_RUN_ALL_PAGES);
        g_test_message ("%s: %s", lever.next, result->error ? result->error->message : "ok");
        g_assert_error (result->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_FOREIGN_URL);
        g_assert_cmpuint (result->records->len, ==, 1);
        g_assert_nonnull (strstr (result->error->message, "1 record was delivered"));
      }
  }
  g_assert_cmpuint (elsewhere.requests, ==, 0);

  /* an absolute `next` under the API base is followed */
  {
    g_autoptr(RunResult) result = NULL;

    g_free (lever.next);
    lever.next = g_strdup_printf ("%s/v1/opportunities?offset=page2", lever.base);
    result = client_run (fixture.client, "lever_list_opportunities", NULL,
                         FULCRUM_LEVER_RUN_ALL_PAGES);
    g_assert_no_error (result->error);
    g_assert_cmpuint (result->records->len, ==, 2);
  }

  /* redirects are not followed */
  {
    GError *request_error = NULL;

    g_free (lever.next);
    lever.next = g_strdup_printf ("%s/v1/users", elsewhere.base);
    fulcrum_lever_client_request_async (fixture.client, "GET", "/redirect", NULL, NULL,
                                        request_cb, &request_error);
    while (request_error == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (request_error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE);
    g_clear_error (&request_error);

    /* nor sent anywhere else by a caller */
    g_free (lever.next);
    lever.next = g_strdup_printf ("%s/v1/users", elsewhere.base);
    fulcrum_lever_client_request_async (fixture.client, "GET", lever.next, NULL, NULL,
                                        request_cb, &request_error);
    while (request_error == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (request_error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_FOREIGN_URL);
    g_clear_error (&request_error);
  }
  g_assert_cmpuint (elsewhere.requests, ==, 0);

  fake_stop (&lever);
  fake_stop (&elsewhere);
  client_fixture_teardown (&fixture);
}

static gboolean
cancel_soon (RunResult *result,
             gpointer   user_data)
{
  g_timeout_add_once (100, (GSourceOnceFunc) g_cancellable_cancel, user_data);
  return TRUE;
}

/* A run waiting out a Retry-After is cancelled at once. */
static void
test_cancel_while_throttled (void)
{
  ClientFixture fixture;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GHashTable) params = export_params ("5");
  g_autoptr(RunResult) result = NULL;

  client_fixture_setup (&fixture, 50);
  client_fixture_link (&fixture, SCOPES);
  fulcrum_sim_server_set_rate_limit (fixture.sim, TRUE, 0.05, 1);
  fulcrum_sim_server_set_retry_after (fixture.sim, TRUE);
  result = client_run_full (fixture.client, "lever_list_opportunities", params,
                            FULCRUM_LEVER_RUN_ALL_PAGES, cancel_soon, cancellable, cancellable);
  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (result->records->len, ==, 5);
  /* Retry-After said 20 s; the run ended long before */
  g_assert_cmpint (result->stats.elapsed_us, <, 15 * G_USEC_PER_SEC);
  client_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  client_test_init (&argc, &argv);

  g_test_add_func ("/client/limits/no-429-at-the-limit", test_no_429_at_the_limit);
  g_test_add_func ("/client/limits/bucket-shared", test_bucket_shared);
  g_test_add_func ("/client/limits/429-storm-retry-after", test_429_storm_retry_after);
  g_test_add_func ("/client/limits/429-storm", test_429_storm);
  g_test_add_func ("/client/limits/401-refresh", test_401_refresh);
  g_test_add_func ("/client/limits/needs-relink", test_needs_relink);
  g_test_add_func ("/client/limits/suspended", test_suspended);
  g_test_add_func ("/client/limits/cross-environment", test_cross_environment);
  g_test_add_func ("/client/limits/token-stays-home", test_token_stays_home);
  g_test_add_func ("/client/limits/cancel-while-throttled", test_cancel_while_throttled);

  return g_test_run ();
}
