/* fulcrum-results-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-results"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-results-export.h"
#include "fulcrum-results-format.h"
#include "fulcrum-results-record.h"

#define BUFFER_SIZE (256 * 1024)

typedef struct
{
  /* FulcrumResultsRecord*: taken and released on the caller's thread only, since a
   * record's last reference must not go away in the worker (JsonObject's reference count
   * is not atomic). The worker only reads the records. */
  GPtrArray            *records;
  GStrv                 columns;
  FulcrumResultsFormat  format;
  GFile                *file;
  guint64               n_written;
} Export;

static void
export_free (Export *export)
{
  g_clear_pointer (&export->records, g_ptr_array_unref);
  g_clear_pointer (&export->columns, g_strfreev);
  g_clear_object (&export->file);
  g_free (export);
}

const char *
fulcrum_results_format_get_extension (FulcrumResultsFormat format)
{
  switch (format)
    {
    case FULCRUM_RESULTS_FORMAT_CSV:
      return "csv";
    case FULCRUM_RESULTS_FORMAT_JSONL:
    default:
      return "jsonl";
    }
}

static void
append_record (Export               *export,
               GString              *line,
               FulcrumResultsRecord *record)
{
  JsonObject *object = fulcrum_results_record_get_object (record);

  if (export->format == FULCRUM_RESULTS_FORMAT_CSV)
    {
      for (guint i = 0; export->columns[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (line, ',');
          fulcrum_results_append_csv_field (line, object, export->columns[i]);
        }
      g_string_append (line, "\r\n");
    }
  else
    {
      fulcrum_results_append_json_object (line, object);
      g_string_append_c (line, '\n');
    }
}

static gboolean
write_records (Export         *export,
               GOutputStream  *out,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(GString) chunk = g_string_sized_new (BUFFER_SIZE + 4096);

  if (export->format == FULCRUM_RESULTS_FORMAT_CSV)
    {
      for (guint i = 0; export->columns[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (chunk, ',');
          fulcrum_results_append_csv_text (chunk, export->columns[i]);
        }
      g_string_append (chunk, "\r\n");
    }

  for (guint i = 0; i < export->records->len; i++)
    {
      append_record (export, chunk, g_ptr_array_index (export->records, i));
      export->n_written++;

      if (chunk->len >= BUFFER_SIZE)
        {
          if (!g_output_stream_write_all (out, chunk->str, chunk->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (chunk, 0);
        }
    }

  return g_output_stream_write_all (out, chunk->str, chunk->len, NULL, cancellable, error);
}

static GFile *
partial_file_for (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = g_strconcat (basename, ".partial", NULL);

  return parent ? g_file_get_child (parent, name) : g_file_new_for_path (name);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  g_autoptr(GFile) partial = partial_file_for (export->file);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (export->file);

  /* Exports hold people's personal data: readable by the user only, like the config. */
  out = g_file_replace (partial, NULL, FALSE,
                        G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE, cancellable,
                        &error);
  if (out == NULL)
    goto failed;

  if (!write_records (export, G_OUTPUT_STREAM (out), cancellable, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    goto failed;

  if (!g_file_move (partial, export->file, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL,
                    &error))
    goto failed;

  g_task_return_boolean (task, TRUE);
  return;

failed:
  if (out != NULL && !g_output_stream_is_closed (G_OUTPUT_STREAM (out)))
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
  g_file_delete (partial, NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, error->domain, error->code,
                             /* Translators: "Could not write <file>: <why>" */
                             _("Could not write “%s”: %s"), name, error->message);
}

/* Back on the caller's thread: the records are released here, not in the worker. */
static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Export *export = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  g_clear_pointer (&export->records, g_ptr_array_unref);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) export->n_written);
}

void
fulcrum_results_export_async (GListModel           *records,
                              const char * const   *columns,
                              FulcrumResultsFormat  format,
                              GFile                *file,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  Export *export;
  guint n_items;

  g_return_if_fail (G_IS_LIST_MODEL (records));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (format != FULCRUM_RESULTS_FORMAT_CSV || columns != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_results_export_async);

  n_items = g_list_model_get_n_items (records);
  export = g_new0 (Export, 1);
  export->records = g_ptr_array_new_full (n_items, g_object_unref);
  for (guint i = 0; i < n_items; i++)
    {
      FulcrumResultsRecord *record = g_list_model_get_item (records, i);

      g_assert (FULCRUM_IS_RESULTS_RECORD (record));
      g_ptr_array_add (export->records, record);
    }
  export->columns = g_strdupv ((char **) columns);
  export->format = format;
  export->file = g_object_ref (file);

  worker = g_task_new (NULL, cancellable, export_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, export_thread);
  g_task_set_task_data (worker, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (worker, export_thread);
}

gboolean
fulcrum_results_export_finish (GAsyncResult  *result,
                               guint64       *n_written,
                               GError       **error)
{
  gssize written;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_results_export_async,
                        FALSE);

  written = g_task_propagate_int (G_TASK (result), error);
  if (written < 0)
    return FALSE;

  if (n_written != NULL)
    *n_written = (guint64) written;
  return TRUE;
}
