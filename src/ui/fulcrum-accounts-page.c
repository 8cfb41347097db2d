/* fulcrum-accounts-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-accounts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-account-row.h"
#include "fulcrum-accounts-page.h"

struct _FulcrumAccountsPage
{
  AdwBin        parent_instance;

  FulcrumStore *store;

  GtkStack     *stack;
  GtkListBox   *list;
};

G_DEFINE_FINAL_TYPE (FulcrumAccountsPage, fulcrum_accounts_page, ADW_TYPE_BIN)

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  FulcrumAccountsPage *self = user_data;

  return fulcrum_account_row_new (self->store, FULCRUM_LINKED_ACCOUNT (item));
}

static void
accounts_changed_cb (FulcrumAccountsPage *self,
                     guint                position,
                     guint                removed,
                     guint                added,
                     GListModel          *accounts)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (accounts) > 0 ? "list" : "empty");
}

/* Rows show their profile's name: rebuild them when a profile changes. */
static void
profiles_changed_cb (FulcrumAccountsPage *self)
{
  gtk_list_box_bind_model (self->list, fulcrum_store_get_accounts (self->store),
                           create_row_cb, self, NULL);
}

static void
fulcrum_accounts_page_dispose (GObject *object)
{
  FulcrumAccountsPage *self = FULCRUM_ACCOUNTS_PAGE (object);

  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_func (fulcrum_store_get_accounts (self->store),
                                            accounts_changed_cb, self);
      g_signal_handlers_disconnect_by_func (fulcrum_store_get_profiles (self->store),
                                            profiles_changed_cb, self);
    }

  /* The stack is both the bin's child and a template child: let the bin drop it first,
   * or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_ACCOUNTS_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (fulcrum_accounts_page_parent_class)->dispose (object);
}

static void
fulcrum_accounts_page_class_init (FulcrumAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_accounts_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FulcrumAccountsPage, list);
}

static void
fulcrum_accounts_page_init (FulcrumAccountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
fulcrum_accounts_page_set_store (FulcrumAccountsPage *self,
                                 FulcrumStore        *store)
{
  GListModel *accounts;

  g_return_if_fail (FULCRUM_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (FULCRUM_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);

  accounts = fulcrum_store_get_accounts (store);
  gtk_list_box_bind_model (self->list, accounts, create_row_cb, self, NULL);
  g_signal_connect_object (accounts, "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (fulcrum_store_get_profiles (store), "items-changed",
                           G_CALLBACK (profiles_changed_cb), self, G_CONNECT_SWAPPED);
  accounts_changed_cb (self, 0, 0, 0, accounts);
}
