/* fulcrum-results-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-results"

#include "config.h"

#include "fulcrum-results-record.h"

/* Small on purpose: a run's table holds one of these per record, tens of thousands. */
struct _FulcrumResultsRecord
{
  GObject     parent_instance;

  JsonObject *object;
};

G_DEFINE_FINAL_TYPE (FulcrumResultsRecord, fulcrum_results_record, G_TYPE_OBJECT)

static void
fulcrum_results_record_finalize (GObject *object)
{
  FulcrumResultsRecord *self = FULCRUM_RESULTS_RECORD (object);

  g_clear_pointer (&self->object, json_object_unref);

  G_OBJECT_CLASS (fulcrum_results_record_parent_class)->finalize (object);
}

static void
fulcrum_results_record_class_init (FulcrumResultsRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fulcrum_results_record_finalize;
}

static void
fulcrum_results_record_init (FulcrumResultsRecord *self)
{
}

FulcrumResultsRecord *
fulcrum_results_record_new (JsonObject *object)
{
  FulcrumResultsRecord *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FULCRUM_TYPE_RESULTS_RECORD, NULL);
  self->object = json_object_ref (object);

  return self;
}

FulcrumResultsRecord *
fulcrum_results_record_new_from_node (JsonNode *node)
{
  g_autoptr(JsonObject) wrapper = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  if (JSON_NODE_HOLDS_OBJECT (node))
    return fulcrum_results_record_new (json_node_get_object (node));

  wrapper = json_object_new ();
  json_object_set_member (wrapper, "value", json_node_copy (node));
  return fulcrum_results_record_new (wrapper);
}

JsonObject *
fulcrum_results_record_get_object (FulcrumResultsRecord *self)
{
  g_return_val_if_fail (FULCRUM_IS_RESULTS_RECORD (self), NULL);

  return self->object;
}

const char *
fulcrum_results_record_get_id (FulcrumResultsRecord *self)
{
  static const char * const members[] = { "id", "text" };

  g_return_val_if_fail (FULCRUM_IS_RESULTS_RECORD (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (self->object, members[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
    }

  return NULL;
}
