/* fulcrum-environment-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-environment-row"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-environment-row.h"
#include "fulcrum-ui-util.h"

struct _FulcrumEnvironmentRow
{
  AdwExpanderRow      parent_instance;

  FulcrumEnvironment *environment;
};

G_DEFINE_FINAL_TYPE (FulcrumEnvironmentRow, fulcrum_environment_row, ADW_TYPE_EXPANDER_ROW)

static void
copy_clicked_cb (GtkButton    *button,
                 AdwActionRow *row)
{
  fulcrum_ui_copy_text (GTK_WIDGET (button), adw_action_row_get_subtitle (row));
}

static void
add_detail (FulcrumEnvironmentRow *self,
            const char            *title,
            const char            *value,
            gboolean               copyable)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    {
      value = _("Not set");
      copyable = FALSE;
    }

  /* Plain text: URLs carry '&'. */
  row = g_object_new (ADW_TYPE_ACTION_ROW,
                      "use-markup", FALSE,
                      "title", title,
                      "subtitle", value,
                      "subtitle-lines", 2,
                      NULL);
  if (copyable)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_("Copy %s"), title);

      gtk_widget_add_css_class (row, "fulcrum-url-row");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      g_signal_connect_object (button, "clicked", G_CALLBACK (copy_clicked_cb), row, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
}

static GtkWidget *
action_button (const char *icon_name,
               const char *tooltip,
               const char *action_name,
               const char *environment_id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", environment_id);

  return button;
}

static void
fulcrum_environment_row_build (FulcrumEnvironmentRow *self)
{
  FulcrumEnvironment *environment = self->environment;
  FulcrumEnvironmentKind kind = fulcrum_environment_get_kind (environment);
  const char *id = fulcrum_environment_get_id (environment);
  g_autofree char *name = g_markup_escape_text (fulcrum_environment_get_name (environment), -1);
  g_autofree char *rate = NULL;
  g_autofree char *escaped_subtitle = NULL;
  const char *subtitle = NULL;
  const char *icon = NULL;

  switch (kind)
    {
    case FULCRUM_ENVIRONMENT_KIND_PRODUCTION:
      subtitle = _("Lever’s live service");
      icon = "network-server-symbolic";
      break;

    case FULCRUM_ENVIRONMENT_KIND_SANDBOX:
      subtitle = _("Lever’s sandbox for testing integrations");
      icon = "applications-engineering-symbolic";
      break;

    case FULCRUM_ENVIRONMENT_KIND_SIMULATOR:
      subtitle = _("A Lever look-alike that runs inside Fulcrum");
      icon = "applications-science-symbolic";
      break;

    case FULCRUM_ENVIRONMENT_KIND_CUSTOM:
    default:
      subtitle = fulcrum_environment_get_api_base (environment);
      icon = "network-workgroup-symbolic";
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  escaped_subtitle = g_markup_escape_text (subtitle ? subtitle : "", -1);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), escaped_subtitle);
  adw_expander_row_set_icon_name (ADW_EXPANDER_ROW (self), icon);

  add_detail (self, _("Authorize URL"), fulcrum_environment_get_authorize_url (environment), TRUE);
  add_detail (self, _("Token URL"), fulcrum_environment_get_token_url (environment), TRUE);
  add_detail (self, _("Audience"), fulcrum_environment_get_audience (environment), TRUE);
  add_detail (self, _("API Base URL"), fulcrum_environment_get_api_base (environment), TRUE);

  /* Translators: a rate limit, e.g. "10 requests per second, bursts of 20" */
  rate = g_strdup_printf (_("%g requests per second, bursts of %u"),
                          fulcrum_environment_get_rate_limit (environment),
                          fulcrum_environment_get_rate_burst (environment));
  add_detail (self, _("Rate Limit"), rate, FALSE);

  /* Actions are packed from the end: Check Connection ends up right-most. */
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self),
                               action_button ("network-transmit-receive-symbolic",
                                              _("Check Connection"), "environments.check", id));

  if (fulcrum_environment_is_builtin (environment))
    {
      GtkWidget *label = gtk_label_new (_("Built-in"));

      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "fulcrum-tag");
      adw_expander_row_add_action (ADW_EXPANDER_ROW (self), label);
    }
  else
    {
      adw_expander_row_add_action (ADW_EXPANDER_ROW (self),
                                   action_button ("user-trash-symbolic", _("Delete"),
                                                  "environments.delete", id));
      adw_expander_row_add_action (ADW_EXPANDER_ROW (self),
                                   action_button ("document-edit-symbolic", _("Edit"),
                                                  "environments.edit", id));
    }
}

static void
fulcrum_environment_row_dispose (GObject *object)
{
  FulcrumEnvironmentRow *self = FULCRUM_ENVIRONMENT_ROW (object);

  g_clear_object (&self->environment);

  G_OBJECT_CLASS (fulcrum_environment_row_parent_class)->dispose (object);
}

static void
fulcrum_environment_row_class_init (FulcrumEnvironmentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fulcrum_environment_row_dispose;
}

static void
fulcrum_environment_row_init (FulcrumEnvironmentRow *self)
{
}

GtkWidget *
fulcrum_environment_row_new (FulcrumEnvironment *environment)
{
  FulcrumEnvironmentRow *self;

  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (environment), NULL);

  self = g_object_new (FULCRUM_TYPE_ENVIRONMENT_ROW, NULL);
  self->environment = g_object_ref (environment);
  fulcrum_environment_row_build (self);

  return GTK_WIDGET (self);
}

FulcrumEnvironment *
fulcrum_environment_row_get_environment (FulcrumEnvironmentRow *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT_ROW (self), NULL);

  return self->environment;
}
