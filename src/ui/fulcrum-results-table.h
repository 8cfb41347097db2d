/* fulcrum-results-table.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "fulcrum-results-record.h"

G_BEGIN_DECLS

#define FULCRUM_TYPE_RESULTS_TABLE (fulcrum_results_table_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumResultsTable, fulcrum_results_table, FULCRUM, RESULTS_TABLE, GtkWidget)

/* A run's records in a GtkColumnView: one column per top-level member seen so far (id
 * and name/text first), added as pages bring new members; click a header to sort. */
GtkWidget            *fulcrum_results_table_new             (void);
void                  fulcrum_results_table_clear           (FulcrumResultsTable *self);
/* Appends a page of records. Rows are added to the view a few at a time in idle turns
 * (the count and get_records() include them at once). */
void                  fulcrum_results_table_append          (FulcrumResultsTable *self,
                                                             JsonArray           *records);
/* FulcrumResultsRecord items in the order they arrived (the view may sort them); every
 * record appended so far, rows not yet in the view included. */
GListModel           *fulcrum_results_table_get_records     (FulcrumResultsTable *self);
guint                 fulcrum_results_table_get_n_records   (FulcrumResultsTable *self);
/* The members shown, in the columns' current order. Free with g_strfreev(). */
char                **fulcrum_results_table_dup_columns     (FulcrumResultsTable *self);
GtkColumnView        *fulcrum_results_table_get_column_view (FulcrumResultsTable *self);
FulcrumResultsRecord *fulcrum_results_table_get_selected    (FulcrumResultsTable *self);
/* Selects the record at @position of the view (sorted order); GTK_INVALID_LIST_POSITION
 * unselects. */
void                  fulcrum_results_table_select          (FulcrumResultsTable *self,
                                                             guint                position);

G_END_DECLS
