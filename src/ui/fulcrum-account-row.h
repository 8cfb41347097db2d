/* fulcrum-account-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_ACCOUNT_ROW (fulcrum_account_row_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumAccountRow, fulcrum_account_row, FULCRUM, ACCOUNT_ROW, AdwActionRow)

GtkWidget            *fulcrum_account_row_new         (FulcrumStore         *store,
                                                       FulcrumLinkedAccount *account);
FulcrumLinkedAccount *fulcrum_account_row_get_account (FulcrumAccountRow    *self);
/* The pill's text, e.g. "Active". */
const char           *fulcrum_account_row_get_status_text (FulcrumAccountRow *self);

G_END_DECLS
