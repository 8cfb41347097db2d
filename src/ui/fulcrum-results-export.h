/* fulcrum-results-export.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  /* One record per line, as compact JSON (https://jsonlines.org). */
  FULCRUM_RESULTS_FORMAT_JSONL,
  /* RFC 4180: a header row of the columns, then one row per record. */
  FULCRUM_RESULTS_FORMAT_CSV,
} FulcrumResultsFormat;

const char *fulcrum_results_format_get_extension (FulcrumResultsFormat format);

/* Writes @records (FulcrumResultsRecord items, read now) to @file in a worker thread:
 * first to "FILE.partial" next to it, then renamed over @file, so that @file is either
 * the complete export or what it was before. @columns (CSV only) are the members to
 * write, in order. Errors say which file could not be written, in the user's words. */
void        fulcrum_results_export_async         (GListModel           *records,
                                                  const char * const   *columns,
                                                  FulcrumResultsFormat  format,
                                                  GFile                *file,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* @n_written (may be NULL) receives the number of records written. */
gboolean    fulcrum_results_export_finish        (GAsyncResult         *result,
                                                  guint64              *n_written,
                                                  GError              **error);

G_END_DECLS
