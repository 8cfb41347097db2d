/* fulcrum-results-record.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FULCRUM_TYPE_RESULTS_RECORD (fulcrum_results_record_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumResultsRecord, fulcrum_results_record, FULCRUM, RESULTS_RECORD, GObject)

/* One record of a run's results, as Lever sent it. The object is never changed after
 * creation, so export threads may read it while the window shows it. */
FulcrumResultsRecord *fulcrum_results_record_new        (JsonObject           *object);
/* A record for any JSON value: objects as they are, anything else as {"value": …}. */
FulcrumResultsRecord *fulcrum_results_record_new_from_node (JsonNode          *node);
JsonObject           *fulcrum_results_record_get_object (FulcrumResultsRecord *self);
/* The record's "id" (or "text" for lookups), or NULL. */
const char           *fulcrum_results_record_get_id     (FulcrumResultsRecord *self);

G_END_DECLS
