/* fulcrum-account-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-account-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-account-dialog.h"
#include "fulcrum-sim-builtin.h"
#include "fulcrum-ui-util.h"

/* How often "expires in 12 minutes" is brought up to date. */
#define TICK_S 30

struct _FulcrumAccountDialog
{
  AdwWindow             parent_instance;

  FulcrumStore         *store;
  FulcrumSecretStore   *secrets;
  FulcrumTokenManager  *tokens;
  FulcrumLinkedAccount *account;
  GCancellable         *cancellable;
  guint                 tick_id;
  guint                 updating;
  guint                 refreshing : 1;
  guint                 testing : 1;
  guint                 label_edited : 1;
  guint                 disposed : 1;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwPreferencesPage   *page;
  AdwActionRow         *status_row;
  GtkLabel             *status_pill;
  GtkWidget            *relink_button;
  AdwEntryRow          *label_row;
  AdwActionRow         *profile_row;
  AdwActionRow         *environment_row;
  AdwActionRow         *scopes_row;
  AdwActionRow         *linked_row;
  AdwActionRow         *expiry_row;
  AdwActionRow         *last_refresh_row;
  GtkSpinner           *refresh_spinner;
  GtkWidget            *refresh_button;
  AdwActionRow         *last_used_row;
  AdwActionRow         *test_row;
  GtkSpinner           *test_spinner;
  GtkWidget            *test_button;
  GtkWidget            *explorer_button;
};

enum {
  UNLINK_REQUESTED,
  RELINK_REQUESTED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FulcrumAccountDialog, fulcrum_account_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void
show_toast (FulcrumAccountDialog *self,
            const char           *message)
{
  fulcrum_ui_show_toast (GTK_WIDGET (self->toast_overlay), message);
}

static gint64
now_s (FulcrumAccountDialog *self)
{
  return fulcrum_token_manager_now (self->tokens) / G_USEC_PER_SEC;
}

static char *
describe_expiry (FulcrumAccountDialog *self)
{
  gint64 expires_at = fulcrum_linked_account_get_expires_at (self->account);
  g_autofree char *relative = NULL;
  g_autofree char *absolute = NULL;

  if (expires_at <= 0)
    return g_strdup (_("Unknown"));

  relative = fulcrum_ui_format_relative (expires_at, now_s (self));
  absolute = fulcrum_ui_format_time (expires_at);

  if (expires_at <= now_s (self))
    /* Translators: "Expired <5 minutes ago> (<today at 14:32>); ..." */
    return g_strdup_printf (_("Expired %s (%s); refreshed when next used"), relative, absolute);

  /* Translators: "<in 59 minutes> (<today at 15:32>)" */
  return g_strdup_printf (_("%s (%s)"), relative, absolute);
}

static const char *
describe_status (FulcrumLinkedAccount *account)
{
  const char *message = fulcrum_linked_account_get_status_message (account);

  if (message != NULL && *message != '\0' &&
      fulcrum_linked_account_get_status (account) != FULCRUM_ACCOUNT_STATUS_ACTIVE)
    return message;

  switch (fulcrum_linked_account_get_status (account))
    {
    case FULCRUM_ACCOUNT_STATUS_ACTIVE:
      return _("The tokens are in the keyring and Fulcrum keeps them fresh");
    case FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK:
      return _("Lever no longer accepts this account’s tokens: link the organization again");
    case FULCRUM_ACCOUNT_STATUS_ERROR:
      return _("The last request failed");
    case FULCRUM_ACCOUNT_STATUS_SUSPENDED:
    default:
      return _("Fulcrum makes no requests for this account");
    }
}

static void
update (FulcrumAccountDialog *self)
{
  FulcrumLinkedAccount *account = self->account;
  FulcrumConnectorProfile *profile;
  FulcrumAccountStatus status = fulcrum_linked_account_get_status (account);
  const char * const *scopes = fulcrum_linked_account_get_granted_scopes (account);
  g_autofree char *scopes_text = NULL;
  g_autofree char *expiry = describe_expiry (self);
  g_autofree char *linked = fulcrum_ui_format_time (fulcrum_linked_account_get_linked_at (account));
  g_autofree char *refreshed = fulcrum_ui_format_time (fulcrum_linked_account_get_last_refresh (account));
  g_autofree char *used = fulcrum_ui_format_time (fulcrum_linked_account_get_last_used (account));
  const char *label = fulcrum_linked_account_get_label (account);

  if (label == NULL || *label == '\0')
    label = fulcrum_linked_account_get_id (account);

  profile = fulcrum_store_find_profile (self->store,
                                        fulcrum_linked_account_get_profile_id (account));

  adw_window_title_set_title (self->window_title, label);
  adw_window_title_set_subtitle (self->window_title,
                                 fulcrum_ui_environment_title (self->store,
                                   fulcrum_linked_account_get_environment_id (account)));

  fulcrum_ui_set_status_pill (self->status_pill, status);
  adw_action_row_set_subtitle (self->status_row, describe_status (account));
  gtk_widget_set_visible (self->relink_button,
                          status == FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK ||
                          status == FULCRUM_ACCOUNT_STATUS_ERROR);

  /* What the user is typing stays until applied. */
  if (!self->label_edited)
    {
      self->updating++;
      gtk_editable_set_text (GTK_EDITABLE (self->label_row), label);
      self->updating--;
    }

  adw_action_row_set_subtitle (self->profile_row,
                               profile ? fulcrum_connector_profile_get_name (profile)
                                       : fulcrum_linked_account_get_profile_id (account));
  adw_action_row_set_subtitle (self->environment_row,
                               fulcrum_ui_environment_title (self->store,
                                 fulcrum_linked_account_get_environment_id (account)));

  if (scopes != NULL && scopes[0] != NULL)
    scopes_text = g_strjoinv (", ", (char **) scopes);
  adw_action_row_set_subtitle (self->scopes_row, scopes_text ? scopes_text : _("None recorded"));

  adw_action_row_set_subtitle (self->linked_row, linked);
  adw_action_row_set_subtitle (self->expiry_row, expiry);
  adw_action_row_set_subtitle (self->last_refresh_row, refreshed);
  adw_action_row_set_subtitle (self->last_used_row, used);

  gtk_widget_set_sensitive (GTK_WIDGET (self->label_row),
                            !fulcrum_store_get_read_only (self->store));
}

static void
set_busy (FulcrumAccountDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), self->refreshing);
  gtk_spinner_set_spinning (self->refresh_spinner, self->refreshing);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), self->testing);
  gtk_spinner_set_spinning (self->test_spinner, self->testing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.refresh", !self->refreshing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.test", !self->testing);
}

static void
accounts_changed_cb (FulcrumAccountDialog *self)
{
  /* Unlinked, here or elsewhere: nothing left to show. */
  if (fulcrum_store_find_account (self->store, fulcrum_linked_account_get_id (self->account)) !=
      self->account)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  update (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

/* Refresh Now */

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FulcrumAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *message = NULL;

  fulcrum_token_manager_refresh_finish (FULCRUM_TOKEN_MANAGER (object), result, &error);
  if (self->disposed)
    return;

  self->refreshing = FALSE;
  set_busy (self);
  update (self);

  if (error != NULL)
    {
      fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), _("Could not refresh the tokens"),
                             error);
      return;
    }

  expiry = describe_expiry (self);
  /* Translators: "Tokens refreshed; the access token expires <in 59 minutes (today at 15:32)>" */
  message = g_strdup_printf (_("Tokens refreshed; the access token expires %s"), expiry);
  show_toast (self, message);
}

static void
refresh_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FulcrumAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fulcrum_sim_builtin_ensure_running_finish (result, &error))
    {
      if (self->disposed)
        return;
      self->refreshing = FALSE;
      set_busy (self);
      fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), _("Could not refresh the tokens"),
                             error);
      return;
    }

  fulcrum_token_manager_refresh_async (self->tokens, self->account, self->cancellable,
                                       refreshed_cb, g_object_ref (self));
}

/* The built-in simulator must answer before its account can be used. */
static gboolean
ensure_environment (FulcrumAccountDialog *self,
                    const char           *context,
                    GAsyncReadyCallback   callback)
{
  FulcrumEnvironment *environment;

  environment = fulcrum_store_find_environment (self->store,
    fulcrum_linked_account_get_environment_id (self->account));
  if (environment == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (FULCRUM_LEVER_ERROR,
                                                     FULCRUM_LEVER_ERROR_NO_ENVIRONMENT,
                                                     _("The account’s environment no longer exists"));

      fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), context, error);
      return FALSE;
    }

  fulcrum_sim_builtin_ensure_running_async (environment, self->secrets, self->cancellable,
                                            callback, g_object_ref (self));
  return TRUE;
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  FulcrumAccountDialog *self = FULCRUM_ACCOUNT_DIALOG (widget);

  if (self->refreshing)
    return;

  self->refreshing = ensure_environment (self, _("Could not refresh the tokens"), refresh_ready_cb);
  set_busy (self);
}

/* Test Connection */

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FulcrumAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *message = NULL;

  summary = fulcrum_lever_client_test_connection_finish (FULCRUM_LEVER_CLIENT (object), result,
                                                         &error);
  if (self->disposed)
    return;

  self->testing = FALSE;
  set_busy (self);
  update (self);

  if (summary == NULL)
    {
      /* Translators: "Could not reach Lever: <why>" */
      message = g_strdup_printf (_("Could not reach Lever: %s"), error->message);
      adw_action_row_set_subtitle (self->test_row, message);
      show_toast (self, message);
      return;
    }

  adw_action_row_set_subtitle (self->test_row, summary);
  show_toast (self, summary);
}

static void
test_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FulcrumAccountDialog) self = user_data;
  g_autoptr(FulcrumLeverClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!fulcrum_sim_builtin_ensure_running_finish (result, &error))
    {
      if (self->disposed)
        return;
      self->testing = FALSE;
      set_busy (self);
      fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), _("Could not reach Lever"), error);
      return;
    }

  client = fulcrum_lever_client_new (self->store, self->tokens, self->account);
  fulcrum_lever_client_test_connection_async (client, self->cancellable, tested_cb,
                                              g_object_ref (self));
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  FulcrumAccountDialog *self = FULCRUM_ACCOUNT_DIALOG (widget);

  if (self->testing)
    return;

  adw_action_row_set_subtitle (self->test_row, _("Connecting…"));
  self->testing = ensure_environment (self, _("Could not reach Lever"), test_ready_cb);
  set_busy (self);
}

/* Rename */

static void
label_changed_cb (FulcrumAccountDialog *self)
{
  if (self->updating == 0)
    self->label_edited = TRUE;
  fulcrum_ui_set_error_style (GTK_WIDGET (self->label_row), FALSE);
}

static void
rename_cb (FulcrumAccountDialog *self)
{
  g_autofree char *label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->label_row))));
  g_autofree char *message = NULL;
  FulcrumLinkedAccount *other;

  if (*label == '\0')
    {
      fulcrum_ui_set_error_style (GTK_WIDGET (self->label_row), TRUE);
      show_toast (self, _("An account needs a label"));
      return;
    }

  other = fulcrum_store_find_account (self->store, label);
  if (other != NULL && other != self->account)
    {
      message = g_strdup_printf (_("Another account is already called “%s”"), label);
      fulcrum_ui_set_error_style (GTK_WIDGET (self->label_row), TRUE);
      show_toast (self, message);
      return;
    }

  self->label_edited = FALSE;
  if (g_strcmp0 (label, fulcrum_linked_account_get_label (self->account)) == 0)
    {
      update (self);
      return;
    }

  fulcrum_linked_account_set_label (self->account, label);
  fulcrum_store_item_changed (self->store, G_OBJECT (self->account));
  fulcrum_ui_save_store (GTK_WIDGET (self->toast_overlay), self->store);

  message = g_strdup_printf (_("Renamed to “%s”"), label);
  show_toast (self, message);
}

/* Unlink, Link Again, Explorer */

static void
unlink_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    FulcrumAccountDialog *self)
{
  g_autoptr(FulcrumLinkedAccount) account = NULL;

  if (!g_str_equal (response, "unlink"))
    return;

  /* Emit first: closing disposes the dialog, and its handlers with it. */
  account = g_object_ref (self->account);
  g_signal_emit (self, signals[UNLINK_REQUESTED], 0, account);
  gtk_window_close (GTK_WINDOW (self));
}

static void
unlink_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  FulcrumAccountDialog *self = FULCRUM_ACCOUNT_DIALOG (widget);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  heading = g_strdup_printf (_("Unlink “%s”?"), fulcrum_linked_account_get_label (self->account));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("Its tokens are removed from the keyring "
                                                         "and Fulcrum forgets the account. Lever "
                                                         "lists the app for the organization until "
                                                         "an admin removes it there.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "unlink", _("_Unlink"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "unlink", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unlink_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
relink_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  FulcrumAccountDialog *self = FULCRUM_ACCOUNT_DIALOG (widget);
  g_autoptr(FulcrumLinkedAccount) account = g_object_ref (self->account);

  g_signal_emit (self, signals[RELINK_REQUESTED], 0, account);
  gtk_window_close (GTK_WINDOW (self));
}

static void
explorer_clicked_cb (FulcrumAccountDialog *self)
{
  /* The Explorer opened (the button's action ran first): make way for it. */
  gtk_window_close (GTK_WINDOW (self));
}

static void
fulcrum_account_dialog_dispose (GObject *object)
{
  FulcrumAccountDialog *self = FULCRUM_ACCOUNT_DIALOG (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (fulcrum_store_get_accounts (self->store),
                                          accounts_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_ACCOUNT_DIALOG);

  G_OBJECT_CLASS (fulcrum_account_dialog_parent_class)->dispose (object);
}

static void
fulcrum_account_dialog_finalize (GObject *object)
{
  FulcrumAccountDialog *self = FULCRUM_ACCOUNT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->tokens);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (fulcrum_account_dialog_parent_class)->finalize (object);
}

static void
fulcrum_account_dialog_class_init (FulcrumAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_account_dialog_dispose;
  object_class->finalize = fulcrum_account_dialog_finalize;

  signals[UNLINK_REQUESTED] =
    g_signal_new ("unlink-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FULCRUM_TYPE_LINKED_ACCOUNT);
  signals[RELINK_REQUESTED] =
    g_signal_new ("relink-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FULCRUM_TYPE_LINKED_ACCOUNT);

  gtk_widget_class_install_action (widget_class, "account.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "account.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "account.unlink", NULL, unlink_action);
  gtk_widget_class_install_action (widget_class, "account.relink", NULL, relink_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, page);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, status_pill);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, relink_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, profile_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, environment_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, linked_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, last_refresh_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, last_used_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountDialog, explorer_button);
  gtk_widget_class_bind_template_callback (widget_class, label_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, rename_cb);
  gtk_widget_class_bind_template_callback (widget_class, explorer_clicked_cb);
}

static void
fulcrum_account_dialog_init (FulcrumAccountDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fulcrum_account_dialog_new (GtkWindow            *parent,
                            FulcrumStore         *store,
                            FulcrumSecretStore   *secrets,
                            FulcrumTokenManager  *tokens,
                            FulcrumLinkedAccount *account)
{
  FulcrumAccountDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (FULCRUM_IS_TOKEN_MANAGER (tokens), NULL);
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account), NULL);

  self = g_object_new (FULCRUM_TYPE_ACCOUNT_DIALOG,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  self->tokens = g_object_ref (tokens);
  self->account = g_object_ref (account);

  /* The target first: an action found without its parameter is refused with a warning. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->explorer_button), "s",
                                    fulcrum_linked_account_get_id (account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->explorer_button), "win.open-explorer");
  /* "win.open-explorer" is the main window's: a dialog is not inside it. */
  if (GTK_IS_APPLICATION_WINDOW (parent))
    gtk_widget_insert_action_group (GTK_WIDGET (self), "win", G_ACTION_GROUP (parent));

  g_signal_connect_object (fulcrum_store_get_accounts (store), "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  self->tick_id = g_timeout_add_seconds (TICK_S, tick_cb, self);

  update (self);
  set_busy (self);

  return GTK_WIDGET (self);
}

FulcrumLinkedAccount *
fulcrum_account_dialog_get_account (FulcrumAccountDialog *self)
{
  g_return_val_if_fail (FULCRUM_IS_ACCOUNT_DIALOG (self), NULL);

  return self->account;
}
