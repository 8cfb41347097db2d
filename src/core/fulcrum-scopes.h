/* fulcrum-scopes.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FULCRUM_SCOPES_ERROR (fulcrum_scopes_error_quark ())

typedef enum
{
  FULCRUM_SCOPES_ERROR_UNKNOWN_SCOPE,
  FULCRUM_SCOPES_ERROR_MISSING_REQUIRED,
  FULCRUM_SCOPES_ERROR_TOO_MANY,
} FulcrumScopesError;

#define FULCRUM_SCOPES_MAX              20
#define FULCRUM_SCOPES_RECOMMENDED_MIN  5
#define FULCRUM_SCOPES_RECOMMENDED_MAX  8

typedef enum
{
  FULCRUM_SCOPE_ACCESS_NONE  = 0,
  FULCRUM_SCOPE_ACCESS_READ  = 1 << 0,
  FULCRUM_SCOPE_ACCESS_WRITE = 1 << 1,
} FulcrumScopeAccess;

/* One resource of Lever's scope catalogue, e.g. "opportunities" with read and write. */
typedef struct
{
  const char         *resource;   /* "opportunities", "offline_access", "confidential" */
  const char         *title;      /* translatable, already marked with N_() */
  FulcrumScopeAccess  available;  /* which of read/write Lever offers */
  const char         *read_scope; /* NULL when there is none */
  const char         *write_scope;/* NULL when there is none */
} FulcrumScopeResource;

GQuark                       fulcrum_scopes_error_quark      (void);

const char * const          *fulcrum_scopes_get_known        (void);
gboolean                     fulcrum_scopes_is_known         (const char          *scope);
gboolean                     fulcrum_scopes_is_required      (const char          *scope);
const char * const          *fulcrum_scopes_get_required     (void);
const char * const          *fulcrum_scopes_get_default      (void);
const FulcrumScopeResource  *fulcrum_scopes_get_resources    (guint               *n_resources);

/* Validates @scopes by every rule and returns the minimal set, in catalogue order:
 * duplicates dropped, a read scope dropped when its write scope is present (the required
 * scopes are always kept as written, since Lever's registration asks for them by name). */
char                       **fulcrum_scopes_normalize        (const char * const  *scopes,
                                                              GError             **error);
/* A hint (not an error) when the count is outside the recommended 5–8, else NULL. */
char                        *fulcrum_scopes_get_size_hint    (const char * const  *scopes);
/* Whether @granted covers @required (a write scope covers its read scope). */
gboolean                     fulcrum_scopes_covers           (const char * const  *granted,
                                                              const char          *required);
/* Parses a space-separated scope string as sent to and returned by Lever. */
char                       **fulcrum_scopes_from_string      (const char          *str);
char                        *fulcrum_scopes_to_string        (const char * const  *scopes);

G_END_DECLS
