/* fulcrum-results-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How a run's records read in the table and in exports. Every function here only reads
 * the JSON it is given (no reference is taken or dropped), so export threads may call
 * them on records the window shows at the same time. */

/* Appends @node (or @object) as compact JSON, members in the order Lever sent them. */
void     fulcrum_results_append_json      (GString    *out,
                                           JsonNode   *node);
void     fulcrum_results_append_json_object (GString  *out,
                                             JsonObject *object);
/* What a cell shows for @object's member @key: text as is, numbers, true/false, a
 * timestamp (createdAt, …_at) as a local date and time, lists of plain values joined
 * with commas, anything else as compact JSON; "" for null or a missing member. */
char    *fulcrum_results_dup_cell_text    (JsonObject *object,
                                           const char *key);
/* Whether @key holding @node reads as a Lever timestamp (epoch milliseconds). */
gboolean fulcrum_results_is_timestamp     (const char *key,
                                           JsonNode   *node);
/* "2024-03-05 14:32" in the local time zone. */
char    *fulcrum_results_format_timestamp (gint64      ms);
/* Appends @object's member @key as one CSV field (RFC 4180 quoting): text as is,
 * numbers and timestamps as Lever sent them, nested values as compact JSON. Text a
 * spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first) gets
 * an apostrophe in front: a candidate's name is written by the candidate. */
void     fulcrum_results_append_csv_field (GString    *out,
                                           JsonObject *object,
                                           const char *key);
void     fulcrum_results_append_csv_text  (GString    *out,
                                           const char *text);
/* Orders two records by @key: missing and null first, then numbers, booleans and text. */
int      fulcrum_results_compare          (JsonObject *a,
                                           JsonObject *b,
                                           const char *key);
/* Where a new column for @key goes: identifying keys (id, name, text, title) first. */
gboolean fulcrum_results_is_leading_key   (const char *key);

G_END_DECLS
