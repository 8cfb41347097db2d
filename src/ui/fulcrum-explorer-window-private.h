/* fulcrum-explorer-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrum-explorer-params.h"
#include "fulcrum-explorer-window.h"
#include "fulcrum-results-table.h"

G_BEGIN_DECLS

struct _FulcrumExplorerWindow
{
  AdwWindow             parent_instance;

  FulcrumStore         *store;
  FulcrumSecretStore   *secrets;
  FulcrumTokenManager  *tokens;
  FulcrumLinkedAccount *account;
  /* Made on the first run; kept so that its counters cover the window's life. */
  FulcrumLeverClient   *client;

  /* The form shows @action; a run reads @run_action (they differ after picking another
   * action while a run goes on). */
  const FulcrumAction  *action;
  const FulcrumAction  *run_action;
  GHashTable           *run_params;
  char                 *next_offset;
  JsonArray            *last_page;
  /* Pages of earlier runs of the same list ("Load More"), for the progress line. */
  guint64               pages_before;
  GCancellable         *run_cancellable;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *run_button;
  GtkWidget            *cancel_button;
  GtkSpinner           *spinner;
  GtkWidget            *export_button;
  GtkSearchEntry       *search_entry;
  GtkListBox           *action_list;
  GtkLabel             *action_title;
  GtkLabel             *action_description;
  GtkLabel             *action_path;
  GtkLabel             *gating_label;
  GtkWidget            *run_group;
  AdwActionRow         *all_pages_row;
  GtkSwitch            *all_pages_switch;
  AdwActionRow         *windows_row;
  GtkSwitch            *windows_switch;
  FulcrumExplorerParams *params;
  GtkLabel             *progress_label;
  GtkWidget            *more_button;
  GtkStack             *results_stack;
  AdwStatusPage        *empty_page;
  FulcrumResultsTable  *results_table;
  GtkLabel             *raw_title;
  GtkTextView          *raw_view;

  guint                 running : 1;
  guint                 exporting : 1;
  guint                 disposed : 1;
};

/* fulcrum-explorer-window.c */
/* Enables the window's actions for what it is doing. */
void                     _fulcrum_explorer_window_update_actions (FulcrumExplorerWindow   *self);
FulcrumConnectorProfile *_fulcrum_explorer_window_get_profile    (FulcrumExplorerWindow   *self);
/* The scopes the account was granted (its profile's, when it has no record of them). */
const char * const      *_fulcrum_explorer_window_granted_scopes (FulcrumExplorerWindow   *self,
                                                                  FulcrumConnectorProfile *profile);
gboolean                 _fulcrum_explorer_window_action_allowed (FulcrumExplorerWindow   *self,
                                                                  const FulcrumAction     *action);

/* fulcrum-explorer-window-run.c */
/* Runs the form's action, or with @more the next page of the last run. */
void _fulcrum_explorer_window_start_run     (FulcrumExplorerWindow *self,
                                             gboolean               more);
void _fulcrum_explorer_window_set_progress  (FulcrumExplorerWindow *self,
                                             const char            *text);
/* The selected record, or else the last page, in the JSON view. */
void _fulcrum_explorer_window_show_raw_json (FulcrumExplorerWindow *self);

/* fulcrum-explorer-window-export.c */
/* "explorer.export" ("jsonl" or "csv"): asks where, then exports. */
void _fulcrum_explorer_window_export_action (GtkWidget             *widget,
                                             const char            *action_name,
                                             GVariant              *param);

G_END_DECLS
