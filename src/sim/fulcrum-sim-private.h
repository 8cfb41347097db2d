/* fulcrum-sim-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fulcrum-sim-data.h"
#include "fulcrum-sim-json.h"
#include "fulcrum-sim-server.h"

G_BEGIN_DECLS

/* Token store (fulcrum-sim-tokens.c). Only SHA-256 hashes of codes and tokens are kept. */

typedef struct
{
  char  *client_id;
  char  *secret_hash;
  char  *name;
  char **redirect_uris;
  char **allowed_scopes;   /* NULL = every known scope */
} FulcrumSimApp;

/* One grant: the tokens that descend from one authorization code. */
typedef struct
{
  char    *id;
  char    *client_id;
  char   **scopes;
  gint64   created_at;    /* ms, simulator clock */
  gboolean revoked;
} FulcrumSimFamily;

typedef struct
{
  char             *hash;
  FulcrumSimFamily *family;
  gint64            issued_at;
  gboolean          used;
} FulcrumSimRefresh;

typedef struct
{
  char             *hash;
  FulcrumSimFamily *family;
  gint64            expires_at;
  gboolean          revoked;
  /* rate limit bucket, in memory only */
  double            bucket;
  gint64            bucket_at_us;
} FulcrumSimAccess;

typedef struct
{
  char    *hash;
  char    *client_id;
  char    *redirect_uri;
  char   **scopes;
  char    *challenge;
  char    *method;
  gint64   created_at;
  gboolean used;
  char    *family_id;     /* the grant it was exchanged for */
} FulcrumSimCode;

/* An authorize request waiting for the consent form's answer. */
typedef struct
{
  char   *id;
  char   *client_id;
  char   *redirect_uri;
  char   *state;
  char  **scopes;
  char   *challenge;
  char   *method;
  gint64  created_at;
} FulcrumSimConsent;

typedef struct
{
  GHashTable *apps;       /* client_id -> FulcrumSimApp */
  GHashTable *families;   /* id -> FulcrumSimFamily */
  GHashTable *refresh;    /* hash -> FulcrumSimRefresh */
  GHashTable *access;     /* hash -> FulcrumSimAccess */
  GHashTable *codes;      /* hash -> FulcrumSimCode */
  GHashTable *consents;   /* id -> FulcrumSimConsent */
} FulcrumSimAuth;

void               fulcrum_sim_app_free             (gpointer           app);
FulcrumSimAuth    *fulcrum_sim_auth_new             (void);
void               fulcrum_sim_auth_free            (FulcrumSimAuth    *auth);
char              *fulcrum_sim_hash_token           (const char        *token);
char              *fulcrum_sim_random_token         (guint              n_bytes);
gboolean           fulcrum_sim_secure_equal         (const char        *a,
                                                     const char        *b);
FulcrumSimFamily  *fulcrum_sim_auth_new_family      (FulcrumSimAuth    *auth,
                                                     const char        *client_id,
                                                     char             **scopes,
                                                     gint64             now_ms);
/* Revokes the family, its refresh tokens and its access tokens; FALSE if it already was. */
gboolean           fulcrum_sim_auth_revoke_family   (FulcrumSimAuth    *auth,
                                                     FulcrumSimFamily  *family);
char              *fulcrum_sim_auth_issue_refresh   (FulcrumSimAuth    *auth,
                                                     FulcrumSimFamily  *family,
                                                     gint64             now_ms);
char              *fulcrum_sim_auth_issue_access    (FulcrumSimAuth    *auth,
                                                     FulcrumSimFamily  *family,
                                                     const char        *key_id,
                                                     gint64             expires_at);
/* Writes the state file (apps, key id, families and token hashes). */
gboolean           fulcrum_sim_auth_save            (FulcrumSimAuth    *auth,
                                                     const char        *path,
                                                     const char        *key_id,
                                                     gint64             now_ms,
                                                     GError           **error);
/* Reads it; apps already registered are kept as they are. Sets *key_id from the file. */
gboolean           fulcrum_sim_auth_load            (FulcrumSimAuth    *auth,
                                                     const char        *path,
                                                     char             **key_id,
                                                     GError           **error);

/* Counters (fulcrum-sim-stats.c) */

typedef enum
{
  FULCRUM_SIM_GRANT_AUTHORIZATION_CODE,
  FULCRUM_SIM_GRANT_REFRESH_TOKEN,
  FULCRUM_SIM_GRANT_OTHER,
  FULCRUM_SIM_N_GRANTS
} FulcrumSimGrant;

typedef struct
{
  guint64 requests;
  guint64 api_requests;
  guint64 responses[600];   /* by status */
  guint64 rate_limited;
  guint64 authorize_requests;
  guint64 consents_allowed;
  guint64 consents_denied;
  guint64 token_requests[FULCRUM_SIM_N_GRANTS];
  guint64 access_tokens_issued;
  guint64 refresh_tokens_rotated;
  guint64 families_revoked;
  guint64 pages;
  guint64 records;
  guint64 writes;
  guint64 faults[FULCRUM_SIM_N_FAULTS];
} FulcrumSimStats;

JsonNode          *fulcrum_sim_stats_to_json        (const FulcrumSimStats *stats);

/* The server */

enum {
  FULCRUM_SIM_SERVER_PROP_0,
  FULCRUM_SIM_SERVER_PROP_SEED,
  FULCRUM_SIM_SERVER_PROP_N_OPPORTUNITIES,
  FULCRUM_SIM_SERVER_PROP_LATENCY_BASE_MS,
  FULCRUM_SIM_SERVER_PROP_LATENCY_PER_RECORD_MS,
  FULCRUM_SIM_SERVER_PROP_RATE_LIMIT_ENABLED,
  FULCRUM_SIM_SERVER_PROP_RATE_LIMIT,
  FULCRUM_SIM_SERVER_PROP_RATE_BURST,
  FULCRUM_SIM_SERVER_PROP_RETRY_AFTER,
  FULCRUM_SIM_SERVER_PROP_DRIP_MS,
  FULCRUM_SIM_SERVER_PROP_ACCESS_TOKEN_LIFETIME,
  FULCRUM_SIM_SERVER_PROP_KEY_ID,
  FULCRUM_SIM_SERVER_PROP_ORGANIZATION,
  FULCRUM_SIM_SERVER_PROP_MANUAL_CLOCK,
  FULCRUM_SIM_SERVER_PROP_PORT,
  FULCRUM_SIM_SERVER_PROP_BASE_URL,
  FULCRUM_SIM_SERVER_N_PROPS
};

/* fulcrum-sim-server.c owns it, fulcrum-sim-server-config.c notifies with it */
extern GParamSpec *fulcrum_sim_server_properties[FULCRUM_SIM_SERVER_N_PROPS];

struct _FulcrumSimServer
{
  GObject          parent_instance;

  /* Guards everything below: the server thread holds it while it answers a request, the
   * setters while they change something. */
  GMutex           mutex;

  guint64          seed;
  guint            n_opportunities;
  guint            latency_base_ms;
  double           latency_per_record_ms;
  gboolean         rate_limit_enabled;
  double           rate_limit;
  guint            rate_burst;
  gboolean         retry_after;
  double           fault_rates[FULCRUM_SIM_N_FAULTS];
  guint            drip_ms;
  gint64           token_lifetime;
  char            *key_id;
  gboolean         key_id_explicit;
  char            *organization;
  gboolean         manual_clock;
  gint64           manual_base_us;
  gint64           clock_offset_us;
  char            *state_file;
  gboolean         state_loaded;  /* nothing is saved before the file was read */
  gboolean         save_queued;

  FulcrumSimData  *data;
  gboolean         data_stale;
  FulcrumSimAuth  *auth;
  FulcrumSimStats  stats;
  GRand           *fault_rand;
  guint8           page_key[32];

  /* listening */
  SoupServer      *soup;
  GMainContext    *context;
  GHashTable      *pending;    /* FulcrumSimDelay* of paused messages */
  guint            port;
  char            *base_url;
  char            *authorize_url;
  char            *token_url;
  char            *api_base;
  char            *audience;

  /* thread mode */
  GThread         *thread;
  GMainContext    *thread_context;
  int              stopping;     /* atomic */
  GCond            cond;
  gboolean         thread_ready;
  GError          *thread_error;
};

typedef struct
{
  char *key;
  char *value;
} FulcrumSimParam;

/* One request being answered; handlers fill status and body, the server sends it. */
typedef struct
{
  FulcrumSimServer  *self;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;
  GPtrArray         *params;       /* FulcrumSimParam*, in query order */
  guint              status;
  const char        *content_type;
  GString           *body;
  guint              n_records;
  gboolean           is_api;
  FulcrumSimFault    fault;        /* FULCRUM_SIM_N_FAULTS when none */
  FulcrumSimAccess  *access;
} FulcrumSimRequest;

/* fulcrum-sim-server.c; callers hold the lock */
gint64             fulcrum_sim_server_now_us        (FulcrumSimServer  *self);
FulcrumSimData    *fulcrum_sim_server_ensure_data   (FulcrumSimServer  *self);
/* After a token operation: writes the state file when there is one (errors are logged). */
void               fulcrum_sim_server_save_state    (FulcrumSimServer  *self);
/* The same from another thread: the server's thread writes it soon. */
void               fulcrum_sim_server_queue_save_state (FulcrumSimServer *self);

/* fulcrum-sim-reply.c */
/* Sends the reply, after the latency or as a drip when that is the request's fault. */
void               fulcrum_sim_request_send         (FulcrumSimRequest *req);
/* Closes the connection without an answer. */
void               fulcrum_sim_request_reset        (FulcrumSimRequest *req);
void               fulcrum_sim_delay_free           (gpointer           delay);
/* What a handler answers; @body is taken. */
void               fulcrum_sim_request_reply        (FulcrumSimRequest *req,
                                                     guint              status,
                                                     const char        *content_type,
                                                     GString           *body);
void               fulcrum_sim_request_reply_error  (FulcrumSimRequest *req,
                                                     guint              status,
                                                     const char        *code,
                                                     const char        *message);
void               fulcrum_sim_request_reply_data   (FulcrumSimRequest *req,
                                                     guint              status,
                                                     const char        *json,
                                                     gssize             len);

/* fulcrum-sim-pager.c: query strings and pages */
GPtrArray         *fulcrum_sim_params_parse         (const char        *encoded);
const char        *fulcrum_sim_params_get           (GPtrArray         *params,
                                                     const char        *key);
/* Every value of @key (NULL when there is none), each also split at commas if asked. */
GPtrArray         *fulcrum_sim_params_get_all       (GPtrArray         *params,
                                                     const char        *key,
                                                     gboolean           split_commas);
/* The params that select a list's records, sorted, for offset tokens. */
char              *fulcrum_sim_params_canonical     (GPtrArray         *params);

typedef enum
{
  FULCRUM_SIM_CONFIDENTIAL_EXCLUDE,
  FULCRUM_SIM_CONFIDENTIAL_ONLY,
  FULCRUM_SIM_CONFIDENTIAL_ALL,
} FulcrumSimConfidentiality;

typedef gboolean (*FulcrumSimFilterFunc) (FulcrumSimRecord *record,
                                          gpointer          user_data);
typedef void     (*FulcrumSimWriteFunc)  (FulcrumSimRecord *record,
                                          gpointer          user_data,
                                          GString          *out);

typedef struct
{
  FulcrumSimList       *list;
  FulcrumSimFilterFunc  filter;        /* NULL = every record */
  gpointer              filter_data;
  FulcrumSimWriteFunc   write;         /* NULL = the cached JSON */
  gpointer              write_data;
  FulcrumSimConfidentiality confidentiality;
} FulcrumSimPage;

/* How long an offset token stays good, in simulator time. */
#define FULCRUM_SIM_OFFSET_LIFETIME_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

void               fulcrum_sim_reply_page           (FulcrumSimRequest     *req,
                                                     const FulcrumSimPage  *page);

/* fulcrum-sim-oauth.c */
void               fulcrum_sim_oauth_authorize      (FulcrumSimRequest *req);
void               fulcrum_sim_oauth_decision       (FulcrumSimRequest *req);
void               fulcrum_sim_request_no_store     (FulcrumSimRequest *req);
/* The request body read as a form (application/x-www-form-urlencoded). */
GPtrArray         *fulcrum_sim_request_form         (FulcrumSimRequest *req);

/* fulcrum-sim-oauth-token.c */
void               fulcrum_sim_oauth_token          (FulcrumSimRequest *req);

/* fulcrum-sim-api.c */
void               fulcrum_sim_api_handle           (FulcrumSimRequest *req);

/* fulcrum-sim-api-auth.c: each answers the request itself when it returns FALSE */
gboolean           fulcrum_sim_api_authenticate     (FulcrumSimRequest *req);
gboolean           fulcrum_sim_api_take_rate_limit  (FulcrumSimRequest *req);
gboolean           fulcrum_sim_api_has_scope        (FulcrumSimRequest *req,
                                                     const char        *scope);
gboolean           fulcrum_sim_api_require_scope    (FulcrumSimRequest *req,
                                                     const char        *scope);

/* fulcrum-sim-api-more.c: answers and returns TRUE when segments[0] is one of its
 * resources (requisition_fields, feedback_templates, webhooks, audit_events, eeo,
 * contacts) */
gboolean           fulcrum_sim_api_more_route       (FulcrumSimRequest  *req,
                                                     char              **segments,
                                                     guint               n);

/* fulcrum-sim-api-write.c */
void               fulcrum_sim_api_create_opportunity (FulcrumSimRequest *req);
void               fulcrum_sim_api_write_opportunity  (FulcrumSimRequest     *req,
                                                       FulcrumSimOpportunity *opp,
                                                       const char            *action);

/* fulcrum-sim-faults.c (fault names and specs are public API, in fulcrum-sim-server.h) */
/* Picks the fault this API request gets, if any (FULCRUM_SIM_N_FAULTS when none). */
FulcrumSimFault    fulcrum_sim_faults_roll          (FulcrumSimServer  *self);
gboolean           fulcrum_sim_faults_roll_one      (FulcrumSimServer  *self,
                                                     FulcrumSimFault    fault);
/* Answers a fault that replaces the response (500, 502, 503, html). */
void               fulcrum_sim_faults_reply         (FulcrumSimRequest *req);
/* Spoils a response body for malformed and truncated. */
void               fulcrum_sim_faults_spoil_body    (FulcrumSimRequest *req);
/* Takes one request from the access token's bucket; FALSE and the wait in seconds when
 * it is empty. */
gboolean           fulcrum_sim_rate_limit_take      (FulcrumSimServer  *self,
                                                     FulcrumSimAccess  *access,
                                                     double            *retry_after);

G_END_DECLS
