/* fulcrum-environment-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_ENVIRONMENT_ROW (fulcrum_environment_row_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumEnvironmentRow, fulcrum_environment_row, FULCRUM, ENVIRONMENT_ROW, AdwExpanderRow)

/* The row's edit and delete buttons activate "environments.edit" and "environments.delete"
 * with the environment's id. */
GtkWidget          *fulcrum_environment_row_new             (FulcrumEnvironment    *environment);
FulcrumEnvironment *fulcrum_environment_row_get_environment (FulcrumEnvironmentRow *self);

G_END_DECLS
