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
};

G_DEFINE_FINAL_TYPE (FulcrumAccountRow, fulcrum_account_row, ADW_TYPE_ACTION_ROW)

static const char *
status_style (FulcrumAccountStatus status)
{
  switch (status)
    {
    case FULCRUM_ACCOUNT_STATUS_ACTIVE:
      return "success";
    case FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK:
      return "warning";
    case FULCRUM_ACCOUNT_STATUS_ERROR:
      return "error";
    case FULCRUM_ACCOUNT_STATUS_SUSPENDED:
    default:
      return "neutral";
    }
}

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
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);

  self->status_pill = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->status_pill), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_pill), "fulcrum-pill");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->status_pill));
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
  gtk_label_set_text (self->status_pill, fulcrum_account_status_get_title (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_pill), status_style (status));

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
