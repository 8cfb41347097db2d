/* fulcrum-lever-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fulcrum-lever-page.h"
#include "fulcrum-linked-account.h"
#include "fulcrum-rate-limiter.h"
#include "fulcrum-store.h"
#include "fulcrum-token-manager.h"

G_BEGIN_DECLS

#define FULCRUM_LEVER_ERROR (fulcrum_lever_error_quark ())

/* What went wrong calling Lever, by what the caller can do about it. Errors of the token
 * manager (FULCRUM_OAUTH_ERROR_NEEDS_RELINK, …), of the keyring (FULCRUM_SECRET_ERROR_*)
 * and of the catalogue (FULCRUM_ACTION_ERROR_*) come through unchanged; a cancelled call
 * ends with G_IO_ERROR_CANCELLED. */
typedef enum
{
  /* The account is suspended: no request is made for it. */
  FULCRUM_LEVER_ERROR_SUSPENDED,
  /* The account's environment no longer exists. */
  FULCRUM_LEVER_ERROR_NO_ENVIRONMENT,
  /* A URL (or a page's `next`) pointed outside the account's API base; nothing was sent. */
  FULCRUM_LEVER_ERROR_FOREIGN_URL,
  /* 403 "Unable to find a signing key that matches": a token of one environment was sent
   * to another's API (the account's environment was edited after linking). */
  FULCRUM_LEVER_ERROR_WRONG_ENVIRONMENT,
  /* 401 even after a refresh. */
  FULCRUM_LEVER_ERROR_UNAUTHORIZED,
  /* 403: a scope or confidential access is missing; Lever's message says which. */
  FULCRUM_LEVER_ERROR_FORBIDDEN,
  FULCRUM_LEVER_ERROR_NOT_FOUND,
  /* 400 and other 4xx: Lever's message says what is wrong with the request. */
  FULCRUM_LEVER_ERROR_BAD_REQUEST,
  /* "Invalid offset token" (runs restart their chain; this surfaces when that keeps failing). */
  FULCRUM_LEVER_ERROR_INVALID_OFFSET,
  /* 429 on every try. */
  FULCRUM_LEVER_ERROR_RATE_LIMITED,
  /* 5xx (after the tries for 502/503/504). */
  FULCRUM_LEVER_ERROR_SERVER,
  /* Connection refused or reset, DNS, a timeout (after every try). */
  FULCRUM_LEVER_ERROR_NETWORK,
  /* An answer that is not Lever's JSON: HTML, truncated or malformed, a redirect. */
  FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
} FulcrumLeverError;

/* The counters of a run (or, from get_stats(), of everything the client did). */
typedef struct
{
  guint64 records;      /* delivered to the page callback */
  guint64 pages;        /* pages delivered */
  guint64 requests;     /* HTTP requests sent, retries included */
  guint64 retries;      /* requests sent again after a failure */
  guint64 throttled;    /* 429 answers seen */
  guint64 duplicates;   /* records dropped because they were delivered already */
  guint64 restarts;     /* page chains restarted after "Invalid offset token" */
  guint64 refreshes;    /* tokens refreshed after a 401 */
  guint   windows;      /* time windows read (1 when not partitioned) */
  guint   concurrency;  /* the most windows read at once */
  gint64  elapsed_us;
} FulcrumLeverStats;

typedef enum
{
  FULCRUM_LEVER_RUN_NONE        = 0,
  /* Follow `next` to the end of the list (else one page, and its `next` is returned). */
  FULCRUM_LEVER_RUN_ALL_PAGES   = 1 << 0,
  /* For lists that take created_at_start/_end: read several time windows at once, as many
   * as the rate limit keeps busy at the observed page time. Implies ALL_PAGES. */
  FULCRUM_LEVER_RUN_PARTITIONED = 1 << 1,
  /* Pages keep their records as text only (fulcrum_lever_page_get_record_text()), for
   * callers that write records as they came: building a tree of each costs far more
   * than fetching it. fulcrum_lever_page_get_records() then parses on the calling thread. */
  FULCRUM_LEVER_RUN_RECORD_TEXT = 1 << 2,
} FulcrumLeverRunFlags;

/* Called on the run's main context for each page (for an action that answers one object,
 * a page of that one object). Records already delivered by the run are left out. The
 * page was read in a worker thread and, unless the run asked for text only, its records
 * parsed there too; they are immutable (json_node_seal): ref them to keep them, copy one
 * to change it. Return FALSE to stop the run (it then ends successfully). */
typedef gboolean (*FulcrumLeverPageFunc) (FulcrumLeverPage        *page,
                                          const FulcrumLeverStats *stats,
                                          gpointer                 user_data);

/* The default retry policy and the time one try may take. */
#define FULCRUM_LEVER_DEFAULT_MAX_ATTEMPTS   6
#define FULCRUM_LEVER_DEFAULT_BASE_DELAY_MS  500
#define FULCRUM_LEVER_DEFAULT_MAX_DELAY_MS   30000
#define FULCRUM_LEVER_DEFAULT_TIMEOUT_S      60
/* A Retry-After longer than this fails the request rather than hanging it. */
#define FULCRUM_LEVER_MAX_RETRY_AFTER_S      300

#define FULCRUM_TYPE_LEVER_CLIENT (fulcrum_lever_client_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumLeverClient, fulcrum_lever_client, FULCRUM, LEVER_CLIENT, GObject)

GQuark              fulcrum_lever_error_quark            (void);

/* A client for @account's Lever API. Use it on the thread (main context) that owns @store
 * and @tokens. Every client of the same account in this process shares one rate limit. */
FulcrumLeverClient *fulcrum_lever_client_new             (FulcrumStore         *store,
                                                          FulcrumTokenManager  *tokens,
                                                          FulcrumLinkedAccount *account);
FulcrumLinkedAccount *fulcrum_lever_client_get_account   (FulcrumLeverClient   *self);
FulcrumRateLimiter *fulcrum_lever_client_get_rate_limiter (FulcrumLeverClient  *self);

/* Tries per request (1 = no retry), and the exponential backoff's first and longest wait. */
void                fulcrum_lever_client_set_retry_policy (FulcrumLeverClient *self,
                                                           guint               max_attempts,
                                                           guint               base_delay_ms,
                                                           guint               max_delay_ms);
/* How long one try may take, body included, before it counts as a network error. */
void                fulcrum_lever_client_set_timeout     (FulcrumLeverClient   *self,
                                                          guint                 seconds);
/* Windows read at once by partitioned runs; 0 (the default) chooses from the rate limit
 * and the observed page time. */
void                fulcrum_lever_client_set_concurrency (FulcrumLeverClient   *self,
                                                          guint                 windows);
/* Everything this client did so far. */
void                fulcrum_lever_client_get_stats       (FulcrumLeverClient   *self,
                                                          FulcrumLeverStats    *stats);

/* One request. @path is relative to the API base ("/users?limit=1") or an absolute URL
 * under it. @body (may be NULL) is sent as JSON. Returns the whole parsed answer. */
void                fulcrum_lever_client_request_async   (FulcrumLeverClient   *self,
                                                          const char           *method,
                                                          const char           *path,
                                                          JsonNode             *body,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
JsonNode           *fulcrum_lever_client_request_finish  (FulcrumLeverClient   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* Runs an action of the catalogue with @params (name → value as text, may be NULL). The
 * profile must enable it and the account's scopes cover it. Pages go to @page_func as
 * they arrive; memory stays flat however long the list. */
void                fulcrum_lever_client_run_action_async (FulcrumLeverClient   *self,
                                                           const char           *action_id,
                                                           GHashTable           *params,
                                                           FulcrumLeverRunFlags  flags,
                                                           FulcrumLeverPageFunc  page_func,
                                                           gpointer              page_data,
                                                           GDestroyNotify        page_data_destroy,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* @stats (may be NULL) is filled also on error: a failed run says how many records it
 * delivered before (also in the error message). @next_offset (may be NULL) receives the
 * offset of the following page when the run read one page of a longer list. */
gboolean            fulcrum_lever_client_run_action_finish (FulcrumLeverClient  *self,
                                                            GAsyncResult        *result,
                                                            FulcrumLeverStats   *stats,
                                                            char               **next_offset,
                                                            GError             **error);

/* "Test connection": GET /users?limit=1, answered with a short summary for people. */
void                fulcrum_lever_client_test_connection_async  (FulcrumLeverClient  *self,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
char               *fulcrum_lever_client_test_connection_finish (FulcrumLeverClient  *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

G_END_DECLS
