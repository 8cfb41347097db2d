/* fulcrum-sim-api-more.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-sim-private.h"

/* The rest of lever-api.md §4's resources: requisition fields, feedback templates,
 * contacts, webhooks, the audit log and EEO responses (the per-opportunity files are a
 * child list, routed with the others in fulcrum-sim-api.c). Authentication, the rate
 * limit, latency and faults are applied before and after, as for every /v1 request. */

#define CONFIDENTIAL_SCOPE "confidential:access:admin"

typedef void (*ListFunc) (FulcrumSimRequest *req,
                          FulcrumSimList    *list);

static void
reply_not_found (FulcrumSimRequest *req,
                 const char        *what)
{
  g_autofree char *message = g_strdup_printf ("%s not found", what);

  fulcrum_sim_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "ResourceNotFound", message);
}

static void
reply_method_not_allowed (FulcrumSimRequest *req)
{
  g_autofree char *message = g_strdup_printf ("%s is not allowed on %s", req->method, req->path);

  fulcrum_sim_request_reply_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed",
                                   message);
}

static void
list_plain (FulcrumSimRequest *req,
            FulcrumSimList    *list)
{
  FulcrumSimPage page = { .list = list, .confidentiality = FULCRUM_SIM_CONFIDENTIAL_ALL };

  fulcrum_sim_reply_page (req, &page);
}

/* Audit events: ?type=, ?user_id= (several values: any of them), created_at_start/_end
 * (inclusive, epoch ms) */

typedef struct
{
  GPtrArray *types;
  GPtrArray *users;
  gint64     start;
  gint64     end;
} AuditFilter;

static gboolean
in_list (GPtrArray  *allowed,
         const char *value)
{
  if (allowed == NULL)
    return TRUE;
  for (guint i = 0; i < allowed->len; i++)
    if (g_strcmp0 (g_ptr_array_index (allowed, i), value) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
audit_event_matches (FulcrumSimRecord *record,
                     gpointer          user_data)
{
  FulcrumSimAuditEvent *event = (FulcrumSimAuditEvent *) record;
  AuditFilter *filter = user_data;

  return record->created_at >= filter->start && record->created_at <= filter->end &&
         in_list (filter->types, event->type) && in_list (filter->users, event->user);
}

static gboolean
parse_time (FulcrumSimRequest *req,
            const char        *name,
            gint64            *value)
{
  const char *text = fulcrum_sim_params_get (req->params, name);
  g_autofree char *message = NULL;

  if (text == NULL || g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, value, NULL))
    return TRUE;
  message = g_strdup_printf ("Invalid %s: expected a time in milliseconds since the epoch",
                             name);
  fulcrum_sim_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest", message);
  return FALSE;
}

static void
list_audit_events (FulcrumSimRequest *req,
                   FulcrumSimList    *list)
{
  AuditFilter filter = { .start = G_MININT64, .end = G_MAXINT64 };
  FulcrumSimPage page = { .list = list,
                          .confidentiality = FULCRUM_SIM_CONFIDENTIAL_ALL,
                          .filter = audit_event_matches,
                          .filter_data = &filter };

  if (!parse_time (req, "created_at_start", &filter.start) ||
      !parse_time (req, "created_at_end", &filter.end))
    return;
  filter.types = fulcrum_sim_params_get_all (req->params, "type", FALSE);
  filter.users = fulcrum_sim_params_get_all (req->params, "user_id", FALSE);
  fulcrum_sim_reply_page (req, &page);
  g_clear_pointer (&filter.types, g_ptr_array_unref);
  g_clear_pointer (&filter.users, g_ptr_array_unref);
}

/* A list, and one of its records by id when @what is not NULL. @rest: the segments after
 * the resource's name. */
static void
route_list (FulcrumSimRequest  *req,
            char              **rest,
            guint               n_rest,
            const char         *scope,
            FulcrumSimList     *list,
            const char         *what,
            ListFunc            list_func)
{
  if (n_rest > 1 || (n_rest == 1 && what == NULL))
    {
      reply_not_found (req, "Resource");
      return;
    }
  if (strcmp (req->method, "GET") != 0)
    {
      reply_method_not_allowed (req);
      return;
    }
  if (!fulcrum_sim_api_require_scope (req, scope))
    return;

  if (n_rest == 1)
    {
      FulcrumSimRecord *record = fulcrum_sim_list_lookup (list, rest[0]);

      if (record == NULL)
        reply_not_found (req, what);
      else
        {
          fulcrum_sim_request_reply_data (req, SOUP_STATUS_OK, record->json, record->json_len);
          req->n_records = 1;
        }
    }
  else
    (list_func != NULL ? list_func : list_plain) (req, list);
}

/* Contacts: the person behind opportunities (their `contact`), as the newest of their
 * opportunities the token may see describes them. Only confidential opportunities:
 * the confidential scope is needed, as for the opportunities themselves. */
static void
get_contact (FulcrumSimRequest *req,
             const char        *id)
{
  FulcrumSimData *data = req->self->data;
  gboolean confidential = fulcrum_sim_api_has_scope (req, CONFIDENTIAL_SCOPE);
  FulcrumSimOpportunity *newest = NULL;
  FulcrumSimOpportunity *visible = NULL;
  FulcrumSimOpportunity *opp;
  g_autoptr(GString) out = NULL;
  FulcrumSimJson json;

  for (guint i = 0; i < data->opportunities->items->len && visible == NULL; i++)
    {
      opp = g_ptr_array_index (data->opportunities->items, i);
      if (strcmp (opp->contact, id) != 0)
        continue;
      if (newest == NULL)
        newest = opp;
      if (!opp->parent.confidential)
        visible = opp;
    }
  if (newest == NULL)
    {
      reply_not_found (req, "Contact");
      return;
    }
  opp = confidential ? newest : visible;
  if (opp == NULL)
    {
      fulcrum_sim_api_require_scope (req, CONFIDENTIAL_SCOPE);
      return;
    }

  out = g_string_sized_new (512);
  fulcrum_sim_json_init (&json, out);
  fulcrum_sim_contact_write (opp, &json);
  fulcrum_sim_request_reply_data (req, SOUP_STATUS_OK, out->str, out->len);
  req->n_records = 1;
}

static void
route_contact (FulcrumSimRequest  *req,
               char              **segments,
               guint               n)
{
  /* Lever has no list of contacts: only /contacts/:id */
  if (n != 2)
    reply_not_found (req, "Resource");
  else if (strcmp (req->method, "GET") != 0)
    reply_method_not_allowed (req);
  else if (fulcrum_sim_api_require_scope (req, "contact:read:admin"))
    get_contact (req, segments[1]);
}

gboolean
fulcrum_sim_api_more_route (FulcrumSimRequest  *req,
                            char              **segments,
                            guint               n)
{
  FulcrumSimData *data = req->self->data;
  const char *resource = segments[0];

  if (strcmp (resource, "requisition_fields") == 0)
    route_list (req, segments + 1, n - 1, "requisition_fields:read:admin",
                data->requisition_fields, "Requisition field", NULL);
  else if (strcmp (resource, "feedback_templates") == 0)
    route_list (req, segments + 1, n - 1, "feedback_templates:read:admin",
                data->feedback_templates, "Feedback template", NULL);
  else if (strcmp (resource, "webhooks") == 0)
    route_list (req, segments + 1, n - 1, "webhooks:read:admin", data->webhooks, "Webhook",
                NULL);
  else if (strcmp (resource, "audit_events") == 0)
    route_list (req, segments + 1, n - 1, "audit_events:read:admin", data->audit_events,
                "Audit event", list_audit_events);
  else if (strcmp (resource, "eeo") == 0)
    {
      if (n < 2 || strcmp (segments[1], "responses") != 0)
        reply_not_found (req, "Resource");
      else
        route_list (req, segments + 2, n - 2, "eeo_responses:read:admin", data->eeo_responses,
                    NULL, NULL);
    }
  else if (strcmp (resource, "contacts") == 0)
    route_contact (req, segments, n);
  else
    return FALSE;
  return TRUE;
}
