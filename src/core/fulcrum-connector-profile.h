/* fulcrum-connector-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FULCRUM_PROFILE_ERROR (fulcrum_profile_error_quark ())

typedef enum
{
  FULCRUM_PROFILE_ERROR_INVALID_NAME,
  FULCRUM_PROFILE_ERROR_INVALID_CLIENT_ID,
  FULCRUM_PROFILE_ERROR_INVALID_REDIRECT_URI,
  FULCRUM_PROFILE_ERROR_INVALID_DESCRIPTION,
  FULCRUM_PROFILE_ERROR_INVALID_LOGO_URL,
} FulcrumProfileError;

/* The port Fulcrum suggests registering with Lever for the loopback callback. */
#define FULCRUM_DEFAULT_REDIRECT_PORT 53682

#define FULCRUM_TYPE_CONNECTOR_PROFILE (fulcrum_connector_profile_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumConnectorProfile, fulcrum_connector_profile, FULCRUM, CONNECTOR_PROFILE, GObject)

GQuark                   fulcrum_profile_error_quark                  (void);

FulcrumConnectorProfile *fulcrum_connector_profile_new                (const char *id,
                                                                       const char *environment_id);
char                    *fulcrum_connector_profile_default_redirect_uri (const char *environment_id,
                                                                         guint       port);
gboolean                 fulcrum_connector_profile_check_redirect_uri (const char  *uri,
                                                                       GError     **error);
gboolean                 fulcrum_connector_profile_validate           (FulcrumConnectorProfile  *self,
                                                                       GError                  **error);

const char              *fulcrum_connector_profile_get_id             (FulcrumConnectorProfile *self);
const char              *fulcrum_connector_profile_get_environment_id (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_environment_id (FulcrumConnectorProfile *self,
                                                                       const char              *environment_id);
const char              *fulcrum_connector_profile_get_name           (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_name           (FulcrumConnectorProfile *self,
                                                                       const char              *name);
const char              *fulcrum_connector_profile_get_client_id      (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_client_id      (FulcrumConnectorProfile *self,
                                                                       const char              *client_id);
const char * const      *fulcrum_connector_profile_get_scopes         (FulcrumConnectorProfile *self);
/* Normalizes through fulcrum_scopes_normalize(); on error nothing changes. */
gboolean                 fulcrum_connector_profile_set_scopes         (FulcrumConnectorProfile  *self,
                                                                       const char * const       *scopes,
                                                                       GError                  **error);
/* NULL means the profile never chose: every action its scopes cover is enabled. */
const char * const      *fulcrum_connector_profile_get_enabled_actions (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_enabled_actions (FulcrumConnectorProfile *self,
                                                                        const char * const      *actions);
const char              *fulcrum_connector_profile_get_redirect_uri   (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_redirect_uri   (FulcrumConnectorProfile *self,
                                                                       const char              *redirect_uri);
gboolean                 fulcrum_connector_profile_get_has_secret     (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_has_secret     (FulcrumConnectorProfile *self,
                                                                       gboolean                 has_secret);
const char              *fulcrum_connector_profile_get_integration_name (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_integration_name (FulcrumConnectorProfile *self,
                                                                         const char              *name);
const char              *fulcrum_connector_profile_get_description    (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_description    (FulcrumConnectorProfile *self,
                                                                       const char              *description);
const char              *fulcrum_connector_profile_get_logo_url       (FulcrumConnectorProfile *self);
void                     fulcrum_connector_profile_set_logo_url       (FulcrumConnectorProfile *self,
                                                                       const char              *logo_url);
/* Lever's registration form, filled from this profile, as plain text to paste. */
char                    *fulcrum_connector_profile_dup_registration_text (FulcrumConnectorProfile *self);

JsonNode                *fulcrum_connector_profile_to_json            (FulcrumConnectorProfile  *self);
FulcrumConnectorProfile *fulcrum_connector_profile_new_from_json      (JsonObject               *object,
                                                                       GError                  **error);

G_END_DECLS
