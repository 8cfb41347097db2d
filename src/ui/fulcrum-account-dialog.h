/* fulcrum-account-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_ACCOUNT_DIALOG (fulcrum_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumAccountDialog, fulcrum_account_dialog, FULCRUM, ACCOUNT_DIALOG, AdwWindow)

/* A linked account's details: status, label (renamed in place), profile, environment,
 * granted scopes, token expiry and last refresh, with Refresh Now, Test Connection and
 * Open Explorer ("win.open-explorer" of @parent, with the account id). Unlink (after a
 * confirmation) and Link Again are left to the owner through "unlink-requested" and
 * "relink-requested" (FulcrumLinkedAccount *); the dialog closes after emitting them, and
 * when the account leaves the store. */
GtkWidget            *fulcrum_account_dialog_new         (GtkWindow            *parent,
                                                          FulcrumStore         *store,
                                                          FulcrumSecretStore   *secrets,
                                                          FulcrumTokenManager  *tokens,
                                                          FulcrumLinkedAccount *account);
FulcrumLinkedAccount *fulcrum_account_dialog_get_account (FulcrumAccountDialog *self);

G_END_DECLS
