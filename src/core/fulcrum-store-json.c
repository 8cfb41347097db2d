/* fulcrum-store-json.c
 *
 * The config file's format: schema version 1, built-in environments left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-store"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "fulcrum-store-private.h"

static JsonArray *
get_array (JsonObject  *root,
           const char  *member,
           GError     **error)
{
  JsonNode *node = json_object_get_member (root, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a list"), member);
      return NULL;
    }

  return json_node_get_array (node);
}

static JsonObject *
get_element_object (JsonArray   *array,
                    guint        i,
                    const char  *member,
                    GError     **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("An entry of “%s” is not an object"), member);
      return NULL;
    }

  return json_node_get_object (node);
}

static FulcrumEnvironment *
environment_from_json (JsonObject  *object,
                       GError     **error)
{
  const char *id = json_object_get_string_member_with_default (object, "id", NULL);

  if (id == NULL || *id == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("An environment has no id"));
      return NULL;
    }

  return fulcrum_environment_new_custom (
    id,
    json_object_get_string_member_with_default (object, "name", NULL),
    json_object_get_string_member_with_default (object, "authorize_url", NULL),
    json_object_get_string_member_with_default (object, "token_url", NULL),
    json_object_get_string_member_with_default (object, "audience", NULL),
    json_object_get_string_member_with_default (object, "api_base", NULL),
    json_object_get_double_member_with_default (object, "rate_limit", FULCRUM_LEVER_RATE_LIMIT),
    (guint) CLAMP (json_object_get_int_member_with_default (object, "rate_burst",
                                                            FULCRUM_LEVER_RATE_BURST),
                   0, G_MAXUINT),
    error);
}

gboolean
fulcrum_store_parse_config (const char  *contents,
                            gsize        length,
                            GPtrArray   *envs,
                            GPtrArray   *profiles,
                            GPtrArray   *accounts,
                            gboolean    *newer,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *array;
  GError *local_error = NULL;
  gint64 version;

  *newer = FALSE;

  if (!json_parser_load_from_data (parser, contents, length, error))
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The file is not a JSON object"));
      return FALSE;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  version = json_object_get_int_member_with_default (root, "version", 0);
  if (version < 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The file has no schema version"));
      return FALSE;
    }
  if (version > FULCRUM_STORE_SCHEMA_VERSION)
    {
      *newer = TRUE;
      return FALSE;
    }

  if ((array = get_array (root, "environments", &local_error)))
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *object = get_element_object (array, i, "environments", error);
        FulcrumEnvironment *env;

        if (object == NULL || !(env = environment_from_json (object, error)))
          return FALSE;
        g_ptr_array_add (envs, env);
      }
  if (local_error)
    goto failed;

  if ((array = get_array (root, "profiles", &local_error)))
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *object = get_element_object (array, i, "profiles", error);
        FulcrumConnectorProfile *profile;

        if (object == NULL || !(profile = fulcrum_connector_profile_new_from_json (object, error)))
          return FALSE;
        g_ptr_array_add (profiles, profile);
      }
  if (local_error)
    goto failed;

  if ((array = get_array (root, "accounts", &local_error)))
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *object = get_element_object (array, i, "accounts", error);
        FulcrumLinkedAccount *account;

        if (object == NULL || !(account = fulcrum_linked_account_new_from_json (object, error)))
          return FALSE;
        g_ptr_array_add (accounts, account);
      }
  if (local_error)
    goto failed;

  return TRUE;

failed:
  g_propagate_error (error, local_error);
  return FALSE;
}

static void
add_environment_json (JsonBuilder        *builder,
                      FulcrumEnvironment *env)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, fulcrum_environment_get_id (env));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, fulcrum_environment_get_name (env));
  json_builder_set_member_name (builder, "authorize_url");
  json_builder_add_string_value (builder, fulcrum_environment_get_authorize_url (env));
  json_builder_set_member_name (builder, "token_url");
  json_builder_add_string_value (builder, fulcrum_environment_get_token_url (env));
  json_builder_set_member_name (builder, "audience");
  json_builder_add_string_value (builder, fulcrum_environment_get_audience (env));
  json_builder_set_member_name (builder, "api_base");
  json_builder_add_string_value (builder, fulcrum_environment_get_api_base (env));
  json_builder_set_member_name (builder, "rate_limit");
  json_builder_add_double_value (builder, fulcrum_environment_get_rate_limit (env));
  json_builder_set_member_name (builder, "rate_burst");
  json_builder_add_int_value (builder, fulcrum_environment_get_rate_burst (env));
  json_builder_end_object (builder);
}

char *
fulcrum_store_serialize_config (GListModel *environments,
                                GListModel *profiles,
                                GListModel *accounts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GListModel *model;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FULCRUM_STORE_SCHEMA_VERSION);

  json_builder_set_member_name (builder, "environments");
  json_builder_begin_array (builder);
  model = environments;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FulcrumEnvironment) env = g_list_model_get_item (model, i);

      if (!fulcrum_environment_is_builtin (env))
        add_environment_json (builder, env);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "profiles");
  json_builder_begin_array (builder);
  model = profiles;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FulcrumConnectorProfile) profile = g_list_model_get_item (model, i);

      json_builder_add_value (builder, fulcrum_connector_profile_to_json (profile));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  model = accounts;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FulcrumLinkedAccount) account = g_list_model_get_item (model, i);

      json_builder_add_value (builder, fulcrum_linked_account_to_json (account));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}
