/* fulcrum-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-ui-util.h"

static AdwToastOverlay *
find_toast_overlay (GtkWidget *widget)
{
  GtkWidget *overlay;
  GtkRoot *root;

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    return ADW_TOAST_OVERLAY (overlay);

  root = gtk_widget_get_root (widget);
  if (ADW_IS_WINDOW (root))
    overlay = adw_window_get_content (ADW_WINDOW (root));
  else if (ADW_IS_APPLICATION_WINDOW (root))
    overlay = adw_application_window_get_content (ADW_APPLICATION_WINDOW (root));

  return ADW_IS_TOAST_OVERLAY (overlay) ? ADW_TOAST_OVERLAY (overlay) : NULL;
}

static AdwToast *
add_toast (GtkWidget  *widget,
           const char *message,
           guint       timeout)
{
  AdwToastOverlay *overlay = find_toast_overlay (widget);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_warning ("%s", message);
      return NULL;
    }

  /* Toast titles are markup in libadwaita 1.2; messages come from outside. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (overlay, toast);

  return toast;
}

void
fulcrum_ui_show_toast (GtkWidget  *widget,
                       const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  add_toast (widget, message, 5);
}

void
fulcrum_ui_show_toast_with_action (GtkWidget  *widget,
                                   const char *message,
                                   const char *button_label,
                                   const char *action_name,
                                   GVariant   *target)
{
  g_autoptr(GVariant) owned_target = target ? g_variant_ref_sink (target) : NULL;
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);
  g_return_if_fail (button_label != NULL);
  g_return_if_fail (action_name != NULL);

  toast = add_toast (widget, message, 10);
  if (toast == NULL)
    return;

  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  if (owned_target != NULL)
    adw_toast_set_action_target_value (toast, owned_target);
}

void
fulcrum_ui_show_error (GtkWidget    *widget,
                       const char   *context,
                       const GError *error)
{
  g_autofree char *message = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  if (context != NULL)
    /* Translators: "<what failed>: <why>" */
    message = g_strdup_printf (_("%s: %s"), context, error->message);
  else
    message = g_strdup (error->message);

  /* Errors stay longer than confirmations: people need time to read them. */
  add_toast (widget, message, 10);
}

static void
save_store_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!fulcrum_store_save_finish (FULCRUM_STORE (object), result, &error))
    fulcrum_ui_show_error (widget, _("Could not save the configuration"), error);
}

void
fulcrum_ui_save_store (GtkWidget    *widget,
                       FulcrumStore *store)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (FULCRUM_IS_STORE (store));

  fulcrum_store_save_async (store, NULL, save_store_cb, g_object_ref (widget));
}

const char *
fulcrum_ui_environment_title (FulcrumStore *store,
                              const char   *environment_id)
{
  FulcrumEnvironment *environment;

  if (environment_id == NULL)
    return "";

  environment = fulcrum_store_find_environment (store, environment_id);
  if (environment == NULL)
    return environment_id;

  return fulcrum_environment_get_name (environment);
}

void
fulcrum_ui_set_error_style (GtkWidget *widget,
                            gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

void
fulcrum_ui_copy_text (GtkWidget  *widget,
                      const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  fulcrum_ui_show_toast (widget, _("Copied to clipboard"));
}

char *
fulcrum_ui_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (unix_time <= 0)
    return g_strdup (_("Never"));

  time = g_date_time_new_from_unix_local (unix_time);
  now = g_date_time_new_now_local ();
  if (time == NULL || now == NULL)
    return g_strdup (_("Unknown"));

  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    /* Translators: a time today, see the GDateTime format docs */
    return g_date_time_format (time, _("today at %H:%M"));

  /* Translators: a date and time, see the GDateTime format docs */
  return g_date_time_format (time, _("%-d %B %Y at %H:%M"));
}

char *
fulcrum_ui_format_relative (gint64 unix_time,
                            gint64 now)
{
  gint64 delta = unix_time - now;
  gint64 span = ABS (delta);
  gint64 amount;

  if (span < 60)
    return g_strdup (delta >= 0 ? _("in less than a minute") : _("less than a minute ago"));

  if (span < 60 * 60)
    {
      amount = span / 60;
      return delta >= 0
        ? g_strdup_printf (ngettext ("in %d minute", "in %d minutes", amount), (int) amount)
        : g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", amount), (int) amount);
    }

  if (span < 48 * 60 * 60)
    {
      amount = span / (60 * 60);
      return delta >= 0
        ? g_strdup_printf (ngettext ("in %d hour", "in %d hours", amount), (int) amount)
        : g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", amount), (int) amount);
    }

  amount = span / (24 * 60 * 60);
  return delta >= 0
    ? g_strdup_printf (ngettext ("in %d day", "in %d days", amount), (int) amount)
    : g_strdup_printf (ngettext ("%d day ago", "%d days ago", amount), (int) amount);
}

const char *
fulcrum_ui_status_style (FulcrumAccountStatus status)
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

void
fulcrum_ui_set_status_pill (GtkLabel             *pill,
                            FulcrumAccountStatus  status)
{
  static const char *styles[] = { "success", "warning", "error", "neutral" };

  g_return_if_fail (GTK_IS_LABEL (pill));

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (pill), styles[i]);

  gtk_label_set_text (pill, fulcrum_account_status_get_title (status));
  gtk_widget_add_css_class (GTK_WIDGET (pill), fulcrum_ui_status_style (status));
}
