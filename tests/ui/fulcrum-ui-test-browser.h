/* fulcrum-ui-test-browser.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The browser's part of a link, played with libsoup on the default main context (the
 * app's loopback listener runs there too, so nothing here blocks). */

/* Opens the simulator's consent page at @authorize_url and sends @decision ("allow" or
 * "deny"). Returns where the simulator redirects the browser (the app's callback, with
 * code and state, or the error). */
char  *ui_browser_consent (const char *authorize_url,
                           const char *decision);
/* GETs @url (the callback) and returns the HTTP status; @body (may be NULL) gets the page. */
guint  ui_browser_get     (const char  *url,
                           char       **body);

G_END_DECLS
