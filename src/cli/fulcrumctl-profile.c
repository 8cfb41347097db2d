/* fulcrumctl-profile.c: fulcrumctl profile create|list|show|edit|set-secret|delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-sim-builtin.h"
#include "fulcrumctl-action.h"
#include "fulcrumctl-profile.h"
#include "fulcrumctl-util.h"

static FulcrumConnectorProfile *
find_profile (FulcrumStore  *store,
              const char    *id_or_name,
              GError       **error)
{
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store, id_or_name);

  if (profile == NULL)
    {
      g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_NOT_FOUND,
                   _("There is no connector profile named “%s”"), id_or_name);
      return NULL;
    }

  return g_object_ref (profile);
}

/* The profile's linked accounts, in the store's order. */
static GPtrArray *
list_accounts (FulcrumStore            *store,
               FulcrumConnectorProfile *profile)
{
  GListModel *accounts = fulcrum_store_get_accounts (store);
  const char *profile_id = fulcrum_connector_profile_get_id (profile);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_items = g_list_model_get_n_items (accounts);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FulcrumLinkedAccount) account = g_list_model_get_item (accounts, i);

      if (g_strcmp0 (fulcrum_linked_account_get_profile_id (account), profile_id) == 0)
        g_ptr_array_add (found, g_steal_pointer (&account));
    }

  return found;
}

static void
add_string_array (JsonBuilder        *builder,
                  const char         *member,
                  const char * const *strv)
{
  json_builder_set_member_name (builder, member);
  if (strv == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static JsonNode *
profile_to_json (FulcrumStore            *store,
                 FulcrumConnectorProfile *profile)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) accounts = list_accounts (store, profile);
  const char * const *scopes = fulcrum_connector_profile_get_scopes (profile);
  const char * const no_scopes[] = { NULL };

  json_builder_begin_object (builder);
  fulcrumctl_json_add_string (builder, "id", fulcrum_connector_profile_get_id (profile));
  fulcrumctl_json_add_string (builder, "name", fulcrum_connector_profile_get_name (profile));
  fulcrumctl_json_add_string (builder, "environment",
                              fulcrum_connector_profile_get_environment_id (profile));
  fulcrumctl_json_add_string (builder, "client_id",
                              fulcrum_connector_profile_get_client_id (profile));
  add_string_array (builder, "scopes", scopes != NULL ? scopes : no_scopes);
  fulcrumctl_json_add_string (builder, "redirect_uri",
                              fulcrum_connector_profile_get_redirect_uri (profile));
  json_builder_set_member_name (builder, "has_secret");
  json_builder_add_boolean_value (builder, fulcrum_connector_profile_get_has_secret (profile));
  /* null: every action the scopes cover is enabled. */
  add_string_array (builder, "enabled_actions",
                    fulcrum_connector_profile_get_enabled_actions (profile));
  fulcrumctl_json_add_string (builder, "integration_name",
                              fulcrum_connector_profile_get_integration_name (profile));
  fulcrumctl_json_add_string (builder, "description",
                              fulcrum_connector_profile_get_description (profile));
  fulcrumctl_json_add_string (builder, "logo_url",
                              fulcrum_connector_profile_get_logo_url (profile));
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    {
      FulcrumLinkedAccount *account = g_ptr_array_index (accounts, i);

      json_builder_add_string_value (builder, fulcrum_linked_account_get_id (account));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Names are compared the way the store looks them up: without regard to case. */
static gboolean
check_name_is_free (FulcrumStore            *store,
                    FulcrumConnectorProfile *self,
                    const char              *name,
                    GError                 **error)
{
  GListModel *profiles = fulcrum_store_get_profiles (store);
  g_autofree char *key = g_utf8_casefold (name, -1);
  guint n_items = g_list_model_get_n_items (profiles);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FulcrumConnectorProfile) other = g_list_model_get_item (profiles, i);
      g_autofree char *other_key = NULL;

      if (other == self)
        continue;

      other_key = g_utf8_casefold (fulcrum_connector_profile_get_name (other), -1);
      if (g_str_equal (key, other_key))
        {
          g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                       _("There is already a connector profile named “%s”"),
                       fulcrum_connector_profile_get_name (other));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
apply_scopes (FulcrumConnectorProfile  *profile,
              char                    **values,
              GError                  **error)
{
  g_auto(GStrv) scopes = fulcrumctl_collect_scopes (values);
  g_autofree char *hint = NULL;

  if (!fulcrum_connector_profile_set_scopes (profile,
                                             scopes != NULL
                                               ? (const char * const *) scopes
                                               : fulcrum_scopes_get_default (),
                                             error))
    return FALSE;

  hint = fulcrum_scopes_get_size_hint (fulcrum_connector_profile_get_scopes (profile));
  if (hint != NULL)
    fulcrumctl_note ("%s", hint);

  return TRUE;
}

static gboolean
apply_redirect_uri (FulcrumConnectorProfile  *profile,
                    const char               *redirect_uri,
                    GError                  **error)
{
  g_autofree char *fallback = NULL;

  /* An empty value goes back to the default for the profile's environment. */
  if (redirect_uri == NULL || *redirect_uri == '\0')
    {
      fallback = fulcrum_connector_profile_default_redirect_uri (
        fulcrum_connector_profile_get_environment_id (profile), FULCRUM_DEFAULT_REDIRECT_PORT);
      redirect_uri = fallback;
    }
  else if (!fulcrum_connector_profile_check_redirect_uri (redirect_uri, error))
    {
      return FALSE;
    }

  fulcrum_connector_profile_set_redirect_uri (profile, redirect_uri);
  return TRUE;
}

static char *
read_secret_for (FulcrumConnectorProfile  *profile,
                 GError                  **error)
{
  g_autofree char *prompt = NULL;

  prompt = g_strdup_printf (_("Client secret for “%s”: "),
                            fulcrum_connector_profile_get_name (profile));
  return fulcrumctl_read_secret (prompt, error);
}

/* "profile create --environment simulator" without --client-id. */
static int
create_simulator_profile (FulcrumStore  *store,
                          const char    *name,
                          char         **scope_values)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) scopes = fulcrumctl_collect_scopes (scope_values);
  g_auto(GStrv) normalized = NULL;

  /* Every rule is checked before anything reaches the keyring or the config. */
  if ((scopes != NULL &&
       !(normalized = fulcrum_scopes_normalize ((const char * const *) scopes, &error))) ||
      !check_name_is_free (store, NULL, name, &error))
    return fulcrumctl_report_error (error);

  fulcrum_sim_builtin_create_profile_async (store, secrets, name, NULL,
                                            fulcrumctl_async_result_cb, &result);
  fulcrumctl_wait_for_result (&result);
  if (!(profile = fulcrum_sim_builtin_create_profile_finish (result, &error)))
    return fulcrumctl_report_error (error);

  if (normalized != NULL &&
      (!apply_scopes (profile, scope_values, &error) || !fulcrum_store_save (store, &error)))
    return fulcrumctl_report_error (error);

  g_print ("%s\n", fulcrum_connector_profile_get_id (profile));

  return FULCRUMCTL_EXIT_OK;
}

static int
profile_create (int    argc,
                char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(FulcrumSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *environment_name = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *redirect_uri = NULL;
  g_autofree char *id = NULL;
  g_auto(GStrv) scope_values = NULL;
  gboolean secret_stdin = FALSE;
  FulcrumEnvironment *environment;
  int status;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the profile"), N_("NAME") },
    { "environment", 0, 0, G_OPTION_ARG_STRING, &environment_name,
      N_("Environment the Lever app is registered in (see “fulcrumctl env list”)"),
      N_("ENV_ID") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("Client id Lever issued for the app (leave it out for the built-in simulator’s "
         "app)"), N_("ID") },
    { "scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &scope_values,
      N_("A scope to ask for; repeat it for each (default: Fulcrum’s recommended set)"),
      N_("SCOPE") },
    { "redirect-uri", 0, 0, G_OPTION_ARG_STRING, &redirect_uri,
      N_("Callback registered with Lever (default: http://127.0.0.1:53682/callback/ENV_ID)"),
      N_("URI") },
    { "secret-stdin", 0, 0, G_OPTION_ARG_NONE, &secret_stdin,
      N_("Read the client secret from standard input and keep it in the keyring"), NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (NULL, N_("Creates a connector profile, the Lever app "
                                          "(client id and secret) of one environment, and "
                                          "prints its id."),
                                 N_("Scope rules: offline_access and users:read:admin are "
                                    "required, at most 20 scopes, a write scope includes its "
                                    "read scope. With --environment simulator and no "
                                    "--client-id, the profile uses the built-in simulator’s "
                                    "app: its client id, secret and callback are filled in."),
                                 entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[1]);
  if (name == NULL)
    return fulcrumctl_usage_error (_("%s is required"), "--name");
  if (environment_name == NULL)
    return fulcrumctl_usage_error (_("%s is required"), "--environment");

  if (!(store = fulcrumctl_open_store (TRUE, &error)))
    return fulcrumctl_report_error (error);

  environment = fulcrum_store_find_environment (store, environment_name);
  if (environment == NULL)
    {
      g_set_error (&error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_NOT_FOUND,
                   _("There is no environment named “%s” (see “fulcrumctl env list”)"),
                   environment_name);
      return fulcrumctl_report_error (error);
    }

  /* One click: the built-in simulator's own app, with its client id, secret and callback. */
  if (client_id == NULL &&
      fulcrum_environment_get_kind (environment) == FULCRUM_ENVIRONMENT_KIND_SIMULATOR)
    {
      if (secret_stdin)
        return fulcrumctl_usage_error (_("The built-in simulator’s app brings its own client "
                                         "secret: leave out --secret-stdin, or give the "
                                         "--client-id of another app"));
      if (redirect_uri != NULL)
        return fulcrumctl_usage_error (_("The built-in simulator’s app has its callback "
                                         "registered already: leave out --redirect-uri, or "
                                         "give the --client-id of another app"));
      return create_simulator_profile (store, name, scope_values);
    }

  if (client_id == NULL)
    return fulcrumctl_usage_error (_("%s is required (except for the built-in simulator, whose "
                                     "app Fulcrum fills in)"), "--client-id");

  id = fulcrum_store_make_id (store, name);
  profile = fulcrum_connector_profile_new (id, fulcrum_environment_get_id (environment));
  fulcrum_connector_profile_set_name (profile, name);
  fulcrum_connector_profile_set_client_id (profile, client_id);

  if (!apply_scopes (profile, scope_values, &error) ||
      !apply_redirect_uri (profile, redirect_uri, &error) ||
      !fulcrum_connector_profile_validate (profile, &error) ||
      !check_name_is_free (store, profile, name, &error) ||
      !fulcrum_store_add_profile (store, profile, &error))
    return fulcrumctl_report_error (error);

  /* The keyring first: the config never claims a secret that is not there. */
  if (secret_stdin)
    {
      if (!(secret = read_secret_for (profile, &error)) ||
          !fulcrumctl_store_client_secret (id, secret, &error))
        return fulcrumctl_report_error (error);
      fulcrum_connector_profile_set_has_secret (profile, TRUE);
    }

  if (!fulcrum_store_save (store, &error))
    {
      g_autoptr(GError) clear_error = NULL;

      /* Do not leave a secret behind for a profile that does not exist. */
      if (secret_stdin && !fulcrumctl_clear_profile_secrets (id, &clear_error))
        fulcrumctl_warning ("%s", clear_error->message);
      return fulcrumctl_report_error (error);
    }

  g_print ("%s\n", id);

  return FULCRUMCTL_EXIT_OK;
}

static int
profile_list (int    argc,
              char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GListModel *profiles;
  guint n_items;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (NULL, N_("Lists the connector profiles."), NULL, entries,
                                 &argc, &argv, &status))
    return status;
  if (argc > 1)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[1]);

  if (!(store = fulcrumctl_open_store (FALSE, &error)))
    return fulcrumctl_report_error (error);

  profiles = fulcrum_store_get_profiles (store);
  n_items = g_list_model_get_n_items (profiles);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_sized_new (n_items);

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(FulcrumConnectorProfile) profile = g_list_model_get_item (profiles, i);

          json_array_add_element (array, profile_to_json (store, profile));
        }
      json_node_set_array (root, array);
      fulcrumctl_print_json (root);
    }
  else if (n_items == 0)
    {
      g_printerr ("%s\n",
                  _("No connector profiles yet; create one with “fulcrumctl profile create”."));
    }
  else
    {
      g_autoptr(FulcrumctlTable) table = NULL;

      table = fulcrumctl_table_new (6, _("ID"), _("NAME"), _("ENVIRONMENT"), _("CLIENT ID"),
                                    _("SCOPES"), _("SECRET"));
      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(FulcrumConnectorProfile) profile = g_list_model_get_item (profiles, i);
          const char * const *scopes = fulcrum_connector_profile_get_scopes (profile);
          g_autofree char *n_scopes = NULL;

          n_scopes = g_strdup_printf ("%u",
                                      scopes != NULL ? g_strv_length ((char **) scopes) : 0);
          fulcrumctl_table_add_row (table,
                                    fulcrum_connector_profile_get_id (profile),
                                    fulcrum_connector_profile_get_name (profile),
                                    fulcrum_connector_profile_get_environment_id (profile),
                                    fulcrum_connector_profile_get_client_id (profile),
                                    n_scopes,
                                    fulcrum_connector_profile_get_has_secret (profile)
                                      ? _("stored") : _("missing"));
        }
      fulcrumctl_table_print (table);
    }

  return FULCRUMCTL_EXIT_OK;
}

static void
print_profile (FulcrumStore            *store,
               FulcrumConnectorProfile *profile)
{
  g_autoptr(FulcrumctlTable) table = fulcrumctl_table_new (2, NULL, NULL);
  g_autoptr(GPtrArray) accounts = list_accounts (store, profile);
  g_autoptr(GString) account_labels = g_string_new (NULL);
  g_autofree char *environment_text = NULL;
  g_autofree char *scopes_text = NULL;
  g_autofree char *actions_text = NULL;
  g_autofree char *secret_text = NULL;
  const char *environment_id = fulcrum_connector_profile_get_environment_id (profile);
  FulcrumEnvironment *environment = fulcrum_store_find_environment (store, environment_id);
  const char * const *scopes = fulcrum_connector_profile_get_scopes (profile);
  const char * const *actions = fulcrum_connector_profile_get_enabled_actions (profile);

  if (environment != NULL)
    environment_text = g_strdup_printf ("%s (%s)", environment_id,
                                        fulcrum_environment_get_name (environment));
  else
    environment_text = g_strdup_printf (_("%s (missing)"), environment_id);

  scopes_text = scopes != NULL ? g_strjoinv (" ", (char **) scopes) : NULL;
  actions_text = actions != NULL ? g_strjoinv (" ", (char **) actions)
                                 : g_strdup (_("every action its scopes cover"));

  if (fulcrum_connector_profile_get_has_secret (profile))
    secret_text = g_strdup (_("stored in the keyring"));
  else
    secret_text = g_strdup_printf (_("missing (set it with “fulcrumctl profile set-secret "
                                     "%s”)"),
                                   fulcrum_connector_profile_get_id (profile));

  for (guint i = 0; i < accounts->len; i++)
    {
      FulcrumLinkedAccount *account = g_ptr_array_index (accounts, i);
      const char *label = fulcrum_linked_account_get_label (account);

      g_string_append_printf (account_labels, "%s%s", i > 0 ? ", " : "",
                              label != NULL ? label : fulcrum_linked_account_get_id (account));
    }

  fulcrumctl_table_add_row (table, _("id:"), fulcrum_connector_profile_get_id (profile));
  fulcrumctl_table_add_row (table, _("name:"), fulcrum_connector_profile_get_name (profile));
  fulcrumctl_table_add_row (table, _("environment:"), environment_text);
  fulcrumctl_table_add_row (table, _("client id:"),
                            fulcrum_connector_profile_get_client_id (profile));
  fulcrumctl_table_add_row (table, _("client secret:"), secret_text);
  fulcrumctl_table_add_row (table, _("redirect uri:"),
                            fulcrum_connector_profile_get_redirect_uri (profile));
  fulcrumctl_table_add_row (table, _("scopes:"), scopes_text);
  fulcrumctl_table_add_row (table, _("enabled actions:"), actions_text);
  if (fulcrum_connector_profile_get_integration_name (profile) != NULL)
    fulcrumctl_table_add_row (table, _("integration name:"),
                              fulcrum_connector_profile_get_integration_name (profile));
  if (fulcrum_connector_profile_get_description (profile) != NULL)
    fulcrumctl_table_add_row (table, _("description:"),
                              fulcrum_connector_profile_get_description (profile));
  if (fulcrum_connector_profile_get_logo_url (profile) != NULL)
    fulcrumctl_table_add_row (table, _("logo url:"),
                              fulcrum_connector_profile_get_logo_url (profile));
  fulcrumctl_table_add_row (table, _("linked accounts:"),
                            accounts->len > 0 ? account_labels->str : _("none"));
  fulcrumctl_table_print (table);
}

static int
profile_show (int    argc,
              char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (N_("NAME|ID"), N_("Shows a connector profile."), NULL,
                                 entries, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv, _("Which profile? Give its name or id"), &status))
    return status;

  if (!(store = fulcrumctl_open_store (FALSE, &error)) ||
      !(profile = find_profile (store, argv[1], &error)))
    return fulcrumctl_report_error (error);

  if (json)
    {
      g_autoptr(JsonNode) root = profile_to_json (store, profile);

      fulcrumctl_print_json (root);
    }
  else
    {
      print_profile (store, profile);
    }

  return FULCRUMCTL_EXIT_OK;
}

static int
profile_edit (int    argc,
              char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *redirect_uri = NULL;
  g_auto(GStrv) scope_values = NULL;
  g_auto(GStrv) action_values = NULL;
  g_auto(GStrv) action_ids = NULL;
  gboolean all_actions = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("New name of the profile"), N_("NAME") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("New client id"), N_("ID") },
    { "scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &scope_values,
      N_("A scope to ask for; repeat it for each. Replaces the whole list"), N_("SCOPE") },
    { "redirect-uri", 0, 0, G_OPTION_ARG_STRING, &redirect_uri,
      N_("New callback registered with Lever (empty: the default for the environment)"),
      N_("URI") },
    { "action", 0, 0, G_OPTION_ARG_STRING_ARRAY, &action_values,
      N_("An action to enable (see “fulcrumctl action list”); repeat it for each. Only these "
         "are enabled then"), N_("ACTION") },
    { "all-actions", 0, 0, G_OPTION_ARG_NONE, &all_actions,
      N_("Enable every action the scopes cover again (what a profile that never chose does)"),
      NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (N_("NAME|ID"),
                                 N_("Changes a connector profile. A profile stays in its "
                                    "environment: create another one for another environment."),
                                 N_("Accounts linked before a scope change keep the scopes "
                                    "they were granted until they are linked again."),
                                 entries, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv, _("Which profile? Give its name or id"), &status))
    return status;
  if (name == NULL && client_id == NULL && scope_values == NULL && redirect_uri == NULL &&
      action_values == NULL && !all_actions)
    return fulcrumctl_usage_error (_("Nothing to change: give --name, --client-id, --scope, "
                                     "--redirect-uri, --action or --all-actions"));
  if (action_values != NULL && all_actions)
    return fulcrumctl_usage_error (_("Give --action or --all-actions, not both"));
  if (action_values != NULL && !(action_ids = fulcrumctl_collect_action_ids (action_values,
                                                                              &error)))
    return fulcrumctl_usage_error ("%s", error->message);

  if (!(store = fulcrumctl_open_store (TRUE, &error)) ||
      !(profile = find_profile (store, argv[1], &error)))
    return fulcrumctl_report_error (error);

  /* Changes are made on the loaded profile and only saved when all of them hold. */
  if (name != NULL)
    {
      if (!check_name_is_free (store, profile, name, &error))
        return fulcrumctl_report_error (error);
      fulcrum_connector_profile_set_name (profile, name);
    }
  if (client_id != NULL)
    fulcrum_connector_profile_set_client_id (profile, client_id);
  if ((scope_values != NULL && !apply_scopes (profile, scope_values, &error)) ||
      (redirect_uri != NULL && !apply_redirect_uri (profile, redirect_uri, &error)) ||
      !fulcrum_connector_profile_validate (profile, &error))
    return fulcrumctl_report_error (error);
  /* After the scopes: the note on uncovered actions uses the new ones. */
  if (action_ids != NULL || all_actions)
    fulcrumctl_set_enabled_actions (profile, (const char * const *) action_ids);

  if (!fulcrum_store_save (store, &error))
    return fulcrumctl_report_error (error);

  return FULCRUMCTL_EXIT_OK;
}

static int
profile_set_secret (int    argc,
                    char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(FulcrumSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!fulcrumctl_parse_options (N_("NAME|ID"),
                                 N_("Reads the profile’s client secret from standard input "
                                    "(one line; not echoed on a terminal) and keeps it in the "
                                    "keyring."),
                                 NULL, NULL, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv, _("Which profile? Give its name or id"), &status))
    return status;

  if (!(store = fulcrumctl_open_store (TRUE, &error)) ||
      !(profile = find_profile (store, argv[1], &error)) ||
      !(secret = read_secret_for (profile, &error)) ||
      !fulcrumctl_store_client_secret (fulcrum_connector_profile_get_id (profile), secret,
                                       &error))
    return fulcrumctl_report_error (error);

  if (!fulcrum_connector_profile_get_has_secret (profile))
    {
      fulcrum_connector_profile_set_has_secret (profile, TRUE);
      if (!fulcrum_store_save (store, &error))
        return fulcrumctl_report_error (error);
    }

  return FULCRUMCTL_EXIT_OK;
}

static int
profile_delete (int    argc,
                char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!fulcrumctl_parse_options (N_("NAME|ID"),
                                 N_("Deletes a connector profile, its linked accounts, and "
                                    "their secrets in the keyring."),
                                 N_("Lever keeps the app authorized until a Super Admin "
                                    "revokes it under Settings → Integrations and API → "
                                    "Authorized Apps."),
                                 NULL, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv, _("Which profile? Give its name or id"), &status))
    return status;

  if (!(store = fulcrumctl_open_store (TRUE, &error)) ||
      !(profile = find_profile (store, argv[1], &error)))
    return fulcrumctl_report_error (error);

  /* The keyring first: if it fails, the profile stays and the user can try again,
   * rather than secrets staying behind with nothing that points at them. */
  if (!fulcrumctl_clear_profile_secrets (fulcrum_connector_profile_get_id (profile), &error))
    return fulcrumctl_report_error (error);

  fulcrum_store_remove_profile (store, profile);
  if (!fulcrum_store_save (store, &error))
    return fulcrumctl_report_error (error);

  return FULCRUMCTL_EXIT_OK;
}

static const FulcrumctlCommand profile_commands[] = {
  { "create", N_("Create a connector profile"), profile_create },
  { "list", N_("List the connector profiles"), profile_list },
  { "show", N_("Show a connector profile"), profile_show },
  { "edit", N_("Change a connector profile"), profile_edit },
  { "set-secret", N_("Keep a profile’s client secret, read from stdin, in the keyring"),
    profile_set_secret },
  { "delete", N_("Delete a connector profile and its keyring items"), profile_delete },
};

int
fulcrumctl_profile_main (int    argc,
                         char **argv)
{
  return fulcrumctl_dispatch ("profile",
                              N_("Connector profiles: the Lever app (client id, secret, scopes, "
                                 "callback) of one environment."),
                              profile_commands, G_N_ELEMENTS (profile_commands), argc, argv);
}
