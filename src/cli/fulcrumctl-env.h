/* fulcrumctl-env.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "fulcrumctl env …"; argv[0] is "env". */
int fulcrumctl_env_main (int    argc,
                         char **argv);

G_END_DECLS
