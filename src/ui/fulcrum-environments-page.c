/* fulcrum-environments-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-environments-page"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-connection-check.h"
#include "fulcrum-environment-dialog.h"
#include "fulcrum-environment-row.h"
#include "fulcrum-environments-page.h"
#include "fulcrum-simulator-group.h"
#include "fulcrum-ui-util.h"

struct _FulcrumEnvironmentsPage
{
  AdwBin                 parent_instance;

  FulcrumStore          *store;
  FulcrumSecretStore    *secrets;
  GCancellable          *cancellable;
  /* Ids of the environments being checked: one check at a time each. */
  GHashTable            *checking;

  GtkListBox            *builtin_list;
  FulcrumSimulatorGroup *simulator_group;
  GtkListBox            *custom_list;
};

enum {
  CONNECTION_CHECKED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FulcrumEnvironmentsPage, fulcrum_environments_page, ADW_TYPE_BIN)

static guint signals[N_SIGNALS];

static gboolean
is_builtin_cb (gpointer item,
               gpointer user_data)
{
  return fulcrum_environment_is_builtin (FULCRUM_ENVIRONMENT (item)) == GPOINTER_TO_INT (user_data);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  return fulcrum_environment_row_new (FULCRUM_ENVIRONMENT (item));
}

static void
bind_list (GtkListBox *list,
           GListModel *environments,
           gboolean    builtin)
{
  GtkCustomFilter *filter;
  GtkFilterListModel *model;

  filter = gtk_custom_filter_new (is_builtin_cb, GINT_TO_POINTER (builtin), NULL);
  model = gtk_filter_list_model_new (g_object_ref (environments), GTK_FILTER (filter));
  gtk_list_box_bind_model (list, G_LIST_MODEL (model), create_row_cb, NULL, NULL);
  g_object_unref (model);
}

static FulcrumEnvironment *
lookup_custom (FulcrumEnvironmentsPage *self,
               GVariant                *param)
{
  FulcrumEnvironment *environment;

  if (self->store == NULL)
    return NULL;

  environment = fulcrum_store_find_environment (self->store, g_variant_get_string (param, NULL));
  if (environment == NULL || fulcrum_environment_is_builtin (environment))
    return NULL;

  return environment;
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  FulcrumEnvironmentsPage *self = FULCRUM_ENVIRONMENTS_PAGE (widget);
  FulcrumEnvironment *environment = lookup_custom (self, param);
  GtkWidget *dialog;

  if (environment == NULL)
    return;

  dialog = fulcrum_environment_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                           self->store, environment);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  FulcrumEnvironmentsPage *self = FULCRUM_ENVIRONMENTS_PAGE (user_data);
  FulcrumEnvironment *environment = g_object_get_data (G_OBJECT (dialog), "environment");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete") || self->store == NULL)
    return;

  if (!fulcrum_store_remove_environment (self->store, environment, &error))
    {
      fulcrum_ui_show_error (GTK_WIDGET (self), _("Could not delete the environment"), error);
      return;
    }

  fulcrum_ui_save_store (GTK_WIDGET (self), self->store);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  FulcrumEnvironmentsPage *self = FULCRUM_ENVIRONMENTS_PAGE (widget);
  FulcrumEnvironment *environment = lookup_custom (self, param);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (environment == NULL)
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), fulcrum_environment_get_name (environment));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       heading,
                                                       _("Profiles can no longer be created for "
                                                         "it. An environment that profiles still "
                                                         "use cannot be deleted.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "environment",
                          g_object_ref (environment), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  FulcrumEnvironmentsPage *self = FULCRUM_ENVIRONMENTS_PAGE (widget);
  FulcrumEnvironment *environment;

  if (self->store == NULL)
    return;

  environment = fulcrum_store_find_environment (self->store, g_variant_get_string (param, NULL));
  if (environment != NULL)
    fulcrum_environments_page_check_connection (self, environment);
}

typedef struct
{
  FulcrumEnvironmentsPage *page;
  char                    *environment_id;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->page);
  g_clear_pointer (&check->environment_id, g_free);
  g_free (check);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Check *check = user_data;
  FulcrumEnvironmentsPage *self = check->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  message = fulcrum_connection_check_finish (result, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_hash_table_remove (self->checking, check->environment_id);
      fulcrum_ui_show_toast (GTK_WIDGET (self), message ? message : error->message);
      g_signal_emit (self, signals[CONNECTION_CHECKED], 0, check->environment_id,
                     message != NULL, message ? message : error->message);
    }

  check_free (check);
}

static void
fulcrum_environments_page_dispose (GObject *object)
{
  FulcrumEnvironmentsPage *self = FULCRUM_ENVIRONMENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_ENVIRONMENTS_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (fulcrum_environments_page_parent_class)->dispose (object);
}

static void
fulcrum_environments_page_finalize (GObject *object)
{
  FulcrumEnvironmentsPage *self = FULCRUM_ENVIRONMENTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->checking, g_hash_table_unref);

  G_OBJECT_CLASS (fulcrum_environments_page_parent_class)->finalize (object);
}

static void
fulcrum_environments_page_class_init (FulcrumEnvironmentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_environments_page_dispose;
  object_class->finalize = fulcrum_environments_page_finalize;

  signals[CONNECTION_CHECKED] =
    g_signal_new ("connection-checked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "environments.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "environments.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "environments.check", "s", check_action);

  g_type_ensure (FULCRUM_TYPE_SIMULATOR_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-environments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentsPage, builtin_list);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentsPage, simulator_group);
  gtk_widget_class_bind_template_child (widget_class, FulcrumEnvironmentsPage, custom_list);
}

static void
fulcrum_environments_page_init (FulcrumEnvironmentsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->checking = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

void
fulcrum_environments_page_set_stores (FulcrumEnvironmentsPage *self,
                                      FulcrumStore            *store,
                                      FulcrumSecretStore      *secrets)
{
  GListModel *environments;

  g_return_if_fail (FULCRUM_IS_ENVIRONMENTS_PAGE (self));
  g_return_if_fail (FULCRUM_IS_STORE (store));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));

  g_set_object (&self->secrets, secrets);
  fulcrum_simulator_group_set_stores (self->simulator_group, store, secrets);

  if (!g_set_object (&self->store, store))
    return;

  environments = fulcrum_store_get_environments (store);
  bind_list (self->builtin_list, environments, TRUE);
  bind_list (self->custom_list, environments, FALSE);
}

void
fulcrum_environments_page_add_environment (FulcrumEnvironmentsPage *self)
{
  GtkWidget *dialog;

  g_return_if_fail (FULCRUM_IS_ENVIRONMENTS_PAGE (self));

  if (self->store == NULL)
    return;

  dialog = fulcrum_environment_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                           self->store, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
fulcrum_environments_page_check_connection (FulcrumEnvironmentsPage *self,
                                            FulcrumEnvironment      *environment)
{
  const char *id;
  Check *check;

  g_return_if_fail (FULCRUM_IS_ENVIRONMENTS_PAGE (self));
  g_return_if_fail (FULCRUM_IS_ENVIRONMENT (environment));
  g_return_if_fail (self->secrets != NULL);

  id = fulcrum_environment_get_id (environment);
  if (g_hash_table_contains (self->checking, id))
    return;
  g_hash_table_add (self->checking, g_strdup (id));

  check = g_new0 (Check, 1);
  check->page = g_object_ref (self);
  check->environment_id = g_strdup (id);
  fulcrum_connection_check_async (environment, self->secrets, FULCRUM_CONNECTION_CHECK_TIMEOUT_S,
                                  self->cancellable, checked_cb, check);
}
