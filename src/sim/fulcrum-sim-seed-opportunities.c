/* fulcrum-sim-seed-opportunities.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-sim-data.h"
#include "fulcrum-sim-json.h"
#include "fulcrum-sim-seed-private.h"

#define HOUR FULCRUM_SIM_HOUR
#define DAY  FULCRUM_SIM_DAY
#define YEAR FULCRUM_SIM_YEAR

static const char * const note_texts[] = {
  "Strong systems background; ask about the motion planning project.",
  "Prefers hybrid, can start in six weeks.",
  "Great conversation. Moving to the technical screen.",
  "Compensation expectations above band; flagged to the hiring manager.",
  "Referred by a former colleague, very positive reference.",
  "Left a voicemail, will try again on Thursday.",
  "Candidate asked about the visa process.",
  "Portfolio reviewed: clean work, good \"documentation\" habits.",
  "Needs a follow-up about the relocation package.",
  "Not a fit for this role but keep in mind for the perception team.",
};

static const struct {
  const char *origin;
  const char *source;
  guint       weight;
} origins[] = {
  { "applied", "Company website", 30 },
  { "applied", "LinkedIn", 15 },
  { "sourced", "LinkedIn", 15 },
  { "sourced", "GitHub", 10 },
  { "referred", "Referral", 12 },
  { "agency", "Agency: Talent & Co", 5 },
  { "university", "University fair", 5 },
  { "internal", "Internal", 8 },
};

static const char * const email_domains[] = {
  "example.com", "example.org", "example.net", "mail.example", "inbox.example",
};

static const char * const phone_types[] = { "mobile", "home", "work", "other" };

static FulcrumSimRecord *
child_new (char    *id,
           gint64   created_at,
           GString *json)
{
  FulcrumSimRecord *record = g_new0 (FulcrumSimRecord, 1);

  record->id = id;
  record->created_at = record->sort_at = created_at;
  fulcrum_sim_record_set_json (record, json);
  return record;
}

static void
write_interviewer (FulcrumSimJson *json,
                   FulcrumSimData *data,
                   const char     *user_id,
                   const char     *template_id)
{
  FulcrumSimUser *user = fulcrum_sim_list_lookup (data->users, user_id);

  fulcrum_sim_json_begin_object (json);
  fulcrum_sim_json_member_string (json, "id", user_id);
  fulcrum_sim_json_member_string (json, "email", user->email);
  fulcrum_sim_json_member_string (json, "name", user->name);
  fulcrum_sim_json_member_string (json, "feedbackTemplate", template_id);
  fulcrum_sim_json_end_object (json);
}

static void
seed_interviews (FulcrumSimSeeder      *seeder,
                 FulcrumSimOpportunity *opp,
                 guint                  n_interviews,
                 gint64                 start,
                 gint64                 end)
{
  FulcrumSimData *data = seeder->data;
  FulcrumSimList *applications = opp->children[FULCRUM_SIM_CHILD_APPLICATIONS];
  g_autofree char *panel_id = fulcrum_sim_seed_uuid (seeder);
  g_autofree char *template_id = fulcrum_sim_seed_uuid (seeder);
  g_autoptr(GString) embedded = g_string_new (NULL);
  gint64 panel_created = fulcrum_sim_seed_time_between (seeder, start, end);
  gint64 panel_start = panel_created + 2 * DAY;
  const char *panel_user = fulcrum_sim_seed_random_user (seeder);
  FulcrumSimJson json;
  GString *out;

  for (guint i = 0; i < n_interviews; i++)
    {
      g_autofree char *feedback_id = fulcrum_sim_seed_uuid (seeder);
      const char *interviewer = fulcrum_sim_seed_random_user (seeder);
      gint64 date = panel_start + i * HOUR;
      char *id = fulcrum_sim_seed_uuid (seeder);
      gboolean has_feedback = date < seeder->now && fulcrum_sim_seed_chance (seeder, 0.7);
      GString *interview = g_string_sized_new (768);

      fulcrum_sim_json_init (&json, interview);
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", id);
      fulcrum_sim_json_member_string (&json, "panel", panel_id);
      fulcrum_sim_json_member_string (&json, "subject", "On-site interview");
      fulcrum_sim_json_member_string (&json, "note", "Bring the robot arm demo.");
      fulcrum_sim_json_key (&json, "interviewers");
      fulcrum_sim_json_begin_array (&json);
      write_interviewer (&json, data, interviewer, template_id);
      fulcrum_sim_json_end_array (&json);
      fulcrum_sim_json_member_string (&json, "timezone", "America/Los_Angeles");
      fulcrum_sim_json_member_time (&json, "createdAt", panel_created);
      fulcrum_sim_json_member_time (&json, "date", date);
      fulcrum_sim_json_member_int (&json, "duration", 45);
      fulcrum_sim_json_member_string (&json, "location", "Room 3 (Ada)");
      fulcrum_sim_json_member_string (&json, "feedbackTemplate", template_id);
      fulcrum_sim_json_key (&json, "feedbackForms");
      fulcrum_sim_json_begin_array (&json);
      if (has_feedback)
        fulcrum_sim_json_string (&json, feedback_id);
      fulcrum_sim_json_end_array (&json);
      fulcrum_sim_json_member_string (&json, "feedbackReminder", "daily");
      fulcrum_sim_json_member_string (&json, "user", panel_user);
      fulcrum_sim_json_member_string (&json, "stage", opp->stage);
      fulcrum_sim_json_member_time (&json, "canceledAt", 0);
      fulcrum_sim_json_key (&json, "postings");
      fulcrum_sim_json_begin_array (&json);
      for (guint a = 0; a < applications->items->len; a++)
        {
          FulcrumSimApplication *app = g_ptr_array_index (applications->items, a);

          if (app->posting_id != NULL)
            fulcrum_sim_json_string (&json, app->posting_id);
        }
      fulcrum_sim_json_end_array (&json);
      fulcrum_sim_json_member_string (&json, "gcalEventUrl", NULL);
      fulcrum_sim_json_end_object (&json);

      if (embedded->len > 0)
        g_string_append_c (embedded, ',');
      g_string_append_len (embedded, interview->str, interview->len);
      fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_INTERVIEWS],
                               child_new (id, panel_created, interview));

      if (has_feedback)
        {
          gint64 completed = MIN (date + fulcrum_sim_seed_time_between (seeder, HOUR, 2 * DAY),
                                  seeder->now);

          out = g_string_sized_new (768);
          fulcrum_sim_json_init (&json, out);
          fulcrum_sim_json_begin_object (&json);
          fulcrum_sim_json_member_string (&json, "id", feedback_id);
          fulcrum_sim_json_member_string (&json, "type", "interview");
          fulcrum_sim_json_member_string (&json, "text", "On-site interview feedback");
          fulcrum_sim_json_member_string (&json, "instructions", "Rate the candidate.");
          fulcrum_sim_json_key (&json, "fields");
          fulcrum_sim_json_begin_array (&json);
          fulcrum_sim_json_begin_object (&json);
          fulcrum_sim_json_member_string (&json, "type", "score-system");
          fulcrum_sim_json_member_string (&json, "text", "Rating");
          fulcrum_sim_json_member_string (&json, "value",
                                          FULCRUM_SIM_SEED_PICK (seeder, ((const char *[]) {
                                            "4 - Strong Hire", "3 - Hire", "2 - No Hire",
                                            "1 - Strong No Hire" })));
          fulcrum_sim_json_end_object (&json);
          fulcrum_sim_json_begin_object (&json);
          fulcrum_sim_json_member_string (&json, "type", "textarea");
          fulcrum_sim_json_member_string (&json, "text", "Notes");
          fulcrum_sim_json_member_string (&json, "value", FULCRUM_SIM_SEED_PICK (seeder,
                                                                                 note_texts));
          fulcrum_sim_json_end_object (&json);
          fulcrum_sim_json_end_array (&json);
          fulcrum_sim_json_member_string (&json, "baseTemplateId", template_id);
          fulcrum_sim_json_member_string (&json, "interview", id);
          fulcrum_sim_json_member_string (&json, "panel", panel_id);
          fulcrum_sim_json_member_string (&json, "user", interviewer);
          fulcrum_sim_json_member_time (&json, "createdAt", completed);
          fulcrum_sim_json_member_time (&json, "completedAt", completed);
          fulcrum_sim_json_member_time (&json, "updatedAt", completed);
          fulcrum_sim_json_member_time (&json, "deletedAt", 0);
          fulcrum_sim_json_end_object (&json);
          fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_FEEDBACK],
                                   child_new (g_steal_pointer (&feedback_id), completed, out));
        }
    }

  out = g_string_sized_new (1024 + embedded->len);
  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", panel_id);
  fulcrum_sim_json_key (&json, "applications");
  fulcrum_sim_json_begin_array (&json);
  for (guint a = 0; a < applications->items->len; a++)
    fulcrum_sim_json_string (&json, ((FulcrumSimRecord *) g_ptr_array_index (applications->items,
                                                                            a))->id);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_member_time (&json, "canceledAt", 0);
  fulcrum_sim_json_member_time (&json, "createdAt", panel_created);
  fulcrum_sim_json_member_time (&json, "start", panel_start);
  fulcrum_sim_json_member_time (&json, "end", panel_start + n_interviews * HOUR);
  fulcrum_sim_json_member_string (&json, "timezone", "America/Los_Angeles");
  fulcrum_sim_json_member_string (&json, "feedbackReminder", "daily");
  fulcrum_sim_json_member_string (&json, "user", panel_user);
  fulcrum_sim_json_member_string (&json, "stage", opp->stage);
  fulcrum_sim_json_member_string (&json, "note", "");
  fulcrum_sim_json_member_string (&json, "externalUrl", NULL);
  fulcrum_sim_json_member_bool (&json, "externallyManaged", FALSE);
  fulcrum_sim_json_key (&json, "interviews");
  g_string_append_c (out, '[');
  g_string_append_len (out, embedded->str, embedded->len);
  g_string_append_c (out, ']');
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_PANELS],
                           child_new (g_steal_pointer (&panel_id), panel_created, out));
}

static void
seed_offer (FulcrumSimSeeder      *seeder,
            FulcrumSimOpportunity *opp,
            gboolean               signed_,
            gint64                 at)
{
  GString *out = g_string_sized_new (768);
  char *id = fulcrum_sim_seed_uuid (seeder);
  FulcrumSimJson json;

  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", id);
  fulcrum_sim_json_member_time (&json, "createdAt", at);
  fulcrum_sim_json_member_string (&json, "status", signed_ ? "signed" : "sent");
  fulcrum_sim_json_member_string (&json, "creator", opp->owner);
  fulcrum_sim_json_key (&json, "fields");
  fulcrum_sim_json_begin_array (&json);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "text", "Salary");
  fulcrum_sim_json_member_string (&json, "identifier", "salary_amount");
  fulcrum_sim_json_member_int (&json, "value",
                               90000 + g_rand_int_range (seeder->rand, 0, 70) * 1000);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "text", "Anticipated start date");
  fulcrum_sim_json_member_string (&json, "identifier", "anticipated_start_date");
  fulcrum_sim_json_member_int (&json, "value", at + 30 * DAY);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_key (&json, "sentDocument");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "fileName", "offer-letter.pdf");
  fulcrum_sim_json_member_time (&json, "uploadedAt", at);
  fulcrum_sim_json_member_string (&json, "downloadUrl", NULL);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_member_string (&json, "signedDocument", NULL);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_OFFERS], child_new (id, at, out));
}

static void
seed_referral (FulcrumSimSeeder      *seeder,
               FulcrumSimOpportunity *opp)
{
  GString *out = g_string_sized_new (512);
  char *id = fulcrum_sim_seed_uuid (seeder);
  gint64 at = opp->parent.created_at;
  FulcrumSimJson json;

  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", id);
  fulcrum_sim_json_member_string (&json, "type", "referral");
  fulcrum_sim_json_member_string (&json, "text", "Referral");
  fulcrum_sim_json_member_string (&json, "instructions", "Tell us about the candidate.");
  fulcrum_sim_json_key (&json, "fields");
  fulcrum_sim_json_begin_array (&json);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "text", "How do you know the candidate?");
  fulcrum_sim_json_member_string (&json, "type", "text");
  fulcrum_sim_json_member_string (&json, "value", "We worked together for two years.");
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_member_string (&json, "baseTemplateId", NULL);
  fulcrum_sim_json_member_string (&json, "user", opp->sourced_by);
  fulcrum_sim_json_member_string (&json, "referrer", opp->sourced_by);
  fulcrum_sim_json_member_string (&json, "stage", NULL);
  fulcrum_sim_json_member_time (&json, "createdAt", at);
  fulcrum_sim_json_member_time (&json, "completedAt", at);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_REFERRALS], child_new (id, at, out));
}

static void
seed_resume (FulcrumSimSeeder      *seeder,
             FulcrumSimOpportunity *opp)
{
  GString *out = g_string_sized_new (1024);
  char *id = fulcrum_sim_seed_uuid (seeder);
  gint64 at = opp->parent.created_at;
  const FulcrumSimSeedRole *role = &FULCRUM_SIM_SEED_PICK (seeder, fulcrum_sim_seed_roles);
  g_autofree char *file_name = NULL;
  g_autofree char *slug = fulcrum_sim_seed_ascii_slug (opp->name);
  FulcrumSimJson json;
  int start_year = 2005 + g_rand_int_range (seeder->rand, 0, 12);

  file_name = g_strdup_printf ("%s-resume.pdf", slug);
  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "id", id);
  fulcrum_sim_json_member_time (&json, "createdAt", at);
  fulcrum_sim_json_key (&json, "file");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "name", file_name);
  fulcrum_sim_json_member_string (&json, "ext", ".pdf");
  fulcrum_sim_json_member_string (&json, "downloadUrl", NULL);
  fulcrum_sim_json_member_time (&json, "uploadedAt", at);
  fulcrum_sim_json_member_string (&json, "status", "processed");
  fulcrum_sim_json_member_int (&json, "size", 40000 + g_rand_int_range (seeder->rand, 0, 200000));
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_key (&json, "parsedData");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_key (&json, "positions");
  fulcrum_sim_json_begin_array (&json);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "org", FULCRUM_SIM_SEED_PICK (seeder,
                                                                       fulcrum_sim_seed_companies));
  fulcrum_sim_json_member_string (&json, "title", role->title);
  fulcrum_sim_json_member_string (&json, "summary", "Led a team of four.");
  fulcrum_sim_json_member_string (&json, "location", "");
  fulcrum_sim_json_key (&json, "start");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_int (&json, "year", start_year + 4);
  fulcrum_sim_json_member_int (&json, "month", 1 + g_rand_int_range (seeder->rand, 0, 12));
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_member_string (&json, "end", NULL);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_key (&json, "schools");
  fulcrum_sim_json_begin_array (&json);
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_string (&json, "org", "Technical University");
  fulcrum_sim_json_member_string (&json, "degree", "MSc");
  fulcrum_sim_json_member_string (&json, "field", "Computer Science");
  fulcrum_sim_json_member_string (&json, "summary", "");
  fulcrum_sim_json_key (&json, "start");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_int (&json, "year", start_year);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_key (&json, "end");
  fulcrum_sim_json_begin_object (&json);
  fulcrum_sim_json_member_int (&json, "year", start_year + 4);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_end_array (&json);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_json_end_object (&json);
  fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_RESUMES], child_new (id, at, out));
}

static FulcrumSimPosting *
posting_open_at (FulcrumSimSeeder *seeder,
                 gint64            at)
{
  guint lo = 0;
  guint hi = seeder->postings->len;

  /* postings are oldest first: count those created before @at, pick one of them */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      FulcrumSimPosting *posting = g_ptr_array_index (seeder->postings, mid);

      if (posting->parent.created_at <= at)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return NULL;
  return g_ptr_array_index (seeder->postings, g_rand_int_range (seeder->rand, 0, lo));
}

static guint
pick_origin (FulcrumSimSeeder *seeder)
{
  guint total = 0;
  guint roll;

  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    total += origins[i].weight;
  roll = g_rand_int_range (seeder->rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      if (roll < origins[i].weight)
        return i;
      roll -= origins[i].weight;
    }
  g_assert_not_reached ();
}

static void
seed_person (FulcrumSimSeeder      *seeder,
             FulcrumSimOpportunity *opp,
             GPtrArray             *earlier)
{
  const char *first;
  const char *last;
  g_autofree char *slug_first = NULL;
  g_autofree char *slug_last = NULL;
  guint n_phones;

  /* Some people come back: a new opportunity for the same contact. */
  if (earlier->len > 0 && fulcrum_sim_seed_chance (seeder, 0.04))
    {
      FulcrumSimOpportunity *prev = g_ptr_array_index (earlier,
                                                       g_rand_int_range (seeder->rand, 0,
                                                                         earlier->len));

      opp->contact = g_strdup (prev->contact);
      opp->name = g_strdup (prev->name);
      opp->emails = g_ptr_array_copy (prev->emails, (GCopyFunc) g_strdup, NULL);
      g_ptr_array_set_free_func (opp->emails, g_free);
      opp->phones = g_ptr_array_copy (prev->phones, (GCopyFunc) g_strdup, NULL);
      g_ptr_array_set_free_func (opp->phones, g_free);
      opp->links = g_ptr_array_copy (prev->links, (GCopyFunc) g_strdup, NULL);
      g_ptr_array_set_free_func (opp->links, g_free);
      return;
    }

  first = FULCRUM_SIM_SEED_PICK (seeder, fulcrum_sim_seed_first_names);
  last = FULCRUM_SIM_SEED_PICK (seeder, fulcrum_sim_seed_last_names);
  slug_first = fulcrum_sim_seed_ascii_slug (first);
  slug_last = fulcrum_sim_seed_ascii_slug (last);

  opp->contact = fulcrum_sim_seed_uuid (seeder);
  opp->name = g_strdup_printf ("%s %s", first, last);
  opp->emails = fulcrum_sim_seed_strv_array ();
  g_ptr_array_add (opp->emails, g_strdup_printf ("%s.%s%u@%s", slug_first, slug_last,
                                                 g_rand_int_range (seeder->rand, 1, 1000),
                                                 FULCRUM_SIM_SEED_PICK (seeder, email_domains)));
  if (fulcrum_sim_seed_chance (seeder, 0.25))
    g_ptr_array_add (opp->emails, g_strdup_printf ("%c%s@%s", slug_first[0], slug_last,
                                                   FULCRUM_SIM_SEED_PICK (seeder,
                                                                          email_domains)));
  opp->phones = fulcrum_sim_seed_strv_array ();
  n_phones = g_rand_int_range (seeder->rand, 0, 3);
  for (guint i = 0; i < n_phones; i++)
    g_ptr_array_add (opp->phones, g_strdup_printf ("%s\n+1 555 %03u %04u",
                                                   FULCRUM_SIM_SEED_PICK (seeder, phone_types),
                                                   g_rand_int_range (seeder->rand, 100, 1000),
                                                   g_rand_int_range (seeder->rand, 0, 10000)));
  opp->links = fulcrum_sim_seed_strv_array ();
  if (fulcrum_sim_seed_chance (seeder, 0.6))
    g_ptr_array_add (opp->links, g_strdup_printf ("https://www.linkedin.com/in/%s-%s",
                                                  slug_first, slug_last));
  if (fulcrum_sim_seed_chance (seeder, 0.2))
    g_ptr_array_add (opp->links, g_strdup_printf ("https://github.com/%s%s",
                                                  slug_first, slug_last));
}

static void
seed_one (FulcrumSimSeeder *seeder,
          GPtrArray        *earlier)
{
  static const guint applicant_weights[] = { 35, 20, 15, 12, 8, 10 };
  FulcrumSimData *data = seeder->data;
  FulcrumSimOpportunity *opp = g_new0 (FulcrumSimOpportunity, 1);
  gint64 created = fulcrum_sim_seed_time_between (seeder, seeder->now - 4 * YEAR,
                                                  seeder->now - HOUR);
  guint origin = pick_origin (seeder);
  FulcrumSimPosting *postings[2] = { NULL, NULL };
  const FulcrumSimSeedRole *role = &FULCRUM_SIM_SEED_PICK (seeder, fulcrum_sim_seed_roles);
  gboolean is_lead;
  guint stage_index;
  guint first_stage;
  gint64 at;
  guint n;

  opp->parent.id = fulcrum_sim_seed_uuid (seeder);
  opp->parent.created_at = opp->parent.sort_at = created;
  seed_person (seeder, opp, earlier);
  opp->headline = g_strdup_printf ("%s at %s", role->title,
                                   FULCRUM_SIM_SEED_PICK (seeder, fulcrum_sim_seed_companies));
  opp->location = g_strdup (FULCRUM_SIM_SEED_PICK (seeder, fulcrum_sim_seed_locations).city);
  opp->origin = g_strdup (origins[origin].origin);
  opp->sources = fulcrum_sim_seed_strv_array ();
  g_ptr_array_add (opp->sources, g_strdup (origins[origin].source));
  opp->owner = g_strdup (fulcrum_sim_seed_random_user (seeder));
  if (strcmp (opp->origin, "sourced") == 0 || strcmp (opp->origin, "referred") == 0)
    opp->sourced_by = g_strdup (fulcrum_sim_seed_random_user (seeder));
  opp->followers = fulcrum_sim_seed_strv_array ();
  fulcrum_sim_seed_add_unique (opp->followers, opp->owner);
  for (n = g_rand_int_range (seeder->rand, 0, 3); n > 0; n--)
    fulcrum_sim_seed_add_unique (opp->followers, fulcrum_sim_seed_random_user (seeder));
  opp->tags = fulcrum_sim_seed_strv_array ();
  for (n = g_rand_int_range (seeder->rand, 0, 4); n > 0; n--)
    fulcrum_sim_seed_add_unique (opp->tags, FULCRUM_SIM_SEED_PICK (seeder,
                                                                   fulcrum_sim_seed_tags));
  for (guint i = 0; i < G_N_ELEMENTS (opp->children); i++)
    opp->children[i] = fulcrum_sim_list_new (FALSE, i == FULCRUM_SIM_CHILD_APPLICATIONS
                                                    ? fulcrum_sim_application_free
                                                    : fulcrum_sim_record_free_plain);

  if (strcmp (opp->origin, "sourced") != 0 || fulcrum_sim_seed_chance (seeder, 0.6))
    {
      postings[0] = posting_open_at (seeder, created);
      if (postings[0] != NULL && fulcrum_sim_seed_chance (seeder, 0.1))
        postings[1] = posting_open_at (seeder, created);
      if (postings[1] == postings[0])
        postings[1] = NULL;
    }
  is_lead = postings[0] == NULL;
  for (guint i = 0; i < 2; i++)
    opp->parent.confidential |= postings[i] != NULL && postings[i]->parent.confidential;

  /* Stage and the path that led there */
  if (is_lead)
    {
      stage_index = g_rand_int_range (seeder->rand, 0, 3);
      first_stage = 0;
    }
  else
    {
      guint roll = g_rand_int_range (seeder->rand, 0, 100);

      for (stage_index = 0; roll >= applicant_weights[stage_index]; stage_index++)
        roll -= applicant_weights[stage_index];
      stage_index += 3;
      first_stage = strcmp (opp->origin, "sourced") == 0 ? 0 : 3;
    }
  opp->stage = g_strdup (seeder->stage_ids[stage_index]);
  opp->stage_changes = g_ptr_array_new_with_free_func (fulcrum_sim_stage_change_free);
  at = created;
  for (guint s = first_stage; s <= stage_index; s = (s == 0 && !is_lead) ? 3 : s + 1)
    {
      FulcrumSimStageChange *change = g_new0 (FulcrumSimStageChange, 1);

      change->to_stage = g_strdup (seeder->stage_ids[s]);
      change->user = g_strdup (opp->owner);
      change->at = at;
      g_ptr_array_add (opp->stage_changes, change);
      opp->last_advanced_at = at;
      at = fulcrum_sim_seed_time_between (seeder, at, MIN (at + 20 * DAY, seeder->now));
    }

  if (stage_index == 8 && fulcrum_sim_seed_chance (seeder, 0.5))
    opp->archive_reason = g_strdup (seeder->hired_reason);
  else if (fulcrum_sim_seed_chance (seeder, 0.4))
    {
      guint reason = g_rand_int_range (seeder->rand, 0, seeder->other_reasons->len);

      opp->archive_reason = g_strdup (g_ptr_array_index (seeder->other_reasons, reason));
    }
  if (opp->archive_reason != NULL)
    opp->archived_at = fulcrum_sim_seed_time_between (seeder, opp->last_advanced_at,
                                                      MIN (opp->last_advanced_at + 30 * DAY,
                                                           seeder->now));

  /* registered before the children so that applications can find their opportunity */
  g_ptr_array_add (data->opportunities->items, opp);
  g_hash_table_insert (data->opportunities->by_id, opp->parent.id, opp);
  g_ptr_array_add (earlier, opp);
  for (guint i = 0; i < opp->emails->len; i++)
    if (!g_hash_table_contains (data->contacts_by_email, g_ptr_array_index (opp->emails, i)))
      g_hash_table_insert (data->contacts_by_email, g_strdup (g_ptr_array_index (opp->emails, i)),
                           g_strdup (opp->contact));

  for (guint i = 0; i < 2 && postings[i] != NULL; i++)
    {
      FulcrumSimApplication *app = g_new0 (FulcrumSimApplication, 1);

      app->parent.id = fulcrum_sim_seed_uuid (seeder);
      app->parent.created_at = app->parent.sort_at = created + i * HOUR;
      app->opportunity_id = g_strdup (opp->parent.id);
      app->posting_id = g_strdup (postings[i]->parent.id);
      app->type = g_strdup (strcmp (opp->origin, "referred") == 0 ? "referral"
                            : strcmp (opp->origin, "sourced") == 0 ? "user"
                            : "posting");
      app->user = g_strdup (strcmp (app->type, "posting") == 0 ? NULL
                            : opp->sourced_by != NULL ? opp->sourced_by : opp->owner);
      fulcrum_sim_application_serialize (app, data);
      fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_APPLICATIONS], app);
    }

  for (n = g_rand_int_range (seeder->rand, 0, 5); n > 0; n--)
    {
      g_autofree char *id = fulcrum_sim_seed_uuid (seeder);
      gint64 note_at = fulcrum_sim_seed_time_between (seeder, created, seeder->now);

      fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_NOTES],
                               fulcrum_sim_note_new (id, FULCRUM_SIM_SEED_PICK (seeder,
                                                                                note_texts),
                                                     fulcrum_sim_seed_random_user (seeder),
                                                     fulcrum_sim_seed_chance (seeder, 0.1),
                                                     g_rand_int_range (seeder->rand, 0, 5),
                                                     note_at));
      opp->last_interaction_at = MAX (opp->last_interaction_at, note_at);
    }
  if (stage_index >= 5)
    seed_interviews (seeder, opp, stage_index - 4, opp->last_advanced_at,
                     MIN (opp->last_advanced_at + 10 * DAY, seeder->now));
  if (stage_index == 8)
    seed_offer (seeder, opp, opp->archive_reason != NULL
                             && strcmp (opp->archive_reason, seeder->hired_reason) == 0,
                opp->last_advanced_at);
  if (strcmp (opp->origin, "referred") == 0)
    seed_referral (seeder, opp);
  if (!is_lead && fulcrum_sim_seed_chance (seeder, 0.6))
    seed_resume (seeder, opp);

  opp->last_interaction_at = MAX (opp->last_interaction_at, opp->last_advanced_at);
  opp->parent.updated_at = MAX (MAX (opp->last_interaction_at, opp->archived_at),
                                opp->last_advanced_at);
  opp->parent.updated_at = fulcrum_sim_seed_time_between (seeder, opp->parent.updated_at,
                                                          MIN (opp->parent.updated_at + DAY,
                                                               seeder->now));
  fulcrum_sim_opportunity_serialize (opp, data);
}

void
fulcrum_sim_seed_opportunities (FulcrumSimSeeder *seeder,
                                guint             n_opportunities)
{
  FulcrumSimData *data = seeder->data;
  g_autoptr(GPtrArray) earlier = g_ptr_array_new ();

  for (guint i = 0; i < n_opportunities; i++)
    seed_one (seeder, earlier);
  fulcrum_sim_list_sort (data->opportunities);

  for (guint i = 0; i < n_opportunities / 50 + 1; i++)
    {
      FulcrumSimRecord *deleted = g_new0 (FulcrumSimRecord, 1);
      GString *out = g_string_new (NULL);
      FulcrumSimJson json;

      deleted->id = fulcrum_sim_seed_uuid (seeder);
      deleted->sort_at = fulcrum_sim_seed_time_between (seeder, seeder->now - 120 * DAY,
                                                        seeder->now - HOUR);
      fulcrum_sim_json_init (&json, out);
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", deleted->id);
      fulcrum_sim_json_member_time (&json, "deletedAt", deleted->sort_at);
      fulcrum_sim_json_member_string (&json, "deletedBy", fulcrum_sim_seed_random_user (seeder));
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_record_set_json (deleted, out);
      fulcrum_sim_list_insert (data->deleted_opportunities, deleted);
    }
}
