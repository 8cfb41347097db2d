/* test-sim-writes.c: writes through the simulator's API are seen by later reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-test-util.h"
#include "sim-test-common.h"

typedef struct
{
  SimFixture  sim;
  char       *token;
  char       *user_id;
  char       *opportunity_id;
} WriteFixture;

static JsonObject *
data_of (JsonNode *node)
{
  return json_object_get_object_member (json_node_get_object (node), "data");
}

static const char *
member (JsonNode   *node,
        const char *name)
{
  return json_object_get_string_member (json_node_get_object (node), name);
}

static JsonNode *
request_ok (WriteFixture *fixture,
            const char   *method,
            const char   *path,
            const char   *body,
            guint         status)
{
  g_autoptr(SimResponse) response = sim_request (&fixture->sim, method, path, fixture->token,
                                                 body ? "application/json" : NULL, body);

  g_assert_no_error (response->error);
  if (response->status != status)
    {
      g_autofree char *text = sim_response_dup_text (response);

      g_error ("%s %s: %u %s", method, path, response->status, text);
    }
  return sim_response_json (response);
}

static void
assert_refused (WriteFixture *fixture,
                const char   *method,
                const char   *path,
                const char   *body,
                guint         status)
{
  g_autoptr(SimResponse) response = sim_request (&fixture->sim, method, path, fixture->token,
                                                 "application/json", body);
  g_autofree char *code = NULL;

  g_assert_cmpuint (response->status, ==, status);
  code = sim_response_error_code (response);
  g_assert_nonnull (code);
}

static JsonNode *
get_opportunity (WriteFixture *fixture,
                 const char   *id)
{
  g_autofree char *path = g_strdup_printf ("/v1/opportunities/%s", id);

  return request_ok (fixture, "GET", path, NULL, 200);
}

static gboolean
list_contains (WriteFixture *fixture,
               const char   *path,
               const char   *id)
{
  g_autoptr(GPtrArray) records = sim_read_all (&fixture->sim, path, fixture->token, NULL);

  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (member (g_ptr_array_index (records, i), "id"), id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
strv_contains (JsonObject *object,
               const char *name,
               const char *value)
{
  JsonArray *array = json_object_get_array_member (object, name);

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
setup (WriteFixture  *fixture,
       gconstpointer  data)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) opps = NULL;

  sim_fixture_setup (&fixture->sim, 120);
  fixture->token = sim_access_token (&fixture->sim, sim_all_scopes ());
  users = sim_read_all (&fixture->sim, "/v1/users?access_role=admin", fixture->token, NULL);
  fixture->user_id = g_strdup (member (g_ptr_array_index (users, 0), "id"));
  opps = sim_read_all (&fixture->sim, "/v1/opportunities?archived=false&limit=5",
                       fixture->token, NULL);
  fixture->opportunity_id = g_strdup (member (g_ptr_array_index (opps, 0), "id"));
}

static void
teardown (WriteFixture  *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->token, g_free);
  g_clear_pointer (&fixture->user_id, g_free);
  g_clear_pointer (&fixture->opportunity_id, g_free);
  sim_fixture_teardown (&fixture->sim);
}

static void
test_create_opportunity (WriteFixture  *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/v1/opportunities?perform_as=%s", fixture->user_id);
  g_autoptr(GPtrArray) postings = sim_read_all (&fixture->sim, "/v1/postings?limit=2",
                                                fixture->token, NULL);
  const char *posting = member (g_ptr_array_index (postings, 0), "id");
  g_autofree char *body = g_strdup_printf ("{\"name\": \"Grace \\\"Amazing\\\" Hopper\","
                                           " \"headline\": \"Rear Admiral\","
                                           " \"emails\": [\"grace@navy.example\"],"
                                           " \"phones\": [{\"type\": \"mobile\","
                                           " \"value\": \"+1 555 0100\"}],"
                                           " \"tags\": [\"COBOL\", \"Compilers\"],"
                                           " \"sources\": [\"Fulcrum\"],"
                                           " \"postings\": [\"%s\"],"
                                           " \"stage\": \"applicant-new\"}", posting);
  g_autoptr(JsonNode) created = request_ok (fixture, "POST", path, body, 201);
  JsonObject *opp = data_of (created);
  const char *id = json_object_get_string_member (opp, "id");
  g_autoptr(JsonNode) again = get_opportunity (fixture, id);
  g_autoptr(GPtrArray) first_page = NULL;
  g_autofree char *tagged = NULL;
  g_autofree char *apps = NULL;

  g_assert_cmpstr (json_object_get_string_member (opp, "name"), ==, "Grace \"Amazing\" Hopper");
  g_assert_cmpstr (json_object_get_string_member (opp, "stage"), ==, "applicant-new");
  g_assert_cmpstr (json_object_get_string_member (opp, "origin"), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (opp, "owner"), ==, fixture->user_id);
  g_assert_cmpint (json_object_get_int_member (opp, "createdAt"), ==,
                   json_object_get_int_member (opp, "updatedAt"));
  g_assert_true (json_node_equal (json_object_get_member (opp, "id"),
                                  json_object_get_member (data_of (again), "id")));
  g_assert_cmpstr (json_object_get_string_member (data_of (again), "headline"), ==,
                   "Rear Admiral");

  /* the newest comes first, and the filters see it */
  first_page = sim_read_all (&fixture->sim, "/v1/opportunities?limit=100&tag=COBOL",
                             fixture->token, NULL);
  g_assert_cmpuint (first_page->len, ==, 1);
  g_assert_cmpstr (member (g_ptr_array_index (first_page, 0), "id"), ==, id);
  tagged = g_strdup_printf ("/v1/opportunities?email=GRACE@NAVY.EXAMPLE&posting_id=%s", posting);
  g_assert_true (list_contains (fixture, tagged, id));
  apps = g_strdup_printf ("/v1/opportunities/%s/applications", id);
  {
    g_autoptr(GPtrArray) applications = sim_read_all (&fixture->sim, apps, fixture->token, NULL);

    g_assert_cmpuint (applications->len, ==, 1);
    g_assert_cmpstr (member (g_ptr_array_index (applications, 0), "posting"), ==, posting);
  }
  {
    g_autoptr(GPtrArray) tags = sim_read_all (&fixture->sim, "/v1/tags", fixture->token, NULL);
    gboolean found = FALSE;

    for (guint i = 0; i < tags->len; i++)
      found |= g_strcmp0 (member (g_ptr_array_index (tags, i), "text"), "Compilers") == 0;
    g_assert_true (found);
  }

  /* the same email means the same contact */
  {
    g_autoptr(JsonNode) twin = request_ok (fixture, "POST", path,
                                           "{\"name\": \"G. Hopper\", \"emails\": "
                                           "[\"grace@navy.example\"]}", 201);

    g_assert_cmpstr (json_object_get_string_member (data_of (twin), "contact"), ==,
                     json_object_get_string_member (opp, "contact"));
  }

  g_assert_cmpint (sim_stat (&fixture->sim, "writes"), ==, 2);

  /* refused */
  assert_refused (fixture, "POST", "/v1/opportunities", "{\"name\": \"No One\"}", 400);
  assert_refused (fixture, "POST", "/v1/opportunities?perform_as=nobody", "{\"name\": \"X\"}",
                  400);
  assert_refused (fixture, "POST", path, "{\"headline\": \"no name\"}", 400);
  assert_refused (fixture, "POST", path, "{\"name\": \"X\", \"stage\": \"nowhere\"}", 400);
  assert_refused (fixture, "POST", path, "{\"name\": \"X\", \"tags\": \"not-an-array\"}", 400);
  assert_refused (fixture, "POST", path, "{\"name\": \"X\", \"origin\": \"magic\"}", 400);
  assert_refused (fixture, "POST", path, "not json", 400);
  g_assert_cmpint (sim_stat (&fixture->sim, "writes"), ==, 2);
}

static void
test_notes (WriteFixture  *fixture,
            gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/v1/opportunities/%s/notes?perform_as=%s",
                                           fixture->opportunity_id, fixture->user_id);
  g_autofree char *list = g_strdup_printf ("/v1/opportunities/%s/notes",
                                           fixture->opportunity_id);
  g_autoptr(JsonNode) created = request_ok (fixture, "POST", path,
                                            "{\"value\": \"Strong C, weak on Rust.\", "
                                            "\"score\": 3}", 201);
  const char *note_id = json_object_get_string_member (data_of (created), "noteId");
  g_autoptr(GPtrArray) notes = sim_read_all (&fixture->sim, list, fixture->token, NULL);
  JsonObject *note = json_node_get_object (g_ptr_array_index (notes, 0));

  /* the newest note first */
  g_assert_cmpstr (json_object_get_string_member (note, "id"), ==, note_id);
  g_assert_cmpstr (json_object_get_string_member (note, "text"), ==, "Strong C, weak on Rust.");
  g_assert_cmpstr (json_object_get_string_member (note, "user"), ==, fixture->user_id);

  assert_refused (fixture, "POST", path, "{\"value\": \"\"}", 400);
  assert_refused (fixture, "POST", path, "{\"score\": 2}", 400);
  {
    g_autofree char *missing = g_strdup_printf ("/v1/opportunities/nope/notes?perform_as=%s",
                                                fixture->user_id);

    assert_refused (fixture, "POST", missing, "{\"value\": \"x\"}", 404);
  }
}

static void
test_tags (WriteFixture  *fixture,
           gconstpointer  data)
{
  g_autofree char *add = g_strdup_printf ("/v1/opportunities/%s/addTags", fixture->opportunity_id);
  g_autofree char *remove = g_strdup_printf ("/v1/opportunities/%s/removeTags",
                                             fixture->opportunity_id);
  g_autoptr(JsonNode) added = request_ok (fixture, "POST", add,
                                          "{\"tags\": [\"Fulcrum test\", \"Second\"]}", 200);
  g_autoptr(JsonNode) removed = NULL;
  g_autoptr(JsonNode) read = NULL;

  g_assert_true (strv_contains (data_of (added), "tags", "Fulcrum test"));
  g_assert_true (list_contains (fixture, "/v1/opportunities?tag=Fulcrum%20test",
                                fixture->opportunity_id));

  removed = request_ok (fixture, "POST", remove, "{\"tags\": [\"Fulcrum test\"]}", 200);
  g_assert_false (strv_contains (data_of (removed), "tags", "Fulcrum test"));
  g_assert_true (strv_contains (data_of (removed), "tags", "Second"));
  read = get_opportunity (fixture, fixture->opportunity_id);
  g_assert_false (strv_contains (data_of (read), "tags", "Fulcrum test"));
  g_assert_false (list_contains (fixture, "/v1/opportunities?tag=Fulcrum%20test",
                                 fixture->opportunity_id));

  assert_refused (fixture, "POST", add, "{\"tags\": []}", 400);
  assert_refused (fixture, "PUT", add, "{\"tags\": [\"x\"]}", 405);
}

static void
test_stage (WriteFixture  *fixture,
            gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/v1/opportunities/%s/stage?perform_as=%s",
                                           fixture->opportunity_id, fixture->user_id);
  g_autoptr(GPtrArray) stages = sim_read_all (&fixture->sim, "/v1/stages", fixture->token, NULL);
  const char *offer = member (g_ptr_array_index (stages, stages->len - 1), "id");
  g_autofree char *body = g_strdup_printf ("{\"stage\": \"%s\"}", offer);
  g_autoptr(JsonNode) before = get_opportunity (fixture, fixture->opportunity_id);
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *filter = g_strdup_printf ("/v1/opportunities?stage_id=%s", offer);
  g_autofree char *updated = NULL;
  JsonArray *changes;

  /* the pipeline comes in order, the offer last */
  g_assert_cmpstr (member (g_ptr_array_index (stages, 0), "id"), ==, "lead-new");
  g_assert_cmpstr (member (g_ptr_array_index (stages, stages->len - 1), "text"), ==, "Offer");

  fulcrum_sim_server_advance_clock (fixture->sim.server, 60);
  after = request_ok (fixture, "PUT", path, body, 200);
  g_assert_cmpstr (json_object_get_string_member (data_of (after), "stage"), ==, offer);
  changes = json_object_get_array_member (data_of (after), "stageChanges");
  g_assert_cmpuint (json_array_get_length (changes), ==,
                    json_array_get_length (json_object_get_array_member (data_of (before),
                                                                         "stageChanges")) + 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     changes, json_array_get_length (changes) - 1), "userId"), ==,
                   fixture->user_id);
  g_assert_cmpint (json_object_get_int_member (data_of (after), "updatedAt"), >,
                   json_object_get_int_member (data_of (before), "updatedAt"));
  g_assert_true (list_contains (fixture, filter, fixture->opportunity_id));

  /* the write moved updatedAt: an incremental read finds it */
  updated = g_strdup_printf ("/v1/opportunities?updated_at_start=%" G_GINT64_FORMAT,
                             json_object_get_int_member (data_of (after), "updatedAt"));
  g_assert_true (list_contains (fixture, updated, fixture->opportunity_id));

  assert_refused (fixture, "PUT", path, "{\"stage\": \"no-such-stage\"}", 400);
  assert_refused (fixture, "POST", path, body, 405);
}

static void
test_archive (WriteFixture  *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/v1/opportunities/%s/archived",
                                           fixture->opportunity_id);
  g_autoptr(GPtrArray) reasons = sim_read_all (&fixture->sim, "/v1/archive_reasons?type=non-hired",
                                               fixture->token, NULL);
  const char *reason = member (g_ptr_array_index (reasons, 0), "id");
  g_autofree char *body = g_strdup_printf ("{\"reason\": \"%s\", \"cleanInterviews\": false}",
                                           reason);
  gint64 before = fulcrum_sim_server_get_now_ms (fixture->sim.server);
  g_autoptr(JsonNode) archived = request_ok (fixture, "PUT", path, body, 200);
  gint64 after = fulcrum_sim_server_get_now_ms (fixture->sim.server);
  g_autoptr(JsonNode) restored = NULL;
  JsonObject *state = json_object_get_object_member (data_of (archived), "archived");
  g_autofree char *apps = g_strdup_printf ("/v1/opportunities/%s/applications",
                                           fixture->opportunity_id);

  g_assert_cmpstr (json_object_get_string_member (state, "reason"), ==, reason);
  g_assert_cmpint (json_object_get_int_member (state, "archivedAt"), >=, before);
  g_assert_cmpint (json_object_get_int_member (state, "archivedAt"), <=, after);
  g_assert_true (list_contains (fixture, "/v1/opportunities?archived=true",
                                fixture->opportunity_id));
  g_assert_false (list_contains (fixture, "/v1/opportunities?archived=false",
                                 fixture->opportunity_id));
  /* the applications show it too */
  {
    g_autoptr(GPtrArray) applications = sim_read_all (&fixture->sim, apps, fixture->token, NULL);

    for (guint i = 0; i < applications->len; i++)
      g_assert_false (json_object_get_null_member (json_node_get_object (
        g_ptr_array_index (applications, i)), "archived"));
  }

  restored = request_ok (fixture, "PUT", path, "{\"reason\": null}", 200);
  g_assert_true (json_object_get_null_member (data_of (restored), "archived"));
  g_assert_true (list_contains (fixture, "/v1/opportunities?archived=false",
                                fixture->opportunity_id));

  assert_refused (fixture, "PUT", path, "{\"reason\": \"no-such-reason\"}", 400);
  assert_refused (fixture, "PUT", path, "{}", 400);
}

static void
test_write_scopes (WriteFixture  *fixture,
                   gconstpointer  data)
{
  g_autofree char *reader = sim_access_token (&fixture->sim, "offline_access users:read:admin "
                                              "opportunities:read:admin notes:read:admin");
  g_autofree char *path = g_strdup_printf ("/v1/opportunities?perform_as=%s", fixture->user_id);
  g_autofree char *note = g_strdup_printf ("/v1/opportunities/%s/notes", fixture->opportunity_id);
  g_autofree char *tags = g_strdup_printf ("/v1/opportunities/%s/addTags",
                                           fixture->opportunity_id);
  g_autoptr(SimResponse) create = sim_request (&fixture->sim, "POST", path, reader,
                                               "application/json", "{\"name\": \"X\"}");
  g_autoptr(SimResponse) add_note = sim_request (&fixture->sim, "POST", note, reader,
                                                 "application/json", "{\"value\": \"x\"}");
  g_autoptr(SimResponse) add_tags = sim_request (&fixture->sim, "POST", tags, reader,
                                                 "application/json", "{\"tags\": [\"x\"]}");

  g_assert_cmpuint (create->status, ==, 403);
  g_assert_cmpuint (add_note->status, ==, 403);
  g_assert_cmpuint (add_tags->status, ==, 403);
  g_assert_cmpint (sim_stat (&fixture->sim, "writes"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, WriteFixture, NULL, setup, func, teardown)
  ADD ("/sim/writes/create-opportunity", test_create_opportunity);
  ADD ("/sim/writes/notes", test_notes);
  ADD ("/sim/writes/tags", test_tags);
  ADD ("/sim/writes/stage", test_stage);
  ADD ("/sim/writes/archive", test_archive);
  ADD ("/sim/writes/scopes", test_write_scopes);
#undef ADD

  return g_test_run ();
}
