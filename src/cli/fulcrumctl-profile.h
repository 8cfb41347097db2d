/* fulcrumctl-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "fulcrumctl profile …"; argv[0] is "profile". */
int fulcrumctl_profile_main (int    argc,
                             char **argv);

G_END_DECLS
