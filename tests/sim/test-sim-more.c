/* test-sim-more.c: requisition fields, feedback templates, contacts, webhooks, audit
 * events, EEO responses and opportunities' files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-sim-private.h"
#include "fulcrum-test-util.h"
#include "sim-test-common.h"

#define N_OPPORTUNITIES 300

typedef struct
{
  SimFixture  sim;
  char       *token;      /* every scope */
  GPtrArray  *all;        /* every opportunity, expand=applications,contact */
} MoreFixture;

static const struct {
  const char *path;
  const char *scope;
  gsize       list_offset;   /* of the list in FulcrumSimData */
} lists[] = {
  { "/v1/requisition_fields", "requisition_fields:read:admin",
    G_STRUCT_OFFSET (FulcrumSimData, requisition_fields) },
  { "/v1/feedback_templates", "feedback_templates:read:admin",
    G_STRUCT_OFFSET (FulcrumSimData, feedback_templates) },
  { "/v1/webhooks", "webhooks:read:admin", G_STRUCT_OFFSET (FulcrumSimData, webhooks) },
  { "/v1/audit_events", "audit_events:read:admin",
    G_STRUCT_OFFSET (FulcrumSimData, audit_events) },
  { "/v1/eeo/responses", "eeo_responses:read:admin",
    G_STRUCT_OFFSET (FulcrumSimData, eeo_responses) },
};

static FulcrumSimList *
data_list (MoreFixture *fixture,
           guint        i)
{
  return G_STRUCT_MEMBER (FulcrumSimList *, fixture->sim.server->data, lists[i].list_offset);
}

static JsonObject *
object (JsonNode *node)
{
  return json_node_get_object (node);
}

static const char *
member (JsonNode   *node,
        const char *name)
{
  return json_object_get_string_member (object (node), name);
}

static GHashTable *
id_set (GPtrArray *records)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < records->len; i++)
    {
      const char *id = member (g_ptr_array_index (records, i), "id");

      /* each record exactly once */
      g_assert_nonnull (id);
      g_assert_false (g_hash_table_contains (set, id));
      g_hash_table_add (set, g_strdup (id));
    }
  return set;
}

/* The simulator's own records, the ground truth: id -> parsed JSON. */
static GHashTable *
list_records (MoreFixture    *fixture,
              FulcrumSimList *list)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) json_node_unref);

  g_mutex_lock (&fixture->sim.server->mutex);
  for (guint i = 0; i < list->items->len; i++)
    {
      FulcrumSimRecord *record = g_ptr_array_index (list->items, i);
      JsonNode *node = json_from_string (record->json, NULL);

      g_assert_nonnull (node);
      g_hash_table_insert (set, g_strdup (record->id), node);
    }
  g_mutex_unlock (&fixture->sim.server->mutex);
  return set;
}

/* Every record the simulator holds, once, and the same JSON. */
static void
assert_same_records (GHashTable *expected,
                     GPtrArray  *records)
{
  g_autoptr(GHashTable) got = id_set (records);

  g_assert_cmpuint (g_hash_table_size (got), ==, g_hash_table_size (expected));
  for (guint i = 0; i < records->len; i++)
    {
      JsonNode *record = g_ptr_array_index (records, i);
      JsonNode *want = g_hash_table_lookup (expected, member (record, "id"));

      g_assert_nonnull (want);
      g_assert_true (json_node_equal (record, want));
    }
}

static void
assert_error (MoreFixture *fixture,
              const char  *method,
              const char  *path,
              const char  *token,
              guint        status,
              const char  *code)
{
  g_autoptr(SimResponse) response = sim_request (&fixture->sim, method, path, token,
                                                 method[0] == 'P' ? "application/json" : NULL,
                                                 method[0] == 'P' ? "{}" : NULL);
  g_autofree char *got = NULL;

  g_assert_no_error (response->error);
  if (response->status != status)
    g_error ("%s %s: %u, expected %u", method, path, response->status, status);
  got = sim_response_error_code (response);
  g_assert_cmpstr (got, ==, code);
}

static void
setup (MoreFixture   *fixture,
       gconstpointer  data)
{
  sim_fixture_setup (&fixture->sim, N_OPPORTUNITIES);
  fixture->token = sim_access_token (&fixture->sim, sim_all_scopes ());
  fixture->all = sim_read_all (&fixture->sim, "/v1/opportunities?confidentiality=all&"
                               "expand=applications,contact", fixture->token, NULL);
}

static void
teardown (MoreFixture   *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->all, g_ptr_array_unref);
  g_clear_pointer (&fixture->token, g_free);
  sim_fixture_teardown (&fixture->sim);
}

static void
test_full_read (MoreFixture   *fixture,
                gconstpointer  data)
{
  static const char * const limits[] = { "", "?limit=100", "?limit=7", "?limit=1" };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr(GHashTable) expected = list_records (fixture, data_list (fixture, i));

      g_test_message ("%s: %u records", lists[i].path, g_hash_table_size (expected));
      g_assert_cmpuint (g_hash_table_size (expected), >, 3);
      for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
        {
          g_autofree char *path = g_strconcat (lists[i].path, limits[l], NULL);
          g_autoptr(GPtrArray) records = NULL;
          guint n_pages = 0;

          /* one page per record only where it stays fast */
          if (strcmp (limits[l], "?limit=1") == 0 && g_hash_table_size (expected) > 60)
            continue;
          records = sim_read_all (&fixture->sim, path, fixture->token, &n_pages);
          assert_same_records (expected, records);
          if (strcmp (limits[l], "?limit=7") == 0)
            g_assert_cmpuint (n_pages, ==, (records->len + 6) / 7);
          /* newest first (lookups: in their own order) */
          for (guint r = 1; r < records->len && i >= 1; r++)
            g_assert_cmpint (json_object_get_int_member (object (g_ptr_array_index (records,
                                                                                    r - 1)),
                                                         "createdAt"), >=,
                             json_object_get_int_member (object (g_ptr_array_index (records, r)),
                                                         "createdAt"));
        }
    }

  /* one by id, where Lever has it */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GPtrArray) records = sim_read_all (&fixture->sim, lists[i].path, fixture->token,
                                                   NULL);
      JsonNode *last = g_ptr_array_index (records, records->len - 1);
      g_autofree char *path = g_strdup_printf ("%s/%s", lists[i].path, member (last, "id"));
      g_autofree char *missing = g_strdup_printf ("%s/no-such-id", lists[i].path);
      g_autoptr(SimResponse) response = sim_get (&fixture->sim, path, fixture->token);
      g_autoptr(JsonNode) body = sim_response_json (response);

      g_assert_cmpuint (response->status, ==, 200);
      g_assert_true (json_node_equal (json_object_get_member (object (body), "data"), last));
      assert_error (fixture, "GET", missing, fixture->token, 404, "ResourceNotFound");
    }
}

static gboolean
array_contains (JsonArray  *array,
                const char *member_name,
                const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *got = member_name ? member (node, member_name)
                                    : json_node_get_string (node);

      if (g_strcmp0 (got, value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Files belong to opportunities, EEO responses to applications, audit events to users. */
static void
test_relations (MoreFixture   *fixture,
                gconstpointer  data)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) eeo = sim_read_all (&fixture->sim, "/v1/eeo/responses", fixture->token,
                                           NULL);
  g_autoptr(GPtrArray) events = sim_read_all (&fixture->sim, "/v1/audit_events", fixture->token,
                                              NULL);
  g_autoptr(GPtrArray) users = sim_read_all (&fixture->sim, "/v1/users?includeDeactivated=true",
                                             fixture->token, NULL);
  g_autoptr(GHashTable) user_ids = id_set (users);
  guint with_files = 0;

  for (guint i = 0; i < fixture->all->len; i++)
    g_hash_table_insert (by_id, (gpointer) member (g_ptr_array_index (fixture->all, i), "id"),
                         g_ptr_array_index (fixture->all, i));

  for (guint i = 0; i < eeo->len; i++)
    {
      JsonNode *response = g_ptr_array_index (eeo, i);
      JsonNode *opp = g_hash_table_lookup (by_id, member (response, "opportunityId"));

      g_assert_nonnull (opp);
      g_assert_true (array_contains (json_object_get_array_member (object (opp), "applications"),
                                     "id", member (response, "applicationId")));
      /* without personal data */
      g_assert_false (json_object_has_member (object (response), "name"));
      g_assert_false (json_object_has_member (object (response), "email"));
    }

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *user = json_object_get_object_member (object (g_ptr_array_index (events, i)),
                                                        "user");

      g_assert_true (g_hash_table_contains (user_ids,
                                            json_object_get_string_member (user, "id")));
    }

  /* every opportunity's files: the simulator's list, once each */
  for (guint i = 0; i < fixture->all->len; i++)
    {
      const char *id = member (g_ptr_array_index (fixture->all, i), "id");
      FulcrumSimOpportunity *opp = fulcrum_sim_list_lookup (fixture->sim.server->data
                                                            ->opportunities, id);
      g_autofree char *path = g_strdup_printf ("/v1/opportunities/%s/files?limit=1", id);
      g_autoptr(GPtrArray) files = sim_read_all (&fixture->sim, path, fixture->token, NULL);
      g_autoptr(GHashTable) expected = NULL;

      expected = list_records (fixture, opp->children[FULCRUM_SIM_CHILD_FILES]);

      assert_same_records (expected, files);
      with_files += files->len > 0;
      for (guint f = 0; f < files->len; f++)
        g_assert_cmpint (json_object_get_int_member (object (g_ptr_array_index (files, f)),
                                                     "uploadedAt"), >=,
                         json_object_get_int_member (object (g_ptr_array_index (fixture->all, i)),
                                                     "createdAt"));
      if (files->len > 0)
        {
          const char *file_id = member (g_ptr_array_index (files, 0), "id");
          g_autofree char *one = g_strdup_printf ("/v1/opportunities/%s/files/%s", id, file_id);
          g_autoptr(SimResponse) response = sim_get (&fixture->sim, one, fixture->token);

          g_assert_cmpuint (response->status, ==, 200);
        }
    }
  g_assert_cmpuint (with_files, >, fixture->all->len / 10);
  assert_error (fixture, "GET", "/v1/opportunities/no-such-id/files", fixture->token, 404,
                "ResourceNotFound");
}

/* /contacts/:id is the person as expand=contact shows them on their opportunities. */
static void
test_contacts (MoreFixture   *fixture,
               gconstpointer  data)
{
  g_autofree char *narrow = sim_access_token (&fixture->sim, "offline_access users:read:admin "
                                              "contact:read:admin");
  gboolean tested_confidential = FALSE;

  for (guint i = 0; i < fixture->all->len; i++)
    {
      JsonNode *opp = g_ptr_array_index (fixture->all, i);
      JsonNode *contact = json_object_get_member (object (opp), "contact");
      const char *contact_id = json_object_get_string_member (json_node_get_object (contact),
                                                              "id");
      g_autofree char *path = g_strdup_printf ("/v1/contacts/%s", contact_id);
      gboolean newest = TRUE;
      gboolean all_confidential = TRUE;

      /* the newest opportunity of the contact describes them */
      for (guint j = 0; j < i; j++)
        if (g_strcmp0 (json_object_get_string_member (json_object_get_object_member (
                         object (g_ptr_array_index (fixture->all, j)), "contact"), "id"),
                       contact_id) == 0)
          newest = FALSE;
      if (!newest)
        continue;
      for (guint j = i; j < fixture->all->len; j++)
        {
          JsonObject *other = object (g_ptr_array_index (fixture->all, j));

          if (g_strcmp0 (json_object_get_string_member (json_object_get_object_member (other,
                                                                                       "contact"),
                                                        "id"), contact_id) == 0 &&
              g_strcmp0 (json_object_get_string_member (other, "confidentiality"),
                         "confidential") != 0)
            all_confidential = FALSE;
        }

      {
        g_autoptr(SimResponse) response = sim_get (&fixture->sim, path, fixture->token);
        g_autoptr(JsonNode) body = sim_response_json (response);

        g_assert_cmpuint (response->status, ==, 200);
        g_assert_true (json_node_equal (json_object_get_member (object (body), "data"), contact));
      }
      if (all_confidential)
        {
          /* a person known only from confidential opportunities: the scope is needed */
          assert_error (fixture, "GET", path, narrow, 403, "Forbidden");
          tested_confidential = TRUE;
        }
      else if (i % 10 == 0)
        {
          g_autoptr(SimResponse) response = sim_get (&fixture->sim, path, narrow);

          g_assert_cmpuint (response->status, ==, 200);
        }
    }
  g_assert_true (tested_confidential);

  assert_error (fixture, "GET", "/v1/contacts/no-such-contact", fixture->token, 404,
                "ResourceNotFound");
  assert_error (fixture, "GET", "/v1/contacts", fixture->token, 404, "ResourceNotFound");
  assert_error (fixture, "PUT", "/v1/contacts/x", fixture->token, 405, "MethodNotAllowed");
}

static gboolean
audit_matches (JsonNode   *event,
               const char *type,
               const char *user,
               gint64      start,
               gint64      end)
{
  gint64 at = json_object_get_int_member (object (event), "createdAt");
  const char *by = json_object_get_string_member (json_object_get_object_member (object (event),
                                                                                 "user"), "id");

  return (type == NULL || g_strcmp0 (member (event, "type"), type) == 0) &&
         (user == NULL || g_strcmp0 (by, user) == 0) && at >= start && at <= end;
}

static void
check_audit_filter (MoreFixture *fixture,
                    GPtrArray   *all,
                    const char  *query,
                    const char  *type,
                    const char  *user,
                    gint64       start,
                    gint64       end)
{
  g_autofree char *path = g_strdup_printf ("/v1/audit_events?limit=13&%s", query);
  g_autoptr(GPtrArray) records = sim_read_all (&fixture->sim, path, fixture->token, NULL);
  g_autoptr(GHashTable) got = id_set (records);
  guint n_expected = 0;

  for (guint i = 0; i < all->len; i++)
    {
      JsonNode *event = g_ptr_array_index (all, i);

      if (audit_matches (event, type, user, start, end))
        {
          g_assert_true (g_hash_table_contains (got, member (event, "id")));
          n_expected++;
        }
    }
  g_assert_cmpuint (n_expected, ==, g_hash_table_size (got));
  g_assert_cmpuint (n_expected, >, 0);
}

static void
test_audit_filters (MoreFixture   *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) all = sim_read_all (&fixture->sim, "/v1/audit_events", fixture->token,
                                           NULL);
  JsonNode *sample = g_ptr_array_index (all, all->len / 2);
  const char *user = json_object_get_string_member (
    json_object_get_object_member (object (sample), "user"), "id");
  gint64 at = json_object_get_int_member (object (sample), "createdAt");
  g_autofree char *by_user = g_strdup_printf ("user_id=%s", user);
  g_autofree char *exact = g_strdup_printf ("created_at_start=%" G_GINT64_FORMAT
                                            "&created_at_end=%" G_GINT64_FORMAT, at, at);
  g_autofree char *since = g_strdup_printf ("created_at_start=%" G_GINT64_FORMAT
                                            "&type=user.login", at);

  check_audit_filter (fixture, all, "type=user.login", "user.login", NULL, G_MININT64,
                      G_MAXINT64);
  check_audit_filter (fixture, all, by_user, NULL, user, G_MININT64, G_MAXINT64);
  /* inclusive at both ends */
  check_audit_filter (fixture, all, exact, NULL, NULL, at, at);
  check_audit_filter (fixture, all, since, "user.login", NULL, at, G_MAXINT64);
  assert_error (fixture, "GET", "/v1/audit_events?created_at_start=yesterday", fixture->token,
                400, "BadRequest");
}

static void
test_scopes (MoreFixture   *fixture,
             gconstpointer  data)
{
  g_autofree char *narrow = sim_access_token (&fixture->sim, "offline_access users:read:admin "
                                              "opportunities:read:admin resumes:read:admin");
  JsonNode *opp = NULL;
  g_autofree char *files = NULL;
  g_autofree char *contact = NULL;
  const char *paths[G_N_ELEMENTS (lists) + 2];
  const char *scopes[G_N_ELEMENTS (lists) + 2];

  for (guint i = 0; i < fixture->all->len && opp == NULL; i++)
    if (g_strcmp0 (member (g_ptr_array_index (fixture->all, i), "confidentiality"),
                   "non-confidential") == 0)
      opp = g_ptr_array_index (fixture->all, i);
  g_assert_nonnull (opp);
  files = g_strdup_printf ("/v1/opportunities/%s/files", member (opp, "id"));
  contact = g_strdup_printf ("/v1/contacts/%s",
                             json_object_get_string_member (
                               json_object_get_object_member (object (opp), "contact"), "id"));

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      paths[i] = lists[i].path;
      scopes[i] = lists[i].scope;
    }
  paths[G_N_ELEMENTS (lists)] = files;
  scopes[G_N_ELEMENTS (lists)] = "files:read:admin";
  paths[G_N_ELEMENTS (lists) + 1] = contact;
  scopes[G_N_ELEMENTS (lists) + 1] = "contact:read:admin";

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SimResponse) refused = sim_get (&fixture->sim, paths[i], narrow);
      g_autoptr(JsonNode) body = sim_response_json (refused);
      g_autofree char *scope = g_strdup_printf ("offline_access %s", scopes[i]);
      g_autofree char *token = sim_access_token (&fixture->sim, scope);
      g_autoptr(SimResponse) allowed = sim_get (&fixture->sim, paths[i], token);

      /* Lever's 403 names the scope; the scope alone is enough */
      g_assert_cmpuint (refused->status, ==, 403);
      g_assert_cmpstr (member (body, "code"), ==, "Forbidden");
      g_assert_nonnull (strstr (member (body, "message"), scopes[i]));
      if (allowed->status != 200)
        g_error ("%s with %s: %u", paths[i], scopes[i], allowed->status);
    }

  /* reads only, and only what exists */
  assert_error (fixture, "POST", "/v1/webhooks", fixture->token, 405, "MethodNotAllowed");
  assert_error (fixture, "DELETE", "/v1/audit_events", fixture->token, 405, "MethodNotAllowed");
  assert_error (fixture, "GET", "/v1/eeo", fixture->token, 404, "ResourceNotFound");
  assert_error (fixture, "GET", "/v1/eeo/questions", fixture->token, 404, "ResourceNotFound");
  assert_error (fixture, "GET", "/v1/eeo/responses/x", fixture->token, 404, "ResourceNotFound");
  assert_error (fixture, "GET", "/v1/webhooks", NULL, 401, "Unauthorized");
}

/* Offsets, faults and the rate limit work as for every other list. */
static void
test_like_the_others (MoreFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(SimResponse) first = sim_get (&fixture->sim, "/v1/audit_events?limit=5",
                                          fixture->token);
  g_autoptr(JsonNode) page = sim_response_json (first);
  const char *next = member (page, "next");
  g_autofree char *elsewhere = g_strdup_printf ("/v1/eeo/responses?limit=5&offset=%s", next);
  g_autofree char *other_filter = g_strdup_printf ("/v1/audit_events?limit=5&type=user.login&"
                                                   "offset=%s", next);
  g_autofree char *token = NULL;

  g_assert_true (json_object_get_boolean_member (object (page), "hasNext"));
  assert_error (fixture, "GET", elsewhere, fixture->token, 400, "BadRequest");
  assert_error (fixture, "GET", other_filter, fixture->token, 400, "BadRequest");
  assert_error (fixture, "GET", "/v1/webhooks?limit=0", fixture->token, 400, "BadRequest");
  assert_error (fixture, "GET", "/v1/webhooks?limit=101", fixture->token, 400, "BadRequest");

  fulcrum_sim_server_set_fault_rate (fixture->sim.server, FULCRUM_SIM_FAULT_500, 1.0);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr(SimResponse) response = sim_get (&fixture->sim, lists[i].path, fixture->token);

      g_assert_cmpuint (response->status, ==, 500);
    }
  fulcrum_sim_server_set_fault_rate (fixture->sim.server, FULCRUM_SIM_FAULT_500, 0.0);
  g_assert_cmpint (sim_stat (&fixture->sim, "faults.500"), ==, G_N_ELEMENTS (lists));

  /* a bucket of two that (practically) never refills */
  fulcrum_sim_server_set_rate_limit (fixture->sim.server, TRUE, 0.001, 2);
  token = sim_access_token (&fixture->sim, sim_all_scopes ());
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr(SimResponse) response = sim_get (&fixture->sim, lists[i].path, token);

      g_assert_cmpuint (response->status, ==, i < 2 ? 200 : 429);
    }
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, MoreFixture, NULL, setup, func, teardown)
  ADD ("/sim/more/full-read", test_full_read);
  ADD ("/sim/more/relations", test_relations);
  ADD ("/sim/more/contacts", test_contacts);
  ADD ("/sim/more/audit-filters", test_audit_filters);
  ADD ("/sim/more/scopes", test_scopes);
  ADD ("/sim/more/like-the-others", test_like_the_others);
#undef ADD

  return g_test_run ();
}
