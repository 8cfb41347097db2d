/* fulcrum-lever-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fulcrum-actions.h"
#include "fulcrum-lever-client.h"
#include "fulcrum-rate-limiter.h"

G_BEGIN_DECLS

/* libsoup 3.2 has no name for it */
#define HTTP_TOO_MANY_REQUESTS 429

struct _FulcrumLeverClient
{
  GObject               parent_instance;

  FulcrumStore         *store;
  FulcrumTokenManager  *tokens;
  FulcrumLinkedAccount *account;
  FulcrumRateLimiter   *limiter;
  SoupSession          *session;

  guint                 max_attempts;
  guint                 base_delay_ms;
  guint                 max_delay_ms;
  guint                 timeout_s;
  guint                 concurrency;

  FulcrumLeverStats     stats;

  /* last_used is saved at most every SAVE_INTERVAL_US */
  gint64                last_save_us;
  guint                 save_source_id;
};

/* fulcrum-lever-catalogue.c: the static table behind fulcrum_actions_get_all(). */
const FulcrumAction *fulcrum_lever_catalogue_get            (guint                *n_actions);

/* What a call makes of a 2xx answer. */
typedef enum
{
  /* the whole answer as a tree: call_finish() */
  FULCRUM_LEVER_ANSWER_TREE,
  /* a page: the records of "data" (a list, or one object), call_finish_page() */
  FULCRUM_LEVER_ANSWER_LIST,
  FULCRUM_LEVER_ANSWER_SINGLE,
} FulcrumLeverAnswer;

/* fulcrum-lever-call.c: one request with auth, rate limit, retries and error mapping.
 * @url is absolute and already checked to be under the account's API base. @answer says
 * what the 2xx answer's body is read as (pages: with @parse_records, the records are
 * parsed into a tree too). @stats (may be NULL) counts requests, retries and 429s of the
 * run it belongs to. */
void                 fulcrum_lever_client_call_async        (FulcrumLeverClient   *self,
                                                             const char           *method,
                                                             const char           *url,
                                                             JsonNode             *body,
                                                             gboolean              idempotent,
                                                             FulcrumLeverAnswer    answer,
                                                             gboolean              parse_records,
                                                             FulcrumLeverStats    *stats,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
JsonNode            *fulcrum_lever_client_call_finish       (FulcrumLeverClient   *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
FulcrumLeverPage    *fulcrum_lever_client_call_finish_page  (FulcrumLeverClient   *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* fulcrum-lever-scan.c: where the records are in an answer, found in one pass that checks
 * the JSON as json-glib would. */
typedef struct
{
  guint32 offset;         /* the record's text: in the body, or in the page's side buffer */
  guint32 length;
  guint32 key_offset;     /* its "id" (escapes left in): in the body, or in the side buffer */
  guint32 key_length;
  guint32 alt_offset;     /* its "text", a tag's only field (escapes left in) */
  guint32 alt_length;
  gint64  created_at;     /* -1: none, or not a whole number */
  guint   has_key      : 1;
  guint   has_alt      : 1;
  guint   key_in_side  : 1;
  guint   text_in_side : 1;
} FulcrumLeverSpan;

typedef struct
{
  gboolean    is_list;      /* a list scan found a "data" list */
  gboolean    has_next;
  const char *next;         /* inside the quotes, escapes left in; NULL when not a string */
  gsize       next_length;
  /* escapes json-glib misreads: an unpaired surrogate (JavaScript writes one for an emoji
   * cut in two) or U+0000 (json-glib ends the string there) */
  gboolean    odd_escapes;
} FulcrumLeverScan;

/* Fills @spans (of FulcrumLeverSpan) with the records of the answer @text: the elements of
 * its "data" list (@list), or its one object ("data", else the whole answer). FALSE when
 * @text is not complete JSON with an object at its root. */
gboolean             fulcrum_lever_scan_answer              (const char           *text,
                                                             gsize                 length,
                                                             gboolean              list,
                                                             GArray               *spans,
                                                             FulcrumLeverScan     *result);
/* The contents of a string the scan accepted, unescaped (lone surrogates and U+0000 as
 * U+FFFD). */
void                 fulcrum_lever_append_unescaped         (GString              *out,
                                                             const char           *text,
                                                             const char           *end);
/* JSON text the scan accepted, without the white space between its tokens. */
void                 fulcrum_lever_append_compact           (GString              *out,
                                                             const char           *text,
                                                             const char           *end);
/* A copy of JSON text the scan accepted, NUL-terminated, with its odd escapes written as
 * \ufffd (the same length), for json-glib. */
char                *fulcrum_lever_dup_for_json_glib        (const char           *text,
                                                             gsize                 length);

/* fulcrum-lever-page.c */
/* Finds the records in a 2xx answer: the elements of its "data" list (@list), or its one
 * object ("data", else the whole answer). NULL when the body is not complete JSON (or,
 * with @parse_records, json-glib reads it otherwise). */
FulcrumLeverPage    *fulcrum_lever_page_scan                (GBytes               *body,
                                                             gboolean              list,
                                                             gboolean              parse_records);
/* Whether the answer had a "data" list (a list page without one is no page). */
gboolean             fulcrum_lever_page_is_list             (FulcrumLeverPage     *page);
gboolean             fulcrum_lever_page_get_has_next        (FulcrumLeverPage     *page);
/* "next", unescaped; NULL when absent or not a string. */
const char          *fulcrum_lever_page_get_next            (FulcrumLeverPage     *page);
/* The record's "id" (else its "text", a tag's only field), unescaped, not NUL-terminated;
 * NULL when it has neither as a string. */
const char          *fulcrum_lever_page_get_record_key      (FulcrumLeverPage     *page,
                                                             guint                 index,
                                                             gsize                *length);
/* Its "createdAt" when a whole number of milliseconds, else -1. */
gint64               fulcrum_lever_page_get_record_created_at (FulcrumLeverPage   *page,
                                                             guint                 index);
/* How long Lever took to answer, from the request going out (after its wait for the
 * bucket) to the last byte. */
void                 fulcrum_lever_page_set_answer_time     (FulcrumLeverPage     *page,
                                                             gint64                answer_us);
gint64               fulcrum_lever_page_get_answer_time     (FulcrumLeverPage     *page);
/* Leaves out the records whose @keep is FALSE (before the page is handed out). */
void                 fulcrum_lever_page_keep_records        (FulcrumLeverPage     *page,
                                                             const gboolean       *keep);
/* fulcrum-lever-client.c */
/* The absolute URL for @relative ("/users?limit=1") or a checked absolute URL under the
 * account's API base; FOREIGN_URL for anything that points elsewhere. */
char                *fulcrum_lever_client_resolve_url       (FulcrumLeverClient   *self,
                                                             const char           *relative,
                                                             GError              **error);
guint                fulcrum_lever_client_get_concurrency_setting (FulcrumLeverClient *self);
FulcrumStore        *fulcrum_lever_client_get_store         (FulcrumLeverClient   *self);
/* Sets the account's last_used and saves the config, at most every few seconds. */
void                 fulcrum_lever_client_mark_used         (FulcrumLeverClient   *self);
/* Adds @run to the client's cumulative counters. */
void                 fulcrum_lever_client_add_stats         (FulcrumLeverClient      *self,
                                                             const FulcrumLeverStats *run);

/* fulcrum-lever-errors.c */
/* What Lever's answer means. @root is the parsed body or NULL when it was not JSON. */
GError              *fulcrum_lever_error_from_response      (FulcrumStore         *store,
                                                             FulcrumLinkedAccount *account,
                                                             guint                 status,
                                                             JsonNode             *root,
                                                             const char           *html_title);
/* The <title> of an HTML page, or NULL. */
char                *fulcrum_lever_html_title               (const char           *body,
                                                             gsize                 len);
/* Seconds or an HTTP date, as microseconds from @now_us; -1 when absent or unusable. */
gint64               fulcrum_lever_parse_retry_after        (const char           *value,
                                                             gint64                now_us);
/* Appends " (N records were delivered before it failed)" when N > 0. */
void                 fulcrum_lever_error_add_partial        (GError              **error,
                                                             guint64               n_records);

/* fulcrum-lever-id-set.c: the set of record ids a run delivered (64-bit hashes). */
typedef struct _FulcrumLeverIdSet FulcrumLeverIdSet;

FulcrumLeverIdSet   *fulcrum_lever_id_set_new               (void);
void                 fulcrum_lever_id_set_free              (FulcrumLeverIdSet    *set);
/* TRUE if @key (@length bytes) was not in the set (and is now). */
gboolean             fulcrum_lever_id_set_add               (FulcrumLeverIdSet    *set,
                                                             const char           *key,
                                                             gsize                 length);
guint                fulcrum_lever_id_set_size              (FulcrumLeverIdSet    *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumLeverIdSet, fulcrum_lever_id_set_free)

G_END_DECLS
