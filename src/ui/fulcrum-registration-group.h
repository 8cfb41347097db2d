/* fulcrum-registration-group.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FULCRUM_TYPE_REGISTRATION_GROUP (fulcrum_registration_group_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumRegistrationGroup, fulcrum_registration_group, FULCRUM, REGISTRATION_GROUP, AdwPreferencesGroup)

/* Lever's limits for the integration description. */
#define FULCRUM_REGISTRATION_DESCRIPTION_MIN 20
#define FULCRUM_REGISTRATION_DESCRIPTION_MAX 140

/* The "Copy as Text" button activates "editor.copy-registration". "changed" is emitted
 * when the user edits a field. */
void        fulcrum_registration_group_set_details          (FulcrumRegistrationGroup *self,
                                                             const char               *integration_name,
                                                             const char               *description,
                                                             const char               *logo_url);
const char *fulcrum_registration_group_get_integration_name (FulcrumRegistrationGroup *self);
const char *fulcrum_registration_group_get_description      (FulcrumRegistrationGroup *self);
const char *fulcrum_registration_group_get_logo_url         (FulcrumRegistrationGroup *self);
void        fulcrum_registration_group_set_callback_url     (FulcrumRegistrationGroup *self,
                                                             const char               *url);
void        fulcrum_registration_group_set_scopes           (FulcrumRegistrationGroup *self,
                                                             const char * const       *scopes);
/* Marks the description or the logo URL as wrong (or neither). */
void        fulcrum_registration_group_set_errors           (FulcrumRegistrationGroup *self,
                                                             gboolean                  description,
                                                             gboolean                  logo_url);

G_END_DECLS
