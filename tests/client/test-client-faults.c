/* test-client-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "client-test-common.h"
#include "fulcrum-test-util.h"

/* What goes wrong between the client and Lever: each fault ends in either the right data
 * (after retries) or a clear error that says how far the run got; never a crash, never a
 * silent partial. */

#define N_OPPORTUNITIES 300
#define SCOPES CLIENT_TEST_READ_SCOPES " confidential:access:admin"

typedef struct
{
  ClientFixture  fixture;
  GPtrArray     *all;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  client_fixture_setup (&f->fixture, N_OPPORTUNITIES);
  client_fixture_link (&f->fixture, SCOPES);
  client_fixture_fast_retries (&f->fixture, 10);
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

static RunResult *
export (Fixture              *f,
        const char           *limit,
        FulcrumLeverRunFlags  flags)
{
  g_autoptr(GHashTable) params = client_params ("confidentiality", "all", "limit", limit, NULL);

  return client_run (f->fixture.client, "lever_list_opportunities", params, flags);
}

/* 502, 503, HTML pages, malformed and truncated JSON: each faulty answer costs exactly one
 * retry, and the export is complete and exact. */
static void
test_retried (Fixture       *f,
              gconstpointer  data)
{
  static const FulcrumSimFault faults[] = {
    FULCRUM_SIM_FAULT_502, FULCRUM_SIM_FAULT_503, FULCRUM_SIM_FAULT_HTML,
    FULCRUM_SIM_FAULT_MALFORMED, FULCRUM_SIM_FAULT_TRUNCATED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      const char *name = fulcrum_sim_fault_to_string (faults[i]);
      g_autofree char *counter = g_strdup_printf ("faults.%s", name);
      g_autoptr(RunResult) result = NULL;
      gint64 seen;

      fulcrum_sim_server_reset_stats (f->fixture.sim);
      fulcrum_sim_server_set_fault_rate (f->fixture.sim, faults[i], 0.3);
      result = export (f, "20", FULCRUM_LEVER_RUN_ALL_PAGES);
      fulcrum_sim_server_set_fault_rate (f->fixture.sim, faults[i], 0.0);

      seen = client_sim_stat (f->fixture.sim, counter);
      g_test_message ("%s: %" G_GINT64_FORMAT " faults, %" G_GUINT64_FORMAT " retries", name,
                      seen, result->stats.retries);
      run_result_assert_same (result, f->all);
      g_assert_cmpuint (result->stats.retries, ==, seen);
      g_assert_cmpuint (result->stats.requests, ==, N_OPPORTUNITIES / 20 + seen);
    }
}

/* Dropped connections: retried (libsoup itself may resend on a reused connection). */
static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(RunResult) result = NULL;

  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_RESET, 0.3);
  result = export (f, "20", FULCRUM_LEVER_RUN_ALL_PAGES);
  run_result_assert_same (result, f->all);
  g_assert_cmpuint (result->stats.retries, <=, client_sim_stat (f->fixture.sim, "faults.reset"));
}

/* Everything at once, in windows read at once. */
static void
test_mixed (Fixture       *f,
            gconstpointer  data)
{
  static const FulcrumSimFault faults[] = {
    FULCRUM_SIM_FAULT_502, FULCRUM_SIM_FAULT_503, FULCRUM_SIM_FAULT_HTML,
    FULCRUM_SIM_FAULT_MALFORMED, FULCRUM_SIM_FAULT_TRUNCATED, FULCRUM_SIM_FAULT_RESET,
  };
  g_autoptr(RunResult) result = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    fulcrum_sim_server_set_fault_rate (f->fixture.sim, faults[i], 0.05);
  fulcrum_lever_client_set_concurrency (f->fixture.client, 3);
  result = export (f, "15", FULCRUM_LEVER_RUN_PARTITIONED);
  run_result_assert_same (result, f->all);
}

/* A slow drip that finishes is just slow. */
static void
test_drip_completes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RunResult) result = NULL;

  fulcrum_sim_server_set_drip_ms (f->fixture.sim, 150);
  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_DRIP, 1.0);
  result = export (f, "100", FULCRUM_LEVER_RUN_ALL_PAGES);
  run_result_assert_same (result, f->all);
  g_assert_cmpuint (result->stats.retries, ==, 0);
  g_assert_cmpint (client_sim_stat (f->fixture.sim, "faults.drip"), ==, result->stats.requests);
}

static gboolean
stop_dripping_cb (gpointer user_data)
{
  fulcrum_sim_server_set_fault_rate (user_data, FULCRUM_SIM_FAULT_DRIP, 0.0);
  return G_SOURCE_REMOVE;
}

/* A drip slower than the client waits counts as a failed try, and is tried again. */
static void
test_drip_times_out (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RunResult) result = NULL;

  fulcrum_lever_client_set_timeout (f->fixture.client, 1);
  fulcrum_sim_server_set_drip_ms (f->fixture.sim, 4000);
  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_DRIP, 1.0);
  /* the first answer drips; the ones after the client gave up on it do not */
  g_timeout_add (300, stop_dripping_cb, f->fixture.sim);
  result = export (f, "100", FULCRUM_LEVER_RUN_ALL_PAGES);
  run_result_assert_same (result, f->all);
  g_assert_cmpint (client_sim_stat (f->fixture.sim, "faults.drip"), >=, 1);
  g_assert_cmpuint (result->stats.retries, ==, client_sim_stat (f->fixture.sim, "faults.drip"));
}

/* A 500 is Lever's own error: not retried, said clearly. */
static void
test_500 (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(RunResult) result = NULL;

  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_500, 1.0);
  result = export (f, "20", FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_error (result->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_SERVER);
  g_test_message ("%s", result->error->message);
  g_assert_nonnull (strstr (result->error->message, "500"));
  g_assert_nonnull (strstr (result->error->message, "An unexpected error occurred"));
  g_assert_cmpuint (result->stats.requests, ==, 1);
  g_assert_cmpuint (result->records->len, ==, 0);
}

static gboolean
fail_after_two_pages (RunResult *result,
                      gpointer   user_data)
{
  if (result->n_callbacks == 2)
    fulcrum_sim_server_set_fault_rate (user_data, FULCRUM_SIM_FAULT_500, 1.0);
  return TRUE;
}

/* A run that fails half-way says so, and how many records it delivered before. */
static void
test_partial_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) params = client_params ("confidentiality", "all", "limit", "25", NULL);
  g_autoptr(RunResult) result = NULL;

  result = client_run_full (f->fixture.client, "lever_list_opportunities", params,
                            FULCRUM_LEVER_RUN_ALL_PAGES, fail_after_two_pages, f->fixture.sim,
                            NULL);
  g_assert_error (result->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_SERVER);
  g_test_message ("%s", result->error->message);
  g_assert_cmpuint (result->records->len, ==, 50);
  g_assert_nonnull (strstr (result->error->message, "50 records were delivered"));
}

/* Every try used up: the error says how many there were. */
static void
test_exhausted (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RunResult) result = NULL;

  client_fixture_fast_retries (&f->fixture, 3);
  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_502, 1.0);
  result = export (f, "20", FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_error (result->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_SERVER);
  g_test_message ("%s", result->error->message);
  g_assert_nonnull (strstr (result->error->message, "3 tries"));
  g_assert_nonnull (strstr (result->error->message, "502"));
  g_assert_cmpuint (result->stats.requests, ==, 3);
  g_assert_cmpuint (result->stats.retries, ==, 2);

  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_502, 0.0);
  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_MALFORMED, 1.0);
  g_clear_pointer (&result, run_result_free);
  result = export (f, "20", FULCRUM_LEVER_RUN_ALL_PAGES);
  g_assert_error (result->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE);
  g_test_message ("%s", result->error->message);
}

/* A write whose answer was lost may have been made: it is not sent again. A 503 or a
 * 429 was not processed: that one is. */
static void
test_writes_not_repeated (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) users = client_sim_get (&f->fixture, "/users?limit=1");
  const char *admin = client_record_id (json_array_get_element (
    json_object_get_array_member (json_node_get_object (users), "data"), 0));
  g_autoptr(GHashTable) params = client_params ("perform_as", admin, "name", "Alan Turing",
                                                NULL);
  g_autoptr(RunResult) truncated = NULL;
  g_autoptr(RunResult) unavailable = NULL;

  client_fixture_link (&f->fixture, CLIENT_TEST_WRITE_SCOPES);
  client_fixture_fast_retries (&f->fixture, 3);

  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_TRUNCATED, 1.0);
  truncated = client_run (f->fixture.client, "lever_create_opportunity", params,
                          FULCRUM_LEVER_RUN_NONE);
  g_assert_error (truncated->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE);
  g_test_message ("%s", truncated->error->message);
  g_assert_nonnull (strstr (truncated->error->message, "may or may not"));
  g_assert_cmpuint (truncated->stats.requests, ==, 1);
  g_assert_cmpint (client_sim_stat (f->fixture.sim, "writes"), ==, 1);

  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_TRUNCATED, 0.0);
  fulcrum_sim_server_set_fault_rate (f->fixture.sim, FULCRUM_SIM_FAULT_503, 1.0);
  unavailable = client_run (f->fixture.client, "lever_create_opportunity", params,
                            FULCRUM_LEVER_RUN_NONE);
  g_assert_error (unavailable->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_SERVER);
  g_assert_cmpuint (unavailable->stats.requests, ==, 3);
  g_assert_cmpint (client_sim_stat (f->fixture.sim, "writes"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  client_test_init (&argc, &argv);

  g_test_add ("/client/faults/retried", Fixture, NULL, setup, test_retried, teardown);
  g_test_add ("/client/faults/reset", Fixture, NULL, setup, test_reset, teardown);
  g_test_add ("/client/faults/mixed", Fixture, NULL, setup, test_mixed, teardown);
  g_test_add ("/client/faults/drip-completes", Fixture, NULL, setup, test_drip_completes,
              teardown);
  g_test_add ("/client/faults/drip-times-out", Fixture, NULL, setup, test_drip_times_out,
              teardown);
  g_test_add ("/client/faults/500", Fixture, NULL, setup, test_500, teardown);
  g_test_add ("/client/faults/partial-failure", Fixture, NULL, setup, test_partial_failure,
              teardown);
  g_test_add ("/client/faults/exhausted", Fixture, NULL, setup, test_exhausted, teardown);
  g_test_add ("/client/faults/writes-not-repeated", Fixture, NULL, setup,
              test_writes_not_repeated, teardown);

  return g_test_run ();
}
