/* fulcrum-registration-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-registration-group"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-core.h"
#include "fulcrum-registration-group.h"
#include "fulcrum-ui-util.h"

struct _FulcrumRegistrationGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwEntryRow         *integration_row;
  AdwEntryRow         *description_row;
  GtkLabel            *description_count;
  AdwEntryRow         *logo_row;
  AdwActionRow        *callback_row;
  AdwActionRow        *scopes_row;

  guint                updating;
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FulcrumRegistrationGroup, fulcrum_registration_group,
                     ADW_TYPE_PREFERENCES_GROUP)

static guint signals[N_SIGNALS];

static void
update_description_count (FulcrumRegistrationGroup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->description_row));
  glong length = g_utf8_strlen (text, -1);
  g_autofree char *count = NULL;
  gboolean out_of_range;

  /* Translators: characters typed out of the most Lever allows, e.g. "23/140" */
  count = g_strdup_printf (_("%ld/%d"), length, FULCRUM_REGISTRATION_DESCRIPTION_MAX);
  gtk_label_set_text (self->description_count, count);

  out_of_range = length > 0 && (length < FULCRUM_REGISTRATION_DESCRIPTION_MIN ||
                                length > FULCRUM_REGISTRATION_DESCRIPTION_MAX);
  fulcrum_ui_set_error_style (GTK_WIDGET (self->description_count), out_of_range);
  if (out_of_range)
    gtk_widget_remove_css_class (GTK_WIDGET (self->description_count), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->description_count), "dim-label");
}

static void
field_changed_cb (FulcrumRegistrationGroup *self)
{
  update_description_count (self);

  if (self->updating == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
fulcrum_registration_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FULCRUM_TYPE_REGISTRATION_GROUP);

  G_OBJECT_CLASS (fulcrum_registration_group_parent_class)->dispose (object);
}

static void
fulcrum_registration_group_class_init (FulcrumRegistrationGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_registration_group_dispose;

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-registration-group.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumRegistrationGroup, integration_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumRegistrationGroup, description_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumRegistrationGroup, description_count);
  gtk_widget_class_bind_template_child (widget_class, FulcrumRegistrationGroup, logo_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumRegistrationGroup, callback_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumRegistrationGroup, scopes_row);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}

static void
fulcrum_registration_group_init (FulcrumRegistrationGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_description_count (self);
}

void
fulcrum_registration_group_set_details (FulcrumRegistrationGroup *self,
                                        const char               *integration_name,
                                        const char               *description,
                                        const char               *logo_url)
{
  g_return_if_fail (FULCRUM_IS_REGISTRATION_GROUP (self));

  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (self->integration_row), integration_name ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), description ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->logo_row), logo_url ?: "");
  self->updating--;
}

const char *
fulcrum_registration_group_get_integration_name (FulcrumRegistrationGroup *self)
{
  g_return_val_if_fail (FULCRUM_IS_REGISTRATION_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->integration_row));
}

const char *
fulcrum_registration_group_get_description (FulcrumRegistrationGroup *self)
{
  g_return_val_if_fail (FULCRUM_IS_REGISTRATION_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->description_row));
}

const char *
fulcrum_registration_group_get_logo_url (FulcrumRegistrationGroup *self)
{
  g_return_val_if_fail (FULCRUM_IS_REGISTRATION_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->logo_row));
}

void
fulcrum_registration_group_set_callback_url (FulcrumRegistrationGroup *self,
                                             const char               *url)
{
  g_return_if_fail (FULCRUM_IS_REGISTRATION_GROUP (self));

  adw_action_row_set_subtitle (self->callback_row, url ?: "");
}

void
fulcrum_registration_group_set_scopes (FulcrumRegistrationGroup *self,
                                       const char * const       *scopes)
{
  g_autofree char *text = NULL;

  g_return_if_fail (FULCRUM_IS_REGISTRATION_GROUP (self));

  text = scopes ? g_strjoinv (" ", (char **) scopes) : g_strdup ("");
  adw_action_row_set_subtitle (self->scopes_row, text);
}

void
fulcrum_registration_group_set_errors (FulcrumRegistrationGroup *self,
                                       gboolean                  description,
                                       gboolean                  logo_url)
{
  g_return_if_fail (FULCRUM_IS_REGISTRATION_GROUP (self));

  fulcrum_ui_set_error_style (GTK_WIDGET (self->description_row), description);
  fulcrum_ui_set_error_style (GTK_WIDGET (self->logo_row), logo_url);
}
