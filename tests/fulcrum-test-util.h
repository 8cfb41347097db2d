/* fulcrum-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call first in main(), before g_test_init(): gives the test binary its own temporary
 * XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME, XDG_RUNTIME_DIR and an encrypted libsecret
 * file keyring (SECRET_BACKEND=file), free ports for the built-in simulator and its callback
 * (FULCRUM_SIMULATOR_PORT, FULCRUM_SIMULATOR_REDIRECT_PORT), all under one directory that is removed at exit
 * unless FULCRUM_TEST_KEEP is set. With FULCRUM_TEST_KEYRING=gnome-keyring it starts a real
 * gnome-keyring-daemon on a private session bus instead. Returns that directory. */
const char *fulcrum_test_init_environment (void);
const char *fulcrum_test_get_root         (void);
/* Runs the default main context until *done is TRUE, failing the test after @timeout_ms. */
void        fulcrum_test_wait_for         (gboolean *done,
                                           guint     timeout_ms);
/* A port nobody listens on, for a server the test starts later. It is chosen below the
 * kernel's ephemeral range: there no other test's bind to port 0 or outgoing connection
 * can take it in the meantime, as one can take a port the kernel handed out. */
guint       fulcrum_test_free_port        (void);
/* TRUE if some file below @dir contains @needle (recursively). */
gboolean    fulcrum_test_dir_contains     (const char *dir,
                                           const char *needle,
                                           char      **found_in);

G_END_DECLS
