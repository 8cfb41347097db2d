/* fulcrum-profiles-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-profiles-page"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-profile-editor.h"
#include "fulcrum-profile-row.h"
#include "fulcrum-profiles-page.h"
#include "fulcrum-ui-util.h"

struct _FulcrumProfilesPage
{
  AdwBin              parent_instance;

  FulcrumStore       *store;
  FulcrumSecretStore *secrets;

  GtkStack           *stack;
  GtkListBox         *list;
};

typedef struct
{
  FulcrumProfilesPage     *page;
  FulcrumConnectorProfile *profile;
} DeleteData;

G_DEFINE_FINAL_TYPE (FulcrumProfilesPage, fulcrum_profiles_page, ADW_TYPE_BIN)

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->page);
  g_clear_object (&data->profile);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeleteData, delete_data_free)

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  FulcrumProfilesPage *self = user_data;

  return fulcrum_profile_row_new (self->store, FULCRUM_CONNECTOR_PROFILE (item));
}

static void
profiles_changed_cb (FulcrumProfilesPage *self,
                     guint                position,
                     guint                removed,
                     guint                added,
                     GListModel          *profiles)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (profiles) > 0 ? "list" : "empty");
}

static void
editor_delete_requested_cb (FulcrumProfilesPage     *self,
                            FulcrumConnectorProfile *profile)
{
  fulcrum_profiles_page_delete_profile (self, profile);
}

static GtkWidget *
open_editor (FulcrumProfilesPage     *self,
             FulcrumConnectorProfile *profile)
{
  GtkWidget *editor;

  editor = fulcrum_profile_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                       self->store, self->secrets, profile);
  g_signal_connect_object (editor, "delete-requested",
                           G_CALLBACK (editor_delete_requested_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));

  return editor;
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  FulcrumProfilesPage *self = FULCRUM_PROFILES_PAGE (widget);
  FulcrumConnectorProfile *profile;

  if (self->store == NULL)
    return;

  profile = fulcrum_store_find_profile (self->store, g_variant_get_string (param, NULL));
  if (profile != NULL)
    open_editor (self, profile);
}

static void
clear_secrets_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DeleteData) data = user_data;
  FulcrumProfilesPage *self = data->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  /* Keyring first: a profile whose secret could not be removed stays, so the user can
   * try again rather than leave a secret behind with nothing pointing at it. */
  if (!fulcrum_secret_store_clear_finish (FULCRUM_SECRET_STORE (object), result, &error))
    {
      fulcrum_ui_show_error (GTK_WIDGET (self),
                             _("Could not remove the profile’s secrets from the keyring"),
                             error);
      return;
    }

  message = g_strdup_printf (_("“%s” deleted"),
                             fulcrum_connector_profile_get_name (data->profile));
  fulcrum_store_remove_profile (self->store, data->profile);
  fulcrum_ui_save_store (GTK_WIDGET (self), self->store);
  fulcrum_ui_show_toast (GTK_WIDGET (self), message);
}

static void
fulcrum_profiles_page_dispose (GObject *object)
{
  FulcrumProfilesPage *self = FULCRUM_PROFILES_PAGE (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (fulcrum_store_get_profiles (self->store),
                                          profiles_changed_cb, self);

  /* The stack is both the bin's child and a template child: let the bin drop it first,
   * or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_PROFILES_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (fulcrum_profiles_page_parent_class)->dispose (object);
}

static void
fulcrum_profiles_page_class_init (FulcrumProfilesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_profiles_page_dispose;

  gtk_widget_class_install_action (widget_class, "profiles.edit", "s", edit_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-profiles-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfilesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FulcrumProfilesPage, list);
}

static void
fulcrum_profiles_page_init (FulcrumProfilesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
fulcrum_profiles_page_set_stores (FulcrumProfilesPage *self,
                                  FulcrumStore        *store,
                                  FulcrumSecretStore  *secrets)
{
  GListModel *profiles;

  g_return_if_fail (FULCRUM_IS_PROFILES_PAGE (self));
  g_return_if_fail (FULCRUM_IS_STORE (store));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);

  profiles = fulcrum_store_get_profiles (store);
  gtk_list_box_bind_model (self->list, profiles, create_row_cb, self, NULL);
  g_signal_connect_object (profiles, "items-changed",
                           G_CALLBACK (profiles_changed_cb), self, G_CONNECT_SWAPPED);
  profiles_changed_cb (self, 0, 0, 0, profiles);
}

GtkWidget *
fulcrum_profiles_page_new_profile (FulcrumProfilesPage *self)
{
  g_return_val_if_fail (FULCRUM_IS_PROFILES_PAGE (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  return open_editor (self, NULL);
}

GtkWidget *
fulcrum_profiles_page_edit_profile (FulcrumProfilesPage     *self,
                                    FulcrumConnectorProfile *profile)
{
  g_return_val_if_fail (FULCRUM_IS_PROFILES_PAGE (self), NULL);
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (profile), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  return open_editor (self, profile);
}

void
fulcrum_profiles_page_delete_profile (FulcrumProfilesPage     *self,
                                      FulcrumConnectorProfile *profile)
{
  DeleteData *data;

  g_return_if_fail (FULCRUM_IS_PROFILES_PAGE (self));
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (profile));
  g_return_if_fail (self->store != NULL);

  data = g_new0 (DeleteData, 1);
  data->page = g_object_ref (self);
  data->profile = g_object_ref (profile);

  fulcrum_secret_store_clear_async (self->secrets,
                                    fulcrum_connector_profile_get_id (profile),
                                    NULL,
                                    NULL,
                                    clear_secrets_cb,
                                    data);
}
