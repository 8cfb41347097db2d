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

void fulcrum_accounts_page_set_store (FulcrumAccountsPage *self,
                                      FulcrumStore        *store);

G_END_DECLS
