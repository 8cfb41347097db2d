/* fulcrum-profiles-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_PROFILES_PAGE (fulcrum_profiles_page_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumProfilesPage, fulcrum_profiles_page, FULCRUM, PROFILES_PAGE, AdwBin)

void       fulcrum_profiles_page_set_stores    (FulcrumProfilesPage     *self,
                                                FulcrumStore            *store,
                                                FulcrumSecretStore      *secrets);
/* Opens the editor; returns it (owned by GTK, it destroys itself when closed). */
GtkWidget *fulcrum_profiles_page_new_profile   (FulcrumProfilesPage     *self);
GtkWidget *fulcrum_profiles_page_edit_profile  (FulcrumProfilesPage     *self,
                                                FulcrumConnectorProfile *profile);
/* No confirmation: clears the keyring, then removes the profile and saves. */
void       fulcrum_profiles_page_delete_profile (FulcrumProfilesPage    *self,
                                                 FulcrumConnectorProfile *profile);

G_END_DECLS
