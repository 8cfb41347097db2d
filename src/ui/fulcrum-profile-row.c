/* fulcrum-profile-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-profile-row"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-profile-row.h"
#include "fulcrum-ui-util.h"

struct _FulcrumProfileRow
{
  AdwActionRow             parent_instance;

  FulcrumConnectorProfile *profile;
};

G_DEFINE_FINAL_TYPE (FulcrumProfileRow, fulcrum_profile_row, ADW_TYPE_ACTION_ROW)

static void
fulcrum_profile_row_dispose (GObject *object)
{
  FulcrumProfileRow *self = FULCRUM_PROFILE_ROW (object);

  g_clear_object (&self->profile);

  G_OBJECT_CLASS (fulcrum_profile_row_parent_class)->dispose (object);
}

static void
fulcrum_profile_row_class_init (FulcrumProfileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fulcrum_profile_row_dispose;
}

static void
fulcrum_profile_row_init (FulcrumProfileRow *self)
{
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
}

GtkWidget *
fulcrum_profile_row_new (FulcrumStore            *store,
                         FulcrumConnectorProfile *profile)
{
  FulcrumProfileRow *self;
  const char *client_id;
  g_autofree char *subtitle = NULL;
  GtkWidget *icon;

  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (profile), NULL);

  self = g_object_new (FULCRUM_TYPE_PROFILE_ROW, NULL);
  self->profile = g_object_ref (profile);

  client_id = fulcrum_connector_profile_get_client_id (profile);
  if (client_id == NULL || *client_id == '\0')
    client_id = _("no client ID");
  /* Translators: "<environment> · <client id>" */
  subtitle = g_strdup_printf (_("%s · %s"),
                              fulcrum_ui_environment_title (store,
                                fulcrum_connector_profile_get_environment_id (profile)),
                              client_id);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 fulcrum_connector_profile_get_name (profile));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  if (!fulcrum_connector_profile_get_has_secret (profile))
    {
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, _("No client secret in the keyring"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("No client secret in the keyring"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), icon);
    }

  icon = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), "profiles.edit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s",
                                    fulcrum_connector_profile_get_id (profile));

  return GTK_WIDGET (self);
}

FulcrumConnectorProfile *
fulcrum_profile_row_get_profile (FulcrumProfileRow *self)
{
  g_return_val_if_fail (FULCRUM_IS_PROFILE_ROW (self), NULL);

  return self->profile;
}
