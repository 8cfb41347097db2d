/* fulcrum-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_APPLICATION (fulcrum_application_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumApplication, fulcrum_application, FULCRUM, APPLICATION, AdwApplication)

FulcrumApplication  *fulcrum_application_new               (void);
FulcrumStore        *fulcrum_application_get_store         (FulcrumApplication *self);
FulcrumSecretStore  *fulcrum_application_get_secret_store  (FulcrumApplication *self);
/* The one token manager of the process: every window and the Explorer share it, so that
 * an account is refreshed once however many views use it. */
FulcrumTokenManager *fulcrum_application_get_token_manager (FulcrumApplication *self);

G_END_DECLS
