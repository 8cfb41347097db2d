/* fulcrum-sim-seed.c
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

/* Synthetic data with the shapes and relations of a real Lever account. Everything comes
 * from one GRand seeded with the seed, so a seed always gives the same ids and relations;
 * timestamps are relative to the anchor (the start of the day the data was generated). */

const char * const fulcrum_sim_seed_first_names[60] = {
  "Ada", "Alan", "Amara", "Anders", "Aiko", "Beatriz", "Bilal", "Camille", "Carlos", "Chen",
  "Dara", "Diego", "Elena", "Emeka", "Fatima", "Finn", "Grace", "Hamid", "Hana", "Ines",
  "Ivan", "Jamal", "Jana", "Joao", "Kai", "Kenji", "Lara", "Leila", "Liam", "Lucia",
  "Malik", "Maria", "Mateo", "Mei", "Nadia", "Nikolai", "Noor", "Olga", "Omar", "Priya",
  "Quinn", "Rafael", "Rosa", "Sami", "Sara", "Sofia", "Tariq", "Thea", "Tomas", "Uma",
  "Vera", "Wei", "Xavier", "Yara", "Yusuf", "Zane", "Zoe", "Ngozi", "Pablo", "Ingrid",
};

const char * const fulcrum_sim_seed_last_names[60] = {
  "Abbott", "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Bianchi", "Brown", "Castro",
  "Chen", "Costa", "Dubois", "Duarte", "Eriksen", "Fischer", "Garcia", "Gupta", "Haddad",
  "Hansen", "Ibrahim", "Ito", "Jensen", "Kim", "Kowalski", "Kruger", "Larsen", "Lopez",
  "Martin", "Meyer", "Moreau", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Park",
  "Patel", "Petrov", "Quintero", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Sato",
  "Tanaka", "Torres", "Vargas", "Wagner", "Walsh", "Weber", "Wong", "Yamamoto", "Zhang",
  "Zimmermann", "O'Brien", "Müller", "Søndergaard", "Łukasik", "Ferreira",
};

const char * const fulcrum_sim_seed_companies[16] = {
  "Initech", "Globex", "Umbrella Robotics", "Hooli", "Soylent Systems", "Stark Industries",
  "Wayne Enterprises", "Cyberdyne", "Tyrell Corp", "Massive Dynamic", "Aperture Labs",
  "Vandelay Industries", "Wonka Works", "Pied Piper", "Dunder Mifflin", "Gringotts",
};

const FulcrumSimSeedRole fulcrum_sim_seed_roles[16] = {
  { "Software Engineer", "Platform", "Engineering" },
  { "Senior Software Engineer", "Platform", "Engineering" },
  { "Robotics Engineer", "Motion", "Engineering" },
  { "Firmware Engineer", "Embedded", "Engineering" },
  { "Site Reliability Engineer", "Infrastructure", "Engineering" },
  { "Data Scientist", "Perception", "Research" },
  { "Research Scientist", "Perception", "Research" },
  { "Product Manager", "Product", "Product" },
  { "Product Designer", "Design", "Product" },
  { "Technical Writer", "Documentation", "Product" },
  { "Account Executive", "Sales", "Go to market" },
  { "Customer Success Manager", "Customer Success", "Go to market" },
  { "Recruiter", "Talent", "People" },
  { "Financial Analyst", "Finance", "Operations" },
  { "Supply Chain Manager", "Manufacturing", "Operations" },
  { "Field Service Technician", "Field Service", "Operations" },
};

const FulcrumSimSeedLocation fulcrum_sim_seed_locations[15] = {
  { "San Francisco, CA", "US" }, { "New York, NY", "US" }, { "Austin, TX", "US" },
  { "Seattle, WA", "US" }, { "Toronto", "CA" }, { "London", "GB" }, { "Berlin", "DE" },
  { "Munich", "DE" }, { "Paris", "FR" }, { "Amsterdam", "NL" }, { "Lisbon", "PT" },
  { "Warsaw", "PL" }, { "Tokyo", "JP" }, { "Singapore", "SG" }, { "Remote", "US" },
};

static const char * const commitments[] = { "Full-time", "Full-time", "Full-time", "Part-time",
                                             "Contract", "Intern" };
static const char * const levels[] = { "Junior", "Mid-level", "Senior", "Staff", "Principal" };
static const char * const workplace_types[] = { "onsite", "remote", "hybrid" };

const char * const fulcrum_sim_seed_tags[40] = {
  "Python", "C", "Rust", "Go", "Kubernetes", "ROS", "Computer vision", "Embedded", "PCB design",
  "Machine learning", "Leadership", "Remote", "Relocation", "Visa sponsorship", "Bilingual",
  "Referral bonus", "Silver medalist", "Boomerang", "Diversity event", "Hackathon",
  "University 2023", "University 2024", "Conference lead", "Open source", "Startup",
  "Enterprise", "Sales", "SaaS", "Hardware", "Security clearance", "German", "Japanese",
  "Spanish", "French", "Portuguese", "Top talent", "Needs follow-up", "Passive", "Urgent",
  "Do not contact",
};

static const char * const archive_reasons[] = {
  "Underqualified", "Overqualified", "Withdrew", "Position filled", "Timing", "Compensation",
  "Location", "Unresponsive", "Offer declined", "Duplicate",
};

/* Helpers shared with fulcrum-sim-seed-opportunities.c */

gint64
fulcrum_sim_seed_time_between (FulcrumSimSeeder *seeder,
              gint64  start,
              gint64  end)
{
  if (end <= start)
    return start;
  return start + (gint64) (g_rand_double (seeder->rand) * (double) (end - start));
}

gboolean
fulcrum_sim_seed_chance (FulcrumSimSeeder *seeder,
        double  p)
{
  return g_rand_double (seeder->rand) < p;
}

char *
fulcrum_sim_seed_uuid (FulcrumSimSeeder *seeder)
{
  guint8 b[16];

  for (guint i = 0; i < 16; i += 4)
    {
      guint32 r = g_rand_int (seeder->rand);

      memcpy (b + i, &r, 4);
    }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

const char *
fulcrum_sim_seed_random_user (FulcrumSimSeeder *seeder)
{
  return g_ptr_array_index (seeder->active_users,
                            g_rand_int_range (seeder->rand, 0, seeder->active_users->len));
}

GPtrArray *
fulcrum_sim_seed_strv_array (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

void
fulcrum_sim_seed_add_unique (GPtrArray  *array,
            const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), value) == 0)
      return;
  g_ptr_array_add (array, g_strdup (value));
}

char *
fulcrum_sim_seed_ascii_slug (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

static void
seed_users (FulcrumSimSeeder *seeder,
            guint   n_users)
{
  static const char * const job_titles[] = {
    "Recruiter", "Senior Recruiter", "Sourcer", "Recruiting Coordinator", "Engineering Manager",
    "Hiring Manager", "Head of Talent", "People Partner", "Staff Engineer", "Designer",
  };
  FulcrumSimData *data = seeder->data;

  for (guint i = 0; i < n_users; i++)
    {
      FulcrumSimUser *user = g_new0 (FulcrumSimUser, 1);
      const char *first =
        fulcrum_sim_seed_first_names[i % G_N_ELEMENTS (fulcrum_sim_seed_first_names)];
      guint last_index = (i * 7 + i / G_N_ELEMENTS (fulcrum_sim_seed_first_names))
                         % G_N_ELEMENTS (fulcrum_sim_seed_last_names);
      const char *last = fulcrum_sim_seed_last_names[last_index];
      g_autofree char *slug_first = fulcrum_sim_seed_ascii_slug (first);
      g_autofree char *slug_last = fulcrum_sim_seed_ascii_slug (last);

      user->parent.id = fulcrum_sim_seed_uuid (seeder);
      user->parent.created_at = fulcrum_sim_seed_time_between (seeder, seeder->now - 6 * YEAR,
                                              seeder->now - YEAR);
      user->parent.sort_at = user->parent.created_at;
      user->name = g_strdup_printf ("%s %s", first, last);
      user->username = g_strdup_printf ("%s.%s%s", slug_first, slug_last,
                                        i >= G_N_ELEMENTS (fulcrum_sim_seed_first_names)
                                        ? "2" : "");
      user->email = g_strdup_printf ("%s@acme-robotics.example", user->username);
      if (i == 0)
        user->access_role = g_strdup ("super admin");
      else if (i < 4)
        user->access_role = g_strdup ("admin");
      else if (i % 5 == 0)
        user->access_role = g_strdup ("team lead");
      else if (i % 3 == 0)
        user->access_role = g_strdup ("interviewer");
      else
        user->access_role = g_strdup ("member");
      user->job_title = g_strdup (FULCRUM_SIM_SEED_PICK (seeder, job_titles));
      if (i > 0)
        {
          FulcrumSimRecord *manager = g_ptr_array_index (data->users->items,
                                                         g_rand_int_range (seeder->rand, 0, i));
          user->manager_id = g_strdup (manager->id);
        }
      /* The super admin who consents stays active. */
      if (i > 0 && fulcrum_sim_seed_chance (seeder, 0.05))
        user->deactivated_at = fulcrum_sim_seed_time_between (seeder, user->parent.created_at,
                                                              seeder->now);
      fulcrum_sim_user_serialize (user);
      /* insertion order first so managers can be picked by index; sorted below */
      g_ptr_array_add (data->users->items, user);
    }

  for (guint i = 0; i < data->users->items->len; i++)
    {
      FulcrumSimUser *user = g_ptr_array_index (data->users->items, i);

      if (user->deactivated_at == 0)
        g_ptr_array_add (seeder->active_users, user->parent.id);
    }
  fulcrum_sim_list_sort (data->users);
}

static void
seed_lookups (FulcrumSimSeeder *seeder)
{
  static const struct {
    const char *id;
    const char *text;
  } stages[] = {
    { "lead-new", "New lead" }, { "lead-reached-out", "Reached out" },
    { "lead-responded", "Responded" }, { "applicant-new", "New applicant" },
    { NULL, "Recruiter screen" }, { NULL, "Phone interview" }, { NULL, "On-site interview" },
    { NULL, "Reference check" }, { NULL, "Offer" },
  };
  FulcrumSimData *data = seeder->data;

  G_STATIC_ASSERT (G_N_ELEMENTS (stages) == G_N_ELEMENTS (seeder->stage_ids));

  /* sort_at keeps the pipeline order (the list is sorted by it, descending) */
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      FulcrumSimLookup *stage = g_new0 (FulcrumSimLookup, 1);

      stage->parent.id = stages[i].id ? g_strdup (stages[i].id) : fulcrum_sim_seed_uuid (seeder);
      stage->parent.sort_at = G_N_ELEMENTS (stages) - i;
      stage->text = g_strdup (stages[i].text);
      fulcrum_sim_lookup_serialize (stage, FALSE);
      fulcrum_sim_list_insert (data->stages, stage);
      seeder->stage_ids[i] = stage->parent.id;
    }

  for (guint i = 0; i <= G_N_ELEMENTS (archive_reasons); i++)
    {
      FulcrumSimLookup *reason = g_new0 (FulcrumSimLookup, 1);

      reason->parent.id = fulcrum_sim_seed_uuid (seeder);
      reason->parent.sort_at = G_N_ELEMENTS (archive_reasons) + 1 - i;
      reason->text = g_strdup (i == 0 ? "Hired" : archive_reasons[i - 1]);
      reason->type = g_strdup (i == 0 ? "hired" : "non-hired");
      fulcrum_sim_lookup_serialize (reason, TRUE);
      fulcrum_sim_list_insert (data->archive_reasons, reason);
      if (i == 0)
        seeder->hired_reason = reason->parent.id;
      else
        g_ptr_array_add (seeder->other_reasons, reason->parent.id);
    }
}

static void
seed_postings (FulcrumSimSeeder *seeder,
               guint   n_postings)
{
  static const char * const states[] = {
    "published", "published", "published", "published", "published", "published", "published",
    "published", "published", "published", "closed", "closed", "closed", "closed", "closed",
    "internal", "internal", "draft", "pending", "rejected",
  };
  FulcrumSimData *data = seeder->data;
  gint64 start = seeder->now - 4 * YEAR;

  for (guint i = 0; i < n_postings; i++)
    {
      FulcrumSimPosting *posting = g_new0 (FulcrumSimPosting, 1);
      guint role = g_rand_int_range (seeder->rand, 0, G_N_ELEMENTS (fulcrum_sim_seed_roles));
      guint loc = g_rand_int_range (seeder->rand, 0, G_N_ELEMENTS (fulcrum_sim_seed_locations));
      guint n_tags = g_rand_int_range (seeder->rand, 0, 3);

      posting->parent.id = fulcrum_sim_seed_uuid (seeder);
      /* spread in order so that postings[i] is older than postings[i + 1] */
      posting->parent.created_at = start + (seeder->now - 7 * DAY - start) * i / n_postings
                                   + g_rand_int_range (seeder->rand, 0, DAY);
      posting->parent.sort_at = posting->parent.created_at;
      posting->parent.updated_at = fulcrum_sim_seed_time_between (seeder,
                                                                  posting->parent.created_at,
                                                                  seeder->now);
      /* one in twenty, and always one so that small data sets have some */
      posting->parent.confidential = fulcrum_sim_seed_chance (seeder, 0.05) || i == 1;
      posting->text = g_strdup (fulcrum_sim_seed_roles[role].title);
      posting->team = g_strdup (fulcrum_sim_seed_roles[role].team);
      posting->department = g_strdup (fulcrum_sim_seed_roles[role].department);
      posting->state = g_strdup (FULCRUM_SIM_SEED_PICK (seeder, states));
      posting->user = g_strdup (fulcrum_sim_seed_random_user (seeder));
      posting->owner = g_strdup (fulcrum_sim_seed_random_user (seeder));
      posting->hiring_manager = g_strdup (fulcrum_sim_seed_random_user (seeder));
      posting->commitment = g_strdup (FULCRUM_SIM_SEED_PICK (seeder, commitments));
      posting->level = g_strdup (FULCRUM_SIM_SEED_PICK (seeder, levels));
      posting->location = g_strdup (fulcrum_sim_seed_locations[loc].city);
      posting->country = g_strdup (fulcrum_sim_seed_locations[loc].country);
      posting->workplace_type = g_strdup (strcmp (posting->location, "Remote") == 0
                                          ? "remote"
                                          : FULCRUM_SIM_SEED_PICK (seeder, workplace_types));
      posting->req_code = g_strdup_printf ("REQ-%04u", i + 1);
      posting->tags = fulcrum_sim_seed_strv_array ();
      for (guint t = 0; t < n_tags; t++)
        fulcrum_sim_seed_add_unique (posting->tags,
                                     FULCRUM_SIM_SEED_PICK (seeder, fulcrum_sim_seed_tags));
      posting->followers = fulcrum_sim_seed_strv_array ();
      fulcrum_sim_seed_add_unique (posting->followers, posting->owner);
      fulcrum_sim_seed_add_unique (posting->followers, posting->hiring_manager);
      posting->channels = fulcrum_sim_seed_strv_array ();
      if (strcmp (posting->state, "published") == 0)
        g_ptr_array_add (posting->channels, g_strdup ("public"));
      if (strcmp (posting->state, "published") == 0 || strcmp (posting->state, "internal") == 0)
        g_ptr_array_add (posting->channels, g_strdup ("internal"));
      fulcrum_sim_posting_serialize (posting);
      g_ptr_array_add (seeder->postings, posting);
      fulcrum_sim_list_insert (data->postings, posting);
    }

  /* Three postings in four have a requisition behind them. */
  for (guint i = 0; i < n_postings; i++)
    {
      FulcrumSimPosting *posting = g_ptr_array_index (seeder->postings, i);
      FulcrumSimRequisition *req;
      static const char * const statuses[] = { "open", "open", "closed", "onHold", "draft" };

      if (i % 4 == 3)
        continue;
      req = g_new0 (FulcrumSimRequisition, 1);
      req->parent.id = fulcrum_sim_seed_uuid (seeder);
      req->parent.created_at = posting->parent.created_at - g_rand_int_range (seeder->rand, HOUR,
                                                                              14 * DAY);
      req->parent.sort_at = req->parent.created_at;
      req->parent.updated_at = posting->parent.updated_at;
      req->parent.confidential = posting->parent.confidential;
      req->code = g_strdup (posting->req_code);
      req->name = g_strdup_printf ("%s, %s", posting->text, posting->location);
      req->status = g_strdup (strcmp (posting->state, "closed") == 0 ? "closed"
                              : FULCRUM_SIM_SEED_PICK (seeder, statuses));
      req->creator = g_strdup (fulcrum_sim_seed_random_user (seeder));
      req->owner = g_strdup (posting->owner);
      req->hiring_manager = g_strdup (posting->hiring_manager);
      req->location = g_strdup (posting->location);
      req->team = g_strdup (posting->team);
      req->department = g_strdup (posting->department);
      req->employment_status = g_strdup (posting->commitment);
      req->backfill = fulcrum_sim_seed_chance (seeder, 0.2);
      req->headcount_total = g_rand_int_range (seeder->rand, 1, 4);
      req->headcount_hired = strcmp (req->status, "closed") == 0 ? req->headcount_total : 0;
      req->postings = fulcrum_sim_seed_strv_array ();
      g_ptr_array_add (req->postings, g_strdup (posting->parent.id));
      fulcrum_sim_requisition_serialize (req);
      fulcrum_sim_list_insert (data->requisitions, req);
    }

  for (guint i = 0; i < n_postings / 10 + 1; i++)
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
      fulcrum_sim_list_insert (data->deleted_postings, deleted);
    }
}

FulcrumSimData *
fulcrum_sim_data_new_seeded (guint64 seed,
                             guint   n_opportunities,
                             gint64  now_ms)
{
  guint32 seed_words[2] = { (guint32) seed, (guint32) (seed >> 32) };
  FulcrumSimSeeder seeder = { 0 };
  gint64 anchor = now_ms - now_ms % DAY;
  FulcrumSimData *data = fulcrum_sim_data_new (seed, n_opportunities, anchor);

  seeder.rand = g_rand_new_with_seed_array (seed_words, 2);
  seeder.data = data;
  seeder.now = anchor;
  seeder.active_users = g_ptr_array_new ();
  seeder.postings = g_ptr_array_new ();
  seeder.other_reasons = g_ptr_array_new ();

  seed_users (&seeder, CLAMP (n_opportunities / 100, 12, 300));
  seed_lookups (&seeder);
  seed_postings (&seeder, CLAMP (n_opportunities / 50, 5, 500));
  fulcrum_sim_seed_opportunities (&seeder, n_opportunities);
  fulcrum_sim_data_refresh_counts (data);

  g_rand_free (seeder.rand);
  seed_words[0] ^= 0x5eed0002;
  seeder.rand = g_rand_new_with_seed_array (seed_words, 2);
  fulcrum_sim_seed_more (&seeder);

  g_ptr_array_unref (seeder.active_users);
  g_ptr_array_unref (seeder.postings);
  g_ptr_array_unref (seeder.other_reasons);
  g_rand_free (seeder.rand);
  return data;
}
