/* fulcrum-sim-api.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fulcrum-scopes.h"
#include "fulcrum-sim-private.h"

/* Lever's data API v1: bearer auth, the per-token rate limit, scopes, and the resources
 * of lever-api.md §4. Reads here and in fulcrum-sim-api-more.c, writes in *-api-write.c. */

#define CONFIDENTIAL_SCOPE "confidential:access:admin"
#define DELETED_WINDOW_MS  (G_GINT64_CONSTANT (30) * 24 * 3600 * 1000)

typedef struct
{
  gint64 start;
  gint64 end;
} Range;

typedef struct
{
  FulcrumSimData *data;
  guint           expand;
  GPtrArray      *posting_ids;
  GPtrArray      *stage_ids;
  GPtrArray      *tags;
  GPtrArray      *origins;
  GPtrArray      *emails;
  GPtrArray      *contact_ids;
  int             archived;     /* -1: either */
  Range           created;
  Range           updated;
} OpportunityFilter;

typedef struct
{
  GPtrArray *states;
  GPtrArray *teams;
  GPtrArray *departments;
  GPtrArray *locations;
  GPtrArray *commitments;
  GPtrArray *levels;
  GPtrArray *tags;
  GPtrArray *channels;
  Range      created;
  Range      updated;
} PostingFilter;

static void
opportunity_filter_clear (OpportunityFilter *filter)
{
  g_clear_pointer (&filter->posting_ids, g_ptr_array_unref);
  g_clear_pointer (&filter->stage_ids, g_ptr_array_unref);
  g_clear_pointer (&filter->tags, g_ptr_array_unref);
  g_clear_pointer (&filter->origins, g_ptr_array_unref);
  g_clear_pointer (&filter->emails, g_ptr_array_unref);
  g_clear_pointer (&filter->contact_ids, g_ptr_array_unref);
}

static void
posting_filter_clear (PostingFilter *filter)
{
  g_clear_pointer (&filter->states, g_ptr_array_unref);
  g_clear_pointer (&filter->teams, g_ptr_array_unref);
  g_clear_pointer (&filter->departments, g_ptr_array_unref);
  g_clear_pointer (&filter->locations, g_ptr_array_unref);
  g_clear_pointer (&filter->commitments, g_ptr_array_unref);
  g_clear_pointer (&filter->levels, g_ptr_array_unref);
  g_clear_pointer (&filter->tags, g_ptr_array_unref);
  g_clear_pointer (&filter->channels, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OpportunityFilter, opportunity_filter_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PostingFilter, posting_filter_clear)

/* Helpers */

static gboolean
in_list (GPtrArray  *allowed,
         const char *value)
{
  if (allowed == NULL)
    return TRUE;
  if (value == NULL)
    return FALSE;
  for (guint i = 0; i < allowed->len; i++)
    if (strcmp (g_ptr_array_index (allowed, i), value) == 0)
      return TRUE;
  return FALSE;
}

/* TRUE when @allowed is NULL or shares a value with @values. */
static gboolean
any_in_list (GPtrArray *allowed,
             GPtrArray *values,
             gboolean   ignore_case)
{
  if (allowed == NULL)
    return TRUE;
  for (guint i = 0; values != NULL && i < values->len; i++)
    for (guint j = 0; j < allowed->len; j++)
      {
        const char *a = g_ptr_array_index (values, i);
        const char *b = g_ptr_array_index (allowed, j);

        if (ignore_case ? g_ascii_strcasecmp (a, b) == 0 : strcmp (a, b) == 0)
          return TRUE;
      }
  return FALSE;
}

static gboolean
in_range (const Range *range,
          gint64       value)
{
  return value >= range->start && value <= range->end;
}

static void
reply_bad_request (FulcrumSimRequest *req,
                   const char        *message)
{
  fulcrum_sim_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest", message);
}

static void
reply_not_found (FulcrumSimRequest *req,
                 const char        *what)
{
  g_autofree char *message = g_strdup_printf ("%s not found", what);

  fulcrum_sim_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "ResourceNotFound", message);
}

/* Inclusive bounds in epoch ms, like Lever's time filters. */
static gboolean
parse_range (FulcrumSimRequest *req,
             const char        *prefix,
             Range             *range)
{
  static const char * const suffixes[] = { "_start", "_end" };
  gint64 *bounds[] = { &range->start, &range->end };

  range->start = G_MININT64;
  range->end = G_MAXINT64;
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strconcat (prefix, suffixes[i], NULL);
      const char *value = fulcrum_sim_params_get (req->params, name);

      if (value != NULL &&
          !g_ascii_string_to_signed (value, 10, 0, G_MAXINT64, bounds[i], NULL))
        {
          g_autofree char *message = g_strdup_printf ("Invalid %s: expected a time in "
                                                      "milliseconds since the epoch", name);

          reply_bad_request (req, message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_confidentiality (FulcrumSimRequest         *req,
                       FulcrumSimConfidentiality *mode)
{
  const char *value = fulcrum_sim_params_get (req->params, "confidentiality");

  if (value == NULL || strcmp (value, "non-confidential") == 0)
    *mode = FULCRUM_SIM_CONFIDENTIAL_EXCLUDE;
  else if (strcmp (value, "confidential") == 0)
    *mode = FULCRUM_SIM_CONFIDENTIAL_ONLY;
  else if (strcmp (value, "all") == 0)
    *mode = FULCRUM_SIM_CONFIDENTIAL_ALL;
  else
    {
      reply_bad_request (req, "confidentiality must be confidential, non-confidential or all");
      return FALSE;
    }

  /* confidential data fails without the scope rather than coming back empty */
  return *mode == FULCRUM_SIM_CONFIDENTIAL_EXCLUDE ||
         fulcrum_sim_api_require_scope (req, CONFIDENTIAL_SCOPE);
}

static gboolean
check_confidential_record (FulcrumSimRequest *req,
                           FulcrumSimRecord  *record)
{
  return !record->confidential || fulcrum_sim_api_require_scope (req, CONFIDENTIAL_SCOPE);
}

/* Opportunities */

static gboolean
opportunity_matches (FulcrumSimRecord *record,
                     gpointer          user_data)
{
  FulcrumSimOpportunity *opp = (FulcrumSimOpportunity *) record;
  OpportunityFilter *filter = user_data;

  if (!in_range (&filter->created, record->created_at) ||
      !in_range (&filter->updated, record->updated_at))
    return FALSE;
  if (filter->archived >= 0 && (opp->archive_reason != NULL) != filter->archived)
    return FALSE;
  if (!in_list (filter->stage_ids, opp->stage) ||
      !in_list (filter->origins, opp->origin) ||
      !in_list (filter->contact_ids, opp->contact) ||
      !any_in_list (filter->tags, opp->tags, FALSE) ||
      !any_in_list (filter->emails, opp->emails, TRUE))
    return FALSE;
  if (filter->posting_ids != NULL)
    {
      FulcrumSimList *apps = opp->children[FULCRUM_SIM_CHILD_APPLICATIONS];

      for (guint i = 0; i < apps->items->len; i++)
        {
          FulcrumSimApplication *app = g_ptr_array_index (apps->items, i);

          if (in_list (filter->posting_ids, app->posting_id))
            return TRUE;
        }
      return FALSE;
    }
  return TRUE;
}

static void
opportunity_write (FulcrumSimRecord *record,
                   gpointer          user_data,
                   GString          *out)
{
  OpportunityFilter *filter = user_data;

  fulcrum_sim_opportunity_write ((FulcrumSimOpportunity *) record, filter->data,
                                 filter->expand, out);
}

static gboolean
parse_expand (FulcrumSimRequest *req,
              guint             *expand)
{
  static const struct {
    const char *name;
    guint       flag;
  } known[] = {
    { "applications", FULCRUM_SIM_EXPAND_APPLICATIONS },
    { "stage", FULCRUM_SIM_EXPAND_STAGE },
    { "owner", FULCRUM_SIM_EXPAND_OWNER },
    { "followers", FULCRUM_SIM_EXPAND_FOLLOWERS },
    { "sourcedBy", FULCRUM_SIM_EXPAND_SOURCED_BY },
    { "contact", FULCRUM_SIM_EXPAND_CONTACT },
  };
  g_autoptr(GPtrArray) values = fulcrum_sim_params_get_all (req->params, "expand", TRUE);

  *expand = 0;
  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);
      guint j;

      for (j = 0; j < G_N_ELEMENTS (known); j++)
        if (strcmp (value, known[j].name) == 0)
          break;
      if (j == G_N_ELEMENTS (known))
        {
          g_autofree char *message = g_strdup_printf ("Invalid expand value: %s", value);

          reply_bad_request (req, message);
          return FALSE;
        }
      *expand |= known[j].flag;
    }
  return TRUE;
}

static void
list_opportunities (FulcrumSimRequest *req)
{
  FulcrumSimData *data = req->self->data;
  g_auto(OpportunityFilter) filter = { 0 };
  const char *archived = fulcrum_sim_params_get (req->params, "archived");
  FulcrumSimPage page = { 0 };

  filter.data = data;
  filter.archived = -1;
  if (!parse_expand (req, &filter.expand) ||
      !parse_range (req, "created_at", &filter.created) ||
      !parse_range (req, "updated_at", &filter.updated) ||
      !parse_confidentiality (req, &page.confidentiality))
    return;
  if (archived != NULL)
    {
      if (strcmp (archived, "true") != 0 && strcmp (archived, "false") != 0)
        {
          reply_bad_request (req, "archived must be true or false");
          return;
        }
      filter.archived = strcmp (archived, "true") == 0;
    }
  filter.posting_ids = fulcrum_sim_params_get_all (req->params, "posting_id", FALSE);
  filter.stage_ids = fulcrum_sim_params_get_all (req->params, "stage_id", FALSE);
  filter.tags = fulcrum_sim_params_get_all (req->params, "tag", FALSE);
  filter.origins = fulcrum_sim_params_get_all (req->params, "origin", FALSE);
  filter.emails = fulcrum_sim_params_get_all (req->params, "email", FALSE);
  filter.contact_ids = fulcrum_sim_params_get_all (req->params, "contact_id", FALSE);

  page.list = data->opportunities;
  if (filter.posting_ids || filter.stage_ids || filter.tags || filter.origins || filter.emails ||
      filter.contact_ids || filter.archived >= 0 || archived != NULL ||
      filter.created.start != G_MININT64 || filter.created.end != G_MAXINT64 ||
      filter.updated.start != G_MININT64 || filter.updated.end != G_MAXINT64)
    {
      page.filter = opportunity_matches;
      page.filter_data = &filter;
    }
  if (filter.expand != 0)
    {
      page.write = opportunity_write;
      page.write_data = &filter;
    }
  fulcrum_sim_reply_page (req, &page);
}

static FulcrumSimOpportunity *
find_opportunity (FulcrumSimRequest *req,
                  const char        *id)
{
  FulcrumSimOpportunity *opp = fulcrum_sim_list_lookup (req->self->data->opportunities, id);

  if (opp == NULL)
    {
      reply_not_found (req, "Opportunity");
      return NULL;
    }
  if (!check_confidential_record (req, &opp->parent))
    return NULL;
  return opp;
}

static void
get_opportunity (FulcrumSimRequest     *req,
                 FulcrumSimOpportunity *opp)
{
  guint expand;

  if (!parse_expand (req, &expand))
    return;
  if (expand == 0)
    fulcrum_sim_request_reply_data (req, SOUP_STATUS_OK, opp->parent.json, opp->parent.json_len);
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      fulcrum_sim_opportunity_write (opp, req->self->data, expand, out);
      fulcrum_sim_request_reply_data (req, SOUP_STATUS_OK, out->str, out->len);
    }
  req->n_records = 1;
}

/* Deleted opportunities and postings: a window of at most 30 days */

static gboolean
deleted_matches (FulcrumSimRecord *record,
                 gpointer          user_data)
{
  return in_range (user_data, record->sort_at);
}

static void
list_deleted (FulcrumSimRequest *req,
              FulcrumSimList    *list)
{
  FulcrumSimPage page = { .list = list, .confidentiality = FULCRUM_SIM_CONFIDENTIAL_ALL };
  gint64 now = fulcrum_sim_server_now_us (req->self) / 1000;
  Range range;

  if (!parse_range (req, "deleted_at", &range))
    return;
  if (range.end == G_MAXINT64)
    range.end = now;
  if (range.start == G_MININT64)
    range.start = range.end - DELETED_WINDOW_MS;
  if (range.end < range.start || range.end - range.start > DELETED_WINDOW_MS)
    {
      reply_bad_request (req, "The deleted_at window must not be longer than 30 days");
      return;
    }
  page.filter = deleted_matches;
  page.filter_data = &range;
  fulcrum_sim_reply_page (req, &page);
}

/* Postings */

static gboolean
posting_matches (FulcrumSimRecord *record,
                 gpointer          user_data)
{
  FulcrumSimPosting *posting = (FulcrumSimPosting *) record;
  PostingFilter *filter = user_data;

  return in_range (&filter->created, record->created_at) &&
         in_range (&filter->updated, record->updated_at) &&
         in_list (filter->states, posting->state) &&
         in_list (filter->teams, posting->team) &&
         in_list (filter->departments, posting->department) &&
         in_list (filter->locations, posting->location) &&
         in_list (filter->commitments, posting->commitment) &&
         in_list (filter->levels, posting->level) &&
         any_in_list (filter->tags, posting->tags, FALSE) &&
         any_in_list (filter->channels, posting->channels, FALSE);
}

static void
list_postings (FulcrumSimRequest *req)
{
  g_auto(PostingFilter) filter = { 0 };
  FulcrumSimPage page = { .list = req->self->data->postings };

  if (!parse_range (req, "created_at", &filter.created) ||
      !parse_range (req, "updated_at", &filter.updated) ||
      !parse_confidentiality (req, &page.confidentiality))
    return;
  filter.states = fulcrum_sim_params_get_all (req->params, "state", FALSE);
  filter.teams = fulcrum_sim_params_get_all (req->params, "team", FALSE);
  filter.departments = fulcrum_sim_params_get_all (req->params, "department", FALSE);
  filter.locations = fulcrum_sim_params_get_all (req->params, "location", FALSE);
  filter.commitments = fulcrum_sim_params_get_all (req->params, "commitment", FALSE);
  filter.levels = fulcrum_sim_params_get_all (req->params, "level", FALSE);
  filter.tags = fulcrum_sim_params_get_all (req->params, "tag", FALSE);
  filter.channels = fulcrum_sim_params_get_all (req->params, "distribution_channel", FALSE);
  page.filter = posting_matches;
  page.filter_data = &filter;
  fulcrum_sim_reply_page (req, &page);
}

/* Users */

typedef struct
{
  GPtrArray *emails;
  GPtrArray *roles;
  gboolean   include_deactivated;
} UserFilter;

static gboolean
user_matches (FulcrumSimRecord *record,
              gpointer          user_data)
{
  FulcrumSimUser *user = (FulcrumSimUser *) record;
  UserFilter *filter = user_data;

  if (!filter->include_deactivated && user->deactivated_at != 0)
    return FALSE;
  if (filter->emails != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < filter->emails->len && !found; i++)
        found = g_ascii_strcasecmp (g_ptr_array_index (filter->emails, i), user->email) == 0;
      if (!found)
        return FALSE;
    }
  return in_list (filter->roles, user->access_role);
}

static void
list_users (FulcrumSimRequest *req)
{
  const char *include = fulcrum_sim_params_get (req->params, "includeDeactivated");
  UserFilter filter = { 0 };
  FulcrumSimPage page = { .list = req->self->data->users,
                          .confidentiality = FULCRUM_SIM_CONFIDENTIAL_ALL,
                          .filter = user_matches,
                          .filter_data = &filter };

  if (include == NULL)
    include = fulcrum_sim_params_get (req->params, "include_deactivated");
  filter.include_deactivated = g_strcmp0 (include, "true") == 0;
  filter.emails = fulcrum_sim_params_get_all (req->params, "email", FALSE);
  filter.roles = fulcrum_sim_params_get_all (req->params, "access_role", FALSE);
  fulcrum_sim_reply_page (req, &page);
  g_clear_pointer (&filter.emails, g_ptr_array_unref);
  g_clear_pointer (&filter.roles, g_ptr_array_unref);
}

/* Requisitions */

typedef struct
{
  GPtrArray *statuses;
  GPtrArray *codes;
  Range      created;
} RequisitionFilter;

static gboolean
requisition_matches (FulcrumSimRecord *record,
                     gpointer          user_data)
{
  FulcrumSimRequisition *req = (FulcrumSimRequisition *) record;
  RequisitionFilter *filter = user_data;

  return in_range (&filter->created, record->created_at) &&
         in_list (filter->statuses, req->status) &&
         in_list (filter->codes, req->code);
}

static void
list_requisitions (FulcrumSimRequest *req)
{
  RequisitionFilter filter = { 0 };
  FulcrumSimPage page = { .list = req->self->data->requisitions,
                          .filter = requisition_matches,
                          .filter_data = &filter };

  if (!parse_range (req, "created_at", &filter.created) ||
      !parse_confidentiality (req, &page.confidentiality))
    return;
  filter.statuses = fulcrum_sim_params_get_all (req->params, "status", FALSE);
  filter.codes = fulcrum_sim_params_get_all (req->params, "requisition_code", FALSE);
  fulcrum_sim_reply_page (req, &page);
  g_clear_pointer (&filter.statuses, g_ptr_array_unref);
  g_clear_pointer (&filter.codes, g_ptr_array_unref);
}

/* Archive reasons: ?type=hired|non-hired */

static gboolean
reason_matches (FulcrumSimRecord *record,
                gpointer          user_data)
{
  return user_data == NULL || g_strcmp0 (((FulcrumSimLookup *) record)->type, user_data) == 0;
}

static void
list_archive_reasons (FulcrumSimRequest *req)
{
  const char *type = fulcrum_sim_params_get (req->params, "type");
  FulcrumSimPage page = { .list = req->self->data->archive_reasons,
                          .confidentiality = FULCRUM_SIM_CONFIDENTIAL_ALL,
                          .filter = reason_matches,
                          .filter_data = (gpointer) type };

  if (type != NULL && strcmp (type, "hired") != 0 && strcmp (type, "non-hired") != 0)
    {
      reply_bad_request (req, "type must be hired or non-hired");
      return;
    }
  fulcrum_sim_reply_page (req, &page);
}

static void
list_plain (FulcrumSimRequest *req,
            FulcrumSimList    *list)
{
  FulcrumSimPage page = { .list = list, .confidentiality = FULCRUM_SIM_CONFIDENTIAL_ALL };

  fulcrum_sim_reply_page (req, &page);
}

static void
get_record (FulcrumSimRequest *req,
            FulcrumSimList    *list,
            const char        *id,
            const char        *what)
{
  FulcrumSimRecord *record = fulcrum_sim_list_lookup (list, id);

  if (record == NULL)
    reply_not_found (req, what);
  else if (check_confidential_record (req, record))
    {
      fulcrum_sim_request_reply_data (req, SOUP_STATUS_OK, record->json, record->json_len);
      req->n_records = 1;
    }
}

/* Routing */

static void
reply_method_not_allowed (FulcrumSimRequest *req)
{
  g_autofree char *message = g_strdup_printf ("%s is not allowed on %s", req->method, req->path);

  fulcrum_sim_request_reply_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed",
                                   message);
}

static void
route_opportunity (FulcrumSimRequest  *req,
                   char              **segments,
                   guint               n)
{
  gboolean get = strcmp (req->method, "GET") == 0;
  gboolean post = strcmp (req->method, "POST") == 0;
  gboolean put = strcmp (req->method, "PUT") == 0;
  FulcrumSimOpportunity *opp;
  FulcrumSimChildKind kind;
  const char *action;

  /* segments[0] is "opportunities" and segments[1] the id */
  if (n == 2)
    {
      if (!get)
        reply_method_not_allowed (req);
      else if (fulcrum_sim_api_require_scope (req, "opportunities:read:admin") &&
               (opp = find_opportunity (req, segments[1])) != NULL)
        get_opportunity (req, opp);
      return;
    }

  if (fulcrum_sim_child_kind_from_path (segments[2], &kind))
    {
      if (n == 3 && post && kind == FULCRUM_SIM_CHILD_NOTES)
        {
          if (fulcrum_sim_api_require_scope (req, "notes:write:admin") &&
              (opp = find_opportunity (req, segments[1])) != NULL)
            fulcrum_sim_api_write_opportunity (req, opp, "notes");
          return;
        }
      if (n > 4)
        {
          reply_not_found (req, "Resource");
          return;
        }
      if (!get)
        {
          reply_method_not_allowed (req);
          return;
        }
      if (!fulcrum_sim_api_require_scope (req, fulcrum_sim_child_kind_scope (kind)) ||
          (opp = find_opportunity (req, segments[1])) == NULL)
        return;
      if (n == 3)
        {
          FulcrumSimPage page = { .list = opp->children[kind],
                                  .confidentiality = FULCRUM_SIM_CONFIDENTIAL_ALL };

          fulcrum_sim_reply_page (req, &page);
        }
      else
        get_record (req, opp->children[kind], segments[3], "Record");
      return;
    }

  action = segments[2];
  if (n == 3 && (strcmp (action, "addTags") == 0 || strcmp (action, "removeTags") == 0 ||
                 strcmp (action, "stage") == 0 || strcmp (action, "archived") == 0))
    {
      gboolean wants_put = strcmp (action, "stage") == 0 || strcmp (action, "archived") == 0;

      if ((wants_put && !put) || (!wants_put && !post))
        reply_method_not_allowed (req);
      else if (fulcrum_sim_api_require_scope (req, "opportunities:write:admin") &&
               (opp = find_opportunity (req, segments[1])) != NULL)
        fulcrum_sim_api_write_opportunity (req, opp, action);
      return;
    }

  reply_not_found (req, "Resource");
}

typedef enum
{
  LIST_POSTINGS,
  LIST_USERS,
  LIST_STAGES,
  LIST_ARCHIVE_REASONS,
  LIST_SOURCES,
  LIST_TAGS,
  LIST_REQUISITIONS,
} Lookup;

static const struct {
  const char *resource;
  const char *scope;
  const char *what;
} lookups[] = {
  [LIST_POSTINGS] = { "postings", "postings:read:admin", "Posting" },
  [LIST_USERS] = { "users", "users:read:admin", "User" },
  [LIST_STAGES] = { "stages", "stages:read:admin", "Stage" },
  [LIST_ARCHIVE_REASONS] = { "archive_reasons", "archive_reasons:read:admin", "Archive reason" },
  [LIST_SOURCES] = { "sources", "sources:read:admin", NULL },
  [LIST_TAGS] = { "tags", "tags:read:admin", NULL },
  [LIST_REQUISITIONS] = { "requisitions", "requisitions:read:admin", "Requisition" },
};

static void
route_lookup (FulcrumSimRequest  *req,
              Lookup              lookup,
              char              **segments,
              guint               n)
{
  FulcrumSimData *data = req->self->data;
  FulcrumSimList *lists[] = {
    [LIST_POSTINGS] = data->postings,
    [LIST_USERS] = data->users,
    [LIST_STAGES] = data->stages,
    [LIST_ARCHIVE_REASONS] = data->archive_reasons,
    [LIST_SOURCES] = data->sources,
    [LIST_TAGS] = data->tags,
    [LIST_REQUISITIONS] = data->requisitions,
  };

  if (n > 2 || (n == 2 && lookups[lookup].what == NULL))
    {
      reply_not_found (req, "Resource");
      return;
    }
  if (strcmp (req->method, "GET") != 0)
    {
      reply_method_not_allowed (req);
      return;
    }
  if (!fulcrum_sim_api_require_scope (req, lookups[lookup].scope))
    return;

  if (n == 2 && lookup == LIST_POSTINGS && strcmp (segments[1], "deleted") == 0)
    list_deleted (req, data->deleted_postings);
  else if (n == 2)
    get_record (req, lists[lookup], segments[1], lookups[lookup].what);
  else
    switch (lookup)
      {
      case LIST_POSTINGS:
        list_postings (req);
        break;
      case LIST_USERS:
        list_users (req);
        break;
      case LIST_ARCHIVE_REASONS:
        list_archive_reasons (req);
        break;
      case LIST_REQUISITIONS:
        list_requisitions (req);
        break;
      case LIST_SOURCES:
      case LIST_TAGS:
        fulcrum_sim_data_refresh_counts (data);
        list_plain (req, lists[lookup]);
        break;
      case LIST_STAGES:
      default:
        list_plain (req, lists[lookup]);
        break;
      }
}

void
fulcrum_sim_api_handle (FulcrumSimRequest *req)
{
  g_autofree char *rest = NULL;
  g_auto(GStrv) segments = NULL;
  guint n;

  if (!fulcrum_sim_api_authenticate (req) || !fulcrum_sim_api_take_rate_limit (req))
    return;

  /* "/v1/opportunities/ID/notes/" -> opportunities, ID, notes */
  rest = g_strdup (req->path + strlen ("/v1"));
  g_strstrip (g_strdelimit (rest, "/", ' '));
  segments = g_strsplit_set (rest, " ", -1);
  n = g_strv_length (segments);
  for (guint i = 0; i < n; i++)
    if (segments[i][0] == '\0')
      {
        reply_not_found (req, "Resource");
        return;
      }

  if (n == 0)
    reply_not_found (req, "Resource");
  else if (strcmp (segments[0], "opportunities") == 0)
    {
      if (n == 1 && strcmp (req->method, "GET") == 0)
        {
          if (fulcrum_sim_api_require_scope (req, "opportunities:read:admin"))
            list_opportunities (req);
        }
      else if (n == 1 && strcmp (req->method, "POST") == 0)
        {
          if (fulcrum_sim_api_require_scope (req, "opportunities:write:admin"))
            fulcrum_sim_api_create_opportunity (req);
        }
      else if (n == 1)
        reply_method_not_allowed (req);
      else if (n == 2 && strcmp (segments[1], "deleted") == 0)
        {
          if (strcmp (req->method, "GET") != 0)
            reply_method_not_allowed (req);
          else if (fulcrum_sim_api_require_scope (req, "opportunities:read:admin"))
            list_deleted (req, req->self->data->deleted_opportunities);
        }
      else
        route_opportunity (req, segments, n);
    }
  else if (!fulcrum_sim_api_more_route (req, segments, n))
    {
      for (guint i = 0; i < G_N_ELEMENTS (lookups); i++)
        {
          if (strcmp (segments[0], lookups[i].resource) == 0)
            {
              route_lookup (req, i, segments, n);
              return;
            }
        }
      reply_not_found (req, "Resource");
    }
}
