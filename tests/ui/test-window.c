/* test-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the real window the way a person would (through its widgets and actions),
 * under Xvfb, and checks what ends up in the store, the config file and the keyring.
 * Writes screenshots of each page into the build directory.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "fulcrum-application.h"
#include "fulcrum-account-row.h"
#include "fulcrum-core.h"
#include "fulcrum-environment-dialog.h"
#include "fulcrum-profile-editor.h"
#include "fulcrum-registration-group.h"
#include "fulcrum-scopes-editor.h"
#include "fulcrum-test-util.h"
#include "fulcrum-ui-test-util.h"
#include "fulcrum-window.h"

static const char *test_secret = "Zq7-client-SECRET-4f1b9c2e8d";

static FulcrumApplication *app;
static FulcrumWindow *window;

/* Helpers */

static FulcrumStore *
store (void)
{
  return fulcrum_application_get_store (app);
}

static guint
environment_position (const char *id)
{
  GListModel *environments = fulcrum_store_get_environments (store ());

  for (guint i = 0; i < g_list_model_get_n_items (environments); i++)
    {
      g_autoptr(FulcrumEnvironment) environment = g_list_model_get_item (environments, i);

      if (g_str_equal (fulcrum_environment_get_id (environment), id))
        return i;
    }

  g_assert_not_reached ();
}

static char *
default_redirect (const char *environment_id)
{
  return fulcrum_connector_profile_default_redirect_uri (environment_id,
                                                         FULCRUM_DEFAULT_REDIRECT_PORT);
}

static void
select_environment (AdwComboRow *row,
                    const char  *id)
{
  adw_combo_row_set_selected (row, environment_position (id));
  ui_iterate ();
}

static gpointer
registration_child (GtkWindow  *editor,
                    const char *name)
{
  GtkWidget *group = ui_template_child (editor, FULCRUM_TYPE_PROFILE_EDITOR, "registration_group");

  return ui_template_child (group,
                         FULCRUM_TYPE_REGISTRATION_GROUP, name);
}

static gboolean
save_enabled (GtkWidget *save_button)
{
  ui_iterate ();
  return gtk_widget_is_sensitive (save_button);
}

typedef struct
{
  gboolean  done;
  char     *secret;
  GError   *error;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->secret = fulcrum_secret_store_lookup_finish (FULCRUM_SECRET_STORE (object), result,
                                                       &lookup->error);
  lookup->done = TRUE;
}

/* What the keyring holds for the profile, through a secret store of its own. */
static char *
lookup_client_secret (const char *profile_id)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  Lookup lookup = { FALSE, NULL, NULL };

  fulcrum_secret_store_lookup_async (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, profile_id,
                                     NULL, NULL, lookup_cb, &lookup);
  fulcrum_test_wait_for (&lookup.done, WAIT_MS);
  g_assert_no_error (lookup.error);

  return lookup.secret;
}

/* The profiles as a fresh process would read them from disk. */
static guint
profiles_on_disk (const char *name)
{
  g_autoptr(FulcrumStore) fresh = fulcrum_store_new (NULL);
  g_autoptr(GError) error = NULL;
  GListModel *profiles;
  guint count = 0;

  g_assert_true (fulcrum_store_load (fresh, &error));
  g_assert_no_error (error);

  profiles = fulcrum_store_get_profiles (fresh);
  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(FulcrumConnectorProfile) profile = g_list_model_get_item (profiles, i);

      if (name == NULL || g_str_equal (fulcrum_connector_profile_get_name (profile), name))
        count++;
    }

  return count;
}

static gboolean
poll_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits for a background save to reach the disk. */
static void
wait_for_profiles_on_disk (const char *name,
                           guint       expected)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  guint id = g_timeout_add (20, poll_cb, NULL);

  while (profiles_on_disk (name) != expected && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  g_assert_cmpuint (profiles_on_disk (name), ==, expected);
}

static void
saved_cb (FulcrumProfileEditor    *editor,
          FulcrumConnectorProfile *profile,
          gboolean                *saved)
{
  *saved = TRUE;
}

/* Tests */

static void
test_window_opens (void)
{
  g_auto(GStrv) accels = NULL;
  g_autoptr(GtkWindow) about = NULL;

  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (fulcrum_window_get_page (window), ==, "environments");

  /* The shortcuts window comes from the resource and parses. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.new-profile");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>n"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>q"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "window.close");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>w"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>question"));

  /* The About window opens over the main window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = ui_wait_for_window (ADW_TYPE_ABOUT_WINDOW);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Fulcrum");
  gtk_window_close (about);
  ui_iterate ();
}

/* main() wrote a config file that cannot be parsed: the user is told where it went,
 * and the app goes on with an empty store. */
static void
test_load_error (void)
{
  g_autoptr(GtkWindow) dialog = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  const char *body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));

  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_nonnull (strstr (body, "config.json.corrupt"));
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_profiles (store ())), ==, 0);
  g_assert_false (fulcrum_store_get_read_only (store ()));

  ui_save_composite_screenshot (GTK_WIDGET (window), GTK_WIDGET (dialog), "window-load-error.png");
  ui_answer (dialog, "close");
}

static void
test_environments_page (void)
{
  GtkWidget *page = ui_template_child (window, FULCRUM_TYPE_WINDOW, "environments_page");
  GtkListBox *builtin_list;
  GtkListBox *custom_list;
  GListModel *environments = fulcrum_store_get_environments (store ());
  guint n_builtin = 0;

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("environments"));
  ui_iterate ();
  g_assert_cmpstr (fulcrum_window_get_page (window), ==, "environments");

  for (guint i = 0; i < g_list_model_get_n_items (environments); i++)
    {
      g_autoptr(FulcrumEnvironment) environment = g_list_model_get_item (environments, i);

      n_builtin += fulcrum_environment_is_builtin (environment);
    }
  g_assert_cmpuint (n_builtin, ==, 3);

  builtin_list = ui_template_child (page, G_TYPE_FROM_INSTANCE (page), "builtin_list");
  custom_list = ui_template_child (page, G_TYPE_FROM_INSTANCE (page), "custom_list");
  g_assert_cmpuint (ui_list_box_n_rows (builtin_list), ==, n_builtin);
  g_assert_cmpuint (ui_list_box_n_rows (custom_list), ==, 0);

  /* Show one environment's details. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_list_box_get_row_at_index (builtin_list, 1)),
                                 TRUE);

  ui_save_screenshot (GTK_WIDGET (window), "window-environments.png");

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_list_box_get_row_at_index (builtin_list, 1)),
                                 FALSE);
}

static void
test_custom_environment (void)
{
  GtkWidget *page = ui_template_child (window, FULCRUM_TYPE_WINDOW, "environments_page");
  GtkListBox *custom_list = ui_template_child (page, G_TYPE_FROM_INSTANCE (page), "custom_list");
  g_autoptr(GtkWindow) dialog = NULL;
  g_autoptr(GtkWindow) confirm = NULL;
  GtkWidget *save_button, *authorize_row, *error_group;
  FulcrumEnvironment *environment;
  AdwPreferencesRow *row;
  GType type = FULCRUM_TYPE_ENVIRONMENT_DIALOG;

  g_action_group_activate_action (G_ACTION_GROUP (window), "add-environment", NULL);
  dialog = ui_wait_for_window (type);
  save_button = ui_template_child (dialog, type, "save_button");
  authorize_row = ui_template_child (dialog, type, "authorize_row");
  error_group = ui_template_child (dialog, type, "error_group");

  /* Nothing typed yet: nothing to save, and no scolding either. */
  g_assert_false (save_enabled (save_button));
  g_assert_false (gtk_widget_get_visible (error_group));

  ui_set_text (ui_template_child (dialog, type, "name_row"), "EU proxy");
  ui_set_text (authorize_row, "http://auth.example.eu/authorize");
  ui_set_text (ui_template_child (dialog, type, "token_row"),
               "https://auth.example.eu/oauth/token");
  ui_set_text (ui_template_child (dialog, type, "audience_row"), "https://api.example.eu/v1/");
  ui_set_text (ui_template_child (dialog, type, "api_base_row"), "https://api.example.eu/v1");

  /* Plain http to a host that is not this computer is refused, on the right row. */
  g_assert_false (save_enabled (save_button));
  g_assert_true (gtk_widget_get_visible (error_group));
  g_assert_true (gtk_widget_has_css_class (authorize_row, "error"));

  ui_set_text (authorize_row, "https://auth.example.eu/authorize");
  g_assert_true (save_enabled (save_button));
  g_assert_false (gtk_widget_get_visible (error_group));
  g_assert_false (gtk_widget_has_css_class (authorize_row, "error"));

  ui_save_composite_screenshot (GTK_WIDGET (window), GTK_WIDGET (dialog), "environment-dialog.png");

  gtk_widget_activate (save_button);
  ui_wait_until_closed (dialog);

  environment = fulcrum_store_find_environment (store (), "EU proxy");
  g_assert_nonnull (environment);
  g_assert_false (fulcrum_environment_is_builtin (environment));
  g_assert_cmpstr (fulcrum_environment_get_authorize_url (environment), ==,
                   "https://auth.example.eu/authorize");
  ui_iterate ();
  g_assert_cmpuint (ui_list_box_n_rows (custom_list), ==, 1);
  ui_save_screenshot (GTK_WIDGET (window), "window-environments-custom.png");

  /* Edit it: the dialog shows what is stored, and the row follows the change. */
  gtk_widget_activate_action (page, "environments.edit", "s",
                              fulcrum_environment_get_id (environment));
  g_clear_object (&dialog);
  dialog = ui_wait_for_window (type);
  save_button = ui_template_child (dialog, type, "save_button");
  g_assert_cmpstr (gtk_editable_get_text (ui_template_child (dialog, type, "authorize_row")), ==,
                   "https://auth.example.eu/authorize");
  ui_set_text (ui_template_child (dialog, type, "name_row"), "EU data centre");
  gtk_spin_button_set_value (ui_template_child (dialog, type, "burst_spin"), 5);
  g_assert_true (save_enabled (save_button));
  gtk_widget_activate (save_button);
  ui_wait_until_closed (dialog);

  g_assert_cmpstr (fulcrum_environment_get_name (environment), ==, "EU data centre");
  g_assert_cmpuint (fulcrum_environment_get_rate_burst (environment), ==, 5);
  row = ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (custom_list, 0));
  g_assert_cmpstr (adw_preferences_row_get_title (row), ==, "EU data centre");

  /* Delete it, confirming in the dialog. */
  gtk_widget_activate_action (page, "environments.delete", "s",
                              fulcrum_environment_get_id (environment));
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  ui_answer (confirm, "delete");

  g_assert_null (fulcrum_store_find_environment (store (), "EU data centre"));
  g_assert_cmpuint (ui_list_box_n_rows (custom_list), ==, 0);
}

static void
test_profile_create (void)
{
  GtkWidget *page = ui_template_child (window, FULCRUM_TYPE_WINDOW, "profiles_page");
  GtkStack *page_stack = ui_template_child (page, G_TYPE_FROM_INSTANCE (page), "stack");
  GType type = FULCRUM_TYPE_PROFILE_EDITOR;
  g_autoptr(GtkWindow) editor = NULL;
  GtkWidget *save_button, *redirect_row, *reset_button, *error_group;
  AdwComboRow *environment_row;
  FulcrumScopesEditor *scopes_editor;
  GtkSwitch *read_switch, *write_switch;
  g_autoptr(GPtrArray) turned_on = g_ptr_array_new ();
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  g_auto(GStrv) expected_scopes = NULL;
  g_autofree char *sandbox_uri = NULL;
  g_autofree char *production_uri = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *found_in = NULL;
  g_autofree char *registration = NULL;
  g_autoptr(GError) error = NULL;
  FulcrumConnectorProfile *profile;
  const char * const *scopes;
  GtkViewport *viewport;
  const FulcrumScopeResource *resources;
  GListModel *profiles = fulcrum_store_get_profiles (store ());
  guint n_resources = 0;
  gboolean saved = FALSE;

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("profiles"));
  ui_iterate ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "empty");
  ui_save_screenshot (GTK_WIDGET (window), "window-profiles-empty.png");

  /* Ctrl+N's action. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "new-profile", NULL);
  editor = ui_wait_for_window (type);
  g_assert_true (gtk_window_get_modal (editor));
  g_assert_true (gtk_window_get_transient_for (editor) == GTK_WINDOW (window));

  save_button = ui_template_child (editor, type, "save_button");
  redirect_row = ui_template_child (editor, type, "redirect_row");
  reset_button = ui_template_child (editor, type, "reset_redirect_button");
  error_group = ui_template_child (editor, type, "error_group");
  environment_row = ui_template_child (editor, type, "environment_row");
  scopes_editor = ui_template_child (editor, type, "scopes_editor");

  g_assert_false (save_enabled (save_button));

  /* The redirect URI follows the environment... */
  sandbox_uri = default_redirect (FULCRUM_ENVIRONMENT_ID_SANDBOX);
  production_uri = default_redirect (FULCRUM_ENVIRONMENT_ID_PRODUCTION);
  select_environment (environment_row, FULCRUM_ENVIRONMENT_ID_PRODUCTION);
  ui_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (redirect_row)), ==, production_uri);
  select_environment (environment_row, FULCRUM_ENVIRONMENT_ID_SANDBOX);
  ui_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (redirect_row)), ==, sandbox_uri);
  g_assert_false (gtk_widget_get_visible (reset_button));

  /* ...until the user edits it; then the reset button brings the default back. */
  ui_set_text (redirect_row, "http://127.0.0.1:8123/callback/mine");
  g_assert_true (gtk_widget_get_visible (reset_button));
  select_environment (environment_row, FULCRUM_ENVIRONMENT_ID_PRODUCTION);
  ui_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (redirect_row)), ==,
                   "http://127.0.0.1:8123/callback/mine");
  select_environment (environment_row, FULCRUM_ENVIRONMENT_ID_SANDBOX);
  /* (gtk_widget_activate() would click only after the pressed-look timeout.) */
  g_signal_emit_by_name (reset_button, "clicked");
  ui_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (redirect_row)), ==, sandbox_uri);
  g_assert_false (gtk_widget_get_visible (reset_button));

  ui_set_text (ui_template_child (editor, type, "name_row"), "Acme sandbox");
  ui_set_text (ui_template_child (editor, type, "client_id_row"), "acme-client-0042");
  ui_set_text (ui_template_child (editor, type, "secret_row"), test_secret);

  /* Required scopes are on and locked. */
  read_switch = fulcrum_scopes_editor_get_switch (scopes_editor, "offline_access");
  g_assert_true (gtk_switch_get_active (read_switch));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (read_switch)));
  read_switch = fulcrum_scopes_editor_get_switch (scopes_editor, "users:read:admin");
  g_assert_true (gtk_switch_get_active (read_switch));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (read_switch)));

  /* Write implies read: read goes on and cannot be turned off. */
  read_switch = fulcrum_scopes_editor_get_switch (scopes_editor, "notes:read:admin");
  write_switch = fulcrum_scopes_editor_get_switch (scopes_editor, "notes:write:admin");
  g_assert_false (gtk_switch_get_active (read_switch));
  gtk_switch_set_active (write_switch, TRUE);
  ui_iterate ();
  g_assert_true (gtk_switch_get_active (read_switch));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (read_switch)));
  read_switch = fulcrum_scopes_editor_get_switch (scopes_editor, "contact:read:admin");
  gtk_switch_set_active (read_switch, TRUE);
  ui_iterate ();
  g_assert_true (save_enabled (save_button));

  /* More than Lever's 20 scopes: invalid, and Save goes insensitive. */
  resources = fulcrum_scopes_get_resources (&n_resources);
  for (guint i = 0; i < n_resources && fulcrum_scopes_editor_get_valid (scopes_editor); i++)
    {
      GtkSwitch *switch_;

      if (resources[i].read_scope == NULL)
        continue;

      switch_ = fulcrum_scopes_editor_get_switch (scopes_editor, resources[i].read_scope);
      if (!gtk_switch_get_active (switch_))
        {
          gtk_switch_set_active (switch_, TRUE);
          g_ptr_array_add (turned_on, switch_);
        }
      ui_iterate ();
    }
  g_assert_false (fulcrum_scopes_editor_get_valid (scopes_editor));
  g_assert_nonnull (fulcrum_scopes_editor_get_error (scopes_editor));
  g_assert_false (save_enabled (save_button));

  /* Back to a valid set. */
  for (guint i = 0; i < turned_on->len; i++)
    gtk_switch_set_active (turned_on->pdata[i], FALSE);
  ui_iterate ();
  g_assert_true (fulcrum_scopes_editor_get_valid (scopes_editor));
  g_assert_true (save_enabled (save_button));

  /* A required scope forced off programmatically is caught too. */
  read_switch = fulcrum_scopes_editor_get_switch (scopes_editor, "offline_access");
  gtk_switch_set_active (read_switch, FALSE);
  ui_iterate ();
  g_assert_false (save_enabled (save_button));
  gtk_switch_set_active (read_switch, TRUE);
  ui_iterate ();
  g_assert_true (save_enabled (save_button));

  /* The registration helper. */
  ui_set_text (registration_child (editor, "integration_row"),
            "Acme Sync");
  ui_set_text (registration_child (editor, "description_row"),
            "Too short");
  g_assert_false (save_enabled (save_button));
  g_assert_true (gtk_widget_get_visible (error_group));
  ui_set_text (registration_child (editor, "description_row"),
            "Keeps Acme’s candidate pipeline in step with Lever, every night.");
  ui_set_text (registration_child (editor, "logo_row"),
            "https://acme.example/logo-150.png");
  g_assert_true (save_enabled (save_button));
  g_assert_false (gtk_widget_get_visible (error_group));

  ui_save_composite_screenshot (GTK_WIDGET (window), GTK_WIDGET (editor), "window-profiles.png");
  /* The editor's whole page, top to bottom, beyond what the window shows. */
  viewport = ui_find_descendant (ui_template_child (editor, type, "page"), GTK_TYPE_VIEWPORT);
  ui_save_screenshot (gtk_viewport_get_child (viewport), "profile-editor-page.png");

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.copy-registration", NULL);
  ui_iterate ();

  /* What the model should hold: the defaults plus what was switched on, minimal. */
  for (const char * const *s = fulcrum_scopes_get_default (); *s; s++)
    g_ptr_array_add (wanted, (gpointer) *s);
  g_ptr_array_add (wanted, (gpointer) "notes:write:admin");
  g_ptr_array_add (wanted, (gpointer) "contact:read:admin");
  g_ptr_array_add (wanted, NULL);
  expected_scopes = fulcrum_scopes_normalize ((const char * const *) wanted->pdata, &error);
  g_assert_no_error (error);

  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  g_assert_true (save_enabled (save_button));
  gtk_widget_activate (save_button);
  fulcrum_test_wait_for (&saved, WAIT_MS);
  ui_wait_until_closed (editor);

  /* The model */
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 1);
  profile = fulcrum_store_find_profile (store (), "Acme sandbox");
  g_assert_nonnull (profile);
  g_assert_cmpstr (fulcrum_connector_profile_get_name (profile), ==, "Acme sandbox");
  g_assert_cmpstr (fulcrum_connector_profile_get_environment_id (profile), ==,
                   FULCRUM_ENVIRONMENT_ID_SANDBOX);
  g_assert_cmpstr (fulcrum_connector_profile_get_client_id (profile), ==, "acme-client-0042");
  g_assert_cmpstr (fulcrum_connector_profile_get_redirect_uri (profile), ==, sandbox_uri);
  g_assert_true (g_strv_equal ((const char * const *) expected_scopes,
                               fulcrum_connector_profile_get_scopes (profile)));
  scopes = fulcrum_connector_profile_get_scopes (profile);
  g_assert_true (g_strv_contains (scopes, "notes:write:admin"));
  g_assert_false (g_strv_contains (scopes, "notes:read:admin"));
  g_assert_true (fulcrum_connector_profile_get_has_secret (profile));
  g_assert_cmpstr (fulcrum_connector_profile_get_integration_name (profile), ==, "Acme Sync");
  g_assert_cmpstr (fulcrum_connector_profile_get_logo_url (profile), ==,
                   "https://acme.example/logo-150.png");

  /* Registration text carries the callback and the scopes. */
  registration = fulcrum_connector_profile_dup_registration_text (profile);
  g_assert_nonnull (strstr (registration, sandbox_uri));
  g_assert_nonnull (strstr (registration, "notes:write:admin"));

  /* The config file, as a new process reads it. */
  g_assert_cmpuint (profiles_on_disk ("Acme sandbox"), ==, 1);

  /* The keyring */
  stored = lookup_client_secret (fulcrum_connector_profile_get_id (profile));
  g_assert_cmpstr (stored, ==, test_secret);

  /* No file of ours (config, data, cache, runtime) holds the secret in clear. */
  g_assert_false (fulcrum_test_dir_contains (fulcrum_test_get_root (), test_secret, &found_in));

  ui_iterate ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "list");
  ui_save_screenshot (GTK_WIDGET (window), "window-profiles-list.png");
}

static void
test_profile_edit (void)
{
  GtkWidget *page = ui_template_child (window, FULCRUM_TYPE_WINDOW, "profiles_page");
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store (), "Acme sandbox");
  GType type = FULCRUM_TYPE_PROFILE_EDITOR;
  g_autofree char *stored = NULL;
  g_autofree char *production_uri = NULL;
  g_autoptr(GtkWindow) editor = NULL;
  GtkWidget *save_button;
  gboolean saved = FALSE;

  g_assert_nonnull (profile);

  /* Activating the row. */
  gtk_widget_activate_action (page, "profiles.edit", "s",
                              fulcrum_connector_profile_get_id (profile));
  editor = ui_wait_for_window (type);
  save_button = ui_template_child (editor, type, "save_button");

  g_assert_cmpstr (gtk_editable_get_text (ui_template_child (editor, type, "name_row")), ==,
                   "Acme sandbox");
  g_assert_cmpstr (gtk_editable_get_text (ui_template_child (editor, type, "client_id_row")), ==,
                   "acme-client-0042");
  /* The secret is never read back into the window. */
  g_assert_cmpstr (gtk_editable_get_text (ui_template_child (editor, type, "secret_row")), ==, "");
  g_assert_true (save_enabled (save_button));

  /* A default redirect URI still follows the environment when editing. */
  adw_combo_row_set_selected (ui_template_child (editor, type, "environment_row"),
                              environment_position (FULCRUM_ENVIRONMENT_ID_PRODUCTION));
  production_uri = default_redirect (FULCRUM_ENVIRONMENT_ID_PRODUCTION);
  ui_iterate ();
  g_assert_cmpstr (gtk_editable_get_text (ui_template_child (editor, type, "redirect_row")), ==,
                   production_uri);
  ui_set_text (ui_template_child (editor, type, "name_row"), "Acme production");

  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), &saved);
  gtk_widget_activate (save_button);
  fulcrum_test_wait_for (&saved, WAIT_MS);
  ui_wait_until_closed (editor);

  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_profiles (store ())), ==, 1);
  g_assert_cmpstr (fulcrum_connector_profile_get_name (profile), ==, "Acme production");
  g_assert_cmpstr (fulcrum_connector_profile_get_environment_id (profile), ==,
                   FULCRUM_ENVIRONMENT_ID_PRODUCTION);
  g_assert_cmpstr (fulcrum_connector_profile_get_redirect_uri (profile), ==, production_uri);
  /* Saving without typing a secret keeps the stored one. */
  g_assert_true (fulcrum_connector_profile_get_has_secret (profile));
  stored = lookup_client_secret (fulcrum_connector_profile_get_id (profile));
  g_assert_cmpstr (stored, ==, test_secret);
  g_assert_cmpuint (profiles_on_disk ("Acme production"), ==, 1);
}

/* Escape with nothing changed just closes; with a change typed, it asks first. */
static void
test_profile_discard (void)
{
  GtkWidget *page = ui_template_child (window, FULCRUM_TYPE_WINDOW, "profiles_page");
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store (), "Acme production");
  GType type = FULCRUM_TYPE_PROFILE_EDITOR;
  g_autoptr(GtkWindow) editor = NULL;
  g_autoptr(GtkWindow) confirm = NULL;

  g_assert_nonnull (profile);

  gtk_widget_activate_action (page, "profiles.edit", "s",
                              fulcrum_connector_profile_get_id (profile));
  editor = ui_wait_for_window (type);
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  ui_wait_until_closed (editor);
  g_assert_null (ui_find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_clear_object (&editor);

  gtk_widget_activate_action (page, "profiles.edit", "s",
                              fulcrum_connector_profile_get_id (profile));
  editor = ui_wait_for_window (type);
  ui_set_text (ui_template_child (editor, type, "name_row"), "Acme renamed");
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (gtk_window_get_transient_for (confirm) == editor);
  ui_save_composite_screenshot (GTK_WIDGET (editor), GTK_WIDGET (confirm),
                                "profile-discard.png");

  /* Keep Editing: the editor and what was typed stay. */
  ui_answer (confirm, "cancel");
  ui_iterate ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpstr (gtk_editable_get_text (ui_template_child (editor, type, "name_row")), ==,
                   "Acme renamed");

  /* Discard: closed, and nothing changed. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  g_clear_object (&confirm);
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  ui_answer (confirm, "discard");
  ui_wait_until_closed (editor);
  g_assert_cmpstr (fulcrum_connector_profile_get_name (profile), ==, "Acme production");
  g_assert_cmpuint (profiles_on_disk ("Acme production"), ==, 1);
}

static void
test_accounts_page (void)
{
  GtkWidget *page = ui_template_child (window, FULCRUM_TYPE_WINDOW, "accounts_page");
  GtkStack *page_stack = ui_template_child (page, G_TYPE_FROM_INSTANCE (page), "stack");
  GtkListBox *list = ui_template_child (page, G_TYPE_FROM_INSTANCE (page), "list");
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store (), "Acme production");
  GtkListBoxRow *row;

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("accounts"));
  ui_iterate ();
  g_assert_cmpstr (fulcrum_window_get_page (window), ==, "accounts");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "empty");
  ui_save_screenshot (GTK_WIDGET (window), "window-accounts.png");

  /* An account (as fulcrumctl or a later version would link it) shows with its status. */
  g_assert_nonnull (profile);
  account = fulcrum_linked_account_new ("acme-org", fulcrum_connector_profile_get_id (profile),
                                        FULCRUM_ENVIRONMENT_ID_PRODUCTION);
  fulcrum_linked_account_set_label (account, "Acme Corp");
  fulcrum_linked_account_set_status (account, FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);
  fulcrum_store_add_account (store (), account);
  ui_iterate ();

  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "list");
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_true (FULCRUM_IS_ACCOUNT_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Acme Corp");
  g_assert_cmpstr (fulcrum_account_row_get_status_text (FULCRUM_ACCOUNT_ROW (row)), ==,
                   fulcrum_account_status_get_title (FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK));
  ui_save_screenshot (GTK_WIDGET (window), "window-accounts-list.png");

  fulcrum_store_remove_account (store (), account);
  ui_iterate ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack), ==, "empty");
}

static void
wait_for_folded (AdwLeaflet *leaflet,
                 gboolean    folded)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (adw_leaflet_get_folded (leaflet) != folded && g_get_monotonic_time () < deadline)
    ui_wait_for_frames (GTK_WIDGET (window));

  g_assert_true (adw_leaflet_get_folded (leaflet) == folded);
}

/* On a narrow screen the sidebar and the page take turns, with a back button. */
static void
test_folded (void)
{
  AdwLeaflet *leaflet = ui_template_child (window, FULCRUM_TYPE_WINDOW, "leaflet");
  GtkWidget *back_button = ui_template_child (window, FULCRUM_TYPE_WINDOW, "back_button");
  GtkWidget *content_box = ui_template_child (window, FULCRUM_TYPE_WINDOW, "content_box");
  GtkWidget *sidebar_box = ui_template_child (window, FULCRUM_TYPE_WINDOW, "sidebar_box");
  GtkListBox *sidebar = ui_template_child (window, FULCRUM_TYPE_WINDOW, "sidebar");

  g_assert_false (gtk_widget_get_visible (back_button));

  gtk_window_set_default_size (GTK_WINDOW (window), 400, 640);
  wait_for_folded (leaflet, TRUE);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("environments"));
  ui_iterate ();
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == content_box);
  g_assert_true (gtk_widget_get_visible (back_button));
  ui_save_screenshot (GTK_WIDGET (window), "window-folded-page.png");

  g_action_group_activate_action (G_ACTION_GROUP (window), "go-back", NULL);
  ui_iterate ();
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == sidebar_box);
  ui_save_screenshot (GTK_WIDGET (window), "window-folded-sidebar.png");

  /* Picking a page in the sidebar goes to it. */
  g_signal_emit_by_name (sidebar, "row-activated", gtk_list_box_get_row_at_index (sidebar, 2));
  ui_iterate ();
  g_assert_cmpstr (fulcrum_window_get_page (window), ==, "accounts");
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == content_box);

  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  wait_for_folded (leaflet, FALSE);
  g_assert_false (gtk_widget_get_visible (back_button));
}

static void
test_profile_delete (void)
{
  GtkWidget *page = ui_template_child (window, FULCRUM_TYPE_WINDOW, "profiles_page");
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store (), "Acme production");
  g_autofree char *profile_id = NULL;
  g_autofree char *stored = NULL;
  GListModel *profiles = fulcrum_store_get_profiles (store ());
  g_autoptr(GtkWindow) editor = NULL;
  g_autoptr(GtkWindow) confirm = NULL;
  gint64 deadline;

  g_assert_nonnull (profile);
  profile_id = g_strdup (fulcrum_connector_profile_get_id (profile));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("profiles"));
  gtk_widget_activate_action (page, "profiles.edit", "s", profile_id);
  editor = ui_wait_for_window (FULCRUM_TYPE_PROFILE_EDITOR);

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.delete", NULL);
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (gtk_window_get_transient_for (confirm) == editor);

  /* Cancel keeps everything. */
  ui_answer (confirm, "cancel");
  ui_iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.delete", NULL);
  g_clear_object (&confirm);
  confirm = ui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  ui_answer (confirm, "delete");
  ui_wait_until_closed (editor);

  /* The keyring is cleared first, then the profile goes. */
  deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  while (g_list_model_get_n_items (profiles) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 0);

  stored = lookup_client_secret (profile_id);
  g_assert_null (stored);
  wait_for_profiles_on_disk (NULL, 0);
}

static void
test_window_state_saved (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_test_skip ("GSettings schema not compiled");
      return;
    }

  gtk_window_set_default_size (GTK_WINDOW (window), 1010, 710);
  gtk_window_close (GTK_WINDOW (window));
  ui_iterate ();
  window = NULL;

  settings = g_settings_new (APP_ID);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1010);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 710);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_dir = NULL;
  g_autofree char *config_file = NULL;
  g_autofree char *sim_port = NULL;
  int ret;

  ui_init_environment ();
  g_test_init (&argc, &argv, NULL);

  /* Never the user's simulator port, should anything here start the simulator. */
  sim_port = g_strdup_printf ("%u", fulcrum_test_free_port ());
  g_setenv ("FULCRUM_SIMULATOR_PORT", sim_port, TRUE);

  config_dir = g_build_filename (g_get_user_config_dir (), "fulcrum", NULL);
  config_file = g_build_filename (config_dir, "config.json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config_file, "{ \"version\": 1, \"profiles\": [", -1, NULL));

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

  g_test_add_func ("/ui/window/opens", test_window_opens);
  g_test_add_func ("/ui/window/load-error", test_load_error);
  g_test_add_func ("/ui/window/environments", test_environments_page);
  g_test_add_func ("/ui/window/custom-environment", test_custom_environment);
  g_test_add_func ("/ui/window/profile-create", test_profile_create);
  g_test_add_func ("/ui/window/profile-edit", test_profile_edit);
  g_test_add_func ("/ui/window/profile-discard", test_profile_discard);
  g_test_add_func ("/ui/window/accounts", test_accounts_page);
  g_test_add_func ("/ui/window/profile-delete", test_profile_delete);
  g_test_add_func ("/ui/window/folded", test_folded);
  g_test_add_func ("/ui/window/state-saved", test_window_state_saved);

  ret = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  ui_iterate ();
  g_clear_object (&app);

  return ret;
}
