/* fulcrumctl-account.c: fulcrumctl account list|status|refresh|rename|unlink
 *
 * (account link lives in fulcrumctl-account-link.c.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "fulcrum-sim-builtin.h"
#include "fulcrumctl-account-private.h"

/* Helpers shared with the other commands that use an account */

FulcrumLinkedAccount *
fulcrumctl_find_account (FulcrumStore  *store,
                         const char    *id_or_label,
                         GError       **error)
{
  FulcrumLinkedAccount *account = fulcrum_store_find_account (store, id_or_label);

  if (account == NULL)
    {
      g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_NOT_FOUND,
                   _("There is no linked account named “%s” (see “fulcrumctl account list”)"),
                   id_or_label);
      return NULL;
    }

  return g_object_ref (account);
}

gboolean
fulcrumctl_ensure_simulator (FulcrumEnvironment  *environment,
                             FulcrumSecretStore  *secrets,
                             GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (environment == NULL ||
      fulcrum_environment_get_kind (environment) != FULCRUM_ENVIRONMENT_KIND_SIMULATOR)
    return TRUE;

  fulcrum_sim_builtin_ensure_running_async (environment, secrets, NULL,
                                            fulcrumctl_async_result_cb, &result);
  fulcrumctl_wait_for_result (&result);

  if (!fulcrum_sim_builtin_ensure_running_finish (result, error))
    {
      g_prefix_error (error, _("Could not start the built-in simulator: "));
      return FALSE;
    }

  return TRUE;
}

void
fulcrumctl_stop_simulator (void)
{
  fulcrum_sim_builtin_shutdown ();
}

int
fulcrumctl_account_exit_status (const GError *error)
{
  g_assert (error != NULL);

  if (g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK))
    return FULCRUMCTL_EXIT_NEEDS_RELINK;

  return fulcrumctl_exit_status_for_error (error);
}

int
fulcrumctl_account_report_error (const GError *error)
{
  g_printerr ("fulcrumctl: %s\n", error->message);
  return fulcrumctl_account_exit_status (error);
}

/* Times */

static char *
format_span (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup_printf (ngettext ("%d second", "%d seconds", (gulong) seconds),
                            (int) seconds);
  if (seconds < 2 * 60 * 60)
    return g_strdup_printf (ngettext ("%d minute", "%d minutes", (gulong) (seconds / 60)),
                            (int) (seconds / 60));
  if (seconds < 2 * 24 * 60 * 60)
    return g_strdup_printf (ngettext ("%d hour", "%d hours", (gulong) (seconds / 3600)),
                            (int) (seconds / 3600));
  return g_strdup_printf (ngettext ("%d day", "%d days", (gulong) (seconds / 86400)),
                          (int) (seconds / 86400));
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* "in 42 minutes" or "expired"; NULL when the expiry is not known. */
static char *
describe_expiry (gint64 expires_at)
{
  g_autofree char *span = NULL;
  gint64 now = now_seconds ();

  if (expires_at <= 0)
    return NULL;
  if (expires_at <= now)
    return g_strdup (_("expired"));

  span = format_span (expires_at - now);
  /* TRANSLATORS: when an access token expires, e.g. "in 42 minutes" */
  return g_strdup_printf (_("in %s"), span);
}

static char *
format_local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : NULL;
}

/* "2024-05-01 14:03:12 (in 42 minutes)", "… (5 minutes ago)", or "never". */
static char *
describe_time (gint64   unix_time,
               gboolean is_expiry)
{
  g_autofree char *local = NULL;
  g_autofree char *relative = NULL;
  gint64 now = now_seconds ();

  if (unix_time <= 0)
    return g_strdup (is_expiry ? _("unknown") : _("never"));

  local = format_local_time (unix_time);
  if (is_expiry)
    {
      relative = describe_expiry (unix_time);
    }
  else
    {
      g_autofree char *span = format_span (MAX (now - unix_time, 0));

      /* TRANSLATORS: how long ago something happened, e.g. "5 minutes ago" */
      relative = g_strdup_printf (_("%s ago"), span);
    }

  return g_strdup_printf ("%s (%s)", local, relative);
}

/* Output */

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, MAX (value, 0));
}

static JsonNode *
account_to_json (FulcrumLinkedAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char * const *scopes = fulcrum_linked_account_get_granted_scopes (account);

  json_builder_begin_object (builder);
  fulcrumctl_json_add_string (builder, "id", fulcrum_linked_account_get_id (account));
  fulcrumctl_json_add_string (builder, "label", fulcrum_linked_account_get_label (account));
  fulcrumctl_json_add_string (builder, "profile", fulcrum_linked_account_get_profile_id (account));
  fulcrumctl_json_add_string (builder, "environment",
                              fulcrum_linked_account_get_environment_id (account));
  fulcrumctl_json_add_string (builder, "status",
                              fulcrum_account_status_to_string (
                                fulcrum_linked_account_get_status (account)));
  fulcrumctl_json_add_string (builder, "status_message",
                              fulcrum_linked_account_get_status_message (account));
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    json_builder_add_string_value (builder, scopes[i]);
  json_builder_end_array (builder);
  /* Unix time in seconds; 0 when unknown or never. */
  add_time (builder, "expires_at", fulcrum_linked_account_get_expires_at (account));
  add_time (builder, "linked_at", fulcrum_linked_account_get_linked_at (account));
  add_time (builder, "last_refresh", fulcrum_linked_account_get_last_refresh (account));
  add_time (builder, "last_used", fulcrum_linked_account_get_last_used (account));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* "simulator (Lever Simulator)", as profile show writes it. */
static char *
describe_environment (FulcrumStore *store,
                      const char   *environment_id)
{
  FulcrumEnvironment *environment = fulcrum_store_find_environment (store, environment_id);

  if (environment == NULL)
    return g_strdup_printf (_("%s (missing)"), environment_id);

  return g_strdup_printf ("%s (%s)", environment_id, fulcrum_environment_get_name (environment));
}

static char *
describe_profile (FulcrumStore *store,
                  const char   *profile_id)
{
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store, profile_id);

  if (profile == NULL)
    return g_strdup_printf (_("%s (missing)"), profile_id);

  return g_strdup_printf ("%s (%s)", profile_id, fulcrum_connector_profile_get_name (profile));
}

/* Commands */

static int
account_list (int    argc,
              char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GListModel *accounts;
  guint n_items;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (NULL, N_("Lists the linked accounts."),
                                 N_("With --json: an array of objects with id, label, profile, "
                                    "environment, status, status_message, scopes, and the Unix "
                                    "times expires_at, linked_at, last_refresh and last_used "
                                    "(0 when unknown or never)."),
                                 entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[1]);

  if (!(store = fulcrumctl_open_store (FALSE, &error)))
    return fulcrumctl_report_error (error);

  accounts = fulcrum_store_get_accounts (store);
  n_items = g_list_model_get_n_items (accounts);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_sized_new (n_items);

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(FulcrumLinkedAccount) account = g_list_model_get_item (accounts, i);

          json_array_add_element (array, account_to_json (account));
        }
      json_node_set_array (root, array);
      fulcrumctl_print_json (root);
    }
  else if (n_items == 0)
    {
      g_printerr ("%s\n", _("No linked accounts yet; link one with “fulcrumctl account link "
                            "--profile PROFILE”."));
    }
  else
    {
      g_autoptr(FulcrumctlTable) table = NULL;

      table = fulcrumctl_table_new (6, _("ID"), _("LABEL"), _("PROFILE"), _("ENVIRONMENT"),
                                    _("STATUS"), _("TOKEN EXPIRES"));
      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(FulcrumLinkedAccount) account = g_list_model_get_item (accounts, i);
          g_autofree char *expiry = NULL;

          expiry = describe_expiry (fulcrum_linked_account_get_expires_at (account));
          fulcrumctl_table_add_row (table,
                                    fulcrum_linked_account_get_id (account),
                                    fulcrum_linked_account_get_label (account),
                                    fulcrum_linked_account_get_profile_id (account),
                                    fulcrum_linked_account_get_environment_id (account),
                                    fulcrum_account_status_to_string (
                                      fulcrum_linked_account_get_status (account)),
                                    expiry);
        }
      fulcrumctl_table_print (table);
    }

  return FULCRUMCTL_EXIT_OK;
}

static void
print_account (FulcrumStore         *store,
               FulcrumLinkedAccount *account)
{
  g_autoptr(FulcrumctlTable) table = fulcrumctl_table_new (2, NULL, NULL);
  const char * const *scopes = fulcrum_linked_account_get_granted_scopes (account);
  const char *message = fulcrum_linked_account_get_status_message (account);
  g_autofree char *profile_text = NULL;
  g_autofree char *environment_text = NULL;
  g_autofree char *scopes_text = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *linked_text = NULL;
  g_autofree char *refresh_text = NULL;
  g_autofree char *used_text = NULL;

  profile_text = describe_profile (store, fulcrum_linked_account_get_profile_id (account));
  environment_text = describe_environment (store,
                                           fulcrum_linked_account_get_environment_id (account));
  scopes_text = scopes != NULL ? g_strjoinv (" ", (char **) scopes) : NULL;
  expires_text = describe_time (fulcrum_linked_account_get_expires_at (account), TRUE);
  linked_text = describe_time (fulcrum_linked_account_get_linked_at (account), FALSE);
  refresh_text = describe_time (fulcrum_linked_account_get_last_refresh (account), FALSE);
  used_text = describe_time (fulcrum_linked_account_get_last_used (account), FALSE);

  fulcrumctl_table_add_row (table, _("id:"), fulcrum_linked_account_get_id (account));
  fulcrumctl_table_add_row (table, _("label:"), fulcrum_linked_account_get_label (account));
  fulcrumctl_table_add_row (table, _("status:"),
                            fulcrum_account_status_to_string (
                              fulcrum_linked_account_get_status (account)));
  if (message != NULL && *message != '\0')
    fulcrumctl_table_add_row (table, _("status message:"), message);
  fulcrumctl_table_add_row (table, _("environment:"), environment_text);
  fulcrumctl_table_add_row (table, _("profile:"), profile_text);
  fulcrumctl_table_add_row (table, _("scopes:"), scopes_text);
  fulcrumctl_table_add_row (table, _("token expires:"), expires_text);
  fulcrumctl_table_add_row (table, _("linked at:"), linked_text);
  fulcrumctl_table_add_row (table, _("last refresh:"), refresh_text);
  fulcrumctl_table_add_row (table, _("last used:"), used_text);
  fulcrumctl_table_print (table);
}

static int
account_status (int    argc,
                char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (N_("ACCOUNT"),
                                 N_("Shows a linked account: its status, environment, profile, "
                                    "granted scopes, when its access token expires, when it was "
                                    "linked, last refreshed and last used."),
                                 N_("ACCOUNT is the account’s id or label. The status is read "
                                    "from the configuration; “fulcrumctl account refresh” "
                                    "checks it with Lever."),
                                 entries, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv, _("Which account? Give its id or label"), &status))
    return status;

  if (!(store = fulcrumctl_open_store (FALSE, &error)) ||
      !(account = fulcrumctl_find_account (store, argv[1], &error)))
    return fulcrumctl_report_error (error);

  if (json)
    {
      g_autoptr(JsonNode) root = account_to_json (account);

      fulcrumctl_print_json (root);
    }
  else
    {
      print_account (store, account);
    }

  return FULCRUMCTL_EXIT_OK;
}

static int
account_refresh (int    argc,
                 char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(FulcrumSecretStore) secrets = NULL;
  g_autoptr(FulcrumTokenManager) manager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  FulcrumEnvironment *environment;
  const char *environment_id;
  gboolean refreshed;
  int status;

  if (!fulcrumctl_parse_options (N_("ACCOUNT"),
                                 N_("Gets a new access token for a linked account from Lever "
                                    "now, with its refresh token."),
                                 N_("Exit status 3: Lever no longer accepts the account’s "
                                    "authorization; it is marked needs-relink and must be linked "
                                    "again with “fulcrumctl account link”."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv, _("Which account? Give its id or label"), &status))
    return status;

  /* For writing: the new expiry and status go to the config. */
  if (!(store = fulcrumctl_open_store (TRUE, &error)) ||
      !(account = fulcrumctl_find_account (store, argv[1], &error)))
    return fulcrumctl_report_error (error);

  secrets = fulcrum_secret_store_new ();
  environment_id = fulcrum_linked_account_get_environment_id (account);
  environment = fulcrum_store_find_environment (store, environment_id);

  /* A dead grant is answered without a request: no simulator needed for that. */
  if (fulcrum_linked_account_get_status (account) != FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK &&
      !fulcrumctl_ensure_simulator (environment, secrets, &error))
    return fulcrumctl_report_error (error);

  manager = fulcrum_token_manager_new (store, secrets);
  fulcrum_token_manager_refresh_async (manager, account, NULL, fulcrumctl_async_result_cb,
                                       &result);
  fulcrumctl_wait_for_result (&result);
  refreshed = fulcrum_token_manager_refresh_finish (manager, result, &error);

  fulcrumctl_stop_simulator ();

  if (!refreshed)
    {
      status = fulcrumctl_account_report_error (error);
      /* Bad client credentials mark the account too: then it must be linked again. */
      if (fulcrum_linked_account_get_status (account) == FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK)
        status = FULCRUMCTL_EXIT_NEEDS_RELINK;
      return status;
    }

  if (isatty (STDERR_FILENO))
    {
      g_autofree char *expiry = describe_time (fulcrum_linked_account_get_expires_at (account),
                                               TRUE);

      fulcrumctl_note (_("Refreshed “%s”; its access token expires %s."),
                       fulcrum_linked_account_get_label (account), expiry);
    }

  return FULCRUMCTL_EXIT_OK;
}

static int
account_rename (int    argc,
                char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  FulcrumLinkedAccount *other;
  int status;

  if (!fulcrumctl_parse_options (N_("ACCOUNT LABEL"),
                                 N_("Gives a linked account a new label."),
                                 N_("Labels are unique without regard to case, and differ from "
                                    "every account id."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return fulcrumctl_usage_error (_("Which account? Give its id or label"));
  if (argc < 3)
    return fulcrumctl_usage_error (_("Give the new label after the account"));
  if (argc > 3)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[3]);

  label = g_strstrip (g_strdup (argv[2]));
  if (*label == '\0')
    return fulcrumctl_usage_error (_("The new label is empty"));

  if (!(store = fulcrumctl_open_store (TRUE, &error)) ||
      !(account = fulcrumctl_find_account (store, argv[1], &error)))
    return fulcrumctl_report_error (error);

  /* Looked up the way ACCOUNT arguments are, so that the label names one account only. */
  other = fulcrum_store_find_account (store, label);
  if (other != NULL && other != account)
    {
      g_set_error (&error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                   _("Another account is already called “%s”"), label);
      return fulcrumctl_report_error (error);
    }

  fulcrum_linked_account_set_label (account, label);
  fulcrum_store_item_changed (store, G_OBJECT (account));
  if (!fulcrum_store_save (store, &error))
    return fulcrumctl_report_error (error);

  return FULCRUMCTL_EXIT_OK;
}

static gboolean
clear_account_secrets (FulcrumLinkedAccount  *account,
                       GError               **error)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;

  fulcrum_secret_store_clear_async (secrets, fulcrum_linked_account_get_profile_id (account),
                                    fulcrum_linked_account_get_id (account), NULL,
                                    fulcrumctl_async_result_cb, &result);
  fulcrumctl_wait_for_result (&result);

  if (!fulcrum_secret_store_clear_finish (secrets, result, error))
    {
      g_prefix_error (error, _("Could not remove the account’s tokens from the keyring: "));
      return FALSE;
    }

  return TRUE;
}

static int
account_unlink (int    argc,
                char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!fulcrumctl_parse_options (N_("ACCOUNT"),
                                 N_("Forgets a linked account: its tokens in the keyring, then "
                                    "its record."),
                                 N_("Lever keeps the app authorized until a Super Admin "
                                    "revokes it under Settings → Integrations and API → "
                                    "Authorized Apps."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv, _("Which account? Give its id or label"), &status))
    return status;

  if (!(store = fulcrumctl_open_store (TRUE, &error)) ||
      !(account = fulcrumctl_find_account (store, argv[1], &error)))
    return fulcrumctl_report_error (error);

  /* The keyring first: if it fails, the account stays and the user can try again, rather
   * than tokens staying behind with nothing that points at them. */
  if (!clear_account_secrets (account, &error))
    return fulcrumctl_report_error (error);

  fulcrum_store_remove_account (store, account);
  if (!fulcrum_store_save (store, &error))
    return fulcrumctl_report_error (error);

  return FULCRUMCTL_EXIT_OK;
}

static const FulcrumctlCommand account_commands[] = {
  { "link", N_("Link a Lever organization through the browser"), fulcrumctl_account_link },
  { "list", N_("List the linked accounts"), account_list },
  { "status", N_("Show a linked account"), account_status },
  { "refresh", N_("Get a new access token now"), account_refresh },
  { "rename", N_("Give a linked account a new label"), account_rename },
  { "unlink", N_("Forget a linked account and its tokens"), account_unlink },
};

int
fulcrumctl_account_main (int    argc,
                         char **argv)
{
  return fulcrumctl_dispatch ("account",
                              N_("Linked accounts: Lever organizations linked through a "
                                 "connector profile, whose tokens stay in the keyring."),
                              account_commands, G_N_ELEMENTS (account_commands), argc, argv);
}
