/* fulcrum-explorer-window-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export of the Explorer's results: where to (GtkFileChooserNative, which goes through
 * the FileChooser portal in Flatpak), then the write in a worker thread.
 */

#define G_LOG_DOMAIN "fulcrum-explorer"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-explorer-window-private.h"
#include "fulcrum-ui-util.h"

#define FORMAT_KEY "fulcrum-format"

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FulcrumExplorerWindow *self = g_task_get_source_object (task);
  GFile *file = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint64 n_written = 0;

  self->exporting = FALSE;

  if (!fulcrum_results_export_finish (result, &n_written, &error))
    {
      if (!self->disposed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), _("Could not export"), error);
      if (!self->disposed)
        _fulcrum_explorer_window_update_actions (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!self->disposed)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT, n_written);
      g_autofree char *message = NULL;

      /* Translators: "Exported 1,200 records to opportunities.csv" */
      message = g_strdup_printf (ngettext ("Exported %s record to %s", "Exported %s records to %s",
                                           (gulong) MIN (n_written, G_MAXULONG)),
                                 count, name);
      fulcrum_ui_show_toast (GTK_WIDGET (self->toast_overlay), message);
      _fulcrum_explorer_window_update_actions (self);
    }

  g_task_return_int (task, (gssize) n_written);
}

void
fulcrum_explorer_window_export_async (FulcrumExplorerWindow *self,
                                      FulcrumResultsFormat   format,
                                      GFile                 *file,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) both = NULL;
  g_auto(GStrv) columns = NULL;

  g_return_if_fail (FULCRUM_IS_EXPLORER_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_explorer_window_export_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);

  if (self->exporting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("An export is already being written."));
      return;
    }

  /* Closing the window stops the export too; the file is then left as it was. */
  both = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           both, G_CONNECT_SWAPPED);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             both, G_CONNECT_SWAPPED);

  self->exporting = TRUE;
  _fulcrum_explorer_window_update_actions (self);

  columns = fulcrum_results_table_dup_columns (self->results_table);
  fulcrum_results_export_async (fulcrum_results_table_get_records (self->results_table),
                                (const char * const *) columns, format, file, both,
                                exported_cb, g_steal_pointer (&task));
}

gboolean
fulcrum_explorer_window_export_finish (FulcrumExplorerWindow  *self,
                                       GAsyncResult           *result,
                                       guint64                *n_written,
                                       GError                **error)
{
  gssize written;

  g_return_val_if_fail (FULCRUM_IS_EXPLORER_WINDOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fulcrum_explorer_window_export_async, FALSE);

  written = g_task_propagate_int (G_TASK (result), error);
  if (written < 0)
    return FALSE;

  if (n_written != NULL)
    *n_written = (guint64) written;
  return TRUE;
}

static void
chooser_response_cb (GtkNativeDialog       *chooser,
                     int                    response,
                     FulcrumExplorerWindow *self)
{
  FulcrumResultsFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser),
                                                                    FORMAT_KEY));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);

  if (file != NULL)
    fulcrum_explorer_window_export_async (self, format, file, NULL, NULL, NULL);
}

static char *
suggested_name (FulcrumExplorerWindow *self,
                FulcrumResultsFormat   format)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M");
  const char *what = self->run_action ? self->run_action->id : "lever";

  return g_strdup_printf ("%s-%s.%s", what, stamp, fulcrum_results_format_get_extension (format));
}

void
_fulcrum_explorer_window_export_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  FulcrumExplorerWindow *self = FULCRUM_EXPLORER_WINDOW (widget);
  gboolean csv = g_str_equal (g_variant_get_string (param, NULL), "csv");
  FulcrumResultsFormat format = csv ? FULCRUM_RESULTS_FORMAT_CSV : FULCRUM_RESULTS_FORMAT_JSONL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = suggested_name (self, format);

  if (self->chooser != NULL || self->exporting)
    return;

  self->chooser = gtk_file_chooser_native_new (csv ? _("Export as CSV") : _("Export as JSON Lines"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  if (csv)
    {
      gtk_file_filter_set_name (filter, _("CSV"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_suffix (filter, "csv");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("JSON Lines"));
      gtk_file_filter_add_suffix (filter, "jsonl");
      gtk_file_filter_add_suffix (filter, "ndjson");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_object_set_data (G_OBJECT (self->chooser), FORMAT_KEY, GINT_TO_POINTER (format));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
