/* fulcrumctl-run.c: fulcrumctl run ACCOUNT ACTION
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fulcrumctl-account.h"
#include "fulcrumctl-action.h"
#include "fulcrumctl-records.h"
#include "fulcrumctl-run.h"

/* The progress line is redrawn at most this often. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 4)
/* The most --tries: beyond it, backing off takes many minutes. */
#define MAX_TRIES 20

typedef struct
{
  char     **param_values;
  gboolean   all;
  gboolean   sequential;
  char      *format;
  char      *output;
  char     **column_values;
  int        tries;
} RunOptions;

typedef struct
{
  FulcrumctlRecordWriter *writer;
  GError                 *write_error;
  gboolean                progress;
  gboolean                progress_shown;
  gint64                  progress_us;
} Export;

static void
run_options_clear (RunOptions *options)
{
  g_clear_pointer (&options->param_values, g_strfreev);
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->output, g_free);
  g_clear_pointer (&options->column_values, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunOptions, run_options_clear)

static void
export_clear (Export *export)
{
  g_clear_pointer (&export->writer, fulcrumctl_record_writer_free);
  g_clear_error (&export->write_error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Export, export_clear)

static const char *
account_name (FulcrumLinkedAccount *account)
{
  const char *label = fulcrum_linked_account_get_label (account);

  return label != NULL && *label != '\0' ? label : fulcrum_linked_account_get_id (account);
}

/* Parameters */

/* NAME=VALUE pairs; a list parameter given twice collects both values. */
static GHashTable *
collect_params (const FulcrumAction  *action,
                char                **values,
                GError              **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *equals = strchr (values[i], '=');
      const FulcrumActionParam *param;
      g_autofree char *name = NULL;
      const char *value;
      const char *earlier;

      if (equals == NULL || equals == values[i])
        {
          g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_USAGE,
                       _("--param takes NAME=VALUE, not “%s”"), values[i]);
          return NULL;
        }

      name = g_strndup (values[i], equals - values[i]);
      value = equals + 1;
      param = fulcrum_action_find_param (action, name);
      earlier = g_hash_table_lookup (params, name);

      if (earlier == NULL)
        {
          g_hash_table_insert (params, g_steal_pointer (&name), g_strdup (value));
        }
      else if (param != NULL && param->type == FULCRUM_ACTION_PARAM_STRING_LIST)
        {
          char *joined = g_strconcat (earlier, ",", value, NULL);

          g_hash_table_insert (params, g_steal_pointer (&name), joined);
        }
      else
        {
          g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_USAGE,
                       _("The parameter “%s” is given twice"), name);
          return NULL;
        }
    }

  return g_steal_pointer (&params);
}

/* Errors and exit status */

static int
exit_status_for_run (const GError         *error,
                     FulcrumLinkedAccount *account)
{
  /* What the command line asked for cannot be: fix the command line. */
  if (g_error_matches (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_UNKNOWN) ||
      g_error_matches (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_INVALID_PARAMETER))
    return FULCRUMCTL_EXIT_USAGE;

  /* Bad client credentials mark the account too: then it must be linked again. */
  if (account != NULL &&
      fulcrum_linked_account_get_status (account) == FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK)
    return FULCRUMCTL_EXIT_NEEDS_RELINK;

  return fulcrumctl_account_exit_status (error);
}

static int
report_run_error (const GError         *error,
                  FulcrumLinkedAccount *account)
{
  int status = exit_status_for_run (error, account);

  if (status == FULCRUMCTL_EXIT_USAGE)
    return fulcrumctl_usage_error ("%s", error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("fulcrumctl: %s\n", _("Interrupted"));
  else
    g_printerr ("fulcrumctl: %s\n", error->message);

  return status;
}

/* Progress */

static void
show_progress (Export                  *export,
               const FulcrumLeverStats *stats,
               gboolean                 last)
{
  gint64 now = g_get_monotonic_time ();
  double seconds = MAX (stats->elapsed_us, 1) / (double) G_USEC_PER_SEC;
  g_autofree char *line = NULL;

  if (!last && now - export->progress_us < PROGRESS_INTERVAL_US)
    return;
  export->progress_us = now;

  if (last)
    line = g_strdup_printf (_("%lu records, %lu pages in %.1f s (%.0f records/s)"),
                            (gulong) stats->records, (gulong) stats->pages, seconds,
                            stats->records / seconds);
  else
    line = g_strdup_printf (_("%lu records, %lu pages, %.0f records/s"),
                            (gulong) stats->records, (gulong) stats->pages,
                            stats->records / seconds);

  /* Redraws the line in place: carriage return, then erase to its end. */
  g_printerr ("\r\033[Kfulcrumctl: %s%s", line, last ? "\n" : "");
  export->progress_shown = !last;
}

static gboolean
page_cb (FulcrumLeverPage        *page,
         const FulcrumLeverStats *stats,
         gpointer                 user_data)
{
  Export *export = user_data;

  if (!fulcrumctl_record_writer_add (export->writer, page, &export->write_error))
    return FALSE;

  if (export->progress)
    show_progress (export, stats, FALSE);

  return TRUE;
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

/* The run */

static gboolean
run_action (FulcrumStore          *store,
            FulcrumLinkedAccount  *account,
            const FulcrumAction   *action,
            GHashTable            *params,
            FulcrumLeverRunFlags   flags,
            int                    tries,
            Export                *export,
            FulcrumLeverStats     *stats,
            char                 **next_offset,
            GError               **error)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(FulcrumTokenManager) tokens = NULL;
  g_autoptr(FulcrumLeverClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  FulcrumEnvironment *environment;
  const char *environment_id;
  guint sigint_id, sigterm_id;
  gboolean ok;

  environment_id = fulcrum_linked_account_get_environment_id (account);
  environment = fulcrum_store_find_environment (store, environment_id);
  if (!fulcrumctl_ensure_simulator (environment, secrets, error))
    return FALSE;

  tokens = fulcrum_token_manager_new (store, secrets);
  client = fulcrum_lever_client_new (store, tokens, account);
  if (tries > 0)
    fulcrum_lever_client_set_retry_policy (client, tries, FULCRUM_LEVER_DEFAULT_BASE_DELAY_MS,
                                           FULCRUM_LEVER_DEFAULT_MAX_DELAY_MS);

  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);

  fulcrum_lever_client_run_action_async (client, action->id, params, flags, page_cb, export,
                                         NULL, cancellable, fulcrumctl_async_result_cb,
                                         &result);
  fulcrumctl_wait_for_result (&result);
  ok = fulcrum_lever_client_run_action_finish (client, result, stats, next_offset, error);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  /* The account's last use (and any new token expiry) on disk before the process ends:
   * the client's own save is asynchronous, and a later save always wins. */
  g_clear_object (&client);
  fulcrum_store_save_async (store, NULL, fulcrumctl_async_result_cb, &saved);
  fulcrumctl_wait_for_result (&saved);
  if (!fulcrum_store_save_finish (store, saved, NULL))
    g_debug ("Could not save the account’s last use");

  fulcrumctl_stop_simulator ();

  return ok;
}

static int
run_command (const char *account_arg,
             const char *action_arg,
             RunOptions *options)
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(FulcrumActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) columns = NULL;
  g_auto(Export) export = { 0 };
  g_autofree char *next_offset = NULL;
  g_autofree char *dropped = NULL;
  FulcrumConnectorProfile *profile;
  FulcrumLeverStats stats = { 0 };
  FulcrumLeverRunFlags flags = FULCRUM_LEVER_RUN_NONE;
  FulcrumctlFormat format = FULCRUMCTL_FORMAT_JSON;
  const FulcrumAction *action;
  const char * const *granted;
  gboolean single;

  /* The command line first: nothing is started for a run that cannot be. */
  if (options->format != NULL && !fulcrumctl_format_from_string (options->format, &format))
    return fulcrumctl_usage_error (_("--format must be json, jsonl or csv, not “%s”"),
                                  options->format);
  if (options->column_values != NULL && format != FULCRUMCTL_FORMAT_CSV)
    return fulcrumctl_usage_error (_("--columns goes with --format csv"));
  if (options->sequential && !options->all)
    return fulcrumctl_usage_error (_("--sequential goes with --all"));
  if (options->output != NULL && *options->output == '\0')
    return fulcrumctl_usage_error (_("--output needs a file name"));
  if (options->tries != -1 && (options->tries < 1 || options->tries > MAX_TRIES))
    return fulcrumctl_usage_error (_("--tries must be from 1 to %d"), MAX_TRIES);

  if (!(action = fulcrumctl_lookup_action (action_arg, &error)) ||
      !(params = collect_params (action, options->param_values, &error)) ||
      !(request = fulcrum_action_build_request (action, params, &error)))
    return fulcrumctl_usage_error ("%s", error->message);

  columns = fulcrumctl_collect_scopes (options->column_values);
  if (columns != NULL && columns[0] == NULL)
    return fulcrumctl_usage_error (_("--columns needs at least one field name"));

  if (options->all)
    flags = options->sequential ? FULCRUM_LEVER_RUN_ALL_PAGES
                                : FULCRUM_LEVER_RUN_ALL_PAGES | FULCRUM_LEVER_RUN_PARTITIONED;
  /* JSON and JSON Lines write records as they came: no tree of each is needed */
  if (format != FULCRUMCTL_FORMAT_CSV)
    flags |= FULCRUM_LEVER_RUN_RECORD_TEXT;

  /* For writing: a refreshed token's expiry and the last use go to the config. */
  if (!(store = fulcrumctl_open_store (TRUE, &error)) ||
      !(account = fulcrumctl_find_account (store, account_arg, &error)))
    return fulcrumctl_report_error (error);

  profile = fulcrum_store_find_profile (store, fulcrum_linked_account_get_profile_id (account));
  if (profile == NULL)
    {
      g_set_error (&error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_NOT_FOUND,
                   _("The connector profile “%s” of the account “%s” no longer exists"),
                   fulcrum_linked_account_get_profile_id (account), account_name (account));
      return fulcrumctl_report_error (error);
    }

  /* Not enabled, or a scope not granted: said before any request, or any output file. */
  granted = fulcrum_linked_account_get_granted_scopes (account);
  if (granted == NULL || granted[0] == NULL)
    granted = fulcrum_connector_profile_get_scopes (profile);
  if (!fulcrum_action_check_allowed (action, profile, account, &error) ||
      !fulcrum_action_check_param_scopes (action, params, granted, &error))
    return report_run_error (error, NULL);

  single = !(action->flags & FULCRUM_ACTION_FLAG_PAGINATED);
  export.writer = fulcrumctl_record_writer_new (format, options->output, single,
                                                (const char * const *) columns, &error);
  if (export.writer == NULL)
    return fulcrumctl_report_error (error);
  export.progress = isatty (STDERR_FILENO);

  if (!run_action (store, account, action, params, flags, options->tries, &export, &stats,
                   &next_offset, &error) ||
      (error = g_steal_pointer (&export.write_error)) != NULL ||
      !fulcrumctl_record_writer_finish (export.writer, &error))
    {
      int status;

      if (export.progress_shown)
        g_printerr ("\n");
      status = report_run_error (error, account);
      if (options->output != NULL && !g_str_equal (options->output, "-"))
        g_printerr (ngettext ("fulcrumctl: %s was not written; %lu record had been fetched.\n",
                              "fulcrumctl: %s was not written; %lu records had been fetched.\n",
                              (gulong) stats.records),
                    options->output, (gulong) stats.records);
      /* The writer goes with export: its partial file with it. */
      return status;
    }

  if (export.progress)
    show_progress (&export, &stats, TRUE);

  if ((dropped = fulcrumctl_record_writer_dup_dropped (export.writer)) != NULL)
    fulcrumctl_warning (_("Some records had fields that the first page did not, and the CSV "
                          "leaves them out: %s. Name every column with --columns to keep "
                          "them."),
                        dropped);

  if (next_offset != NULL)
    fulcrumctl_note (_("More records follow. Add --all to read them all, or "
                       "--param offset=%s for the next page."),
                     next_offset);

  return FULCRUMCTL_EXIT_OK;
}

int
fulcrumctl_run_main (int    argc,
                     char **argv)
{
  g_auto(RunOptions) options = { .tries = -1 };
  int status;
  const GOptionEntry entries[] = {
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &options.param_values,
      N_("A parameter of the action (see “fulcrumctl action show ACTION”); repeat it for "
         "each"), N_("NAME=VALUE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &options.all,
      N_("Read every page of a list, several time windows at once where the list allows"),
      NULL },
    { "sequential", 0, 0, G_OPTION_ARG_NONE, &options.sequential,
      N_("With --all: follow the pages one after another, in Lever’s order"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format,
      N_("json (default), jsonl or csv"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output,
      N_("Write to FILE instead of standard output; FILE appears only when the run "
         "succeeded"), N_("FILE") },
    { "tries", 0, 0, G_OPTION_ARG_INT, &options.tries,
      N_("How often a request is tried before the run fails (default: 6)"), N_("N") },
    { "columns", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.column_values,
      N_("CSV: the fields to write, in order (default: those of the first page)"),
      N_("NAME,…") },
    { NULL }
  };

  g_set_prgname ("fulcrumctl run");

  if (!fulcrumctl_parse_options (N_("ACCOUNT ACTION"),
                                 N_("Runs a Lever action against a linked account and writes "
                                    "what Lever answers."),
                                 N_("ACCOUNT is a linked account’s id or label; ACTION an id "
                                    "from “fulcrumctl action list”. Without --all a list "
                                    "answers one page (a note on stderr says how to go on). "
                                    "With --all the time windows of a list are read at once "
                                    "under the account’s rate limit, so records come in no "
                                    "particular order; each record comes once.\n\n"
                                    "Formats: json writes a list as one JSON array (one record "
                                    "a line), and an action that answers one object (a get, a "
                                    "write) as that object; jsonl writes one record a line; "
                                    "csv (RFC 4180, CRLF line ends) writes one row a record, "
                                    "one column a top-level field: text as is, numbers and "
                                    "booleans as in JSON, objects and arrays as compact JSON, "
                                    "null or missing as an empty cell. The header is every "
                                    "field of the first page, in the order they appear, "
                                    "unless --columns names them; fields that only later "
                                    "records have are left out with a warning. Records are "
                                    "written as the pages arrive.\n\n"
                                    "With --output, the records go to FILE.partial, renamed to "
                                    "FILE when the run succeeded; when it fails, FILE.partial "
                                    "is removed and the message says how many records had been "
                                    "fetched.\n\n"
                                    "Exit status: 0 done, 1 failed (the message says why, e.g. "
                                    "the action is not enabled or a scope was not granted), 2 "
                                    "usage error (unknown action, bad or missing parameter), 3 "
                                    "the account must be linked again."),
                                 entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return fulcrumctl_usage_error (_("Which account? Give its id or label, then the action"));
  if (argc < 3)
    return fulcrumctl_usage_error (_("Which action? Give its id after the account (see "
                                     "“fulcrumctl action list”)"));
  if (argc > 3)
    return fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[3]);

  return run_command (argv[1], argv[2], &options);
}
