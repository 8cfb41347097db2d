/* fulcrumctl-action.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrumctl-util.h"

G_BEGIN_DECLS

/* "fulcrumctl action …"; argv[0] is "action". */
int                  fulcrumctl_action_main          (int                  argc,
                                                      char               **argv);

/* The catalogue's action @id, or a usage error (exit status 2) naming it. */
const FulcrumAction *fulcrumctl_lookup_action        (const char          *id,
                                                      GError             **error);

/* Splits repeated --action values, each of which may hold several ids separated by spaces
 * or commas, and checks every id against the catalogue (a usage error names the first
 * unknown one). */
char               **fulcrumctl_collect_action_ids   (char               **values,
                                                      GError             **error);

/* Enables exactly @ids on @profile, or with @ids NULL every action its scopes cover; notes
 * on stderr the chosen actions that its scopes do not cover. */
void                 fulcrumctl_set_enabled_actions  (FulcrumConnectorProfile *profile,
                                                      const char * const  *ids);

G_END_DECLS
