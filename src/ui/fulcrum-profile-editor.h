/* fulcrum-profile-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_PROFILE_EDITOR (fulcrum_profile_editor_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumProfileEditor, fulcrum_profile_editor, FULCRUM, PROFILE_EDITOR, AdwWindow)

/* Edits @profile, or a new profile when NULL. On Save the secret goes to the keyring
 * first, then the profile to the store and the store to disk; then "saved" is emitted and
 * the editor closes. "delete-requested" asks the owner to delete the profile (the user
 * has confirmed already). */
GtkWidget               *fulcrum_profile_editor_new         (GtkWindow               *parent,
                                                             FulcrumStore            *store,
                                                             FulcrumSecretStore      *secrets,
                                                             FulcrumConnectorProfile *profile);
FulcrumConnectorProfile *fulcrum_profile_editor_get_profile (FulcrumProfileEditor    *self);

G_END_DECLS
