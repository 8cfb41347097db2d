/* bench-sim.c: how many pages of 100 opportunities the simulator serves per second
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-test-util.h"
#include "sim-test-common.h"

/* The simulator runs in its thread with latency and rate limit off; a few clients, each in
 * a thread of its own with a blocking libsoup session, read the opportunities page after
 * page (following `next`, starting over at the end) for a few seconds. */

#define N_CLIENTS   3
#define DURATION_S  4.0

typedef struct
{
  const char *base_url;
  const char *token;
  gint64      deadline;
  guint       pages;
  guint       passes;
  guint64     bytes;
  guint       errors;
} Client;

/* `next` is the envelope's last member: find it from the end without parsing the page */
static char *
find_next (const char *body,
           gsize       len)
{
  static const char key[] = "\"next\":\"";
  const char *tail = body + (len > 256 ? len - 256 : 0);
  const char *found = g_strstr_len (tail, body + len - tail, key);
  const char *start, *end;

  if (found == NULL)
    return NULL;
  start = found + strlen (key);
  end = memchr (start, '"', body + len - start);
  return end != NULL ? g_strndup (start, end - start) : NULL;
}

static gpointer
client_thread (gpointer data)
{
  Client *client = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *authorization = g_strconcat ("Bearer ", client->token, NULL);
  g_autofree char *next = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);

  while (g_get_monotonic_time () < client->deadline)
    {
      g_autofree char *url = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      const char *data_ptr;
      gsize len;

      url = next ? g_strdup_printf ("%s/v1/opportunities?limit=100&offset=%s", client->base_url,
                                    next)
                 : g_strdup_printf ("%s/v1/opportunities?limit=100", client->base_url);
      msg = soup_message_new ("GET", url);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      if (error != NULL || soup_message_get_status (msg) != 200)
        {
          client->errors++;
          continue;
        }
      data_ptr = g_bytes_get_data (body, &len);
      g_clear_pointer (&next, g_free);
      next = find_next (data_ptr, len);
      client->pages++;
      client->bytes += len;
      if (next == NULL)
        client->passes++;

    }

  g_main_context_pop_thread_default (context);
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  SimFixture fixture = { 0 };
  Client clients[N_CLIENTS] = { 0 };
  GThread *threads[N_CLIENTS];
  g_autofree char *token = NULL;
  g_autoptr(SimResponse) first = NULL;
  g_autoptr(JsonNode) page = NULL;
  gint64 start, elapsed;
  guint pages = 0, errors = 0, passes = 0;
  guint64 bytes = 0;
  gint64 records;
  double pages_per_s;

  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  sim_fixture_setup (&fixture, FULCRUM_SIM_DEFAULT_OPPORTUNITIES);
  token = sim_access_token (&fixture, "offline_access users:read:admin opportunities:read:admin");

  /* the pages are real: 100 opportunities of valid JSON */
  first = sim_get (&fixture, "/v1/opportunities?limit=100", token);
  page = sim_response_json (first);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (page), "data")), ==, 100);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      clients[i].base_url = fulcrum_sim_server_get_base_url (fixture.server);
      clients[i].token = token;
      clients[i].deadline = start + (gint64) (DURATION_S * G_USEC_PER_SEC);
      threads[i] = g_thread_new ("bench-client", client_thread, &clients[i]);
    }
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_thread_join (threads[i]);
      pages += clients[i].pages;
      passes += clients[i].passes;
      bytes += clients[i].bytes;
      errors += clients[i].errors;
    }
  elapsed = g_get_monotonic_time () - start;
  /* what the server sent: full pages of 100 but for the last page of each pass */
  records = sim_stat (&fixture, "records") - 100;
  pages_per_s = pages / (elapsed / (double) G_USEC_PER_SEC);

  g_print ("simulator: %u pages (%" G_GINT64_FORMAT " opportunities, %.1f MB) in %.2f s "
           "with %d clients: %.0f pages/s, %.0f MB/s, %u errors\n",
           pages, records, bytes / 1e6, elapsed / (double) G_USEC_PER_SEC, N_CLIENTS,
           pages_per_s, bytes / 1e6 / (elapsed / (double) G_USEC_PER_SEC), errors);
  g_assert_cmpuint (errors, ==, 0);
  /* a page holds 100, except the last one of each pass (5000 is a multiple of 100) */

  g_assert_cmpint (sim_stat (&fixture, "pages"), ==, pages + 1);
  g_assert_cmpint (records, <=, (gint64) pages * 100);
  g_assert_cmpint (records, >, (gint64) (pages - passes - N_CLIENTS) * 100);

  sim_fixture_teardown (&fixture);
  return 0;
}
