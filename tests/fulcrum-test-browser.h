/* fulcrum-test-browser.h: what a person does on Lever's consent page, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Opens the consent page at @authorize_url with @session, answers its form with the form's
 * own hidden fields and @decision ("allow" or "deny"), and returns where the browser is
 * sent (the redirect's Location), without following it. Asserts every step went as a
 * browser would see it. Runs the thread-default main context while it waits, so a server
 * in the same thread keeps answering. */
char *fulcrum_test_answer_consent (SoupSession *session,
                                   const char  *authorize_url,
                                   const char  *decision);

G_END_DECLS
