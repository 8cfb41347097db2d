/* fulcrum-ui-test-sim.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrum-core.h"

G_BEGIN_DECLS

/* What the keyring holds, read through a secret store of the test's own. */
char            *ui_lookup_secret         (FulcrumSecretKind        kind,
                                           const char              *profile_id,
                                           const char              *account_id);
/* The account's token set in the keyring, or NULL. */
FulcrumTokenSet *ui_lookup_tokens         (FulcrumLinkedAccount    *account);
/* Makes @profile (of the built-in simulator, which runs in this process) link through
 * 127.0.0.1:@port instead of the default 53682, which other test binaries running at the
 * same time use: the simulator's app learns it as a second registered callback, and the
 * profile is saved with it. */
void             ui_sim_use_redirect_port (FulcrumStore            *store,
                                           FulcrumConnectorProfile *profile,
                                           guint                    port);

G_END_DECLS
