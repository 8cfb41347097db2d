/* fulcrum-sim-data.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "fulcrum-sim-json.h"

G_BEGIN_DECLS

/* Every record starts with this header. Lists keep records sorted the way the simulator
 * pages them: @sort_at descending, then @id ascending (createdAt for most kinds, deletedAt
 * for deleted ones, 0 for lookups so that they come in id order). */
typedef struct
{
  char    *id;
  gint64   sort_at;
  gint64   created_at;
  gint64   updated_at;
  char    *json;          /* cached serialization, rebuilt after a write */
  gsize    json_len;
  gboolean confidential;
} FulcrumSimRecord;

typedef struct
{
  GPtrArray  *items;  /* FulcrumSimRecord*, owned through the list's free func */
  GHashTable *by_id;  /* id -> record, only for top-level lists */
} FulcrumSimList;

typedef struct
{
  FulcrumSimRecord  parent;
  char             *name;
  char             *username;
  char             *email;
  char             *access_role;
  char             *job_title;
  char             *manager_id;
  gint64            deactivated_at;
} FulcrumSimUser;

typedef struct
{
  FulcrumSimRecord  parent;
  char             *text;
  char             *type;   /* archive reasons: "hired" / "non-hired" */
} FulcrumSimLookup;

typedef struct
{
  FulcrumSimRecord  parent;
  char             *text;
  char             *state;
  char             *user;
  char             *owner;
  char             *hiring_manager;
  char             *commitment;
  char             *department;
  char             *level;
  char             *location;
  char             *team;
  char             *country;
  char             *workplace_type;
  char             *req_code;
  GPtrArray        *tags;
  GPtrArray        *followers;
  GPtrArray        *channels;
} FulcrumSimPosting;

typedef struct
{
  FulcrumSimRecord  parent;
  char             *code;
  char             *name;
  char             *status;
  char             *creator;
  char             *owner;
  char             *hiring_manager;
  char             *location;
  char             *team;
  char             *department;
  char             *employment_status;
  gboolean          backfill;
  guint             headcount_total;
  guint             headcount_hired;
  GPtrArray        *postings;
} FulcrumSimRequisition;

typedef struct
{
  FulcrumSimRecord  parent;
  char             *opportunity_id;
  char             *posting_id;   /* NULL for a lead added by a user */
  char             *type;         /* posting, user, referral */
  char             *user;
} FulcrumSimApplication;

typedef struct
{
  char   *to_stage;
  char   *user;
  gint64  at;
} FulcrumSimStageChange;

typedef enum
{
  FULCRUM_SIM_CHILD_APPLICATIONS,
  FULCRUM_SIM_CHILD_NOTES,
  FULCRUM_SIM_CHILD_INTERVIEWS,
  FULCRUM_SIM_CHILD_FEEDBACK,
  FULCRUM_SIM_CHILD_OFFERS,
  FULCRUM_SIM_CHILD_PANELS,
  FULCRUM_SIM_CHILD_REFERRALS,
  FULCRUM_SIM_CHILD_RESUMES,
  FULCRUM_SIM_CHILD_FILES,
  FULCRUM_SIM_N_CHILDREN
} FulcrumSimChildKind;

typedef struct
{
  FulcrumSimRecord  parent;
  char             *name;
  char             *headline;
  char             *contact;
  char             *location;
  char             *origin;
  char             *stage;
  char             *owner;
  char             *sourced_by;
  char             *archive_reason;  /* NULL when not archived */
  gint64            archived_at;
  gint64            last_interaction_at;
  gint64            last_advanced_at;
  GPtrArray        *emails;
  GPtrArray        *phones;          /* "type\nvalue" */
  GPtrArray        *links;
  GPtrArray        *tags;
  GPtrArray        *sources;
  GPtrArray        *followers;
  GPtrArray        *stage_changes;   /* FulcrumSimStageChange* */
  FulcrumSimList   *children[FULCRUM_SIM_N_CHILDREN];
} FulcrumSimOpportunity;

/* An entry of the audit log: who did what, for the type and user filters. */
typedef struct
{
  FulcrumSimRecord  parent;
  char             *type;
  char             *user;
} FulcrumSimAuditEvent;

typedef enum
{
  FULCRUM_SIM_EXPAND_APPLICATIONS = 1 << 0,
  FULCRUM_SIM_EXPAND_STAGE        = 1 << 1,
  FULCRUM_SIM_EXPAND_OWNER        = 1 << 2,
  FULCRUM_SIM_EXPAND_FOLLOWERS    = 1 << 3,
  FULCRUM_SIM_EXPAND_SOURCED_BY   = 1 << 4,
  FULCRUM_SIM_EXPAND_CONTACT      = 1 << 5,
} FulcrumSimExpand;

typedef struct
{
  guint64         seed;
  guint           n_opportunities;
  gint64          anchor_ms;       /* "now" when the data was generated */

  FulcrumSimList *users;
  FulcrumSimList *stages;
  FulcrumSimList *archive_reasons;
  FulcrumSimList *postings;
  FulcrumSimList *requisitions;
  FulcrumSimList *opportunities;
  FulcrumSimList *deleted_opportunities;
  FulcrumSimList *deleted_postings;
  FulcrumSimList *tags;            /* {text, count}, rebuilt when stale */
  FulcrumSimList *sources;
  gboolean        counts_stale;
  FulcrumSimList *requisition_fields;
  FulcrumSimList *feedback_templates;
  FulcrumSimList *webhooks;
  FulcrumSimList *audit_events;    /* FulcrumSimAuditEvent* */
  FulcrumSimList *eeo_responses;

  GHashTable     *contacts_by_email;
} FulcrumSimData;

/* fulcrum-sim-seed.c */
FulcrumSimData        *fulcrum_sim_data_new_seeded     (guint64           seed,
                                                        guint             n_opportunities,
                                                        gint64            now_ms);

/* fulcrum-sim-data.c */
FulcrumSimData        *fulcrum_sim_data_new            (guint64           seed,
                                                        guint             n_opportunities,
                                                        gint64            anchor_ms);
void                   fulcrum_sim_data_free           (FulcrumSimData   *data);

FulcrumSimList        *fulcrum_sim_list_new            (gboolean          indexed,
                                                        GDestroyNotify    free_func);
void                   fulcrum_sim_list_free           (FulcrumSimList   *list);
/* Inserts at the sorted position (records are built before being inserted). */
void                   fulcrum_sim_list_insert         (FulcrumSimList   *list,
                                                        gpointer          record);
void                   fulcrum_sim_list_sort           (FulcrumSimList   *list);
gpointer               fulcrum_sim_list_lookup         (FulcrumSimList   *list,
                                                        const char       *id);
/* Index of the first record that sorts after (sort_at, id); 0 when @id is NULL. */
guint                  fulcrum_sim_list_position_after (FulcrumSimList   *list,
                                                        gint64            sort_at,
                                                        const char       *id);
int                    fulcrum_sim_record_compare      (const FulcrumSimRecord *a,
                                                        const FulcrumSimRecord *b);

void                   fulcrum_sim_record_clear        (FulcrumSimRecord *record);
void                   fulcrum_sim_record_set_json     (FulcrumSimRecord *record,
                                                        GString          *json);
void                   fulcrum_sim_record_free_plain   (gpointer          record);
void                   fulcrum_sim_user_free           (gpointer          record);
void                   fulcrum_sim_lookup_free         (gpointer          record);
void                   fulcrum_sim_posting_free        (gpointer          record);
void                   fulcrum_sim_requisition_free    (gpointer          record);
void                   fulcrum_sim_application_free    (gpointer          record);
void                   fulcrum_sim_audit_event_free    (gpointer          record);
void                   fulcrum_sim_opportunity_free    (gpointer          record);
void                   fulcrum_sim_stage_change_free   (gpointer          change);

/* Rebuild record->json from the fields. */
void                   fulcrum_sim_user_serialize        (FulcrumSimUser        *user);
void                   fulcrum_sim_lookup_serialize      (FulcrumSimLookup      *lookup,
                                                          gboolean               is_reason);
void                   fulcrum_sim_posting_serialize     (FulcrumSimPosting     *posting);
void                   fulcrum_sim_requisition_serialize (FulcrumSimRequisition *requisition);
void                   fulcrum_sim_application_serialize (FulcrumSimApplication *application,
                                                          FulcrumSimData        *data);
void                   fulcrum_sim_opportunity_serialize (FulcrumSimOpportunity *opportunity,
                                                          FulcrumSimData        *data);
/* Writes the opportunity with @expand (0 = the cached form) to @out. */
void                   fulcrum_sim_opportunity_write     (FulcrumSimOpportunity *opportunity,
                                                          FulcrumSimData        *data,
                                                          guint                  expand,
                                                          GString               *out);
/* The person behind an opportunity, as /contacts/:id and expand=contact show it. */
void                   fulcrum_sim_contact_write         (FulcrumSimOpportunity *opportunity,
                                                          FulcrumSimJson        *json);
/* The {text, count} lookups, recounted after writes to tags or sources. */
void                   fulcrum_sim_data_refresh_counts   (FulcrumSimData        *data);

const char            *fulcrum_sim_child_kind_to_path   (FulcrumSimChildKind    kind);
gboolean               fulcrum_sim_child_kind_from_path (const char            *path,
                                                         FulcrumSimChildKind   *kind);
/* The scope a child list needs, e.g. "notes:read:admin". */
const char            *fulcrum_sim_child_kind_scope     (FulcrumSimChildKind    kind);

char                  *fulcrum_sim_data_new_id          (void);

/* fulcrum-sim-records.c: a note as the API lists it, shared by the seed and the writes */
FulcrumSimRecord      *fulcrum_sim_note_new             (const char            *id,
                                                         const char            *text,
                                                         const char            *user,
                                                         gboolean               secret,
                                                         int                    score,
                                                         gint64                 created_at);

G_END_DECLS
