/* test-explorer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Explorer and the profile's action choice, against the built-in simulator on a free
 * port: an account linked through the simulator's OAuth (the browser played by libsoup),
 * the actions it may and may not run, parameters checked before a run, one page then
 * every page (in one chain and in time windows) into the table, the raw JSON view,
 * Cancel, export to JSON Lines and CSV read back, and the Actions group of the profile
 * editor saving enabled_actions. Screenshots go into the build directory.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "fulcrum-actions-editor.h"
#include "fulcrum-application.h"
#include "fulcrum-core.h"
#include "fulcrum-explorer-params.h"
#include "fulcrum-explorer-window.h"
#include "fulcrum-profile-editor.h"
#include "fulcrum-results-format.h"
#include "fulcrum-results-record.h"
#include "fulcrum-results-table.h"
#include "fulcrum-scopes-editor.h"
#include "fulcrum-sim-builtin.h"
#include "fulcrum-test-util.h"
#include "fulcrum-ui-test-browser.h"
#include "fulcrum-ui-test-util.h"
#include "fulcrum-window.h"

/* Enough for a dozen pages of 100, quick under ASan. */
#define N_OPPORTUNITIES 1234
#define ACCOUNT_LABEL "Acme Explorer"
/* Without opportunities:write:admin or tags:read:admin: the actions that need them must
 * show up disabled, naming the scope. notes:write:admin lets the test write a note. */
static const char * const account_scopes[] = {
  "offline_access", "users:read:admin", "opportunities:read:admin", "postings:read:admin",
  "notes:write:admin", "confidential:access:admin", NULL
};

static FulcrumApplication *app;
static FulcrumWindow *window;
static FulcrumExplorerWindow *explorer;
static FulcrumLinkedAccount *account;
static guint redirect_port;

/* Helpers */

static FulcrumStore *
store (void)
{
  return fulcrum_application_get_store (app);
}

static FulcrumSecretStore *
secrets (void)
{
  return fulcrum_application_get_secret_store (app);
}

static FulcrumSimServer *
sim (void)
{
  return fulcrum_sim_builtin_get_server ();
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static GAsyncResult *
wait_for_result (Wait *wait)
{
  fulcrum_test_wait_for (&wait->done, WAIT_MS);
  return wait->result;
}

static gpointer
explorer_child (const char *name)
{
  return ui_template_child (explorer, FULCRUM_TYPE_EXPLORER_WINDOW, name);
}

static FulcrumExplorerParams *
params (void)
{
  return explorer_child ("params");
}

static GtkListBoxRow *
action_row (const char *action_id)
{
  GtkListBox *list = explorer_child ("action_list");

  for (guint i = 0; i < ui_list_box_n_rows (list); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), action_id) == 0)
        return row;
    }

  g_assert_not_reached ();
}

static const char *
subtitle (gpointer row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
not_running (gpointer user_data)
{
  return !fulcrum_explorer_window_get_running (user_data);
}

static gboolean
has_records (gpointer user_data)
{
  return g_list_model_get_n_items (fulcrum_explorer_window_get_records (explorer)) > 0;
}

static void
run_and_wait (void)
{
  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.run", NULL);
  g_assert_true (fulcrum_explorer_window_get_running (explorer));
  ui_wait_until (not_running, explorer);
}

static guint
n_records (void)
{
  return g_list_model_get_n_items (fulcrum_explorer_window_get_records (explorer));
}

/* What the column view shows, sorted or not. */
static guint
n_rows_in_view (void)
{
  FulcrumResultsTable *table = explorer_child ("results_table");
  GtkColumnView *view = fulcrum_results_table_get_column_view (table);

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

static const char *
progress_text (void)
{
  return gtk_label_get_text (explorer_child ("progress_label"));
}

static char *
raw_text (void)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (explorer_child ("raw_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static FulcrumResultsRecord *
record_at (guint position)
{
  return g_list_model_get_item (fulcrum_explorer_window_get_records (explorer), position);
}

/* Every record once: no id twice. */
static void
assert_unique_ids (void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_records (); i++)
    {
      g_autoptr(FulcrumResultsRecord) record = record_at (i);
      const char *id = fulcrum_results_record_get_id (record);

      g_assert_nonnull (id);
      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer) id);
    }
}

static char *
grouped (guint64 n)
{
  /* The count the way the window prints it, in this locale. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

static void
list_opportunities (const char *all_pages,
                    gboolean    windows)
{
  g_assert_true (fulcrum_explorer_window_select_action (explorer, "lever_list_opportunities"));
  fulcrum_explorer_params_set_value (params (), "confidentiality", "all");
  fulcrum_explorer_params_set_value (params (), "limit", "100");
  gtk_switch_set_active (explorer_child ("all_pages_switch"), all_pages != NULL);
  gtk_switch_set_active (explorer_child ("windows_switch"), windows);
}

/* Linking, the quick way: the simulator's OAuth, with libsoup as the browser */

static void
use_test_redirect (FulcrumConnectorProfile *profile)
{
  Wait wait = { 0 };
  g_autofree char *secret = NULL;
  g_autofree char *default_uri = fulcrum_sim_builtin_dup_redirect_uri ();
  g_autofree char *test_uri = g_strdup_printf ("http://127.0.0.1:%u/callback/simulator",
                                               redirect_port);
  const char *uris[] = { default_uri, test_uri, NULL };
  g_autoptr(GError) error = NULL;

  /* Other test binaries may listen on the default port at the same time. */
  fulcrum_sim_builtin_get_secret_async (secrets (), NULL, wait_cb, &wait);
  secret = fulcrum_sim_builtin_get_secret_finish (wait_for_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  fulcrum_sim_server_add_app (sim (), FULCRUM_SIM_BUILTIN_CLIENT_ID, secret, uris, NULL);
  fulcrum_secret_free (g_steal_pointer (&secret));

  fulcrum_connector_profile_set_redirect_uri (profile, test_uri);
}

static void
test_link (void)
{
  FulcrumEnvironment *environment =
    fulcrum_store_find_environment (store (), FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(FulcrumOAuthFlow) flow = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *callback = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  fulcrum_sim_builtin_ensure_running_async (environment, secrets (), NULL, wait_cb, &wait);
  g_assert_true (fulcrum_sim_builtin_ensure_running_finish (wait_for_result (&wait), &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  wait.done = FALSE;

  /* Lever's speed is not what this test measures; its rate limit stays. */
  fulcrum_sim_server_set_latency (sim (), 0, 0.0);
  fulcrum_sim_server_set_n_opportunities (sim (), N_OPPORTUNITIES);

  fulcrum_sim_builtin_create_profile_async (store (), secrets (), "Simulator", NULL, wait_cb,
                                            &wait);
  profile = fulcrum_sim_builtin_create_profile_finish (wait_for_result (&wait), &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  wait.done = FALSE;

  g_assert_true (fulcrum_connector_profile_set_scopes (profile, account_scopes, &error));
  g_assert_no_error (error);
  use_test_redirect (profile);
  fulcrum_store_item_changed (store (), G_OBJECT (profile));
  g_assert_true (fulcrum_store_save (store (), &error));
  g_assert_no_error (error);

  fulcrum_sim_builtin_get_secret_async (secrets (), NULL, wait_cb, &wait);
  secret = fulcrum_sim_builtin_get_secret_finish (wait_for_result (&wait), &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  wait.done = FALSE;

  flow = fulcrum_oauth_flow_new (environment, profile, secret);
  g_assert_true (fulcrum_oauth_flow_start (flow, &error));
  g_assert_no_error (error);
  fulcrum_oauth_flow_link_account_async (flow, store (), secrets (), ACCOUNT_LABEL, NULL, wait_cb,
                                         &wait);

  callback = ui_browser_consent (fulcrum_oauth_flow_get_authorize_url (flow), "allow");
  g_assert_true (g_str_has_prefix (callback, "http://127.0.0.1:"));
  g_assert_cmpuint (ui_browser_get (callback, NULL), ==, 200);

  account = fulcrum_oauth_flow_link_account_finish (flow, wait_for_result (&wait), &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_clear_object (&wait.result);
  g_object_unref (account); /* the store keeps it */
  g_assert_true (fulcrum_store_find_account (store (), ACCOUNT_LABEL) == account);
  g_assert_false (g_strv_contains (fulcrum_linked_account_get_granted_scopes (account),
                                   "opportunities:write:admin"));
}

/* Tests */

static guint
n_explorers (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      n += FULCRUM_IS_EXPLORER_WINDOW (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel));
    }

  return n;
}

static void
test_open (void)
{
  AdwWindowTitle *title;
  g_autoptr(GtkWindow) again = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (window), "open-explorer",
                                  g_variant_new_string (fulcrum_linked_account_get_id (account)));
  explorer = FULCRUM_EXPLORER_WINDOW (ui_wait_for_window (FULCRUM_TYPE_EXPLORER_WINDOW));
  g_assert_true (fulcrum_explorer_window_get_account (explorer) == account);
  gtk_window_set_default_size (GTK_WINDOW (explorer), 1280, 800);

  title = explorer_child ("window_title");
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (title), ACCOUNT_LABEL));
  /* Opened on the list the account may read. */
  g_assert_cmpstr (fulcrum_explorer_window_get_action (explorer)->id, ==,
                   "lever_list_opportunities");
  g_assert_cmpstr (progress_text (), ==, "Not run yet");

  /* One Explorer per account: asking again brings the same one forward. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-explorer",
                                  g_variant_new_string (fulcrum_linked_account_get_id (account)));
  ui_iterate ();
  again = ui_wait_for_window (FULCRUM_TYPE_EXPLORER_WINDOW);
  g_assert_true (again == GTK_WINDOW (explorer));
  g_assert_cmpuint (n_explorers (), ==, 1);
  ui_wait_for_frames (GTK_WIDGET (explorer));
}

static void
test_gating (void)
{
  GtkListBoxRow *create = action_row ("lever_create_opportunity");
  GtkListBoxRow *list = action_row ("lever_list_opportunities");
  GtkListBoxRow *tags_list = action_row ("lever_list_tags");

  /* Actions needing a scope the account lacks: shown, disabled, with the scope named. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (create)));
  g_assert_nonnull (strstr (subtitle (create), "opportunities:write:admin"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (create)), ACCOUNT_LABEL));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (tags_list)));
  g_assert_nonnull (strstr (subtitle (tags_list), "tags:read:admin"));

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (list)));
  g_assert_cmpstr (subtitle (list), ==, "GET /opportunities");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (action_row ("lever_create_note"))));
  g_assert_true (gtk_widget_is_sensitive (explorer_child ("run_button")));

  /* Picked anyway (e.g. by a script), it cannot run, and the form says why. */
  g_assert_true (fulcrum_explorer_window_select_action (explorer, "lever_create_opportunity"));
  g_assert_true (gtk_widget_get_visible (explorer_child ("gating_label")));
  g_assert_nonnull (strstr (gtk_label_get_text (explorer_child ("gating_label")),
                            "opportunities:write:admin"));
  g_assert_false (gtk_widget_is_sensitive (explorer_child ("run_button")));
  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.run", NULL);
  g_assert_false (fulcrum_explorer_window_get_running (explorer));
}

static void
test_validation (void)
{
  GtkWidget *id_row;
  GtkWidget *limit_row;
  GtkWidget *date_row;
  guint before = n_records ();

  /* A required parameter left empty: no run, the row marked. */
  g_assert_true (fulcrum_explorer_window_select_action (explorer, "lever_get_opportunity"));
  id_row = fulcrum_explorer_params_get_row (params (), "id");
  g_assert_true (ADW_IS_ENTRY_ROW (id_row));
  g_assert_false (gtk_widget_has_css_class (id_row, "error"));
  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.run", NULL);
  g_assert_false (fulcrum_explorer_window_get_running (explorer));
  g_assert_true (gtk_widget_has_css_class (id_row, "error"));
  /* The last run's records stay. */
  g_assert_cmpuint (n_records (), ==, before);
  /* Typing clears the mark. */
  ui_set_text (id_row, "x");
  g_assert_false (gtk_widget_has_css_class (id_row, "error"));

  /* A value not of its type: limit is 1 to 100. */
  list_opportunities (NULL, FALSE);
  limit_row = fulcrum_explorer_params_get_row (params (), "limit");
  ui_set_text (limit_row, "500");
  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.run", NULL);
  g_assert_false (fulcrum_explorer_window_get_running (explorer));
  g_assert_true (gtk_widget_has_css_class (limit_row, "error"));

  /* Booleans are switches, and an optional one can be left out. */
  g_assert_true (ADW_IS_ACTION_ROW (fulcrum_explorer_params_get_row (params (), "archived")));
  g_assert_true (ADW_IS_COMBO_ROW (fulcrum_explorer_params_get_row (params (), "confidentiality")));
  date_row = fulcrum_explorer_params_get_row (params (), "created_at_start");
  g_assert_true (ADW_IS_ENTRY_ROW (date_row));
  ui_set_text (date_row, "yesterday");
  ui_set_text (limit_row, "100");
  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.run", NULL);
  g_assert_false (fulcrum_explorer_window_get_running (explorer));
  g_assert_true (gtk_widget_has_css_class (date_row, "error"));
  ui_set_text (date_row, "");

  /* A list that comes back empty says so where the table would be. */
  fulcrum_explorer_params_set_value (params (), "tag", "no-such-tag-anywhere");
  run_and_wait ();
  g_assert_cmpuint (n_records (), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (explorer_child ("results_stack")), ==,
                   "empty");
  g_assert_cmpstr (adw_status_page_get_title (explorer_child ("empty_page")), ==, "No Records");
  fulcrum_explorer_params_set_value (params (), "tag", NULL);
}

static void
test_one_page (void)
{
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(FulcrumResultsRecord) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hundred = grouped (100);
  g_autofree char *expected = g_strdup_printf ("%s records · 1 page · ", hundred);

  list_opportunities (NULL, FALSE);
  run_and_wait ();

  g_assert_cmpuint (n_records (), ==, 100);
  g_assert_cmpuint (n_rows_in_view (), ==, 100);
  g_assert_true (g_str_has_prefix (progress_text (), expected));
  g_assert_nonnull (strstr (progress_text (), "req/s"));
  g_assert_true (gtk_widget_get_visible (explorer_child ("more_button")));

  /* Nothing selected: the raw view shows the page. */
  g_assert_cmpstr (gtk_label_get_text (explorer_child ("raw_title")), ==,
                   "Last Page · 100 Records");
  text = raw_text ();
  shown = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (shown));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (shown)), ==, 100);
  g_clear_pointer (&shown, json_node_unref);
  g_clear_pointer (&text, g_free);

  /* A selected record: that record, as Lever sent it. */
  fulcrum_results_table_select (explorer_child ("results_table"), 0);
  first = record_at (0);
  text = raw_text ();
  shown = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (shown));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "id"), ==,
                   fulcrum_results_record_get_id (first));
  g_assert_cmpstr (gtk_label_get_text (explorer_child ("raw_title")), ==, "Selected Record");

  /* Load More: the next page, after the first. */
  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.more", NULL);
  g_assert_true (fulcrum_explorer_window_get_running (explorer));
  ui_wait_until (not_running, explorer);
  g_assert_cmpuint (n_records (), ==, 200);
  assert_unique_ids ();
  g_assert_nonnull (strstr (progress_text (), "2 pages"));
}

static gboolean
sorted (gpointer user_data)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (user_data);
  GListModel *sort = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection));

  return gtk_sort_list_model_get_pending (GTK_SORT_LIST_MODEL (sort)) == 0;
}

static void
test_all_pages (void)
{
  FulcrumResultsTable *table = explorer_child ("results_table");
  g_auto(GStrv) columns = NULL;
  guint expected = fulcrum_sim_server_get_n_opportunities (sim ());
  g_autofree char *count = grouped (expected);
  g_autofree char *prefix = g_strdup_printf ("%s records · 13 pages · ", count);
  g_autoptr(FulcrumResultsRecord) record = NULL;
  g_autoptr(GtkColumnViewColumn) name_column = NULL;
  g_autofree char *created = NULL;
  GtkColumnView *view;

  g_assert_cmpuint (expected, ==, N_OPPORTUNITIES);

  /* In one chain of pages. */
  list_opportunities ("all", FALSE);
  run_and_wait ();
  g_assert_cmpuint (n_records (), ==, expected);
  g_assert_cmpuint (n_rows_in_view (), ==, expected);
  assert_unique_ids ();
  g_assert_true (g_str_has_prefix (progress_text (), prefix));
  g_assert_nonnull (strstr (progress_text (), "done in"));
  g_assert_false (gtk_widget_get_visible (explorer_child ("more_button")));

  /* Columns from the records' members, the identifying ones first. */
  columns = fulcrum_results_table_dup_columns (table);
  g_assert_cmpstr (columns[0], ==, "id");
  g_assert_cmpstr (columns[1], ==, "name");
  g_assert_true (g_strv_contains ((const char * const *) columns, "createdAt"));
  g_assert_true (g_strv_contains ((const char * const *) columns, "emails"));
  record = record_at (0);
  created = fulcrum_results_dup_cell_text (fulcrum_results_record_get_object (record), "createdAt");
  /* a local date and time, not epoch milliseconds */
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$", created, 0, 0));

  /* In several time windows at once: the same records, each once. */
  list_opportunities ("all", TRUE);
  run_and_wait ();
  g_assert_cmpuint (n_records (), ==, expected);
  g_assert_cmpuint (n_rows_in_view (), ==, expected);
  assert_unique_ids ();

  /* Sorting by a column keeps every row. */
  view = fulcrum_results_table_get_column_view (table);
  name_column = g_list_model_get_item (gtk_column_view_get_columns (view), 1);
  gtk_column_view_sort_by_column (view, name_column, GTK_SORT_ASCENDING);
  ui_wait_until (sorted, view);
  g_assert_cmpuint (n_rows_in_view (), ==, expected);

  /* The view keeps its place on sorting; the screenshot shows the top. */
  gtk_widget_activate_action (ui_find_descendant (view, GTK_TYPE_LIST_VIEW), "list.scroll-to-item",
                              "u", 0);
  fulcrum_results_table_select (table, 2);
  ui_save_screenshot (GTK_WIDGET (explorer), "explorer-results.png");
  fulcrum_results_table_select (table, GTK_INVALID_LIST_POSITION);
}

static void
test_cancel (void)
{
  guint expected = fulcrum_sim_server_get_n_opportunities (sim ());

  /* Slow pages, so that Cancel comes in the middle. */
  fulcrum_sim_server_set_latency (sim (), 150, 0.0);
  list_opportunities ("all", FALSE);
  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.run", NULL);
  g_assert_true (fulcrum_explorer_window_get_running (explorer));
  g_assert_true (gtk_widget_get_visible (explorer_child ("cancel_button")));
  ui_wait_until (has_records, NULL);

  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.cancel", NULL);
  ui_wait_until (not_running, explorer);
  fulcrum_sim_server_set_latency (sim (), 0, 0.0);

  g_assert_cmpuint (n_records (), >, 0);
  g_assert_cmpuint (n_records (), <, expected);
  g_assert_true (g_str_has_prefix (progress_text (), "Cancelled · "));
  g_assert_true (gtk_widget_get_visible (explorer_child ("run_button")));
  g_assert_false (gtk_widget_get_visible (explorer_child ("cancel_button")));
}

/* RFC 4180, as a spreadsheet reads it. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GStrvBuilder) row = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;
  gboolean pending = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (field, *++p);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
          continue;
        }

      if (*p == '"')
        {
          quoted = TRUE;
          pending = TRUE;
        }
      else if (*p == ',')
        {
          g_strv_builder_add (row, field->str);
          g_string_truncate (field, 0);
          pending = TRUE;
        }
      else if (*p == '\r' && p[1] == '\n')
        {
          g_strv_builder_add (row, field->str);
          g_string_truncate (field, 0);
          g_ptr_array_add (rows, g_strv_builder_end (row));
          g_strv_builder_unref (row);
          row = g_strv_builder_new ();
          pending = FALSE;
          p++;
        }
      else
        {
          g_string_append_c (field, *p);
          pending = TRUE;
        }
    }
  g_assert_false (quoted);
  g_assert_false (pending); /* the last row ends with CRLF too */

  return rows;
}

static void
export_to (FulcrumResultsFormat  format,
           const char           *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autoptr(GError) error = NULL;
  guint64 n_written = 0;
  Wait wait = { 0 };

  fulcrum_explorer_window_export_async (explorer, format, file, NULL, wait_cb, &wait);
  g_assert_true (fulcrum_explorer_window_export_finish (explorer, wait_for_result (&wait),
                                                        &n_written, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (n_written, ==, n_records ());
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
}

static void
test_export (void)
{
  g_autofree char *jsonl_path = g_build_filename (fulcrum_test_get_root (), "export.jsonl", NULL);
  g_autofree char *csv_path = g_build_filename (fulcrum_test_get_root (), "export.csv", NULL);
  g_autofree char *jsonl = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) columns = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint expected = fulcrum_sim_server_get_n_opportunities (sim ());
  guint n_lines = 0;
  int id_column = -1, emails_column = -1;

  list_opportunities ("all", TRUE);
  run_and_wait ();
  g_assert_cmpuint (n_records (), ==, expected);

  /* JSON Lines: one record per line, each the JSON Lever sent. */
  export_to (FULCRUM_RESULTS_FORMAT_JSONL, jsonl_path);
  g_assert_true (g_file_get_contents (jsonl_path, &jsonl, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (jsonl, "\n"));
  lines = g_strsplit (jsonl, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++, n_lines++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], &error);
      g_autoptr(JsonNode) original = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(FulcrumResultsRecord) record = record_at (i);

      g_assert_no_error (error);
      json_node_set_object (original, fulcrum_results_record_get_object (record));
      g_assert_true (json_node_equal (node, original));
    }
  g_assert_cmpuint (n_lines, ==, expected);

  /* CSV: a header of the table's columns, then one row per record. */
  export_to (FULCRUM_RESULTS_FORMAT_CSV, csv_path);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  rows = parse_csv (csv);
  g_assert_cmpuint (rows->len, ==, expected + 1);
  columns = fulcrum_results_table_dup_columns (explorer_child ("results_table"));
  g_assert_true (g_strv_equal (g_ptr_array_index (rows, 0), (const char * const *) columns));
  for (int c = 0; columns[c] != NULL; c++)
    {
      if (g_str_equal (columns[c], "id"))
        id_column = c;
      if (g_str_equal (columns[c], "emails"))
        emails_column = c;
    }
  g_assert_cmpint (id_column, >=, 0);
  g_assert_cmpint (emails_column, >=, 0);

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      g_autoptr(FulcrumResultsRecord) record = record_at (i - 1);
      JsonObject *object = fulcrum_results_record_get_object (record);
      g_autoptr(JsonNode) emails = NULL;

      g_assert_cmpuint (g_strv_length (row), ==, g_strv_length (columns));
      g_assert_cmpstr (row[id_column], ==, fulcrum_results_record_get_id (record));
      /* Nested values as JSON, quotes and commas surviving the quoting. */
      emails = json_from_string (row[emails_column], &error);
      g_assert_no_error (error);
      g_assert_true (json_node_equal (emails, json_object_get_member (object, "emails")));
    }

  /* Exporting over an existing file replaces it whole. */
  export_to (FULCRUM_RESULTS_FORMAT_JSONL, csv_path);
  g_clear_pointer (&csv, g_free);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_cmpstr (csv, ==, jsonl);
}

/* Text that a spreadsheet would run as a formula stays text; numbers stay numbers. */
static void
test_csv_formulas (void)
{
  static const struct { const char *json; const char *csv; } cases[] = {
    { "\"=HYPERLINK(\\\"http://x\\\",\\\"cv\\\")\"", "\"'=HYPERLINK(\"\"http://x\"\",\"\"cv\"\")\"" },
    { "\"+1 555 0100\"", "'+1 555 0100" },
    { "\"-2+3\"", "'-2+3" },
    { "\"@SUM(A1)\"", "'@SUM(A1)" },
    { "\"\\tcmd\"", "'\tcmd" },
    { "\"Ada = Lovelace\"", "Ada = Lovelace" },
    { "\"\"", "" },
    { "-5", "-5" },
    { "1.5", "1.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"name\":%s}", cases[i].json);
      g_autoptr(JsonNode) node = json_from_string (json, NULL);
      g_autoptr(GString) out = g_string_new (NULL);

      g_assert_nonnull (node);
      fulcrum_results_append_csv_field (out, json_node_get_object (node), "name");
      g_assert_cmpstr (out->str, ==, cases[i].csv);
    }
}

/* A write asks first; Cancel sends nothing, Run writes the note. */
static void
test_write (void)
{
  g_autoptr(FulcrumResultsRecord) first = record_at (0);
  g_autofree char *opportunity = g_strdup (fulcrum_results_record_get_id (first));
  g_autoptr(GtkWindow) confirm = NULL;
  g_autoptr(FulcrumResultsRecord) note = NULL;
  g_autofree char *note_id = NULL;
  gboolean found = FALSE;

  g_assert_true (fulcrum_explorer_window_select_action (explorer, "lever_create_note"));
  fulcrum_explorer_params_set_value (params (), "opportunity_id", opportunity);
  fulcrum_explorer_params_set_value (params (), "value", "Written from the Explorer test");

  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.run", NULL);
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (gtk_window_get_transient_for (confirm) == GTK_WINDOW (explorer));
  g_assert_false (fulcrum_explorer_window_get_running (explorer));
  ui_answer (confirm, "cancel");
  g_assert_false (fulcrum_explorer_window_get_running (explorer));
  g_assert_cmpuint (n_records (), >, 1); /* the last list, untouched */
  g_clear_object (&confirm);

  gtk_widget_activate_action (GTK_WIDGET (explorer), "explorer.run", NULL);
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  ui_answer (confirm, "run"); /* may run to the end while the dialog closes */
  ui_wait_until (not_running, explorer);
  g_assert_cmpuint (n_records (), ==, 1);
  note = record_at (0);
  note_id = g_strdup (json_object_get_string_member_with_default (
                        fulcrum_results_record_get_object (note), "noteId", ""));
  g_assert_cmpstr (note_id, !=, "");

  /* Lever has it: the opportunity's notes list it. */
  g_assert_true (fulcrum_explorer_window_select_action (explorer, "lever_list_opportunity_notes"));
  fulcrum_explorer_params_set_value (params (), "opportunity_id", opportunity);
  gtk_switch_set_active (explorer_child ("all_pages_switch"), TRUE);
  run_and_wait ();
  for (guint i = 0; i < n_records (); i++)
    {
      g_autoptr(FulcrumResultsRecord) record = record_at (i);

      found |= g_strcmp0 (fulcrum_results_record_get_id (record), note_id) == 0;
    }
  g_assert_true (found);
}

static gboolean
window_gone (gpointer user_data)
{
  return !gtk_widget_get_visible (user_data);
}

/* The profile's enabled actions as a fresh process would read them from disk. */
static char **
profile_actions_on_disk (const char *profile_id)
{
  g_autoptr(FulcrumStore) fresh = fulcrum_store_new (NULL);
  g_autoptr(GError) error = NULL;
  FulcrumConnectorProfile *profile;

  g_assert_true (fulcrum_store_load (fresh, &error));
  g_assert_no_error (error);
  profile = fulcrum_store_find_profile (fresh, profile_id);
  g_assert_nonnull (profile);

  return g_strdupv ((char **) fulcrum_connector_profile_get_enabled_actions (profile));
}

static gboolean
saved_actions_are (gpointer user_data)
{
  g_auto(GStrv) on_disk = profile_actions_on_disk (user_data);
  const char * const *actions = (const char * const *) on_disk;

  return actions != NULL && g_strv_length ((char **) actions) == 2 &&
         g_strv_contains (actions, "lever_list_opportunities") &&
         g_strv_contains (actions, "lever_get_opportunity");
}

static GtkWidget *
choice_row (FulcrumActionsEditor *actions,
            const char           *action_id)
{
  return GTK_WIDGET (fulcrum_actions_editor_get_row (actions, action_id));
}

static gboolean
chosen (FulcrumActionsEditor *actions,
        const char           *action_id)
{
  return gtk_switch_get_active (fulcrum_actions_editor_get_switch (actions, action_id));
}

static FulcrumActionsEditor *
open_profile_editor (FulcrumConnectorProfile *profile,
                     GtkWindow              **editor)
{
  *editor = GTK_WINDOW (g_object_ref (fulcrum_profile_editor_new (GTK_WINDOW (window), store (),
                                                                  secrets (), profile)));
  gtk_window_present (*editor);
  ui_wait_for_frames (GTK_WIDGET (*editor));

  return ui_template_child (*editor, FULCRUM_TYPE_PROFILE_EDITOR, "actions_editor");
}

static void
test_actions_editor (void)
{
  FulcrumConnectorProfile *profile;
  g_autoptr(GtkWindow) editor = NULL;
  FulcrumActionsEditor *actions;
  FulcrumScopesEditor *scopes;
  GtkSwitch *all;
  GtkSwitch *tags_read;
  GtkSwitch *switch_;
  const char *profile_id;
  const char * const *enabled;
  const FulcrumAction *catalogue;
  AdwExpanderRow *expander;
  guint n_actions = 0;

  profile = fulcrum_store_find_profile (store (), fulcrum_linked_account_get_profile_id (account));
  profile_id = fulcrum_connector_profile_get_id (profile);
  g_assert_null (fulcrum_connector_profile_get_enabled_actions (profile));

  actions = open_profile_editor (profile, &editor);
  scopes = ui_template_child (editor, FULCRUM_TYPE_PROFILE_EDITOR, "scopes_editor");
  all = ui_template_child (actions, FULCRUM_TYPE_ACTIONS_EDITOR, "all_switch");

  /* Never chosen: every action the scopes allow, the others disabled with the reason. */
  g_assert_true (gtk_switch_get_active (all));
  g_assert_true (chosen (actions, "lever_list_postings"));
  g_assert_false (chosen (actions, "lever_list_tags"));
  g_assert_false (gtk_widget_get_sensitive (choice_row (actions, "lever_list_tags")));
  g_assert_nonnull (strstr (subtitle (choice_row (actions, "lever_list_tags")), "tags:read:admin"));

  /* Live: the scopes editor asks for tags:read:admin, the action can be chosen. */
  tags_read = fulcrum_scopes_editor_get_switch (scopes, "tags:read:admin");
  gtk_switch_set_active (tags_read, TRUE);
  g_assert_true (gtk_widget_get_sensitive (choice_row (actions, "lever_list_tags")));
  g_assert_true (chosen (actions, "lever_list_tags"));
  gtk_switch_set_active (tags_read, FALSE);
  g_assert_false (gtk_widget_get_sensitive (choice_row (actions, "lever_list_tags")));

  /* One by one: starts from what the scopes allowed, then only two stay. */
  gtk_switch_set_active (all, FALSE);
  switch_ = fulcrum_actions_editor_get_switch (actions, "lever_list_postings");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (switch_)));
  g_assert_true (chosen (actions, "lever_list_postings"));
  catalogue = fulcrum_actions_get_all (&n_actions);
  for (guint i = 0; i < n_actions; i++)
    {
      gboolean keep = g_str_equal (catalogue[i].id, "lever_list_opportunities") ||
                      g_str_equal (catalogue[i].id, "lever_get_opportunity");
      switch_ = fulcrum_actions_editor_get_switch (actions, catalogue[i].id);
      if (gtk_widget_get_sensitive (GTK_WIDGET (switch_)))
        gtk_switch_set_active (switch_, keep);
    }

  expander = ADW_EXPANDER_ROW (gtk_widget_get_ancestor (choice_row (actions,
                                                                    "lever_list_opportunities"),
                                                        ADW_TYPE_EXPANDER_ROW));
  adw_expander_row_set_expanded (expander, TRUE);
  ui_save_screenshot (GTK_WIDGET (actions), "profile-actions.png");

  /* Saved through the editor's own path: in the profile and on disk. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  ui_wait_until (window_gone, editor);
  enabled = fulcrum_connector_profile_get_enabled_actions (profile);
  g_assert_nonnull (enabled);
  g_assert_cmpuint (g_strv_length ((char **) enabled), ==, 2);
  g_assert_true (g_strv_contains (enabled, "lever_list_opportunities"));
  g_assert_true (g_strv_contains (enabled, "lever_get_opportunity"));
  ui_wait_until (saved_actions_are, (gpointer) profile_id);

  /* The open Explorer follows: postings are no longer enabled for this account. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (action_row ("lever_list_postings"))));
  g_assert_nonnull (strstr (subtitle (action_row ("lever_list_postings")), "Not enabled"));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (action_row ("lever_list_opportunities"))));

  /* And the editor shows the choice again when reopened. */
  g_clear_object (&editor);
  actions = open_profile_editor (profile, &editor);
  all = ui_template_child (actions, FULCRUM_TYPE_ACTIONS_EDITOR, "all_switch");
  g_assert_false (gtk_switch_get_active (all));
  g_assert_false (chosen (actions, "lever_list_postings"));
  g_assert_true (chosen (actions, "lever_get_opportunity"));
  gtk_window_destroy (editor);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sim_port = NULL;
  int ret;

  ui_init_environment ();
  g_test_init (&argc, &argv, NULL);

  sim_port = g_strdup_printf ("%u", fulcrum_test_free_port ());
  g_setenv ("FULCRUM_SIMULATOR_PORT", sim_port, TRUE);
  redirect_port = fulcrum_test_free_port ();

  app = fulcrum_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* Instant transitions: screenshots show pages, not cross-fades. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_application_activate (G_APPLICATION (app));
  window = FULCRUM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  ui_wait_for_frames (GTK_WIDGET (window));

  g_test_add_func ("/ui/explorer/link", test_link);
  g_test_add_func ("/ui/explorer/open", test_open);
  g_test_add_func ("/ui/explorer/gating", test_gating);
  g_test_add_func ("/ui/explorer/one-page", test_one_page);
  g_test_add_func ("/ui/explorer/all-pages", test_all_pages);
  g_test_add_func ("/ui/explorer/cancel", test_cancel);
  /* After the screenshot: its error toasts would cover it. */
  g_test_add_func ("/ui/explorer/validation", test_validation);
  g_test_add_func ("/ui/explorer/export", test_export);
  g_test_add_func ("/ui/explorer/csv-formulas", test_csv_formulas);
  g_test_add_func ("/ui/explorer/write", test_write);
  g_test_add_func ("/ui/explorer/actions-editor", test_actions_editor);

  ret = g_test_run ();

  if (explorer != NULL)
    gtk_window_destroy (GTK_WINDOW (explorer));
  g_clear_object (&explorer);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_iterate ();
  g_clear_object (&app);
  fulcrum_sim_builtin_shutdown ();

  return ret;
}
