/* test-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linked accounts in the window, against the built-in simulator on a free port: the
 * simulator's page (switches, one-click profile, Check Connection), linking through the
 * link dialog with the browser played by libsoup, the details (expiry, Refresh Now, Test
 * Connection, Rename), needs-relink and Link Again (through the paste path), denial,
 * cancel, and Unlink. Screenshots go into the build directory.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "fulcrum-account-dialog.h"
#include "fulcrum-account-row.h"
#include "fulcrum-application.h"
#include "fulcrum-core.h"
#include "fulcrum-explorer-window.h"
#include "fulcrum-link-dialog-private.h"
#include "fulcrum-sim-builtin.h"
#include "fulcrum-simulator-group.h"
#include "fulcrum-test-util.h"
#include "fulcrum-ui-test-browser.h"
#include "fulcrum-ui-test-sim.h"
#include "fulcrum-ui-test-util.h"
#include "fulcrum-window.h"

static FulcrumApplication *app;
static FulcrumWindow *window;
/* Where the test's link flows listen (see ui_sim_use_redirect_port()). */
static guint redirect_port;

/* The "browser": what the link dialog asked to open. */
static char *opened_url;
static guint n_opened;

static void
open_uri_cb (GtkWindow  *parent,
             const char *uri,
             gpointer    user_data)
{
  g_assert_true (FULCRUM_IS_LINK_DIALOG (parent));
  g_free (opened_url);
  opened_url = g_strdup (uri);
  n_opened++;
}

/* Helpers */

static FulcrumStore *
store (void)
{
  return fulcrum_application_get_store (app);
}

static FulcrumTokenManager *
tokens (void)
{
  return fulcrum_application_get_token_manager (app);
}

static GtkWidget *
page (const char *name)
{
  return ui_template_child (window, FULCRUM_TYPE_WINDOW, name);
}

static void
show_page (const char *name)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string (name));
  ui_iterate ();
}

/* The accounts as a fresh process would read them from disk. */
static guint
accounts_on_disk (const char *label)
{
  g_autoptr(FulcrumStore) fresh = fulcrum_store_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (fulcrum_store_load (fresh, &error));
  g_assert_no_error (error);

  if (label != NULL)
    return fulcrum_store_find_account (fresh, label) != NULL;

  return g_list_model_get_n_items (fulcrum_store_get_accounts (fresh));
}

typedef struct
{
  const char *label;
  guint       expected;
} DiskCheck;

static gboolean
accounts_on_disk_are (gpointer user_data)
{
  DiskCheck *check = user_data;

  return accounts_on_disk (check->label) == check->expected;
}

static void
wait_for_accounts_on_disk (const char *label,
                           guint       expected)
{
  DiskCheck check = { label, expected };

  ui_wait_until (accounts_on_disk_are, &check);
}

static gboolean
window_gone (gpointer user_data)
{
  return !gtk_widget_get_visible (user_data);
}

static gboolean
action_enabled (gpointer user_data)
{
  GtkWidget *button = user_data;

  return gtk_widget_is_sensitive (button);
}

static gboolean
url_opened (gpointer user_data)
{
  return n_opened > GPOINTER_TO_UINT (user_data);
}

static const char *
stack_page (GtkWindow *dialog)
{
  return gtk_stack_get_visible_child_name (ui_template_child (dialog, FULCRUM_TYPE_LINK_DIALOG,
                                                              "stack"));
}

static gboolean
dialog_shows_error (gpointer user_data)
{
  return g_strcmp0 (stack_page (user_data), "error") == 0;
}

static GtkListBoxRow *
account_row (FulcrumLinkedAccount *account)
{
  GtkWidget *accounts_page = page ("accounts_page");
  GtkListBox *list = ui_template_child (accounts_page, G_TYPE_FROM_INSTANCE (accounts_page), "list");

  for (guint i = 0; i < ui_list_box_n_rows (list); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (fulcrum_account_row_get_account (FULCRUM_ACCOUNT_ROW (row)) == account)
        return row;
    }

  return NULL;
}

/* Opens the link dialog (Link Account… or Link Again…), picks the label, presses Link and
 * waits for the browser step. Returns the dialog. */
static GtkWindow *
start_link (const char *relink_account_id,
            const char *label,
            const char *pick_screenshot)
{
  guint opened_before = n_opened;
  GtkWindow *dialog;

  if (relink_account_id != NULL)
    gtk_widget_activate_action (page ("accounts_page"), "accounts.relink", "s", relink_account_id);
  else
    g_action_group_activate_action (G_ACTION_GROUP (window), "link-account", NULL);

  dialog = ui_wait_for_window (FULCRUM_TYPE_LINK_DIALOG);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_cmpstr (stack_page (dialog), ==, "pick");
  g_assert_nonnull (adw_combo_row_get_selected_item (ui_template_child (dialog,
                                                                        FULCRUM_TYPE_LINK_DIALOG,
                                                                        "profile_row")));
  if (label != NULL)
    ui_set_text (ui_template_child (dialog, FULCRUM_TYPE_LINK_DIALOG, "label_row"), label);
  if (pick_screenshot != NULL)
    ui_save_composite_screenshot (GTK_WIDGET (window), GTK_WIDGET (dialog), pick_screenshot);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "link.start", NULL);
  ui_wait_until (url_opened, GUINT_TO_POINTER (opened_before));
  g_assert_cmpstr (stack_page (dialog), ==, "waiting");

  return dialog;
}

/* The whole browser part: consent, then the redirect to the app's loopback listener. */
static void
browser_allows (void)
{
  g_autofree char *callback = ui_browser_consent (opened_url, "allow");
  g_autofree char *body = NULL;

  g_assert_true (g_str_has_prefix (callback, "http://127.0.0.1:"));
  g_assert_cmpuint (ui_browser_get (callback, &body), ==, 200);
  g_assert_nonnull (body);
}

static FulcrumLinkedAccount *
link_account (const char *label)
{
  g_autoptr(GtkWindow) dialog = start_link (NULL, label, NULL);
  FulcrumLinkedAccount *account;

  browser_allows ();
  ui_wait_until (window_gone, dialog);

  account = fulcrum_store_find_account (store (), label);
  g_assert_nonnull (account);
  return account;
}

static GtkWindow *
open_details (FulcrumLinkedAccount *account)
{
  GtkWindow *dialog;

  gtk_widget_activate_action (GTK_WIDGET (account_row (account)), "accounts.details", "s",
                              fulcrum_linked_account_get_id (account));
  dialog = ui_wait_for_window (FULCRUM_TYPE_ACCOUNT_DIALOG);
  g_assert_true (fulcrum_account_dialog_get_account (FULCRUM_ACCOUNT_DIALOG (dialog)) == account);

  return dialog;
}

static gpointer
details_child (GtkWindow  *dialog,
               const char *name)
{
  return ui_template_child (dialog, FULCRUM_TYPE_ACCOUNT_DIALOG, name);
}

static void
refresh_in_details (GtkWindow *dialog)
{
  GtkWidget *button = details_child (dialog, "refresh_button");

  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "account.refresh", NULL);
  g_assert_false (gtk_widget_is_sensitive (button));
  ui_wait_until (action_enabled, button);
}

static gboolean
simulator_running (gpointer user_data)
{
  FulcrumSimServer *server = fulcrum_sim_builtin_get_server ();

  return server != NULL && fulcrum_sim_server_is_running (server);
}

static gboolean
profile_created (gpointer user_data)
{
  return g_list_model_get_n_items (fulcrum_store_get_profiles (store ())) > 0;
}

typedef struct
{
  gboolean  done;
  gboolean  reachable;
  char     *environment_id;
  char     *message;
} Checked;

static void
connection_checked_cb (GtkWidget  *environments_page,
                       const char *environment_id,
                       gboolean    reachable,
                       const char *message,
                       Checked    *checked)
{
  checked->environment_id = g_strdup (environment_id);
  checked->reachable = reachable;
  checked->message = g_strdup (message);
  checked->done = TRUE;
}

/* Tests */

static void
test_empty (void)
{
  GtkWidget *accounts_page = page ("accounts_page");
  GtkButton *add_button = ui_template_child (window, FULCRUM_TYPE_WINDOW, "add_button");
  g_autoptr(GtkWindow) dialog = NULL;

  show_page ("accounts");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (ui_template_child (accounts_page,
                                                                        G_TYPE_FROM_INSTANCE (accounts_page),
                                                                        "stack")),
                   ==, "empty");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (add_button)), ==,
                   "win.link-account");

  /* Without a profile there is nothing to link through: the dialog says what to do. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "link-account", NULL);
  dialog = ui_wait_for_window (FULCRUM_TYPE_LINK_DIALOG);
  g_assert_cmpstr (stack_page (dialog), ==, "no-profiles");
  gtk_window_close (dialog);
  ui_wait_until (window_gone, dialog);
}

static void
test_simulator (void)
{
  GtkWidget *environments_page = page ("environments_page");
  GtkWidget *group = ui_template_child (environments_page, G_TYPE_FROM_INSTANCE (environments_page),
                                        "simulator_group");
  GType type = FULCRUM_TYPE_SIMULATOR_GROUP;
  FulcrumEnvironment *environment = fulcrum_store_find_environment (store (),
                                                                    FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  g_autofree char *callback = fulcrum_sim_builtin_dup_redirect_uri ();
  g_autofree char *secret = NULL;
  g_autofree char *found_in = NULL;
  FulcrumConnectorProfile *profile;
  FulcrumSimServer *server;
  Checked checked = { 0 };
  gulong handler;

  show_page ("environments");
  ui_wait_for_frames (GTK_WIDGET (window));

  /* Showing the page starts nothing. */
  g_assert_null (fulcrum_sim_builtin_get_server ());
  g_assert_cmpstr (adw_action_row_get_subtitle (ui_template_child (group, type, "client_id_row")),
                   ==, FULCRUM_SIM_BUILTIN_CLIENT_ID);
  g_assert_cmpstr (adw_action_row_get_subtitle (ui_template_child (group, type, "callback_row")),
                   ==, callback);

  /* A switch is where the page needs the simulator: it starts, then takes the switch. */
  gtk_switch_set_active (ui_template_child (group, type, "latency_switch"), FALSE);
  ui_wait_until (simulator_running, NULL);
  server = fulcrum_sim_builtin_get_server ();
  g_assert_cmpuint (fulcrum_sim_server_get_port (server), ==,
                    fulcrum_environment_get_simulator_port ());
  ui_wait_until (action_enabled, ui_template_child (group, type, "behaviour_list"));
  g_assert_cmpuint (fulcrum_sim_server_get_latency_base_ms (server), ==, 0);
  g_assert_true (fulcrum_sim_server_get_rate_limit_enabled (server));
  g_assert_cmpfloat (fulcrum_sim_server_get_rate_limit (server), ==, FULCRUM_LEVER_RATE_LIMIT);

  /* Live: each switch reaches the running simulator at once. */
  gtk_switch_set_active (ui_template_child (group, type, "storm_switch"), TRUE);
  g_assert_true (fulcrum_sim_server_get_rate_limit_enabled (server));
  g_assert_cmpfloat (fulcrum_sim_server_get_rate_limit (server), <, 1.0);
  g_assert_false (gtk_widget_get_sensitive (ui_template_child (group, type, "rate_limit_row")));
  gtk_switch_set_active (ui_template_child (group, type, "storm_switch"), FALSE);
  gtk_switch_set_active (ui_template_child (group, type, "rate_limit_switch"), FALSE);
  g_assert_false (fulcrum_sim_server_get_rate_limit_enabled (server));
  gtk_switch_set_active (ui_template_child (group, type, "rate_limit_switch"), TRUE);
  g_assert_true (fulcrum_sim_server_get_rate_limit_enabled (server));
  g_assert_cmpfloat (fulcrum_sim_server_get_rate_limit (server), ==, FULCRUM_LEVER_RATE_LIMIT);

  adw_combo_row_set_selected (ui_template_child (group, type, "fault_500_row"), 2);
  g_assert_cmpfloat (fulcrum_sim_server_get_fault_rate (server, FULCRUM_SIM_FAULT_500), ==, 0.2);
  adw_combo_row_set_selected (ui_template_child (group, type, "fault_reset_row"), 1);
  g_assert_cmpfloat (fulcrum_sim_server_get_fault_rate (server, FULCRUM_SIM_FAULT_RESET), ==, 0.05);
  adw_combo_row_set_selected (ui_template_child (group, type, "fault_html_row"), 4);
  g_assert_cmpfloat (fulcrum_sim_server_get_fault_rate (server, FULCRUM_SIM_FAULT_HTML), ==, 1.0);
  adw_combo_row_set_selected (ui_template_child (group, type, "fault_truncated_row"), 3);
  g_assert_cmpfloat (fulcrum_sim_server_get_fault_rate (server, FULCRUM_SIM_FAULT_TRUNCATED), ==,
                     0.5);

  ui_save_screenshot (group, "simulator-details.png");

  /* Faults off again: the rest of the tests use the API. */
  adw_combo_row_set_selected (ui_template_child (group, type, "fault_500_row"), 0);
  adw_combo_row_set_selected (ui_template_child (group, type, "fault_reset_row"), 0);
  adw_combo_row_set_selected (ui_template_child (group, type, "fault_html_row"), 0);
  adw_combo_row_set_selected (ui_template_child (group, type, "fault_truncated_row"), 0);
  for (FulcrumSimFault fault = 0; fault < FULCRUM_SIM_N_FAULTS; fault++)
    g_assert_cmpfloat (fulcrum_sim_server_get_fault_rate (server, fault), ==, 0.0);

  /* Check Connection, on the simulator's row. */
  handler = g_signal_connect (environments_page, "connection-checked",
                              G_CALLBACK (connection_checked_cb), &checked);
  gtk_widget_activate_action (environments_page, "environments.check", "s",
                              fulcrum_environment_get_id (environment));
  fulcrum_test_wait_for (&checked.done, WAIT_MS);
  g_signal_handler_disconnect (environments_page, handler);
  g_assert_cmpstr (checked.environment_id, ==, FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  g_assert_true (checked.reachable);
  g_assert_nonnull (strstr (checked.message, fulcrum_environment_get_name (environment)));
  g_free (checked.environment_id);
  g_free (checked.message);

  /* One click: a profile with the simulator's credentials, its secret in the keyring. */
  gtk_widget_activate (ui_template_child (group, type, "create_profile_button"));
  ui_wait_until (profile_created, NULL);
  ui_wait_until (action_enabled, ui_template_child (group, type, "create_profile_button"));
  profile = fulcrum_store_find_profile (store (), "Simulator");
  g_assert_nonnull (profile);
  g_assert_cmpstr (fulcrum_connector_profile_get_environment_id (profile), ==,
                   FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  g_assert_cmpstr (fulcrum_connector_profile_get_client_id (profile), ==,
                   FULCRUM_SIM_BUILTIN_CLIENT_ID);
  g_assert_cmpstr (fulcrum_connector_profile_get_redirect_uri (profile), ==, callback);
  g_assert_true (fulcrum_connector_profile_get_has_secret (profile));
  secret = ui_lookup_secret (FULCRUM_SECRET_KIND_CLIENT_SECRET,
                          fulcrum_connector_profile_get_id (profile), NULL);
  g_assert_nonnull (secret);
  g_assert_false (fulcrum_test_dir_contains (fulcrum_test_get_root (), secret, &found_in));

  ui_save_screenshot (GTK_WIDGET (window), "window-environments-simulator.png");

  /* The test's flows listen on a port of their own. */
  ui_sim_use_redirect_port (store (), profile, redirect_port);
}

static void
test_link (void)
{
  g_autoptr(GtkWindow) dialog = NULL;
  g_autoptr(FulcrumTokenSet) token_set = NULL;
  g_autofree char *found_in = NULL;
  FulcrumLinkedAccount *account;
  GtkListBoxRow *row;

  show_page ("accounts");
  dialog = start_link (NULL, "Acme Sim", "link-pick.png");

  /* What the browser was asked to open: the simulator's consent page, with PKCE. */
  g_assert_true (g_str_has_prefix (opened_url,
                                   fulcrum_environment_get_authorize_url (
                                     fulcrum_store_find_environment (store (),
                                                                     FULCRUM_ENVIRONMENT_ID_SIMULATOR))));
  g_assert_nonnull (strstr (opened_url, "code_challenge_method=S256"));
  g_assert_nonnull (strstr (opened_url, "state="));
  g_assert_true (gtk_widget_is_sensitive (ui_template_child (dialog, FULCRUM_TYPE_LINK_DIALOG,
                                                             "open_browser_button")));
  ui_save_composite_screenshot (GTK_WIDGET (window), GTK_WIDGET (dialog), "link-waiting.png");

  /* Open Browser Again opens the same page. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "link.open-browser", NULL);
  g_assert_cmpuint (n_opened, ==, 2);

  browser_allows ();
  ui_wait_until (window_gone, dialog);

  account = fulcrum_store_find_account (store (), "Acme Sim");
  g_assert_nonnull (account);
  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpstr (fulcrum_linked_account_get_environment_id (account), ==,
                   FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  g_assert_true (g_strv_contains (fulcrum_linked_account_get_granted_scopes (account),
                                  "offline_access"));

  /* In the list, active. */
  row = account_row (account);
  g_assert_nonnull (row);
  g_assert_cmpstr (fulcrum_account_row_get_status_text (FULCRUM_ACCOUNT_ROW (row)), ==,
                   fulcrum_account_status_get_title (FULCRUM_ACCOUNT_STATUS_ACTIVE));

  /* Its tokens in the keyring, and nowhere else. */
  token_set = ui_lookup_tokens (account);
  g_assert_nonnull (token_set);
  g_assert_nonnull (token_set->access_token);
  g_assert_nonnull (token_set->refresh_token);
  g_assert_false (fulcrum_test_dir_contains (fulcrum_test_get_root (), token_set->access_token,
                                             &found_in));
  g_assert_false (fulcrum_test_dir_contains (fulcrum_test_get_root (), token_set->refresh_token,
                                             &found_in));
  wait_for_accounts_on_disk ("Acme Sim", 1);
}

static void
test_details (void)
{
  FulcrumLinkedAccount *account = fulcrum_store_find_account (store (), "Acme Sim");
  g_autoptr(GtkWindow) dialog = NULL;
  g_autoptr(FulcrumTokenSet) before = NULL;
  g_autoptr(FulcrumTokenSet) after = NULL;
  g_autoptr(GtkWindow) explorer = NULL;
  GtkWidget *test_button;
  GtkViewport *viewport;
  guint n_requests;
  gint64 expires_at;

  g_assert_nonnull (account);
  dialog = open_details (account);

  /* Expiry in the user's words: about an hour ahead. */
  expires_at = fulcrum_linked_account_get_expires_at (account);
  g_assert_cmpint (expires_at, >, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (details_child (dialog, "expiry_row")),
                                   "in "));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (details_child (dialog, "scopes_row")),
                            "offline_access"));
  g_assert_cmpstr (gtk_label_get_text (details_child (dialog, "status_pill")), ==,
                   fulcrum_account_status_get_title (FULCRUM_ACCOUNT_STATUS_ACTIVE));
  g_assert_false (gtk_widget_get_visible (details_child (dialog, "relink_button")));
  g_assert_cmpstr (gtk_actionable_get_action_name (details_child (dialog, "explorer_button")), ==,
                   "win.open-explorer");
  ui_save_composite_screenshot (GTK_WIDGET (window), GTK_WIDGET (dialog), "account-details.png");
  /* The whole page, beyond what the dialog shows. */
  viewport = ui_find_descendant (details_child (dialog, "page"), GTK_TYPE_VIEWPORT);
  ui_save_screenshot (gtk_viewport_get_child (viewport), "account-details-page.png");

  /* Refresh Now: one token request, new tokens in the keyring. */
  before = ui_lookup_tokens (account);
  n_requests = fulcrum_token_manager_get_n_token_requests (tokens ());
  refresh_in_details (dialog);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (tokens ()), ==, n_requests + 1);
  after = ui_lookup_tokens (account);
  g_assert_cmpstr (after->access_token, !=, before->access_token);
  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);

  /* Test Connection reaches the simulator's API with the account's token. */
  test_button = details_child (dialog, "test_button");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "account.test", NULL);
  ui_wait_until (action_enabled, test_button);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (details_child (dialog, "test_row")),
                                   "Connected to"));

  /* Rename: applied, in the list and on disk. */
  ui_set_text (details_child (dialog, "label_row"), "Acme Renamed");
  g_signal_emit_by_name (details_child (dialog, "label_row"), "apply");
  ui_iterate ();
  g_assert_cmpstr (fulcrum_linked_account_get_label (account), ==, "Acme Renamed");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (account_row (account))), ==,
                   "Acme Renamed");
  wait_for_accounts_on_disk ("Acme Renamed", 1);

  /* Open Explorer: the main window's action, for this account; the details make way. */
  g_assert_true (gtk_widget_is_sensitive (details_child (dialog, "explorer_button")));
  gtk_widget_activate (details_child (dialog, "explorer_button"));
  ui_wait_until (window_gone, dialog);
  explorer = ui_wait_for_window (FULCRUM_TYPE_EXPLORER_WINDOW);
  g_assert_true (fulcrum_explorer_window_get_account (FULCRUM_EXPLORER_WINDOW (explorer)) == account);
  gtk_window_close (explorer);
  ui_wait_until (window_gone, explorer);
}

/* Lever's admin revokes the app: the next refresh finds out, and the account says so. */
static void
test_needs_relink (void)
{
  FulcrumLinkedAccount *second = link_account ("Second Org");
  FulcrumLinkedAccount *first = fulcrum_store_find_account (store (), "Acme Renamed");
  g_autoptr(GtkWindow) dialog = NULL;

  g_assert_nonnull (first);
  g_assert_cmpuint (fulcrum_sim_server_revoke_app (fulcrum_sim_builtin_get_server (),
                                                   FULCRUM_SIM_BUILTIN_CLIENT_ID), >=, 2);

  dialog = open_details (second);
  refresh_in_details (dialog);
  g_assert_cmpint (fulcrum_linked_account_get_status (second), ==,
                   FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);
  g_assert_cmpstr (gtk_label_get_text (details_child (dialog, "status_pill")), ==,
                   fulcrum_account_status_get_title (FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK));
  g_assert_true (gtk_widget_has_css_class (details_child (dialog, "status_pill"), "warning"));
  g_assert_true (gtk_widget_get_visible (details_child (dialog, "relink_button")));
  gtk_window_close (dialog);
  ui_wait_until (window_gone, dialog);

  /* The list: one active (green), one needing a new link (orange, with Link Again). */
  g_assert_cmpstr (fulcrum_account_row_get_status_text (FULCRUM_ACCOUNT_ROW (account_row (first))),
                   ==, fulcrum_account_status_get_title (FULCRUM_ACCOUNT_STATUS_ACTIVE));
  g_assert_cmpstr (fulcrum_account_row_get_status_text (FULCRUM_ACCOUNT_ROW (account_row (second))),
                   ==, fulcrum_account_status_get_title (FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK));
  ui_save_screenshot (GTK_WIDGET (window), "window-accounts-linked.png");
}

static gboolean
account_gone (gpointer user_data)
{
  return fulcrum_store_find_account (store (), fulcrum_linked_account_get_id (user_data)) != user_data;
}

/* Link Again, through the paste path: the user pastes the address the browser landed on. */
static void
test_relink (void)
{
  g_autoptr(FulcrumLinkedAccount) old = g_object_ref (fulcrum_store_find_account (store (), "Second Org"));
  g_autofree char *old_id = g_strdup (fulcrum_linked_account_get_id (old));
  g_autofree char *callback = NULL;
  g_autoptr(GtkWindow) dialog = NULL;
  g_autoptr(GtkWindow) offer = NULL;
  g_autoptr(FulcrumTokenSet) old_tokens = NULL;
  FulcrumLinkedAccount *heir;
  GtkWidget *paste_row, *paste_error;
  guint n_accounts = g_list_model_get_n_items (fulcrum_store_get_accounts (store ()));

  dialog = start_link (old_id, NULL, "link-again-pick.png");
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Link Again");
  paste_row = ui_template_child (dialog, FULCRUM_TYPE_LINK_DIALOG, "paste_row");
  paste_error = ui_template_child (dialog, FULCRUM_TYPE_LINK_DIALOG, "paste_error");

  callback = ui_browser_consent (opened_url, "allow");

  /* A wrong paste is refused and the wait goes on. */
  ui_set_text (paste_row, "https://example.org/somewhere-else?code=x&state=y");
  g_signal_emit_by_name (paste_row, "apply");
  ui_iterate ();
  g_assert_true (gtk_widget_get_visible (paste_error));
  g_assert_cmpstr (stack_page (dialog), ==, "waiting");

  ui_set_text (paste_row, callback);
  g_signal_emit_by_name (paste_row, "apply");
  ui_wait_until (window_gone, dialog);

  /* Offered: unlink the old one and give its name to the new. */
  offer = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (gtk_window_get_transient_for (offer) == GTK_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (store ())), ==,
                    n_accounts + 1);
  ui_answer (offer, "unlink");
  ui_wait_until (account_gone, old);

  heir = fulcrum_store_find_account (store (), "Second Org");
  g_assert_nonnull (heir);
  g_assert_true (heir != old);
  g_assert_cmpint (fulcrum_linked_account_get_status (heir), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (store ())), ==,
                    n_accounts);
  old_tokens = ui_lookup_tokens (old);
  g_assert_null (old_tokens);
  g_assert_cmpstr (fulcrum_account_row_get_status_text (FULCRUM_ACCOUNT_ROW (account_row (heir))),
                   ==, fulcrum_account_status_get_title (FULCRUM_ACCOUNT_STATUS_ACTIVE));
}

/* The organization's admin says no: Lever's words, nothing linked. */
static void
test_denied (void)
{
  guint n_accounts = g_list_model_get_n_items (fulcrum_store_get_accounts (store ()));
  g_autoptr(GtkWindow) dialog = start_link (NULL, "Denied Org", NULL);
  g_autofree char *callback = ui_browser_consent (opened_url, "deny");
  AdwStatusPage *error_page;

  g_assert_nonnull (strstr (callback, "error=access_denied"));
  ui_browser_get (callback, NULL);
  ui_wait_until (dialog_shows_error, dialog);

  error_page = ui_template_child (dialog, FULCRUM_TYPE_LINK_DIALOG, "error_page");
  g_assert_nonnull (adw_status_page_get_description (error_page));
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (store ())), ==,
                    n_accounts);
  ui_save_composite_screenshot (GTK_WIDGET (window), GTK_WIDGET (dialog), "link-denied.png");

  /* Try Again goes back to the picker. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "link.retry", NULL);
  g_assert_cmpstr (stack_page (dialog), ==, "pick");
  gtk_window_close (dialog);
  ui_wait_until (window_gone, dialog);
}

/* Whether anything listens on the test's redirect port. Bound the way a listener binds
 * (SO_REUSEADDR): connections of earlier tests in TIME_WAIT do not count, a listener does. */
static gboolean
port_free (gpointer user_data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, redirect_port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  return socket != NULL && g_socket_bind (socket, address, TRUE, NULL);
}

/* Cancel leaves nothing listening and nothing stored. */
static void
test_cancel (void)
{
  guint n_accounts = g_list_model_get_n_items (fulcrum_store_get_accounts (store ()));
  g_autoptr(GtkWindow) dialog = start_link (NULL, "Cancelled Org", NULL);

  g_assert_false (port_free (NULL));
  gtk_window_close (dialog);
  ui_wait_until (window_gone, dialog);
  ui_wait_until (port_free, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (store ())), ==,
                    n_accounts);
}

static void
test_unlink (void)
{
  g_autoptr(FulcrumLinkedAccount) account = g_object_ref (fulcrum_store_find_account (store (), "Acme Renamed"));
  g_autoptr(GtkWindow) dialog = NULL;
  g_autoptr(GtkWindow) confirm = NULL;
  g_autoptr(FulcrumTokenSet) before = ui_lookup_tokens (account);
  g_autoptr(FulcrumTokenSet) after = NULL;

  g_assert_nonnull (before);
  dialog = open_details (account);

  /* Cancel keeps it. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "account.unlink", NULL);
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (gtk_window_get_transient_for (confirm) == dialog);
  ui_answer (confirm, "cancel");
  g_assert_false (account_gone (account));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "account.unlink", NULL);
  g_clear_object (&confirm);
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  ui_answer (confirm, "unlink");
  ui_wait_until (window_gone, dialog);
  ui_wait_until (account_gone, account);

  after = ui_lookup_tokens (account);
  g_assert_null (after);
  g_assert_null (account_row (account));
  wait_for_accounts_on_disk ("Acme Renamed", 0);
  wait_for_accounts_on_disk (NULL, g_list_model_get_n_items (fulcrum_store_get_accounts (store ())));
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
  fulcrum_link_dialog_set_uri_opener (open_uri_cb, NULL);

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

  g_test_add_func ("/ui/accounts/empty", test_empty);
  g_test_add_func ("/ui/accounts/simulator", test_simulator);
  g_test_add_func ("/ui/accounts/link", test_link);
  g_test_add_func ("/ui/accounts/details", test_details);
  g_test_add_func ("/ui/accounts/needs-relink", test_needs_relink);
  g_test_add_func ("/ui/accounts/relink", test_relink);
  g_test_add_func ("/ui/accounts/denied", test_denied);
  g_test_add_func ("/ui/accounts/cancel", test_cancel);
  g_test_add_func ("/ui/accounts/unlink", test_unlink);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  ui_iterate ();
  g_clear_object (&app);
  fulcrum_sim_builtin_shutdown ();
  g_clear_pointer (&opened_url, g_free);

  return ret;
}
