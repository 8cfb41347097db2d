/* fulcrum-accounts-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-accounts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-account-dialog.h"
#include "fulcrum-account-row.h"
#include "fulcrum-accounts-page.h"
#include "fulcrum-link-dialog.h"
#include "fulcrum-ui-util.h"

struct _FulcrumAccountsPage
{
  AdwBin               parent_instance;

  FulcrumStore        *store;
  FulcrumSecretStore  *secrets;
  FulcrumTokenManager *tokens;

  GtkStack            *stack;
  GtkListBox          *list;
};

/* An unlink, or a Link Again waiting for the details dialog to go. */
typedef struct
{
  FulcrumAccountsPage  *page;
  FulcrumLinkedAccount *account;
  /* The account that takes over the unlinked one's label ("Link Again"), or NULL. */
  FulcrumLinkedAccount *heir;
} AccountJob;

G_DEFINE_FINAL_TYPE (FulcrumAccountsPage, fulcrum_accounts_page, ADW_TYPE_BIN)

static AccountJob *
account_job_new (FulcrumAccountsPage  *page,
                 FulcrumLinkedAccount *account,
                 FulcrumLinkedAccount *heir)
{
  AccountJob *job = g_new0 (AccountJob, 1);

  job->page = g_object_ref (page);
  job->account = g_object_ref (account);
  g_set_object (&job->heir, heir);

  return job;
}

static void
account_job_free (AccountJob *job)
{
  g_clear_object (&job->page);
  g_clear_object (&job->account);
  g_clear_object (&job->heir);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AccountJob, account_job_free)

static gboolean
in_store (FulcrumAccountsPage  *self,
          FulcrumLinkedAccount *account)
{
  return self->store != NULL &&
         fulcrum_store_find_account (self->store, fulcrum_linked_account_get_id (account)) == account;
}

static GtkWindow *
parent_window (FulcrumAccountsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

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

static FulcrumLinkedAccount *
lookup_account (FulcrumAccountsPage *self,
                GVariant            *param)
{
  if (self->store == NULL)
    return NULL;

  return fulcrum_store_find_account (self->store, g_variant_get_string (param, NULL));
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  FulcrumAccountsPage *self = FULCRUM_ACCOUNTS_PAGE (widget);
  FulcrumLinkedAccount *account = lookup_account (self, param);

  if (account != NULL)
    fulcrum_accounts_page_show_account (self, account);
}

static void
relink_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  FulcrumAccountsPage *self = FULCRUM_ACCOUNTS_PAGE (widget);
  FulcrumLinkedAccount *account = lookup_account (self, param);

  if (account != NULL)
    fulcrum_accounts_page_relink_account (self, account);
}

/* Unlink */

static void
unlink_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AccountJob) unlink = user_data;
  FulcrumAccountsPage *self = unlink->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *message = NULL;

  /* Keyring first: an account whose tokens could not be removed stays, so the user can
   * try again rather than leave tokens behind with nothing pointing at them. */
  if (!fulcrum_secret_store_clear_finish (FULCRUM_SECRET_STORE (object), result, &error))
    {
      fulcrum_ui_show_error (GTK_WIDGET (self),
                             _("Could not remove the account’s tokens from the keyring"), error);
      return;
    }

  if (self->store == NULL)
    return;

  label = g_strdup (fulcrum_linked_account_get_label (unlink->account));
  fulcrum_store_remove_account (self->store, unlink->account);

  /* The new link carries on under the old name, for people and for scripts. */
  if (unlink->heir != NULL && label != NULL && in_store (self, unlink->heir) &&
      fulcrum_store_find_account (self->store, label) == NULL)
    {
      fulcrum_linked_account_set_label (unlink->heir, label);
      fulcrum_store_item_changed (self->store, G_OBJECT (unlink->heir));
    }

  fulcrum_ui_save_store (GTK_WIDGET (self), self->store);

  message = g_strdup_printf (_("“%s” unlinked"), label ? label : "");
  fulcrum_ui_show_toast (GTK_WIDGET (self), message);
}

static void
unlink_with_heir (FulcrumAccountsPage  *self,
                  FulcrumLinkedAccount *account,
                  FulcrumLinkedAccount *heir)
{
  fulcrum_secret_store_clear_async (self->secrets,
                                    fulcrum_linked_account_get_profile_id (account),
                                    fulcrum_linked_account_get_id (account),
                                    NULL, unlink_cleared_cb,
                                    account_job_new (self, account, heir));
}

/* Link and Link Again */

static void
replace_response_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     FulcrumAccountsPage *self)
{
  FulcrumLinkedAccount *old = g_object_get_data (G_OBJECT (dialog), "old-account");
  FulcrumLinkedAccount *heir = g_object_get_data (G_OBJECT (dialog), "new-account");

  if (g_str_equal (response, "unlink") && in_store (self, old))
    unlink_with_heir (self, old, heir);
}

static void
offer_replace (FulcrumAccountsPage  *self,
               FulcrumLinkedAccount *old,
               FulcrumLinkedAccount *account)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("“%s” is linked. Unlink “%s”, which can no longer reach Lever, and "
                            "give its label to the new account? Its tokens are removed from "
                            "the keyring."),
                          fulcrum_linked_account_get_label (account),
                          fulcrum_linked_account_get_label (old));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                       _("Unlink the Old Account?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Both"),
                                    "unlink", _("_Unlink Old Account"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "unlink", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "unlink");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data_full (G_OBJECT (dialog), "old-account", g_object_ref (old), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "new-account", g_object_ref (account),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (replace_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
linked_cb (FulcrumLinkDialog    *dialog,
           FulcrumLinkedAccount *account,
           FulcrumAccountsPage  *self)
{
  FulcrumLinkedAccount *old = fulcrum_link_dialog_get_replaces (dialog);
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Linked “%s”"), fulcrum_linked_account_get_label (account));
  fulcrum_ui_show_toast (GTK_WIDGET (self), message);

  if (old != NULL && in_store (self, old))
    offer_replace (self, old, account);
}

static GtkWidget *
open_link_dialog (FulcrumAccountsPage     *self,
                  FulcrumConnectorProfile *profile,
                  FulcrumLinkedAccount    *replaces)
{
  GtkWidget *dialog;

  dialog = fulcrum_link_dialog_new (parent_window (self), self->store, self->secrets, profile,
                                    replaces);
  g_signal_connect_object (dialog, "linked", G_CALLBACK (linked_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

/* Details */

static void
unlink_requested_cb (FulcrumAccountsPage  *self,
                     FulcrumLinkedAccount *account)
{
  fulcrum_accounts_page_unlink_account (self, account);
}

static gboolean
relink_idle_cb (gpointer user_data)
{
  AccountJob *job = user_data;

  if (in_store (job->page, job->account))
    fulcrum_accounts_page_relink_account (job->page, job->account);

  return G_SOURCE_REMOVE;
}

static void
relink_requested_cb (FulcrumAccountsPage  *self,
                     FulcrumLinkedAccount *account)
{
  /* Once the details dialog has gone: one modal dialog at a time. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, relink_idle_cb,
                   account_job_new (self, account, NULL), (GDestroyNotify) account_job_free);
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
  g_clear_object (&self->secrets);
  g_clear_object (&self->tokens);

  G_OBJECT_CLASS (fulcrum_accounts_page_parent_class)->dispose (object);
}

static void
fulcrum_accounts_page_class_init (FulcrumAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_accounts_page_dispose;

  gtk_widget_class_install_action (widget_class, "accounts.details", "s", details_action);
  gtk_widget_class_install_action (widget_class, "accounts.relink", "s", relink_action);

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
fulcrum_accounts_page_set_stores (FulcrumAccountsPage *self,
                                  FulcrumStore        *store,
                                  FulcrumSecretStore  *secrets,
                                  FulcrumTokenManager *tokens)
{
  GListModel *accounts;

  g_return_if_fail (FULCRUM_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (FULCRUM_IS_STORE (store));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));
  g_return_if_fail (FULCRUM_IS_TOKEN_MANAGER (tokens));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  self->tokens = g_object_ref (tokens);

  accounts = fulcrum_store_get_accounts (store);
  gtk_list_box_bind_model (self->list, accounts, create_row_cb, self, NULL);
  g_signal_connect_object (accounts, "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (fulcrum_store_get_profiles (store), "items-changed",
                           G_CALLBACK (profiles_changed_cb), self, G_CONNECT_SWAPPED);
  accounts_changed_cb (self, 0, 0, 0, accounts);
}

GtkWidget *
fulcrum_accounts_page_link_account (FulcrumAccountsPage     *self,
                                    FulcrumConnectorProfile *profile)
{
  g_return_val_if_fail (FULCRUM_IS_ACCOUNTS_PAGE (self), NULL);
  g_return_val_if_fail (!profile || FULCRUM_IS_CONNECTOR_PROFILE (profile), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  return open_link_dialog (self, profile, NULL);
}

GtkWidget *
fulcrum_accounts_page_relink_account (FulcrumAccountsPage  *self,
                                      FulcrumLinkedAccount *account)
{
  FulcrumConnectorProfile *profile;

  g_return_val_if_fail (FULCRUM_IS_ACCOUNTS_PAGE (self), NULL);
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  profile = fulcrum_store_find_profile (self->store,
                                        fulcrum_linked_account_get_profile_id (account));

  return open_link_dialog (self, profile, account);
}

GtkWidget *
fulcrum_accounts_page_show_account (FulcrumAccountsPage  *self,
                                    FulcrumLinkedAccount *account)
{
  GtkWidget *dialog;

  g_return_val_if_fail (FULCRUM_IS_ACCOUNTS_PAGE (self), NULL);
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  dialog = fulcrum_account_dialog_new (parent_window (self), self->store, self->secrets,
                                       self->tokens, account);
  g_signal_connect_object (dialog, "unlink-requested",
                           G_CALLBACK (unlink_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "relink-requested",
                           G_CALLBACK (relink_requested_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

void
fulcrum_accounts_page_unlink_account (FulcrumAccountsPage  *self,
                                      FulcrumLinkedAccount *account)
{
  g_return_if_fail (FULCRUM_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account));
  g_return_if_fail (self->store != NULL);

  unlink_with_heir (self, account, NULL);
}
