/* fulcrum-account-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-account-row"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-account-row.h"
#include "fulcrum-ui-util.h"

struct _FulcrumAccountRow
{
  AdwActionRow          parent_instance;

  FulcrumLinkedAccount *account;
  GtkLabel             *status_pill;
  GtkWidget            *relink_button;
};

G_DEFINE_FINAL_TYPE (FulcrumAccountRow, fulcrum_account_row, ADW_TYPE_ACTION_ROW)

static void
fulcrum_account_row_dispose (GObject *object)
{
  FulcrumAccountRow *self = FULCRUM_ACCOUNT_ROW (object);

  g_clear_object (&self->account);

  G_OBJECT_CLASS (fulcrum_account_row_parent_class)->dispose (object);
}

static void
fulcrum_account_row_class_init (FulcrumAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fulcrum_account_row_dispose;
}

static void
fulcrum_account_row_init (FulcrumAccountRow *self)
{
  GtkWidget *icon;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);

  self->relink_button = gtk_button_new_with_mnemonic (_("Link _Again…"));
  gtk_widget_set_valign (self->relink_button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->relink_button, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->relink_button), "accounts.relink");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->relink_button);

  self->status_pill = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->status_pill), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_pill), "fulcrum-pill");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->status_pill));

  icon = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), "accounts.details");
}

GtkWidget *
fulcrum_account_row_new (FulcrumStore         *store,
                         FulcrumLinkedAccount *account)
{
  FulcrumAccountRow *self;
  FulcrumConnectorProfile *profile;
  FulcrumAccountStatus status;
  const char *profile_name;
  const char *label;
  const char *message;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account), NULL);

  self = g_object_new (FULCRUM_TYPE_ACCOUNT_ROW, NULL);
  self->account = g_object_ref (account);

  profile = fulcrum_store_find_profile (store, fulcrum_linked_account_get_profile_id (account));
  profile_name = profile ? fulcrum_connector_profile_get_name (profile)
                         : fulcrum_linked_account_get_profile_id (account);
  label = fulcrum_linked_account_get_label (account);
  if (label == NULL || *label == '\0')
    label = fulcrum_linked_account_get_id (account);

  /* Translators: "<connector profile> · <environment>" */
  subtitle = g_strdup_printf (_("%s · %s"), profile_name,
                              fulcrum_ui_environment_title (store,
                                fulcrum_linked_account_get_environment_id (account)));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  status = fulcrum_linked_account_get_status (account);
  fulcrum_ui_set_status_pill (self->status_pill, status);
  gtk_widget_set_visible (self->relink_button,
                          status == FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK ||
                          status == FULCRUM_ACCOUNT_STATUS_ERROR);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->relink_button), "s",
                                    fulcrum_linked_account_get_id (account));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s",
                                    fulcrum_linked_account_get_id (account));

  message = fulcrum_linked_account_get_status_message (account);
  if (message != NULL && *message != '\0')
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_pill), message);

  return GTK_WIDGET (self);
}

FulcrumLinkedAccount *
fulcrum_account_row_get_account (FulcrumAccountRow *self)
{
  g_return_val_if_fail (FULCRUM_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

const char *
fulcrum_account_row_get_status_text (FulcrumAccountRow *self)
{
  g_return_val_if_fail (FULCRUM_IS_ACCOUNT_ROW (self), NULL);

  return gtk_label_get_text (self->status_pill);
}
