/* test-client-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "client-test-common.h"
#include "fulcrum-test-util.h"

typedef struct
{
  ClientFixture       fixture;
  FulcrumLeverClient *reader;
  FulcrumLeverClient *writer;
  GHashTable         *covered;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  client_fixture_setup (&f->fixture, 200);
  client_fixture_link (&f->fixture, CLIENT_TEST_READ_SCOPES);
  f->reader = g_object_ref (f->fixture.client);
  client_fixture_link (&f->fixture, CLIENT_TEST_WRITE_SCOPES);
  f->writer = g_object_ref (f->fixture.client);
  f->covered = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->reader);
  g_clear_object (&f->writer);
  g_clear_pointer (&f->covered, g_hash_table_unref);
  client_fixture_teardown (&f->fixture);
}

/* The client of the two accounts whose scopes cover @action_id. */
static FulcrumLeverClient *
client_for (Fixture    *f,
            const char *action_id)
{
  const FulcrumAction *action = fulcrum_actions_lookup (action_id);
  FulcrumLeverClient *clients[] = { f->reader, f->writer };

  g_assert_nonnull (action);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      FulcrumLinkedAccount *account = fulcrum_lever_client_get_account (clients[i]);
      FulcrumConnectorProfile *profile =
        fulcrum_store_find_profile (f->fixture.store, fulcrum_linked_account_get_profile_id (account));

      if (fulcrum_action_check_allowed (action, profile, account, NULL))
        return clients[i];
    }
  g_error ("No test account may run %s", action_id);
}

static const char *
first_id (Fixture    *f,
          const char *path)
{
  g_autoptr(JsonNode) root = client_sim_get (&f->fixture, path);
  JsonArray *data = json_object_get_array_member (json_node_get_object (root), "data");
  static char buffer[8][128];
  static guint next;
  char *out = buffer[next++ % G_N_ELEMENTS (buffer)];

  g_assert_cmpuint (json_array_get_length (data), >, 0);
  g_strlcpy (out, client_record_id (json_array_get_element (data, 0)), sizeof buffer[0]);
  return out;
}

static void
check_list (Fixture    *f,
            const char *action_id,
            GHashTable *params,
            const char *sim_path)
{
  g_autoptr(GPtrArray) expected = client_sim_read_all (&f->fixture, sim_path);
  g_autoptr(RunResult) result = client_run (client_for (f, action_id), action_id, params,
                                            FULCRUM_LEVER_RUN_ALL_PAGES);

  g_test_message ("%s: %u records", action_id, expected->len);
  /* an empty list would prove nothing */
  g_assert_cmpuint (expected->len, >, 0);
  run_result_assert_same (result, expected);
  g_assert_cmpuint (result->stats.pages, ==, result->n_callbacks);
  g_hash_table_add (f->covered, (gpointer) fulcrum_actions_lookup (action_id)->id);
}

static void
check_one (Fixture    *f,
           const char *action_id,
           GHashTable *params,
           const char *sim_path)
{
  g_autoptr(JsonNode) root = client_sim_get (&f->fixture, sim_path);
  JsonNode *want = json_object_get_member (json_node_get_object (root), "data");
  g_autoptr(RunResult) result = client_run (client_for (f, action_id), action_id, params,
                                            FULCRUM_LEVER_RUN_NONE);

  g_assert_no_error (result->error);
  g_assert_cmpuint (result->records->len, ==, 1);
  g_assert_true (json_node_equal (g_ptr_array_index (result->records, 0), want));
  g_hash_table_add (f->covered, (gpointer) fulcrum_actions_lookup (action_id)->id);
}

/* Deleted records come in windows of at most 30 days: the most recent one with some. */
static void
check_deleted (Fixture    *f,
               const char *action_id,
               const char *sim_path)
{
  gint64 now = g_get_real_time () / 1000;
  gint64 window = G_GINT64_CONSTANT (30) * 24 * 3600 * 1000;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, now - (i + 1) * window);
      g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, now - i * window);
      g_autofree char *path = g_strdup_printf ("%s?deleted_at_start=%s&deleted_at_end=%s",
                                               sim_path, start, end);
      g_autoptr(GPtrArray) some = client_sim_read_all (&f->fixture, path);

      if (some->len > 0)
        {
          g_autoptr(GHashTable) params = client_params ("deleted_at_start", start,
                                                        "deleted_at_end", end, NULL);

          check_list (f, action_id, params, path);
          return;
        }
    }
  g_error ("The simulator has no deleted records for %s", action_id);
}

/* An opportunity whose @child list is not empty. */
static const char *
opportunity_with (Fixture    *f,
                  const char *child)
{
  g_autoptr(GPtrArray) opportunities = client_sim_read_all (&f->fixture, "/opportunities");
  static char found[128];

  for (guint i = 0; i < opportunities->len; i++)
    {
      const char *id = client_record_id (g_ptr_array_index (opportunities, i));
      g_autofree char *path = g_strdup_printf ("/opportunities/%s/%s", id, child);
      g_autoptr(JsonNode) root = client_sim_get (&f->fixture, path);

      if (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                               "data")) > 0)
        {
          g_strlcpy (found, id, sizeof found);
          return found;
        }
    }
  g_error ("No opportunity has %s", child);
}

static void
check_reads (Fixture *f)
{
  static const char * const children[] = {
    "applications", "interviews", "panels", "feedback", "notes", "offers", "referrals",
    "resumes", "files",
  };
  const char *opportunity = first_id (f, "/opportunities");

  check_list (f, "lever_list_opportunities", NULL, "/opportunities");
  {
    g_autoptr(GHashTable) params = client_params ("limit", "7", "expand", "stage,owner", NULL);

    check_list (f, "lever_list_opportunities", params, "/opportunities?expand=stage,owner");
  }
  {
    g_autoptr(GHashTable) params = client_params ("id", opportunity, "expand", "applications",
                                                  NULL);
    g_autofree char *path = g_strdup_printf ("/opportunities/%s?expand=applications",
                                             opportunity);

    check_one (f, "lever_get_opportunity", params, path);
  }
  check_deleted (f, "lever_list_deleted_opportunities", "/opportunities/deleted");

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      g_autofree char *action_id = g_strdup_printf ("lever_list_opportunity_%s", children[i]);
      const char *id = opportunity_with (f, children[i]);
      g_autoptr(GHashTable) params = client_params ("opportunity_id", id, NULL);
      g_autofree char *path = g_strdup_printf ("/opportunities/%s/%s", id, children[i]);

      check_list (f, action_id, params, path);
    }

  check_list (f, "lever_list_postings", NULL, "/postings");
  {
    g_autoptr(JsonNode) first = client_sim_get (&f->fixture, "/postings?limit=1");
    JsonObject *posting = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (first), "data"), 0);
    const char *state = json_object_get_string_member (posting, "state");
    g_autofree char *states = g_strdup_printf ("%s,rejected", state);
    g_autoptr(GHashTable) params = client_params ("state", states, NULL);
    g_autofree char *path = g_strdup_printf ("/postings?state=%s&state=rejected", state);

    check_list (f, "lever_list_postings", params, path);
  }
  check_deleted (f, "lever_list_deleted_postings", "/postings/deleted");
  check_list (f, "lever_list_users", NULL, "/users");
  check_list (f, "lever_list_stages", NULL, "/stages");
  check_list (f, "lever_list_archive_reasons", NULL, "/archive_reasons");
  check_list (f, "lever_list_sources", NULL, "/sources");
  check_list (f, "lever_list_tags", NULL, "/tags");
  check_list (f, "lever_list_requisitions", NULL, "/requisitions");

  {
    static const char * const gets[][2] = {
      { "lever_get_posting", "/postings" },
      { "lever_get_user", "/users" },
      { "lever_get_stage", "/stages" },
      { "lever_get_archive_reason", "/archive_reasons" },
      { "lever_get_requisition", "/requisitions" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (gets); i++)
      {
        const char *id = first_id (f, gets[i][1]);
        g_autoptr(GHashTable) params = client_params ("id", id, NULL);
        g_autofree char *path = g_strdup_printf ("%s/%s", gets[i][1], id);

        check_one (f, gets[i][0], params, path);
      }
  }

  check_list (f, "lever_list_requisition_fields", NULL, "/requisition_fields");
  check_list (f, "lever_list_feedback_templates", NULL, "/feedback_templates");
  check_list (f, "lever_list_webhooks", NULL, "/webhooks");
  check_list (f, "lever_list_audit_events", NULL, "/audit_events");
  {
    g_autoptr(GHashTable) params = client_params ("limit", "9", NULL);

    check_list (f, "lever_list_audit_events", params, "/audit_events");
  }
  check_list (f, "lever_list_eeo_responses", NULL, "/eeo/responses");

  /* the person behind the first opportunity */
  {
    g_autofree char *path = g_strdup_printf ("/opportunities/%s", opportunity);
    g_autoptr(JsonNode) root = client_sim_get (&f->fixture, path);
    const char *contact = json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (root), "data"), "contact");
    g_autoptr(GHashTable) params = client_params ("id", contact, NULL);
    g_autofree char *contact_path = g_strdup_printf ("/contacts/%s", contact);

    check_one (f, "lever_get_contact", params, contact_path);
  }
}

static JsonObject *
sim_opportunity (Fixture    *f,
                 const char *id,
                 JsonNode  **root_out)
{
  g_autofree char *path = g_strdup_printf ("/opportunities/%s", id);

  *root_out = client_sim_get (&f->fixture, path);
  return json_object_get_object_member (json_node_get_object (*root_out), "data");
}

static gboolean
strings_contain (JsonArray  *array,
                 const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static JsonNode *
run_write (Fixture    *f,
           const char *action_id,
           GHashTable *params)
{
  g_autoptr(RunResult) result = client_run (client_for (f, action_id), action_id, params,
                                            FULCRUM_LEVER_RUN_NONE);

  g_assert_no_error (result->error);
  g_assert_cmpuint (result->records->len, ==, 1);
  g_assert_cmpuint (result->stats.requests, ==, 1);
  g_hash_table_add (f->covered, (gpointer) fulcrum_actions_lookup (action_id)->id);
  return json_node_ref (g_ptr_array_index (result->records, 0));
}

/* Each write, then the simulator's own view of the change. */
static void
check_writes (Fixture *f)
{
  const char *admin = first_id (f, "/users");
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  JsonObject *opp;
  gint64 writes = client_sim_stat (f->fixture.sim, "writes");

  {
    g_autoptr(GHashTable) params = client_params ("perform_as", admin, "name", "Grace Hopper",
                                                  "headline", "Rear admiral",
                                                  "emails", "grace@example.com",
                                                  "tags", "navy,cobol", "origin", "sourced",
                                                  NULL);

    created = run_write (f, "lever_create_opportunity", params);
  }
  id = g_strdup (client_record_id (created));
  opp = sim_opportunity (f, id, &root);
  g_assert_true (json_node_equal (created, json_object_get_member (json_node_get_object (root),
                                                                   "data")));
  g_assert_cmpstr (json_object_get_string_member (opp, "name"), ==, "Grace Hopper");
  g_assert_true (strings_contain (json_object_get_array_member (opp, "tags"), "cobol"));
  g_clear_pointer (&root, json_node_unref);

  {
    g_autoptr(GHashTable) params = client_params ("opportunity_id", id, "value",
                                                  "Invented the first compiler",
                                                  "perform_as", admin, NULL);
    g_autoptr(JsonNode) note = run_write (f, "lever_create_note", params);
    g_autofree char *path = g_strdup_printf ("/opportunities/%s/notes", id);
    g_autoptr(GPtrArray) notes = client_sim_read_all (&f->fixture, path);
    const char *note_id = json_object_get_string_member (json_node_get_object (note), "noteId");
    gboolean found = FALSE;

    g_assert_nonnull (note_id);
    for (guint i = 0; i < notes->len; i++)
      found |= g_strcmp0 (client_record_id (g_ptr_array_index (notes, i)), note_id) == 0;
    g_assert_true (found);
  }

  {
    g_autoptr(GHashTable) add = client_params ("opportunity_id", id, "tags", "urgent", NULL);
    g_autoptr(GHashTable) remove = client_params ("opportunity_id", id, "tags", "navy", NULL);
    g_autoptr(JsonNode) added = run_write (f, "lever_add_opportunity_tags", add);
    g_autoptr(JsonNode) removed = run_write (f, "lever_remove_opportunity_tags", remove);

    opp = sim_opportunity (f, id, &root);
    g_assert_true (strings_contain (json_object_get_array_member (opp, "tags"), "urgent"));
    g_assert_false (strings_contain (json_object_get_array_member (opp, "tags"), "navy"));
    g_clear_pointer (&root, json_node_unref);
  }

  {
    g_autoptr(GPtrArray) stages = client_sim_read_all (&f->fixture, "/stages");
    const char *stage = client_record_id (g_ptr_array_index (stages, stages->len - 1));
    g_autoptr(GHashTable) params = client_params ("opportunity_id", id, "stage", stage,
                                                  "perform_as", admin, NULL);
    g_autoptr(JsonNode) moved = run_write (f, "lever_update_opportunity_stage", params);

    opp = sim_opportunity (f, id, &root);
    g_assert_cmpstr (json_object_get_string_member (opp, "stage"), ==, stage);
    g_clear_pointer (&root, json_node_unref);
  }

  {
    const char *reason = first_id (f, "/archive_reasons");
    g_autoptr(GHashTable) archive = client_params ("opportunity_id", id, "reason", reason, NULL);
    g_autoptr(GHashTable) unarchive = client_params ("opportunity_id", id, NULL);
    g_autoptr(JsonNode) archived = run_write (f, "lever_archive_opportunity", archive);
    g_autoptr(JsonNode) restored = NULL;

    opp = sim_opportunity (f, id, &root);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (opp, "archived"),
                                                    "reason"), ==, reason);
    g_clear_pointer (&root, json_node_unref);

    restored = run_write (f, "lever_unarchive_opportunity", unarchive);
    opp = sim_opportunity (f, id, &root);
    g_assert_true (json_object_get_null_member (opp, "archived"));
    g_clear_pointer (&root, json_node_unref);
  }

  g_assert_cmpint (client_sim_stat (f->fixture.sim, "writes") - writes, ==, 7);
}

static void
test_every_action (Fixture       *f,
                   gconstpointer  data)
{
  guint n_actions = 0;
  const FulcrumAction *actions = fulcrum_actions_get_all (&n_actions);

  check_reads (f);
  check_writes (f);

  for (guint i = 0; i < n_actions; i++)
    if (!g_hash_table_contains (f->covered, actions[i].id))
      g_error ("%s was not run against the simulator", actions[i].id);

  /* the sim's 429 counter stayed at zero: nothing here was rate limited */
  g_assert_cmpint (client_sim_stat (f->fixture.sim, "rate_limited"), ==, 0);
}

/* An action the profile did not choose, or one the account's grant does not cover, is
 * refused before any request, naming the action or the exact scope. */
static void
test_gating (void)
{
  ClientFixture fixture;
  FulcrumConnectorProfile *profile;
  FulcrumLinkedAccount *account;
  gint64 requests;

  client_fixture_setup (&fixture, 20);
  profile = client_fixture_add_profile (&fixture, "chosen", FULCRUM_ENVIRONMENT_ID_SIMULATOR,
                                        CLIENT_TEST_READ_SCOPES);
  fulcrum_connector_profile_set_enabled_actions (profile, (const char *[]) { "lever_list_users",
                                                                             NULL });
  account = client_fixture_link_with (&fixture, fixture.sim, "chosen", CLIENT_TEST_READ_SCOPES);
  requests = client_sim_stat (fixture.sim, "api_requests");

  {
    g_autoptr(RunResult) result = client_run (fixture.client, "lever_list_users", NULL,
                                              FULCRUM_LEVER_RUN_ALL_PAGES);

    g_assert_no_error (result->error);
    g_assert_cmpuint (result->records->len, >, 0);
    requests = client_sim_stat (fixture.sim, "api_requests");
  }
  {
    g_autoptr(RunResult) result = client_run (fixture.client, "lever_list_stages", NULL,
                                              FULCRUM_LEVER_RUN_ALL_PAGES);

    g_assert_error (result->error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_DISABLED);
    g_assert_nonnull (strstr (result->error->message, "lever_list_stages"));
  }

  /* the profile never chose: what the grant covers */
  fulcrum_connector_profile_set_enabled_actions (profile, NULL);
  {
    g_autoptr(RunResult) result = client_run (fixture.client, "lever_list_stages", NULL,
                                              FULCRUM_LEVER_RUN_ALL_PAGES);

    g_assert_no_error (result->error);
    requests = client_sim_stat (fixture.sim, "api_requests");
  }
  {
    g_autoptr(GHashTable) params = client_params ("opportunity_id", "x", "value", "v", NULL);
    g_autoptr(RunResult) result = client_run (fixture.client, "lever_create_note", params,
                                              FULCRUM_LEVER_RUN_NONE);

    g_assert_error (result->error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE);
    g_assert_nonnull (strstr (result->error->message, "notes:write:admin"));
  }
  {
    g_autoptr(GHashTable) params = client_params ("confidentiality", "all", NULL);
    g_autoptr(RunResult) result = client_run (fixture.client, "lever_list_opportunities", params,
                                              FULCRUM_LEVER_RUN_ALL_PAGES);

    g_assert_error (result->error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE);
    g_assert_nonnull (strstr (result->error->message, "confidential:access:admin"));
  }
  {
    g_autoptr(GHashTable) params = client_params ("limit", "1000", NULL);
    g_autoptr(RunResult) result = client_run (fixture.client, "lever_list_users", params,
                                              FULCRUM_LEVER_RUN_ALL_PAGES);

    g_assert_error (result->error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_INVALID_PARAMETER);
  }
  {
    g_autoptr(RunResult) result = client_run (fixture.client, "lever_list_candidates", NULL,
                                              FULCRUM_LEVER_RUN_ALL_PAGES);

    g_assert_error (result->error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_UNKNOWN);
  }
  /* none of the refused ones reached Lever */
  g_assert_cmpint (client_sim_stat (fixture.sim, "api_requests"), ==, requests);

  /* the config says the account may write notes but Lever's grant does not: Lever's 403
   * comes back with its words, naming the scope */
  fulcrum_linked_account_set_granted_scopes (account, (const char *[]) { "notes:write:admin",
                                                                         NULL });
  {
    g_autoptr(JsonNode) root = client_sim_get (&fixture, "/opportunities?limit=1");
    JsonArray *data = json_object_get_array_member (json_node_get_object (root), "data");
    g_autoptr(GHashTable) params =
      client_params ("opportunity_id", client_record_id (json_array_get_element (data, 0)),
                     "value", "v", NULL);
    g_autoptr(RunResult) result = client_run (fixture.client, "lever_create_note", params,
                                              FULCRUM_LEVER_RUN_NONE);

    g_assert_error (result->error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_FORBIDDEN);
    g_assert_nonnull (strstr (result->error->message, "notes:write:admin"));
    g_assert_cmpint (client_sim_stat (fixture.sim, "responses.403"), ==, 1);
  }

  client_fixture_teardown (&fixture);
}

static void
connection_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError *error = NULL;
  char **summary = user_data;

  *summary = fulcrum_lever_client_test_connection_finish (FULCRUM_LEVER_CLIENT (object), result,
                                                          &error);
  g_assert_no_error (error);
}

static gboolean
saved_last_used (const char *config_dir,
                 const char *account_id,
                 gint64      at_least)
{
  g_autoptr(FulcrumStore) store = fulcrum_store_new (config_dir);
  FulcrumLinkedAccount *account;

  if (!fulcrum_store_load (store, NULL))
    return FALSE;
  account = fulcrum_store_find_account (store, account_id);
  return account != NULL && fulcrum_linked_account_get_last_used (account) >= at_least;
}

/* "Test connection" answers in words, and a successful call marks the account used. */
static void
test_connection (void)
{
  ClientFixture fixture;
  FulcrumLinkedAccount *account;
  g_autoptr(JsonNode) users = NULL;
  g_autofree char *summary = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  const char *first_name;
  gboolean saved = FALSE;

  client_fixture_setup (&fixture, 10);
  account = client_fixture_link (&fixture, "offline_access users:read:admin");
  g_assert_cmpint (fulcrum_linked_account_get_last_used (account), ==, 0);

  fulcrum_lever_client_test_connection_async (fixture.client, NULL, connection_cb, &summary);
  while (summary == NULL)
    g_main_context_iteration (NULL, TRUE);

  users = client_sim_get (&fixture, "/users?limit=1");
  first_name = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (users),
                                                                 "data"), 0), "name");
  g_test_message ("%s", summary);
  g_assert_nonnull (strstr (summary, "Lever Simulator"));
  g_assert_nonnull (strstr (summary, first_name));

  g_assert_cmpint (fulcrum_linked_account_get_last_used (account), >=, before);
  g_assert_cmpint (fulcrum_linked_account_get_last_used (account), <=,
                   g_get_real_time () / G_USEC_PER_SEC);
  /* and the config on disk says so (saved in the background) */
  for (guint i = 0; i < 200 && !saved; i++)
    {
      saved = saved_last_used (fixture.config_dir, fulcrum_linked_account_get_id (account),
                               before);
      if (!saved)
        g_usleep (10 * 1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_true (saved);

  client_fixture_teardown (&fixture);
}

/* The low-level request: a path under the API base, the whole answer back. */
static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  JsonNode **root = user_data;
  g_autoptr(GError) error = NULL;

  *root = fulcrum_lever_client_request_finish (FULCRUM_LEVER_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
test_request (void)
{
  ClientFixture fixture;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) want = NULL;

  client_fixture_setup (&fixture, 10);
  client_fixture_link (&fixture, "offline_access users:read:admin stages:read:admin");
  fulcrum_lever_client_request_async (fixture.client, "GET", "/stages?limit=3", NULL, NULL,
                                      request_cb, &root);
  while (root == NULL)
    g_main_context_iteration (NULL, TRUE);
  want = client_sim_get (&fixture, "/stages?limit=3");
  /* the same records (`next` differs: it says when it was issued) */
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (root), "data"),
                                  json_object_get_member (json_node_get_object (want), "data")));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "hasNext"));
  client_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  client_test_init (&argc, &argv);

  g_test_add ("/client/actions/every-action", Fixture, NULL, setup, test_every_action, teardown);
  g_test_add_func ("/client/actions/gating", test_gating);
  g_test_add_func ("/client/actions/test-connection", test_connection);
  g_test_add_func ("/client/actions/request", test_request);

  return g_test_run ();
}
