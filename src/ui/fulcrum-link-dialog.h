/* fulcrum-link-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_LINK_DIALOG (fulcrum_link_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumLinkDialog, fulcrum_link_dialog, FULCRUM, LINK_DIALOG, AdwWindow)

/* "Link Account…": pick a connector profile (@profile preselected, may be NULL) and an
 * optional label, then the waiting page while the browser is at Lever's consent page
 * (Cancel, Open Browser Again, Paste Redirect URL). @replaces (may be NULL) is the account
 * this link is meant to replace ("Link Again"); the dialog only carries it to the "linked"
 * signal's handler. Emits "linked" (FulcrumLinkedAccount *) when the account is stored,
 * then closes. Closing it before cancels the link. */
GtkWidget            *fulcrum_link_dialog_new          (GtkWindow               *parent,
                                                        FulcrumStore            *store,
                                                        FulcrumSecretStore      *secrets,
                                                        FulcrumConnectorProfile *profile,
                                                        FulcrumLinkedAccount    *replaces);
FulcrumLinkedAccount *fulcrum_link_dialog_get_replaces (FulcrumLinkDialog       *self);

G_END_DECLS
