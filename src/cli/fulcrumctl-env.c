/* fulcrumctl-env.c: fulcrumctl env list|add|remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrumctl-env.h"
#include "fulcrumctl-util.h"

static JsonNode *
environment_to_json (FulcrumEnvironment *environment)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  fulcrumctl_json_add_string (builder, "id", fulcrum_environment_get_id (environment));
  fulcrumctl_json_add_string (builder, "name", fulcrum_environment_get_name (environment));
  fulcrumctl_json_add_string (builder, "kind",
                              fulcrum_environment_kind_to_string (
                                fulcrum_environment_get_kind (environment)));
  fulcrumctl_json_add_string (builder, "authorize_url",
                              fulcrum_environment_get_authorize_url (environment));
  fulcrumctl_json_add_string (builder, "token_url",
                              fulcrum_environment_get_token_url (environment));
  fulcrumctl_json_add_string (builder, "audience", fulcrum_environment_get_audience (environment));
  fulcrumctl_json_add_string (builder, "api_base", fulcrum_environment_get_api_base (environment));
  json_builder_set_member_name (builder, "rate_limit");
  json_builder_add_double_value (builder, fulcrum_environment_get_rate_limit (environment));
  json_builder_set_member_name (builder, "rate_burst");
  json_builder_add_int_value (builder, fulcrum_environment_get_rate_burst (environment));
  json_builder_set_member_name (builder, "builtin");
  json_builder_add_boolean_value (builder, fulcrum_environment_is_builtin (environment));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Look-ups by name ignore case, so names that differ only in case would be ambiguous. */
static gboolean
check_name_is_free (FulcrumStore  *store,
                    const char    *name,
                    GError       **error)
{
  GListModel *environments = fulcrum_store_get_environments (store);
  g_autofree char *key = g_utf8_casefold (name, -1);
  guint n_items = g_list_model_get_n_items (environments);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FulcrumEnvironment) other = g_list_model_get_item (environments, i);
      g_autofree char *other_key = g_utf8_casefold (fulcrum_environment_get_name (other), -1);

      if (g_str_equal (key, other_key))
        {
          g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                       _("There is already an environment named “%s”"),
                       fulcrum_environment_get_name (other));
          return FALSE;
        }
    }

  return TRUE;
}

static int
env_list (int    argc,
          char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GListModel *environments;
  guint n_items;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (NULL, N_("Lists the Lever environments: the built-in ones, "
                                          "then the custom ones."),
                                 NULL, entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[1]);

  if (!(store = fulcrumctl_open_store (FALSE, &error)))
    return fulcrumctl_report_error (error);

  environments = fulcrum_store_get_environments (store);
  n_items = g_list_model_get_n_items (environments);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_sized_new (n_items);

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(FulcrumEnvironment) environment = g_list_model_get_item (environments, i);

          json_array_add_element (array, environment_to_json (environment));
        }
      json_node_set_array (root, array);
      fulcrumctl_print_json (root);
    }
  else
    {
      g_autoptr(FulcrumctlTable) table = NULL;

      table = fulcrumctl_table_new (5, _("ID"), _("NAME"), _("KIND"), _("API BASE"),
                                    _("RATE LIMIT"));
      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(FulcrumEnvironment) environment = g_list_model_get_item (environments, i);
          g_autofree char *rate = NULL;

          /* TRANSLATORS: requests per second, then the burst size */
          rate = g_strdup_printf (_("%g/s, burst %u"),
                                  fulcrum_environment_get_rate_limit (environment),
                                  fulcrum_environment_get_rate_burst (environment));
          fulcrumctl_table_add_row (table,
                                    fulcrum_environment_get_id (environment),
                                    fulcrum_environment_get_name (environment),
                                    fulcrum_environment_kind_to_string (
                                      fulcrum_environment_get_kind (environment)),
                                    fulcrum_environment_get_api_base (environment),
                                    rate);
        }
      fulcrumctl_table_print (table);
    }

  return FULCRUMCTL_EXIT_OK;
}

static int
env_add (int    argc,
         char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumEnvironment) environment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *authorize_url = NULL;
  g_autofree char *token_url = NULL;
  g_autofree char *audience = NULL;
  g_autofree char *api_base = NULL;
  g_autofree char *id = NULL;
  double rate = FULCRUM_LEVER_RATE_LIMIT;
  int burst = FULCRUM_LEVER_RATE_BURST;
  int status;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name shown for the environment"),
      N_("NAME") },
    { "authorize-url", 0, 0, G_OPTION_ARG_STRING, &authorize_url,
      N_("Where the browser asks for consent"), N_("URL") },
    { "token-url", 0, 0, G_OPTION_ARG_STRING, &token_url,
      N_("Where codes and refresh tokens are exchanged"), N_("URL") },
    { "audience", 0, 0, G_OPTION_ARG_STRING, &audience,
      N_("The API the tokens are for, e.g. https://api.lever.co/v1/"), N_("AUD") },
    { "api-base", 0, 0, G_OPTION_ARG_STRING, &api_base,
      N_("Base URL of the data API, e.g. https://api.lever.co/v1"), N_("URL") },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
      N_("Requests per second allowed (default: Lever’s 10)"), N_("R") },
    { "burst", 0, 0, G_OPTION_ARG_INT, &burst,
      N_("Requests allowed in a burst (default: Lever’s 20)"), N_("B") },
    { NULL }
  };

  if (!fulcrumctl_parse_options (NULL, N_("Adds a custom environment (an EU data centre, a "
                                          "proxy, a test server) and prints its id. URLs must "
                                          "use https, except on a loopback host."),
                                 NULL, entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[1]);

  if (name == NULL)
    return fulcrumctl_usage_error (_("%s is required"), "--name");
  if (authorize_url == NULL)
    return fulcrumctl_usage_error (_("%s is required"), "--authorize-url");
  if (token_url == NULL)
    return fulcrumctl_usage_error (_("%s is required"), "--token-url");
  /* Without it Lever's consent screen offers only offline_access. */
  if (audience == NULL)
    return fulcrumctl_usage_error (_("%s is required: without the audience the tokens cannot "
                                     "call the API"), "--audience");
  if (api_base == NULL)
    return fulcrumctl_usage_error (_("%s is required"), "--api-base");
  if (burst <= 0)
    return fulcrumctl_usage_error (_("--burst must be a whole number above zero"));

  if (!(store = fulcrumctl_open_store (TRUE, &error)))
    return fulcrumctl_report_error (error);

  id = fulcrum_store_make_id (store, name);
  environment = fulcrum_environment_new_custom (id, name, authorize_url, token_url, audience,
                                                api_base, rate, (guint) burst, &error);
  if (environment == NULL ||
      !check_name_is_free (store, name, &error) ||
      !fulcrum_store_add_environment (store, environment, &error) ||
      !fulcrum_store_save (store, &error))
    return fulcrumctl_report_error (error);

  g_print ("%s\n", id);

  return FULCRUMCTL_EXIT_OK;
}

static int
env_remove (int    argc,
            char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(GError) error = NULL;
  FulcrumEnvironment *environment;
  int status;

  if (!fulcrumctl_parse_options (N_("NAME|ID"),
                                 N_("Removes a custom environment. Built-in environments and "
                                    "environments that profiles use cannot be removed."),
                                 NULL, NULL, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv, _("Which environment? Give its name or id"), &status))
    return status;

  if (!(store = fulcrumctl_open_store (TRUE, &error)))
    return fulcrumctl_report_error (error);

  environment = fulcrum_store_find_environment (store, argv[1]);
  if (environment == NULL)
    {
      g_set_error (&error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_NOT_FOUND,
                   _("There is no environment named “%s”"), argv[1]);
      return fulcrumctl_report_error (error);
    }

  if (!fulcrum_store_remove_environment (store, environment, &error) ||
      !fulcrum_store_save (store, &error))
    return fulcrumctl_report_error (error);

  return FULCRUMCTL_EXIT_OK;
}

static const FulcrumctlCommand env_commands[] = {
  { "list", N_("List the environments"), env_list },
  { "add", N_("Add a custom environment"), env_add },
  { "remove", N_("Remove a custom environment"), env_remove },
};

int
fulcrumctl_env_main (int    argc,
                     char **argv)
{
  return fulcrumctl_dispatch ("env", N_("Lever environments: where to sign in and which API to "
                                        "call."),
                              env_commands, G_N_ELEMENTS (env_commands), argc, argv);
}
