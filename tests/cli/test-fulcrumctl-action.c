/* test-fulcrumctl-action.c: fulcrumctl action list|show, and the profile's action choice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"
#include "fulcrumctl-run-test-util.h"

#define SCOPES "offline_access,users:read:admin,opportunities:read:admin"

static RunTestSim *sim;

static void
ensure_account (void)
{
  g_autofree char *id = NULL;

  if (sim != NULL)
    return;

  sim = run_test_sim_start ("actions-env", 20, NULL);
  run_test_create_profile (sim, "actions", SCOPES);
  id = run_test_link_account ("actions", "acct");
  g_assert_cmpstr (id, ==, "acct");
}

static JsonObject *
find_action (JsonNode   *list,
             const char *id)
{
  JsonObject *action = fulcrumctl_test_find_by_id (json_node_get_array (list), id);

  g_assert_nonnull (action);
  return action;
}

/* The table row of @id. */
static char *
find_row (const char *table,
          const char *id)
{
  g_auto(GStrv) lines = g_strsplit (table, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], id) && lines[i][strlen (id)] == ' ')
        return g_strdup (lines[i]);
    }

  g_error ("no row for %s in:\n%s", id, table);
}

static void
test_list (void)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GHashTable) ids = NULL;
  const FulcrumAction *catalogue;
  JsonObject *create_note;
  guint n_actions;

  catalogue = fulcrum_actions_get_all (&n_actions);

  /* Without an account: the catalogue, with no word on what can run. */
  run_test_ctl (&run, "action", "list", NULL);
  fulcrumctl_assert_status (&run, 0);
  fulcrumctl_assert_columns_aligned (run.out, "TITLE");
  g_assert_null (strstr (run.out, "RUNNABLE"));
  for (guint i = 0; i < n_actions; i++)
    g_free (find_row (run.out, catalogue[i].id));

  list = fulcrumctl_test_run_json ("action", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, n_actions);
  ids = run_test_collect_ids (json_node_get_array (list));
  g_assert_cmpuint (g_hash_table_size (ids), ==, n_actions);

  create_note = find_action (list, "lever_create_note");
  g_assert_false (json_object_has_member (create_note, "runnable"));
  g_assert_true (json_object_get_boolean_member (create_note, "write"));
  g_assert_false (json_object_get_boolean_member (create_note, "paginated"));
  g_assert_true (fulcrumctl_test_array_contains (
    json_object_get_array_member (create_note, "scopes"), "notes:write:admin"));
  g_assert_true (json_object_get_boolean_member (find_action (list, "lever_list_opportunities"),
                                                 "partitionable"));
}

static void
test_list_for_account (void)
{
  g_auto(FulcrumctlRun) table = { 0 };
  g_auto(FulcrumctlRun) edit = { 0 };
  g_auto(FulcrumctlRun) chosen_table = { 0 };
  g_auto(FulcrumctlRun) reset = { 0 };
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) chosen = NULL;
  g_autoptr(JsonNode) profile = NULL;
  g_autofree char *opportunities_row = NULL;
  g_autofree char *note_row = NULL;
  g_autofree char *disabled_row = NULL;
  JsonObject *action;
  JsonArray *missing;

  ensure_account ();

  /* A profile that never chose enables what its scopes cover. */
  list = fulcrumctl_test_run_json ("action", "list", "--account", "acct", NULL);
  action = find_action (list, "lever_list_opportunities");
  g_assert_true (json_object_get_boolean_member (action, "runnable"));
  g_assert_true (json_object_get_null_member (action, "why_not"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (action,
                                                                         "missing_scopes")),
                    ==, 0);

  action = find_action (list, "lever_create_note");
  g_assert_false (json_object_get_boolean_member (action, "runnable"));
  g_assert_nonnull (strstr (json_object_get_string_member (action, "why_not"),
                            "notes:write:admin"));
  missing = json_object_get_array_member (action, "missing_scopes");
  g_assert_cmpuint (json_array_get_length (missing), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "notes:write:admin");

  run_test_ctl (&table, "action", "list", "--account", "acct", NULL);
  fulcrumctl_assert_status (&table, 0);
  fulcrumctl_assert_columns_aligned (table.out, "TITLE");
  opportunities_row = find_row (table.out, "lever_list_opportunities");
  g_assert_true (g_str_has_suffix (opportunities_row, " yes"));
  note_row = find_row (table.out, "lever_create_note");
  g_assert_true (g_str_has_suffix (note_row, " no: scope notes:write:admin not granted"));

  /* Chosen actions: the others are not enabled, whatever the scopes. */
  run_test_ctl (&edit, "profile", "edit", "actions", "--action", "lever_list_users", NULL);
  fulcrumctl_assert_status (&edit, 0);
  chosen = fulcrumctl_test_run_json ("action", "list", "--account", "acct", NULL);
  g_assert_true (json_object_get_boolean_member (find_action (chosen, "lever_list_users"),
                                                 "runnable"));
  action = find_action (chosen, "lever_list_opportunities");
  g_assert_false (json_object_get_boolean_member (action, "runnable"));
  g_assert_nonnull (strstr (json_object_get_string_member (action, "why_not"),
                            "lever_list_opportunities"));

  run_test_ctl (&chosen_table, "action", "list", "--account", "acct", NULL);
  fulcrumctl_assert_status (&chosen_table, 0);
  disabled_row = find_row (chosen_table.out, "lever_list_opportunities");
  g_assert_true (g_str_has_suffix (disabled_row, " no: not enabled by the profile"));

  run_test_ctl (&reset, "profile", "edit", "actions", "--all-actions", NULL);
  fulcrumctl_assert_status (&reset, 0);
  profile = fulcrumctl_test_run_json ("profile", "show", "actions", NULL);
  g_assert_true (json_object_get_null_member (json_node_get_object (profile),
                                              "enabled_actions"));
}

static void
test_profile_edit_usage (void)
{
  static const char *commands[][6] = {
    { "profile", "edit", "actions", "--action", "lever_nope", NULL },
    { "profile", "edit", "actions", "--action", "lever_list_users", "--all-actions" },
  };
  static const char *names[] = { "lever_nope", "--all-actions" };
  g_autoptr(JsonNode) profile = NULL;

  ensure_account ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(FulcrumctlRun) run = { 0 };
      const char *args[7] = { NULL };

      for (guint j = 0; j < 6 && commands[i][j] != NULL; j++)
        args[j] = commands[i][j];
      fulcrumctl_test_run_strv (&run, NULL, args);
      fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_USAGE);
      fulcrumctl_assert_error_mentions (&run, names[i]);
    }

  /* Nothing changed. */
  profile = fulcrumctl_test_run_json ("profile", "show", "actions", NULL);
  g_assert_true (json_object_get_null_member (json_node_get_object (profile),
                                              "enabled_actions"));
}

static void
test_show (void)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_auto(FulcrumctlRun) unknown = { 0 };
  g_auto(FulcrumctlRun) missing_account = { 0 };
  g_autoptr(JsonNode) shown = NULL;
  JsonArray *params;
  gboolean value_required = FALSE;

  run_test_ctl (&run, "action", "show", "lever_create_note", NULL);
  fulcrumctl_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "POST /opportunities/{opportunity_id}/notes"));
  g_assert_nonnull (strstr (run.out, "opportunity_id"));

  shown = fulcrumctl_test_run_json ("action", "show", "lever_create_note", NULL);
  params = json_object_get_array_member (json_node_get_object (shown), "params");
  for (guint i = 0; i < json_array_get_length (params); i++)
    {
      JsonObject *param = json_array_get_object_element (params, i);

      if (g_str_equal (json_object_get_string_member (param, "name"), "value"))
        value_required = json_object_get_boolean_member (param, "required");
    }
  g_assert_true (value_required);

  run_test_ctl (&unknown, "action", "show", "lever_nope", NULL);
  fulcrumctl_assert_status (&unknown, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&unknown, "lever_nope");

  run_test_ctl (&missing_account, "action", "list", "--account", "nobody", NULL);
  fulcrumctl_assert_status (&missing_account, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&missing_account, "nobody");
}

static void
free_sim (void)
{
  g_clear_pointer (&sim, run_test_sim_free);
}

int
main (int    argc,
      char **argv)
{
#ifdef __SANITIZE_ADDRESS__
  /* See test-fulcrumctl-run.c: account link writes the keyring. */
  g_setenv ("FULCRUM_TEST_KEYRING", "gnome-keyring", FALSE);
#endif

  fulcrumctl_test_init (&argc, &argv);
  atexit (free_sim);

  g_test_add_func ("/cli/action/list", test_list);
  g_test_add_func ("/cli/action/show", test_show);
  g_test_add_func ("/cli/action/list-for-account", test_list_for_account);
  g_test_add_func ("/cli/action/profile-edit-usage", test_profile_edit_usage);

  return g_test_run ();
}
