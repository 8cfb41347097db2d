/* fulcrum-sim-seed-more.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-sim-data.h"
#include "fulcrum-sim-json.h"
#include "fulcrum-sim-seed-private.h"

#define MINUTE FULCRUM_SIM_MINUTE
#define HOUR   FULCRUM_SIM_HOUR
#define DAY    FULCRUM_SIM_DAY
#define YEAR   FULCRUM_SIM_YEAR

#define HIRE_URL "https://hire.simulator.invalid"

/* The resources the first seed did not cover: requisition fields, feedback templates,
 * webhooks, the audit log, EEO survey answers and the files attached to opportunities. */

static FulcrumSimRecord *
record_new (char    *id,
            gint64   sort_at,
            gint64   created_at,
            GString *json)
{
  FulcrumSimRecord *record = g_new0 (FulcrumSimRecord, 1);

  record->id = id;
  record->sort_at = sort_at;
  record->created_at = created_at;
  fulcrum_sim_record_set_json (record, json);
  return record;
}

static void
write_options (FulcrumSimJson     *json,
               const char * const *options)
{
  fulcrum_sim_json_key (json, "options");
  fulcrum_sim_json_begin_array (json);
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      fulcrum_sim_json_begin_object (json);
      fulcrum_sim_json_member_string (json, "text", options[i]);
      fulcrum_sim_json_end_object (json);
    }
  fulcrum_sim_json_end_array (json);
}

static void
seed_requisition_fields (FulcrumSimSeeder *seeder)
{
  static const char * const reasons[] = { "New headcount", "Backfill", "Conversion", NULL };
  static const char * const levels[] = { "Junior", "Mid-level", "Senior", "Staff", "Principal",
                                         NULL };
  static const char * const regions[] = { "Americas", "EMEA", "APAC", NULL };
  static const struct {
    const char         *id;
    const char         *text;
    const char         *type;
    gboolean            required;
    const char * const *options;
  } fields[] = {
    { "cost_center", "Cost center", "text", TRUE, NULL },
    { "budget_year", "Budget year", "number", TRUE, NULL },
    { "target_start_date", "Target start date", "date", FALSE, NULL },
    { "hiring_reason", "Hiring reason", "dropdown", TRUE, reasons },
    { "level", "Level", "dropdown", FALSE, levels },
    { "region", "Region", "dropdown", FALSE, regions },
    { "approver_notes", "Notes for the approver", "text", FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GString *out = g_string_sized_new (256);
      FulcrumSimJson json;

      fulcrum_sim_json_init (&json, out);
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", fields[i].id);
      fulcrum_sim_json_member_string (&json, "text", fields[i].text);
      fulcrum_sim_json_member_string (&json, "type", fields[i].type);
      fulcrum_sim_json_member_bool (&json, "isRequired", fields[i].required);
      write_options (&json, fields[i].options);
      fulcrum_sim_json_end_object (&json);
      /* lookups keep their order: sort_at descending */
      fulcrum_sim_list_insert (seeder->data->requisition_fields,
                               record_new (g_strdup (fields[i].id), G_N_ELEMENTS (fields) - i,
                                           0, out));
    }
}

static void
seed_feedback_templates (FulcrumSimSeeder *seeder)
{
  static const char * const scores[] = { "4 - Strong Hire", "3 - Hire", "2 - No Hire",
                                         "1 - Strong No Hire", NULL };
  static const char * const yes_no[] = { "Yes", "No", NULL };
  static const struct {
    const char *text;
    const char *group;
    int         stage;     /* index in the pipeline, -1 for none */
    const char *question;
  } templates[] = {
    { "Recruiter screen", "General", 4, "Why is the candidate looking?" },
    { "Phone interview", "General", 5, "What stood out?" },
    { "Technical interview", "Engineering", 6, "How did they approach the problem?" },
    { "System design", "Engineering", 6, "Which trade-offs did they name?" },
    { "Robotics deep dive", "Engineering", 6, "Depth in motion planning or control" },
    { "Sales role play", "Go to market", 6, "How did they handle objections?" },
    { "Culture add", "General", 6, "What would they add to the team?" },
    { "Reference check", "General", 7, "Would the reference hire them again?" },
  };
  static const char * const groups[] = { "General", "Engineering", "Go to market" };
  char *group_ids[G_N_ELEMENTS (groups)];

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    group_ids[g] = fulcrum_sim_seed_uuid (seeder);

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      GString *out = g_string_sized_new (1024);
      FulcrumSimJson json;
      char *id = fulcrum_sim_seed_uuid (seeder);
      gint64 created = fulcrum_sim_seed_time_between (seeder, seeder->now - 5 * YEAR,
                                                      seeder->now - YEAR);
      gint64 updated = fulcrum_sim_seed_time_between (seeder, created, seeder->now);
      guint group = 0;
      char *field_ids[3];

      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        if (strcmp (groups[g], templates[i].group) == 0)
          group = g;
      for (guint f = 0; f < G_N_ELEMENTS (field_ids); f++)
        field_ids[f] = fulcrum_sim_seed_uuid (seeder);

      fulcrum_sim_json_init (&json, out);
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", id);
      fulcrum_sim_json_member_string (&json, "text", templates[i].text);
      fulcrum_sim_json_member_string (&json, "instructions",
                                      "Fill this in within a day of the interview.");
      fulcrum_sim_json_key (&json, "group");
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", group_ids[group]);
      fulcrum_sim_json_member_string (&json, "name", groups[group]);
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_json_member_string (&json, "stage", templates[i].stage >= 0
                                                      ? seeder->stage_ids[templates[i].stage]
                                                      : NULL);
      fulcrum_sim_json_member_time (&json, "createdAt", created);
      fulcrum_sim_json_member_time (&json, "updatedAt", updated);
      fulcrum_sim_json_key (&json, "fields");
      fulcrum_sim_json_begin_array (&json);

      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", field_ids[0]);
      fulcrum_sim_json_member_string (&json, "type", "score-system");
      fulcrum_sim_json_member_string (&json, "text", "Rating");
      fulcrum_sim_json_member_string (&json, "description", "Your overall recommendation");
      fulcrum_sim_json_member_bool (&json, "required", TRUE);
      write_options (&json, scores);
      fulcrum_sim_json_end_object (&json);

      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", field_ids[1]);
      fulcrum_sim_json_member_string (&json, "type", "textarea");
      fulcrum_sim_json_member_string (&json, "text", templates[i].question);
      fulcrum_sim_json_member_string (&json, "description", "");
      fulcrum_sim_json_member_bool (&json, "required", TRUE);
      write_options (&json, NULL);
      fulcrum_sim_json_end_object (&json);

      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", field_ids[2]);
      fulcrum_sim_json_member_string (&json, "type", "yes-no");
      fulcrum_sim_json_member_string (&json, "text", "Should we move forward?");
      fulcrum_sim_json_member_string (&json, "description", "");
      fulcrum_sim_json_member_bool (&json, "required", FALSE);
      write_options (&json, yes_no);
      fulcrum_sim_json_end_object (&json);

      fulcrum_sim_json_end_array (&json);
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_list_insert (seeder->data->feedback_templates,
                               record_new (id, created, created, out));
      for (guint f = 0; f < G_N_ELEMENTS (field_ids); f++)
        g_free (field_ids[f]);
    }
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    g_free (group_ids[g]);
}

static void
seed_webhooks (FulcrumSimSeeder *seeder)
{
  static const struct {
    const char *event;
    gboolean    conditions;
  } hooks[] = {
    { "candidateHired", FALSE },
    { "candidateStageChange", TRUE },
    { "applicationCreated", TRUE },
    { "candidateArchiveChange", FALSE },
    { "contactUpdated", FALSE },
    { "interviewCreated", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (hooks); i++)
    {
      GString *out = g_string_sized_new (512);
      FulcrumSimJson json;
      char *id = fulcrum_sim_seed_uuid (seeder);
      gint64 created = fulcrum_sim_seed_time_between (seeder, seeder->now - 3 * YEAR,
                                                      seeder->now - 30 * DAY);
      g_autofree char *url = g_strdup_printf ("https://hooks.acme-robotics.example/lever/%s",
                                              hooks[i].event);

      fulcrum_sim_json_init (&json, out);
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", id);
      fulcrum_sim_json_member_string (&json, "url", url);
      fulcrum_sim_json_member_string (&json, "event", hooks[i].event);
      fulcrum_sim_json_key (&json, "configuration");
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_key (&json, "conditions");
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_key (&json, "origins");
      fulcrum_sim_json_begin_array (&json);
      if (hooks[i].conditions)
        {
          fulcrum_sim_json_string (&json, "applied");
          fulcrum_sim_json_string (&json, "referred");
        }
      fulcrum_sim_json_end_array (&json);
      fulcrum_sim_json_key (&json, "stages");
      fulcrum_sim_json_begin_array (&json);
      if (hooks[i].conditions)
        for (guint s = 4; s < 7; s++)
          fulcrum_sim_json_string (&json, seeder->stage_ids[s]);
      fulcrum_sim_json_end_array (&json);
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_json_member_time (&json, "createdAt", created);
      fulcrum_sim_json_member_time (&json, "updatedAt",
                                    fulcrum_sim_seed_time_between (seeder, created, seeder->now));
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_list_insert (seeder->data->webhooks, record_new (id, created, created, out));
    }
}

/* A user, the target of what was done (type and id, or none), and what else is known. */
static void
seed_audit_events (FulcrumSimSeeder *seeder,
                   guint             n_events)
{
  static const char * const types[] = {
    "user.login", "user.login", "user.login", "user.login", "user.logout",
    "user.role_changed", "user.deactivated", "posting.published", "posting.closed",
    "requisition.approved", "opportunity.exported", "data_export.requested",
    "api_key.created", "integration.authorized",
  };
  static const char * const agents[] = {
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_4) Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/114.0",
  };
  FulcrumSimData *data = seeder->data;

  for (guint i = 0; i < n_events; i++)
    {
      FulcrumSimAuditEvent *event = g_new0 (FulcrumSimAuditEvent, 1);
      const char *type = FULCRUM_SIM_SEED_PICK (seeder, types);
      FulcrumSimUser *user = fulcrum_sim_list_lookup (data->users,
                                                      fulcrum_sim_seed_random_user (seeder));
      gint64 at = fulcrum_sim_seed_time_between (seeder, seeder->now - 2 * YEAR,
                                                 seeder->now - MINUTE);
      GString *out = g_string_sized_new (512);
      const char *target_type = NULL;
      const char *target_id = NULL;
      FulcrumSimJson json;
      char ip[32];

      if (g_str_has_prefix (type, "user.role") || g_str_has_prefix (type, "user.deactivated"))
        {
          target_type = "user";
          target_id = fulcrum_sim_seed_random_user (seeder);
        }
      else if (g_str_has_prefix (type, "posting."))
        {
          target_type = "posting";
          target_id = ((FulcrumSimRecord *) g_ptr_array_index (
            seeder->postings, g_rand_int_range (seeder->rand, 0, seeder->postings->len)))->id;
        }
      else if (g_str_has_prefix (type, "requisition.") && data->requisitions->items->len > 0)
        {
          target_type = "requisition";
          target_id = ((FulcrumSimRecord *) g_ptr_array_index (
            data->requisitions->items,
            g_rand_int_range (seeder->rand, 0, data->requisitions->items->len)))->id;
        }
      g_snprintf (ip, sizeof ip, "203.0.113.%d", g_rand_int_range (seeder->rand, 1, 255));

      event->parent.id = fulcrum_sim_seed_uuid (seeder);
      event->parent.created_at = event->parent.sort_at = at;
      event->type = g_strdup (type);
      event->user = g_strdup (user->parent.id);

      fulcrum_sim_json_init (&json, out);
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", event->parent.id);
      fulcrum_sim_json_member_string (&json, "type", type);
      fulcrum_sim_json_key (&json, "user");
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "id", user->parent.id);
      fulcrum_sim_json_member_string (&json, "name", user->name);
      fulcrum_sim_json_member_string (&json, "email", user->email);
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_json_key (&json, "target");
      if (target_type != NULL)
        {
          fulcrum_sim_json_begin_object (&json);
          fulcrum_sim_json_member_string (&json, "type", target_type);
          fulcrum_sim_json_member_string (&json, "id", target_id);
          fulcrum_sim_json_end_object (&json);
        }
      else
        fulcrum_sim_json_null (&json);
      fulcrum_sim_json_key (&json, "meta");
      fulcrum_sim_json_begin_object (&json);
      fulcrum_sim_json_member_string (&json, "ipAddress", ip);
      fulcrum_sim_json_member_string (&json, "userAgent", FULCRUM_SIM_SEED_PICK (seeder, agents));
      if (strcmp (type, "user.role_changed") == 0)
        {
          fulcrum_sim_json_member_string (&json, "from", "interviewer");
          fulcrum_sim_json_member_string (&json, "to", "team lead");
        }
      else if (strcmp (type, "opportunity.exported") == 0)
        fulcrum_sim_json_member_int (&json, "count", g_rand_int_range (seeder->rand, 1, 500));
      else if (strcmp (type, "integration.authorized") == 0 ||
               strcmp (type, "api_key.created") == 0)
        fulcrum_sim_json_member_string (&json, "name", "Fulcrum (simulated)");
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_json_member_time (&json, "createdAt", at);
      fulcrum_sim_json_end_object (&json);
      fulcrum_sim_record_set_json (&event->parent, out);
      g_ptr_array_add (data->audit_events->items, event);
    }
  fulcrum_sim_list_sort (data->audit_events);
}

/* Applicants to US postings answer the voluntary survey half the time. */
static void
seed_eeo_responses (FulcrumSimSeeder *seeder)
{
  static const char * const genders[] = { "Female", "Male", "Decline to self-identify" };
  static const char * const races[] = {
    "Hispanic or Latino", "White", "Black or African American", "Asian",
    "Native Hawaiian or Other Pacific Islander", "American Indian or Alaska Native",
    "Two or More Races", "Decline to self-identify",
  };
  static const char * const veterans[] = {
    "I am not a protected veteran",
    "I identify as one or more of the classifications of protected veteran",
    "I don't wish to answer",
  };
  static const char * const disabilities[] = {
    "Yes, I have a disability (or previously had a disability)",
    "No, I don't have a disability", "I don't wish to answer",
  };
  FulcrumSimData *data = seeder->data;

  for (guint i = 0; i < data->opportunities->items->len; i++)
    {
      FulcrumSimOpportunity *opp = g_ptr_array_index (data->opportunities->items, i);
      FulcrumSimList *apps = opp->children[FULCRUM_SIM_CHILD_APPLICATIONS];

      for (guint a = 0; a < apps->items->len; a++)
        {
          FulcrumSimApplication *app = g_ptr_array_index (apps->items, a);
          FulcrumSimPosting *posting = fulcrum_sim_list_lookup (data->postings, app->posting_id);
          GString *out;
          FulcrumSimJson json;
          gint64 at;
          char *id;

          if (posting == NULL || g_strcmp0 (app->type, "posting") != 0 ||
              g_strcmp0 (posting->country, "US") != 0 || !fulcrum_sim_seed_chance (seeder, 0.5))
            continue;
          id = fulcrum_sim_seed_uuid (seeder);
          at = app->parent.created_at + g_rand_int_range (seeder->rand, MINUTE, 30 * MINUTE);
          out = g_string_sized_new (512);
          fulcrum_sim_json_init (&json, out);
          fulcrum_sim_json_begin_object (&json);
          fulcrum_sim_json_member_string (&json, "id", id);
          fulcrum_sim_json_member_string (&json, "opportunityId", opp->parent.id);
          fulcrum_sim_json_member_string (&json, "applicationId", app->parent.id);
          fulcrum_sim_json_member_string (&json, "postingId", posting->parent.id);
          fulcrum_sim_json_member_string (&json, "gender", FULCRUM_SIM_SEED_PICK (seeder, genders));
          fulcrum_sim_json_member_string (&json, "race", FULCRUM_SIM_SEED_PICK (seeder, races));
          fulcrum_sim_json_member_string (&json, "veteran",
                                          FULCRUM_SIM_SEED_PICK (seeder, veterans));
          fulcrum_sim_json_member_string (&json, "disability",
                                          FULCRUM_SIM_SEED_PICK (seeder, disabilities));
          fulcrum_sim_json_member_time (&json, "createdAt", at);
          fulcrum_sim_json_end_object (&json);
          g_ptr_array_add (data->eeo_responses->items, record_new (id, at, at, out));
        }
    }
  fulcrum_sim_list_sort (data->eeo_responses);
}

static void
seed_files (FulcrumSimSeeder *seeder)
{
  static const struct {
    const char *name;
    const char *ext;
  } kinds[] = {
    { "cover-letter", ".pdf" }, { "portfolio", ".pdf" }, { "work-sample", ".zip" },
    { "references", ".docx" }, { "transcript", ".pdf" }, { "take-home", ".zip" },
  };
  FulcrumSimData *data = seeder->data;

  for (guint i = 0; i < data->opportunities->items->len; i++)
    {
      FulcrumSimOpportunity *opp = g_ptr_array_index (data->opportunities->items, i);
      g_autofree char *slug = NULL;
      guint n;

      if (!fulcrum_sim_seed_chance (seeder, 0.3))
        continue;
      slug = fulcrum_sim_seed_ascii_slug (opp->name);
      for (n = g_rand_int_range (seeder->rand, 1, 3); n > 0; n--)
        {
          guint kind = g_rand_int_range (seeder->rand, 0, G_N_ELEMENTS (kinds));
          char *id = fulcrum_sim_seed_uuid (seeder);
          gint64 at = fulcrum_sim_seed_time_between (seeder, opp->parent.created_at,
                                                     MIN (opp->parent.created_at + 60 * DAY,
                                                          seeder->now));
          g_autofree char *name = g_strdup_printf ("%s-%s%s", slug, kinds[kind].name,
                                                   kinds[kind].ext);
          g_autofree char *url = g_strdup_printf (HIRE_URL "/files/%s/download", id);
          GString *out = g_string_sized_new (384);
          FulcrumSimJson json;

          fulcrum_sim_json_init (&json, out);
          fulcrum_sim_json_begin_object (&json);
          fulcrum_sim_json_member_string (&json, "id", id);
          fulcrum_sim_json_member_string (&json, "downloadUrl", url);
          fulcrum_sim_json_member_string (&json, "ext", kinds[kind].ext);
          fulcrum_sim_json_member_string (&json, "name", name);
          fulcrum_sim_json_member_time (&json, "uploadedAt", at);
          fulcrum_sim_json_member_string (&json, "status", "processed");
          fulcrum_sim_json_member_int (&json, "size",
                                       8000 + g_rand_int_range (seeder->rand, 0, 4000000));
          fulcrum_sim_json_end_object (&json);
          fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_FILES],
                                   record_new (id, at, at, out));
        }
    }
}

void
fulcrum_sim_seed_more (FulcrumSimSeeder *seeder)
{
  FulcrumSimData *data = seeder->data;

  seed_requisition_fields (seeder);
  seed_feedback_templates (seeder);
  seed_webhooks (seeder);
  seed_audit_events (seeder, CLAMP (data->n_opportunities / 2, 120, 5000));
  seed_eeo_responses (seeder);
  seed_files (seeder);
}
