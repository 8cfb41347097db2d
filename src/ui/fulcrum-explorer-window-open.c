/* fulcrum-explorer-window-open.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "win.open-explorer": one Explorer per account, opened from the main window.
 */

#define G_LOG_DOMAIN "fulcrum-explorer"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-explorer-window.h"
#include "fulcrum-ui-util.h"

static FulcrumExplorerWindow *
find_explorer (FulcrumLinkedAccount *account)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (FULCRUM_IS_EXPLORER_WINDOW (toplevel) &&
          fulcrum_explorer_window_get_account (FULCRUM_EXPLORER_WINDOW (toplevel)) == account)
        return FULCRUM_EXPLORER_WINDOW (toplevel); /* the toplevel list keeps it alive */
    }

  return NULL;
}

static gboolean
has_property (gpointer    object,
              const char *name)
{
  return g_object_class_find_property (G_OBJECT_GET_CLASS (object), name) != NULL;
}

static void
open_explorer_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  GtkWindow *window = user_data;
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumSecretStore) secrets = NULL;
  g_autoptr(FulcrumTokenManager) tokens = NULL;
  FulcrumLinkedAccount *account;
  FulcrumExplorerWindow *explorer;

  /* The main window owns what the Explorer works with. */
  g_return_if_fail (has_property (window, "store") && has_property (window, "secret-store") &&
                    has_property (window, "token-manager"));
  g_object_get (window,
                "store", &store,
                "secret-store", &secrets,
                "token-manager", &tokens,
                NULL);

  account = fulcrum_store_find_account (store, g_variant_get_string (param, NULL));
  if (account == NULL)
    {
      fulcrum_ui_show_toast (GTK_WIDGET (window), _("That account is no longer linked."));
      return;
    }

  explorer = find_explorer (account);
  if (explorer == NULL)
    {
      GtkWidget *widget = fulcrum_explorer_window_new (gtk_window_get_application (window),
                                                       store, secrets, tokens, account);

      explorer = FULCRUM_EXPLORER_WINDOW (widget);
    }
  gtk_window_present (GTK_WINDOW (explorer));
}

void
fulcrum_explorer_install_window_action (GtkApplicationWindow *window)
{
  static const GActionEntry entries[] = {
    { "open-explorer", open_explorer_action, "s" },
  };

  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));

  g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries), window);
}
