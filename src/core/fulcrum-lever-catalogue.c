/* fulcrum-lever-catalogue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-lever-private.h"

/* Lever's data API v1 (lever-api.md §4) as actions: every read (lists with their filters
 * and `expand`, get by id, the per-opportunity lists) and the common writes. Parameter
 * names are Lever's own, so that its documentation applies as is. */

#define PARAM(n, t, l, r, d) \
  { .name = n, .type = FULCRUM_ACTION_PARAM_##t, .location = FULCRUM_ACTION_PARAM_IN_##l, \
    .required = r, .description = d }
#define CHOICE(n, t, l, c, d) \
  { .name = n, .type = FULCRUM_ACTION_PARAM_##t, .location = FULCRUM_ACTION_PARAM_IN_##l, \
    .description = d, .choices = c }

#define P_LIMIT \
  { .name = "limit", .type = FULCRUM_ACTION_PARAM_INTEGER, \
    .location = FULCRUM_ACTION_PARAM_IN_QUERY, .min = 1, .max = 100, \
    .description = N_("Records per page, 1 to 100 (default 100)") }
#define P_OFFSET \
  PARAM ("offset", STRING, QUERY, FALSE, N_("Where to continue: the “next” of the previous page"))
#define P_ID(what) PARAM ("id", STRING, PATH, TRUE, what)
#define P_OPPORTUNITY_ID \
  PARAM ("opportunity_id", STRING, PATH, TRUE, N_("The opportunity’s id"))
#define P_PERFORM_AS(req) \
  PARAM ("perform_as", STRING, QUERY, req, N_("The id of the user the change is made as"))
#define P_CONFIDENTIALITY \
  { .name = "confidentiality", .type = FULCRUM_ACTION_PARAM_STRING, \
    .location = FULCRUM_ACTION_PARAM_IN_QUERY, .choices = confidentiality_choices, \
    .scope = "confidential:access:admin", .default_value = "non-confidential", \
    .description = N_("confidential, non-confidential (default) or all; the first and the " \
                      "last need the confidential access scope") }
#define P_RANGE(prefix, start, end) \
  PARAM (prefix "_start", TIMESTAMP, QUERY, FALSE, start), \
  PARAM (prefix "_end", TIMESTAMP, QUERY, FALSE, end)
#define P_CREATED \
  P_RANGE ("created_at", N_("Created at or after (epoch ms or ISO 8601)"), \
           N_("Created at or before (epoch ms or ISO 8601)"))
#define P_UPDATED \
  P_RANGE ("updated_at", N_("Updated at or after (epoch ms or ISO 8601)"), \
           N_("Updated at or before (epoch ms or ISO 8601)"))

#define SCOPES(...) (const char * const []) { __VA_ARGS__, NULL }
#define PARAMS(array) array, G_N_ELEMENTS (array)

static const char * const confidentiality_choices[] = {
  "confidential", "non-confidential", "all", NULL
};
static const char * const expand_choices[] = {
  "applications", "stage", "owner", "followers", "sourcedBy", "contact", NULL
};
static const char * const origin_choices[] = {
  "agency", "applied", "internal", "referred", "sourced", "university", NULL
};
static const char * const posting_state_choices[] = {
  "published", "internal", "closed", "draft", "pending", "rejected", NULL
};
static const char * const access_role_choices[] = {
  "super admin", "admin", "team lead", "member", "interviewer", NULL
};
static const char * const reason_type_choices[] = { "hired", "non-hired", NULL };

/* Opportunities */

static const FulcrumActionParam list_opportunities_params[] = {
  PARAM ("posting_id", STRING_LIST, QUERY, FALSE, N_("Only candidates for these postings")),
  PARAM ("stage_id", STRING_LIST, QUERY, FALSE, N_("Only opportunities in these stages")),
  PARAM ("tag", STRING_LIST, QUERY, FALSE, N_("Only opportunities with one of these tags")),
  CHOICE ("origin", STRING_LIST, QUERY, origin_choices, N_("Only these origins")),
  PARAM ("email", STRING_LIST, QUERY, FALSE, N_("Only opportunities with these emails")),
  PARAM ("contact_id", STRING_LIST, QUERY, FALSE, N_("Only opportunities of these contacts")),
  PARAM ("archived", BOOLEAN, QUERY, FALSE, N_("Only archived (true) or active (false) ones")),
  P_CREATED,
  P_UPDATED,
  CHOICE ("expand", STRING_LIST, QUERY, expand_choices,
          N_("Objects to include instead of their ids: applications, stage, owner, followers, "
             "sourcedBy, contact")),
  P_CONFIDENTIALITY,
  P_LIMIT,
  P_OFFSET,
};

static const FulcrumActionParam get_opportunity_params[] = {
  P_ID (N_("The opportunity’s id")),
  CHOICE ("expand", STRING_LIST, QUERY, expand_choices,
          N_("Objects to include instead of their ids")),
};

static const FulcrumActionParam list_deleted_params[] = {
  P_RANGE ("deleted_at",
           N_("Deleted at or after (epoch ms or ISO 8601; at most 30 days before the end)"),
           N_("Deleted at or before (epoch ms or ISO 8601; default: now)")),
  P_LIMIT,
  P_OFFSET,
};

static const FulcrumActionParam opportunity_child_params[] = {
  P_OPPORTUNITY_ID,
  P_LIMIT,
  P_OFFSET,
};

static const FulcrumActionParam create_opportunity_params[] = {
  P_PERFORM_AS (TRUE),
  PARAM ("name", STRING, BODY, TRUE, N_("The candidate’s full name")),
  PARAM ("headline", STRING, BODY, FALSE, N_("A short description, e.g. the current job")),
  PARAM ("stage", STRING, BODY, FALSE, N_("The stage id (a new lead by default)")),
  PARAM ("location", STRING, BODY, FALSE, N_("Where the candidate lives")),
  PARAM ("emails", STRING_LIST, BODY, FALSE, N_("Email addresses")),
  PARAM ("phones", JSON, BODY, FALSE, N_("Phone numbers: [{\"type\": \"mobile\", \"value\": …}]")),
  PARAM ("links", STRING_LIST, BODY, FALSE, N_("Links, e.g. a profile page")),
  PARAM ("tags", STRING_LIST, BODY, FALSE, N_("Tags to add")),
  PARAM ("sources", STRING_LIST, BODY, FALSE, N_("Sources, e.g. a job board")),
  CHOICE ("origin", STRING, BODY, origin_choices, N_("How the candidate came in")),
  PARAM ("owner", STRING, BODY, FALSE, N_("The id of the owning user")),
  PARAM ("followers", STRING_LIST, BODY, FALSE, N_("Ids of users who follow the candidate")),
  PARAM ("postings", STRING_LIST, BODY, FALSE, N_("Ids of the postings applied to")),
  PARAM ("createdAt", TIMESTAMP, BODY, FALSE, N_("When it was created (default: now)")),
};

static const FulcrumActionParam create_note_params[] = {
  P_OPPORTUNITY_ID,
  P_PERFORM_AS (FALSE),
  PARAM ("value", STRING, BODY, TRUE, N_("The text of the note")),
  PARAM ("secret", BOOLEAN, BODY, FALSE, N_("Visible only to users who may see secret notes")),
  { .name = "score", .type = FULCRUM_ACTION_PARAM_INTEGER,
    .location = FULCRUM_ACTION_PARAM_IN_BODY, .min = 1, .max = 4,
    .description = N_("A score from 1 to 4") },
  PARAM ("createdAt", TIMESTAMP, BODY, FALSE, N_("When it was written (default: now)")),
};

static const FulcrumActionParam tags_params[] = {
  P_OPPORTUNITY_ID,
  P_PERFORM_AS (FALSE),
  PARAM ("tags", STRING_LIST, BODY, TRUE, N_("The tags")),
};

static const FulcrumActionParam stage_params[] = {
  P_OPPORTUNITY_ID,
  P_PERFORM_AS (FALSE),
  PARAM ("stage", STRING, BODY, TRUE, N_("The id of the new stage")),
};

static const FulcrumActionParam archive_params[] = {
  P_OPPORTUNITY_ID,
  P_PERFORM_AS (FALSE),
  PARAM ("reason", STRING, BODY, TRUE, N_("The id of the archive reason")),
  PARAM ("cleanInterviews", BOOLEAN, BODY, FALSE, N_("Also cancel upcoming interviews")),
  PARAM ("requisitionId", STRING, BODY, FALSE, N_("The requisition the hire fills")),
};

static const FulcrumActionParam unarchive_params[] = {
  P_OPPORTUNITY_ID,
  P_PERFORM_AS (FALSE),
};

/* Postings, users, lookups */

static const FulcrumActionParam list_postings_params[] = {
  CHOICE ("state", STRING_LIST, QUERY, posting_state_choices, N_("Only postings in these states")),
  PARAM ("team", STRING_LIST, QUERY, FALSE, N_("Only these teams")),
  PARAM ("department", STRING_LIST, QUERY, FALSE, N_("Only these departments")),
  PARAM ("location", STRING_LIST, QUERY, FALSE, N_("Only these locations")),
  PARAM ("commitment", STRING_LIST, QUERY, FALSE, N_("Only these commitments")),
  PARAM ("level", STRING_LIST, QUERY, FALSE, N_("Only these levels")),
  PARAM ("tag", STRING_LIST, QUERY, FALSE, N_("Only postings with one of these tags")),
  PARAM ("distribution_channel", STRING_LIST, QUERY, FALSE, N_("Only postings on these channels")),
  P_CREATED,
  P_UPDATED,
  P_CONFIDENTIALITY,
  P_LIMIT,
  P_OFFSET,
};

static const FulcrumActionParam list_users_params[] = {
  PARAM ("email", STRING_LIST, QUERY, FALSE, N_("Only users with these emails")),
  CHOICE ("access_role", STRING_LIST, QUERY, access_role_choices, N_("Only these roles")),
  PARAM ("includeDeactivated", BOOLEAN, QUERY, FALSE, N_("Include deactivated users")),
  P_LIMIT,
  P_OFFSET,
};

static const FulcrumActionParam list_plain_params[] = {
  P_LIMIT,
  P_OFFSET,
};

static const FulcrumActionParam list_archive_reasons_params[] = {
  CHOICE ("type", STRING, QUERY, reason_type_choices, N_("hired or non-hired")),
  P_LIMIT,
  P_OFFSET,
};

static const FulcrumActionParam list_requisitions_params[] = {
  PARAM ("status", STRING_LIST, QUERY, FALSE, N_("Only these statuses (open, onHold, closed, draft)")),
  PARAM ("requisition_code", STRING_LIST, QUERY, FALSE, N_("Only these requisition codes")),
  P_CREATED,
  P_CONFIDENTIALITY,
  P_LIMIT,
  P_OFFSET,
};

static const FulcrumActionParam get_posting_params[] = { P_ID (N_("The posting’s id")) };
static const FulcrumActionParam get_user_params[] = { P_ID (N_("The user’s id")) };
static const FulcrumActionParam get_stage_params[] = { P_ID (N_("The stage’s id")) };
static const FulcrumActionParam get_reason_params[] = { P_ID (N_("The archive reason’s id")) };
static const FulcrumActionParam get_requisition_params[] = { P_ID (N_("The requisition’s id")) };
static const FulcrumActionParam get_contact_params[] = { P_ID (N_("The contact’s id")) };

#define READ_LIST (FULCRUM_ACTION_FLAG_PAGINATED)
#define READ_WINDOWED (FULCRUM_ACTION_FLAG_PAGINATED | FULCRUM_ACTION_FLAG_PARTITIONABLE)
#define CHILD_LIST(noun, child, scope, title, description) \
  { "lever_list_opportunity_" noun, title, description, "opportunities", "GET", \
    "/opportunities/{opportunity_id}/" child, SCOPES (scope), \
    PARAMS (opportunity_child_params), READ_LIST, NULL }

static const FulcrumAction catalogue[] = {
  { "lever_list_opportunities", N_("List opportunities"),
    N_("Candidates and their applications, newest first, with filters"), "opportunities",
    "GET", "/opportunities", SCOPES ("opportunities:read:admin"),
    PARAMS (list_opportunities_params), READ_WINDOWED, NULL },
  { "lever_get_opportunity", N_("Get an opportunity"), N_("One opportunity by id"),
    "opportunities", "GET", "/opportunities/{id}", SCOPES ("opportunities:read:admin"),
    PARAMS (get_opportunity_params), FULCRUM_ACTION_FLAG_NONE, NULL },
  { "lever_list_deleted_opportunities", N_("List deleted opportunities"),
    N_("Opportunities deleted in a window of at most 30 days"), "opportunities", "GET",
    "/opportunities/deleted", SCOPES ("opportunities:read:admin"),
    PARAMS (list_deleted_params), READ_LIST, NULL },
  CHILD_LIST ("applications", "applications", "applications:read:admin",
              N_("List an opportunity’s applications"), N_("The postings a candidate applied to")),
  CHILD_LIST ("interviews", "interviews", "interviews:read:admin",
              N_("List an opportunity’s interviews"), N_("Scheduled and past interviews")),
  CHILD_LIST ("panels", "panels", "panels:read:admin",
              N_("List an opportunity’s interview panels"), N_("Interview panels")),
  CHILD_LIST ("feedback", "feedback", "feedback:read:admin",
              N_("List an opportunity’s feedback"), N_("Interview feedback forms")),
  CHILD_LIST ("notes", "notes", "notes:read:admin",
              N_("List an opportunity’s notes"), N_("Notes about the candidate")),
  CHILD_LIST ("offers", "offers", "offers:read:admin",
              N_("List an opportunity’s offers"), N_("Offers made to the candidate")),
  CHILD_LIST ("referrals", "referrals", "referrals:read:admin",
              N_("List an opportunity’s referrals"), N_("Who referred the candidate")),
  CHILD_LIST ("resumes", "resumes", "resumes:read:admin",
              N_("List an opportunity’s resumes"), N_("Resumes and their parsed data")),
  CHILD_LIST ("files", "files", "files:read:admin",
              N_("List an opportunity’s files"), N_("Files attached to the candidate")),
  { "lever_create_opportunity", N_("Create an opportunity"),
    N_("Adds a candidate, optionally applied to postings"), "opportunities", "POST",
    "/opportunities", SCOPES ("opportunities:write:admin"),
    PARAMS (create_opportunity_params), FULCRUM_ACTION_FLAG_WRITE, NULL },
  { "lever_create_note", N_("Add a note"), N_("Adds a note to an opportunity"),
    "opportunities", "POST", "/opportunities/{opportunity_id}/notes",
    SCOPES ("notes:write:admin"), PARAMS (create_note_params), FULCRUM_ACTION_FLAG_WRITE, NULL },
  { "lever_add_opportunity_tags", N_("Add tags"), N_("Adds tags to an opportunity"),
    "opportunities", "POST", "/opportunities/{opportunity_id}/addTags",
    SCOPES ("opportunities:write:admin"), PARAMS (tags_params),
    FULCRUM_ACTION_FLAG_WRITE | FULCRUM_ACTION_FLAG_IDEMPOTENT, NULL },
  { "lever_remove_opportunity_tags", N_("Remove tags"), N_("Removes tags from an opportunity"),
    "opportunities", "POST", "/opportunities/{opportunity_id}/removeTags",
    SCOPES ("opportunities:write:admin"), PARAMS (tags_params),
    FULCRUM_ACTION_FLAG_WRITE | FULCRUM_ACTION_FLAG_IDEMPOTENT, NULL },
  { "lever_update_opportunity_stage", N_("Change the stage"),
    N_("Moves an opportunity to another stage"), "opportunities", "PUT",
    "/opportunities/{opportunity_id}/stage", SCOPES ("opportunities:write:admin"),
    PARAMS (stage_params), FULCRUM_ACTION_FLAG_WRITE | FULCRUM_ACTION_FLAG_IDEMPOTENT, NULL },
  { "lever_archive_opportunity", N_("Archive an opportunity"),
    N_("Archives an opportunity with a reason"), "opportunities", "PUT",
    "/opportunities/{opportunity_id}/archived", SCOPES ("opportunities:write:admin"),
    PARAMS (archive_params), FULCRUM_ACTION_FLAG_WRITE | FULCRUM_ACTION_FLAG_IDEMPOTENT, NULL },
  { "lever_unarchive_opportunity", N_("Unarchive an opportunity"),
    N_("Makes an archived opportunity active again"), "opportunities", "PUT",
    "/opportunities/{opportunity_id}/archived", SCOPES ("opportunities:write:admin"),
    PARAMS (unarchive_params), FULCRUM_ACTION_FLAG_WRITE | FULCRUM_ACTION_FLAG_IDEMPOTENT,
    "{\"reason\":null}" },

  { "lever_list_postings", N_("List postings"), N_("Job postings, with filters"), "postings",
    "GET", "/postings", SCOPES ("postings:read:admin"), PARAMS (list_postings_params),
    READ_WINDOWED, NULL },
  { "lever_get_posting", N_("Get a posting"), N_("One posting by id"), "postings", "GET",
    "/postings/{id}", SCOPES ("postings:read:admin"), PARAMS (get_posting_params),
    FULCRUM_ACTION_FLAG_NONE, NULL },
  { "lever_list_deleted_postings", N_("List deleted postings"),
    N_("Postings deleted in a window of at most 30 days"), "postings", "GET",
    "/postings/deleted", SCOPES ("postings:read:admin"), PARAMS (list_deleted_params),
    READ_LIST, NULL },

  { "lever_list_users", N_("List users"), N_("The organization’s Lever users"), "users", "GET",
    "/users", SCOPES ("users:read:admin"), PARAMS (list_users_params), READ_LIST, NULL },
  { "lever_get_user", N_("Get a user"), N_("One user by id"), "users", "GET", "/users/{id}",
    SCOPES ("users:read:admin"), PARAMS (get_user_params), FULCRUM_ACTION_FLAG_NONE, NULL },

  { "lever_list_stages", N_("List stages"), N_("The pipeline’s stages"), "stages", "GET",
    "/stages", SCOPES ("stages:read:admin"), PARAMS (list_plain_params), READ_LIST, NULL },
  { "lever_get_stage", N_("Get a stage"), N_("One stage by id"), "stages", "GET",
    "/stages/{id}", SCOPES ("stages:read:admin"), PARAMS (get_stage_params),
    FULCRUM_ACTION_FLAG_NONE, NULL },
  { "lever_list_archive_reasons", N_("List archive reasons"),
    N_("Why opportunities get archived"), "archive_reasons", "GET", "/archive_reasons",
    SCOPES ("archive_reasons:read:admin"), PARAMS (list_archive_reasons_params), READ_LIST, NULL },
  { "lever_get_archive_reason", N_("Get an archive reason"), N_("One archive reason by id"),
    "archive_reasons", "GET", "/archive_reasons/{id}", SCOPES ("archive_reasons:read:admin"),
    PARAMS (get_reason_params), FULCRUM_ACTION_FLAG_NONE, NULL },
  { "lever_list_sources", N_("List sources"), N_("Candidate sources and how often each is used"),
    "sources", "GET", "/sources", SCOPES ("sources:read:admin"), PARAMS (list_plain_params),
    READ_LIST, NULL },
  { "lever_list_tags", N_("List tags"), N_("Tags and how often each is used"), "tags", "GET",
    "/tags", SCOPES ("tags:read:admin"), PARAMS (list_plain_params), READ_LIST, NULL },

  { "lever_list_requisitions", N_("List requisitions"), N_("Headcount requisitions"),
    "requisitions", "GET", "/requisitions", SCOPES ("requisitions:read:admin"),
    PARAMS (list_requisitions_params), READ_WINDOWED, NULL },
  { "lever_get_requisition", N_("Get a requisition"), N_("One requisition by id"),
    "requisitions", "GET", "/requisitions/{id}", SCOPES ("requisitions:read:admin"),
    PARAMS (get_requisition_params), FULCRUM_ACTION_FLAG_NONE, NULL },
  { "lever_list_requisition_fields", N_("List requisition fields"),
    N_("The custom fields of requisitions"), "requisition_fields", "GET", "/requisition_fields",
    SCOPES ("requisition_fields:read:admin"), PARAMS (list_plain_params), READ_LIST, NULL },
  { "lever_list_feedback_templates", N_("List feedback templates"),
    N_("The forms interviewers fill in"), "feedback_templates", "GET", "/feedback_templates",
    SCOPES ("feedback_templates:read:admin"), PARAMS (list_plain_params), READ_LIST, NULL },
  { "lever_get_contact", N_("Get a contact"), N_("A person across their opportunities"),
    "contact", "GET", "/contacts/{id}", SCOPES ("contact:read:admin"),
    PARAMS (get_contact_params), FULCRUM_ACTION_FLAG_NONE, NULL },
  { "lever_list_webhooks", N_("List webhooks"), N_("The webhooks Lever calls"), "webhooks",
    "GET", "/webhooks", SCOPES ("webhooks:read:admin"), PARAMS (list_plain_params), READ_LIST,
    NULL },
  { "lever_list_audit_events", N_("List audit events"), N_("Who did what in Lever"),
    "audit_events", "GET", "/audit_events", SCOPES ("audit_events:read:admin"),
    PARAMS (list_plain_params), READ_LIST, NULL },
  { "lever_list_eeo_responses", N_("List EEO responses"),
    N_("Equal employment opportunity survey answers, without personal data"), "eeo_responses",
    "GET", "/eeo/responses", SCOPES ("eeo_responses:read:admin"), PARAMS (list_plain_params),
    READ_LIST, NULL },
};

const FulcrumAction *
fulcrum_lever_catalogue_get (guint *n_actions)
{
  if (n_actions != NULL)
    *n_actions = G_N_ELEMENTS (catalogue);
  return catalogue;
}
