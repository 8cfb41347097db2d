/* fulcrum-scopes-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FULCRUM_TYPE_SCOPES_EDITOR (fulcrum_scopes_editor_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumScopesEditor, fulcrum_scopes_editor, FULCRUM, SCOPES_EDITOR, AdwPreferencesGroup)

GtkWidget  *fulcrum_scopes_editor_new        (void);
void        fulcrum_scopes_editor_set_scopes (FulcrumScopesEditor *self,
                                              const char * const  *scopes);
/* The minimal set when valid, else what is switched on. Free with g_strfreev(). */
char      **fulcrum_scopes_editor_get_scopes (FulcrumScopesEditor *self);
gboolean    fulcrum_scopes_editor_get_valid  (FulcrumScopesEditor *self);
/* Why the selection is invalid, or NULL. */
const char *fulcrum_scopes_editor_get_error  (FulcrumScopesEditor *self);
/* The switch that turns @scope on, or NULL for an unknown scope. */
GtkSwitch  *fulcrum_scopes_editor_get_switch (FulcrumScopesEditor *self,
                                              const char          *scope);

G_END_DECLS
