/* test-sim-limits.c: the simulator's rate limit, latency and faults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-test-util.h"
#include "sim-test-common.h"

#define SCOPES "offline_access users:read:admin opportunities:read:admin"

typedef struct
{
  SimFixture  sim;
  char       *token;
} LimitFixture;

static void
setup (LimitFixture  *fixture,
       gconstpointer  data)
{
  sim_fixture_setup (&fixture->sim, 300);
  fixture->token = sim_access_token (&fixture->sim, SCOPES);
}

static void
teardown (LimitFixture  *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->token, g_free);
  sim_fixture_teardown (&fixture->sim);
}

static guint
status_of (LimitFixture *fixture,
           const char   *token)
{
  g_autoptr(SimResponse) response = sim_get (&fixture->sim, "/v1/users?limit=1", token);

  g_assert_no_error (response->error);
  return response->status;
}

/* How many of @n requests, @step_ms apart on the simulator's clock, get through. */
static guint
count_ok (LimitFixture *fixture,
          const char   *token,
          guint         n,
          gint64        step_ms)
{
  guint ok = 0;

  for (guint i = 0; i < n; i++)
    {
      guint status = status_of (fixture, token);

      g_assert_true (status == 200 || status == 429);
      ok += status == 200;
      fulcrum_sim_server_advance_clock_ms (fixture->sim.server, step_ms);
    }
  return ok;
}

static void
test_rate_limit (LimitFixture  *fixture,
                 gconstpointer  data)
{
  g_autofree char *other = sim_access_token (&fixture->sim, SCOPES);

  fulcrum_sim_server_set_manual_clock (fixture->sim.server, TRUE);
  fulcrum_sim_server_set_rate_limit (fixture->sim.server, TRUE, 10.0, 20);

  /* a burst of 20, then 429 */
  g_assert_cmpuint (count_ok (fixture, fixture->token, 25, 0), ==, 20);
  {
    g_autoptr(SimResponse) limited = sim_get (&fixture->sim, "/v1/users", fixture->token);
    g_autofree char *code = sim_response_error_code (limited);

    g_assert_cmpuint (limited->status, ==, 429);
    g_assert_cmpstr (code, ==, "TooManyRequests");
    g_assert_null (soup_message_headers_get_one (limited->headers, "Retry-After"));
  }
  /* each access token has its own bucket */
  g_assert_cmpuint (status_of (fixture, other), ==, 200);

  /* then 10 per second */
  fulcrum_sim_server_advance_clock (fixture->sim.server, 1);
  g_assert_cmpuint (count_ok (fixture, fixture->token, 12, 0), ==, 10);
  fulcrum_sim_server_advance_clock_ms (fixture->sim.server, 500);
  g_assert_cmpuint (count_ok (fixture, fixture->token, 8, 0), ==, 5);

  /* twice the rate for 9.95 s: the burst, then one in two */
  fulcrum_sim_server_advance_clock (fixture->sim.server, 10);
  g_assert_cmpuint (count_ok (fixture, fixture->token, 200, 50), ==, 20 + 99);
  /* at the rate and below it: none is */
  fulcrum_sim_server_advance_clock (fixture->sim.server, 10);
  g_assert_cmpuint (count_ok (fixture, fixture->token, 100, 100), ==, 100);
  g_assert_cmpuint (count_ok (fixture, fixture->token, 100, 111), ==, 100);

  g_assert_cmpint (sim_stat (&fixture->sim, "rate_limited"), ==, 5 + 1 + 2 + 3 + 81);
  g_assert_cmpint (sim_stat (&fixture->sim, "responses.429"), ==, 5 + 1 + 2 + 3 + 81);

  /* the burst and the rate are settings */
  fulcrum_sim_server_set_rate_limit (fixture->sim.server, TRUE, 2.0, 3);
  fulcrum_sim_server_advance_clock (fixture->sim.server, 10);
  g_assert_cmpuint (count_ok (fixture, fixture->token, 5, 0), ==, 3);
  fulcrum_sim_server_advance_clock (fixture->sim.server, 1);
  g_assert_cmpuint (count_ok (fixture, fixture->token, 5, 0), ==, 2);

  /* and it can be switched off */
  fulcrum_sim_server_set_rate_limit (fixture->sim.server, FALSE, 2.0, 3);
  g_assert_cmpuint (count_ok (fixture, fixture->token, 50, 0), ==, 50);
}

static void
test_retry_after (LimitFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) limited = NULL;
  const char *retry_after;
  guint64 seconds = 0;

  fulcrum_sim_server_set_manual_clock (fixture->sim.server, TRUE);
  fulcrum_sim_server_set_rate_limit (fixture->sim.server, TRUE, 0.25, 1);
  fulcrum_sim_server_set_retry_after (fixture->sim.server, TRUE);

  g_assert_cmpuint (status_of (fixture, fixture->token), ==, 200);
  limited = sim_get (&fixture->sim, "/v1/users", fixture->token);
  g_assert_cmpuint (limited->status, ==, 429);
  retry_after = soup_message_headers_get_one (limited->headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 3600, &seconds, NULL));
  /* one request every 4 s */
  g_assert_cmpuint (seconds, ==, 4);

  /* honouring it is enough */
  fulcrum_sim_server_advance_clock (fixture->sim.server, seconds);
  g_assert_cmpuint (status_of (fixture, fixture->token), ==, 200);
}

static void
test_rate_limit_real_time (LimitFixture  *fixture,
                           gconstpointer  data)
{
  guint ok = 0, limited = 0;
  gint64 start, elapsed;

  /* paced at half the rate: the bucket never runs dry, however slow the machine */
  fulcrum_sim_server_set_rate_limit (fixture->sim.server, TRUE, 20.0, 2);
  for (guint i = 0; i < 20; i++)
    {
      g_assert_cmpuint (status_of (fixture, fixture->token), ==, 200);
      g_usleep (100 * 1000);
    }

  /* as fast as we can: no more than the burst plus the rate */
  fulcrum_sim_server_set_rate_limit (fixture->sim.server, TRUE, 20.0, 5);
  g_usleep (300 * 1000);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    {
      guint status = status_of (fixture, fixture->token);

      ok += status == 200;
      limited += status == 429;
    }
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (ok + limited, ==, 100);
  g_assert_cmpfloat (ok, <=, 5 + 20.0 * elapsed / G_USEC_PER_SEC + 1);
}

static char *
classify (SimResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *type;
  gsize len;
  const char *body;

  if (response->error != NULL)
    return g_strdup ("reset");
  type = soup_message_headers_get_content_type (response->headers, NULL);
  body = g_bytes_get_data (response->body, &len);
  /* every other answer has a Content-Length */
  if (soup_message_headers_get_encoding (response->headers) == SOUP_ENCODING_CHUNKED)
    {
      g_assert_cmpuint (response->status, ==, 200);
      g_assert_true (json_parser_load_from_data (parser, body, len, NULL));
      return g_strdup ("drip");
    }
  if (g_strcmp0 (type, "text/html") == 0 && response->status == 502)
    return g_strdup ("502");
  if (g_strcmp0 (type, "text/html") == 0)
    {
      g_assert_true (response->status == 200 || response->status == 503);
      return g_strdup ("html");
    }
  g_assert_cmpstr (type, ==, "application/json");
  if (!json_parser_load_from_data (parser, body, len, NULL))
    {
      g_assert_cmpuint (response->status, ==, 200);
      return g_strdup (len > 3 && memcmp (body + len - 3, "-->", 3) == 0 ? "malformed"
                                                                         : "truncated");
    }
  if (response->status == 500 || response->status == 503)
    return g_strdup_printf ("%u", response->status);
  g_assert_cmpuint (response->status, ==, 200);
  return g_strdup ("ok");
}

static SimResponse *
get_on_new_connection (LimitFixture *fixture,
                       const char   *path)
{
  g_autofree char *url = sim_url (&fixture->sim, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *authorization = g_strconcat ("Bearer ", fixture->token, NULL);
  SimResponse *response = g_new0 (SimResponse, 1);

  /* no silent retry on a reused connection: every reset is seen */
  soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  response->body = soup_session_send_and_read (fixture->sim.session, msg, NULL, &response->error);
  if (response->error == NULL)
    {
      response->status = soup_message_get_status (msg);
      response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
    }
  return response;
}

static void
test_fault_rates (LimitFixture  *fixture,
                  gconstpointer  data)
{
  static const FulcrumSimFault faults[] = {
    FULCRUM_SIM_FAULT_500, FULCRUM_SIM_FAULT_502, FULCRUM_SIM_FAULT_503, FULCRUM_SIM_FAULT_HTML,
    FULCRUM_SIM_FAULT_MALFORMED, FULCRUM_SIM_FAULT_TRUNCATED, FULCRUM_SIM_FAULT_RESET,
    FULCRUM_SIM_FAULT_DRIP,
  };
  const guint n = 1500;
  const double rate = 0.08;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    fulcrum_sim_server_set_fault_rate (fixture->sim.server, faults[i], rate);
  fulcrum_sim_server_set_drip_ms (fixture->sim.server, 20);
  fulcrum_sim_server_reset_stats (fixture->sim.server);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SimResponse) response = get_on_new_connection (fixture, "/v1/users?limit=5");
      g_autofree char *kind = classify (response);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, kind));

      g_hash_table_replace (counts, g_steal_pointer (&kind), GUINT_TO_POINTER (count + 1));
    }

  g_assert_cmpint (sim_stat (&fixture->sim, "api_requests"), ==, n);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      const char *name = fulcrum_sim_fault_to_string (faults[i]);
      g_autofree char *stat = g_strconcat ("faults.", name, NULL);
      guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));

      /* what the client saw is what the simulator says it did, near the rate (±4.7 σ) */
      g_test_message ("%s: %u of %u", name, seen, n);
      g_assert_cmpint (sim_stat (&fixture->sim, stat), ==, seen);
      g_assert_cmpuint (seen, >=, 70);
      g_assert_cmpuint (seen, <=, 170);
    }
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "ok")), >=, 450);

  /* faults are for the API: OAuth and the _sim endpoints are spared */
  {
    g_autoptr(SimResponse) info = sim_get (&fixture->sim, "/_sim/info", NULL);
    g_autofree char *token = sim_access_token (&fixture->sim, SCOPES);

    g_assert_cmpuint (info->status, ==, 200);
    g_assert_nonnull (token);
  }

  /* and switched off again */
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    fulcrum_sim_server_set_fault_rate (fixture->sim.server, faults[i], 0.0);
  for (guint i = 0; i < 50; i++)
    g_assert_cmpuint (status_of (fixture, fixture->token), ==, 200);
}

static void
test_stale_offset (LimitFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(SimResponse) first = sim_get (&fixture->sim, "/v1/opportunities?limit=10",
                                          fixture->token);
  g_autoptr(JsonNode) page = sim_response_json (first);
  g_autofree char *path = g_strdup_printf ("/v1/opportunities?limit=10&offset=%s",
                                           json_object_get_string_member (
                                             json_node_get_object (page), "next"));
  guint refused = 0;

  fulcrum_sim_server_set_fault_rate (fixture->sim.server, FULCRUM_SIM_FAULT_STALE_OFFSET, 0.5);
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(SimResponse) response = sim_get (&fixture->sim, path, fixture->token);

      if (response->status == 400)
        {
          g_autoptr(JsonNode) body = sim_response_json (response);

          g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "message"),
                           ==, "Invalid offset token");
          refused++;
        }
      else
        g_assert_cmpuint (response->status, ==, 200);
    }
  g_assert_cmpint (sim_stat (&fixture->sim, "faults.stale-offset"), ==, refused);
  g_assert_cmpuint (refused, >=, 150);
  g_assert_cmpuint (refused, <=, 250);

  /* a first page has no offset to refuse */
  fulcrum_sim_server_set_fault_rate (fixture->sim.server, FULCRUM_SIM_FAULT_STALE_OFFSET, 1.0);
  g_assert_cmpuint (status_of (fixture, fixture->token), ==, 200);
}

static void
test_drip (LimitFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr(SimResponse) response = NULL;
  g_autoptr(JsonNode) page = NULL;
  gint64 start, elapsed;

  fulcrum_sim_server_set_drip_ms (fixture->sim.server, 600);
  fulcrum_sim_server_set_fault_rate (fixture->sim.server, FULCRUM_SIM_FAULT_DRIP, 1.0);

  start = g_get_monotonic_time ();
  response = sim_get (&fixture->sim, "/v1/opportunities?limit=100", fixture->token);
  elapsed = g_get_monotonic_time () - start;

  /* all of it, slowly, in chunks */
  g_assert_cmpuint (response->status, ==, 200);
  page = sim_response_json (response);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (page), "data")), ==, 100);
  g_assert_cmpint (soup_message_headers_get_encoding (response->headers), ==,
                   SOUP_ENCODING_CHUNKED);
  g_assert_cmpint (elapsed, >=, 570 * 1000);
  g_assert_cmpint (sim_stat (&fixture->sim, "faults.drip"), ==, 1);
}

typedef struct
{
  LimitFixture *fixture;
  guint         status;
  gboolean      done;
} SlowRequest;

static gpointer
slow_request_thread (gpointer data)
{
  SlowRequest *slow = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = sim_url (&slow->fixture->sim, "/v1/opportunities?limit=100");
  g_autofree char *authorization = g_strconcat ("Bearer ", slow->fixture->token, NULL);

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  slow->status = soup_message_get_status (msg);
  g_atomic_int_set (&slow->done, TRUE);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_latency (LimitFixture  *fixture,
              gconstpointer  data)
{
  SlowRequest slow = { fixture, 0, FALSE };
  g_autoptr(SimResponse) response = NULL;
  GThread *thread;
  gint64 start, elapsed;

  /* base + per record */
  fulcrum_sim_server_set_latency (fixture->sim.server, 150, 3.0);
  start = g_get_monotonic_time ();
  response = sim_get (&fixture->sim, "/v1/opportunities?limit=50", fixture->token);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpint (elapsed, >=, (150 + 150 - 5) * 1000);

  /* a delayed response blocks nobody: the server answers others meanwhile */
  fulcrum_sim_server_set_latency (fixture->sim.server, 4000, 0.0);
  thread = g_thread_new ("slow", slow_request_thread, &slow);
  while (sim_stat (&fixture->sim, "pages") < 2)
    g_usleep (1000);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SimResponse) info = sim_get (&fixture->sim, "/_sim/info", NULL);

      g_assert_cmpuint (info->status, ==, 200);
    }
  g_assert_false (g_atomic_int_get (&slow.done));
  g_thread_join (thread);
  g_assert_cmpuint (slow.status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, LimitFixture, NULL, setup, func, teardown)
  ADD ("/sim/limits/rate-limit", test_rate_limit);
  ADD ("/sim/limits/retry-after", test_retry_after);
  ADD ("/sim/limits/rate-limit-real-time", test_rate_limit_real_time);
  ADD ("/sim/limits/fault-rates", test_fault_rates);
  ADD ("/sim/limits/stale-offset", test_stale_offset);
  ADD ("/sim/limits/drip", test_drip);
  ADD ("/sim/limits/latency", test_latency);
#undef ADD

  return g_test_run ();
}
