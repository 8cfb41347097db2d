/* fulcrum-profile-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_PROFILE_ROW (fulcrum_profile_row_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumProfileRow, fulcrum_profile_row, FULCRUM, PROFILE_ROW, AdwActionRow)

/* Activating the row activates "profiles.edit" with the profile's id. */
GtkWidget               *fulcrum_profile_row_new         (FulcrumStore            *store,
                                                          FulcrumConnectorProfile *profile);
FulcrumConnectorProfile *fulcrum_profile_row_get_profile (FulcrumProfileRow       *self);

G_END_DECLS
