/* test-secret-store.c
 *
 * Runs against libsecret's encrypted file backend by default, and against a real
 * gnome-keyring when FULCRUM_TEST_REAL_KEYRING is set (see keyring-smoke.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"

typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *secret;
  GError   *error;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->secret, fulcrum_secret_free);
  g_clear_error (&r->error);
  memset (r, 0, sizeof *r);
}

static void
store_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->ok = fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &r->error);
  r->done = TRUE;
}

static void
lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->secret = fulcrum_secret_store_lookup_finish (FULCRUM_SECRET_STORE (object), result, &r->error);
  r->ok = r->error == NULL;
  r->done = TRUE;
}

static void
clear_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->ok = fulcrum_secret_store_clear_finish (FULCRUM_SECRET_STORE (object), result, &r->error);
  r->done = TRUE;
}

static void
store_secret (FulcrumSecretStore *secrets,
              FulcrumSecretKind   kind,
              const char         *profile,
              const char         *account,
              const char         *secret)
{
  Result r = { 0 };

  fulcrum_secret_store_store_async (secrets, kind, profile, account, secret, NULL, store_cb, &r);
  fulcrum_test_wait_for (&r.done, 20000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  result_clear (&r);
}

static char *
lookup_secret (FulcrumSecretStore *secrets,
               FulcrumSecretKind   kind,
               const char         *profile,
               const char         *account)
{
  Result r = { 0 };
  char *ret;

  fulcrum_secret_store_lookup_async (secrets, kind, profile, account, NULL, lookup_cb, &r);
  fulcrum_test_wait_for (&r.done, 20000);
  g_assert_no_error (r.error);
  ret = g_strdup (r.secret);
  result_clear (&r);

  return ret;
}

static void
clear_secrets (FulcrumSecretStore *secrets,
               const char         *profile,
               const char         *account)
{
  Result r = { 0 };

  fulcrum_secret_store_clear_async (secrets, profile, account, NULL, clear_cb, &r);
  fulcrum_test_wait_for (&r.done, 20000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  result_clear (&r);
}

static void
test_client_secret_round_trip (void)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autofree char *found = NULL;
  g_autofree char *missing = NULL;

  store_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "rt-profile", NULL, "s3cr3t-ünïcode-✓");
  found = lookup_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "rt-profile", NULL);
  g_assert_cmpstr (found, ==, "s3cr3t-ünïcode-✓");

  /* Replacing keeps one item with the new value. */
  store_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "rt-profile", NULL, "rotated");
  g_free (found);
  found = lookup_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "rt-profile", NULL);
  g_assert_cmpstr (found, ==, "rotated");

  /* Nothing stored is not an error. */
  missing = lookup_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "no-such-profile", NULL);
  g_assert_null (missing);
}

static void
test_token_set_blob_unchanged (void)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  const char *blob = "{\"version\":1,\"access_token\":\"at-\\u00e9\",\"refresh_token\":\"rt\","
                     "\"expires_at\":1790000000,\"scope\":\"offline_access users:read:admin\"}\n";
  g_autofree char *found = NULL;

  store_secret (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, "blob-profile", "acct-a", blob);
  found = lookup_secret (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, "blob-profile", "acct-a");
  g_assert_cmpstr (found, ==, blob);
}

static void
test_clear_scopes (void)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *other = NULL;
  g_autofree char *client = NULL;

  store_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "p1", NULL, "client-p1");
  store_secret (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, "p1", "acct-a", "tokens-a");
  store_secret (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, "p1", "acct-b", "tokens-b");
  store_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "p2", NULL, "client-p2");

  /* Unlinking one account leaves the profile's other items alone. */
  clear_secrets (secrets, "p1", "acct-a");
  a = lookup_secret (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, "p1", "acct-a");
  b = lookup_secret (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, "p1", "acct-b");
  client = lookup_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "p1", NULL);
  g_assert_null (a);
  g_assert_cmpstr (b, ==, "tokens-b");
  g_assert_cmpstr (client, ==, "client-p1");

  /* Deleting the profile clears all of its items, and only its. */
  clear_secrets (secrets, "p1", NULL);
  g_clear_pointer (&b, g_free);
  g_clear_pointer (&client, g_free);
  b = lookup_secret (secrets, FULCRUM_SECRET_KIND_TOKEN_SET, "p1", "acct-b");
  client = lookup_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "p1", NULL);
  other = lookup_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "p2", NULL);
  g_assert_null (b);
  g_assert_null (client);
  g_assert_cmpstr (other, ==, "client-p2");

  /* Clearing nothing succeeds. */
  clear_secrets (secrets, "p1", NULL);
}

static void
test_cancel (void)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };

  g_cancellable_cancel (cancellable);
  fulcrum_secret_store_lookup_async (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "p", NULL,
                                     cancellable, lookup_cb, &r);
  fulcrum_test_wait_for (&r.done, 20000);
  g_assert_error (r.error, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_CANCELLED);
  result_clear (&r);
}

static void
test_secret_never_in_config (void)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(FulcrumStore) store = fulcrum_store_new (NULL);
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found_in = NULL;
  const char *secret = "never-in-a-file-7f3a9c2e51b8";

  g_assert_true (fulcrum_store_load (store, &error));
  profile = fulcrum_connector_profile_new ("leak-check", "sandbox");
  fulcrum_connector_profile_set_name (profile, "Leak check");
  fulcrum_connector_profile_set_client_id (profile, "client");

  /* Keyring first, then the config. */
  store_secret (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "leak-check", NULL, secret);
  fulcrum_connector_profile_set_has_secret (profile, TRUE);
  g_assert_true (fulcrum_store_add_profile (store, profile, &error));
  g_assert_true (fulcrum_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (fulcrum_store_get_path (store), G_FILE_TEST_EXISTS));
  /* Every file the run wrote, the keyring file included (it is encrypted). */
  g_assert_false (fulcrum_test_dir_contains (fulcrum_test_get_root (), secret, &found_in));
  g_assert_null (found_in);
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret-store/client-secret-round-trip", test_client_secret_round_trip);
  g_test_add_func ("/secret-store/token-set-blob-unchanged", test_token_set_blob_unchanged);
  g_test_add_func ("/secret-store/clear-scopes", test_clear_scopes);
  g_test_add_func ("/secret-store/cancel", test_cancel);
  g_test_add_func ("/secret-store/secret-never-in-config", test_secret_never_in_config);

  return g_test_run ();
}
