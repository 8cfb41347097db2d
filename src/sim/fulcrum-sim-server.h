/* fulcrum-sim-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A Lever simulator: Lever's OAuth server (authorize, consent, token) and the data API v1,
 * with its limits, latency and failures, over seeded synthetic data. It listens on
 * 127.0.0.1 only, either on the caller's thread-default main context (tests) or in its own
 * thread (the app, so that it never blocks the GTK main thread). Every setter is
 * thread-safe and takes effect on the next request. */

#define FULCRUM_SIM_ERROR (fulcrum_sim_error_quark ())

typedef enum
{
  FULCRUM_SIM_ERROR_LISTEN,         /* the port could not be bound */
  FULCRUM_SIM_ERROR_RUNNING,        /* already listening */
  FULCRUM_SIM_ERROR_STATE_FILE,     /* the state file cannot be read or written */
  FULCRUM_SIM_ERROR_INVALID_FAULT,  /* a fault spec that is not KIND:RATE */
} FulcrumSimError;

/* Faults to switch on by rate (0..1). The names are those of `--fault KIND:RATE`. Every
 * fault applies to API requests (/v1/...) only, except token-500 (the token endpoint). */
typedef enum
{
  FULCRUM_SIM_FAULT_500,           /* "500": a JSON 500 */
  FULCRUM_SIM_FAULT_502,           /* "502": a proxy's HTML 502 */
  FULCRUM_SIM_FAULT_503,           /* "503": a JSON 503 */
  FULCRUM_SIM_FAULT_HTML,          /* "html": an HTML page with a 503 or a 200 */
  FULCRUM_SIM_FAULT_MALFORMED,     /* "malformed": 200 with invalid JSON */
  FULCRUM_SIM_FAULT_TRUNCATED,     /* "truncated": 200 with the first half of the JSON */
  FULCRUM_SIM_FAULT_RESET,         /* "reset": the connection closes without an answer */
  FULCRUM_SIM_FAULT_DRIP,          /* "drip": the body comes in small chunks over drip-ms */
  FULCRUM_SIM_FAULT_STALE_OFFSET,  /* "stale-offset": a valid offset token is refused */
  FULCRUM_SIM_FAULT_TOKEN_500,     /* "token-500": the token endpoint answers 500 */
  FULCRUM_SIM_N_FAULTS
} FulcrumSimFault;

#define FULCRUM_SIM_DEFAULT_OPPORTUNITIES          5000
#define FULCRUM_SIM_DEFAULT_LATENCY_BASE_MS        80
#define FULCRUM_SIM_DEFAULT_LATENCY_PER_RECORD_MS  3.0
#define FULCRUM_SIM_DEFAULT_RATE                   10.0
#define FULCRUM_SIM_DEFAULT_BURST                  20
#define FULCRUM_SIM_DEFAULT_TOKEN_LIFETIME         3600
#define FULCRUM_SIM_DEFAULT_DRIP_MS                3000
#define FULCRUM_SIM_DEFAULT_ORGANIZATION           "Acme Robotics (simulated)"

#define FULCRUM_TYPE_SIM_SERVER (fulcrum_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumSimServer, fulcrum_sim_server, FULCRUM, SIM_SERVER, GObject)

GQuark            fulcrum_sim_error_quark                  (void);

const char       *fulcrum_sim_fault_to_string              (FulcrumSimFault     fault);
gboolean          fulcrum_sim_fault_from_string            (const char         *name,
                                                            FulcrumSimFault    *fault);
/* Parses "KIND:RATE", RATE in 0..1. */
gboolean          fulcrum_sim_parse_fault_spec             (const char         *spec,
                                                            FulcrumSimFault    *fault,
                                                            double             *rate,
                                                            GError            **error);

FulcrumSimServer *fulcrum_sim_server_new                   (void);

/* Data: generated from the seed when the server first needs it, and again after a change. */
guint64           fulcrum_sim_server_get_seed              (FulcrumSimServer   *self);
void              fulcrum_sim_server_set_seed              (FulcrumSimServer   *self,
                                                            guint64             seed);
guint             fulcrum_sim_server_get_n_opportunities   (FulcrumSimServer   *self);
void              fulcrum_sim_server_set_n_opportunities   (FulcrumSimServer   *self,
                                                            guint               n_opportunities);

/* Latency of API responses: base + per_record × records in the response. */
guint             fulcrum_sim_server_get_latency_base_ms   (FulcrumSimServer   *self);
double            fulcrum_sim_server_get_latency_per_record_ms (FulcrumSimServer *self);
void              fulcrum_sim_server_set_latency           (FulcrumSimServer   *self,
                                                            guint               base_ms,
                                                            double              per_record_ms);

/* A token bucket per access token. */
gboolean          fulcrum_sim_server_get_rate_limit_enabled (FulcrumSimServer  *self);
double            fulcrum_sim_server_get_rate_limit        (FulcrumSimServer   *self);
guint             fulcrum_sim_server_get_rate_burst        (FulcrumSimServer   *self);
void              fulcrum_sim_server_set_rate_limit        (FulcrumSimServer   *self,
                                                            gboolean            enabled,
                                                            double              rate,
                                                            guint               burst);
gboolean          fulcrum_sim_server_get_retry_after       (FulcrumSimServer   *self);
void              fulcrum_sim_server_set_retry_after       (FulcrumSimServer   *self,
                                                            gboolean            retry_after);

double            fulcrum_sim_server_get_fault_rate        (FulcrumSimServer   *self,
                                                            FulcrumSimFault     fault);
void              fulcrum_sim_server_set_fault_rate        (FulcrumSimServer   *self,
                                                            FulcrumSimFault     fault,
                                                            double              rate);
guint             fulcrum_sim_server_get_drip_ms           (FulcrumSimServer   *self);
void              fulcrum_sim_server_set_drip_ms           (FulcrumSimServer   *self,
                                                            guint               drip_ms);

/* Seconds an access token lives (3600 by default). */
gint64            fulcrum_sim_server_get_access_token_lifetime (FulcrumSimServer *self);
void              fulcrum_sim_server_set_access_token_lifetime (FulcrumSimServer *self,
                                                                gint64            seconds);

/* The environment's signing key id, embedded in its access tokens. Random by default;
 * set it before listening. */
const char       *fulcrum_sim_server_get_key_id            (FulcrumSimServer   *self);
void              fulcrum_sim_server_set_key_id            (FulcrumSimServer   *self,
                                                            const char         *key_id);
const char       *fulcrum_sim_server_get_organization      (FulcrumSimServer   *self);
void              fulcrum_sim_server_set_organization      (FulcrumSimServer   *self,
                                                            const char         *organization);

/* The simulator's clock: real time plus an offset, or frozen (manual clock) so that tests
 * move it only with advance_clock(). Token expiry, codes, the rate limit and write
 * timestamps follow it. */
void              fulcrum_sim_server_advance_clock         (FulcrumSimServer   *self,
                                                            gint64              seconds);
void              fulcrum_sim_server_advance_clock_ms      (FulcrumSimServer   *self,
                                                            gint64              ms);
gboolean          fulcrum_sim_server_get_manual_clock      (FulcrumSimServer   *self);
void              fulcrum_sim_server_set_manual_clock      (FulcrumSimServer   *self,
                                                            gboolean            manual_clock);
gint64            fulcrum_sim_server_get_now_ms            (FulcrumSimServer   *self);

/* Registered OAuth apps. @allowed_scopes NULL = every known scope. Adding a client id
 * again replaces it. */
void              fulcrum_sim_server_add_app               (FulcrumSimServer   *self,
                                                            const char         *client_id,
                                                            const char         *client_secret,
                                                            const char * const *redirect_uris,
                                                            const char * const *allowed_scopes);
/* The name the consent page shows (the client id by default). */
void              fulcrum_sim_server_set_app_name          (FulcrumSimServer   *self,
                                                            const char         *client_id,
                                                            const char         *name);
gboolean          fulcrum_sim_server_has_app               (FulcrumSimServer   *self,
                                                            const char         *client_id);
/* What an organization's admin does in Lever's settings: revokes every grant of the app.
 * Returns the number of token families revoked. */
guint             fulcrum_sim_server_revoke_app            (FulcrumSimServer   *self,
                                                            const char         *client_id);

/* Keeps apps, the key id and token families (hashes only) in @path, written atomically
 * after every token operation and read when listening. API writes are not kept: the data
 * is generated again from the seed. */
void              fulcrum_sim_server_set_state_file        (FulcrumSimServer   *self,
                                                            const char         *path);

/* Binds 127.0.0.1:@port (0 = any free port) on the thread-default main context. */
gboolean          fulcrum_sim_server_listen                (FulcrumSimServer   *self,
                                                            guint               port,
                                                            GError            **error);
/* The same in a thread of its own with its own main context. */
gboolean          fulcrum_sim_server_start_thread          (FulcrumSimServer   *self,
                                                            guint               port,
                                                            GError            **error);
/* Stops listening (and joins the thread). Also done on dispose. */
void              fulcrum_sim_server_stop                  (FulcrumSimServer   *self);
gboolean          fulcrum_sim_server_is_running            (FulcrumSimServer   *self);

guint             fulcrum_sim_server_get_port              (FulcrumSimServer   *self);
const char       *fulcrum_sim_server_get_base_url          (FulcrumSimServer   *self);
const char       *fulcrum_sim_server_get_authorize_url     (FulcrumSimServer   *self);
const char       *fulcrum_sim_server_get_token_url         (FulcrumSimServer   *self);
const char       *fulcrum_sim_server_get_api_base          (FulcrumSimServer   *self);
const char       *fulcrum_sim_server_get_audience          (FulcrumSimServer   *self);

/* The counters of GET /_sim/stats. */
JsonNode         *fulcrum_sim_server_get_stats             (FulcrumSimServer   *self);
void              fulcrum_sim_server_reset_stats           (FulcrumSimServer   *self);

G_END_DECLS
