/* fulcrum-sim-seed-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrum-sim-data.h"

G_BEGIN_DECLS

#define FULCRUM_SIM_MINUTE (G_GINT64_CONSTANT (60) * 1000)
#define FULCRUM_SIM_HOUR   (60 * FULCRUM_SIM_MINUTE)
#define FULCRUM_SIM_DAY    (24 * FULCRUM_SIM_HOUR)
#define FULCRUM_SIM_YEAR   (365 * FULCRUM_SIM_DAY)

typedef struct
{
  GRand          *rand;
  FulcrumSimData *data;
  gint64          now;
  GPtrArray      *active_users;   /* const char* ids, not owned */
  GPtrArray      *postings;       /* FulcrumSimPosting*, not owned, oldest first */
  const char     *stage_ids[9];   /* pipeline order; 0-2 lead, 3 new applicant, 8 offer */
  const char     *hired_reason;
  GPtrArray      *other_reasons;
} FulcrumSimSeeder;

typedef struct
{
  const char *title;
  const char *team;
  const char *department;
} FulcrumSimSeedRole;

typedef struct
{
  const char *city;
  const char *country;
} FulcrumSimSeedLocation;

extern const char * const           fulcrum_sim_seed_first_names[60];
extern const char * const           fulcrum_sim_seed_last_names[60];
extern const char * const           fulcrum_sim_seed_companies[16];
extern const FulcrumSimSeedRole     fulcrum_sim_seed_roles[16];
extern const FulcrumSimSeedLocation fulcrum_sim_seed_locations[15];
extern const char * const           fulcrum_sim_seed_tags[40];

#define FULCRUM_SIM_SEED_PICK(seeder, array) \
  ((array)[g_rand_int_range ((seeder)->rand, 0, G_N_ELEMENTS (array))])

gint64       fulcrum_sim_seed_time_between   (FulcrumSimSeeder *seeder,
                                              gint64            start,
                                              gint64            end);
gboolean     fulcrum_sim_seed_chance         (FulcrumSimSeeder *seeder,
                                              double            p);
char        *fulcrum_sim_seed_uuid           (FulcrumSimSeeder *seeder);
const char  *fulcrum_sim_seed_random_user    (FulcrumSimSeeder *seeder);
GPtrArray   *fulcrum_sim_seed_strv_array     (void);
void         fulcrum_sim_seed_add_unique     (GPtrArray        *array,
                                              const char       *value);
char        *fulcrum_sim_seed_ascii_slug     (const char       *name);

/* fulcrum-sim-seed-opportunities.c */
void         fulcrum_sim_seed_opportunities  (FulcrumSimSeeder *seeder,
                                              guint             n_opportunities);

/* fulcrum-sim-seed-more.c: requisition fields, feedback templates, webhooks, audit events,
 * EEO responses and opportunities' files. Runs last, on its own GRand, so that the data
 * seeded before it does not depend on it. */
void         fulcrum_sim_seed_more           (FulcrumSimSeeder *seeder);

G_END_DECLS
