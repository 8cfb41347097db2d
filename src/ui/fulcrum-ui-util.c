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

static void
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
      return;
    }

  /* Toast titles are markup in libadwaita 1.2; messages come from outside. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (overlay, toast);
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
