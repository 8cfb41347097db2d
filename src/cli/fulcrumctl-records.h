/* fulcrumctl-records.h: the records of a run, streamed to stdout or a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fulcrum-lever-page.h"

G_BEGIN_DECLS

typedef enum
{
  /* A list as one JSON array (one record a line); an action that answers one object,
   * that object. */
  FULCRUMCTL_FORMAT_JSON,
  /* JSON Lines: one record a line. */
  FULCRUMCTL_FORMAT_JSONL,
  /* RFC 4180 CSV of the records' top-level fields. */
  FULCRUMCTL_FORMAT_CSV,
} FulcrumctlFormat;

typedef struct _FulcrumctlRecordWriter FulcrumctlRecordWriter;

gboolean                fulcrumctl_format_from_string        (const char              *text,
                                                              FulcrumctlFormat        *format);

/* Writes to @path (NULL: standard output). A file is written as "@path.partial" and only
 * renamed to @path by fulcrumctl_record_writer_finish(); freeing the writer before that
 * removes the partial file. @single: the action answers one object rather than a list.
 * @columns (CSV only, may be NULL): the header; else the fields of the first page. */
FulcrumctlRecordWriter *fulcrumctl_record_writer_new         (FulcrumctlFormat         format,
                                                              const char              *path,
                                                              gboolean                 single,
                                                              const char * const      *columns,
                                                              GError                 **error);
/* Writes a page's records as they arrive; FALSE on a write error (disk full, …). JSON
 * lists and JSON Lines write each record's text as Lever sent it (on one line). */
gboolean                fulcrumctl_record_writer_add         (FulcrumctlRecordWriter  *self,
                                                              FulcrumLeverPage        *page,
                                                              GError                 **error);
/* Ends the output (the JSON array's bracket), flushes it to disk and renames the file. */
gboolean                fulcrumctl_record_writer_finish      (FulcrumctlRecordWriter  *self,
                                                              GError                 **error);
guint64                 fulcrumctl_record_writer_get_n_records (FulcrumctlRecordWriter *self);
/* CSV: fields that records had and the header did not, so their values were left out;
 * NULL when none. */
char                   *fulcrumctl_record_writer_dup_dropped (FulcrumctlRecordWriter  *self);
void                    fulcrumctl_record_writer_free        (FulcrumctlRecordWriter  *self);

/* Compact JSON of @node, appended to @out; members in their order. */
void                    fulcrumctl_append_json               (GString                 *out,
                                                              JsonNode                *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumctlRecordWriter, fulcrumctl_record_writer_free)

G_END_DECLS
