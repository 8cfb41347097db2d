/* test-e2e-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Links a simulator account through the window's own link dialog with no test hook: the
 * dialog calls gtk_show_uri_full(), which (under Xvfb, without a portal) launches the
 * default handler of x-scheme-handler/http. A private XDG_DATA_HOME and XDG_CONFIG_HOME
 * make that handler consent.mjs, which drives headless Chromium through the simulator's
 * consent page and clicks Allow; Chromium then follows Lever's redirect to the app's
 * loopback listener. The test checks the account and its keyring items, and copies
 * Chromium's screenshots (consent.png, done.png) into the build directory.
 */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fulcrum-application.h"
#include "fulcrum-core.h"
#include "fulcrum-link-dialog.h"
#include "fulcrum-sim-builtin.h"
#include "fulcrum-test-util.h"
#include "fulcrum-ui-test-sim.h"
#include "fulcrum-ui-test-util.h"
#include "fulcrum-window.h"

#define HANDLER_ID "fulcrum-e2e-browser.desktop"
/* Chromium's first start dominates; the whole test stays well under a minute. */
#define E2E_WAIT_MS 60000

static FulcrumApplication *app;
static FulcrumWindow *window;
static char *out_dir;

static FulcrumStore *
store (void)
{
  return fulcrum_application_get_store (app);
}

/* Quoted for a desktop file's Exec key (the Desktop Entry spec's rules). */
static char *
exec_quote (const char *arg)
{
  GString *quoted = g_string_new ("\"");

  for (const char *p = arg; *p; p++)
    {
      if (strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');

  return g_string_free (quoted, FALSE);
}

static void
write_key_file (GKeyFile   *key_file,
                const char *dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_key_file_save_to_file (key_file, path, &error);
  g_assert_no_error (error);
}

/* The desktop's default browser, as GIO finds it: a .desktop file in XDG_DATA_HOME made
 * the default for http in XDG_CONFIG_HOME/mimeapps.list. */
static void
register_browser (const char *node,
                  const char *script)
{
  g_autoptr(GKeyFile) desktop = g_key_file_new ();
  g_autoptr(GKeyFile) mimeapps = g_key_file_new ();
  g_autofree char *applications = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *node_arg = exec_quote (node);
  g_autofree char *script_arg = exec_quote (script);
  g_autofree char *exec = g_strdup_printf ("%s %s %%u", node_arg, script_arg);
  g_autoptr(GAppInfo) handler = NULL;

  g_key_file_set_string (desktop, "Desktop Entry", "Type", "Application");
  g_key_file_set_string (desktop, "Desktop Entry", "Name", "Fulcrum E2E Browser");
  g_key_file_set_string (desktop, "Desktop Entry", "Exec", exec);
  g_key_file_set_string (desktop, "Desktop Entry", "MimeType",
                         "x-scheme-handler/http;x-scheme-handler/https;");
  g_key_file_set_boolean (desktop, "Desktop Entry", "NoDisplay", TRUE);
  write_key_file (desktop, applications, HANDLER_ID);

  g_key_file_set_string (mimeapps, "Default Applications", "x-scheme-handler/http", HANDLER_ID);
  g_key_file_set_string (mimeapps, "Default Applications", "x-scheme-handler/https", HANDLER_ID);
  write_key_file (mimeapps, g_get_user_config_dir (), "mimeapps.list");

  handler = g_app_info_get_default_for_uri_scheme ("http");
  g_assert_nonnull (handler);
  g_assert_cmpstr (g_app_info_get_id (handler), ==, HANDLER_ID);
}

/* What the hand-off needs; the test fails (never skips) without it, and says what to do. */
static gboolean
check_prerequisites (char **node,
                     char **script)
{
  const char *chromium = g_getenv ("FULCRUM_E2E_CHROMIUM");
  g_autofree char *modules = g_test_build_filename (G_TEST_DIST, "e2e", "node_modules",
                                                    "playwright-core", "package.json", NULL);

  *script = g_test_build_filename (G_TEST_DIST, "e2e", "consent.mjs", NULL);
  *node = g_find_program_in_path ("node");
  if (chromium == NULL)
    chromium = "/usr/bin/chromium";

  if (*node == NULL)
    {
      g_test_fail_printf ("node is not installed: install Debian's nodejs package");
      return FALSE;
    }
  if (!g_file_test (modules, G_FILE_TEST_EXISTS))
    {
      g_test_fail_printf ("%s is missing: run “npm ci” in tests/e2e (build-aux/run-tests "
                          "does it)", modules);
      return FALSE;
    }
  if (!g_file_test (chromium, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_fail_printf ("%s is missing: install Debian's chromium package (or point "
                          "FULCRUM_E2E_CHROMIUM at a Chromium)", chromium);
      return FALSE;
    }
  g_assert_true (g_file_test (*script, G_FILE_TEST_EXISTS));

  return TRUE;
}

typedef struct
{
  gboolean  done;
  FulcrumConnectorProfile *profile;
  GError   *error;
} Created;

static void
running_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Created *created = user_data;

  fulcrum_sim_builtin_ensure_running_finish (result, &created->error);
  created->done = TRUE;
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Created *created = user_data;

  created->profile = fulcrum_sim_builtin_create_profile_finish (result, &created->error);
  created->done = TRUE;
}

/* The simulator running in this process, and its one-click profile. */
static FulcrumConnectorProfile *
prepare_simulator (void)
{
  Created created = { FALSE, NULL, NULL };
  FulcrumSecretStore *secrets = fulcrum_application_get_secret_store (app);

  fulcrum_sim_builtin_ensure_running_async (fulcrum_store_find_environment (store (),
                                                                            FULCRUM_ENVIRONMENT_ID_SIMULATOR),
                                            secrets, NULL, running_cb, &created);
  fulcrum_test_wait_for (&created.done, WAIT_MS);
  g_assert_no_error (created.error);

  created.done = FALSE;
  fulcrum_sim_builtin_create_profile_async (store (), secrets, NULL, NULL, created_cb, &created);
  fulcrum_test_wait_for (&created.done, WAIT_MS);
  g_assert_no_error (created.error);

  return created.profile;
}

typedef struct
{
  GtkWindow  *dialog;
  const char *label;
} Waiting;

static gpointer
dialog_child (GtkWindow  *dialog,
              const char *name)
{
  return ui_template_child (dialog, FULCRUM_TYPE_LINK_DIALOG, name);
}

static gboolean
link_failed (GtkWindow *dialog)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (dialog_child (dialog, "stack")),
                    "error") == 0;
}

static gboolean
browser_failed (GtkWindow *dialog)
{
  return gtk_widget_get_visible (dialog_child (dialog, "browser_error"));
}

static gboolean
link_ended (gpointer user_data)
{
  Waiting *waiting = user_data;

  return fulcrum_store_find_account (store (), waiting->label) != NULL ||
         browser_failed (waiting->dialog) || link_failed (waiting->dialog);
}

static gboolean
file_exists (gpointer user_data)
{
  return g_file_test (user_data, G_FILE_TEST_EXISTS);
}

static void
copy_screenshot (const char *name)
{
  g_autofree char *from = g_build_filename (out_dir, name, NULL);
  g_autofree char *target_name = g_strconcat ("e2e-", name, NULL);
  g_autofree char *to = g_test_build_filename (G_TEST_BUILT, target_name, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("Screenshot: %s", to);
}

static void
test_browser_hand_off (void)
{
  g_autofree char *node = NULL;
  g_autofree char *script = NULL;
  g_autofree char *status_path = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *found_in = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(FulcrumTokenSet) token_set = NULL;
  g_autoptr(GtkWindow) dialog = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  FulcrumLinkedAccount *account;
  JsonObject *status;
  Waiting waiting = { NULL, "E2E Org" };

  if (!check_prerequisites (&node, &script))
    return;

  register_browser (node, script);
  profile = prepare_simulator ();
  ui_sim_use_redirect_port (store (), profile, fulcrum_test_free_port ());

  /* The window's own path: Link Account…, the profile, a label, Link. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "link-account", NULL);
  dialog = ui_wait_for_window (FULCRUM_TYPE_LINK_DIALOG);
  g_assert_true (adw_combo_row_get_selected_item (dialog_child (dialog, "profile_row")) == profile);
  ui_set_text (dialog_child (dialog, "label_row"), waiting.label);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "link.start", NULL);

  waiting.dialog = dialog;
  ui_wait_until_for (link_ended, &waiting, E2E_WAIT_MS);

  if (link_failed (dialog))
    g_error ("The link failed: %s",
             adw_status_page_get_description (dialog_child (dialog, "error_page")));
  if (browser_failed (dialog))
    g_error ("The browser did not open: %s",
             gtk_label_get_text (dialog_child (dialog, "browser_error")));

  account = fulcrum_store_find_account (store (), waiting.label);
  if (account == NULL)
    g_error ("No account after %d s: the browser never came back to the app", E2E_WAIT_MS / 1000);

  /* Linked: active, its tokens in the keyring and nowhere else, the dialog gone. */
  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpstr (fulcrum_linked_account_get_profile_id (account), ==,
                   fulcrum_connector_profile_get_id (profile));
  token_set = ui_lookup_tokens (account);
  g_assert_nonnull (token_set);
  g_assert_nonnull (token_set->refresh_token);
  g_assert_false (fulcrum_test_dir_contains (fulcrum_test_get_root (), token_set->access_token,
                                             &found_in));
  ui_wait_until_closed (dialog);
  g_assert_cmpstr (fulcrum_window_get_page (window), ==, "accounts");

  /* What the browser saw: the consent page, then the app's own page on loopback. */
  status_path = g_build_filename (out_dir, "status.json", NULL);
  ui_wait_until_for (file_exists, status_path, E2E_WAIT_MS);
  g_assert_true (g_file_get_contents (status_path, &status_text, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("Browser: %s", status_text);
  g_assert_true (json_parser_load_from_data (parser, status_text, -1, &error));
  g_assert_no_error (error);
  status = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (status, "ok"));
  g_assert_cmpstr (json_object_get_string_member (status, "final_url_path"), ==,
                   "/callback/simulator");
  g_assert_nonnull (strstr (json_object_get_string_member (status, "consent_title"),
                            "Fulcrum Simulator App"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (status, "url"),
                                   fulcrum_environment_get_authorize_url (
                                     fulcrum_store_find_environment (store (),
                                                                     FULCRUM_ENVIRONMENT_ID_SIMULATOR))));

  copy_screenshot ("consent.png");
  copy_screenshot ("done.png");
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

  out_dir = g_build_filename (fulcrum_test_get_root (), "e2e-out", NULL);
  g_assert_cmpint (g_mkdir_with_parents (out_dir, 0700), ==, 0);
  g_setenv ("FULCRUM_E2E_OUT", out_dir, TRUE);
  sim_port = g_strdup_printf ("%u", fulcrum_test_free_port ());
  g_setenv ("FULCRUM_SIMULATOR_PORT", sim_port, TRUE);

  app = fulcrum_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_application_activate (G_APPLICATION (app));
  window = FULCRUM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  ui_wait_for_frames (GTK_WIDGET (window));

  g_test_add_func ("/e2e/link/browser-hand-off", test_browser_hand_off);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  ui_iterate ();
  g_clear_object (&app);
  fulcrum_sim_builtin_shutdown ();
  g_clear_pointer (&out_dir, g_free);

  return ret;
}
