/* fulcrum-simulator-group.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_SIMULATOR_GROUP (fulcrum_simulator_group_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumSimulatorGroup, fulcrum_simulator_group, FULCRUM, SIMULATOR_GROUP, AdwPreferencesGroup)

/* The built-in simulator's details: its app credentials, "Create Profile", and its
 * behaviour (rate limit, latency, faults) applied live to the simulator this process runs.
 * Showing the group starts nothing; Start, or changing a switch, starts the simulator. */
void fulcrum_simulator_group_set_stores (FulcrumSimulatorGroup *self,
                                         FulcrumStore          *store,
                                         FulcrumSecretStore    *secrets);
void fulcrum_simulator_group_start      (FulcrumSimulatorGroup *self);

G_END_DECLS
