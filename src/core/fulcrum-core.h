/* fulcrum-core.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrum-actions.h"
#include "fulcrum-connector-profile.h"
#include "fulcrum-environment.h"
#include "fulcrum-lever-client.h"
#include "fulcrum-linked-account.h"
#include "fulcrum-oauth-flow.h"
#include "fulcrum-rate-limiter.h"
#include "fulcrum-scopes.h"
#include "fulcrum-secret-store.h"
#include "fulcrum-store.h"
#include "fulcrum-token-manager.h"
#include "fulcrum-token-set.h"
