/* fulcrum-explorer-window-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running the Explorer's action: the built-in simulator first when the account is one
 * of its, then the run, page by page into the table, with the progress line.
 */

#define G_LOG_DOMAIN "fulcrum-explorer"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-explorer-window-private.h"
#include "fulcrum-results-record.h"
#include "fulcrum-sim-builtin.h"
#include "fulcrum-ui-util.h"

typedef struct
{
  FulcrumExplorerWindow *self;
  const FulcrumAction   *action;
  GHashTable            *params;
  FulcrumLeverRunFlags   flags;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->self);
  g_clear_pointer (&run->params, g_hash_table_unref);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static char *
format_count (guint64 n)
{
  /* Grouped the locale's way: 1,200 or 1.200 or 1 200. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

/* "1,200 records · 12 pages · 9.8 req/s" */
static char *
format_progress (FulcrumExplorerWindow   *self,
                 const FulcrumLeverStats *stats)
{
  guint64 n_records = fulcrum_results_table_get_n_records (self->results_table);
  guint64 n_pages = self->pages_before + stats->pages;
  g_autofree char *records_count = format_count (n_records);
  g_autofree char *pages_count = format_count (n_pages);
  g_autofree char *records = NULL;
  g_autofree char *pages = NULL;
  double seconds = stats->elapsed_us / (double) G_USEC_PER_SEC;

  records = g_strdup_printf (ngettext ("%s record", "%s records", (gulong) n_records),
                             records_count);
  pages = g_strdup_printf (ngettext ("%s page", "%s pages", (gulong) n_pages), pages_count);

  /* Translators: "<records> · <pages> · <requests per second> req/s" */
  return g_strdup_printf (_("%s · %s · %.1f req/s"), records, pages,
                          seconds > 0 ? stats->requests / seconds : 0.0);
}

void
_fulcrum_explorer_window_set_progress (FulcrumExplorerWindow *self,
              const char            *text)
{
  gtk_label_set_text (self->progress_label, text);
}

void
_fulcrum_explorer_window_show_raw_json (FulcrumExplorerWindow *self)
{
  FulcrumResultsRecord *record = fulcrum_results_table_get_selected (self->results_table);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->raw_view);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  if (record != NULL)
    {
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (root, fulcrum_results_record_get_object (record));
      title = g_strdup (_("Selected Record"));
    }
  else if (self->last_page != NULL)
    {
      guint length = json_array_get_length (self->last_page);

      root = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (root, self->last_page);
      title = g_strdup_printf (ngettext ("Last Page · %u Record", "Last Page · %u Records",
                                         length),
                               length);
    }

  if (root != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
    }

  gtk_label_set_text (self->raw_title, title ? title : _("JSON"));
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
}

/* Runs */

static void
set_empty_state (FulcrumExplorerWindow *self,
                 const char            *title,
                 const char            *description)
{
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
}

static void
finish_run (FulcrumExplorerWindow   *self,
            const FulcrumLeverStats *stats,
            char                    *next_offset,
            const GError            *error)
{
  g_autofree char *progress = NULL;
  g_autofree char *line = NULL;

  self->running = FALSE;
  g_clear_object (&self->run_cancellable);
  g_free (self->next_offset);
  self->next_offset = next_offset;

  if (stats != NULL)
    progress = format_progress (self, stats);

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: "Cancelled · <progress>" */
    line = progress ? g_strdup_printf (_("Cancelled · %s"), progress) : g_strdup (_("Cancelled"));
  else if (error != NULL)
    line = progress ? g_strdup_printf (_("Failed · %s"), progress) : g_strdup (_("Failed"));
  else if (next_offset != NULL)
    line = g_strdup_printf (_("%s · more available"), progress);
  else
    line = g_strdup_printf (_("%s · done in %.1f s"), progress,
                            stats->elapsed_us / (double) G_USEC_PER_SEC);
  _fulcrum_explorer_window_set_progress (self, line);

  if (stats != NULL)
    self->pages_before += stats->pages;

  /* No table to show: the page says why. */
  if (fulcrum_results_table_get_n_records (self->results_table) == 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_empty_state (self, _("Cancelled"), _("The run stopped before the first page came."));
      else if (error != NULL)
        set_empty_state (self, _("No Results"), error->message);
      else
        set_empty_state (self, _("No Records"),
                         _("Lever answered with an empty list. Check the parameters."));
    }

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *context = g_strdup_printf (_("Could not run “%s”"),
                                                  _(self->run_action->title));

      fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), context, error);
    }

  _fulcrum_explorer_window_show_raw_json (self);
  _fulcrum_explorer_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "running");
}

static gboolean
page_cb (FulcrumLeverPage        *page,
         const FulcrumLeverStats *stats,
         gpointer                 user_data)
{
  FulcrumExplorerWindow *self = user_data;
  /* parsed in the worker that read the page */
  JsonArray *records = fulcrum_lever_page_get_records (page);
  g_autofree char *progress = NULL;

  if (self->disposed || self->run_cancellable == NULL ||
      g_cancellable_is_cancelled (self->run_cancellable))
    return FALSE;

  fulcrum_results_table_append (self->results_table, records);
  gtk_stack_set_visible_child_name (self->results_stack, "table");

  g_clear_pointer (&self->last_page, json_array_unref);
  self->last_page = json_array_ref (records);

  progress = format_progress (self, stats);
  _fulcrum_explorer_window_set_progress (self, progress);

  return TRUE;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(FulcrumExplorerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  FulcrumLeverStats stats = { 0 };
  char *next_offset = NULL;

  fulcrum_lever_client_run_action_finish (FULCRUM_LEVER_CLIENT (object), result, &stats,
                                          &next_offset, &error);
  if (self->disposed)
    {
      g_free (next_offset);
      return;
    }

  finish_run (self, &stats, next_offset, error);
}

static void
simulator_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  FulcrumExplorerWindow *self = run->self;
  g_autoptr(GError) error = NULL;

  if (!fulcrum_sim_builtin_ensure_running_finish (result, &error))
    {
      if (!self->disposed)
        finish_run (self, NULL, NULL, error);
      return;
    }

  if (self->disposed)
    return;

  if (self->client == NULL)
    self->client = fulcrum_lever_client_new (self->store, self->tokens, self->account);

  fulcrum_lever_client_run_action_async (self->client, run->action->id, run->params,
                                         run->flags, page_cb, g_object_ref (self),
                                         g_object_unref, self->run_cancellable, run_cb,
                                         g_object_ref (self));
}

static GHashTable *
copy_params (GHashTable *params)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

static FulcrumEnvironment *
account_environment (FulcrumExplorerWindow *self)
{
  return fulcrum_store_find_environment (self->store,
                                         fulcrum_linked_account_get_environment_id (self->account));
}

/* Takes @run. */
static void
begin_run (FulcrumExplorerWindow *self,
           Run                   *run,
           gboolean               more)
{
  g_autoptr(GError) error = NULL;
  FulcrumEnvironment *environment;

  if (self->running || self->disposed)
    {
      run_free (run);
      return;
    }

  if (!more)
    {
      self->run_action = run->action;
      g_clear_pointer (&self->run_params, g_hash_table_unref);
      self->run_params = g_hash_table_ref (run->params);
      g_clear_pointer (&self->next_offset, g_free);
      g_clear_pointer (&self->last_page, json_array_unref);
      self->pages_before = 0;
      fulcrum_results_table_clear (self->results_table);
      set_empty_state (self, _("Waiting for Lever…"), NULL);
      gtk_stack_set_visible_child_name (self->results_stack, "empty");
    }

  self->running = TRUE;
  self->run_cancellable = g_cancellable_new ();
  _fulcrum_explorer_window_set_progress (self, _("Waiting for the first page…"));
  _fulcrum_explorer_window_show_raw_json (self);
  _fulcrum_explorer_window_update_actions (self);
  g_object_notify (G_OBJECT (self), "running");

  environment = account_environment (self);
  if (environment == NULL)
    {
      g_set_error (&error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_NO_ENVIRONMENT,
                   _("The environment this account was linked in no longer exists."));
      finish_run (self, NULL, NULL, error);
      run_free (run);
      return;
    }

  /* The built-in simulator must answer before its account can be used. */
  fulcrum_sim_builtin_ensure_running_async (environment, self->secrets, self->run_cancellable,
                                            simulator_ready_cb, run);
}

static void
confirm_write_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  Run *run = g_object_steal_data (G_OBJECT (dialog), "fulcrum-run");

  if (run == NULL)
    return;

  if (g_str_equal (response, "run"))
    begin_run (run->self, run, FALSE);
  else
    run_free (run);
}

/* Writes change the organization's data (Ctrl+Enter is quick): ask first. */
static gboolean
needs_confirmation (FulcrumExplorerWindow *self,
                    const FulcrumAction   *action)
{
  return (action->flags & FULCRUM_ACTION_FLAG_WRITE) != 0 && account_environment (self) != NULL;
}

static void
confirm_write (FulcrumExplorerWindow *self,
               Run                   *run)
{
  FulcrumEnvironment *environment = account_environment (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: "Run “Add a note”?" */
  heading = g_strdup_printf (_("Run “%s”?"), _(run->action->title));
  /* Translators: "This changes data of <account> in <environment>." */
  body = g_strdup_printf (_("This changes data of “%s” in %s. Lever keeps no undo."),
                          fulcrum_linked_account_get_label (self->account),
                          fulcrum_environment_get_name (environment));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "run", _("_Run"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "run", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "fulcrum-run", run, (GDestroyNotify) run_free);
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_write_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_fulcrum_explorer_window_start_run (FulcrumExplorerWindow *self,
                                    gboolean               more)
{
  g_autoptr(GError) error = NULL;
  Run *run;

  if (self->running)
    return;
  if (!more && (self->action == NULL ||
                !_fulcrum_explorer_window_action_allowed (self, self->action)))
    return;
  if (more && (self->next_offset == NULL || self->run_params == NULL))
    return;

  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);

  if (more)
    {
      /* The next page of the same list: where the last one ended. */
      run->action = self->run_action;
      run->params = copy_params (self->run_params);
      g_hash_table_insert (run->params, g_strdup ("offset"), g_strdup (self->next_offset));
      begin_run (self, run, TRUE);
      return;
    }

  {
    FulcrumConnectorProfile *profile = _fulcrum_explorer_window_get_profile (self);
    const FulcrumAction *action = self->action;
    const char * const *granted = NULL;

    run->action = action;
    run->params = fulcrum_explorer_params_collect (self->params, &error);
    if (profile != NULL)
      granted = _fulcrum_explorer_window_granted_scopes (self, profile);
    /* A parameter may ask for more than the action (confidential records). */
    if (run->params != NULL && granted != NULL &&
        !fulcrum_action_check_param_scopes (action, run->params, granted, &error))
      g_clear_pointer (&run->params, g_hash_table_unref);
    if (run->params == NULL)
      {
        fulcrum_ui_show_error (GTK_WIDGET (self->toast_overlay), NULL, error);
        run_free (run);
        return;
      }

    if ((action->flags & FULCRUM_ACTION_FLAG_PAGINATED) != 0 &&
        gtk_switch_get_active (self->all_pages_switch))
      {
        run->flags |= FULCRUM_LEVER_RUN_ALL_PAGES;
        if ((action->flags & FULCRUM_ACTION_FLAG_PARTITIONABLE) != 0 &&
            gtk_switch_get_active (self->windows_switch))
          run->flags |= FULCRUM_LEVER_RUN_PARTITIONED;
      }

    if (needs_confirmation (self, action))
      confirm_write (self, run);
    else
      begin_run (self, run, FALSE);
  }
}
