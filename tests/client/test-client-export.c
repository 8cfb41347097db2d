/* test-client-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "client-test-common.h"
#include "fulcrum-test-util.h"

/* Full exports: every record exactly once, as the simulator holds it, page by page, read
 * in one chain or in several time windows at once, also when an offset goes stale. */

#define N_OPPORTUNITIES 1000
#define SCOPES CLIENT_TEST_READ_SCOPES " confidential:access:admin"

typedef struct
{
  ClientFixture  fixture;
  GPtrArray     *all;   /* every opportunity, read directly */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  client_fixture_setup (&f->fixture, N_OPPORTUNITIES);
  client_fixture_link (&f->fixture, SCOPES);
  f->all = client_sim_read_all (&f->fixture, "/opportunities?confidentiality=all");
  g_assert_cmpuint (f->all->len, ==, N_OPPORTUNITIES);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_pointer (&f->all, g_ptr_array_unref);
  client_fixture_teardown (&f->fixture);
}

static GHashTable *
export_params (const char *limit)
{
  return client_params ("confidentiality", "all", "limit", limit, NULL);
}

static void
test_sequential (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) params = export_params ("50");
  g_autoptr(RunResult) result = client_run (f->fixture.client, "lever_list_opportunities",
                                            params, FULCRUM_LEVER_RUN_ALL_PAGES);

  run_result_assert_same (result, f->all);
  /* streamed: never more than a page at a time */
  g_assert_cmpuint (result->max_page, ==, 50);
  g_assert_cmpuint (result->n_callbacks, ==, N_OPPORTUNITIES / 50);
  g_assert_cmpuint (result->stats.pages, ==, N_OPPORTUNITIES / 50);
  g_assert_cmpuint (result->stats.requests, ==, N_OPPORTUNITIES / 50);
  g_assert_cmpuint (result->stats.windows, ==, 1);
  g_assert_cmpuint (result->stats.duplicates, ==, 0);
  g_assert_null (result->next);
}

/* Four windows at once: each record still once, and each the same JSON. */
static void
test_partitioned (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) params = export_params ("50");
  g_autoptr(RunResult) result = NULL;

  fulcrum_lever_client_set_concurrency (f->fixture.client, 4);
  result = client_run (f->fixture.client, "lever_list_opportunities", params,
                       FULCRUM_LEVER_RUN_PARTITIONED);

  run_result_assert_same (result, f->all);
  g_test_message ("windows %u, at once %u, requests %" G_GUINT64_FORMAT ", duplicates %"
                  G_GUINT64_FORMAT, result->stats.windows, result->stats.concurrency,
                  result->stats.requests, result->stats.duplicates);
  g_assert_cmpuint (result->stats.windows, >, 1);
  g_assert_cmpuint (result->stats.concurrency, >, 1);
  g_assert_cmpuint (result->stats.concurrency, <=, 4);
  g_assert_cmpuint (result->max_page, <=, 50);
  /* planning costs a few pages read twice, not a second export */
  g_assert_cmpuint (result->stats.requests, <, 2 * N_OPPORTUNITIES / 50);
}

/* With Lever-like page times, the number of windows comes from the rate limit. */
static void
test_partitioned_auto (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) params = export_params ("100");
  g_autoptr(RunResult) result = NULL;

  /* 250 ms a page: at 9.5 requests/s, three chains keep the bucket busy */
  fulcrum_sim_server_set_latency (f->fixture.sim, 250, 0.0);
  result = client_run (f->fixture.client, "lever_list_opportunities", params,
                       FULCRUM_LEVER_RUN_PARTITIONED);

  run_result_assert_same (result, f->all);
  g_test_message ("windows %u, at once %u, %.1f s", result->stats.windows,
                  result->stats.concurrency, result->stats.elapsed_us / 1e6);
  /* at least two; more when the machine is slow (the page time grows) */
  g_assert_cmpuint (result->stats.concurrency, >=, 2);
  g_assert_cmpuint (result->stats.concurrency, <=, 8);
}

/* The caller's own window is kept: the windows split it, never widen it. */
static void
test_partitioned_window (Fixture       *f,
                         gconstpointer  data)
{
  JsonObject *newest = json_node_get_object (g_ptr_array_index (f->all, 0));
  JsonObject *older = json_node_get_object (g_ptr_array_index (f->all, 600));
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            json_object_get_int_member (older, "createdAt"));
  g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT,
                                          json_object_get_int_member (newest, "createdAt") - 1);
  g_autofree char *path = g_strdup_printf ("/opportunities?confidentiality=all"
                                           "&created_at_start=%s&created_at_end=%s", start, end);
  g_autoptr(GPtrArray) expected = client_sim_read_all (&f->fixture, path);
  g_autoptr(GHashTable) params = client_params ("confidentiality", "all", "limit", "40",
                                                "created_at_start", start,
                                                "created_at_end", end, NULL);
  g_autoptr(RunResult) result = NULL;

  g_assert_cmpuint (expected->len, >=, 590);
  fulcrum_lever_client_set_concurrency (f->fixture.client, 3);
  result = client_run (f->fixture.client, "lever_list_opportunities", params,
                       FULCRUM_LEVER_RUN_PARTITIONED);
  run_result_assert_same (result, expected);
  g_assert_cmpuint (result->stats.windows, >, 1);
}

/* A list that fits a page, or one that takes no time window, is read as it is. */
static void
test_partitioned_small (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) users = client_sim_read_all (&f->fixture, "/users");
  g_autoptr(GPtrArray) stages = client_sim_read_all (&f->fixture, "/stages");
  g_autoptr(GHashTable) limit = client_params ("limit", "3", NULL);
  g_autoptr(RunResult) by_pages = NULL;
  g_autoptr(RunResult) one_page = NULL;

  fulcrum_lever_client_set_concurrency (f->fixture.client, 4);
  by_pages = client_run (f->fixture.client, "lever_list_users", limit,
                         FULCRUM_LEVER_RUN_PARTITIONED);
  run_result_assert_same (by_pages, users);
  g_assert_cmpuint (by_pages->stats.windows, ==, 1);
  g_assert_cmpuint (by_pages->stats.duplicates, ==, 0);

  one_page = client_run (f->fixture.client, "lever_list_stages", NULL,
                         FULCRUM_LEVER_RUN_PARTITIONED);
  run_result_assert_same (one_page, stages);
  g_assert_cmpuint (one_page->stats.requests, ==, 1);
}

/* A bulk import: @n opportunities created at the same millisecond @created_at. */
static void
import_ties (Fixture *f,
             gint64   created_at,
             guint    n)
{
  g_autoptr(JsonNode) users = client_sim_get (&f->fixture, "/users");
  const char *user = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (users),
                                                                 "data"), 0), "id");
  g_autofree char *url = g_strdup_printf ("%s/v1/opportunities?perform_as=%s",
                                          fulcrum_sim_server_get_base_url (f->fixture.sim), user);
  g_autofree char *authorization = g_strconcat ("Bearer ", f->fixture.admin_token, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Imported %u\",\"createdAt\":%"
                                               G_GINT64_FORMAT "}", i, created_at);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      answer = soup_session_send_and_read (f->fixture.http, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_CREATED);
    }
}

/* Pages of ties leave nothing to plan below them: the chain reads on instead of planning
 * its own window again (that looped for ever). */
static void
test_partitioned_ties (Fixture       *f,
                       gconstpointer  data)
{
  const gint64 in_window = G_GINT64_CONSTANT (1700000000000);
  /* before 2012, where an open window is not split by time */
  const gint64 early = G_GINT64_CONSTANT (1000000000000);
  g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, in_window);
  g_autofree char *early_end = g_strdup_printf ("%" G_GINT64_FORMAT, early);
  g_autofree char *window_path = g_strdup_printf ("/opportunities?confidentiality=all"
                                                  "&created_at_start=%s&created_at_end=%s",
                                                  at, at);
  g_autofree char *early_path = g_strdup_printf ("/opportunities?confidentiality=all"
                                                 "&created_at_end=%s", early_end);
  g_autoptr(GPtrArray) window_expected = NULL;
  g_autoptr(GPtrArray) early_expected = NULL;
  g_autoptr(GHashTable) window_params = NULL;
  g_autoptr(GHashTable) early_params = NULL;
  g_autoptr(RunResult) window_result = NULL;
  g_autoptr(RunResult) early_result = NULL;

  import_ties (f, in_window, 6);
  import_ties (f, early, 6);
  window_expected = client_sim_read_all (&f->fixture, window_path);
  early_expected = client_sim_read_all (&f->fixture, early_path);
  g_assert_cmpuint (window_expected->len, >=, 6);
  g_assert_cmpuint (early_expected->len, ==, 6);

  window_params = client_params ("confidentiality", "all", "limit", "2",
                                 "created_at_start", at, "created_at_end", at, NULL);
  early_params = client_params ("confidentiality", "all", "limit", "2",
                                "created_at_end", early_end, NULL);
  fulcrum_lever_client_set_concurrency (f->fixture.client, 3);
  window_result = client_run (f->fixture.client, "lever_list_opportunities", window_params,
                              FULCRUM_LEVER_RUN_PARTITIONED);
  early_result = client_run (f->fixture.client, "lever_list_opportunities", early_params,
                             FULCRUM_LEVER_RUN_PARTITIONED);

  run_result_assert_same (window_result, window_expected);
  run_result_assert_same (early_result, early_expected);
  g_assert_cmpuint (early_result->stats.windows, ==, 1);
}

static int
compare_created_at (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  gint64 x = json_object_get_int_member (json_node_get_object (*(JsonNode * const *) a),
                                         "createdAt");
  gint64 y = json_object_get_int_member (json_node_get_object (*(JsonNode * const *) b),
                                         "createdAt");

  return x < y ? -1 : x > y;
}

/* A Lever whose list does not come newest first: the windows are planned from a page as a
 * sample (its quantiles). Its records are fixed; `offset` is a position in the filtered
 * list, filters as Lever's (created_at_start and _end inclusive). */
typedef struct
{
  SoupServer *server;
  char       *api_base;
  GPtrArray  *records;   /* JsonNode*, in the order served */
} Unordered;

static gboolean
param_int (GHashTable *query,
           const char *name,
           gint64     *value)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  return text != NULL && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL);
}

static void
unordered_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Unordered *lever = user_data;
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  g_autoptr(GString) body = g_string_new ("{\"data\":[");
  gint64 start = G_MININT64, end = G_MAXINT64, limit = 100, offset = 0;

  param_int (query, "created_at_start", &start);
  param_int (query, "created_at_end", &end);
  param_int (query, "limit", &limit);
  param_int (query, "offset", &offset);
  for (guint i = 0; i < lever->records->len; i++)
    {
      JsonNode *record = g_ptr_array_index (lever->records, i);
      gint64 t = json_object_get_int_member (json_node_get_object (record), "createdAt");

      if (t >= start && t <= end)
        g_ptr_array_add (matching, record);
    }
  for (gint64 i = offset; i < MIN (offset + limit, (gint64) matching->len); i++)
    {
      g_autofree char *text = json_to_string (g_ptr_array_index (matching, i), FALSE);

      g_string_append_printf (body, "%s%s", i > offset ? "," : "", text);
    }
  if (offset + limit < (gint64) matching->len)
    g_string_append_printf (body, "],\"hasNext\":true,\"next\":\"%" G_GINT64_FORMAT "\"}",
                            offset + limit);
  else
    g_string_append (body, "],\"hasNext\":false}");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str,
                                    body->len);
}

/* @n records over a year, in the order of their ids (so not by time), a few sharing a
 * millisecond; @oldest_first sorts them by time the other way round from Lever's. */
static void
unordered_start (Unordered *lever,
                 guint      n,
                 gboolean   oldest_first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const gint64 year_start = G_GINT64_CONSTANT (1700000000000);
  GSList *uris;

  lever->records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < n; i++)
    {
      gint64 t = year_start + g_rand_int_range (rand, 0, 365) * G_GINT64_CONSTANT (86400000) +
                 (i % 7 == 0 ? 0 : g_rand_int_range (rand, 0, 86400000));
      g_autofree char *text = g_strdup_printf ("{\"id\":\"u%04u\",\"name\":\"Record %u\","
                                               "\"createdAt\":%" G_GINT64_FORMAT "}", i, i, t);

      g_ptr_array_add (lever->records, json_from_string (text, &error));
      g_assert_no_error (error);
    }
  if (oldest_first)
    g_ptr_array_sort_with_data (lever->records, (GCompareDataFunc) compare_created_at, NULL);

  lever->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (lever->server, "/v1/opportunities", unordered_handler, lever, NULL);
  soup_server_listen_local (lever->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (lever->server);
  lever->api_base = g_strdup_printf ("http://127.0.0.1:%d/v1", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
unordered_stop (Unordered *lever)
{
  soup_server_disconnect (lever->server);
  g_clear_object (&lever->server);
  g_clear_pointer (&lever->api_base, g_free);
  g_clear_pointer (&lever->records, g_ptr_array_unref);
}

static void
test_partitioned_unordered (Fixture       *f,
                            gconstpointer  data)
{
  for (guint order = 0; order < 2; order++)
    {
      Unordered lever = { 0 };
      g_autoptr(FulcrumEnvironment) env = NULL;
      g_autoptr(GHashTable) params = client_params ("limit", "25", NULL);
      g_autoptr(RunResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *env_id = g_strdup_printf ("unordered-%u", order);
      g_autofree char *profile_id = g_strdup_printf ("unordered-profile-%u", order);

      unordered_start (&lever, 600, order == 1);
      env = fulcrum_environment_new_custom (env_id, env_id, lever.api_base,
                                            lever.api_base, lever.api_base, lever.api_base,
                                            1000, 1000, &error);
      g_assert_no_error (error);
      fulcrum_store_add_environment (f->fixture.store, env, &error);
      g_assert_no_error (error);
      client_fixture_add_profile (&f->fixture, profile_id, env_id,
                                  "offline_access users:read:admin opportunities:read:admin");
      client_fixture_add_account (&f->fixture, profile_id, "made-up-access-token");
      fulcrum_lever_client_set_concurrency (f->fixture.client, 4);

      result = client_run (f->fixture.client, "lever_list_opportunities", params,
                           FULCRUM_LEVER_RUN_PARTITIONED);
      g_test_message ("%s: %u windows, %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
                      " duplicates", order == 1 ? "oldest first" : "by id", result->stats.windows,
                      result->stats.requests, result->stats.duplicates);
      run_result_assert_same (result, lever.records);
      /* read as several windows, not as one chain, and not at any price: splitting a
       * window only to read its first page again and again cost 6 times the pages */
      g_assert_cmpuint (result->stats.windows, >, 1);
      g_assert_cmpuint (result->stats.requests, <=, 2 * 600 / 25);
      unordered_stop (&lever);
    }
}

/* One page at a time, as the Explorer's "Load more" reads it. */
static void
test_page_by_page (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *offset = NULL;
  RunResult wrapper = { 0 };
  guint pages = 0;

  do
    {
      g_autoptr(GHashTable) params = export_params ("75");
      g_autoptr(RunResult) result = NULL;

      if (offset != NULL)
        g_hash_table_insert (params, g_strdup ("offset"), g_strdup (offset));
      result = client_run (f->fixture.client, "lever_list_opportunities", params,
                           FULCRUM_LEVER_RUN_NONE);
      g_assert_no_error (result->error);
      g_assert_cmpuint (result->stats.requests, ==, 1);
      for (guint i = 0; i < result->records->len; i++)
        g_ptr_array_add (all, json_node_ref (g_ptr_array_index (result->records, i)));
      g_free (offset);
      offset = g_steal_pointer (&result->next);
      pages++;
    }
  while (offset != NULL);

  g_assert_cmpuint (pages, ==, (N_OPPORTUNITIES + 74) / 75);
  wrapper.records = all;
  run_result_assert_same (&wrapper, f->all);
}

static gboolean
stop_after_two (RunResult *result,
                gpointer   user_data)
{
  return result->n_callbacks < 2;
}

static gboolean
cancel_after_two (RunResult *result,
                  gpointer   user_data)
{
  if (result->n_callbacks == 2)
    g_cancellable_cancel (user_data);
  return TRUE;
}

static void
test_stop_and_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) params = export_params ("25");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RunResult) stopped = NULL;
  g_autoptr(RunResult) cancelled = NULL;

  stopped = client_run_full (f->fixture.client, "lever_list_opportunities", params,
                             FULCRUM_LEVER_RUN_ALL_PAGES, stop_after_two, NULL, NULL);
  g_assert_no_error (stopped->error);
  g_assert_cmpuint (stopped->records->len, ==, 50);
  g_assert_cmpuint (stopped->n_callbacks, ==, 2);

  fulcrum_lever_client_set_concurrency (f->fixture.client, 3);
  cancelled = client_run_full (f->fixture.client, "lever_list_opportunities", params,
                               FULCRUM_LEVER_RUN_PARTITIONED, cancel_after_two, cancellable,
                               cancellable);
  g_assert_error (cancelled->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* what was delivered before is said, and no page came after the cancel */
  g_assert_cmpuint (cancelled->n_callbacks, ==, 2);
  g_assert_cmpuint (cancelled->stats.records, ==, cancelled->records->len);
}

/* The simulator refuses the first offset after page one: the chain starts again, the
 * page read twice is not delivered twice. */
typedef struct
{
  FulcrumSimServer *sim;
  guint             poll_id;
} StaleOnce;

static gboolean
poll_stale_cb (gpointer user_data)
{
  StaleOnce *stale = user_data;

  if (client_sim_stat (stale->sim, "faults.stale-offset") == 0)
    return G_SOURCE_CONTINUE;
  fulcrum_sim_server_set_fault_rate (stale->sim, FULCRUM_SIM_FAULT_STALE_OFFSET, 0.0);
  stale->poll_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
go_stale_after_first_page (RunResult *result,
                           gpointer   user_data)
{
  StaleOnce *stale = user_data;

  if (result->n_callbacks == 1)
    {
      fulcrum_sim_server_set_fault_rate (stale->sim, FULCRUM_SIM_FAULT_STALE_OFFSET, 1.0);
      stale->poll_id = g_timeout_add (2, poll_stale_cb, stale);
    }
  return TRUE;
}

static void
test_stale_offset (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) params = export_params ("100");
  g_autoptr(RunResult) result = NULL;
  StaleOnce stale = { f->fixture.sim, 0 };

  /* slow enough for the poll to turn the fault off before the chain is back at page 2 */
  fulcrum_sim_server_set_latency (f->fixture.sim, 60, 0.0);
  result = client_run_full (f->fixture.client, "lever_list_opportunities", params,
                            FULCRUM_LEVER_RUN_ALL_PAGES, go_stale_after_first_page, &stale,
                            NULL);
  g_clear_handle_id (&stale.poll_id, g_source_remove);

  run_result_assert_same (result, f->all);
  g_assert_cmpint (client_sim_stat (f->fixture.sim, "faults.stale-offset"), >=, 1);
  g_assert_cmpuint (result->stats.restarts, ==,
                    client_sim_stat (f->fixture.sim, "faults.stale-offset"));
  g_assert_cmpuint (result->stats.duplicates, >=, 100);
}

/* Stale offsets at random, in windows read at once: still each record once. */
static void
test_stale_offset_partitioned (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GHashTable) params = export_params ("50");
  g_autoptr(RunResult) result = NULL;

  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_STALE_OFFSET, 0.04);
  fulcrum_lever_client_set_concurrency (f->fixture.client, 4);
  result = client_run (f->fixture.client, "lever_list_opportunities", params,
                       FULCRUM_LEVER_RUN_PARTITIONED);
  run_result_assert_same (result, f->all);
  g_assert_cmpuint (result->stats.restarts, ==,
                    client_sim_stat (f->fixture.sim, "faults.stale-offset"));
}

int
main (int   argc,
      char *argv[])
{
  client_test_init (&argc, &argv);

  g_test_add ("/client/export/sequential", Fixture, NULL, setup, test_sequential, teardown);
  g_test_add ("/client/export/partitioned", Fixture, NULL, setup, test_partitioned, teardown);
  g_test_add ("/client/export/partitioned-auto", Fixture, NULL, setup, test_partitioned_auto,
              teardown);
  g_test_add ("/client/export/partitioned-window", Fixture, NULL, setup,
              test_partitioned_window, teardown);
  g_test_add ("/client/export/partitioned-small", Fixture, NULL, setup, test_partitioned_small,
              teardown);
  g_test_add ("/client/export/partitioned-ties", Fixture, NULL, setup, test_partitioned_ties,
              teardown);
  g_test_add ("/client/export/partitioned-unordered", Fixture, NULL, setup,
              test_partitioned_unordered, teardown);
  g_test_add ("/client/export/page-by-page", Fixture, NULL, setup, test_page_by_page, teardown);
  g_test_add ("/client/export/stop-and-cancel", Fixture, NULL, setup, test_stop_and_cancel,
              teardown);
  g_test_add ("/client/export/stale-offset", Fixture, NULL, setup, test_stale_offset, teardown);
  g_test_add ("/client/export/stale-offset-partitioned", Fixture, NULL, setup,
              test_stale_offset_partitioned, teardown);

  return g_test_run ();
}
