/* fulcrum-profile-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-profile-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-actions-editor.h"
#include "fulcrum-profile-commit.h"
#include "fulcrum-profile-editor.h"
#include "fulcrum-registration-group.h"
#include "fulcrum-scopes-editor.h"
#include "fulcrum-ui-util.h"

struct _FulcrumProfileEditor
{
  AdwWindow                 parent_instance;

  FulcrumStore             *store;
  FulcrumSecretStore       *secrets;
  /* NULL until a new profile has been added to the store. */
  FulcrumConnectorProfile  *profile;
  GCancellable             *cancellable;
  GtkWindow                *parent;
  /* The id a new profile gets, chosen when Save is pressed. */
  char                     *pending_id;
  /* The form as it was opened (its profile as JSON), to tell whether closing loses work. */
  char                     *opened_form;

  AdwToastOverlay          *toast_overlay;
  AdwWindowTitle           *window_title;
  GtkWidget                *save_button;
  GtkSpinner               *spinner;
  AdwPreferencesPage       *page;
  AdwPreferencesGroup      *error_group;
  GtkLabel                 *error_label;
  AdwEntryRow              *name_row;
  AdwComboRow              *environment_row;
  AdwPreferencesGroup      *credentials_group;
  AdwEntryRow              *client_id_row;
  AdwEntryRow              *secret_row;
  AdwEntryRow              *redirect_row;
  GtkWidget                *reset_redirect_button;
  FulcrumScopesEditor      *scopes_editor;
  FulcrumActionsEditor     *actions_editor;
  FulcrumRegistrationGroup *registration_group;
  AdwPreferencesGroup      *delete_group;

  guint                     updating;
  guint                     redirect_edited : 1;
  guint                     saving : 1;
  guint                     registration_touched : 1;
  guint                     discard_confirmed : 1;
  guint                     disposed : 1;
};

enum {
  SAVED,
  DELETE_REQUESTED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FulcrumProfileEditor, fulcrum_profile_editor, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

#define TOUCHED_KEY "fulcrum-touched"

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_row_text (FulcrumProfileEditor *self,
              AdwEntryRow          *row,
              const char           *text)
{
  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  self->updating--;
}

static gboolean
is_touched (gpointer widget)
{
  return g_object_get_data (G_OBJECT (widget), TOUCHED_KEY) != NULL;
}

static void
touch (gpointer widget)
{
  g_object_set_data (G_OBJECT (widget), TOUCHED_KEY, GINT_TO_POINTER (TRUE));
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_CANCELLED);
}

static const char *
selected_environment_id (FulcrumProfileEditor *self)
{
  FulcrumEnvironment *environment = adw_combo_row_get_selected_item (self->environment_row);

  return environment ? fulcrum_environment_get_id (environment) : NULL;
}

static char *
default_redirect_uri (FulcrumProfileEditor *self)
{
  const char *environment_id = selected_environment_id (self);

  if (environment_id == NULL)
    return g_strdup ("");

  return fulcrum_connector_profile_default_redirect_uri (environment_id,
                                                         FULCRUM_DEFAULT_REDIRECT_PORT);
}

static const char *
profile_id (FulcrumProfileEditor *self)
{
  if (self->profile != NULL)
    return fulcrum_connector_profile_get_id (self->profile);
  if (self->pending_id != NULL)
    return self->pending_id;
  return "new-profile";
}

/* What the fields say, as a profile that is not in the store. */
static FulcrumConnectorProfile *
build_scratch (FulcrumProfileEditor *self)
{
  FulcrumConnectorProfile *scratch;
  const char *environment_id = selected_environment_id (self);
  g_auto(GStrv) scopes = NULL;
  g_auto(GStrv) actions = NULL;

  scratch = fulcrum_connector_profile_new (profile_id (self), environment_id ? environment_id : "");
  fulcrum_connector_profile_set_name (scratch, row_text (self->name_row));
  fulcrum_connector_profile_set_client_id (scratch, row_text (self->client_id_row));
  fulcrum_connector_profile_set_redirect_uri (scratch, row_text (self->redirect_row));
  fulcrum_connector_profile_set_integration_name (scratch,
    fulcrum_registration_group_get_integration_name (self->registration_group));
  fulcrum_connector_profile_set_description (scratch,
    fulcrum_registration_group_get_description (self->registration_group));
  fulcrum_connector_profile_set_logo_url (scratch,
    fulcrum_registration_group_get_logo_url (self->registration_group));

  scopes = fulcrum_scopes_editor_get_scopes (self->scopes_editor);
  if (fulcrum_scopes_editor_get_valid (self->scopes_editor))
    fulcrum_connector_profile_set_scopes (scratch, (const char * const *) scopes, NULL);

  actions = fulcrum_actions_editor_dup_enabled_actions (self->actions_editor);
  fulcrum_connector_profile_set_enabled_actions (scratch, (const char * const *) actions);

  return scratch;
}

static char *
dup_form (FulcrumProfileEditor *self)
{
  g_autoptr(FulcrumConnectorProfile) scratch = build_scratch (self);
  g_autoptr(JsonNode) node = fulcrum_connector_profile_to_json (scratch);

  return json_to_string (node, FALSE);
}

static gboolean
has_unsaved_changes (FulcrumProfileEditor *self)
{
  g_autofree char *form = NULL;

  if (row_text (self->secret_row)[0] != '\0')
    return TRUE;
  form = dup_form (self);
  return g_strcmp0 (form, self->opened_form) != 0;
}

static void
validate (FulcrumProfileEditor *self)
{
  g_autoptr(FulcrumConnectorProfile) scratch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkWidget *error_row = NULL;
  gboolean description_bad = FALSE;
  gboolean logo_bad = FALSE;
  gboolean valid;

  if (self->store == NULL)
    return;

  scratch = build_scratch (self);
  valid = fulcrum_connector_profile_validate (scratch, &error);

  if (!valid && error->domain == FULCRUM_PROFILE_ERROR)
    {
      switch ((FulcrumProfileError) error->code)
        {
        case FULCRUM_PROFILE_ERROR_INVALID_NAME:
          error_row = GTK_WIDGET (self->name_row);
          break;

        case FULCRUM_PROFILE_ERROR_INVALID_CLIENT_ID:
          error_row = GTK_WIDGET (self->client_id_row);
          break;

        case FULCRUM_PROFILE_ERROR_INVALID_REDIRECT_URI:
          error_row = GTK_WIDGET (self->redirect_row);
          break;

        case FULCRUM_PROFILE_ERROR_INVALID_DESCRIPTION:
          description_bad = self->registration_touched;
          error_row = description_bad ? GTK_WIDGET (self->registration_group) : NULL;
          break;

        case FULCRUM_PROFILE_ERROR_INVALID_LOGO_URL:
          logo_bad = self->registration_touched;
          error_row = logo_bad ? GTK_WIDGET (self->registration_group) : NULL;
          break;

        default:
          break;
        }
    }
  else if (valid)
    {
      FulcrumConnectorProfile *other;

      other = fulcrum_store_find_profile (self->store, row_text (self->name_row));
      if (other != NULL && other != self->profile)
        {
          valid = FALSE;
          error_row = GTK_WIDGET (self->name_row);
          message = g_strdup_printf (_("A profile named “%s” already exists"),
                                     row_text (self->name_row));
        }
    }

  if (fulcrum_store_get_read_only (self->store))
    {
      valid = FALSE;
      error_row = NULL;
      g_free (message);
      message = g_strdup (_("A newer version of Fulcrum wrote the configuration, so it "
                            "cannot be changed here."));
    }
  if (selected_environment_id (self) == NULL)
    valid = FALSE;
  if (!fulcrum_scopes_editor_get_valid (self->scopes_editor))
    valid = FALSE;

  fulcrum_ui_set_error_style (GTK_WIDGET (self->name_row), FALSE);
  fulcrum_ui_set_error_style (GTK_WIDGET (self->client_id_row), FALSE);
  fulcrum_ui_set_error_style (GTK_WIDGET (self->redirect_row), FALSE);
  fulcrum_registration_group_set_errors (self->registration_group, description_bad, logo_bad);

  if (error_row != NULL && (error_row == GTK_WIDGET (self->registration_group) ||
                            is_touched (error_row)))
    {
      if (error_row != GTK_WIDGET (self->registration_group))
        fulcrum_ui_set_error_style (error_row, TRUE);
      if (message == NULL)
        message = g_strdup (error->message);
    }
  else if (!fulcrum_store_get_read_only (self->store))
    {
      g_clear_pointer (&message, g_free);
    }

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), message != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", valid && !self->saving);
}

static void
set_saving (FulcrumProfileEditor *self,
            gboolean              saving)
{
  self->saving = !!saving;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), saving);
  gtk_spinner_set_spinning (self->spinner, saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !saving);
  validate (self);
}

static void
field_changed_cb (FulcrumProfileEditor *self,
                  GtkWidget            *row)
{
  if (self->updating == 0)
    touch (row);

  validate (self);
}

static void
update_redirect_state (FulcrumProfileEditor *self)
{
  gtk_widget_set_visible (self->reset_redirect_button, self->redirect_edited);
  fulcrum_registration_group_set_callback_url (self->registration_group,
                                               row_text (self->redirect_row));
}

static void
redirect_changed_cb (FulcrumProfileEditor *self)
{
  if (self->updating == 0)
    {
      g_autofree char *default_uri = default_redirect_uri (self);

      touch (self->redirect_row);
      /* Typing the default back makes the address follow the environment again. */
      self->redirect_edited = !g_str_equal (row_text (self->redirect_row), default_uri);
    }

  update_redirect_state (self);
  validate (self);
}

static void
environment_changed_cb (FulcrumProfileEditor *self)
{
  if (self->store == NULL)
    return;

  if (!self->redirect_edited)
    {
      g_autofree char *default_uri = default_redirect_uri (self);

      set_row_text (self, self->redirect_row, default_uri);
    }

  update_redirect_state (self);
  validate (self);
}

static void
reset_redirect_clicked_cb (FulcrumProfileEditor *self)
{
  g_autofree char *default_uri = default_redirect_uri (self);

  self->redirect_edited = FALSE;
  set_row_text (self, self->redirect_row, default_uri);
  update_redirect_state (self);
  validate (self);
}

static void
copy_redirect_clicked_cb (FulcrumProfileEditor *self)
{
  fulcrum_ui_copy_text (GTK_WIDGET (self), row_text (self->redirect_row));
}

static void
scopes_changed_cb (FulcrumProfileEditor *self)
{
  g_auto(GStrv) scopes = fulcrum_scopes_editor_get_scopes (self->scopes_editor);

  fulcrum_registration_group_set_scopes (self->registration_group, (const char * const *) scopes);
  validate (self);
}

static void
registration_changed_cb (FulcrumProfileEditor *self)
{
  self->registration_touched = TRUE;
  validate (self);
}

static void
show_error (FulcrumProfileEditor *self,
            const GError         *error)
{
  /* After the editor is gone the main window tells it. */
  if (!self->disposed)
    fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), NULL, error);
  else if (self->parent != NULL)
    fulcrum_ui_show_error (GTK_WIDGET (self->parent), NULL, error);
  else
    g_warning ("%s", error->message);
}

static void
commit_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FulcrumProfileEditor) self = user_data;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = fulcrum_profile_commit_finish (result, &error);

  /* Closed meanwhile: the list in the main window shows what came of it. */
  if (self->disposed)
    {
      if (error != NULL && !is_cancelled (error))
        show_error (self, error);
      return;
    }

  if (profile == NULL)
    {
      /* A new profile may be in the store already, with only the file left to write:
       * a retry must edit it, not add it twice. */
      if (self->profile == NULL)
        g_set_object (&self->profile, fulcrum_store_find_profile (self->store, profile_id (self)));

      show_error (self, error);
      set_saving (self, FALSE);
      return;
    }

  g_set_object (&self->profile, profile);
  g_signal_emit (self, signals[SAVED], 0, self->profile);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  FulcrumProfileEditor *self = FULCRUM_PROFILE_EDITOR (widget);
  g_autoptr(FulcrumConnectorProfile) changes = NULL;

  if (self->saving)
    return;

  if (self->profile == NULL)
    {
      g_free (self->pending_id);
      self->pending_id = fulcrum_store_make_id (self->store, row_text (self->name_row));
    }

  set_saving (self, TRUE);

  /* Keyring first, then the profile, then the file. */
  changes = build_scratch (self);
  fulcrum_profile_commit_async (self->store, self->secrets, self->profile, changes,
                                row_text (self->secret_row), self->cancellable,
                                commit_cb, g_object_ref (self));
}

static void
copy_registration_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  FulcrumProfileEditor *self = FULCRUM_PROFILE_EDITOR (widget);
  g_autoptr(FulcrumConnectorProfile) scratch = build_scratch (self);
  g_autofree char *text = fulcrum_connector_profile_dup_registration_text (scratch);

  fulcrum_ui_copy_text (widget, text);
}

static void
delete_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    FulcrumProfileEditor *self)
{
  g_autoptr(FulcrumConnectorProfile) profile = NULL;

  if (!g_str_equal (response, "delete") || self->profile == NULL)
    return;

  /* Emit first: closing disposes the editor, and its handlers with it. */
  profile = g_object_ref (self->profile);
  g_signal_emit (self, signals[DELETE_REQUESTED], 0, profile);
  self->discard_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  FulcrumProfileEditor *self = FULCRUM_PROFILE_EDITOR (widget);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (self->profile == NULL || self->saving)
    return;

  heading = g_strdup_printf (_("Delete “%s”?"),
                             fulcrum_connector_profile_get_name (self->profile));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("Its client secret is removed from the "
                                                         "keyring and its linked accounts are "
                                                         "unlinked. This cannot be undone.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
discard_response_cb (AdwMessageDialog     *dialog,
                     const char           *response,
                     FulcrumProfileEditor *self)
{
  if (!g_str_equal (response, "discard"))
    return;

  self->discard_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* Escape, the close button or the window manager: typed work is not dropped unasked. */
static gboolean
fulcrum_profile_editor_close_request (GtkWindow *window)
{
  FulcrumProfileEditor *self = FULCRUM_PROFILE_EDITOR (window);
  AdwMessageDialog *dialog;

  /* While saving, the changes are on their way to the store. */
  if (self->discard_confirmed || self->saving || !has_unsaved_changes (self))
    return GTK_WINDOW_CLASS (fulcrum_profile_editor_parent_class)->close_request (window);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Discard Changes?"),
                                                       _("The changes to this connector profile "
                                                         "have not been saved.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static char *
environment_name_cb (FulcrumEnvironment *environment,
                     gpointer            user_data)
{
  return g_strdup (environment ? fulcrum_environment_get_name (environment) : "");
}

static void
fulcrum_profile_editor_dispose (GObject *object)
{
  FulcrumProfileEditor *self = FULCRUM_PROFILE_EDITOR (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_PROFILE_EDITOR);
  g_clear_weak_pointer (&self->parent);

  G_OBJECT_CLASS (fulcrum_profile_editor_parent_class)->dispose (object);
}

static void
fulcrum_profile_editor_finalize (GObject *object)
{
  FulcrumProfileEditor *self = FULCRUM_PROFILE_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->pending_id, g_free);
  g_clear_pointer (&self->opened_form, g_free);

  G_OBJECT_CLASS (fulcrum_profile_editor_parent_class)->finalize (object);
}

static void
fulcrum_profile_editor_class_init (FulcrumProfileEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fulcrum_profile_editor_dispose;
  object_class->finalize = fulcrum_profile_editor_finalize;
  window_class->close_request = fulcrum_profile_editor_close_request;

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FULCRUM_TYPE_CONNECTOR_PROFILE);
  signals[DELETE_REQUESTED] =
    g_signal_new ("delete-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FULCRUM_TYPE_CONNECTOR_PROFILE);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.copy-registration", NULL,
                                   copy_registration_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);

  g_type_ensure (FULCRUM_TYPE_SCOPES_EDITOR);
  g_type_ensure (FULCRUM_TYPE_ACTIONS_EDITOR);
  g_type_ensure (FULCRUM_TYPE_REGISTRATION_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, page);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, error_group);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, environment_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, secret_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, redirect_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, reset_redirect_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, scopes_editor);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, actions_editor);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, registration_group);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfileEditor, delete_group);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, redirect_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, environment_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_redirect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_redirect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, scopes_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, registration_changed_cb);
}

static void
fulcrum_profile_editor_init (FulcrumProfileEditor *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_expression (self->environment_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (environment_name_cb),
                                                             NULL, NULL));
}

static guint
find_environment_position (GListModel *environments,
                           const char *environment_id)
{
  guint n_items = g_list_model_get_n_items (environments);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FulcrumEnvironment) environment = g_list_model_get_item (environments, i);

      if (g_strcmp0 (fulcrum_environment_get_id (environment), environment_id) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
fill_from_profile (FulcrumProfileEditor    *self,
                   FulcrumConnectorProfile *profile,
                   GListModel              *environments)
{
  g_autofree char *default_uri = NULL;
  guint position;
  GtkWidget *rows[] = {
    GTK_WIDGET (self->name_row), GTK_WIDGET (self->client_id_row),
    GTK_WIDGET (self->redirect_row),
  };

  self->profile = g_object_ref (profile);

  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         fulcrum_connector_profile_get_name (profile));
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row),
                         fulcrum_connector_profile_get_client_id (profile));
  /* The stored redirect URI wins over the environment's default while filling in. */
  self->redirect_edited = TRUE;
  position = find_environment_position (environments,
                                        fulcrum_connector_profile_get_environment_id (profile));
  adw_combo_row_set_selected (self->environment_row, position);
  gtk_editable_set_text (GTK_EDITABLE (self->redirect_row),
                         fulcrum_connector_profile_get_redirect_uri (profile));
  fulcrum_scopes_editor_set_scopes (self->scopes_editor,
                                    fulcrum_connector_profile_get_scopes (profile));
  fulcrum_actions_editor_set_enabled_actions (self->actions_editor,
                                              fulcrum_connector_profile_get_enabled_actions (profile));
  fulcrum_registration_group_set_details (self->registration_group,
                                          fulcrum_connector_profile_get_integration_name (profile),
                                          fulcrum_connector_profile_get_description (profile),
                                          fulcrum_connector_profile_get_logo_url (profile));
  self->updating--;

  default_uri = default_redirect_uri (self);
  self->redirect_edited = !g_str_equal (row_text (self->redirect_row), default_uri);

  /* What is shown is already the user's: report its problems right away. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    touch (rows[i]);
  self->registration_touched = TRUE;

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Connector Profile"));
  adw_window_title_set_subtitle (self->window_title, fulcrum_connector_profile_get_name (profile));
  adw_preferences_group_set_description (self->credentials_group,
    fulcrum_connector_profile_get_has_secret (profile)
      ? _("A client secret is stored in the keyring; type a new one only to replace it. "
          "Lever must know the redirect URI byte for byte.")
      : _("No client secret is stored yet. It goes to the keyring, never to the "
          "configuration file. Lever must know the redirect URI byte for byte."));
  gtk_widget_set_visible (GTK_WIDGET (self->delete_group), TRUE);
}

GtkWidget *
fulcrum_profile_editor_new (GtkWindow               *parent,
                            FulcrumStore            *store,
                            FulcrumSecretStore      *secrets,
                            FulcrumConnectorProfile *profile)
{
  FulcrumProfileEditor *self;
  GListModel *environments;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (!profile || FULCRUM_IS_CONNECTOR_PROFILE (profile), NULL);

  self = g_object_new (FULCRUM_TYPE_PROFILE_EDITOR,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  g_set_weak_pointer (&self->parent, parent);

  environments = fulcrum_store_get_environments (store);
  adw_combo_row_set_model (self->environment_row, environments);

  if (profile != NULL)
    {
      fill_from_profile (self, profile, environments);
    }
  else
    {
      guint position = find_environment_position (environments, FULCRUM_ENVIRONMENT_ID_SANDBOX);

      gtk_window_set_title (GTK_WINDOW (self), _("New Connector Profile"));
      adw_preferences_group_set_description (self->credentials_group,
                                             _("Register the app with Lever using this redirect "
                                               "URI, byte for byte; Lever then issues the client "
                                               "ID and secret. The secret goes to the keyring, "
                                               "never to the configuration file."));
      if (position != GTK_INVALID_LIST_POSITION)
        adw_combo_row_set_selected (self->environment_row, position);
    }

  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  environment_changed_cb (self);
  self->opened_form = dup_form (self);

  return GTK_WIDGET (self);
}

FulcrumConnectorProfile *
fulcrum_profile_editor_get_profile (FulcrumProfileEditor *self)
{
  g_return_val_if_fail (FULCRUM_IS_PROFILE_EDITOR (self), NULL);

  return self->profile;
}
