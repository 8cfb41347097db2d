/* fulcrum-explorer-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"
#include "fulcrum-results-export.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_EXPLORER_WINDOW (fulcrum_explorer_window_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumExplorerWindow, fulcrum_explorer_window, FULCRUM, EXPLORER_WINDOW, AdwWindow)

/* Adds "open-explorer" (the account id, "s") to @window, a FulcrumWindow: it opens the
 * Explorer of that account, or brings its open one forward. */
void                   fulcrum_explorer_install_window_action (GtkApplicationWindow *window);

/* The Explorer of @account: pick an action of the catalogue (those the account may not
 * run are shown disabled, with the reason), fill in its parameters, run it; records fill
 * a table page by page, with the raw JSON beside; export to JSON Lines or CSV. */
GtkWidget             *fulcrum_explorer_window_new          (GtkApplication       *application,
                                                             FulcrumStore         *store,
                                                             FulcrumSecretStore   *secrets,
                                                             FulcrumTokenManager  *tokens,
                                                             FulcrumLinkedAccount *account);
FulcrumLinkedAccount  *fulcrum_explorer_window_get_account  (FulcrumExplorerWindow *self);
/* Shows @action_id's form. FALSE when there is no such action. */
gboolean               fulcrum_explorer_window_select_action (FulcrumExplorerWindow *self,
                                                              const char            *action_id);
const FulcrumAction   *fulcrum_explorer_window_get_action   (FulcrumExplorerWindow *self);
gboolean               fulcrum_explorer_window_get_running  (FulcrumExplorerWindow *self);
/* The records of the last run (FulcrumResultsRecord), in the order they arrived. */
GListModel            *fulcrum_explorer_window_get_records  (FulcrumExplorerWindow *self);

/* Writes the records shown to @file (in a worker thread, through FILE.partial); the
 * window tells the outcome in a toast. CSV columns are the table's, in its order. */
void                   fulcrum_explorer_window_export_async  (FulcrumExplorerWindow *self,
                                                              FulcrumResultsFormat   format,
                                                              GFile                 *file,
                                                              GCancellable          *cancellable,
                                                              GAsyncReadyCallback    callback,
                                                              gpointer               user_data);
gboolean               fulcrum_explorer_window_export_finish (FulcrumExplorerWindow *self,
                                                              GAsyncResult          *result,
                                                              guint64               *n_written,
                                                              GError               **error);

G_END_DECLS
