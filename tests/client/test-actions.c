/* test-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"

static FulcrumConnectorProfile *
new_profile (const char         *scopes,
             const char * const *enabled)
{
  FulcrumConnectorProfile *profile = fulcrum_connector_profile_new ("p1", "sandbox");
  g_auto(GStrv) list = fulcrum_scopes_from_string (scopes);
  g_autoptr(GError) error = NULL;

  fulcrum_connector_profile_set_name (profile, "Recruiting sync");
  fulcrum_connector_profile_set_scopes (profile, (const char * const *) list, &error);
  g_assert_no_error (error);
  fulcrum_connector_profile_set_enabled_actions (profile, enabled);
  return profile;
}

static FulcrumLinkedAccount *
new_account (const char *granted)
{
  FulcrumLinkedAccount *account = fulcrum_linked_account_new ("a1", "p1", "sandbox");
  g_auto(GStrv) list = fulcrum_scopes_from_string (granted);

  fulcrum_linked_account_set_label (account, "Acme");
  fulcrum_linked_account_set_granted_scopes (account, (const char * const *) list);
  return account;
}

static GHashTable *
params_new (const char *first,
            ...) G_GNUC_NULL_TERMINATED;

static GHashTable *
params_new (const char *first,
            ...)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (params, g_strdup (name), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return params;
}

/* The catalogue: well-formed, named lever_<verb>_<noun>, every scope one Lever knows. */
static void
test_catalogue_shape (void)
{
  guint n_actions = 0;
  const FulcrumAction *actions = fulcrum_actions_get_all (&n_actions);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) id_regex = g_regex_new ("^lever_(list|get|create|add|remove|update|archive|"
                                            "unarchive)_[a-z_]+$", 0, 0, NULL);

  g_assert_cmpuint (n_actions, >=, 35);
  for (guint i = 0; i < n_actions; i++)
    {
      const FulcrumAction *action = &actions[i];
      g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

      g_test_message ("%s %s %s", action->id, action->method, action->path);
      g_assert_true (g_regex_match (id_regex, action->id, 0, NULL));
      g_assert_true (g_hash_table_add (ids, (gpointer) action->id));
      g_assert_true (fulcrum_actions_lookup (action->id) == action);
      g_assert_nonnull (action->title);
      g_assert_nonnull (action->description);
      g_assert_true (g_str_has_prefix (action->path, "/"));
      g_assert_true (g_strv_contains ((const char * const[]) { "GET", "POST", "PUT", NULL },
                                      action->method));
      g_assert_nonnull (action->scopes[0]);
      for (guint j = 0; action->scopes[j] != NULL; j++)
        g_assert_true (fulcrum_scopes_is_known (action->scopes[j]));

      /* a write is never a GET and a read never changes anything */
      g_assert_cmpint ((action->flags & FULCRUM_ACTION_FLAG_WRITE) != 0, ==,
                       strcmp (action->method, "GET") != 0);
      if (action->flags & FULCRUM_ACTION_FLAG_WRITE)
        for (guint j = 0; action->scopes[j] != NULL; j++)
          g_assert_true (g_str_has_suffix (action->scopes[j], ":write:admin"));
      if (action->flags & FULCRUM_ACTION_FLAG_PARTITIONABLE)
        {
          g_assert_true (action->flags & FULCRUM_ACTION_FLAG_PAGINATED);
          g_assert_nonnull (fulcrum_action_find_param (action, "created_at_start"));
          g_assert_nonnull (fulcrum_action_find_param (action, "created_at_end"));
        }
      if (action->flags & FULCRUM_ACTION_FLAG_PAGINATED)
        {
          g_assert_nonnull (fulcrum_action_find_param (action, "limit"));
          g_assert_nonnull (fulcrum_action_find_param (action, "offset"));
        }

      /* each {placeholder} is a required path parameter and the other way round */
      for (guint j = 0; j < action->n_params; j++)
        {
          const FulcrumActionParam *param = &action->params[j];
          g_autofree char *placeholder = g_strdup_printf ("{%s}", param->name);

          g_assert_true (g_hash_table_add (names, (gpointer) param->name));
          g_assert_nonnull (param->description);
          g_assert_cmpint (param->location == FULCRUM_ACTION_PARAM_IN_PATH, ==,
                           strstr (action->path, placeholder) != NULL);
          if (param->location == FULCRUM_ACTION_PARAM_IN_PATH)
            g_assert_true (param->required);
          if (param->location == FULCRUM_ACTION_PARAM_IN_BODY)
            g_assert_true (action->flags & FULCRUM_ACTION_FLAG_WRITE);
          if (param->scope != NULL)
            g_assert_true (fulcrum_scopes_is_known (param->scope));
          g_assert_nonnull (fulcrum_action_param_type_to_string (param->type));
          g_assert_nonnull (fulcrum_action_param_location_to_string (param->location));
        }
    }

  g_assert_null (fulcrum_actions_lookup ("lever_list_candidates"));
}

/* Every resource of lever-api.md §4 has its actions. */
static void
test_catalogue_covers_lever (void)
{
  static const char * const expected[][2] = {
    { "lever_list_opportunities", "/opportunities" },
    { "lever_get_opportunity", "/opportunities/{id}" },
    { "lever_list_deleted_opportunities", "/opportunities/deleted" },
    { "lever_list_opportunity_applications", "/opportunities/{opportunity_id}/applications" },
    { "lever_list_opportunity_interviews", "/opportunities/{opportunity_id}/interviews" },
    { "lever_list_opportunity_panels", "/opportunities/{opportunity_id}/panels" },
    { "lever_list_opportunity_feedback", "/opportunities/{opportunity_id}/feedback" },
    { "lever_list_opportunity_notes", "/opportunities/{opportunity_id}/notes" },
    { "lever_list_opportunity_offers", "/opportunities/{opportunity_id}/offers" },
    { "lever_list_opportunity_referrals", "/opportunities/{opportunity_id}/referrals" },
    { "lever_list_opportunity_resumes", "/opportunities/{opportunity_id}/resumes" },
    { "lever_list_opportunity_files", "/opportunities/{opportunity_id}/files" },
    { "lever_create_opportunity", "/opportunities" },
    { "lever_create_note", "/opportunities/{opportunity_id}/notes" },
    { "lever_add_opportunity_tags", "/opportunities/{opportunity_id}/addTags" },
    { "lever_remove_opportunity_tags", "/opportunities/{opportunity_id}/removeTags" },
    { "lever_update_opportunity_stage", "/opportunities/{opportunity_id}/stage" },
    { "lever_archive_opportunity", "/opportunities/{opportunity_id}/archived" },
    { "lever_unarchive_opportunity", "/opportunities/{opportunity_id}/archived" },
    { "lever_list_postings", "/postings" },
    { "lever_get_posting", "/postings/{id}" },
    { "lever_list_deleted_postings", "/postings/deleted" },
    { "lever_list_users", "/users" },
    { "lever_get_user", "/users/{id}" },
    { "lever_list_stages", "/stages" },
    { "lever_list_archive_reasons", "/archive_reasons" },
    { "lever_list_sources", "/sources" },
    { "lever_list_tags", "/tags" },
    { "lever_list_requisitions", "/requisitions" },
    { "lever_list_requisition_fields", "/requisition_fields" },
    { "lever_list_feedback_templates", "/feedback_templates" },
    { "lever_get_contact", "/contacts/{id}" },
    { "lever_list_webhooks", "/webhooks" },
    { "lever_list_audit_events", "/audit_events" },
    { "lever_list_eeo_responses", "/eeo/responses" },
  };
  static const char * const opportunity_filters[] = {
    "posting_id", "stage_id", "tag", "origin", "email", "archived", "contact_id",
    "created_at_start", "created_at_end", "updated_at_start", "updated_at_end", "expand", NULL
  };
  const FulcrumAction *list;
  const FulcrumActionParam *expand;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const FulcrumAction *action = fulcrum_actions_lookup (expected[i][0]);

      g_assert_nonnull (action);
      g_assert_cmpstr (action->path, ==, expected[i][1]);
    }

  list = fulcrum_actions_lookup ("lever_list_opportunities");
  for (guint i = 0; opportunity_filters[i] != NULL; i++)
    g_assert_nonnull (fulcrum_action_find_param (list, opportunity_filters[i]));
  expand = fulcrum_action_find_param (list, "expand");
  for (guint i = 0; i < 6; i++)
    g_assert_true (g_strv_contains (expand->choices,
                                    (const char *[]) { "applications", "stage", "owner",
                                                       "followers", "sourcedBy",
                                                       "contact" }[i]));
  g_assert_true (list->flags & FULCRUM_ACTION_FLAG_PARTITIONABLE);
  g_assert_true (fulcrum_action_find_param (fulcrum_actions_lookup ("lever_create_opportunity"),
                                            "perform_as")->required);
}

/* The profile's choice and the granted scopes decide; errors name what is missing. */
static void
test_gating (void)
{
  const FulcrumAction *list_users = fulcrum_actions_lookup ("lever_list_users");
  const FulcrumAction *create_note = fulcrum_actions_lookup ("lever_create_note");
  const FulcrumAction *list_notes = fulcrum_actions_lookup ("lever_list_opportunity_notes");
  g_autoptr(FulcrumConnectorProfile) open = new_profile ("offline_access users:read:admin "
                                                         "opportunities:read:admin "
                                                         "notes:write:admin", NULL);
  g_autoptr(FulcrumConnectorProfile) chosen = new_profile ("offline_access users:read:admin "
                                                           "notes:write:admin",
                                                           (const char *[]) { "lever_list_users",
                                                                              NULL });
  g_autoptr(FulcrumLinkedAccount) account = new_account ("offline_access users:read:admin "
                                                         "opportunities:read:admin");
  g_autoptr(FulcrumLinkedAccount) unknown = fulcrum_linked_account_new ("a2", "p1", "sandbox");
  g_autoptr(GError) error = NULL;

  /* never chose: whatever its scopes cover, a write scope covering its read */
  g_assert_true (fulcrum_action_is_enabled (list_users, open));
  g_assert_true (fulcrum_action_is_enabled (create_note, open));
  g_assert_true (fulcrum_action_is_enabled (list_notes, open));
  g_assert_false (fulcrum_action_is_enabled (fulcrum_actions_lookup ("lever_list_postings"), open));
  g_assert_true (fulcrum_action_check_allowed (list_users, open, account, &error));
  g_assert_no_error (error);

  /* the account was not granted notes:write:admin although the profile asks for it */
  g_assert_false (fulcrum_action_check_allowed (create_note, open, account, &error));
  g_assert_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE);
  g_assert_nonnull (strstr (error->message, "notes:write:admin"));
  g_assert_nonnull (strstr (error->message, "lever_create_note"));
  g_assert_nonnull (strstr (error->message, "Acme"));
  g_clear_error (&error);

  /* the profile alone */
  g_assert_false (fulcrum_action_check_allowed (fulcrum_actions_lookup ("lever_list_postings"),
                                                open, NULL, &error));
  g_assert_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE);
  g_assert_nonnull (strstr (error->message, "postings:read:admin"));
  g_clear_error (&error);

  /* an account without a record of its grant is judged by its profile's scopes */
  g_assert_true (fulcrum_action_check_allowed (create_note, open, unknown, &error));
  g_assert_no_error (error);

  /* chose: only what it chose, even what its scopes cover */
  g_assert_true (fulcrum_action_is_enabled (list_users, chosen));
  g_assert_false (fulcrum_action_is_enabled (create_note, chosen));
  g_assert_false (fulcrum_action_check_allowed (create_note, chosen, NULL, &error));
  g_assert_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_DISABLED);
  g_assert_nonnull (strstr (error->message, "lever_create_note"));
  g_assert_nonnull (strstr (error->message, "Recruiting sync"));
  g_clear_error (&error);
}

static void
test_param_scopes (void)
{
  const FulcrumAction *action = fulcrum_actions_lookup ("lever_list_opportunities");
  const char * const granted[] = { "offline_access", "opportunities:read:admin", NULL };
  const char * const confidential[] = { "opportunities:read:admin", "confidential:access:admin",
                                        NULL };
  g_autoptr(GHashTable) all = params_new ("confidentiality", "all", NULL);
  g_autoptr(GHashTable) plain = params_new ("confidentiality", "non-confidential", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (fulcrum_action_check_param_scopes (action, plain, granted, &error));
  g_assert_true (fulcrum_action_check_param_scopes (action, NULL, granted, &error));
  g_assert_true (fulcrum_action_check_param_scopes (action, all, confidential, &error));
  g_assert_no_error (error);
  g_assert_false (fulcrum_action_check_param_scopes (action, all, granted, &error));
  g_assert_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE);
  g_assert_nonnull (strstr (error->message, "confidential:access:admin"));
}

static void
assert_invalid (const char *action_id,
                GHashTable *params,
                const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumActionRequest) request = NULL;

  request = fulcrum_action_build_request (fulcrum_actions_lookup (action_id), params, &error);
  g_assert_null (request);
  g_assert_error (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_INVALID_PARAMETER);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_build_read (void)
{
  const FulcrumAction *action = fulcrum_actions_lookup ("lever_list_opportunities");
  g_autoptr(GHashTable) params = params_new ("tag", "Python, Go ,,", "archived", "yes",
                                             "created_at_start", "2024-01-01",
                                             "created_at_end", "2024-01-31T12:00:00.250+01:00",
                                             "expand", "stage,owner", "limit", "50",
                                             "email", "a&b=c@example.com", "origin", "", NULL);
  g_autoptr(FulcrumActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  request = fulcrum_action_build_request (action, params, &error);
  g_assert_no_error (error);
  g_assert_null (request->body);
  url = fulcrum_action_request_dup_relative_url (request);
  g_assert_cmpstr (url, ==, "/opportunities?tag=Python&tag=Go&email=a%26b%3Dc%40example.com"
                            "&archived=true&created_at_start=1704067200000"
                            "&created_at_end=1706698800250&expand=stage&expand=owner&limit=50");

  fulcrum_action_request_set_query (request, "offset", "abc");
  fulcrum_action_request_set_query (request, "limit", NULL);
  g_assert_cmpstr (fulcrum_action_request_get_query (request, "offset"), ==, "abc");
  g_assert_null (fulcrum_action_request_get_query (request, "limit"));
}

static void
test_build_path (void)
{
  g_autoptr(GHashTable) params = params_new ("id", "a/b?c#d", NULL);
  g_autoptr(GHashTable) dots = params_new ("id", "..", NULL);
  g_autoptr(FulcrumActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  /* a value never adds a path segment or a query */
  request = fulcrum_action_build_request (fulcrum_actions_lookup ("lever_get_user"), params,
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->path, ==, "/users/a%2Fb%3Fc%23d");
  assert_invalid ("lever_get_user", dots, "..");
}

static void
test_build_write (void)
{
  g_autoptr(GHashTable) note = params_new ("opportunity_id", "opp-1", "value", "Great call",
                                           "secret", "false", "score", "3",
                                           "perform_as", "user-1", NULL);
  g_autoptr(GHashTable) create = params_new ("perform_as", "user-1", "name", "Ada Lovelace",
                                             "emails", "ada@example.com,ada@work.example",
                                             "phones", "[{\"type\":\"mobile\",\"value\":\"1\"}]",
                                             "createdAt", "1700000000000", NULL);
  g_autoptr(GHashTable) unarchive = params_new ("opportunity_id", "opp-1", NULL);
  g_autoptr(FulcrumActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;

  request = fulcrum_action_build_request (fulcrum_actions_lookup ("lever_create_note"), note,
                                          &error);
  g_assert_no_error (error);
  url = fulcrum_action_request_dup_relative_url (request);
  g_assert_cmpstr (url, ==, "/opportunities/opp-1/notes?perform_as=user-1");
  body = json_to_string (request->body, FALSE);
  g_assert_cmpstr (body, ==, "{\"value\":\"Great call\",\"secret\":false,\"score\":3}");
  g_clear_pointer (&request, fulcrum_action_request_free);
  g_clear_pointer (&body, g_free);

  request = fulcrum_action_build_request (fulcrum_actions_lookup ("lever_create_opportunity"),
                                          create, &error);
  g_assert_no_error (error);
  body = json_to_string (request->body, FALSE);
  g_assert_cmpstr (body, ==, "{\"name\":\"Ada Lovelace\",\"emails\":[\"ada@example.com\","
                             "\"ada@work.example\"],\"phones\":[{\"type\":\"mobile\","
                             "\"value\":\"1\"}],\"createdAt\":1700000000000}");
  g_clear_pointer (&request, fulcrum_action_request_free);
  g_clear_pointer (&body, g_free);

  /* unarchiving is archiving with a null reason */
  request = fulcrum_action_build_request (fulcrum_actions_lookup ("lever_unarchive_opportunity"),
                                          unarchive, &error);
  g_assert_no_error (error);
  body = json_to_string (request->body, FALSE);
  g_assert_cmpstr (body, ==, "{\"reason\":null}");
  g_assert_cmpstr (request->path, ==, "/opportunities/opp-1/archived");
}

static void
test_build_invalid (void)
{
  g_autoptr(GHashTable) unknown = params_new ("candidate", "x", NULL);
  g_autoptr(GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) limit = params_new ("limit", "500", NULL);
  g_autoptr(GHashTable) limit_text = params_new ("limit", "ten", NULL);
  g_autoptr(GHashTable) archived = params_new ("archived", "maybe", NULL);
  g_autoptr(GHashTable) when = params_new ("created_at_start", "last tuesday", NULL);
  g_autoptr(GHashTable) expand = params_new ("expand", "stage,everything", NULL);
  g_autoptr(GHashTable) score = params_new ("opportunity_id", "o", "value", "v", "score", "9",
                                            NULL);
  g_autoptr(GHashTable) phones = params_new ("perform_as", "u", "name", "n", "phones", "[1,",
                                             NULL);
  g_autoptr(GHashTable) tags = params_new ("opportunity_id", "o", "tags", " , ", NULL);

  assert_invalid ("lever_list_users", unknown, "candidate");
  assert_invalid ("lever_get_opportunity", empty, "“id”");
  assert_invalid ("lever_list_users", limit, "1 to 100");
  assert_invalid ("lever_list_users", limit_text, "ten");
  assert_invalid ("lever_list_opportunities", archived, "true or false");
  assert_invalid ("lever_list_opportunities", when, "last tuesday");
  assert_invalid ("lever_list_opportunities", expand, "everything");
  assert_invalid ("lever_create_note", score, "1 to 4");
  assert_invalid ("lever_create_opportunity", phones, "phones");
  assert_invalid ("lever_add_opportunity_tags", tags, "“tags”");
}

static void
test_timestamps (void)
{
  gint64 ms = 0;

  g_assert_true (fulcrum_action_parse_timestamp ("0", &ms));
  g_assert_cmpint (ms, ==, 0);
  g_assert_true (fulcrum_action_parse_timestamp ("1700000000123", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1700000000123));
  g_assert_true (fulcrum_action_parse_timestamp ("2023-11-14", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1699920000000));
  g_assert_true (fulcrum_action_parse_timestamp ("2023-11-14T22:13:20Z", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1700000000000));
  g_assert_true (fulcrum_action_parse_timestamp ("2023-11-14T22:13:20", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1700000000000));
  g_assert_false (fulcrum_action_parse_timestamp ("-5", &ms));
  g_assert_false (fulcrum_action_parse_timestamp ("1969-12-31T00:00:00Z", &ms));
  g_assert_false (fulcrum_action_parse_timestamp ("yesterday", &ms));
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/actions/catalogue/shape", test_catalogue_shape);
  g_test_add_func ("/actions/catalogue/covers-lever", test_catalogue_covers_lever);
  g_test_add_func ("/actions/gating", test_gating);
  g_test_add_func ("/actions/param-scopes", test_param_scopes);
  g_test_add_func ("/actions/build/read", test_build_read);
  g_test_add_func ("/actions/build/path", test_build_path);
  g_test_add_func ("/actions/build/write", test_build_write);
  g_test_add_func ("/actions/build/invalid", test_build_invalid);
  g_test_add_func ("/actions/timestamps", test_timestamps);

  return g_test_run ();
}
