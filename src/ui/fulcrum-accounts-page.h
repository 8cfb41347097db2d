/* fulcrum-accounts-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_ACCOUNTS_PAGE (fulcrum_accounts_page_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumAccountsPage, fulcrum_accounts_page, FULCRUM, ACCOUNTS_PAGE, AdwBin)

void       fulcrum_accounts_page_set_stores      (FulcrumAccountsPage     *self,
                                                  FulcrumStore            *store,
                                                  FulcrumSecretStore      *secrets,
                                                  FulcrumTokenManager     *tokens);
/* Opens the link dialog, with @profile (may be NULL) picked. */
GtkWidget *fulcrum_accounts_page_link_account    (FulcrumAccountsPage     *self,
                                                  FulcrumConnectorProfile *profile);
/* "Link Again": a new link through @account's profile; afterwards the user is offered to
 * unlink @account and give its label to the new account. */
GtkWidget *fulcrum_accounts_page_relink_account  (FulcrumAccountsPage     *self,
                                                  FulcrumLinkedAccount    *account);
/* Opens @account's details. */
GtkWidget *fulcrum_accounts_page_show_account    (FulcrumAccountsPage     *self,
                                                  FulcrumLinkedAccount    *account);
/* No confirmation (the caller asked): the account's keyring items are cleared first, then
 * the account is removed and the configuration saved. */
void       fulcrum_accounts_page_unlink_account  (FulcrumAccountsPage     *self,
                                                  FulcrumLinkedAccount    *account);

G_END_DECLS
