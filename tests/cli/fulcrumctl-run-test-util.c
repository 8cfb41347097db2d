/* fulcrumctl-run-test-util.c: a "fulcrumctl sim serve" and accounts linked to it, for the
 * action and run tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "fulcrum-test-util.h"
#include "fulcrumctl-run-test-util.h"

void
run_test_ctl (FulcrumctlRun *run,
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
}

/* The simulator */

static char *
dup_member (JsonObject *object,
            const char *name)
{
  const char *value = json_object_get_string_member_with_default (object, name, NULL);

  g_assert_nonnull (value);
  return g_strdup (value);
}

/* A test that fails aborts: its simulator must not outlive it (and keep the test's output
 * pipe open). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
spawn_sim (RunTestSim         *sim,
           guint               port,
           guint               n_opportunities,
           const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  JsonObject *info;

  g_ptr_array_add (argv, g_strdup (fulcrumctl_test_get_path ()));
  g_ptr_array_add (argv, g_strdup ("sim"));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%u", port));
  g_ptr_array_add (argv, g_strdup_printf ("--opportunities=%u", n_opportunities));
  g_ptr_array_add (argv, g_strdup ("--seed=42"));
  g_ptr_array_add (argv, g_strdup ("--latency-ms=0"));
  g_ptr_array_add (argv, g_strdup ("--no-rate-limit"));
  g_ptr_array_add (argv, g_strdup_printf ("--client-id=%s", sim->client_id));
  g_ptr_array_add (argv, g_strdup_printf ("--client-secret=%s", sim->client_secret));
  g_ptr_array_add (argv, g_strdup_printf ("--redirect-uri=%s", sim->redirect_uri));
  /* Its tokens are signed with the same key after a restart: the same environment. */
  g_ptr_array_add (argv, g_strdup_printf ("--key-id=%s", sim->client_id));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);

  /* One JSON line with its URLs, once it listens. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("fulcrumctl sim serve printed nothing");

  root = fulcrumctl_test_parse_json (line);
  info = json_node_get_object (root);
  g_clear_pointer (&sim->url, g_free);
  g_clear_pointer (&sim->authorize_url, g_free);
  g_clear_pointer (&sim->token_url, g_free);
  g_clear_pointer (&sim->audience, g_free);
  g_clear_pointer (&sim->api_base, g_free);
  sim->url = dup_member (info, "url");
  sim->authorize_url = dup_member (info, "authorize_url");
  sim->token_url = dup_member (info, "token_url");
  sim->audience = dup_member (info, "audience");
  sim->api_base = dup_member (info, "api_base");
  sim->port = (guint) g_ascii_strtoull (strrchr (sim->url, ':') + 1, NULL, 10);
  g_assert_cmpuint (sim->port, >, 0);
}

RunTestSim *
run_test_sim_start (const char         *name,
                    guint               n_opportunities,
                    const char * const *extra_args)
{
  RunTestSim *sim = g_new0 (RunTestSim, 1);
  g_autofree char *environment_path = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  sim->client_id = g_strdup_printf ("run-test-%u", g_random_int ());
  sim->client_secret = g_strconcat ("secret-", uuid, NULL);
  /* The callback's path only has to match the app's registration. */
  sim->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u/callback/%s", fulcrum_test_free_port (),
                                       name != NULL ? name : "none");
  spawn_sim (sim, 0, n_opportunities, extra_args);

  if (name != NULL)
    {
      g_auto(FulcrumctlRun) run = { 0 };

      run_test_ctl (&run, "env", "add", "--name", name, "--authorize-url", sim->authorize_url,
                    "--token-url", sim->token_url, "--audience", sim->audience,
                    "--api-base", sim->api_base, "--rate", "1000", "--burst", "1000", NULL);
      fulcrumctl_assert_status (&run, 0);
      sim->environment = g_strdup (g_strchomp (run.out));
    }

  return sim;
}

void
run_test_sim_stop (RunTestSim *sim)
{
  g_autoptr(GError) error = NULL;

  if (sim->process == NULL)
    return;

  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&sim->process);
}

void
run_test_sim_restart (RunTestSim *sim,
                      guint       n_opportunities)
{
  g_assert_null (sim->process);

  /* The port was just released: another process could take it in between, very rarely. */
  spawn_sim (sim, sim->port, n_opportunities, NULL);
}

void
run_test_sim_free (RunTestSim *sim)
{
  run_test_sim_stop (sim);
  g_free (sim->environment);
  g_free (sim->client_id);
  g_free (sim->client_secret);
  g_free (sim->redirect_uri);
  g_free (sim->authorize_url);
  g_free (sim->token_url);
  g_free (sim->audience);
  g_free (sim->api_base);
  g_free (sim->url);
  g_free (sim);
}

JsonObject *
run_test_sim_get_stats (RunTestSim *sim)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                                  NULL);
  g_autofree char *url = g_strconcat (sim->url, "/_sim/stats", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  root = fulcrumctl_test_parse_json (text);

  return json_object_ref (json_node_get_object (root));
}

/* Profiles and accounts */

void
run_test_create_profile (RunTestSim *sim,
                         const char *name,
                         const char *scopes)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_autofree char *input = g_strdup_printf ("%s\n", sim->client_secret);
  const char *args[] = {
    "profile", "create", "--name", name, "--environment", sim->environment,
    "--client-id", sim->client_id, "--redirect-uri", sim->redirect_uri, "--scope", scopes,
    "--secret-stdin", NULL
  };

  fulcrumctl_test_run_strv (&run, input, args);
  fulcrumctl_assert_status (&run, 0);
}

static char *
read_all (GInputStream *stream)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);

  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
}

/* What a person does in the browser: the consent page, "Allow", then the redirect to the
 * loopback callback. */
static void
allow_in_browser (const char *authorize_url)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                                  NULL);
  g_autofree char *location = fulcrumctl_test_answer_consent (session, authorize_url, "allow");
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:"));

  /* The page the browser then shows is the account tests' business; here the link's exit
   * status says whether the code arrived. Under load, loopback connections are now and then
   * reset before the request goes out (a new connection meeting an old one's TIME_WAIT):
   * then, as a person would, load the address again. */
  for (guint attempt = 1; attempt <= 3; attempt++)
    {
      g_autoptr(SoupMessage) callback = soup_message_new (SOUP_METHOD_GET, location);
      g_autoptr(GBytes) done = NULL;

      g_clear_error (&error);
      done = soup_session_send_and_read (session, callback, NULL, &error);
      if (error == NULL ||
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
          soup_message_get_status (callback) != 0)
        break;
      g_test_message ("The callback connection was reset; loading it again");
      g_usleep (G_USEC_PER_SEC / 10);
    }
  if (error != NULL)
    g_test_message ("The callback page did not arrive: %s", error->message);
}

char *
run_test_link_account (const char *profile,
                       const char *label)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, fulcrumctl_test_get_path (), "account", "link",
                              "--profile", profile, "--label", label, "--no-browser",
                              "--timeout", "60", NULL);
  g_assert_no_error (error);

  /* The authorize URL comes first, while fulcrumctl waits for the redirect. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (url == NULL)
    g_error ("account link printed no URL: %s",
             (err = read_all (g_subprocess_get_stderr_pipe (process))));

  allow_in_browser (url);

  rest = read_all (G_INPUT_STREAM (out));
  err = read_all (g_subprocess_get_stderr_pipe (process));
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("account link failed\nstdout: %s\nstderr: %s", rest, err);

  return g_strdup (g_strchomp (rest));
}

/* Output */

GHashTable *
run_test_collect_ids (JsonArray *records)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      const char *id;

      g_assert_nonnull (record);
      id = json_object_get_string_member_with_default (record, "id", NULL);
      g_assert_nonnull (id);
      if (!g_hash_table_add (ids, g_strdup (id)))
        g_error ("the record %s came twice", id);
    }

  return ids;
}

JsonArray *
run_test_parse_json_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  JsonArray *records = json_array_new ();
  guint n = g_strv_length (lines);

  /* Every line ends with a newline: the last piece is empty. */
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (lines[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *record = fulcrumctl_test_parse_json (lines[i]);

      g_assert_true (JSON_NODE_HOLDS_OBJECT (record));
      json_array_add_element (records, record);
    }

  return records;
}

GPtrArray *
run_test_parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) cell = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          /* A quoted cell: anything up to the closing quote, "" for a quote. */
          for (p++; ; p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"' && p[1] == '"')
                g_string_append_c (cell, '"'), p++;
              else if (*p == '"')
                break;
              else
                g_string_append_c (cell, *p);
            }
          p++;
          g_assert_true (*p == ',' || *p == '\r');
        }
      else
        {
          for (; *p != ',' && *p != '\r' && *p != '\0'; p++)
            {
              g_assert_true (*p != '"' && *p != '\n');
              g_string_append_c (cell, *p);
            }
        }

      g_ptr_array_add (row, g_strdup (cell->str));
      g_string_truncate (cell, 0);
      if (*p == ',')
        {
          p++;
          continue;
        }

      /* Rows end with CRLF, the last one too. */
      g_assert_true (p[0] == '\r' && p[1] == '\n');
      p += 2;
      g_ptr_array_add (row, NULL);
      /* The cells go to the row's GStrv; @row stays, empty. */
      g_ptr_array_add (rows, g_ptr_array_steal (row, NULL));
    }
  g_assert_cmpuint (row->len, ==, 0);

  return rows;
}

char *
run_test_output_path (const char *name)
{
  return g_build_filename (fulcrum_test_get_root (), name, NULL);
}
