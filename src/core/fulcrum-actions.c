/* fulcrum-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-actions.h"
#include "fulcrum-lever-private.h"
#include "fulcrum-scopes.h"

G_DEFINE_QUARK (fulcrum-action-error-quark, fulcrum_action_error)

/* Helpers */

static void
query_param_free (gpointer data)
{
  FulcrumActionQueryParam *param = data;

  g_free (param->name);
  g_free (param->value);
  g_free (param);
}

static void
add_query (FulcrumActionRequest *request,
           const char           *name,
           const char           *value)
{
  FulcrumActionQueryParam *param = g_new0 (FulcrumActionQueryParam, 1);

  param->name = g_strdup (name);
  param->value = g_strdup (value);
  g_ptr_array_add (request->query, param);
}

static char *
dup_param_names (const FulcrumAction *action)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < action->n_params; i++)
    {
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, action->params[i].name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static const char * const *
account_scopes (FulcrumConnectorProfile *profile,
                FulcrumLinkedAccount    *account)
{
  const char * const *granted = NULL;

  if (account != NULL)
    granted = fulcrum_linked_account_get_granted_scopes (account);
  /* Lever always says what it granted; an account without a record falls back on what
   * its profile asked for */
  if (granted == NULL || granted[0] == NULL)
    granted = fulcrum_connector_profile_get_scopes (profile);
  return granted;
}

static const char *
account_name (FulcrumLinkedAccount *account)
{
  const char *label = fulcrum_linked_account_get_label (account);

  return label != NULL && label[0] != '\0' ? label : fulcrum_linked_account_get_id (account);
}

static gboolean
set_missing_scope_error (const FulcrumAction     *action,
                         FulcrumConnectorProfile *profile,
                         FulcrumLinkedAccount    *account,
                         const char              *scope,
                         GError                 **error)
{
  if (account != NULL)
    g_set_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE,
                 _("The account “%s” was not granted the scope %s, which %s needs. Add the "
                   "scope to the profile “%s” and link the account again."),
                 account_name (account), scope, action->id,
                 fulcrum_connector_profile_get_name (profile));
  else
    g_set_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE,
                 _("The profile “%s” does not ask for the scope %s, which %s needs."),
                 fulcrum_connector_profile_get_name (profile), scope, action->id);
  return FALSE;
}

static gboolean
invalid_param (GError     **error,
               const char  *format,
               ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid_param (GError     **error,
               const char  *format,
               ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_INVALID_PARAMETER,
                                 format, args);
  va_end (args);
  return FALSE;
}

static gboolean
check_choice (const FulcrumAction       *action,
              const FulcrumActionParam  *param,
              const char                *value,
              GError                   **error)
{
  g_autofree char *choices = NULL;

  if (param->choices == NULL || g_strv_contains (param->choices, value))
    return TRUE;
  choices = g_strjoinv (", ", (char **) param->choices);
  return invalid_param (error, _("“%s” is not a valid %s for %s (one of: %s)"),
                        value, param->name, action->id, choices);
}

static gboolean
parse_boolean (const char *text,
               gboolean   *value)
{
  static const char * const yes[] = { "true", "1", "yes", "on", NULL };
  static const char * const no[] = { "false", "0", "no", "off", NULL };
  g_autofree char *lower = g_ascii_strdown (text, -1);

  if (g_strv_contains (yes, lower))
    *value = TRUE;
  else if (g_strv_contains (no, lower))
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static GPtrArray *
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_ptr_array_add (items, g_strdup (parts[i]));
    }
  return items;
}

static gboolean
is_blank_list (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p != ',' && !g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
replace_path_param (GString     *path,
                    const char  *name,
                    const char  *value,
                    GError     **error)
{
  g_autofree char *placeholder = g_strdup_printf ("{%s}", name);
  g_autofree char *escaped = NULL;
  const char *at = strstr (path->str, placeholder);

  /* escaped, a value can never add a path segment; "." and ".." would still move up */
  if (strcmp (value, ".") == 0 || strcmp (value, "..") == 0)
    return invalid_param (error, _("“%s” is not a valid %s"), value, name);
  if (at == NULL)
    return TRUE;
  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_erase (path, at - path->str, strlen (placeholder));
  g_string_insert (path, at - path->str, escaped);
  return TRUE;
}

/* Converts @text to what the parameter sends: a JSON node for the body, and for the
 * query the text values (several for lists). */
static gboolean
convert_value (const FulcrumAction       *action,
               const FulcrumActionParam  *param,
               const char                *text,
               JsonNode                 **node_out,
               GPtrArray                 *query_values,
               GError                   **error)
{
  g_autoptr(JsonNode) node = NULL;

  switch (param->type)
    {
    case FULCRUM_ACTION_PARAM_STRING:
      if (!check_choice (action, param, text, error))
        return FALSE;
      node = json_node_init_string (json_node_alloc (), text);
      g_ptr_array_add (query_values, g_strdup (text));
      break;

    case FULCRUM_ACTION_PARAM_INTEGER:
      {
        gint64 value;
        gint64 min = param->min < param->max ? param->min : G_MININT64;
        gint64 max = param->min < param->max ? param->max : G_MAXINT64;

        if (!g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
          {
            if (param->min < param->max)
              return invalid_param (error, _("%s of %s must be a whole number from %ld to %ld, "
                                             "not “%s”"),
                                    param->name, action->id, (long) param->min,
                                    (long) param->max, text);
            return invalid_param (error, _("%s of %s must be a whole number, not “%s”"),
                                  param->name, action->id, text);
          }
        node = json_node_init_int (json_node_alloc (), value);
        g_ptr_array_add (query_values, g_strdup_printf ("%" G_GINT64_FORMAT, value));
      }
      break;

    case FULCRUM_ACTION_PARAM_BOOLEAN:
      {
        gboolean value;

        if (!parse_boolean (text, &value))
          return invalid_param (error, _("%s of %s must be true or false, not “%s”"),
                                param->name, action->id, text);
        node = json_node_init_boolean (json_node_alloc (), value);
        g_ptr_array_add (query_values, g_strdup (value ? "true" : "false"));
      }
      break;

    case FULCRUM_ACTION_PARAM_TIMESTAMP:
      {
        gint64 ms;

        if (!fulcrum_action_parse_timestamp (text, &ms))
          return invalid_param (error, _("%s of %s must be a time in milliseconds since 1970 "
                                         "or an ISO 8601 date, not “%s”"),
                                param->name, action->id, text);
        node = json_node_init_int (json_node_alloc (), ms);
        g_ptr_array_add (query_values, g_strdup_printf ("%" G_GINT64_FORMAT, ms));
      }
      break;

    case FULCRUM_ACTION_PARAM_STRING_LIST:
      {
        g_autoptr(GPtrArray) items = split_list (text);
        JsonArray *array = json_array_sized_new (items->len);

        node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        for (guint i = 0; i < items->len; i++)
          {
            const char *item = g_ptr_array_index (items, i);

            if (!check_choice (action, param, item, error))
              return FALSE;
            json_array_add_string_element (array, item);
            g_ptr_array_add (query_values, g_strdup (item));
          }
      }
      break;

    case FULCRUM_ACTION_PARAM_JSON:
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) local_error = NULL;

        if (!json_parser_load_from_data (parser, text, -1, &local_error) ||
            json_parser_get_root (parser) == NULL)
          return invalid_param (error, _("%s of %s must be JSON: %s"), param->name, action->id,
                                local_error ? local_error->message : _("it is empty"));
        node = json_parser_steal_root (parser);
        g_ptr_array_add (query_values, g_strdup (text));
      }
      break;

    default:
      g_assert_not_reached ();
    }

  *node_out = g_steal_pointer (&node);
  return TRUE;
}

/* Public API */

const FulcrumAction *
fulcrum_actions_get_all (guint *n_actions)
{
  return fulcrum_lever_catalogue_get (n_actions);
}

const FulcrumAction *
fulcrum_actions_lookup (const char *id)
{
  const FulcrumAction *actions;
  guint n_actions;

  g_return_val_if_fail (id != NULL, NULL);

  actions = fulcrum_lever_catalogue_get (&n_actions);
  for (guint i = 0; i < n_actions; i++)
    if (strcmp (actions[i].id, id) == 0)
      return &actions[i];
  return NULL;
}

const FulcrumActionParam *
fulcrum_action_find_param (const FulcrumAction *action,
                           const char          *name)
{
  g_return_val_if_fail (action != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < action->n_params; i++)
    if (strcmp (action->params[i].name, name) == 0)
      return &action->params[i];
  return NULL;
}

const char *
fulcrum_action_param_type_to_string (FulcrumActionParamType type)
{
  static const char * const names[] = {
    [FULCRUM_ACTION_PARAM_STRING] = "string",
    [FULCRUM_ACTION_PARAM_INTEGER] = "integer",
    [FULCRUM_ACTION_PARAM_BOOLEAN] = "boolean",
    [FULCRUM_ACTION_PARAM_TIMESTAMP] = "timestamp",
    [FULCRUM_ACTION_PARAM_STRING_LIST] = "string-list",
    [FULCRUM_ACTION_PARAM_JSON] = "json",
  };

  g_return_val_if_fail (type < G_N_ELEMENTS (names), NULL);
  return names[type];
}

const char *
fulcrum_action_param_location_to_string (FulcrumActionParamLocation location)
{
  static const char * const names[] = {
    [FULCRUM_ACTION_PARAM_IN_PATH] = "path",
    [FULCRUM_ACTION_PARAM_IN_QUERY] = "query",
    [FULCRUM_ACTION_PARAM_IN_BODY] = "body",
  };

  g_return_val_if_fail (location < G_N_ELEMENTS (names), NULL);
  return names[location];
}

gboolean
fulcrum_action_is_enabled (const FulcrumAction     *action,
                           FulcrumConnectorProfile *profile)
{
  const char * const *enabled;
  const char * const *scopes;

  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (profile), FALSE);

  enabled = fulcrum_connector_profile_get_enabled_actions (profile);
  if (enabled != NULL)
    return g_strv_contains (enabled, action->id);

  scopes = fulcrum_connector_profile_get_scopes (profile);
  for (guint i = 0; action->scopes[i] != NULL; i++)
    if (!fulcrum_scopes_covers (scopes, action->scopes[i]))
      return FALSE;
  return TRUE;
}

gboolean
fulcrum_action_check_allowed (const FulcrumAction      *action,
                              FulcrumConnectorProfile  *profile,
                              FulcrumLinkedAccount     *account,
                              GError                  **error)
{
  const char * const *enabled;
  const char * const *granted;

  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (profile), FALSE);
  g_return_val_if_fail (account == NULL || FULCRUM_IS_LINKED_ACCOUNT (account), FALSE);

  enabled = fulcrum_connector_profile_get_enabled_actions (profile);
  if (enabled != NULL && !g_strv_contains (enabled, action->id))
    {
      g_set_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_DISABLED,
                   _("The profile “%s” does not enable the action %s."),
                   fulcrum_connector_profile_get_name (profile), action->id);
      return FALSE;
    }

  /* a profile that never chose enables what its scopes cover: a missing scope is then
   * the more useful thing to name */
  granted = account_scopes (profile, account);
  for (guint i = 0; action->scopes[i] != NULL; i++)
    if (!fulcrum_scopes_covers (granted, action->scopes[i]))
      return set_missing_scope_error (action, profile, account, action->scopes[i], error);

  return TRUE;
}

gboolean
fulcrum_action_check_param_scopes (const FulcrumAction  *action,
                                   GHashTable           *params,
                                   const char * const   *granted,
                                   GError              **error)
{
  g_return_val_if_fail (action != NULL, FALSE);

  for (guint i = 0; params != NULL && i < action->n_params; i++)
    {
      const FulcrumActionParam *param = &action->params[i];
      const char *value;

      if (param->scope == NULL)
        continue;
      value = g_hash_table_lookup (params, param->name);
      if (value == NULL || value[0] == '\0' || g_strcmp0 (value, param->default_value) == 0)
        continue;
      if (!fulcrum_scopes_covers (granted, param->scope))
        {
          g_set_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE,
                       _("%s=%s needs the scope %s, which the account was not granted."),
                       param->name, value, param->scope);
          return FALSE;
        }
    }
  return TRUE;
}

FulcrumActionRequest *
fulcrum_action_build_request (const FulcrumAction  *action,
                              GHashTable           *params,
                              GError              **error)
{
  g_autoptr(FulcrumActionRequest) request = NULL;
  g_autoptr(GString) path = NULL;
  JsonObject *body = NULL;

  g_return_val_if_fail (action != NULL, NULL);

  if (params != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (fulcrum_action_find_param (action, key) == NULL)
          {
            g_autofree char *names = dup_param_names (action);

            invalid_param (error, _("%s has no parameter “%s” (it takes: %s)"), action->id,
                           (const char *) key, names[0] != '\0' ? names : _("none"));
            return NULL;
          }
    }

  request = g_new0 (FulcrumActionRequest, 1);
  request->action = action;
  request->query = g_ptr_array_new_with_free_func (query_param_free);
  path = g_string_new (action->path);

  if (strcmp (action->method, "GET") != 0)
    {
      if (action->body_template != NULL)
        request->body = json_from_string (action->body_template, NULL);
      if (request->body == NULL || !JSON_NODE_HOLDS_OBJECT (request->body))
        {
          g_clear_pointer (&request->body, json_node_unref);
          request->body = json_node_init_object (json_node_alloc (), json_object_new ());
          json_object_unref (json_node_get_object (request->body));
        }
      body = json_node_get_object (request->body);
    }

  for (guint i = 0; i < action->n_params; i++)
    {
      const FulcrumActionParam *param = &action->params[i];
      const char *text = params ? g_hash_table_lookup (params, param->name) : NULL;
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonNode) node = NULL;

      if (text == NULL || text[0] == '\0' ||
          (param->type == FULCRUM_ACTION_PARAM_STRING_LIST && is_blank_list (text)))
        {
          if (param->required)
            {
              invalid_param (error, _("%s needs the parameter “%s” (%s)"), action->id,
                             param->name, _(param->description));
              return NULL;
            }
          continue;
        }

      if (!convert_value (action, param, text, &node, values, error))
        return NULL;

      switch (param->location)
        {
        case FULCRUM_ACTION_PARAM_IN_PATH:
          if (!replace_path_param (path, param->name, text, error))
            return NULL;
          break;
        case FULCRUM_ACTION_PARAM_IN_QUERY:
          for (guint j = 0; j < values->len; j++)
            add_query (request, param->name, g_ptr_array_index (values, j));
          break;
        case FULCRUM_ACTION_PARAM_IN_BODY:
          g_assert (body != NULL);
          json_object_set_member (body, param->name, g_steal_pointer (&node));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  request->path = g_string_free (g_steal_pointer (&path), FALSE);
  return g_steal_pointer (&request);
}

void
fulcrum_action_request_free (FulcrumActionRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->path);
  g_clear_pointer (&request->query, g_ptr_array_unref);
  g_clear_pointer (&request->body, json_node_unref);
  g_free (request);
}

void
fulcrum_action_request_set_query (FulcrumActionRequest *request,
                                  const char           *name,
                                  const char           *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);

  for (guint i = request->query->len; i > 0; i--)
    {
      FulcrumActionQueryParam *param = g_ptr_array_index (request->query, i - 1);

      if (strcmp (param->name, name) == 0)
        g_ptr_array_remove_index (request->query, i - 1);
    }
  if (value != NULL)
    add_query (request, name, value);
}

const char *
fulcrum_action_request_get_query (FulcrumActionRequest *request,
                                  const char           *name)
{
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < request->query->len; i++)
    {
      FulcrumActionQueryParam *param = g_ptr_array_index (request->query, i);

      if (strcmp (param->name, name) == 0)
        return param->value;
    }
  return NULL;
}

char *
fulcrum_action_request_dup_relative_url (FulcrumActionRequest *request)
{
  GString *url;

  g_return_val_if_fail (request != NULL, NULL);

  url = g_string_new (request->path);
  for (guint i = 0; i < request->query->len; i++)
    {
      FulcrumActionQueryParam *param = g_ptr_array_index (request->query, i);

      g_string_append_c (url, i == 0 ? '?' : '&');
      g_string_append_uri_escaped (url, param->name, NULL, FALSE);
      g_string_append_c (url, '=');
      g_string_append_uri_escaped (url, param->value, NULL, FALSE);
    }
  return g_string_free (url, FALSE);
}

gboolean
fulcrum_action_parse_timestamp (const char *text,
                                gint64     *ms)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *full = NULL;
  gint64 value;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (ms != NULL, FALSE);

  if (g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    {
      *ms = value;
      return TRUE;
    }

  /* a bare date means its midnight in UTC */
  if (strlen (text) == 10 && text[4] == '-' && text[7] == '-')
    text = full = g_strconcat (text, "T00:00:00Z", NULL);
  utc = g_time_zone_new_utc ();
  time = g_date_time_new_from_iso8601 (text, utc);
  if (time == NULL)
    return FALSE;
  value = g_date_time_to_unix (time);
  if (value < 0 || value > G_MAXINT64 / 1000 - 1)
    return FALSE;
  *ms = value * 1000 + g_date_time_get_microsecond (time) / 1000;
  return TRUE;
}
