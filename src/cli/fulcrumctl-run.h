/* fulcrumctl-run.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "fulcrumctl run ACCOUNT ACTION …"; argv[0] is "run". */
int fulcrumctl_run_main (int    argc,
                         char **argv);

G_END_DECLS
