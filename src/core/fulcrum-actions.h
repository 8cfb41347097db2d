/* fulcrum-actions.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fulcrum-connector-profile.h"
#include "fulcrum-linked-account.h"

G_BEGIN_DECLS

#define FULCRUM_ACTION_ERROR (fulcrum_action_error_quark ())

typedef enum
{
  /* No action of that id in the catalogue. */
  FULCRUM_ACTION_ERROR_UNKNOWN,
  /* The profile does not enable the action. */
  FULCRUM_ACTION_ERROR_DISABLED,
  /* The account was not granted a scope the action needs; the message names it. */
  FULCRUM_ACTION_ERROR_MISSING_SCOPE,
  /* A parameter is missing, unknown or not of its type; the message names it. */
  FULCRUM_ACTION_ERROR_INVALID_PARAMETER,
} FulcrumActionError;

typedef enum
{
  FULCRUM_ACTION_PARAM_STRING,
  FULCRUM_ACTION_PARAM_INTEGER,
  FULCRUM_ACTION_PARAM_BOOLEAN,
  /* Epoch milliseconds; also accepts an ISO 8601 date or date-time (UTC unless it says). */
  FULCRUM_ACTION_PARAM_TIMESTAMP,
  /* Comma separated; repeated in the query (tag=a&tag=b), a JSON array in the body. */
  FULCRUM_ACTION_PARAM_STRING_LIST,
  /* Any JSON value, put in the body as is. */
  FULCRUM_ACTION_PARAM_JSON,
} FulcrumActionParamType;

typedef enum
{
  FULCRUM_ACTION_PARAM_IN_PATH,
  FULCRUM_ACTION_PARAM_IN_QUERY,
  FULCRUM_ACTION_PARAM_IN_BODY,
} FulcrumActionParamLocation;

typedef struct
{
  const char                 *name;         /* as Lever spells it on the wire */
  FulcrumActionParamType      type;
  FulcrumActionParamLocation  location;
  gboolean                    required;
  const char                 *description;  /* translatable, marked with N_() */
  const char * const         *choices;      /* allowed values (each list item), or NULL */
  gint64                      min;          /* integers: the range, when min < max */
  gint64                      max;
  /* A scope needed only when the parameter is given with another value than
   * @default_value (e.g. confidentiality=all needs confidential:access:admin). */
  const char                 *scope;
  const char                 *default_value;
} FulcrumActionParam;

typedef enum
{
  FULCRUM_ACTION_FLAG_NONE          = 0,
  /* Answers pages {data, hasNext, next}, taking `limit` and `offset`. */
  FULCRUM_ACTION_FLAG_PAGINATED     = 1 << 0,
  /* Takes created_at_start/_end: can be read as several time windows at once. */
  FULCRUM_ACTION_FLAG_PARTITIONABLE = 1 << 1,
  /* Changes data in Lever. */
  FULCRUM_ACTION_FLAG_WRITE         = 1 << 2,
  /* Repeating it does no harm (safe to retry after an unclear failure). */
  FULCRUM_ACTION_FLAG_IDEMPOTENT    = 1 << 3,
} FulcrumActionFlags;

typedef struct
{
  const char               *id;           /* lever_<verb>_<noun> */
  const char               *title;        /* translatable, marked with N_() */
  const char               *description;  /* translatable, marked with N_() */
  const char               *resource;     /* for grouping: "opportunities", "postings", … */
  const char               *method;       /* GET, POST, PUT */
  const char               *path;         /* "/opportunities/{opportunity_id}/notes" */
  const char * const       *scopes;       /* every one is required */
  const FulcrumActionParam *params;
  guint                     n_params;
  FulcrumActionFlags        flags;
  const char               *body_template; /* JSON object the body starts from, or NULL */
} FulcrumAction;

/* A query parameter of a built request, not escaped. */
typedef struct
{
  char *name;
  char *value;
} FulcrumActionQueryParam;

/* An action with its parameters filled in, ready to send. */
typedef struct
{
  const FulcrumAction *action;
  char                *path;   /* relative to the API base, path parameters escaped */
  GPtrArray           *query;  /* FulcrumActionQueryParam*, in the order of the action's params */
  JsonNode            *body;   /* an object for writes, NULL for reads */
} FulcrumActionRequest;

GQuark                     fulcrum_action_error_quark        (void);

/* The whole catalogue, in display order. */
const FulcrumAction       *fulcrum_actions_get_all           (guint               *n_actions);
const FulcrumAction       *fulcrum_actions_lookup            (const char          *id);
const FulcrumActionParam  *fulcrum_action_find_param         (const FulcrumAction *action,
                                                              const char          *name);
const char                *fulcrum_action_param_type_to_string (FulcrumActionParamType type);
const char                *fulcrum_action_param_location_to_string (FulcrumActionParamLocation location);

/* Whether @profile enables @action: listed in its enabled actions, or, when it never chose
 * (enabled actions NULL), covered by its scopes. */
gboolean                   fulcrum_action_is_enabled         (const FulcrumAction     *action,
                                                              FulcrumConnectorProfile *profile);
/* Whether @account may run @action: the profile enables it and the scopes the account was
 * granted cover it (the profile's scopes when the account has no record of its grant).
 * The error names the action (DISABLED) or the exact missing scope (MISSING_SCOPE).
 * @account may be NULL to check the profile alone. */
gboolean                   fulcrum_action_check_allowed      (const FulcrumAction     *action,
                                                              FulcrumConnectorProfile *profile,
                                                              FulcrumLinkedAccount    *account,
                                                              GError                 **error);
/* Checks the scopes that given parameters add (e.g. confidentiality). */
gboolean                   fulcrum_action_check_param_scopes (const FulcrumAction     *action,
                                                              GHashTable              *params,
                                                              const char * const      *granted,
                                                              GError                 **error);

/* Validates @params (name → value as text; NULL for none) and builds the request. */
FulcrumActionRequest      *fulcrum_action_build_request      (const FulcrumAction  *action,
                                                              GHashTable           *params,
                                                              GError              **error);
void                       fulcrum_action_request_free       (FulcrumActionRequest *request);
/* Sets (or with @value NULL, removes) a query parameter. */
void                       fulcrum_action_request_set_query  (FulcrumActionRequest *request,
                                                              const char           *name,
                                                              const char           *value);
const char                *fulcrum_action_request_get_query  (FulcrumActionRequest *request,
                                                              const char           *name);
/* "path?query", escaped, relative to the API base. */
char                      *fulcrum_action_request_dup_relative_url (FulcrumActionRequest *request);

/* Parses an epoch-ms integer or an ISO 8601 date / date-time. */
gboolean                   fulcrum_action_parse_timestamp    (const char           *text,
                                                              gint64               *ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumActionRequest, fulcrum_action_request_free)

G_END_DECLS
