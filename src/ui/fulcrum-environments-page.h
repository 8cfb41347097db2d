/* fulcrum-environments-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_ENVIRONMENTS_PAGE (fulcrum_environments_page_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumEnvironmentsPage, fulcrum_environments_page, FULCRUM, ENVIRONMENTS_PAGE, AdwBin)

void fulcrum_environments_page_set_stores      (FulcrumEnvironmentsPage *self,
                                                FulcrumStore            *store,
                                                FulcrumSecretStore      *secrets);
/* Opens the dialog for a new custom environment. */
void fulcrum_environments_page_add_environment (FulcrumEnvironmentsPage *self);
/* "Check Connection": the answer is a toast, and the "connection-checked" signal
 * (environment id, reachable, message). */
void fulcrum_environments_page_check_connection (FulcrumEnvironmentsPage *self,
                                                 FulcrumEnvironment      *environment);

G_END_DECLS
