/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static guint n;

  f->dir = g_strdup_printf ("%s/store-%u", g_get_user_config_dir (), ++n);
  f->path = g_build_filename (f->dir, "config.json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->dir);
  g_free (f->path);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static FulcrumStore *
populated_store (const char *dir)
{
  g_autoptr(FulcrumStore) store = fulcrum_store_new (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumEnvironment) env = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  const char *scopes[] = { "offline_access", "users:read:admin", "notes:write:admin", NULL };
  const char *actions[] = { "lever_list_opportunities", "lever_create_note", NULL };
  const char *granted[] = { "offline_access", "users:read:admin", NULL };
  g_autofree char *env_id = NULL;
  g_autofree char *profile_id = NULL;

  g_assert_true (fulcrum_store_load (store, &error));
  g_assert_no_error (error);

  env_id = fulcrum_store_make_id (store, "EU Data Centre");
  g_assert_cmpstr (env_id, ==, "eu-data-centre");
  env = fulcrum_environment_new_custom (env_id, "EU Data Centre",
                                        "https://auth.eu.example/authorize",
                                        "https://auth.eu.example/oauth/token",
                                        "https://api.eu.example/v1/", "https://api.eu.example/v1",
                                        7.5, 15, &error);
  g_assert_no_error (error);
  g_assert_true (fulcrum_store_add_environment (store, env, &error));
  g_assert_no_error (error);

  profile_id = fulcrum_store_make_id (store, "Acme Sync");
  profile = fulcrum_connector_profile_new (profile_id, env_id);
  fulcrum_connector_profile_set_name (profile, "Acme Sync");
  fulcrum_connector_profile_set_client_id (profile, "client-123");
  g_assert_true (fulcrum_connector_profile_set_scopes (profile, scopes, &error));
  fulcrum_connector_profile_set_enabled_actions (profile, actions);
  fulcrum_connector_profile_set_has_secret (profile, TRUE);
  fulcrum_connector_profile_set_description (profile, "Syncs candidates into Acme's HRIS nightly.");
  fulcrum_connector_profile_set_logo_url (profile, "https://acme.example/logo.png");
  fulcrum_connector_profile_set_integration_name (profile, "Acme HRIS Sync");
  g_assert_true (fulcrum_connector_profile_validate (profile, &error));
  g_assert_no_error (error);
  g_assert_true (fulcrum_store_add_profile (store, profile, &error));
  g_assert_no_error (error);

  account = fulcrum_linked_account_new ("acct-1", profile_id, env_id);
  fulcrum_linked_account_set_label (account, "Globex Corp");
  fulcrum_linked_account_set_status (account, FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);
  fulcrum_linked_account_set_status_message (account, "The refresh token expired");
  fulcrum_linked_account_set_granted_scopes (account, granted);
  fulcrum_linked_account_set_expires_at (account, 1790000000);
  fulcrum_linked_account_set_linked_at (account, 1780000000);
  fulcrum_linked_account_set_last_refresh (account, 1785000000);
  fulcrum_linked_account_set_last_used (account, 1786000000);
  fulcrum_store_add_account (store, account);

  return g_steal_pointer (&store);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(FulcrumStore) store = populated_store (f->dir);
  g_autoptr(FulcrumStore) again = fulcrum_store_new (f->dir);
  g_autoptr(GError) error = NULL;
  FulcrumEnvironment *env;
  FulcrumConnectorProfile *profile;
  FulcrumLinkedAccount *account;
  const char *scopes[] = { "offline_access", "users:read:admin", "notes:write:admin", NULL };
  const char *actions[] = { "lever_list_opportunities", "lever_create_note", NULL };
  const char *granted[] = { "offline_access", "users:read:admin", NULL };
  GStatBuf st;

  g_assert_true (fulcrum_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (fulcrum_store_load (again, &error));
  g_assert_no_error (error);
  /* Three built-ins and the custom one. */
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_environments (again)), ==, 4);

  env = fulcrum_store_find_environment (again, "eu data centre");
  g_assert_nonnull (env);
  g_assert_cmpstr (fulcrum_environment_get_id (env), ==, "eu-data-centre");
  g_assert_cmpstr (fulcrum_environment_get_audience (env), ==, "https://api.eu.example/v1/");
  g_assert_cmpfloat (fulcrum_environment_get_rate_limit (env), ==, 7.5);
  g_assert_cmpuint (fulcrum_environment_get_rate_burst (env), ==, 15);

  profile = fulcrum_store_find_profile (again, "acme-sync");
  g_assert_nonnull (profile);
  g_assert_true (profile == fulcrum_store_find_profile (again, "ACME SYNC"));
  g_assert_cmpstr (fulcrum_connector_profile_get_client_id (profile), ==, "client-123");
  g_assert_cmpstrv (fulcrum_connector_profile_get_scopes (profile), scopes);
  g_assert_cmpstrv (fulcrum_connector_profile_get_enabled_actions (profile), actions);
  g_assert_true (fulcrum_connector_profile_get_has_secret (profile));
  g_assert_cmpstr (fulcrum_connector_profile_get_redirect_uri (profile), ==,
                   "http://127.0.0.1:53682/callback/eu-data-centre");
  g_assert_cmpstr (fulcrum_connector_profile_get_integration_name (profile), ==, "Acme HRIS Sync");
  g_assert_cmpstr (fulcrum_connector_profile_get_logo_url (profile), ==, "https://acme.example/logo.png");

  account = fulcrum_store_find_account (again, "Globex Corp");
  g_assert_nonnull (account);
  g_assert_cmpstr (fulcrum_linked_account_get_profile_id (account), ==, "acme-sync");
  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==, FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);
  g_assert_cmpstr (fulcrum_linked_account_get_status_message (account), ==, "The refresh token expired");
  g_assert_cmpstrv (fulcrum_linked_account_get_granted_scopes (account), granted);
  g_assert_cmpint (fulcrum_linked_account_get_expires_at (account), ==, 1790000000);
  g_assert_cmpint (fulcrum_linked_account_get_linked_at (account), ==, 1780000000);
  g_assert_cmpint (fulcrum_linked_account_get_last_refresh (account), ==, 1785000000);
  g_assert_cmpint (fulcrum_linked_account_get_last_used (account), ==, 1786000000);
}

static void
test_atomic_write (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(FulcrumStore) store = populated_store (f->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *contents = NULL;
  const char *name;

  write_file (f->path, "{\"version\": 1}");
  g_assert_true (fulcrum_store_save (store, &error));
  g_assert_no_error (error);

  /* The old file was replaced whole and no temporary file is left behind. */
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "acme-sync"));
  dir = g_dir_open (f->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    g_assert_cmpstr (name, ==, "config.json");
}

static void
check_moved_aside (Fixture    *f,
                   const char *contents)
{
  g_autoptr(FulcrumStore) store = fulcrum_store_new (f->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  const char *name;

  write_file (f->path, contents);

  g_assert_false (fulcrum_store_load (store, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_CORRUPT);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "config.json.corrupt-"))
      aside = g_build_filename (f->dir, name, NULL);
  g_assert_nonnull (aside);
  /* The user is told where the old file went, and it is intact. */
  g_assert_nonnull (strstr (error->message, aside));
  g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, contents);
  g_remove (aside);

  /* The store is usable and empty, and saving does not touch the moved file. */
  g_assert_false (fulcrum_store_get_read_only (store));
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_profiles (store)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_environments (store)), ==, 3);
  g_clear_error (&error);
  g_assert_true (fulcrum_store_save (store, &error));
  g_assert_no_error (error);
  g_remove (f->path);
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  check_moved_aside (f, "{\"version\": 1, \"profiles\": [ {\"id\": \"a\", ");
  check_moved_aside (f, "[1, 2, 3]");
  check_moved_aside (f, "{\"profiles\": []}");
  check_moved_aside (f, "{\"version\": 1, \"profiles\": {\"id\": \"x\"}}");
  check_moved_aside (f, "{\"version\": 1, \"profiles\": [ {\"name\": \"no id\"} ]}");
  check_moved_aside (f, "{\"version\": 1, \"environments\": [ {\"id\": \"e\", \"name\": \"E\", "
                        "\"authorize_url\": \"http://evil.example/a\"} ]}");
  check_moved_aside (f, "\xff\xfe garbage");
}

static void
test_newer_version_is_read_only (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(FulcrumStore) store = fulcrum_store_new (f->dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = fulcrum_connector_profile_new ("p", "production");
  const char *future = "{\"version\": 99, \"profiles\": [], \"quantum\": true}";

  write_file (f->path, future);
  g_assert_false (fulcrum_store_load (store, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_NEWER_VERSION);
  g_clear_error (&error);
  g_assert_true (fulcrum_store_get_read_only (store));

  fulcrum_connector_profile_set_name (profile, "P");
  g_assert_false (fulcrum_store_add_profile (store, profile, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (fulcrum_store_save (store, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_READ_ONLY);

  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, future);
}

static void
test_unreadable_is_never_overwritten (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(FulcrumStore) store = fulcrum_store_new (f->dir);
  g_autoptr(GError) error = NULL;

  /* A directory where the file should be: reading fails even as root. */
  g_assert_cmpint (g_mkdir (f->path, 0700), ==, 0);
  g_assert_false (fulcrum_store_load (store, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_true (fulcrum_store_get_read_only (store));
  g_assert_false (fulcrum_store_save (store, &error));
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_DIR));
  g_rmdir (f->path);
}

static void
test_ids_and_rules (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(FulcrumStore) store = populated_store (f->dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumConnectorProfile) dup = NULL;
  g_autoptr(FulcrumConnectorProfile) orphan = NULL;
  g_autofree char *id1 = fulcrum_store_make_id (store, "Acme Sync");
  g_autofree char *id2 = fulcrum_store_make_id (store, "Ünïcode / Ünsafe ??");
  g_autofree char *id3 = fulcrum_store_make_id (store, "!!!");
  g_autofree char *id4 = fulcrum_store_make_id (store, "production");
  FulcrumEnvironment *env = fulcrum_store_find_environment (store, "eu-data-centre");
  FulcrumEnvironment *prod = fulcrum_store_find_environment (store, "Lever Production");

  g_assert_cmpstr (id1, ==, "acme-sync-2");
  g_assert_cmpstr (id2, ==, "unicode-unsafe");
  g_assert_cmpstr (id3, ==, "item");
  g_assert_cmpstr (id4, ==, "production-2");

  dup = fulcrum_connector_profile_new (id1, "production");
  fulcrum_connector_profile_set_name (dup, "ACME sync");
  g_assert_false (fulcrum_store_add_profile (store, dup, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME);
  g_clear_error (&error);

  orphan = fulcrum_connector_profile_new ("orphan", "no-such-env");
  fulcrum_connector_profile_set_name (orphan, "Orphan");
  g_assert_false (fulcrum_store_add_profile (store, orphan, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (fulcrum_store_remove_environment (store, prod, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_IN_USE);
  g_clear_error (&error);

  g_assert_false (fulcrum_store_remove_environment (store, env, &error));
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "Acme Sync"));
  g_clear_error (&error);

  /* Removing the profile removes its accounts; then the environment can go. */
  fulcrum_store_remove_profile (store, fulcrum_store_find_profile (store, "acme-sync"));
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (store)), ==, 0);
  g_assert_true (fulcrum_store_remove_environment (store, env, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_environments (store)), ==, 3);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

static void
test_item_changed_reaches_its_list (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(FulcrumStore) store = populated_store (f->dir);
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store, "acme-sync");
  FulcrumLinkedAccount *account = fulcrum_store_find_account (store, "acct-1");
  guint profiles_changed = 0, accounts_changed = 0;

  g_signal_connect (fulcrum_store_get_profiles (store), "items-changed",
                    G_CALLBACK (items_changed_cb), &profiles_changed);
  g_signal_connect (fulcrum_store_get_accounts (store), "items-changed",
                    G_CALLBACK (items_changed_cb), &accounts_changed);

  fulcrum_store_item_changed (store, G_OBJECT (profile));
  g_assert_cmpuint (profiles_changed, ==, 1);
  g_assert_cmpuint (accounts_changed, ==, 0);
  fulcrum_store_item_changed (store, G_OBJECT (account));
  g_assert_cmpuint (profiles_changed, ==, 1);
  g_assert_cmpuint (accounts_changed, ==, 1);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (fulcrum_store_save_finish (FULCRUM_STORE (object), result, &error));
  g_assert_no_error (error);
  (*pending)--;
}

static void
test_async_saves_keep_the_last (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(FulcrumStore) store = populated_store (f->dir);
  g_autoptr(FulcrumStore) again = fulcrum_store_new (f->dir);
  g_autoptr(GError) error = NULL;
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store, "acme-sync");
  guint pending = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("Acme Sync %u", i);

      fulcrum_connector_profile_set_name (profile, name);
      pending++;
      fulcrum_store_save_async (store, NULL, save_done_cb, &pending);
    }

  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (fulcrum_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fulcrum_store_find_profile (again, "Acme Sync 19"));
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/round-trip", test_round_trip);
  ADD ("/store/atomic-write", test_atomic_write);
  ADD ("/store/corrupt-moved-aside", test_corrupt);
  ADD ("/store/newer-version-read-only", test_newer_version_is_read_only);
  ADD ("/store/unreadable-never-overwritten", test_unreadable_is_never_overwritten);
  ADD ("/store/ids-and-rules", test_ids_and_rules);
  ADD ("/store/async-saves-keep-the-last", test_async_saves_keep_the_last);
  ADD ("/store/item-changed", test_item_changed_reaches_its_list);
#undef ADD

  return g_test_run ();
}
