/* fulcrum-link-dialog-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrum-link-dialog.h"

G_BEGIN_DECLS

/* Opens @uri "in the browser" for the link dialog: gtk_show_uri_full() unless a test
 * replaces it. */
typedef void (*FulcrumLinkUriOpener) (GtkWindow  *parent,
                                      const char *uri,
                                      gpointer    user_data);

/* For the ui tests only: every link dialog's browser step calls @opener instead of
 * gtk_show_uri_full(). NULL restores the real browser. */
void fulcrum_link_dialog_set_uri_opener (FulcrumLinkUriOpener opener,
                                         gpointer             user_data);

G_END_DECLS
