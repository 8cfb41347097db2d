/* fulcrum-sim-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-sim-data.h"
#include "fulcrum-sim-json.h"

static const struct {
  const char *path;
  const char *scope;
} child_kinds[FULCRUM_SIM_N_CHILDREN] = {
  [FULCRUM_SIM_CHILD_APPLICATIONS] = { "applications", "applications:read:admin" },
  [FULCRUM_SIM_CHILD_NOTES]        = { "notes", "notes:read:admin" },
  [FULCRUM_SIM_CHILD_INTERVIEWS]   = { "interviews", "interviews:read:admin" },
  [FULCRUM_SIM_CHILD_FEEDBACK]     = { "feedback", "feedback:read:admin" },
  [FULCRUM_SIM_CHILD_OFFERS]       = { "offers", "offers:read:admin" },
  [FULCRUM_SIM_CHILD_PANELS]       = { "panels", "panels:read:admin" },
  [FULCRUM_SIM_CHILD_REFERRALS]    = { "referrals", "referrals:read:admin" },
  [FULCRUM_SIM_CHILD_RESUMES]      = { "resumes", "resumes:read:admin" },
  [FULCRUM_SIM_CHILD_FILES]        = { "files", "files:read:admin" },
};

const char *
fulcrum_sim_child_kind_to_path (FulcrumSimChildKind kind)
{
  g_assert (kind < FULCRUM_SIM_N_CHILDREN);
  return child_kinds[kind].path;
}

const char *
fulcrum_sim_child_kind_scope (FulcrumSimChildKind kind)
{
  g_assert (kind < FULCRUM_SIM_N_CHILDREN);
  return child_kinds[kind].scope;
}

gboolean
fulcrum_sim_child_kind_from_path (const char          *path,
                                  FulcrumSimChildKind *kind)
{
  for (guint i = 0; i < FULCRUM_SIM_N_CHILDREN; i++)
    {
      if (strcmp (path, child_kinds[i].path) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

char *
fulcrum_sim_data_new_id (void)
{
  return g_uuid_string_random ();
}

/* Lists */

int
fulcrum_sim_record_compare (const FulcrumSimRecord *a,
                            const FulcrumSimRecord *b)
{
  if (a->sort_at != b->sort_at)
    return a->sort_at > b->sort_at ? -1 : 1;
  return strcmp (a->id, b->id);
}

static int
record_compare_indirect (gconstpointer a,
                         gconstpointer b)
{
  return fulcrum_sim_record_compare (*(FulcrumSimRecord * const *) a,
                                     *(FulcrumSimRecord * const *) b);
}

FulcrumSimList *
fulcrum_sim_list_new (gboolean       indexed,
                      GDestroyNotify free_func)
{
  FulcrumSimList *list = g_new0 (FulcrumSimList, 1);

  list->items = g_ptr_array_new_with_free_func (free_func);
  if (indexed)
    list->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  return list;
}

void
fulcrum_sim_list_free (FulcrumSimList *list)
{
  if (list == NULL)
    return;
  g_clear_pointer (&list->by_id, g_hash_table_unref);
  g_ptr_array_unref (list->items);
  g_free (list);
}

guint
fulcrum_sim_list_position_after (FulcrumSimList *list,
                                 gint64          sort_at,
                                 const char     *id)
{
  FulcrumSimRecord key = { .id = (char *) id, .sort_at = sort_at };
  guint lo = 0;
  guint hi = list->items->len;

  if (id == NULL)
    return 0;

  /* first index whose record compares greater than the key */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (fulcrum_sim_record_compare (g_ptr_array_index (list->items, mid), &key) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
fulcrum_sim_list_insert (FulcrumSimList *list,
                         gpointer        record)
{
  FulcrumSimRecord *rec = record;
  guint pos = fulcrum_sim_list_position_after (list, rec->sort_at, rec->id);

  g_ptr_array_insert (list->items, pos, record);
  if (list->by_id != NULL)
    g_hash_table_insert (list->by_id, rec->id, rec);
}

void
fulcrum_sim_list_sort (FulcrumSimList *list)
{
  g_ptr_array_sort (list->items, record_compare_indirect);
  if (list->by_id != NULL)
    {
      g_hash_table_remove_all (list->by_id);
      for (guint i = 0; i < list->items->len; i++)
        {
          FulcrumSimRecord *rec = g_ptr_array_index (list->items, i);

          g_hash_table_insert (list->by_id, rec->id, rec);
        }
    }
}

gpointer
fulcrum_sim_list_lookup (FulcrumSimList *list,
                         const char     *id)
{
  if (id == NULL)
    return NULL;
  if (list->by_id != NULL)
    return g_hash_table_lookup (list->by_id, id);

  for (guint i = 0; i < list->items->len; i++)
    {
      FulcrumSimRecord *rec = g_ptr_array_index (list->items, i);

      if (strcmp (rec->id, id) == 0)
        return rec;
    }
  return NULL;
}

/* Records */

void
fulcrum_sim_record_clear (FulcrumSimRecord *record)
{
  g_clear_pointer (&record->id, g_free);
  g_clear_pointer (&record->json, g_free);
  record->json_len = 0;
}

void
fulcrum_sim_record_set_json (FulcrumSimRecord *record,
                             GString          *json)
{
  g_free (record->json);
  record->json_len = json->len;
  record->json = g_string_free (json, FALSE);
}

void
fulcrum_sim_record_free_plain (gpointer record)
{
  fulcrum_sim_record_clear (record);
  g_free (record);
}

void
fulcrum_sim_user_free (gpointer record)
{
  FulcrumSimUser *user = record;

  fulcrum_sim_record_clear (&user->parent);
  g_free (user->name);
  g_free (user->username);
  g_free (user->email);
  g_free (user->access_role);
  g_free (user->job_title);
  g_free (user->manager_id);
  g_free (user);
}

void
fulcrum_sim_lookup_free (gpointer record)
{
  FulcrumSimLookup *lookup = record;

  fulcrum_sim_record_clear (&lookup->parent);
  g_free (lookup->text);
  g_free (lookup->type);
  g_free (lookup);
}

void
fulcrum_sim_posting_free (gpointer record)
{
  FulcrumSimPosting *posting = record;

  fulcrum_sim_record_clear (&posting->parent);
  g_free (posting->text);
  g_free (posting->state);
  g_free (posting->user);
  g_free (posting->owner);
  g_free (posting->hiring_manager);
  g_free (posting->commitment);
  g_free (posting->department);
  g_free (posting->level);
  g_free (posting->location);
  g_free (posting->team);
  g_free (posting->country);
  g_free (posting->workplace_type);
  g_free (posting->req_code);
  g_clear_pointer (&posting->tags, g_ptr_array_unref);
  g_clear_pointer (&posting->followers, g_ptr_array_unref);
  g_clear_pointer (&posting->channels, g_ptr_array_unref);
  g_free (posting);
}

void
fulcrum_sim_requisition_free (gpointer record)
{
  FulcrumSimRequisition *req = record;

  fulcrum_sim_record_clear (&req->parent);
  g_free (req->code);
  g_free (req->name);
  g_free (req->status);
  g_free (req->creator);
  g_free (req->owner);
  g_free (req->hiring_manager);
  g_free (req->location);
  g_free (req->team);
  g_free (req->department);
  g_free (req->employment_status);
  g_clear_pointer (&req->postings, g_ptr_array_unref);
  g_free (req);
}

void
fulcrum_sim_application_free (gpointer record)
{
  FulcrumSimApplication *app = record;

  fulcrum_sim_record_clear (&app->parent);
  g_free (app->opportunity_id);
  g_free (app->posting_id);
  g_free (app->type);
  g_free (app->user);
  g_free (app);
}

void
fulcrum_sim_audit_event_free (gpointer record)
{
  FulcrumSimAuditEvent *event = record;

  fulcrum_sim_record_clear (&event->parent);
  g_free (event->type);
  g_free (event->user);
  g_free (event);
}

void
fulcrum_sim_stage_change_free (gpointer data)
{
  FulcrumSimStageChange *change = data;

  g_free (change->to_stage);
  g_free (change->user);
  g_free (change);
}

void
fulcrum_sim_opportunity_free (gpointer record)
{
  FulcrumSimOpportunity *opp = record;

  fulcrum_sim_record_clear (&opp->parent);
  g_free (opp->name);
  g_free (opp->headline);
  g_free (opp->contact);
  g_free (opp->location);
  g_free (opp->origin);
  g_free (opp->stage);
  g_free (opp->owner);
  g_free (opp->sourced_by);
  g_free (opp->archive_reason);
  g_clear_pointer (&opp->emails, g_ptr_array_unref);
  g_clear_pointer (&opp->phones, g_ptr_array_unref);
  g_clear_pointer (&opp->links, g_ptr_array_unref);
  g_clear_pointer (&opp->tags, g_ptr_array_unref);
  g_clear_pointer (&opp->sources, g_ptr_array_unref);
  g_clear_pointer (&opp->followers, g_ptr_array_unref);
  g_clear_pointer (&opp->stage_changes, g_ptr_array_unref);
  for (guint i = 0; i < FULCRUM_SIM_N_CHILDREN; i++)
    g_clear_pointer (&opp->children[i], fulcrum_sim_list_free);
  g_free (opp);
}

/* Data set */

FulcrumSimData *
fulcrum_sim_data_new (guint64 seed,
                      guint   n_opportunities,
                      gint64  anchor_ms)
{
  FulcrumSimData *data = g_new0 (FulcrumSimData, 1);

  data->seed = seed;
  data->n_opportunities = n_opportunities;
  data->anchor_ms = anchor_ms;
  data->users = fulcrum_sim_list_new (TRUE, fulcrum_sim_user_free);
  data->stages = fulcrum_sim_list_new (TRUE, fulcrum_sim_lookup_free);
  data->archive_reasons = fulcrum_sim_list_new (TRUE, fulcrum_sim_lookup_free);
  data->postings = fulcrum_sim_list_new (TRUE, fulcrum_sim_posting_free);
  data->requisitions = fulcrum_sim_list_new (TRUE, fulcrum_sim_requisition_free);
  data->opportunities = fulcrum_sim_list_new (TRUE, fulcrum_sim_opportunity_free);
  data->deleted_opportunities = fulcrum_sim_list_new (TRUE, fulcrum_sim_record_free_plain);
  data->deleted_postings = fulcrum_sim_list_new (TRUE, fulcrum_sim_record_free_plain);
  data->tags = fulcrum_sim_list_new (FALSE, fulcrum_sim_lookup_free);
  data->sources = fulcrum_sim_list_new (FALSE, fulcrum_sim_lookup_free);
  data->requisition_fields = fulcrum_sim_list_new (TRUE, fulcrum_sim_record_free_plain);
  data->feedback_templates = fulcrum_sim_list_new (TRUE, fulcrum_sim_record_free_plain);
  data->webhooks = fulcrum_sim_list_new (TRUE, fulcrum_sim_record_free_plain);
  data->audit_events = fulcrum_sim_list_new (TRUE, fulcrum_sim_audit_event_free);
  data->eeo_responses = fulcrum_sim_list_new (TRUE, fulcrum_sim_record_free_plain);
  data->contacts_by_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  data->counts_stale = TRUE;
  return data;
}

void
fulcrum_sim_data_free (FulcrumSimData *data)
{
  if (data == NULL)
    return;
  fulcrum_sim_list_free (data->users);
  fulcrum_sim_list_free (data->stages);
  fulcrum_sim_list_free (data->archive_reasons);
  fulcrum_sim_list_free (data->postings);
  fulcrum_sim_list_free (data->requisitions);
  fulcrum_sim_list_free (data->opportunities);
  fulcrum_sim_list_free (data->deleted_opportunities);
  fulcrum_sim_list_free (data->deleted_postings);
  fulcrum_sim_list_free (data->tags);
  fulcrum_sim_list_free (data->sources);
  fulcrum_sim_list_free (data->requisition_fields);
  fulcrum_sim_list_free (data->feedback_templates);
  fulcrum_sim_list_free (data->webhooks);
  fulcrum_sim_list_free (data->audit_events);
  fulcrum_sim_list_free (data->eeo_responses);
  g_hash_table_unref (data->contacts_by_email);
  g_free (data);
}

static void
count_into (GHashTable *counts,
            GPtrArray  *values)
{
  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      const char *text = g_ptr_array_index (values, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, text));

      g_hash_table_insert (counts, (gpointer) text, GUINT_TO_POINTER (n + 1));
    }
}

static void
rebuild_counts (FulcrumSimList *list,
                GHashTable     *counts)
{
  GHashTableIter iter;
  gpointer key, value;

  g_ptr_array_set_size (list->items, 0);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FulcrumSimLookup *lookup = g_new0 (FulcrumSimLookup, 1);
      FulcrumSimJson json;
      GString *out = g_string_new (NULL);

      lookup->parent.id = g_strdup (key);
      lookup->text = g_strdup (key);
      fulcrum_sim_json_init (&json, out);
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "text", key);
      fulcrum_sim_json_member_int (&json, "count", GPOINTER_TO_UINT (value));
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_record_set_json (&lookup->parent, out);
      g_ptr_array_add (list->items, lookup);
    }
  fulcrum_sim_list_sort (list);
}

void
fulcrum_sim_data_refresh_counts (FulcrumSimData *data)
{
  g_autoptr(GHashTable) tags = NULL;
  g_autoptr(GHashTable) sources = NULL;

  if (!data->counts_stale)
    return;

  tags = g_hash_table_new (g_str_hash, g_str_equal);
  sources = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < data->opportunities->items->len; i++)
    {
      FulcrumSimOpportunity *opp = g_ptr_array_index (data->opportunities->items, i);

      count_into (tags, opp->tags);
      count_into (sources, opp->sources);
    }
  rebuild_counts (data->tags, tags);
  rebuild_counts (data->sources, sources);
  data->counts_stale = FALSE;
}
