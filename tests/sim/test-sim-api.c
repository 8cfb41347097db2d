/* test-sim-api.c: the simulator's data API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fulcrum-sim-private.h"
#include "fulcrum-test-util.h"
#include "sim-test-common.h"

/* 450 opportunities: several pages, confidential ones, deleted ones, every relation. */
#define N_OPPORTUNITIES 450

typedef struct
{
  SimFixture  sim;
  char       *token;      /* every scope */
  GPtrArray  *all;        /* every opportunity, expand=applications, JsonNode* */
  char       *user_id;    /* an active user */
} ApiFixture;

static const char *
member (JsonNode   *node,
        const char *name)
{
  return json_object_get_string_member (json_node_get_object (node), name);
}

static gint64
int_member (JsonNode   *node,
            const char *name)
{
  return json_object_get_int_member (json_node_get_object (node), name);
}

static GHashTable *
id_set (GPtrArray *records)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < records->len; i++)
    {
      const char *id = member (g_ptr_array_index (records, i), "id");

      /* each record exactly once */
      g_assert_false (g_hash_table_contains (set, id));
      g_hash_table_add (set, g_strdup (id));
    }
  return set;
}

/* The simulator's own list, the ground truth. */
static GHashTable *
list_ids (ApiFixture     *fixture,
          FulcrumSimList *list,
          gboolean        with_confidential)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_mutex_lock (&fixture->sim.server->mutex);
  for (guint i = 0; i < list->items->len; i++)
    {
      FulcrumSimRecord *record = g_ptr_array_index (list->items, i);

      if (with_confidential || !record->confidential)
        g_hash_table_add (set, g_strdup (record->id));
    }
  g_mutex_unlock (&fixture->sim.server->mutex);
  return set;
}

static void
assert_same_ids (GHashTable *expected,
                 GHashTable *got)
{
  GHashTableIter iter;
  gpointer key;

  g_assert_cmpuint (g_hash_table_size (got), ==, g_hash_table_size (expected));
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (got, key));
}

static void
assert_error (ApiFixture *fixture,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              guint       status,
              const char *code)
{
  g_autoptr(SimResponse) response = sim_request (&fixture->sim, method, path, token,
                                                 body ? "application/json" : NULL, body);
  g_autofree char *got = NULL;

  g_assert_no_error (response->error);
  if (response->status != status)
    g_error ("%s %s: %u, expected %u", method, path, response->status, status);
  got = sim_response_error_code (response);
  g_assert_cmpstr (got, ==, code);
}

static void
setup (ApiFixture    *fixture,
       gconstpointer  data)
{
  g_autoptr(GPtrArray) users = NULL;

  sim_fixture_setup (&fixture->sim, N_OPPORTUNITIES);
  fixture->token = sim_access_token (&fixture->sim, sim_all_scopes ());
  fixture->all = sim_read_all (&fixture->sim,
                               "/v1/opportunities?confidentiality=all&expand=applications",
                               fixture->token, NULL);
  users = sim_read_all (&fixture->sim, "/v1/users?access_role=super%20admin", fixture->token,
                        NULL);
  g_assert_cmpuint (users->len, ==, 1);
  fixture->user_id = g_strdup (member (g_ptr_array_index (users, 0), "id"));
}

static void
teardown (ApiFixture    *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->all, g_ptr_array_unref);
  g_clear_pointer (&fixture->token, g_free);
  g_clear_pointer (&fixture->user_id, g_free);
  sim_fixture_teardown (&fixture->sim);
}

static void
test_full_read (ApiFixture    *fixture,
                gconstpointer  data)
{
  FulcrumSimData *sim_data = fixture->sim.server->data;
  const struct {
    const char     *path;
    FulcrumSimList *list;
    gboolean        confidential;
  } lists[] = {
    { "/v1/opportunities?confidentiality=all", sim_data->opportunities, TRUE },
    { "/v1/opportunities", sim_data->opportunities, FALSE },
    { "/v1/postings?confidentiality=all", sim_data->postings, TRUE },
    { "/v1/postings", sim_data->postings, FALSE },
    { "/v1/users?includeDeactivated=true", sim_data->users, TRUE },
    { "/v1/stages", sim_data->stages, TRUE },
    { "/v1/archive_reasons", sim_data->archive_reasons, TRUE },
    { "/v1/requisitions?confidentiality=all", sim_data->requisitions, TRUE },
  };
  const struct {
    const char     *path;
    FulcrumSimList *list;
  } deleted[] = {
    { "/v1/opportunities/deleted", sim_data->deleted_opportunities },
    { "/v1/postings/deleted", sim_data->deleted_postings },
  };
  gint64 now = fulcrum_sim_server_get_now_ms (fixture->sim.server);
  const gint64 window = 30LL * 24 * 3600 * 1000;
  static const char * const limits[] = { "", "limit=100", "limit=7", "limit=1" };
  guint n_pages = 0;

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
      {
        g_autofree char *path = NULL;
        g_autoptr(GPtrArray) records = NULL;
        g_autoptr(GHashTable) got = NULL;
        g_autoptr(GHashTable) expected = NULL;

        /* one page per record only where it stays fast */
        if (strcmp (limits[l], "limit=1") == 0 && lists[i].list->items->len > 60)
          continue;
        path = g_strdup_printf ("%s%s%s", lists[i].path, strchr (lists[i].path, '?') ? "&" : "?",
                                limits[l]);
        records = sim_read_all (&fixture->sim, path, fixture->token, &n_pages);
        got = id_set (records);
        expected = list_ids (fixture, lists[i].list, lists[i].confidential);
        assert_same_ids (expected, got);
        g_assert_cmpuint (g_hash_table_size (got), >, 0);
        if (strcmp (limits[l], "limit=7") == 0)
          g_assert_cmpuint (n_pages, ==, (records->len + 6) / 7);
      }

  /* deletions are read in windows of at most 30 days (inclusive bounds: no overlap) */
  for (guint i = 0; i < G_N_ELEMENTS (deleted); i++)
    {
      g_autoptr(GHashTable) expected = list_ids (fixture, deleted[i].list, TRUE);
      g_autoptr(GHashTable) got = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) recent = sim_read_all (&fixture->sim, deleted[i].path, fixture->token,
                                                  NULL);

      for (gint64 end = now; end > now - 5 * window; end -= window + 1)
        {
          g_autofree char *path = g_strdup_printf ("%s?limit=3&deleted_at_start=%" G_GINT64_FORMAT
                                                   "&deleted_at_end=%" G_GINT64_FORMAT,
                                                   deleted[i].path, end - window, end);
          g_autoptr(GPtrArray) records = sim_read_all (&fixture->sim, path, fixture->token, NULL);

          for (guint r = 0; r < records->len; r++)
            {
              const char *id = member (g_ptr_array_index (records, r), "id");

              g_assert_false (g_hash_table_contains (got, id));
              g_hash_table_add (got, g_strdup (id));
            }
        }
      assert_same_ids (expected, got);
      /* without a window: the last 30 days */
      g_assert_cmpuint (recent->len, <=, g_hash_table_size (expected));
      for (guint r = 0; r < recent->len; r++)
        g_assert_cmpint (int_member (g_ptr_array_index (recent, r), "deletedAt"), >=, now - window);
    }

  /* the per-opportunity lists */
  for (guint i = 0; i < 40; i++)
    {
      JsonNode *opp = g_ptr_array_index (fixture->all, i * (fixture->all->len / 40));
      FulcrumSimOpportunity *record = fulcrum_sim_list_lookup (sim_data->opportunities,
                                                               member (opp, "id"));

      for (FulcrumSimChildKind kind = 0; kind < FULCRUM_SIM_N_CHILDREN; kind++)
        {
          g_autofree char *path = g_strdup_printf ("/v1/opportunities/%s/%s?limit=2",
                                                   member (opp, "id"),
                                                   fulcrum_sim_child_kind_to_path (kind));
          g_autoptr(GPtrArray) records = sim_read_all (&fixture->sim, path, fixture->token,
                                                       NULL);
          g_autoptr(GHashTable) got = id_set (records);
          g_autoptr(GHashTable) expected = list_ids (fixture, record->children[kind], TRUE);

          assert_same_ids (expected, got);
        }
    }

  /* tags and sources count what the opportunities carry */
  {
    g_autoptr(GPtrArray) tags = sim_read_all (&fixture->sim, "/v1/tags", fixture->token, NULL);
    g_autoptr(GPtrArray) sources = sim_read_all (&fixture->sim, "/v1/sources", fixture->token,
                                                 NULL);
    gint64 n_tagged = 0, n_tags = 0;

    for (guint i = 0; i < fixture->all->len; i++)
      n_tagged += json_array_get_length (json_object_get_array_member (
        json_node_get_object (g_ptr_array_index (fixture->all, i)), "tags"));
    for (guint i = 0; i < tags->len; i++)
      n_tags += int_member (g_ptr_array_index (tags, i), "count");
    g_assert_cmpint (n_tags, ==, n_tagged);
    g_assert_cmpuint (sources->len, >, 3);
  }
}

typedef gboolean (*Predicate) (JsonNode   *opp,
                               const char *value);

static gboolean
strv_member_contains (JsonNode   *node,
                      const char *name,
                      const char *value,
                      gboolean    ignore_case)
{
  JsonArray *array = json_object_get_array_member (json_node_get_object (node), name);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *item = json_array_get_string_element (array, i);

      if (ignore_case ? g_ascii_strcasecmp (item, value) == 0 : strcmp (item, value) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_tag (JsonNode   *opp,
         const char *value)
{
  return strv_member_contains (opp, "tags", value, FALSE);
}

static gboolean
has_email (JsonNode   *opp,
           const char *value)
{
  return strv_member_contains (opp, "emails", value, TRUE);
}

static gboolean
has_stage (JsonNode   *opp,
           const char *value)
{
  return g_strcmp0 (member (opp, "stage"), value) == 0;
}

static gboolean
has_origin (JsonNode   *opp,
            const char *value)
{
  return g_strcmp0 (member (opp, "origin"), value) == 0;
}

static gboolean
has_contact (JsonNode   *opp,
             const char *value)
{
  return g_strcmp0 (member (opp, "contact"), value) == 0;
}

static gboolean
has_posting (JsonNode   *opp,
             const char *value)
{
  JsonArray *apps = json_object_get_array_member (json_node_get_object (opp), "applications");

  for (guint i = 0; i < json_array_get_length (apps); i++)
    {
      JsonObject *app = json_array_get_object_element (apps, i);

      if (g_strcmp0 (json_object_get_string_member (app, "posting"), value) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_archived (JsonNode   *opp,
             const char *value)
{
  gboolean archived = !json_object_get_null_member (json_node_get_object (opp), "archived");

  return archived == (strcmp (value, "true") == 0);
}

static gboolean
created_in (JsonNode   *opp,
            const char *value)
{
  gint64 start, end;

  sscanf (value, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, &start, &end);
  return int_member (opp, "createdAt") >= start && int_member (opp, "createdAt") <= end;
}

static gboolean
updated_in (JsonNode   *opp,
            const char *value)
{
  gint64 start, end;

  sscanf (value, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, &start, &end);
  return int_member (opp, "updatedAt") >= start && int_member (opp, "updatedAt") <= end;
}

static guint
check_filter (ApiFixture *fixture,
              const char *query,
              Predicate   predicate,
              const char *value,
              Predicate   predicate2,
              const char *value2)
{
  g_autofree char *path = g_strdup_printf ("/v1/opportunities?confidentiality=all&limit=37&%s",
                                           query);
  g_autoptr(GPtrArray) records = sim_read_all (&fixture->sim, path, fixture->token, NULL);
  g_autoptr(GHashTable) got = id_set (records);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < fixture->all->len; i++)
    {
      JsonNode *opp = g_ptr_array_index (fixture->all, i);

      if (predicate (opp, value) || (predicate2 != NULL && predicate2 (opp, value2)))
        g_hash_table_add (expected, g_strdup (member (opp, "id")));
    }
  assert_same_ids (expected, got);
  return g_hash_table_size (got);
}

static void
test_filters (ApiFixture    *fixture,
              gconstpointer  data)
{
  JsonNode *sample = NULL;
  g_autofree char *query = NULL;
  g_autofree char *range = NULL;
  g_autofree char *tag = NULL;
  const char *email;
  const char *posting = NULL;
  gint64 created, updated;

  /* a sample with a tag, an application and a second email would do best */
  for (guint i = 0; i < fixture->all->len && sample == NULL; i++)
    {
      JsonNode *opp = g_ptr_array_index (fixture->all, i);
      JsonObject *object = json_node_get_object (opp);

      if (json_array_get_length (json_object_get_array_member (object, "tags")) > 0 &&
          json_array_get_length (json_object_get_array_member (object, "applications")) > 0)
        sample = opp;
    }
  g_assert_nonnull (sample);
  email = json_array_get_string_element (json_object_get_array_member (
    json_node_get_object (sample), "emails"), 0);
  posting = json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (sample), "applications"), 0), "posting");

  tag = g_uri_escape_string (json_array_get_string_element (json_object_get_array_member (
    json_node_get_object (sample), "tags"), 0), NULL, FALSE);
  query = g_strdup_printf ("tag=%s", tag);
  g_assert_cmpuint (check_filter (fixture, query, has_tag,
                                  json_array_get_string_element (json_object_get_array_member (
                                    json_node_get_object (sample), "tags"), 0), NULL, NULL),
                    >, 0);
  /* several values of one filter: a union */
  g_assert_cmpuint (check_filter (fixture, "tag=Python&tag=Rust", has_tag, "Python",
                                  has_tag, "Rust"), >, 0);
  g_assert_cmpuint (check_filter (fixture, "stage_id=lead-new&stage_id=applicant-new", has_stage,
                                  "lead-new", has_stage, "applicant-new"), >, 0);
  g_assert_cmpuint (check_filter (fixture, "origin=referred", has_origin, "referred", NULL, NULL),
                    >, 0);
  g_assert_cmpuint (check_filter (fixture, "archived=true", is_archived, "true", NULL, NULL), >, 0);
  g_assert_cmpuint (check_filter (fixture, "archived=false", is_archived, "false", NULL, NULL),
                    >, 0);
  {
    g_autofree char *q = g_strdup_printf ("posting_id=%s", posting);

    g_assert_cmpuint (check_filter (fixture, q, has_posting, posting, NULL, NULL), >, 0);
  }
  {
    g_autofree char *upper = g_ascii_strup (email, -1);
    g_autofree char *escaped = g_uri_escape_string (upper, NULL, FALSE);
    g_autofree char *q = g_strdup_printf ("email=%s", escaped);

    g_assert_cmpuint (check_filter (fixture, q, has_email, email, NULL, NULL), >, 0);
  }
  {
    g_autofree char *q = g_strdup_printf ("contact_id=%s", member (sample, "contact"));

    g_assert_cmpuint (check_filter (fixture, q, has_contact, member (sample, "contact"), NULL,
                                    NULL), >, 0);
  }

  /* time windows are inclusive at both ends */
  created = int_member (sample, "createdAt");
  {
    g_autofree char *q = g_strdup_printf ("created_at_start=%" G_GINT64_FORMAT
                                          "&created_at_end=%" G_GINT64_FORMAT, created, created);
    g_autofree char *r = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, created,
                                          created);

    g_assert_cmpuint (check_filter (fixture, q, created_in, r, NULL, NULL), >=, 1);
  }
  {
    gint64 start = created - 200LL * 24 * 3600 * 1000;
    g_autofree char *q = g_strdup_printf ("created_at_start=%" G_GINT64_FORMAT
                                          "&created_at_end=%" G_GINT64_FORMAT, start, created);

    range = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, start, created);
    g_assert_cmpuint (check_filter (fixture, q, created_in, range, NULL, NULL), >, 1);
  }
  updated = int_member (sample, "updatedAt");
  {
    g_autofree char *q = g_strdup_printf ("updated_at_start=%" G_GINT64_FORMAT, updated);
    g_autofree char *r = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, updated,
                                          G_MAXINT64);

    g_assert_cmpuint (check_filter (fixture, q, updated_in, r, NULL, NULL), >=, 1);
  }
  {
    g_autofree char *q = g_strdup_printf ("updated_at_end=%" G_GINT64_FORMAT, updated);
    g_autofree char *r = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, G_MININT64,
                                          updated);

    g_assert_cmpuint (check_filter (fixture, q, updated_in, r, NULL, NULL), >=, 1);
  }

  /* filters combine: an intersection */
  {
    g_autofree char *path = g_strdup_printf ("/v1/opportunities?confidentiality=all&"
                                             "origin=applied&archived=false");
    g_autoptr(GPtrArray) records = sim_read_all (&fixture->sim, path, fixture->token, NULL);

    g_assert_cmpuint (records->len, >, 0);
    for (guint i = 0; i < records->len; i++)
      {
        g_assert_true (has_origin (g_ptr_array_index (records, i), "applied"));
        g_assert_true (is_archived (g_ptr_array_index (records, i), "false"));
      }
  }

  /* postings, users and requisitions filter too */
  {
    g_autoptr(GPtrArray) published = sim_read_all (&fixture->sim, "/v1/postings?state=published",
                                                   fixture->token, NULL);
    g_autoptr(GPtrArray) admins = sim_read_all (&fixture->sim, "/v1/users?access_role=admin",
                                                fixture->token, NULL);
    g_autoptr(GPtrArray) open = sim_read_all (&fixture->sim, "/v1/requisitions?status=open",
                                              fixture->token, NULL);
    g_autoptr(GPtrArray) hired = sim_read_all (&fixture->sim, "/v1/archive_reasons?type=hired",
                                               fixture->token, NULL);

    g_assert_cmpuint (published->len, >, 0);
    for (guint i = 0; i < published->len; i++)
      g_assert_cmpstr (member (g_ptr_array_index (published, i), "state"), ==, "published");
    g_assert_cmpuint (admins->len, ==, 3);
    for (guint i = 0; i < open->len; i++)
      g_assert_cmpstr (member (g_ptr_array_index (open, i), "status"), ==, "open");
    g_assert_cmpuint (hired->len, ==, 1);
  }

  /* bad values are refused, not ignored */
  assert_error (fixture, "GET", "/v1/opportunities?created_at_start=yesterday", fixture->token,
                NULL, 400, "BadRequest");
  assert_error (fixture, "GET", "/v1/opportunities?archived=maybe", fixture->token, NULL, 400,
                "BadRequest");
  assert_error (fixture, "GET", "/v1/opportunities?expand=everything", fixture->token, NULL, 400,
                "BadRequest");
  assert_error (fixture, "GET", "/v1/opportunities?confidentiality=some", fixture->token, NULL,
                400, "BadRequest");
  assert_error (fixture, "GET", "/v1/opportunities/deleted?deleted_at_start=0", fixture->token,
                NULL, 400, "BadRequest");
}

static void
test_pagination (ApiFixture    *fixture,
                 gconstpointer  data)
{
  g_autoptr(SimResponse) first = sim_get (&fixture->sim, "/v1/opportunities?limit=10&tag=Python",
                                          fixture->token);
  g_autoptr(JsonNode) page = sim_response_json (first);
  g_autofree char *next = g_strdup (member (page, "next"));
  g_autofree char *tampered = NULL;

  g_assert_true (json_object_get_boolean_member (json_node_get_object (page), "hasNext"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (page), "data")), ==, 10);

  {
    g_autofree char *ok = g_strdup_printf ("/v1/opportunities?limit=10&tag=Python&offset=%s",
                                           next);
    g_autoptr(SimResponse) response = sim_get (&fixture->sim, ok, fixture->token);

    g_assert_cmpuint (response->status, ==, 200);
  }

  /* one character changed */
  tampered = g_strdup (next);
  tampered[strlen (tampered) / 2] = tampered[strlen (tampered) / 2] == 'A' ? 'B' : 'A';
  {
    g_autofree char *path = g_strdup_printf ("/v1/opportunities?limit=10&tag=Python&offset=%s",
                                             tampered);
    g_autoptr(SimResponse) response = sim_get (&fixture->sim, path, fixture->token);
    g_autoptr(JsonNode) body = sim_response_json (response);

    g_assert_cmpuint (response->status, ==, 400);
    g_assert_cmpstr (member (body, "code"), ==, "BadRequest");
    g_assert_cmpstr (member (body, "message"), ==, "Invalid offset token");
  }
  /* a token of other filters, of another list, garbage */
  {
    const char *paths[] = {
      "/v1/opportunities?limit=10&tag=Rust&offset=",
      "/v1/opportunities?limit=10&offset=",
      "/v1/postings?limit=10&tag=Python&offset=",
      "/v1/opportunities?limit=10&tag=Python&confidentiality=all&offset=",
    };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autofree char *path = g_strconcat (paths[i], next, NULL);

        assert_error (fixture, "GET", path, fixture->token, NULL, 400, "BadRequest");
      }
    assert_error (fixture, "GET", "/v1/opportunities?offset=%5B1%2C2%5D", fixture->token, NULL,
                  400, "BadRequest");
  }
  /* the limit may change between pages, the expansion too */
  {
    g_autofree char *path = g_strdup_printf ("/v1/opportunities?limit=3&expand=stage&tag=Python"
                                             "&offset=%s", next);
    g_autoptr(SimResponse) response = sim_get (&fixture->sim, path, fixture->token);

    g_assert_cmpuint (response->status, ==, 200);
  }
  /* limit 1 to 100 */
  assert_error (fixture, "GET", "/v1/opportunities?limit=0", fixture->token, NULL, 400,
                "BadRequest");
  assert_error (fixture, "GET", "/v1/opportunities?limit=101", fixture->token, NULL, 400,
                "BadRequest");
  assert_error (fixture, "GET", "/v1/opportunities?limit=ten", fixture->token, NULL, 400,
                "BadRequest");

  /* a stale token */
  fulcrum_sim_server_advance_clock (fixture->sim.server, 25 * 3600);
  {
    g_autofree char *path = g_strdup_printf ("/v1/opportunities?limit=10&tag=Python&offset=%s",
                                             next);
    g_autoptr(JsonNode) tokens = NULL;
    g_autofree char *token = sim_access_token (&fixture->sim, sim_all_scopes ());

    assert_error (fixture, "GET", path, token, NULL, 400, "BadRequest");
  }
}

static void
test_pagination_with_writes (ApiFixture    *fixture,
                             gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *next = NULL;
  g_autofree char *create_path = g_strdup_printf ("/v1/opportunities?perform_as=%s",
                                                  fixture->user_id);
  guint n_created = 0;
  guint total = 0;

  /* records created while a client pages neither repeat nor shift the rest */
  do
    {
      g_autofree char *path = next ? g_strdup_printf ("/v1/opportunities?limit=50&offset=%s", next)
                                   : g_strdup ("/v1/opportunities?limit=50");
      g_autoptr(SimResponse) response = sim_get (&fixture->sim, path, fixture->token);
      g_autoptr(JsonNode) page = sim_response_json (response);
      JsonObject *object = json_node_get_object (page);
      JsonArray *records = json_object_get_array_member (object, "data");
      g_autoptr(SimResponse) created = NULL;

      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          const char *id = json_object_get_string_member (json_array_get_object_element (records,
                                                                                          i),
                                                          "id");

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
          total++;
        }
      g_clear_pointer (&next, g_free);
      if (json_object_get_boolean_member (object, "hasNext"))
        next = g_strdup (json_object_get_string_member (object, "next"));

      created = sim_request (&fixture->sim, "POST", create_path, fixture->token,
                             "application/json", "{\"name\": \"Late Arrival\"}");
      g_assert_cmpuint (created->status, ==, 201);
      n_created++;
    }
  while (next != NULL);

  {
    g_autoptr(GHashTable) expected = list_ids (fixture, fixture->sim.server->data->opportunities,
                                               FALSE);

    g_assert_cmpuint (total + n_created, ==, g_hash_table_size (expected));
  }
}

static void
test_expand (ApiFixture    *fixture,
             gconstpointer  data)
{
  g_autoptr(SimResponse) response = sim_get (&fixture->sim, "/v1/opportunities?limit=5&"
                                             "expand=stage&expand=owner,followers",
                                             fixture->token);
  g_autoptr(JsonNode) page = sim_response_json (response);
  JsonArray *records = json_object_get_array_member (json_node_get_object (page), "data");

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *opp = json_array_get_object_element (records, i);
      JsonObject *stage = json_object_get_object_member (opp, "stage");
      JsonObject *owner = json_object_get_object_member (opp, "owner");
      JsonArray *followers = json_object_get_array_member (opp, "followers");

      g_assert_nonnull (json_object_get_string_member (stage, "id"));
      g_assert_nonnull (json_object_get_string_member (stage, "text"));
      g_assert_nonnull (json_object_get_string_member (owner, "email"));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (followers, 0)));
      /* not expanded: still an id */
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (opp, "contact")));
    }

  /* one opportunity, with its contact */
  {
    JsonNode *any = g_ptr_array_index (fixture->all, 3);
    g_autofree char *path = g_strdup_printf ("/v1/opportunities/%s?expand=contact",
                                             member (any, "id"));
    g_autoptr(SimResponse) one = sim_get (&fixture->sim, path, fixture->token);
    g_autoptr(JsonNode) body = sim_response_json (one);
    JsonObject *opp = json_object_get_object_member (json_node_get_object (body), "data");

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (opp,
                                                                                   "contact"),
                                                    "id"), ==, member (any, "contact"));
  }
}

static void
test_scopes (ApiFixture    *fixture,
             gconstpointer  data)
{
  g_autofree char *narrow = sim_access_token (&fixture->sim, "offline_access users:read:admin "
                                              "opportunities:read:admin notes:write:admin");
  JsonNode *opp = g_ptr_array_index (fixture->all, 0);
  g_autofree char *notes = g_strdup_printf ("/v1/opportunities/%s/notes", member (opp, "id"));
  g_autofree char *offers = g_strdup_printf ("/v1/opportunities/%s/offers", member (opp, "id"));
  g_autofree char *stage = g_strdup_printf ("/v1/opportunities/%s/stage", member (opp, "id"));
  g_autoptr(SimResponse) users = sim_get (&fixture->sim, "/v1/users", narrow);
  g_autoptr(SimResponse) listed = sim_get (&fixture->sim, notes, narrow);
  g_autoptr(SimResponse) postings = sim_get (&fixture->sim, "/v1/postings", narrow);
  g_autoptr(JsonNode) body = NULL;

  g_assert_cmpuint (users->status, ==, 200);
  /* a write scope covers its read scope */
  g_assert_cmpuint (listed->status, ==, 200);

  g_assert_cmpuint (postings->status, ==, 403);
  body = sim_response_json (postings);
  g_assert_cmpstr (member (body, "code"), ==, "Forbidden");
  g_assert_nonnull (strstr (member (body, "message"), "postings:read:admin"));

  assert_error (fixture, "GET", offers, narrow, NULL, 403, "Forbidden");
  assert_error (fixture, "PUT", stage, narrow, "{\"stage\":\"lead-new\"}", 403, "Forbidden");
  assert_error (fixture, "GET", "/v1/requisitions", narrow, NULL, 403, "Forbidden");
  assert_error (fixture, "GET", "/v1/tags", narrow, NULL, 403, "Forbidden");

  /* confidential records need confidential:access:admin: they fail, not vanish */
  assert_error (fixture, "GET", "/v1/opportunities?confidentiality=all", narrow, NULL, 403,
                "Forbidden");
  for (guint i = 0; i <= fixture->all->len; i++)
    {
      JsonNode *record;
      g_autofree char *path = NULL;

      g_assert_cmpuint (i, <, fixture->all->len);
      record = g_ptr_array_index (fixture->all, i);
      if (g_strcmp0 (member (record, "confidentiality"), "confidential") != 0)
        continue;
      path = g_strdup_printf ("/v1/opportunities/%s", member (record, "id"));
      assert_error (fixture, "GET", path, narrow, NULL, 403, "Forbidden");
      {
        g_autoptr(SimResponse) ok = sim_get (&fixture->sim, path, fixture->token);

        g_assert_cmpuint (ok->status, ==, 200);
      }
      break;
    }
  {
    g_autoptr(GPtrArray) only = sim_read_all (&fixture->sim,
                                              "/v1/opportunities?confidentiality=confidential",
                                              fixture->token, NULL);

    g_assert_cmpuint (only->len, >, 0);
    for (guint i = 0; i < only->len; i++)
      g_assert_cmpstr (member (g_ptr_array_index (only, i), "confidentiality"), ==,
                       "confidential");
  }
}

static void
test_errors (ApiFixture    *fixture,
             gconstpointer  data)
{
  g_autoptr(SimResponse) anonymous = sim_get (&fixture->sim, "/v1/opportunities", NULL);

  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_nonnull (soup_message_headers_get_one (anonymous->headers, "WWW-Authenticate"));

  assert_error (fixture, "GET", "/v1/candidates", fixture->token, NULL, 404, "ResourceNotFound");
  assert_error (fixture, "GET", "/v1/opportunities/no-such-id", fixture->token, NULL, 404,
                "ResourceNotFound");
  assert_error (fixture, "GET", "/v1/opportunities/no-such-id/notes", fixture->token, NULL, 404,
                "ResourceNotFound");
  assert_error (fixture, "GET", "/v1/users/no-such-id", fixture->token, NULL, 404,
                "ResourceNotFound");
  assert_error (fixture, "DELETE", "/v1/opportunities", fixture->token, NULL, 405,
                "MethodNotAllowed");
  assert_error (fixture, "POST", "/v1/users", fixture->token, "{}", 405, "MethodNotAllowed");
  assert_error (fixture, "GET", "/v1/opportunities", "not-a-token", NULL, 401, "Unauthorized");

  /* the same seed gives the same data, another seed other data */
  {
    SimFixture twin = { 0 };
    g_autofree char *token = NULL;
    g_autoptr(GPtrArray) records = NULL;

    sim_fixture_setup (&twin, N_OPPORTUNITIES);
    token = sim_access_token (&twin, sim_all_scopes ());
    records = sim_read_all (&twin, "/v1/opportunities?confidentiality=all&expand=applications",
                            token, NULL);
    g_assert_cmpuint (records->len, ==, fixture->all->len);
    for (guint i = 0; i < records->len; i++)
      g_assert_true (json_node_equal (g_ptr_array_index (records, i),
                                      g_ptr_array_index (fixture->all, i)));
    sim_fixture_teardown (&twin);
  }
  {
    SimFixture other = { 0 };
    g_autofree char *token = NULL;
    g_autoptr(GPtrArray) records = NULL;

    sim_fixture_setup (&other, N_OPPORTUNITIES);
    fulcrum_sim_server_set_seed (other.server, 43);
    token = sim_access_token (&other, sim_all_scopes ());
    records = sim_read_all (&other, "/v1/opportunities?limit=5", token, NULL);
    g_assert_cmpstr (member (g_ptr_array_index (records, 0), "id"), !=,
                     member (g_ptr_array_index (fixture->all, 0), "id"));
    sim_fixture_teardown (&other);
  }
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, ApiFixture, NULL, setup, func, teardown)
  ADD ("/sim/api/full-read", test_full_read);
  ADD ("/sim/api/filters", test_filters);
  ADD ("/sim/api/pagination", test_pagination);
  ADD ("/sim/api/pagination-with-writes", test_pagination_with_writes);
  ADD ("/sim/api/expand", test_expand);
  ADD ("/sim/api/scopes", test_scopes);
  ADD ("/sim/api/errors", test_errors);
#undef ADD

  return g_test_run ();
}
