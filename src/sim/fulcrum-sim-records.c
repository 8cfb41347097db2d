/* fulcrum-sim-records.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-sim-data.h"
#include "fulcrum-sim-json.h"

#define HIRE_URL "https://hire.simulator.invalid"

void
fulcrum_sim_user_serialize (FulcrumSimUser *user)
{
  GString *out = g_string_sized_new (384);
  FulcrumSimJson json;
  g_autofree char *photo = NULL;

  photo = g_strdup_printf (HIRE_URL "/avatars/%s.png", user->parent.id);
  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", user->parent.id);
  fulcrum_sim_json_member_string (&json, "name", user->name);
  fulcrum_sim_json_member_string (&json, "username", user->username);
  fulcrum_sim_json_member_string (&json, "email", user->email);
  fulcrum_sim_json_member_string (&json, "accessRole", user->access_role);
  fulcrum_sim_json_member_string (&json, "photo", photo);
  fulcrum_sim_json_member_time (&json, "createdAt", user->parent.created_at);
  fulcrum_sim_json_member_time (&json, "deactivatedAt", user->deactivated_at);
  fulcrum_sim_json_member_string (&json, "externalDirectoryId", NULL);
  fulcrum_sim_json_member_strv (&json, "linkedContactIds", NULL);
  fulcrum_sim_json_member_string (&json, "jobTitle", user->job_title);
  fulcrum_sim_json_member_string (&json, "managerId", user->manager_id);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_record_set_json (&user->parent, out);
}

void
fulcrum_sim_lookup_serialize (FulcrumSimLookup *lookup,
                              gboolean          is_reason)
{
  GString *out = g_string_sized_new (96);
  FulcrumSimJson json;

  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", lookup->parent.id);
  fulcrum_sim_json_member_string (&json, "text", lookup->text);
  if (is_reason)
    {
      fulcrum_sim_json_member_string (&json, "status", "active");
      fulcrum_sim_json_member_string (&json, "type", lookup->type);
    }
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_record_set_json (&lookup->parent, out);
}

void
fulcrum_sim_posting_serialize (FulcrumSimPosting *posting)
{
  GString *out = g_string_sized_new (2048);
  FulcrumSimJson json;
  g_autofree char *description = NULL;
  g_autofree char *description_html = NULL;
  g_autofree char *show = NULL;
  g_autofree char *apply = NULL;

  description = g_strdup_printf ("As a %s on the %s team you will help us build robots that "
                                 "people trust. You will work with a small, senior group "
                                 "across %s.", posting->text, posting->team,
                                 posting->department);
  description_html = g_strdup_printf ("<div>%s</div>", description);
  show = g_strdup_printf ("https://jobs.simulator.invalid/acme/%s", posting->parent.id);
  apply = g_strdup_printf ("%s/apply", show);

  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", posting->parent.id);
  fulcrum_sim_json_member_string (&json, "text", posting->text);
  fulcrum_sim_json_member_string (&json, "state", posting->state);
  fulcrum_sim_json_member_strv (&json, "distributionChannels", posting->channels);
  fulcrum_sim_json_member_string (&json, "user", posting->user);
  fulcrum_sim_json_member_string (&json, "owner", posting->owner);
  fulcrum_sim_json_member_string (&json, "hiringManager", posting->hiring_manager);
  fulcrum_sim_json_key (&json, "categories");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "commitment", posting->commitment);
  fulcrum_sim_json_member_string (&json, "department", posting->department);
  fulcrum_sim_json_member_string (&json, "level", posting->level);
  fulcrum_sim_json_member_string (&json, "location", posting->location);
  fulcrum_sim_json_member_string (&json, "team", posting->team);
  fulcrum_sim_json_key (&json, "allLocations");
  fulcrum_sim_json_begin_array (&json);
  fulcrum_sim_json_string (&json, posting->location);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_member_strv (&json, "tags", posting->tags);
  fulcrum_sim_json_key (&json, "content");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "description", description);
  fulcrum_sim_json_member_string (&json, "descriptionHtml", description_html);
  fulcrum_sim_json_key (&json, "lists");
  fulcrum_sim_json_begin_array (&json);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "text", "What you will do");
  fulcrum_sim_json_member_string (&json, "content",
                                  "<li>Ship features</li><li>Review designs</li>");
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_member_string (&json, "closing", "We hire for potential.");
  fulcrum_sim_json_member_string (&json, "closingHtml", "<div>We hire for potential.</div>");
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_member_string (&json, "country", posting->country);
  fulcrum_sim_json_member_strv (&json, "followers", posting->followers);
  fulcrum_sim_json_member_string (&json, "reqCode", posting->req_code);
  fulcrum_sim_json_key (&json, "urls");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "list", "https://jobs.simulator.invalid/acme");
  fulcrum_sim_json_member_string (&json, "show", show);
  fulcrum_sim_json_member_string (&json, "apply", apply);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_member_string (&json, "confidentiality",
                                  posting->parent.confidential ? "confidential"
                                                               : "non-confidential");
  fulcrum_sim_json_member_time (&json, "createdAt", posting->parent.created_at);
  fulcrum_sim_json_member_time (&json, "updatedAt", posting->parent.updated_at);
  fulcrum_sim_json_member_string (&json, "workplaceType", posting->workplace_type);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_record_set_json (&posting->parent, out);
}

void
fulcrum_sim_requisition_serialize (FulcrumSimRequisition *req)
{
  GString *out = g_string_sized_new (1024);
  FulcrumSimJson json;

  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", req->parent.id);
  fulcrum_sim_json_member_string (&json, "requisitionCode", req->code);
  fulcrum_sim_json_member_string (&json, "name", req->name);
  fulcrum_sim_json_member_bool (&json, "backfill", req->backfill);
  fulcrum_sim_json_member_string (&json, "confidentiality",
                                  req->parent.confidential ? "confidential" : "non-confidential");
  fulcrum_sim_json_member_time (&json, "createdAt", req->parent.created_at);
  fulcrum_sim_json_member_time (&json, "updatedAt", req->parent.updated_at);
  fulcrum_sim_json_member_string (&json, "creator", req->creator);
  fulcrum_sim_json_member_int (&json, "headcountHired", req->headcount_hired);
  fulcrum_sim_json_member_bool (&json, "headcountInfinite", FALSE);
  fulcrum_sim_json_member_int (&json, "headcountTotalAllotted", req->headcount_total);
  fulcrum_sim_json_member_string (&json, "hiringManager", req->hiring_manager);
  fulcrum_sim_json_member_string (&json, "owner", req->owner);
  fulcrum_sim_json_member_string (&json, "internalNotes", "");
  fulcrum_sim_json_member_string (&json, "location", req->location);
  fulcrum_sim_json_member_string (&json, "status", req->status);
  fulcrum_sim_json_member_string (&json, "team", req->team);
  fulcrum_sim_json_member_string (&json, "department", req->department);
  fulcrum_sim_json_member_strv (&json, "offerIds", NULL);
  fulcrum_sim_json_member_strv (&json, "postings", req->postings);
  fulcrum_sim_json_key (&json, "compensationBand");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "currency", "USD");
  fulcrum_sim_json_member_string (&json, "interval", "per-year-salary");
  fulcrum_sim_json_member_int (&json, "min", 90000);
  fulcrum_sim_json_member_int (&json, "max", 160000);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_member_string (&json, "employmentStatus", req->employment_status);
  fulcrum_sim_json_member_string (&json, "approval", NULL);
  fulcrum_sim_json_key (&json, "customFields");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_member_time (&json, "timeToFillStartAt", req->parent.created_at);
  fulcrum_sim_json_member_time (&json, "timeToFillEndAt", 0);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_record_set_json (&req->parent, out);
}

void
fulcrum_sim_application_serialize (FulcrumSimApplication *app,
                                   FulcrumSimData        *data)
{
  FulcrumSimOpportunity *opp = fulcrum_sim_list_lookup (data->opportunities, app->opportunity_id);
  FulcrumSimPosting *posting = fulcrum_sim_list_lookup (data->postings, app->posting_id);
  GString *out = g_string_sized_new (768);
  FulcrumSimJson json;

  g_assert (opp != NULL);

  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", app->parent.id);
  fulcrum_sim_json_member_string (&json, "opportunityId", app->opportunity_id);
  fulcrum_sim_json_member_string (&json, "candidateId", opp->contact);
  fulcrum_sim_json_member_time (&json, "createdAt", app->parent.created_at);
  fulcrum_sim_json_member_string (&json, "type", app->type);
  fulcrum_sim_json_member_string (&json, "posting", app->posting_id);
  fulcrum_sim_json_member_string (&json, "postingHiringManager",
                                  posting != NULL ? posting->hiring_manager : NULL);
  fulcrum_sim_json_member_string (&json, "postingOwner",
                                  posting != NULL ? posting->owner : NULL);
  fulcrum_sim_json_member_string (&json, "user", app->user);
  fulcrum_sim_json_member_string (&json, "name", opp->name);
  fulcrum_sim_json_member_string (&json, "email",
                                  opp->emails->len > 0 ? g_ptr_array_index (opp->emails, 0)
                                                       : NULL);
  fulcrum_sim_json_key (&json, "phone");
  if (opp->phones->len > 0)
    {
      const char *phone = g_ptr_array_index (opp->phones, 0);
      const char *nl = strchr (phone, '\n');
      g_autofree char *type = g_strndup (phone, nl - phone);

      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "type", type);
      fulcrum_sim_json_member_string (&json, "value", nl + 1);
      fulcrum_sim_json_end_object (&json);
    }
  else
    fulcrum_sim_json_null (&json);
  fulcrum_sim_json_member_string (&json, "company", NULL);
  fulcrum_sim_json_member_strv (&json, "links", opp->links);
  fulcrum_sim_json_member_string (&json, "comments", NULL);
  fulcrum_sim_json_key (&json, "customQuestions");
  fulcrum_sim_json_begin_array (&json);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_key (&json, "archived");
  if (opp->archive_reason != NULL)
    {
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "reason", opp->archive_reason);
      fulcrum_sim_json_member_time (&json, "archivedAt", opp->archived_at);
      fulcrum_sim_json_end_object (&json);
    }
  else
    fulcrum_sim_json_null (&json);
  fulcrum_sim_json_member_string (&json, "requisitionForHire", NULL);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_record_set_json (&app->parent, out);
}

static void
write_user_ref (FulcrumSimJson *json,
                FulcrumSimData *data,
                const char     *user_id,
                gboolean        expand)
{
  FulcrumSimRecord *user;

  if (user_id == NULL)
    fulcrum_sim_json_null (json);
  else if (expand && (user = fulcrum_sim_list_lookup (data->users, user_id)) != NULL)
    fulcrum_sim_json_raw (json, user->json, user->json_len);
  else
    fulcrum_sim_json_string (json, user_id);
}

static void
write_phones (FulcrumSimJson *json,
              GPtrArray      *phones)
{
  fulcrum_sim_json_key (json, "phones");
  fulcrum_sim_json_begin_array (json);
  for (guint i = 0; i < phones->len; i++)
    {
      const char *phone = g_ptr_array_index (phones, i);
      const char *nl = strchr (phone, '\n');
      g_autofree char *type = g_strndup (phone, nl - phone);

      fulcrum_sim_json_begin_object (json);
      fulcrum_sim_json_member_string (json, "type", type);
      fulcrum_sim_json_member_string (json, "value", nl + 1);
      fulcrum_sim_json_end_object (json);
    }
  fulcrum_sim_json_end_array (json);
}

void
fulcrum_sim_contact_write (FulcrumSimOpportunity *opp,
                           FulcrumSimJson        *json)
{
  fulcrum_sim_json_begin_object (json);
  fulcrum_sim_json_member_string (json, "id", opp->contact);
  fulcrum_sim_json_member_string (json, "name", opp->name);
  fulcrum_sim_json_member_string (json, "headline", opp->headline);
  fulcrum_sim_json_member_bool (json, "isAnonymized", FALSE);
  fulcrum_sim_json_member_strv (json, "emails", opp->emails);
  write_phones (json, opp->phones);
  fulcrum_sim_json_key (json, "location");
  fulcrum_sim_json_begin_object (json);
  fulcrum_sim_json_member_string (json, "name", opp->location);
  fulcrum_sim_json_end_object (json);
  fulcrum_sim_json_end_object (json);
}

void
fulcrum_sim_opportunity_write (FulcrumSimOpportunity *opp,
                               FulcrumSimData        *data,
                               guint                  expand,
                               GString               *out)
{
  FulcrumSimList *applications = opp->children[FULCRUM_SIM_CHILD_APPLICATIONS];
  FulcrumSimJson json;
  char show[128];

  g_snprintf (show, sizeof show, HIRE_URL "/candidates/%s", opp->parent.id);

  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", opp->parent.id);
  fulcrum_sim_json_member_string (&json, "name", opp->name);
  fulcrum_sim_json_member_string (&json, "headline", opp->headline);
  fulcrum_sim_json_key (&json, "contact");
  if (expand & FULCRUM_SIM_EXPAND_CONTACT)
    fulcrum_sim_contact_write (opp, &json);
  else
    fulcrum_sim_json_string (&json, opp->contact);
  fulcrum_sim_json_member_strv (&json, "emails", opp->emails);
  write_phones (&json, opp->phones);
  fulcrum_sim_json_member_string (&json, "confidentiality",
                                  opp->parent.confidential ? "confidential" : "non-confidential");
  fulcrum_sim_json_member_string (&json, "location", opp->location);
  fulcrum_sim_json_member_strv (&json, "links", opp->links);
  fulcrum_sim_json_key (&json, "archived");
  if (opp->archive_reason != NULL)
    {
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "reason", opp->archive_reason);
      fulcrum_sim_json_member_time (&json, "archivedAt", opp->archived_at);
      fulcrum_sim_json_end_object (&json);
    }
  else
    fulcrum_sim_json_null (&json);
  fulcrum_sim_json_member_time (&json, "createdAt", opp->parent.created_at);
  fulcrum_sim_json_member_time (&json, "updatedAt", opp->parent.updated_at);
  fulcrum_sim_json_member_time (&json, "lastInteractionAt", opp->last_interaction_at);
  fulcrum_sim_json_member_time (&json, "lastAdvancedAt", opp->last_advanced_at);
  fulcrum_sim_json_member_time (&json, "snoozedUntil", 0);
  fulcrum_sim_json_key (&json, "stage");
  if (expand & FULCRUM_SIM_EXPAND_STAGE)
    {
      FulcrumSimRecord *stage = fulcrum_sim_list_lookup (data->stages, opp->stage);

      g_assert (stage != NULL);
      fulcrum_sim_json_raw (&json, stage->json, stage->json_len);
    }
  else
    fulcrum_sim_json_string (&json, opp->stage);
  fulcrum_sim_json_key (&json, "stageChanges");
  fulcrum_sim_json_begin_array (&json);
  for (guint i = 0; i < opp->stage_changes->len; i++)
    {
      FulcrumSimStageChange *change = g_ptr_array_index (opp->stage_changes, i);

      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "toStageId", change->to_stage);
      fulcrum_sim_json_member_int (&json, "toStageIndex", i);
      fulcrum_sim_json_member_time (&json, "updatedAt", change->at);
      fulcrum_sim_json_member_string (&json, "userId", change->user);
      fulcrum_sim_json_end_object (&json);
    }
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_key (&json, "owner");
  write_user_ref (&json, data, opp->owner, expand & FULCRUM_SIM_EXPAND_OWNER);
  fulcrum_sim_json_member_strv (&json, "tags", opp->tags);
  fulcrum_sim_json_member_strv (&json, "sources", opp->sources);
  fulcrum_sim_json_member_string (&json, "origin", opp->origin);
  fulcrum_sim_json_key (&json, "sourcedBy");
  write_user_ref (&json, data, opp->sourced_by, expand & FULCRUM_SIM_EXPAND_SOURCED_BY);
  fulcrum_sim_json_key (&json, "applications");
  fulcrum_sim_json_begin_array (&json);
  for (guint i = 0; i < applications->items->len; i++)
    {
      FulcrumSimRecord *app = g_ptr_array_index (applications->items, i);

      if (expand & FULCRUM_SIM_EXPAND_APPLICATIONS)
        fulcrum_sim_json_raw (&json, app->json, app->json_len);
      else
        fulcrum_sim_json_string (&json, app->id);
    }
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_key (&json, "followers");
  fulcrum_sim_json_begin_array (&json);
  for (guint i = 0; i < opp->followers->len; i++)
    write_user_ref (&json, data, g_ptr_array_index (opp->followers, i),
                    expand & FULCRUM_SIM_EXPAND_FOLLOWERS);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_key (&json, "urls");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "list", HIRE_URL "/candidates");
  fulcrum_sim_json_member_string (&json, "show", show);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_member_string (&json, "dataProtection", NULL);
  fulcrum_sim_json_member_bool (&json, "isAnonymized", FALSE);
  fulcrum_sim_json_end_object (&json);
}

void
fulcrum_sim_opportunity_serialize (FulcrumSimOpportunity *opp,
                                   FulcrumSimData        *data)
{
  GString *out = g_string_sized_new (1536);

  fulcrum_sim_opportunity_write (opp, data, 0, out);
  fulcrum_sim_record_set_json (&opp->parent, out);
}

FulcrumSimRecord *
fulcrum_sim_note_new (const char *id,
                      const char *text,
                      const char *user,
                      gboolean    secret,
                      int         score,
                      gint64      created_at)
{
  FulcrumSimRecord *note = g_new0 (FulcrumSimRecord, 1);
  GString *out = g_string_sized_new (384);
  FulcrumSimJson json;

  note->id = g_strdup (id);
  note->sort_at = note->created_at = created_at;

  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", id);
  fulcrum_sim_json_member_string (&json, "text", text);
  fulcrum_sim_json_key (&json, "fields");
  fulcrum_sim_json_begin_array (&json);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "type", "note");
  fulcrum_sim_json_member_string (&json, "text", "note");
  fulcrum_sim_json_member_string (&json, "value", text);
  fulcrum_sim_json_end_object (&json);
  if (score > 0)
    {
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "type", "score");
      fulcrum_sim_json_member_string (&json, "text", "Rating");
      fulcrum_sim_json_member_int (&json, "value", score);
      fulcrum_sim_json_end_object (&json);
    }
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_member_string (&json, "user", user);
  fulcrum_sim_json_member_bool (&json, "secret", secret);
  fulcrum_sim_json_member_time (&json, "completedAt", created_at);
  fulcrum_sim_json_member_time (&json, "createdAt", created_at);
  fulcrum_sim_json_member_time (&json, "deletedAt", 0);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_record_set_json (note, out);
  return note;
}
