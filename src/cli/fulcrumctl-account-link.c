/* fulcrumctl-account-link.c: fulcrumctl account link
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "fulcrumctl-account-private.h"

/* The longest --timeout: a day is far beyond any consent page. */
#define MAX_TIMEOUT_S (24 * 60 * 60)

typedef struct
{
  FulcrumOAuthFlow *flow;
  FulcrumStore     *store;
  GFileMonitor     *config_monitor;
  GCancellable     *cancellable;   /* Ctrl+C, SIGTERM */

  /* The paste path, for a redirect URI that is not on this computer. */
  GDataInputStream *input;
  GCancellable     *input_cancellable;
  gboolean          reading;
  gboolean          input_ended;

  GAsyncResult     *result;
} Link;

static void
link_clear (Link *link)
{
  g_clear_object (&link->flow);
  g_clear_object (&link->store);
  if (link->config_monitor != NULL)
    g_file_monitor_cancel (link->config_monitor);
  g_clear_object (&link->config_monitor);
  g_clear_object (&link->cancellable);
  g_clear_object (&link->input);
  g_clear_object (&link->input_cancellable);
  g_clear_object (&link->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Link, link_clear)

static gboolean
interrupted_cb (gpointer user_data)
{
  Link *link = user_data;

  g_cancellable_cancel (link->cancellable);
  return G_SOURCE_CONTINUE;
}

/* The wait can take minutes, and the new account is saved with the rest of the config: read
 * again what other Fulcrum processes save meanwhile, rather than write over it. */
static void
config_changed_cb (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other_file,
                   GFileMonitorEvent  event,
                   gpointer           user_data)
{
  Link *link = user_data;
  g_autoptr(GError) error = NULL;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT &&
      event != G_FILE_MONITOR_EVENT_CREATED &&
      event != G_FILE_MONITOR_EVENT_DELETED)
    return;

  g_debug ("The configuration changed on disk; reading it again");
  if (!fulcrum_store_load (link->store, &error))
    fulcrumctl_warning ("%s", error->message);
}

static void
watch_config (Link *link)
{
  g_autoptr(GFile) file = g_file_new_for_path (fulcrum_store_get_path (link->store));
  g_autoptr(GError) error = NULL;

  link->config_monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, &error);
  if (link->config_monitor == NULL)
    {
      g_debug ("Cannot watch %s: %s", fulcrum_store_get_path (link->store), error->message);
      return;
    }

  g_signal_connect (link->config_monitor, "changed", G_CALLBACK (config_changed_cb), link);
}

static char *
lookup_client_secret (FulcrumSecretStore       *secrets,
                      FulcrumConnectorProfile  *profile,
                      GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id = fulcrum_connector_profile_get_id (profile);
  char *secret;

  fulcrum_secret_store_lookup_async (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, id, NULL,
                                     NULL, fulcrumctl_async_result_cb, &result);
  fulcrumctl_wait_for_result (&result);

  secret = fulcrum_secret_store_lookup_finish (secrets, result, &local_error);
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the client secret from the keyring: "));
      return NULL;
    }

  if (secret == NULL)
    g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_FAILED,
                 _("The connector profile “%s” has no client secret in the keyring. Set it with "
                   "“fulcrumctl profile set-secret %s” (it reads the secret from standard "
                   "input), then link again."),
                 fulcrum_connector_profile_get_name (profile), id);

  return secret;
}

static char *
describe_timeout (guint seconds)
{
  if (seconds % 60 == 0)
    return g_strdup_printf (ngettext ("%u minute", "%u minutes", seconds / 60), seconds / 60);

  return g_strdup_printf (ngettext ("%u second", "%u seconds", seconds), seconds);
}

/* The authorize URL is the first line of stdout whenever the user has to open it. */
static void
print_authorize_url (const char *url)
{
  fputs (url, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
open_browser (FulcrumOAuthFlow *flow,
              gboolean          no_browser)
{
  const char *url = fulcrum_oauth_flow_get_authorize_url (flow);
  g_autoptr(GError) error = NULL;

  if (no_browser)
    {
      print_authorize_url (url);
      g_printerr ("%s\n", _("Open the address on standard output in a browser and sign in to "
                            "Lever as a Super Admin of the organization to link."));
      return;
    }

  if (!g_app_info_launch_default_for_uri (url, NULL, &error))
    {
      fulcrumctl_warning (_("Could not open a browser (%s). Open the address on standard "
                            "output yourself."), error->message);
      print_authorize_url (url);
      return;
    }

  g_printerr (_("Lever’s consent page is open in your browser. If it did not open, go to:\n"
                "  %s\n"), url);
}

/* The paste path */

static void read_pasted_line (Link *link);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Link *link = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  link->reading = FALSE;
  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                    NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (line == NULL)
    {
      /* Nothing more can arrive: end the flow rather than wait for its timeout. */
      if (error != NULL)
        fulcrumctl_warning (_("Could not read standard input: %s"), error->message);
      link->input_ended = TRUE;
      fulcrum_oauth_flow_cancel (link->flow);
      return;
    }

  g_strstrip (line);
  if (*line == '\0')
    {
      read_pasted_line (link);
      return;
    }

  if (fulcrum_oauth_flow_submit_redirect_url (link->flow, line, &error))
    return;

  /* A wrong paste leaves the flow waiting; an error from Lever ends it, and the link
   * reports that. */
  if (g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_STATE_MISMATCH) ||
      g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE))
    {
      g_printerr ("fulcrumctl: %s\n", error->message);
      g_printerr ("%s\n", _("Paste the whole address again:"));
      read_pasted_line (link);
    }
}

static void
read_pasted_line (Link *link)
{
  g_assert (!link->reading);

  link->reading = TRUE;
  g_data_input_stream_read_line_async (link->input, G_PRIORITY_DEFAULT, link->input_cancellable,
                                       line_read_cb, link);
}

static void
start_reading_pastes (Link *link)
{
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);

  g_printerr (_("The profile’s callback %s is not on this computer. After allowing access, "
                "copy the address the browser ends up on and paste it here:\n"),
              fulcrum_oauth_flow_get_redirect_uri (link->flow));

  link->input = g_data_input_stream_new (stdin_stream);
  /* The pasted address ends at the first newline; a bounded buffer is enough. */
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (link->input), 16 * 1024);
  link->input_cancellable = g_cancellable_new ();
  read_pasted_line (link);
}

static void
stop_reading_pastes (Link *link)
{
  if (link->input_cancellable != NULL)
    g_cancellable_cancel (link->input_cancellable);

  /* The read's callback holds a pointer to @link: let it run before @link goes. */
  while (link->reading)
    g_main_context_iteration (NULL, TRUE);
}

/* The command */

static FulcrumConnectorProfile *
find_profile (FulcrumStore  *store,
              const char    *id_or_name,
              GError       **error)
{
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store, id_or_name);

  if (profile == NULL)
    {
      g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_NOT_FOUND,
                   _("There is no connector profile named “%s” (see “fulcrumctl profile "
                     "list”)"),
                   id_or_name);
      return NULL;
    }

  return g_object_ref (profile);
}

static FulcrumEnvironment *
find_environment (FulcrumStore             *store,
                  FulcrumConnectorProfile  *profile,
                  GError                  **error)
{
  const char *id = fulcrum_connector_profile_get_environment_id (profile);
  FulcrumEnvironment *environment = fulcrum_store_find_environment (store, id);

  if (environment == NULL)
    {
      g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_NOT_FOUND,
                   _("The environment “%s” of the connector profile “%s” does not exist any "
                     "more"),
                   id, fulcrum_connector_profile_get_name (profile));
      return NULL;
    }

  return g_object_ref (environment);
}

static FulcrumLinkedAccount *
run_link (Link                *link,
          FulcrumSecretStore  *secrets,
          const char          *label,
          gboolean             no_browser,
          guint                timeout_s,
          GError             **error)
{
  g_autofree char *timeout_text = describe_timeout (timeout_s);
  guint sigint_id, sigterm_id;
  FulcrumLinkedAccount *account;

  if (!fulcrum_oauth_flow_start (link->flow, error))
    return NULL;

  watch_config (link);
  link->cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, link);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, link);

  /* Waiting (and its timeout) starts before anyone can answer. */
  fulcrum_oauth_flow_link_account_async (link->flow, link->store, secrets, label,
                                         link->cancellable,
                                         fulcrumctl_async_result_cb, &link->result);
  open_browser (link->flow, no_browser);

  if (fulcrum_oauth_flow_get_uses_loopback (link->flow))
    g_printerr (_("Waiting up to %s for Lever to redirect back to %s (Ctrl+C to cancel)…\n"),
                timeout_text, fulcrum_oauth_flow_get_redirect_uri (link->flow));
  else
    start_reading_pastes (link);

  fulcrumctl_wait_for_result (&link->result);
  stop_reading_pastes (link);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  account = fulcrum_oauth_flow_link_account_finish (link->flow, link->result, error);
  if (account == NULL && link->input_ended &&
      g_error_matches (*error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_set_error_literal (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED,
                           _("Standard input ended before the address the browser landed on "
                             "was pasted, so nothing was linked"));
    }

  return account;
}

int
fulcrumctl_account_link (int    argc,
                         char **argv)
{
  g_auto(Link) link = { 0 };
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(FulcrumEnvironment) environment = NULL;
  g_autoptr(FulcrumSecretStore) secrets = NULL;
  g_autoptr(FulcrumSecret) client_secret = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_name = NULL;
  g_autofree char *label = NULL;
  gboolean no_browser = FALSE;
  int timeout_s = FULCRUM_OAUTH_FLOW_DEFAULT_TIMEOUT_S;
  int status;
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Connector profile (the Lever app) to link through"), N_("NAME|ID") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label,
      N_("Label of the new account (default: “PROFILE (ENVIRONMENT)”)"), N_("TEXT") },
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser,
      N_("Print the consent page’s address as the first line of standard output instead of "
         "opening a browser"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
      N_("How long to wait for Lever to redirect back (default: 600)"), N_("SECONDS") },
    { NULL }
  };

  if (!fulcrumctl_parse_options (NULL,
                                 N_("Links a Lever organization: opens Lever’s consent page in "
                                    "the browser, waits for Lever to redirect back to the "
                                    "profile’s callback, keeps the tokens in the keyring and "
                                    "prints the new account’s id."),
                                 N_("A Super Admin of the organization must allow access. The "
                                    "profile’s client secret must be in the keyring (“fulcrumctl "
                                    "profile set-secret”). Exit status: 0 linked, 1 failed, "
                                    "denied or timed out, 2 usage error."),
                                 entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[1]);
  if (profile_name == NULL)
    return fulcrumctl_usage_error (_("%s is required"), "--profile");
  if (timeout_s < 1 || timeout_s > MAX_TIMEOUT_S)
    return fulcrumctl_usage_error (_("--timeout must be from 1 to %d seconds"), MAX_TIMEOUT_S);
  if (label != NULL)
    {
      g_strstrip (label);
      if (*label == '\0')
        return fulcrumctl_usage_error (_("--label must not be empty"));
    }

  if (!(store = fulcrumctl_open_store (TRUE, &error)) ||
      !(profile = find_profile (store, profile_name, &error)) ||
      !(environment = find_environment (store, profile, &error)))
    return fulcrumctl_report_error (error);

  /* Refused before the user goes through the browser for nothing. */
  if (label != NULL && fulcrum_store_find_account (store, label) != NULL)
    {
      g_set_error (&error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                   _("Another account is already called “%s”; choose another --label"), label);
      return fulcrumctl_report_error (error);
    }

  secrets = fulcrum_secret_store_new ();
  if (!(client_secret = lookup_client_secret (secrets, profile, &error)))
    return fulcrumctl_report_error (error);

  /* The built-in simulator runs in this process unless another Fulcrum process runs it;
   * this process then stays until the link is done. */
  if (!fulcrumctl_ensure_simulator (environment, secrets, &error))
    return fulcrumctl_report_error (error);

  link.flow = fulcrum_oauth_flow_new (environment, profile, client_secret);
  g_clear_pointer (&client_secret, fulcrum_secret_free);
  fulcrum_oauth_flow_set_timeout (link.flow, (guint) timeout_s);

  link.store = g_object_ref (store);
  account = run_link (&link, secrets, label, no_browser, (guint) timeout_s, &error);
  fulcrumctl_stop_simulator ();

  if (account == NULL)
    return fulcrumctl_account_report_error (error);

  g_print ("%s\n", fulcrum_linked_account_get_id (account));
  g_printerr (_("Linked “%s”.\n"), fulcrum_linked_account_get_label (account));

  return FULCRUMCTL_EXIT_OK;
}
