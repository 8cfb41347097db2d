/* fulcrum-explorer-params.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_EXPLORER_PARAMS (fulcrum_explorer_params_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumExplorerParams, fulcrum_explorer_params, FULCRUM, EXPLORER_PARAMS, AdwPreferencesGroup)

/* The parameters of one action as rows: entries for text, numbers, dates, lists and
 * JSON, a combo for a single choice, a switch for booleans (optional ones can be left
 * unsent). Required parameters come first and are marked. */
GtkWidget  *fulcrum_explorer_params_new        (void);
void        fulcrum_explorer_params_set_action (FulcrumExplorerParams *self,
                                                const FulcrumAction  *action);
/* name → value as text, for fulcrum_lever_client_run_action_async(). When a value is
 * missing or not of its type, the rows in fault are marked and NULL is returned with an
 * error (FULCRUM_ACTION_ERROR_INVALID_PARAMETER) naming the first. */
GHashTable *fulcrum_explorer_params_collect    (FulcrumExplorerParams *self,
                                                GError              **error);
/* Fills a parameter's row: text, one of its choices, or "true"/"false"; NULL empties it. */
void        fulcrum_explorer_params_set_value  (FulcrumExplorerParams *self,
                                                const char           *name,
                                                const char           *value);
/* The row of a parameter, or NULL. */
GtkWidget  *fulcrum_explorer_params_get_row    (FulcrumExplorerParams *self,
                                                const char           *name);

G_END_DECLS
