/* fulcrum-environment.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FULCRUM_ENVIRONMENT_ERROR (fulcrum_environment_error_quark ())

typedef enum
{
  FULCRUM_ENVIRONMENT_ERROR_INVALID_NAME,
  FULCRUM_ENVIRONMENT_ERROR_INVALID_URL,
  FULCRUM_ENVIRONMENT_ERROR_INSECURE_URL,
  FULCRUM_ENVIRONMENT_ERROR_MISSING_AUDIENCE,
  FULCRUM_ENVIRONMENT_ERROR_INVALID_RATE,
  FULCRUM_ENVIRONMENT_ERROR_READ_ONLY,
} FulcrumEnvironmentError;

typedef enum
{
  FULCRUM_ENVIRONMENT_KIND_PRODUCTION,
  FULCRUM_ENVIRONMENT_KIND_SANDBOX,
  FULCRUM_ENVIRONMENT_KIND_SIMULATOR,
  FULCRUM_ENVIRONMENT_KIND_CUSTOM,
} FulcrumEnvironmentKind;

/* Ids of the built-in environments; also the path segment of their callback URI. */
#define FULCRUM_ENVIRONMENT_ID_PRODUCTION "production"
#define FULCRUM_ENVIRONMENT_ID_SANDBOX    "sandbox"
#define FULCRUM_ENVIRONMENT_ID_SIMULATOR  "simulator"

/* Where the built-in simulator listens when the app starts it. */
#define FULCRUM_SIMULATOR_DEFAULT_PORT 47800

/* Lever's documented limit: 10 requests/s, bursts to 20. */
#define FULCRUM_LEVER_RATE_LIMIT 10.0
#define FULCRUM_LEVER_RATE_BURST 20

#define FULCRUM_TYPE_ENVIRONMENT (fulcrum_environment_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumEnvironment, fulcrum_environment, FULCRUM, ENVIRONMENT, GObject)

GQuark                  fulcrum_environment_error_quark      (void);

const char             *fulcrum_environment_kind_to_string   (FulcrumEnvironmentKind kind);
/* FULCRUM_SIMULATOR_PORT, or FULCRUM_SIMULATOR_DEFAULT_PORT. */
guint                   fulcrum_environment_get_simulator_port (void);
gboolean                fulcrum_environment_kind_from_string (const char             *str,
                                                              FulcrumEnvironmentKind *kind);

FulcrumEnvironment     *fulcrum_environment_new_builtin      (FulcrumEnvironmentKind  kind);
FulcrumEnvironment     *fulcrum_environment_new_custom       (const char             *id,
                                                              const char             *name,
                                                              const char             *authorize_url,
                                                              const char             *token_url,
                                                              const char             *audience,
                                                              const char             *api_base,
                                                              double                  rate_limit,
                                                              guint                   rate_burst,
                                                              GError                **error);
gboolean                fulcrum_environment_update           (FulcrumEnvironment     *self,
                                                              const char             *name,
                                                              const char             *authorize_url,
                                                              const char             *token_url,
                                                              const char             *audience,
                                                              const char             *api_base,
                                                              double                  rate_limit,
                                                              guint                   rate_burst,
                                                              GError                **error);
gboolean                fulcrum_environment_check_url        (const char             *url,
                                                              const char             *what,
                                                              GError                **error);

const char             *fulcrum_environment_get_id            (FulcrumEnvironment *self);
const char             *fulcrum_environment_get_name          (FulcrumEnvironment *self);
FulcrumEnvironmentKind  fulcrum_environment_get_kind          (FulcrumEnvironment *self);
gboolean                fulcrum_environment_is_builtin        (FulcrumEnvironment *self);
const char             *fulcrum_environment_get_authorize_url (FulcrumEnvironment *self);
const char             *fulcrum_environment_get_token_url     (FulcrumEnvironment *self);
const char             *fulcrum_environment_get_audience      (FulcrumEnvironment *self);
const char             *fulcrum_environment_get_api_base      (FulcrumEnvironment *self);
double                  fulcrum_environment_get_rate_limit    (FulcrumEnvironment *self);
guint                   fulcrum_environment_get_rate_burst    (FulcrumEnvironment *self);
/* For the simulator, whose port is only known once it listens. */
void                    fulcrum_environment_set_base_url      (FulcrumEnvironment *self,
                                                               const char         *base_url);

G_END_DECLS
