/* fulcrumctl-sim.c: fulcrumctl sim serve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "fulcrum-sim-server.h"
#include "fulcrumctl-sim.h"
#include "fulcrumctl-util.h"

typedef struct
{
  int      port;
  char    *seed;
  int      opportunities;
  char    *latency;
  double   rate;
  int      burst;
  gboolean no_rate_limit;
  gboolean retry_after;
  char   **faults;
  char    *client_id;
  char    *client_secret;
  char   **redirect_uris;
  char    *key_id;
  char    *state_file;
  char    *organization;
  int      token_lifetime;
  int      drip_ms;
} ServeOptions;

static void
serve_options_clear (ServeOptions *options)
{
  g_clear_pointer (&options->seed, g_free);
  g_clear_pointer (&options->latency, g_free);
  g_clear_pointer (&options->faults, g_strfreev);
  g_clear_pointer (&options->client_id, g_free);
  g_clear_pointer (&options->client_secret, g_free);
  g_clear_pointer (&options->redirect_uris, g_strfreev);
  g_clear_pointer (&options->key_id, g_free);
  g_clear_pointer (&options->state_file, g_free);
  g_clear_pointer (&options->organization, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ServeOptions, serve_options_clear)

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_latency (const char *spec,
               guint      *base_ms,
               double     *per_record_ms)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 3);
  guint64 base;
  char *end = NULL;

  if (parts[0] == NULL || (parts[1] != NULL && parts[2] != NULL))
    return FALSE;
  if (!g_ascii_string_to_unsigned (parts[0], 10, 0, 600000, &base, NULL))
    return FALSE;
  *base_ms = base;
  *per_record_ms = 0.0;
  if (parts[1] != NULL)
    {
      *per_record_ms = g_ascii_strtod (parts[1], &end);
      if (end == parts[1] || *end != '\0' || !(*per_record_ms >= 0.0 && *per_record_ms <= 1000.0))
        return FALSE;
    }
  return TRUE;
}

static char *
random_credential (const char *prefix,
                   guint       n_bytes)
{
  g_autoptr(GString) out = g_string_new (prefix);
  guint8 bytes[32];

  g_assert (n_bytes <= sizeof bytes);
  if (getrandom (bytes, n_bytes, 0) != (gssize) n_bytes)
    g_error ("getrandom() failed");
  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (out, "%02x", bytes[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Whether a Fulcrum simulator (the app's, or another fulcrumctl) answers on @port. */
static char *
running_simulator_key_id (guint port)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                                  "timeout", 3, NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/_sim/info", port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *info;

  body = soup_session_send_and_read (session, msg, NULL, NULL);
  if (body == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  info = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (info, "simulator", NULL),
                 "fulcrum") != 0)
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (info, "key_id", "?"));
}

static void
print_endpoints (FulcrumSimServer   *server,
                 const char         *client_id,
                 const char         *client_secret,
                 const char * const *redirect_uris)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, fulcrum_sim_server_get_base_url (server));
  json_builder_set_member_name (builder, "authorize_url");
  json_builder_add_string_value (builder, fulcrum_sim_server_get_authorize_url (server));
  json_builder_set_member_name (builder, "token_url");
  json_builder_add_string_value (builder, fulcrum_sim_server_get_token_url (server));
  json_builder_set_member_name (builder, "api_base");
  json_builder_add_string_value (builder, fulcrum_sim_server_get_api_base (server));
  json_builder_set_member_name (builder, "audience");
  json_builder_add_string_value (builder, fulcrum_sim_server_get_audience (server));
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, client_id);
  json_builder_set_member_name (builder, "client_secret");
  json_builder_add_string_value (builder, client_secret);
  json_builder_set_member_name (builder, "redirect_uris");
  json_builder_begin_array (builder);
  for (guint i = 0; redirect_uris[i] != NULL; i++)
    json_builder_add_string_value (builder, redirect_uris[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  g_print ("%s\n", line);
  fflush (stdout);
}

static int
sim_serve (int    argc,
           char **argv)
{
  g_auto(ServeOptions) options = { .port = FULCRUM_SIMULATOR_DEFAULT_PORT,
                                   .opportunities = FULCRUM_SIM_DEFAULT_OPPORTUNITIES,
                                   .rate = -1.0, .burst = -1, .token_lifetime = -1,
                                   .drip_ms = -1 };
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &options.port,
      N_("Port on 127.0.0.1 (0 picks a free one)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &options.seed, N_("Seed of the synthetic data"),
      N_("N") },
    { "opportunities", 0, 0, G_OPTION_ARG_INT, &options.opportunities,
      N_("Number of opportunities"), N_("N") },
    { "latency-ms", 0, 0, G_OPTION_ARG_STRING, &options.latency,
      N_("Latency of API responses: a base plus a delay per record (0 for none)"),
      N_("BASE[:PER_RECORD]") },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &options.rate,
      N_("Requests per second per access token"), N_("R") },
    { "burst", 0, 0, G_OPTION_ARG_INT, &options.burst, N_("Burst of the rate limit"), N_("B") },
    { "no-rate-limit", 0, 0, G_OPTION_ARG_NONE, &options.no_rate_limit,
      N_("Switch the rate limit off"), NULL },
    { "retry-after", 0, 0, G_OPTION_ARG_NONE, &options.retry_after,
      N_("Send Retry-After with 429 responses"), NULL },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.faults,
      N_("Inject a fault at a rate from 0 to 1: 500, 502, 503, html, malformed, truncated, "
         "reset, drip, stale-offset, token-500 (repeatable)"), N_("KIND:RATE") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &options.client_id,
      N_("Client id of the simulator's app (random by default)"), N_("ID") },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &options.client_secret,
      N_("Client secret of the simulator's throwaway app (random by default)"), N_("S") },
    { "redirect-uri", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.redirect_uris,
      N_("A registered callback URL of the app (repeatable)"), N_("URI") },
    { "key-id", 0, 0, G_OPTION_ARG_STRING, &options.key_id,
      N_("Signing key id of this simulated environment"), N_("ID") },
    { "state-file", 0, 0, G_OPTION_ARG_FILENAME, &options.state_file,
      N_("Keep apps and token families (as hashes) in this file across restarts"),
      N_("PATH") },
    { "organization", 0, 0, G_OPTION_ARG_STRING, &options.organization,
      N_("Organization named on the consent page"), N_("NAME") },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &options.token_lifetime,
      N_("Lifetime of access tokens in seconds (3600)"), N_("SECONDS") },
    { "drip-ms", 0, 0, G_OPTION_ARG_INT, &options.drip_ms,
      N_("How long a dripped response takes (3000)"), N_("MS") },
    { NULL }
  };
  g_autoptr(FulcrumSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *default_redirect = NULL;
  const char *default_redirects[2] = { NULL, NULL };
  const char * const *redirect_uris;
  guint sigint_id, sigterm_id;
  int exit_status;

  if (!fulcrumctl_parse_options (NULL, N_("Runs a Lever simulator on 127.0.0.1 until "
                                          "interrupted."),
                                 N_("Prints one JSON line with its URLs and app credentials, "
                                    "then serves until SIGINT or SIGTERM."),
                                 entries, &argc, &argv, &exit_status))
    return exit_status;
  if (argc > 1)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[1]);

  server = fulcrum_sim_server_new ();

  if (options.port < 0 || options.port > G_MAXUINT16)
    return fulcrumctl_usage_error (_("--port must be from 0 to 65535"));
  if (options.opportunities < 0 || options.opportunities > 1000000)
    return fulcrumctl_usage_error (_("--opportunities must be from 0 to 1000000"));
  fulcrum_sim_server_set_n_opportunities (server, options.opportunities);

  if (options.seed != NULL)
    {
      guint64 seed;

      if (!g_ascii_string_to_unsigned (options.seed, 10, 0, G_MAXUINT64, &seed, NULL))
        return fulcrumctl_usage_error (_("--seed must be a non-negative integer"));
      fulcrum_sim_server_set_seed (server, seed);
    }

  if (options.latency != NULL)
    {
      guint base_ms;
      double per_record_ms;

      if (!parse_latency (options.latency, &base_ms, &per_record_ms))
        return fulcrumctl_usage_error (_("--latency-ms must be BASE or BASE:PER_RECORD in "
                                         "milliseconds"));
      fulcrum_sim_server_set_latency (server, base_ms, per_record_ms);
    }

  if (options.no_rate_limit && (options.rate >= 0 || options.burst >= 0))
    return fulcrumctl_usage_error (_("--no-rate-limit cannot be combined with --rate or "
                                     "--burst"));
  if (options.rate != -1.0 && !(options.rate > 0.0 && options.rate <= 1000000.0))
    return fulcrumctl_usage_error (_("--rate must be a positive number of requests per "
                                     "second"));
  if (options.burst != -1 && options.burst < 1)
    return fulcrumctl_usage_error (_("--burst must be at least 1"));
  fulcrum_sim_server_set_rate_limit (server, !options.no_rate_limit,
                                     options.rate > 0 ? options.rate : FULCRUM_SIM_DEFAULT_RATE,
                                     options.burst > 0 ? (guint) options.burst
                                                       : FULCRUM_SIM_DEFAULT_BURST);
  fulcrum_sim_server_set_retry_after (server, options.retry_after);

  for (guint i = 0; options.faults != NULL && options.faults[i] != NULL; i++)
    {
      FulcrumSimFault fault;
      double rate;

      if (!fulcrum_sim_parse_fault_spec (options.faults[i], &fault, &rate, &error))
        return fulcrumctl_usage_error ("--fault: %s", error->message);
      fulcrum_sim_server_set_fault_rate (server, fault, rate);
    }

  if (options.token_lifetime != -1)
    {
      if (options.token_lifetime < 1)
        return fulcrumctl_usage_error (_("--token-lifetime must be at least 1 second"));
      fulcrum_sim_server_set_access_token_lifetime (server, options.token_lifetime);
    }
  if (options.drip_ms != -1)
    {
      if (options.drip_ms < 1 || options.drip_ms > 600000)
        return fulcrumctl_usage_error (_("--drip-ms must be from 1 to 600000"));
      fulcrum_sim_server_set_drip_ms (server, options.drip_ms);
    }
  if (options.key_id != NULL)
    {
      for (const char *p = options.key_id; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '-')
          return fulcrumctl_usage_error (_("--key-id may hold letters, digits and dashes "
                                           "only"));
      if (options.key_id[0] == '\0' || strlen (options.key_id) > 64)
        return fulcrumctl_usage_error (_("--key-id must have 1 to 64 characters"));
      fulcrum_sim_server_set_key_id (server, options.key_id);
    }
  if (options.organization != NULL)
    fulcrum_sim_server_set_organization (server, options.organization);

  if (options.client_secret != NULL && options.client_id == NULL)
    return fulcrumctl_usage_error (_("--client-secret needs --client-id"));
  if (options.client_id != NULL && options.client_id[0] == '\0')
    return fulcrumctl_usage_error (_("--client-id must not be empty"));
  if (options.client_secret != NULL && options.client_secret[0] == '\0')
    return fulcrumctl_usage_error (_("--client-secret must not be empty"));
  client_id = options.client_id ? g_strdup (options.client_id) : random_credential ("sim-", 8);
  client_secret = options.client_secret ? g_strdup (options.client_secret)
                                        : random_credential ("", 24);
  if (options.redirect_uris != NULL)
    redirect_uris = (const char * const *) options.redirect_uris;
  else
    {
      default_redirect = fulcrum_connector_profile_default_redirect_uri (
        FULCRUM_ENVIRONMENT_ID_SIMULATOR, FULCRUM_DEFAULT_REDIRECT_PORT);
      default_redirects[0] = default_redirect;
      redirect_uris = default_redirects;
    }
  fulcrum_sim_server_add_app (server, client_id, client_secret, redirect_uris, NULL);
  if (options.state_file != NULL)
    fulcrum_sim_server_set_state_file (server, options.state_file);

  if (!fulcrum_sim_server_listen (server, options.port, &error))
    {
      g_autofree char *key_id = NULL;

      g_printerr ("fulcrumctl: %s\n", error->message);
      if (options.port != 0 && (key_id = running_simulator_key_id (options.port)) != NULL)
        fulcrumctl_note (_("A Fulcrum simulator (key id %s) already runs at "
                           "http://127.0.0.1:%d; use it, or pick another --port."),
                         key_id, options.port);
      return FULCRUMCTL_EXIT_FAILED;
    }

  print_endpoints (server, client_id, client_secret, redirect_uris);
  if (isatty (STDERR_FILENO))
    fulcrumctl_note (_("Simulator listening on %s. Press Ctrl+C to stop."),
                     fulcrum_sim_server_get_base_url (server));

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  fulcrum_sim_server_stop (server);
  return FULCRUMCTL_EXIT_OK;
}

static const FulcrumctlCommand commands[] = {
  { "serve", N_("Run a Lever simulator until interrupted"), sim_serve },
};

int
fulcrumctl_sim_main (int    argc,
                     char **argv)
{
  return fulcrumctl_dispatch ("sim", N_("The built-in Lever simulator"), commands,
                              G_N_ELEMENTS (commands), argc, argv);
}
