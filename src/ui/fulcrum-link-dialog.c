/* fulcrum-link-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-link-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-link-dialog-private.h"
#include "fulcrum-sim-builtin.h"
#include "fulcrum-ui-util.h"

typedef enum
{
  LINK_PICK,
  /* Reading the client secret, starting the simulator, binding the loopback port. */
  LINK_PREPARING,
  LINK_WAITING,
  LINK_DONE,
  LINK_FAILED,
} LinkState;

struct _FulcrumLinkDialog
{
  AdwWindow                parent_instance;

  FulcrumStore            *store;
  FulcrumSecretStore      *secrets;
  FulcrumLinkedAccount    *replaces;

  /* The running attempt; a retry starts a new one with a new cancellable. */
  GCancellable            *cancellable;
  FulcrumConnectorProfile *profile;
  FulcrumOAuthFlow        *flow;
  char                    *label;
  LinkState                state;

  AdwToastOverlay         *toast_overlay;
  AdwWindowTitle          *window_title;
  GtkButton               *cancel_button;
  GtkWidget               *link_button;
  GtkStack                *stack;
  AdwPreferencesGroup     *replaces_group;
  GtkLabel                *replaces_label;
  AdwComboRow             *profile_row;
  AdwEntryRow             *label_row;
  GtkWidget               *label_error_group;
  GtkLabel                *label_error;
  AdwStatusPage           *waiting_page;
  GtkSpinner              *waiting_spinner;
  GtkWidget               *open_browser_button;
  GtkToggleButton         *paste_button;
  GtkLabel                *browser_error;
  AdwEntryRow             *paste_row;
  GtkLabel                *paste_error;
  AdwStatusPage           *error_page;
};

/* One link attempt's callbacks: they do nothing once the attempt is cancelled. */
typedef struct
{
  FulcrumLinkDialog *self;
  GCancellable      *cancellable;
} Attempt;

enum {
  LINKED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FulcrumLinkDialog, fulcrum_link_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];
static FulcrumLinkUriOpener uri_opener;
static gpointer uri_opener_data;

static Attempt *
attempt_new (FulcrumLinkDialog *self)
{
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->self = g_object_ref (self);
  attempt->cancellable = g_object_ref (self->cancellable);

  return attempt;
}

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->self);
  g_clear_object (&attempt->cancellable);
  g_free (attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

static gboolean
attempt_is_current (Attempt *attempt)
{
  return !g_cancellable_is_cancelled (attempt->cancellable) &&
         attempt->cancellable == attempt->self->cancellable;
}

static FulcrumConnectorProfile *
selected_profile (FulcrumLinkDialog *self)
{
  return adw_combo_row_get_selected_item (self->profile_row);
}

static void
set_state (FulcrumLinkDialog *self,
           LinkState          state)
{
  const char *page;

  self->state = state;

  switch (state)
    {
    case LINK_PICK:
      page = g_list_model_get_n_items (fulcrum_store_get_profiles (self->store)) > 0 ? "pick"
                                                                                    : "no-profiles";
      break;

    case LINK_PREPARING:
    case LINK_WAITING:
    case LINK_DONE:
      page = "waiting";
      break;

    case LINK_FAILED:
    default:
      page = "error";
      break;
    }

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (self->link_button, g_str_equal (page, "pick"));
  gtk_button_set_label (self->cancel_button,
                        g_str_equal (page, "error") || g_str_equal (page, "no-profiles")
                          ? _("_Close") : _("_Cancel"));
  gtk_spinner_set_spinning (self->waiting_spinner, state == LINK_PREPARING || state == LINK_WAITING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "link.open-browser", state == LINK_WAITING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "link.copy-url", state == LINK_WAITING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->paste_button), state == LINK_WAITING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->paste_row), state == LINK_WAITING);
}

/* What the Link button needs: a profile, a label no other account has, a writable store. */
static void
validate (FulcrumLinkDialog *self)
{
  FulcrumConnectorProfile *profile = selected_profile (self);
  g_autofree char *label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->label_row))));
  g_autofree char *message = NULL;
  gboolean label_bad = FALSE;

  if (fulcrum_store_get_read_only (self->store))
    message = g_strdup (_("A newer version of Fulcrum wrote the configuration, so no account "
                          "can be linked here."));
  else if (*label != '\0' && fulcrum_store_find_account (self->store, label) != NULL)
    {
      message = g_strdup_printf (_("An account named “%s” already exists"), label);
      label_bad = TRUE;
    }

  fulcrum_ui_set_error_style (GTK_WIDGET (self->label_row), label_bad);
  gtk_label_set_text (self->label_error, message ? message : "");
  gtk_widget_set_visible (self->label_error_group, message != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "link.start",
                                 profile != NULL && message == NULL && self->state == LINK_PICK);
}

static void
profile_changed_cb (FulcrumLinkDialog *self)
{
  FulcrumConnectorProfile *profile = selected_profile (self);
  g_autofree char *subtitle = NULL;

  if (profile != NULL)
    {
      const char *environment = fulcrum_ui_environment_title (self->store,
        fulcrum_connector_profile_get_environment_id (profile));

      if (fulcrum_connector_profile_get_has_secret (profile))
        subtitle = g_strdup (environment);
      else
        /* Translators: "<environment> · no client secret in the keyring" */
        subtitle = g_strdup_printf (_("%s · no client secret in the keyring"), environment);
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->profile_row), subtitle ? subtitle : "");
  validate (self);
}

static void
label_changed_cb (FulcrumLinkDialog *self)
{
  validate (self);
}

static void
profiles_changed_cb (FulcrumLinkDialog *self)
{
  if (self->state == LINK_PICK)
    set_state (self, LINK_PICK);
  validate (self);
}

static void
show_error (FulcrumLinkDialog *self,
            const char        *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  g_clear_object (&self->flow);
  adw_status_page_set_description (self->error_page, escaped);
  set_state (self, LINK_FAILED);
  /* Whatever the browser was doing, the outcome is here. */
  gtk_window_present (GTK_WINDOW (self));
}

static void
show_error_prefixed (FulcrumLinkDialog *self,
                     const char        *context,
                     const GError      *error)
{
  /* Translators: "<what failed>: <why>" */
  g_autofree char *message = g_strdup_printf (_("%s: %s"), context, error->message);

  show_error (self, message);
}

static void
cancel_attempt (FulcrumLinkDialog *self)
{
  if (self->flow != NULL)
    fulcrum_oauth_flow_cancel (self->flow);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->flow);
}

static void
shown_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  FulcrumLinkDialog *self = attempt->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) ||
      !attempt_is_current (attempt) || self->state != LINK_WAITING)
    return;

  g_message ("Could not open the browser: %s", error->message);
  message = g_strdup_printf (_("Could not open a browser (%s). Copy the consent page’s address "
                               "and open it in your browser yourself."), error->message);
  gtk_label_set_text (self->browser_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->browser_error), TRUE);
}

static void
open_browser (FulcrumLinkDialog *self)
{
  const char *url;

  if (self->flow == NULL || (url = fulcrum_oauth_flow_get_authorize_url (self->flow)) == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->browser_error), FALSE);

  if (uri_opener != NULL)
    {
      uri_opener (GTK_WINDOW (self), url, uri_opener_data);
      return;
    }

  /* The system browser, through the OpenURI portal in Flatpak. */
  gtk_show_uri_full (GTK_WINDOW (self), url, GDK_CURRENT_TIME, self->cancellable, shown_cb,
                     attempt_new (self));
}

static void
linked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  FulcrumLinkDialog *self = attempt->self;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;

  account = fulcrum_oauth_flow_link_account_finish (FULCRUM_OAUTH_FLOW (object), result, &error);

  if (account == NULL)
    {
      if (attempt_is_current (attempt))
        show_error (self, error->message);
      return;
    }

  /* Linked, even if the dialog was closed meanwhile: the list shows the account. */
  if (attempt->cancellable != self->cancellable || self->state == LINK_DONE)
    return;

  g_clear_object (&self->flow);
  set_state (self, LINK_DONE);
  g_signal_emit (self, signals[LINKED], 0, account);

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL)
    gtk_window_present (parent);
  gtk_window_close (GTK_WINDOW (self));
}

static void
describe_waiting (FulcrumLinkDialog *self)
{
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  const char *redirect_uri = fulcrum_oauth_flow_get_redirect_uri (self->flow);
  gboolean loopback = fulcrum_oauth_flow_get_uses_loopback (self->flow);

  if (loopback)
    description = g_strdup_printf (_("Lever’s consent page is open in your browser. Sign in as a "
                                     "Super Admin of the organization and allow access. Fulcrum "
                                     "waits up to %u minutes for Lever’s answer at %s."),
                                   FULCRUM_OAUTH_FLOW_DEFAULT_TIMEOUT_S / 60, redirect_uri);
  else
    description = g_strdup_printf (_("Lever’s consent page is open in your browser. After you "
                                     "allow access, the browser lands on an address starting "
                                     "with %s: copy the whole address and paste it below."),
                                   redirect_uri);

  escaped = g_markup_escape_text (description, -1);
  adw_status_page_set_title (self->waiting_page, _("Waiting for Lever"));
  adw_status_page_set_description (self->waiting_page, escaped);
  gtk_toggle_button_set_active (self->paste_button, !loopback);
}

static void
start_flow (Attempt            *attempt,
            FulcrumEnvironment *environment,
            const char         *client_secret)
{
  FulcrumLinkDialog *self = attempt->self;
  g_autoptr(GError) error = NULL;

  self->flow = fulcrum_oauth_flow_new (environment, self->profile, client_secret);
  if (!fulcrum_oauth_flow_start (self->flow, &error))
    {
      show_error (self, error->message);
      return;
    }

  /* Waiting (and its timeout) starts before anyone can answer. */
  fulcrum_oauth_flow_link_account_async (self->flow, self->store, self->secrets, self->label,
                                         self->cancellable, linked_cb, attempt_new (self));
  describe_waiting (self);
  set_state (self, LINK_WAITING);
  open_browser (self);
}

typedef struct
{
  Attempt       *attempt;
  FulcrumSecret *client_secret;
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  g_clear_pointer (&prepared->attempt, attempt_free);
  g_clear_pointer (&prepared->client_secret, fulcrum_secret_free);
  g_free (prepared);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepared, prepared_free)

static void
simulator_running_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Prepared) prepared = user_data;
  FulcrumLinkDialog *self = prepared->attempt->self;
  g_autoptr(GError) error = NULL;
  FulcrumEnvironment *environment;

  if (!fulcrum_sim_builtin_ensure_running_finish (result, &error))
    {
      if (attempt_is_current (prepared->attempt))
        show_error_prefixed (self, _("The simulator is not running"), error);
      return;
    }

  if (!attempt_is_current (prepared->attempt))
    return;

  environment = fulcrum_store_find_environment (self->store,
    fulcrum_connector_profile_get_environment_id (self->profile));
  if (environment == NULL)
    {
      show_error (self, _("The connector profile’s environment no longer exists"));
      return;
    }

  start_flow (prepared->attempt, environment, prepared->client_secret);
}

static void
client_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Prepared) prepared = g_new0 (Prepared, 1);
  FulcrumLinkDialog *self;
  FulcrumEnvironment *environment;
  g_autoptr(GError) error = NULL;

  prepared->attempt = user_data;
  self = prepared->attempt->self;
  prepared->client_secret = fulcrum_secret_store_lookup_finish (FULCRUM_SECRET_STORE (object),
                                                                result, &error);
  if (!attempt_is_current (prepared->attempt))
    return;

  if (error != NULL)
    {
      show_error_prefixed (self, _("Could not read the client secret from the keyring"), error);
      return;
    }

  if (prepared->client_secret == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The connector profile “%s” has no client secret in the "
                                   "keyring. Type it in the profile’s editor, then link again."),
                                 fulcrum_connector_profile_get_name (self->profile));
      show_error (self, message);
      return;
    }

  environment = fulcrum_store_find_environment (self->store,
    fulcrum_connector_profile_get_environment_id (self->profile));
  if (environment == NULL)
    {
      show_error (self, _("The connector profile’s environment no longer exists"));
      return;
    }

  /* The simulator answers the consent page; another environment is left as it is. */
  fulcrum_sim_builtin_ensure_running_async (environment, self->secrets, self->cancellable,
                                            simulator_running_cb, g_steal_pointer (&prepared));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  FulcrumLinkDialog *self = FULCRUM_LINK_DIALOG (widget);
  FulcrumConnectorProfile *profile = selected_profile (self);
  g_autofree char *label = NULL;

  if (profile == NULL || self->state != LINK_PICK)
    return;

  label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->label_row))));

  cancel_attempt (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->profile, profile);
  g_free (self->label);
  self->label = *label != '\0' ? g_steal_pointer (&label) : NULL;

  adw_status_page_set_title (self->waiting_page, _("Getting Ready"));
  adw_status_page_set_description (self->waiting_page, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->paste_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->paste_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->browser_error), FALSE);
  gtk_toggle_button_set_active (self->paste_button, FALSE);
  set_state (self, LINK_PREPARING);
  validate (self);

  fulcrum_secret_store_lookup_async (self->secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET,
                                     fulcrum_connector_profile_get_id (profile), NULL,
                                     self->cancellable, client_secret_cb, attempt_new (self));
}

static void
open_browser_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  FulcrumLinkDialog *self = FULCRUM_LINK_DIALOG (widget);

  if (self->state == LINK_WAITING)
    open_browser (self);
}

static void
copy_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  FulcrumLinkDialog *self = FULCRUM_LINK_DIALOG (widget);

  if (self->state == LINK_WAITING && self->flow != NULL)
    fulcrum_ui_copy_text (GTK_WIDGET (self->toast_overlay),
                          fulcrum_oauth_flow_get_authorize_url (self->flow));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  FulcrumLinkDialog *self = FULCRUM_LINK_DIALOG (widget);

  cancel_attempt (self);
  set_state (self, LINK_PICK);
  validate (self);
}

static void
new_profile_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));

  gtk_window_close (GTK_WINDOW (widget));
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.new-profile", NULL);
}

static void
paste_apply_cb (FulcrumLinkDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->paste_row));

  if (self->state != LINK_WAITING || self->flow == NULL || *text == '\0')
    return;

  if (fulcrum_oauth_flow_submit_redirect_url (self->flow, text, &error))
    {
      /* The address carries the code: it has no business staying on screen. */
      gtk_editable_set_text (GTK_EDITABLE (self->paste_row), "");
      gtk_widget_set_visible (GTK_WIDGET (self->paste_error), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->paste_row), FALSE);
      adw_status_page_set_title (self->waiting_page, _("Checking Lever’s Answer"));
      return;
    }

  /* A wrong paste leaves the flow waiting; an answer that ends it (Lever's error) reaches
   * the link's callback, which shows it. */
  gtk_label_set_text (self->paste_error, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->paste_error), TRUE);
}

static char *
profile_name_cb (FulcrumConnectorProfile *profile,
                 gpointer                 user_data)
{
  return g_strdup (profile ? fulcrum_connector_profile_get_name (profile) : "");
}

static gboolean
fulcrum_link_dialog_close_request (GtkWindow *window)
{
  FulcrumLinkDialog *self = FULCRUM_LINK_DIALOG (window);

  /* Closing is cancelling: nothing stays listening, nothing half-stored. */
  if (self->state != LINK_DONE)
    cancel_attempt (self);

  return GTK_WINDOW_CLASS (fulcrum_link_dialog_parent_class)->close_request (window);
}

static void
fulcrum_link_dialog_dispose (GObject *object)
{
  FulcrumLinkDialog *self = FULCRUM_LINK_DIALOG (object);

  if (self->state != LINK_DONE)
    cancel_attempt (self);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (fulcrum_store_get_profiles (self->store),
                                          profiles_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_LINK_DIALOG);

  G_OBJECT_CLASS (fulcrum_link_dialog_parent_class)->dispose (object);
}

static void
fulcrum_link_dialog_finalize (GObject *object)
{
  FulcrumLinkDialog *self = FULCRUM_LINK_DIALOG (object);

  g_clear_object (&self->flow);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->profile);
  g_clear_object (&self->replaces);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (fulcrum_link_dialog_parent_class)->finalize (object);
}

static void
fulcrum_link_dialog_class_init (FulcrumLinkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fulcrum_link_dialog_dispose;
  object_class->finalize = fulcrum_link_dialog_finalize;
  window_class->close_request = fulcrum_link_dialog_close_request;

  signals[LINKED] =
    g_signal_new ("linked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FULCRUM_TYPE_LINKED_ACCOUNT);

  gtk_widget_class_install_action (widget_class, "link.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "link.open-browser", NULL, open_browser_action);
  gtk_widget_class_install_action (widget_class, "link.copy-url", NULL, copy_url_action);
  gtk_widget_class_install_action (widget_class, "link.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "link.new-profile", NULL, new_profile_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-link-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, link_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, replaces_group);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, replaces_label);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, profile_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, label_error_group);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, label_error);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, open_browser_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, paste_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, browser_error);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, paste_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, paste_error);
  gtk_widget_class_bind_template_child (widget_class, FulcrumLinkDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, label_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, paste_apply_cb);
}

static void
fulcrum_link_dialog_init (FulcrumLinkDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_expression (self->profile_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (profile_name_cb),
                                                             NULL, NULL));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->link_button);
}

static guint
profile_position (GListModel              *profiles,
                  FulcrumConnectorProfile *profile)
{
  guint n_items = g_list_model_get_n_items (profiles);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FulcrumConnectorProfile) item = g_list_model_get_item (profiles, i);

      if (item == profile)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

GtkWidget *
fulcrum_link_dialog_new (GtkWindow               *parent,
                         FulcrumStore            *store,
                         FulcrumSecretStore      *secrets,
                         FulcrumConnectorProfile *profile,
                         FulcrumLinkedAccount    *replaces)
{
  FulcrumLinkDialog *self;
  GListModel *profiles;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (!profile || FULCRUM_IS_CONNECTOR_PROFILE (profile), NULL);
  g_return_val_if_fail (!replaces || FULCRUM_IS_LINKED_ACCOUNT (replaces), NULL);

  self = g_object_new (FULCRUM_TYPE_LINK_DIALOG,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  g_set_object (&self->replaces, replaces);

  profiles = fulcrum_store_get_profiles (store);
  adw_combo_row_set_model (self->profile_row, profiles);
  g_signal_connect_object (profiles, "items-changed",
                           G_CALLBACK (profiles_changed_cb), self, G_CONNECT_SWAPPED);
  if (profile != NULL)
    {
      guint position = profile_position (profiles, profile);

      if (position != GTK_INVALID_LIST_POSITION)
        adw_combo_row_set_selected (self->profile_row, position);
    }

  if (replaces != NULL)
    {
      const char *old_label = fulcrum_linked_account_get_label (replaces);
      g_autofree char *text = NULL;

      gtk_window_set_title (GTK_WINDOW (self), _("Link Again"));
      adw_window_title_set_title (self->window_title, _("Link Again"));
      adw_window_title_set_subtitle (self->window_title, old_label);
      text = g_strdup_printf (_("“%s” can no longer reach Lever. Link the organization again: "
                                "afterwards Fulcrum offers to unlink the old account and to give "
                                "the new one its name."), old_label);
      gtk_label_set_text (self->replaces_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->replaces_group), TRUE);
    }

  set_state (self, LINK_PICK);
  profile_changed_cb (self);

  return GTK_WIDGET (self);
}

FulcrumLinkedAccount *
fulcrum_link_dialog_get_replaces (FulcrumLinkDialog *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINK_DIALOG (self), NULL);

  return self->replaces;
}

void
fulcrum_link_dialog_set_uri_opener (FulcrumLinkUriOpener opener,
                                    gpointer             user_data)
{
  uri_opener = opener;
  uri_opener_data = user_data;
}
