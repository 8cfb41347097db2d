/* fulcrumctl-account-private.h: the account commands that live in files of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrumctl-account.h"

G_BEGIN_DECLS

/* fulcrumctl-account-link.c: "fulcrumctl account link"; argv[0] is "link". */
int fulcrumctl_account_link (int    argc,
                             char **argv);

G_END_DECLS
