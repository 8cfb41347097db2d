/* fulcrum-environment-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_ENVIRONMENT_DIALOG (fulcrum_environment_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumEnvironmentDialog, fulcrum_environment_dialog, FULCRUM, ENVIRONMENT_DIALOG, AdwWindow)

/* @environment: a custom environment to edit, or NULL for a new one */
GtkWidget *fulcrum_environment_dialog_new (GtkWindow          *parent,
                                           FulcrumStore       *store,
                                           FulcrumEnvironment *environment);

G_END_DECLS
