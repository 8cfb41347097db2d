/* fulcrumctl-action.c: fulcrumctl action list|show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrumctl-account.h"
#include "fulcrumctl-action.h"

/* Whether the account can run an action now, and if not, why. */
typedef struct
{
  gboolean  runnable;
  char     *reason;          /* short, for the table */
  char     *message;         /* the whole sentence, for JSON */
  GStrv     missing_scopes;
} Verdict;

static void
verdict_clear (Verdict *verdict)
{
  g_clear_pointer (&verdict->reason, g_free);
  g_clear_pointer (&verdict->message, g_free);
  g_clear_pointer (&verdict->missing_scopes, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Verdict, verdict_clear)

const FulcrumAction *
fulcrumctl_lookup_action (const char  *id,
                          GError     **error)
{
  const FulcrumAction *action = fulcrum_actions_lookup (id);

  if (action == NULL)
    g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_USAGE,
                 _("There is no action “%s” (see “fulcrumctl action list”)"), id);

  return action;
}

char **
fulcrumctl_collect_action_ids (char   **values,
                               GError **error)
{
  g_auto(GStrv) ids = fulcrumctl_collect_scopes (values);
  g_autoptr(GStrvBuilder) unique = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (ids == NULL)
    return NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (fulcrumctl_lookup_action (ids[i], error) == NULL)
        return NULL;
      if (g_hash_table_add (seen, ids[i]))
        g_strv_builder_add (unique, ids[i]);
    }

  return g_strv_builder_end (unique);
}

void
fulcrumctl_set_enabled_actions (FulcrumConnectorProfile *profile,
                                const char * const      *ids)
{
  fulcrum_connector_profile_set_enabled_actions (profile, ids);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const FulcrumAction *action = fulcrum_actions_lookup (ids[i]);
      g_autoptr(GError) error = NULL;

      /* Allowed: the scope may come with the next link. But say it will not run now. */
      if (action != NULL && !fulcrum_action_check_allowed (action, profile, NULL, &error))
        fulcrumctl_note ("%s", error->message);
    }

  if (ids != NULL && ids[0] == NULL)
    fulcrumctl_note (_("The profile “%s” now enables no action."),
                     fulcrum_connector_profile_get_name (profile));
}

static const char *
account_name (FulcrumLinkedAccount *account)
{
  const char *label = fulcrum_linked_account_get_label (account);

  return label != NULL && *label != '\0' ? label : fulcrum_linked_account_get_id (account);
}

static const char * const *
granted_scopes (FulcrumConnectorProfile *profile,
                FulcrumLinkedAccount    *account)
{
  const char * const *granted = fulcrum_linked_account_get_granted_scopes (account);

  /* As the core decides it: an account without a record of its grant has what its profile
   * asked for. */
  if (granted == NULL || granted[0] == NULL)
    granted = fulcrum_connector_profile_get_scopes (profile);

  return granted;
}

static void
judge (const FulcrumAction     *action,
       FulcrumConnectorProfile *profile,
       FulcrumLinkedAccount    *account,
       Verdict                 *verdict)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  const char * const *granted = granted_scopes (profile, account);
  FulcrumAccountStatus status = fulcrum_linked_account_get_status (account);

  for (guint i = 0; action->scopes[i] != NULL; i++)
    {
      if (!fulcrum_scopes_covers (granted, action->scopes[i]))
        g_strv_builder_add (missing, action->scopes[i]);
    }
  verdict->missing_scopes = g_strv_builder_end (missing);

  if (!fulcrum_action_check_allowed (action, profile, account, &error))
    {
      verdict->message = g_strdup (error->message);
      if (g_error_matches (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_DISABLED))
        verdict->reason = g_strdup (_("not enabled by the profile"));
      else if (verdict->missing_scopes[0] != NULL)
        verdict->reason = g_strdup_printf (_("scope %s not granted"),
                                           verdict->missing_scopes[0]);
      else
        verdict->reason = g_strdup (error->message);
      return;
    }

  if (status == FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK)
    {
      verdict->reason = g_strdup (_("the account must be linked again"));
      verdict->message = g_strdup_printf (_("The account “%s” must be linked again "
                                            "(“fulcrumctl account link”)."),
                                          account_name (account));
      return;
    }
  if (status == FULCRUM_ACCOUNT_STATUS_SUSPENDED)
    {
      verdict->reason = g_strdup (_("the account is suspended"));
      verdict->message = g_strdup_printf (_("The account “%s” is suspended: no request is "
                                            "made for it."),
                                          account_name (account));
      return;
    }

  verdict->runnable = TRUE;
}

static void
add_strv (JsonBuilder        *builder,
          const char         *member,
          const char * const *strv)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *member,
             gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

static void
add_params (JsonBuilder         *builder,
            const FulcrumAction *action)
{
  json_builder_set_member_name (builder, "params");
  json_builder_begin_array (builder);
  for (guint i = 0; i < action->n_params; i++)
    {
      const FulcrumActionParam *param = &action->params[i];

      json_builder_begin_object (builder);
      fulcrumctl_json_add_string (builder, "name", param->name);
      fulcrumctl_json_add_string (builder, "type",
                                  fulcrum_action_param_type_to_string (param->type));
      fulcrumctl_json_add_string (builder, "in",
                                  fulcrum_action_param_location_to_string (param->location));
      add_boolean (builder, "required", param->required);
      fulcrumctl_json_add_string (builder, "description", _(param->description));
      if (param->choices != NULL)
        add_strv (builder, "choices", param->choices);
      if (param->min < param->max)
        {
          json_builder_set_member_name (builder, "min");
          json_builder_add_int_value (builder, param->min);
          json_builder_set_member_name (builder, "max");
          json_builder_add_int_value (builder, param->max);
        }
      if (param->scope != NULL)
        fulcrumctl_json_add_string (builder, "scope", param->scope);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* With @verdict (may be NULL): whether the account can run it. */
static JsonNode *
action_to_json (const FulcrumAction *action,
                const Verdict       *verdict,
                gboolean             with_params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  fulcrumctl_json_add_string (builder, "id", action->id);
  fulcrumctl_json_add_string (builder, "title", _(action->title));
  fulcrumctl_json_add_string (builder, "description", _(action->description));
  fulcrumctl_json_add_string (builder, "resource", action->resource);
  fulcrumctl_json_add_string (builder, "method", action->method);
  fulcrumctl_json_add_string (builder, "path", action->path);
  add_strv (builder, "scopes", action->scopes);
  add_boolean (builder, "paginated", (action->flags & FULCRUM_ACTION_FLAG_PAGINATED) != 0);
  add_boolean (builder, "partitionable",
               (action->flags & FULCRUM_ACTION_FLAG_PARTITIONABLE) != 0);
  add_boolean (builder, "write", (action->flags & FULCRUM_ACTION_FLAG_WRITE) != 0);
  if (verdict != NULL)
    {
      add_boolean (builder, "runnable", verdict->runnable);
      fulcrumctl_json_add_string (builder, "why_not", verdict->message);
      add_strv (builder, "missing_scopes", (const char * const *) verdict->missing_scopes);
    }
  if (with_params)
    add_params (builder, action);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The account, its profile, and the environment (the latter two must exist). */
static gboolean
open_account (const char               *name,
              FulcrumStore            **store,
              FulcrumLinkedAccount    **account,
              FulcrumConnectorProfile **profile,
              GError                  **error)
{
  const char *profile_id;

  if (!(*store = fulcrumctl_open_store (FALSE, error)) ||
      !(*account = fulcrumctl_find_account (*store, name, error)))
    return FALSE;

  profile_id = fulcrum_linked_account_get_profile_id (*account);
  *profile = fulcrum_store_find_profile (*store, profile_id);
  if (*profile == NULL)
    {
      g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_NOT_FOUND,
                   _("The connector profile “%s” of the account “%s” no longer exists"),
                   profile_id, account_name (*account));
      return FALSE;
    }
  g_object_ref (*profile);

  return TRUE;
}

static int
action_list (int    argc,
             char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_name = NULL;
  gboolean json = FALSE;
  const FulcrumAction *actions;
  guint n_actions;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name,
      N_("Say whether this linked account can run each action, and if not, why"),
      N_("ACCOUNT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (NULL,
                                 N_("Lists the Lever actions fulcrumctl can run: id, title and "
                                    "the scopes each needs."),
                                 N_("With --account: whether the account can run each one. "
                                    "An action runs when the account’s profile enables it (a "
                                    "profile that never chose enables every action its scopes "
                                    "cover; see “fulcrumctl profile edit --action”) and the "
                                    "account was granted every scope it needs.\n\n"
                                    "With --json: an array of objects with id, title, "
                                    "description, resource, method, path, scopes, paginated, "
                                    "partitionable, write and params; with --account also "
                                    "runnable, why_not (null when runnable) and "
                                    "missing_scopes."),
                                 entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[1]);

  if (account_name != NULL && !open_account (account_name, &store, &account, &profile, &error))
    return fulcrumctl_report_error (error);

  actions = fulcrum_actions_get_all (&n_actions);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_sized_new (n_actions);

      for (guint i = 0; i < n_actions; i++)
        {
          g_auto(Verdict) verdict = { 0 };

          if (account != NULL)
            judge (&actions[i], profile, account, &verdict);
          json_array_add_element (array, action_to_json (&actions[i],
                                                         account != NULL ? &verdict : NULL,
                                                         TRUE));
        }
      json_node_set_array (root, array);
      fulcrumctl_print_json (root);
    }
  else
    {
      g_autoptr(FulcrumctlTable) table = NULL;

      if (account != NULL)
        table = fulcrumctl_table_new (4, _("ID"), _("TITLE"), _("SCOPES"), _("RUNNABLE"));
      else
        table = fulcrumctl_table_new (3, _("ID"), _("TITLE"), _("SCOPES"));

      for (guint i = 0; i < n_actions; i++)
        {
          g_autofree char *scopes = g_strjoinv (" ", (char **) actions[i].scopes);
          g_auto(Verdict) verdict = { 0 };
          g_autofree char *runnable = NULL;

          if (account == NULL)
            {
              fulcrumctl_table_add_row (table, actions[i].id, _(actions[i].title), scopes);
              continue;
            }

          judge (&actions[i], profile, account, &verdict);
          /* TRANSLATORS: "no: <why>" in the RUNNABLE column */
          runnable = verdict.runnable ? g_strdup (_("yes"))
                                      : g_strdup_printf (_("no: %s"), verdict.reason);
          fulcrumctl_table_add_row (table, actions[i].id, _(actions[i].title), scopes,
                                    runnable);
        }
      fulcrumctl_table_print (table);
    }

  return FULCRUMCTL_EXIT_OK;
}

static void
print_action (const FulcrumAction *action,
              const Verdict       *verdict)
{
  g_autoptr(FulcrumctlTable) table = fulcrumctl_table_new (2, NULL, NULL);
  g_autoptr(FulcrumctlTable) params = NULL;
  g_autofree char *scopes = g_strjoinv (" ", (char **) action->scopes);
  g_autofree char *request = g_strdup_printf ("%s %s", action->method, action->path);
  g_autofree char *runnable = NULL;

  fulcrumctl_table_add_row (table, _("id:"), action->id);
  fulcrumctl_table_add_row (table, _("title:"), _(action->title));
  fulcrumctl_table_add_row (table, _("description:"), _(action->description));
  fulcrumctl_table_add_row (table, _("request:"), request);
  fulcrumctl_table_add_row (table, _("scopes:"), scopes);
  if (action->flags & FULCRUM_ACTION_FLAG_WRITE)
    fulcrumctl_table_add_row (table, _("answers:"), _("the changed object (it writes to Lever)"));
  else if (action->flags & FULCRUM_ACTION_FLAG_PARTITIONABLE)
    fulcrumctl_table_add_row (table, _("answers:"),
                              _("a list; --all reads several time windows at once"));
  else if (action->flags & FULCRUM_ACTION_FLAG_PAGINATED)
    fulcrumctl_table_add_row (table, _("answers:"), _("a list; --all follows every page"));
  else
    fulcrumctl_table_add_row (table, _("answers:"), _("one object"));
  if (verdict != NULL)
    {
      runnable = verdict->runnable ? g_strdup (_("yes")) : g_strdup (verdict->message);
      fulcrumctl_table_add_row (table, _("runnable:"), runnable);
    }
  fulcrumctl_table_print (table);

  if (action->n_params == 0)
    return;

  g_print ("\n");
  params = fulcrumctl_table_new (4, _("PARAMETER"), _("TYPE"), _("REQUIRED"), _("DESCRIPTION"));
  for (guint i = 0; i < action->n_params; i++)
    {
      const FulcrumActionParam *param = &action->params[i];

      fulcrumctl_table_add_row (params, param->name,
                                fulcrum_action_param_type_to_string (param->type),
                                param->required ? _("yes") : _("no"), _(param->description));
    }
  fulcrumctl_table_print (params);
}

static int
action_show (int    argc,
             char **argv)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_name = NULL;
  g_auto(Verdict) verdict = { 0 };
  const FulcrumAction *action;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name,
      N_("Say whether this linked account can run it, and if not, why"), N_("ACCOUNT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  if (!fulcrumctl_parse_options (N_("ACTION"),
                                 N_("Shows an action: its request, scopes and the parameters "
                                    "that “fulcrumctl run … --param NAME=VALUE” takes."),
                                 NULL, entries, &argc, &argv, &status))
    return status;
  if (!fulcrumctl_one_argument (argc, argv,
                                _("Which action? Give its id (see “fulcrumctl action list”)"),
                                &status))
    return status;

  if (!(action = fulcrumctl_lookup_action (argv[1], &error)))
    return fulcrumctl_usage_error ("%s", error->message);

  if (account_name != NULL)
    {
      if (!open_account (account_name, &store, &account, &profile, &error))
        return fulcrumctl_report_error (error);
      judge (action, profile, account, &verdict);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = action_to_json (action, account != NULL ? &verdict : NULL,
                                                 TRUE);

      fulcrumctl_print_json (root);
    }
  else
    {
      print_action (action, account != NULL ? &verdict : NULL);
    }

  return FULCRUMCTL_EXIT_OK;
}

static const FulcrumctlCommand action_commands[] = {
  { "list", N_("List the actions, and which an account can run"), action_list },
  { "show", N_("Show an action and its parameters"), action_show },
};

int
fulcrumctl_action_main (int    argc,
                        char **argv)
{
  return fulcrumctl_dispatch ("action",
                              N_("Actions: the Lever API operations that “fulcrumctl run” "
                                 "runs against a linked account."),
                              action_commands, G_N_ELEMENTS (action_commands), argc, argv);
}
