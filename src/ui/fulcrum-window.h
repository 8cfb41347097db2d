/* fulcrum-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-application.h"
#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_WINDOW (fulcrum_window_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumWindow, fulcrum_window, FULCRUM, WINDOW, AdwApplicationWindow)

FulcrumWindow *fulcrum_window_new             (FulcrumApplication  *application,
                                               FulcrumStore        *store,
                                               FulcrumSecretStore  *secrets,
                                               FulcrumTokenManager *tokens);
/* "environments", "profiles" or "accounts" */
void           fulcrum_window_set_page        (FulcrumWindow       *self,
                                               const char          *page);
const char    *fulcrum_window_get_page        (FulcrumWindow       *self);
void           fulcrum_window_show_load_error (FulcrumWindow       *self,
                                               const GError        *error);

G_END_DECLS
