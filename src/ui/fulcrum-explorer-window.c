/* fulcrum-explorer-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-explorer"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-explorer-window-private.h"
#include "fulcrum-ui-util.h"

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumExplorerWindow, fulcrum_explorer_window, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

#define ACTION_KEY "fulcrum-action"
#define DEFAULT_ACTION "lever_list_opportunities"

/* Helpers */

FulcrumConnectorProfile *
_fulcrum_explorer_window_get_profile (FulcrumExplorerWindow *self)
{
  return fulcrum_store_find_profile (self->store,
                                     fulcrum_linked_account_get_profile_id (self->account));
}

static const char *
resource_title (const char *resource)
{
  const FulcrumScopeResource *resources;
  guint n_resources = 0;

  resources = fulcrum_scopes_get_resources (&n_resources);
  for (guint i = 0; i < n_resources; i++)
    if (g_str_equal (resources[i].resource, resource))
      return _(resources[i].title);

  return resource;
}

const char * const *
_fulcrum_explorer_window_granted_scopes (FulcrumExplorerWindow   *self,
                                         FulcrumConnectorProfile *profile)
{
  const char * const *granted = fulcrum_linked_account_get_granted_scopes (self->account);

  /* An account linked before grants were recorded runs with its profile's scopes. */
  if (granted == NULL || granted[0] == NULL)
    granted = fulcrum_connector_profile_get_scopes (profile);

  return granted;
}

/* Why the account may not run @action, short for a list row (NULL when it may), and in
 * full in @message. */
static char *
gating_reason (FulcrumExplorerWindow  *self,
               const FulcrumAction    *action,
               char                  **message)
{
  FulcrumConnectorProfile *profile = _fulcrum_explorer_window_get_profile (self);
  g_autoptr(GError) error = NULL;

  *message = NULL;

  if (profile == NULL)
    {
      *message = g_strdup (_("The connector profile of this account no longer exists."));
      return g_strdup (_("No connector profile"));
    }

  if (fulcrum_action_check_allowed (action, profile, self->account, &error))
    return NULL;

  *message = g_strdup (error->message);

  if (g_error_matches (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_MISSING_SCOPE))
    {
      const char * const *granted = _fulcrum_explorer_window_granted_scopes (self, profile);

      for (guint i = 0; action->scopes[i] != NULL; i++)
        if (!fulcrum_scopes_covers (granted, action->scopes[i]))
          /* Translators: %s is a Lever scope, e.g. notes:write:admin */
          return g_strdup_printf (_("Missing scope %s"), action->scopes[i]);
    }

  return g_strdup (_("Not enabled in the profile"));
}

static char *
action_signature (const FulcrumAction *action)
{
  return g_strdup_printf ("%s %s", action->method, action->path);
}

gboolean
_fulcrum_explorer_window_action_allowed (FulcrumExplorerWindow *self,
                                         const FulcrumAction   *action)
{
  g_autofree char *message = NULL;
  g_autofree char *reason = gating_reason (self, action, &message);

  return reason == NULL;
}

void
_fulcrum_explorer_window_update_actions (FulcrumExplorerWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_records = fulcrum_results_table_get_n_records (self->results_table) > 0;
  gboolean can_export = !self->running && !self->exporting && has_records;

  gtk_widget_action_set_enabled (widget, "explorer.run",
                                 !self->running && self->action != NULL &&
                                 _fulcrum_explorer_window_action_allowed (self, self->action));
  gtk_widget_action_set_enabled (widget, "explorer.cancel", self->running);
  gtk_widget_action_set_enabled (widget, "explorer.more",
                                 !self->running && self->next_offset != NULL);
  gtk_widget_action_set_enabled (widget, "explorer.export", can_export);

  gtk_widget_set_visible (self->run_button, !self->running);
  gtk_widget_set_visible (self->cancel_button, self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->running || self->exporting);
  gtk_spinner_set_spinning (self->spinner, self->running || self->exporting);
  gtk_widget_set_visible (self->more_button, !self->running && self->next_offset != NULL);
  gtk_widget_set_sensitive (self->export_button, can_export);
}

static void
refresh_gating (FulcrumExplorerWindow *self)
{
  if (self->disposed)
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->action_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const FulcrumAction *action = g_object_get_data (G_OBJECT (child), ACTION_KEY);
      g_autofree char *message = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *signature = NULL;

      if (action == NULL)
        continue;

      reason = gating_reason (self, action, &message);
      signature = action_signature (action);
      gtk_widget_set_sensitive (child, reason == NULL);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), reason ? reason : signature);
      gtk_widget_set_tooltip_text (child, message ? message : _(action->description));
    }

  if (self->action != NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *reason = gating_reason (self, self->action, &message);

      gtk_label_set_text (self->gating_label, message ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (self->gating_label), message != NULL);
    }

  _fulcrum_explorer_window_update_actions (self);
}

static void
update_header (FulcrumExplorerWindow *self)
{
  FulcrumEnvironment *environment;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  const char *label = fulcrum_linked_account_get_label (self->account);

  environment = fulcrum_store_find_environment (self->store,
    fulcrum_linked_account_get_environment_id (self->account));
  if (environment != NULL)
    /* Translators: "<account> · <environment>" */
    subtitle = g_strdup_printf (_("%s · %s"), label, fulcrum_environment_get_name (environment));
  else
    subtitle = g_strdup (label);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* Translators: the window's title, with the account's name */
  title = g_strdup_printf (_("Explorer — %s"), label);
  gtk_window_set_title (GTK_WINDOW (self), title);
}


/* Actions */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  _fulcrum_explorer_window_start_run (FULCRUM_EXPLORER_WINDOW (widget), FALSE);
}

static void
more_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  _fulcrum_explorer_window_start_run (FULCRUM_EXPLORER_WINDOW (widget), TRUE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  FulcrumExplorerWindow *self = FULCRUM_EXPLORER_WINDOW (widget);

  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

static void
copy_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  FulcrumExplorerWindow *self = FULCRUM_EXPLORER_WINDOW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->raw_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (text[0] != '\0')
    fulcrum_ui_copy_text (widget, text);
}

/* Signal callbacks */

static void
search_changed_cb (FulcrumExplorerWindow *self)
{
  gtk_list_box_invalidate_filter (self->action_list);
  gtk_list_box_invalidate_headers (self->action_list);
}

static gboolean
filter_action_cb (GtkListBoxRow *row,
                  gpointer       user_data)
{
  FulcrumExplorerWindow *self = user_data;
  const FulcrumAction *action = g_object_get_data (G_OBJECT (row), ACTION_KEY);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;

  if (text[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  haystack = g_utf8_casefold (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);

  return strstr (haystack, needle) != NULL || strstr (action->id, needle) != NULL ||
         strstr (action->path, needle) != NULL;
}

static void
header_cb (GtkListBoxRow *row,
           GtkListBoxRow *before,
           gpointer       user_data)
{
  const FulcrumAction *action = g_object_get_data (G_OBJECT (row), ACTION_KEY);
  const FulcrumAction *previous = before ? g_object_get_data (G_OBJECT (before), ACTION_KEY)
                                         : NULL;
  GtkWidget *header;

  if (previous != NULL && g_str_equal (previous->resource, action->resource))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (resource_title (action->resource));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, before ? 12 : 6);
  gtk_widget_set_margin_bottom (header, 3);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

static void
update_form (FulcrumExplorerWindow *self)
{
  const FulcrumAction *action = self->action;
  g_autofree char *signature = NULL;
  gboolean paginated, partitionable;

  if (action == NULL)
    return;

  signature = action_signature (action);
  paginated = (action->flags & FULCRUM_ACTION_FLAG_PAGINATED) != 0;
  partitionable = (action->flags & FULCRUM_ACTION_FLAG_PARTITIONABLE) != 0;

  gtk_label_set_text (self->action_title, _(action->title));
  gtk_label_set_text (self->action_description, _(action->description));
  gtk_label_set_text (self->action_path, signature);
  fulcrum_explorer_params_set_action (self->params, action);

  gtk_widget_set_visible (self->run_group, paginated);
  gtk_widget_set_visible (GTK_WIDGET (self->windows_row), partitionable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->windows_row),
                            gtk_switch_get_active (self->all_pages_switch));

  refresh_gating (self);
}

static void
action_selected_cb (FulcrumExplorerWindow *self,
                    GtkListBoxRow         *row)
{
  if (row == NULL)
    return;

  self->action = g_object_get_data (G_OBJECT (row), ACTION_KEY);
  update_form (self);
}

static void
all_pages_changed_cb (FulcrumExplorerWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->windows_row),
                            gtk_switch_get_active (self->all_pages_switch));
}

static void
record_selected_cb (FulcrumExplorerWindow *self)
{
  _fulcrum_explorer_window_show_raw_json (self);
}

static void
store_changed_cb (FulcrumExplorerWindow *self)
{
  if (self->disposed)
    return;

  /* Unlinked (or linked again, which makes a new account): this Explorer is done. */
  if (fulcrum_store_find_account (self->store,
                                  fulcrum_linked_account_get_id (self->account)) != self->account)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  update_header (self);
  refresh_gating (self);
}

static void
build_action_list (FulcrumExplorerWindow *self)
{
  const FulcrumAction *actions;
  guint n_actions = 0;

  actions = fulcrum_actions_get_all (&n_actions);
  for (guint i = 0; i < n_actions; i++)
    {
      GtkWidget *row = g_object_new (ADW_TYPE_ACTION_ROW,
                                     "title", _(actions[i].title),
                                     "use-markup", FALSE,
                                     "subtitle-lines", 2,
                                     NULL);

      g_object_set_data (G_OBJECT (row), ACTION_KEY, (gpointer) &actions[i]);
      gtk_widget_set_name (row, actions[i].id);
      gtk_list_box_append (self->action_list, row);
    }

  gtk_list_box_set_filter_func (self->action_list, filter_action_cb, self, NULL);
  gtk_list_box_set_header_func (self->action_list, header_cb, NULL, NULL);
}

static GtkListBoxRow *
find_action_row (FulcrumExplorerWindow *self,
                 const char            *action_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->action_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const FulcrumAction *action = g_object_get_data (G_OBJECT (child), ACTION_KEY);

      if (action != NULL && g_str_equal (action->id, action_id))
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

/* The first list the account may read, opportunities when it can. */
static void
select_first_action (FulcrumExplorerWindow *self)
{
  GtkListBoxRow *row = find_action_row (self, DEFAULT_ACTION);

  if (row == NULL || !gtk_widget_get_sensitive (GTK_WIDGET (row)))
    {
      row = NULL;
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->action_list));
           child != NULL && row == NULL;
           child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_sensitive (child))
          row = GTK_LIST_BOX_ROW (child);
    }

  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->action_list, 0);

  gtk_list_box_select_row (self->action_list, row);
}

static void
fulcrum_explorer_window_dispose (GObject *object)
{
  FulcrumExplorerWindow *self = FULCRUM_EXPLORER_WINDOW (object);

  self->disposed = TRUE;
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_EXPLORER_WINDOW);

  G_OBJECT_CLASS (fulcrum_explorer_window_parent_class)->dispose (object);
}

static void
fulcrum_explorer_window_finalize (GObject *object)
{
  FulcrumExplorerWindow *self = FULCRUM_EXPLORER_WINDOW (object);

  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_object (&self->tokens);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->run_params, g_hash_table_unref);
  g_clear_pointer (&self->next_offset, g_free);
  g_clear_pointer (&self->last_page, json_array_unref);

  G_OBJECT_CLASS (fulcrum_explorer_window_parent_class)->finalize (object);
}

static void
fulcrum_explorer_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  FulcrumExplorerWindow *self = FULCRUM_EXPLORER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_explorer_window_class_init (FulcrumExplorerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_explorer_window_dispose;
  object_class->finalize = fulcrum_explorer_window_finalize;
  object_class->get_property = fulcrum_explorer_window_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "explorer.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "explorer.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "explorer.more", NULL, more_action);
  gtk_widget_class_install_action (widget_class, "explorer.export", "s",
                                   _fulcrum_explorer_window_export_action);
  gtk_widget_class_install_action (widget_class, "explorer.copy-json", NULL, copy_json_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "explorer.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "explorer.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "explorer.cancel", NULL);

  g_type_ensure (FULCRUM_TYPE_EXPLORER_PARAMS);
  g_type_ensure (FULCRUM_TYPE_RESULTS_TABLE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-explorer-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, action_list);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, action_title);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, action_description);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, action_path);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, gating_label);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, run_group);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, all_pages_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, all_pages_switch);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, windows_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, windows_switch);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, params);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, more_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, results_stack);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, results_table);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, raw_title);
  gtk_widget_class_bind_template_child (widget_class, FulcrumExplorerWindow, raw_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, action_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, all_pages_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, record_selected_cb);
}

static void
fulcrum_explorer_window_init (FulcrumExplorerWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  build_action_list (self);
}

GtkWidget *
fulcrum_explorer_window_new (GtkApplication       *application,
                             FulcrumStore         *store,
                             FulcrumSecretStore   *secrets,
                             FulcrumTokenManager  *tokens,
                             FulcrumLinkedAccount *account)
{
  FulcrumExplorerWindow *self;

  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (FULCRUM_IS_TOKEN_MANAGER (tokens), NULL);
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account), NULL);

  self = g_object_new (FULCRUM_TYPE_EXPLORER_WINDOW,
                       "application", application,
                       NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  self->tokens = g_object_ref (tokens);
  self->account = g_object_ref (account);

  g_signal_connect_object (fulcrum_store_get_accounts (store), "items-changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (fulcrum_store_get_profiles (store), "items-changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  /* Granted scopes and status change on the account itself. */
  g_signal_connect_object (account, "notify", G_CALLBACK (refresh_gating), self,
                           G_CONNECT_SWAPPED);

  update_header (self);
  refresh_gating (self);
  select_first_action (self);
  _fulcrum_explorer_window_set_progress (self, _("Not run yet"));
  _fulcrum_explorer_window_show_raw_json (self);

  return GTK_WIDGET (self);
}

FulcrumLinkedAccount *
fulcrum_explorer_window_get_account (FulcrumExplorerWindow *self)
{
  g_return_val_if_fail (FULCRUM_IS_EXPLORER_WINDOW (self), NULL);

  return self->account;
}

gboolean
fulcrum_explorer_window_select_action (FulcrumExplorerWindow *self,
                                       const char            *action_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (FULCRUM_IS_EXPLORER_WINDOW (self), FALSE);
  g_return_val_if_fail (action_id != NULL, FALSE);

  row = find_action_row (self, action_id);
  if (row == NULL)
    return FALSE;

  gtk_list_box_select_row (self->action_list, row);
  return TRUE;
}

const FulcrumAction *
fulcrum_explorer_window_get_action (FulcrumExplorerWindow *self)
{
  g_return_val_if_fail (FULCRUM_IS_EXPLORER_WINDOW (self), NULL);

  return self->action;
}

gboolean
fulcrum_explorer_window_get_running (FulcrumExplorerWindow *self)
{
  g_return_val_if_fail (FULCRUM_IS_EXPLORER_WINDOW (self), FALSE);

  return self->running;
}

GListModel *
fulcrum_explorer_window_get_records (FulcrumExplorerWindow *self)
{
  g_return_val_if_fail (FULCRUM_IS_EXPLORER_WINDOW (self), NULL);

  return fulcrum_results_table_get_records (self->results_table);
}
