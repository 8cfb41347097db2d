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
  g_test_add ("/client/export/page-by-page", Fixture, NULL, setup, test_page_by_page, teardown);
  g_test_add ("/client/export/stop-and-cancel", Fixture, NULL, setup, test_stop_and_cancel,
              teardown);
  g_test_add ("/client/export/stale-offset", Fixture, NULL, setup, test_stale_offset, teardown);
  g_test_add ("/client/export/stale-offset-partitioned", Fixture, NULL, setup,
              test_stale_offset_partitioned, teardown);

  return g_test_run ();
}
