/* fulcrumctl-sim.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "fulcrumctl sim …"; argv[0] is "sim". */
int fulcrumctl_sim_main (int    argc,
                         char **argv);

G_END_DECLS
