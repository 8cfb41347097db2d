/* fulcrum-actions-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FULCRUM_TYPE_ACTIONS_EDITOR (fulcrum_actions_editor_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumActionsEditor, fulcrum_actions_editor, FULCRUM, ACTIONS_EDITOR, AdwPreferencesGroup)

/* The profile editor's "Actions" group: every action the scopes allow (enabled actions
 * NULL), or a choice per action. An action whose scopes the profile does not ask for is
 * shown disabled with the missing scope; "scopes" follows the scopes editor live.
 * "changed" is emitted when the user changes the choice. */
GtkWidget  *fulcrum_actions_editor_new                  (void);
void        fulcrum_actions_editor_set_scopes           (FulcrumActionsEditor *self,
                                                         const char * const   *scopes);
/* NULL: every action the scopes allow. */
void        fulcrum_actions_editor_set_enabled_actions  (FulcrumActionsEditor *self,
                                                         const char * const   *actions);
/* NULL for "all the scopes allow", else the chosen actions the scopes allow, in
 * catalogue order. Free with g_strfreev(). */
char      **fulcrum_actions_editor_dup_enabled_actions  (FulcrumActionsEditor *self);
/* The row and the switch of an action, or NULL. */
AdwActionRow *fulcrum_actions_editor_get_row            (FulcrumActionsEditor *self,
                                                         const char           *action_id);
GtkSwitch  *fulcrum_actions_editor_get_switch           (FulcrumActionsEditor *self,
                                                         const char           *action_id);

G_END_DECLS
