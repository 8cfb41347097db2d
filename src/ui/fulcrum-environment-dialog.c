/* fulcrum-environment-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-environment-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-environment-dialog.h"
#include "fulcrum-ui-util.h"

struct _FulcrumEnvironmentDialog
{
  AdwWindow           parent_instance;

  FulcrumStore       *store;
  /* NULL while creating a new environment. */
  FulcrumEnvironment *environment;
  GtkWindow          *parent;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkWidget          *save_button;
  AdwPreferencesGroup *error_group;
  GtkLabel           *error_label;
  AdwEntryRow        *name_row;
  AdwEntryRow        *authorize_row;
  AdwEntryRow        *token_row;
  AdwEntryRow        *audience_row;
  AdwEntryRow        *api_base_row;
  AdwActionRow       *rate_row;
  GtkSpinButton      *rate_spin;
  AdwActionRow       *burst_row;
  GtkSpinButton      *burst_spin;
};

G_DEFINE_FINAL_TYPE (FulcrumEnvironmentDialog, fulcrum_environment_dialog, ADW_TYPE_WINDOW)

#define TOUCHED_KEY "fulcrum-touched"

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_touched (gpointer row)
{
  return row != NULL && g_object_get_data (G_OBJECT (row), TOUCHED_KEY) != NULL;
}

static FulcrumEnvironment *
build_scratch (FulcrumEnvironmentDialog  *self,
               GError                   **error)
{
  return fulcrum_environment_new_custom ("scratch",
                                         row_text (self->name_row),
                                         row_text (self->authorize_row),
                                         row_text (self->token_row),
                                         row_text (self->audience_row),
                                         row_text (self->api_base_row),
                                         gtk_spin_button_get_value (self->rate_spin),
                                         gtk_spin_button_get_value_as_int (self->burst_spin),
                                         error);
}

/* Checks each address on its own so the mistake is shown on the right row. */
static GtkWidget *
check_urls (FulcrumEnvironmentDialog  *self,
            char                     **message)
{
  struct {
    AdwEntryRow *row;
    const char  *what;
  } urls[] = {
    { self->authorize_row, _("Authorize URL") },
    { self->token_row, _("Token URL") },
    { self->api_base_row, _("API base URL") },
  };
  GtkWidget *first_bad = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean bad;

      bad = !fulcrum_environment_check_url (row_text (urls[i].row), urls[i].what, &error);
      fulcrum_ui_set_error_style (GTK_WIDGET (urls[i].row), bad && is_touched (urls[i].row));

      if (bad && first_bad == NULL)
        {
          first_bad = GTK_WIDGET (urls[i].row);
          if (message != NULL && is_touched (first_bad))
            *message = g_strdup (error->message);
        }
    }

  return first_bad;
}

static void
validate (FulcrumEnvironmentDialog *self)
{
  g_autoptr(FulcrumEnvironment) scratch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkWidget *bad_url;
  GtkWidget *error_row = NULL;

  bad_url = check_urls (self, &message);
  scratch = build_scratch (self, &error);

  fulcrum_ui_set_error_style (GTK_WIDGET (self->name_row), FALSE);
  fulcrum_ui_set_error_style (GTK_WIDGET (self->audience_row), FALSE);
  fulcrum_ui_set_error_style (GTK_WIDGET (self->rate_row), FALSE);

  if (error != NULL && error->domain == FULCRUM_ENVIRONMENT_ERROR)
    {
      switch ((FulcrumEnvironmentError) error->code)
        {
        case FULCRUM_ENVIRONMENT_ERROR_INVALID_NAME:
          error_row = GTK_WIDGET (self->name_row);
          break;

        case FULCRUM_ENVIRONMENT_ERROR_MISSING_AUDIENCE:
          error_row = GTK_WIDGET (self->audience_row);
          break;

        case FULCRUM_ENVIRONMENT_ERROR_INVALID_RATE:
          error_row = GTK_WIDGET (self->rate_row);
          break;

        case FULCRUM_ENVIRONMENT_ERROR_INVALID_URL:
        case FULCRUM_ENVIRONMENT_ERROR_INSECURE_URL:
          error_row = bad_url != NULL ? bad_url : GTK_WIDGET (self->audience_row);
          break;

        case FULCRUM_ENVIRONMENT_ERROR_READ_ONLY:
        default:
          break;
        }
    }

  if (error_row != NULL && is_touched (error_row))
    {
      fulcrum_ui_set_error_style (error_row, TRUE);
      if (message == NULL)
        message = g_strdup (error->message);
    }

  if (fulcrum_store_get_read_only (self->store))
    {
      g_clear_object (&scratch);
      g_free (message);
      message = g_strdup (_("A newer version of Fulcrum wrote the configuration, so it "
                            "cannot be changed here."));
    }

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), message != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save", scratch != NULL);
}

static void
field_changed_cb (FulcrumEnvironmentDialog *self,
                  GtkWidget                *widget)
{
  GtkWidget *row = widget;

  if (GTK_IS_SPIN_BUTTON (widget))
    row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

  if (row != NULL)
    g_object_set_data (G_OBJECT (row), TOUCHED_KEY, GINT_TO_POINTER (TRUE));

  validate (self);
}

static gboolean
apply (FulcrumEnvironmentDialog  *self,
       GError                   **error)
{
  g_autoptr(FulcrumEnvironment) environment = NULL;
  g_autofree char *id = NULL;

  if (self->environment != NULL)
    {
      if (!fulcrum_environment_update (self->environment,
                                       row_text (self->name_row),
                                       row_text (self->authorize_row),
                                       row_text (self->token_row),
                                       row_text (self->audience_row),
                                       row_text (self->api_base_row),
                                       gtk_spin_button_get_value (self->rate_spin),
                                       gtk_spin_button_get_value_as_int (self->burst_spin),
                                       error))
        return FALSE;

      fulcrum_store_item_changed (self->store, G_OBJECT (self->environment));
      return TRUE;
    }

  id = fulcrum_store_make_id (self->store, row_text (self->name_row));
  environment = fulcrum_environment_new_custom (id,
                                                row_text (self->name_row),
                                                row_text (self->authorize_row),
                                                row_text (self->token_row),
                                                row_text (self->audience_row),
                                                row_text (self->api_base_row),
                                                gtk_spin_button_get_value (self->rate_spin),
                                                gtk_spin_button_get_value_as_int (self->burst_spin),
                                                error);

  return environment != NULL && fulcrum_store_add_environment (self->store, environment, error);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  FulcrumEnvironmentDialog *self = FULCRUM_ENVIRONMENT_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (!apply (self, &error))
    {
      fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), NULL, error);
      return;
    }

  /* The dialog goes now; a failed write is told in the main window. */
  fulcrum_ui_save_store (self->parent ? GTK_WIDGET (self->parent) : widget, self->store);
  gtk_window_close (GTK_WINDOW (self));
}

static void
fulcrum_environment_dialog_dispose (GObject *object)
{
  FulcrumEnvironmentDialog *self = FULCRUM_ENVIRONMENT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_ENVIRONMENT_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->environment);
  g_clear_weak_pointer (&self->parent);

  G_OBJECT_CLASS (fulcrum_environment_dialog_parent_class)->dispose (object);
}

static void
fulcrum_environment_dialog_class_init (FulcrumEnvironmentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_environment_dialog_dispose;

  gtk_widget_class_install_action (widget_class, "dialog.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "dialog.save", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-environment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, error_group);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, authorize_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, audience_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, api_base_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, rate_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, burst_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentDialog, burst_spin);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}

static void
fulcrum_environment_dialog_init (FulcrumEnvironmentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The rate always holds a value of the user's. */
  g_object_set_data (G_OBJECT (self->rate_row), TOUCHED_KEY, GINT_TO_POINTER (TRUE));
}

GtkWidget *
fulcrum_environment_dialog_new (GtkWindow          *parent,
                                FulcrumStore       *store,
                                FulcrumEnvironment *environment)
{
  FulcrumEnvironmentDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (!environment || FULCRUM_IS_ENVIRONMENT (environment), NULL);
  g_return_val_if_fail (!environment || !fulcrum_environment_is_builtin (environment), NULL);

  self = g_object_new (FULCRUM_TYPE_ENVIRONMENT_DIALOG,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  g_set_weak_pointer (&self->parent, parent);

  if (environment != NULL)
    {
      GtkWidget *rows[] = {
        GTK_WIDGET (self->name_row), GTK_WIDGET (self->authorize_row),
        GTK_WIDGET (self->token_row), GTK_WIDGET (self->audience_row),
        GTK_WIDGET (self->api_base_row),
      };

      self->environment = g_object_ref (environment);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Environment"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                             fulcrum_environment_get_name (environment));
      gtk_editable_set_text (GTK_EDITABLE (self->authorize_row),
                             fulcrum_environment_get_authorize_url (environment));
      gtk_editable_set_text (GTK_EDITABLE (self->token_row),
                             fulcrum_environment_get_token_url (environment));
      gtk_editable_set_text (GTK_EDITABLE (self->audience_row),
                             fulcrum_environment_get_audience (environment));
      gtk_editable_set_text (GTK_EDITABLE (self->api_base_row),
                             fulcrum_environment_get_api_base (environment));
      gtk_spin_button_set_value (self->rate_spin, fulcrum_environment_get_rate_limit (environment));
      gtk_spin_button_set_value (self->burst_spin,
                                 fulcrum_environment_get_rate_burst (environment));

      /* Everything shown is already the user's: report problems right away. */
      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        g_object_set_data (G_OBJECT (rows[i]), TOUCHED_KEY, GINT_TO_POINTER (TRUE));
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Custom Environment"));
    }

  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  validate (self);

  return GTK_WIDGET (self);
}
