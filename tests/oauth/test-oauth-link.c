/* test-oauth-link.c: linking an account, from the browser to the keyring and the config
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "fulcrum-test-util.h"
#include "oauth-test-common.h"

#define WAIT_MS 20000
#define SCRIPTED_PROFILE_ID "scripted-profile"

typedef struct
{
  gboolean              done;
  FulcrumLinkedAccount *account;
  GError               *error;
} LinkResult;

static void
link_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LinkResult *link = user_data;

  link->account = fulcrum_oauth_flow_link_account_finish (FULCRUM_OAUTH_FLOW (object), result,
                                                          &link->error);
  link->done = TRUE;
}

static void
link_result_clear (LinkResult *link)
{
  g_clear_object (&link->account);
  g_clear_error (&link->error);
}

static void
start_flow (FulcrumOAuthFlow *flow)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fulcrum_oauth_flow_start (flow, &error));
  g_assert_no_error (error);
}

/* The user allows access in the browser; returns the redirect the listener got. */
static char *
allow_in_browser (OAuthFixture     *fixture,
                  FulcrumOAuthFlow *flow)
{
  g_autofree char *location = browser_consent (fixture,
                                               fulcrum_oauth_flow_get_authorize_url (flow),
                                               "allow");
  g_autoptr(BrowserPage) page = browser_get (fixture, location);

  g_assert_no_error (page->error);
  g_assert_cmpuint (page->status, ==, 200);

  return g_steal_pointer (&location);
}

/* Links through the simulator; returns the new account. */
static FulcrumLinkedAccount *
link_account (OAuthFixture *fixture,
              const char   *label,
              char        **location_out)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autofree char *location = NULL;
  LinkResult link = { 0 };

  start_flow (flow);
  fulcrum_oauth_flow_link_account_async (flow, fixture->store, fixture->secrets, label, NULL,
                                         link_cb, &link);
  location = allow_in_browser (fixture, flow);
  fulcrum_test_wait_for (&link.done, WAIT_MS);
  g_assert_no_error (link.error);
  g_assert_nonnull (link.account);
  assert_nothing_listening (fixture->port);

  if (location_out != NULL)
    *location_out = g_steal_pointer (&location);

  return link.account;
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

static char *
lookup_token_set (OAuthFixture *fixture,
                  const char   *account_id)
{
  Lookup lookup = { 0 };

  fulcrum_secret_store_lookup_async (fixture->secrets, FULCRUM_SECRET_KIND_TOKEN_SET,
                                     OAUTH_TEST_PROFILE_ID, account_id, NULL, lookup_cb, &lookup);
  fulcrum_test_wait_for (&lookup.done, WAIT_MS);
  g_assert_no_error (lookup.error);

  return lookup.secret;
}

/* Whether the test profile has a token set in the keyring, whatever its account. */
static gboolean
has_token_sets (const char *profile_id)
{
  static const SecretSchema schema = {
    APP_ID, SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    }
  };
  g_autoptr(GError) error = NULL;
  char *found;

  found = secret_password_lookup_sync (&schema, NULL, &error,
                                       "kind", "token-set", "profile", profile_id, NULL);
  g_assert_no_error (error);
  secret_password_free (found);

  return found != NULL;
}

static gboolean
config_mentions (OAuthFixture *fixture,
                 const char   *text)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (fulcrum_store_get_path (fixture->store), &contents, NULL, NULL))
    return FALSE;

  return strstr (contents, text) != NULL;
}

/* What the config and the keyring hold at the moment the account appears in the model. */
typedef struct
{
  OAuthFixture *fixture;
  gboolean      seen;
  gboolean      config_had_account;
  Lookup        lookup;
} AddedCheck;

static void
accounts_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     AddedCheck *check)
{
  FulcrumLinkedAccount *account;

  if (added == 0 || check->seen)
    return;

  check->seen = TRUE;
  account = g_list_model_get_item (model, position);
  check->config_had_account = config_mentions (check->fixture,
                                               fulcrum_linked_account_get_id (account));
  /* Started now; whatever it finds was in the keyring before the account was added. */
  fulcrum_secret_store_lookup_async (check->fixture->secrets, FULCRUM_SECRET_KIND_TOKEN_SET,
                                     OAUTH_TEST_PROFILE_ID, fulcrum_linked_account_get_id (account),
                                     NULL, lookup_cb, &check->lookup);
  g_object_unref (account);
}

static void
test_link_success (OAuthFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(FulcrumStore) reloaded = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blob = NULL;
  GListModel *accounts = fulcrum_store_get_accounts (fixture->store);
  FulcrumLinkedAccount *saved;
  AddedCheck check = { fixture };
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 after;
  gulong handler;

  handler = g_signal_connect (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), &check);
  account = link_account (fixture, NULL, NULL);
  after = g_get_real_time () / G_USEC_PER_SEC + 1;
  g_signal_handler_disconnect (accounts, handler);

  /* The keyring first, the config after. */
  g_assert_true (check.seen);
  fulcrum_test_wait_for (&check.lookup.done, WAIT_MS);
  g_assert_no_error (check.lookup.error);
  g_assert_nonnull (check.lookup.secret);
  g_assert_false (check.config_had_account);
  fulcrum_secret_free (check.lookup.secret);

  g_assert_cmpstr (fulcrum_linked_account_get_label (account), ==, "Sales (Lever Simulator)");
  g_assert_cmpstr (fulcrum_linked_account_get_profile_id (account), ==, OAUTH_TEST_PROFILE_ID);
  g_assert_cmpstr (fulcrum_linked_account_get_environment_id (account), ==,
                   FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpstrv (fulcrum_linked_account_get_granted_scopes (account),
                    fulcrum_connector_profile_get_scopes (fixture->profile));
  /* Seconds, an hour ahead (the simulator's access token lifetime). */
  g_assert_cmpint (fulcrum_linked_account_get_expires_at (account), >=, before + 3600);
  g_assert_cmpint (fulcrum_linked_account_get_expires_at (account), <=, after + 3600);
  g_assert_cmpint (fulcrum_linked_account_get_linked_at (account), >=, before);
  g_assert_cmpint (fulcrum_linked_account_get_linked_at (account), <=, after);
  g_assert_cmpint (fulcrum_linked_account_get_last_refresh (account), ==,
                   fulcrum_linked_account_get_linked_at (account));
  g_assert_true (fulcrum_store_find_account (fixture->store,
                                             fulcrum_linked_account_get_id (account)) == account);

  /* The token set in the keyring under the new account's id. */
  g_assert_true (has_token_sets (OAUTH_TEST_PROFILE_ID));
  blob = lookup_token_set (fixture, fulcrum_linked_account_get_id (account));
  g_assert_nonnull (blob);
  tokens = fulcrum_token_set_deserialize (blob, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens->access_token);
  g_assert_nonnull (tokens->refresh_token);
  g_assert_cmpint (tokens->expires_at / G_USEC_PER_SEC, ==,
                   fulcrum_linked_account_get_expires_at (account));

  /* The account on disk, without its tokens. */
  reloaded = fulcrum_store_new (fixture->config_dir);
  fulcrum_store_load (reloaded, &error);
  g_assert_no_error (error);
  saved = fulcrum_store_find_account (reloaded, fulcrum_linked_account_get_id (account));
  g_assert_nonnull (saved);
  g_assert_cmpstr (fulcrum_linked_account_get_label (saved), ==, "Sales (Lever Simulator)");
  g_assert_cmpint (fulcrum_linked_account_get_status (saved), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_false (config_mentions (fixture, tokens->access_token));
  g_assert_false (config_mentions (fixture, tokens->refresh_token));

  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 1);
  fulcrum_secret_free (g_steal_pointer (&blob));
}

static void
test_labels (OAuthFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(FulcrumLinkedAccount) first = link_account (fixture, NULL, NULL);
  g_autoptr(FulcrumLinkedAccount) second = link_account (fixture, NULL, NULL);
  g_autoptr(FulcrumLinkedAccount) named = link_account (fixture, "  Acme production ", NULL);
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  LinkResult link = { 0 };

  /* Default labels stay unique; so do ids. */
  g_assert_cmpstr (fulcrum_linked_account_get_label (first), ==, "Sales (Lever Simulator)");
  g_assert_cmpstr (fulcrum_linked_account_get_label (second), ==, "Sales (Lever Simulator) 2");
  g_assert_cmpstr (fulcrum_linked_account_get_label (named), ==, "Acme production");
  g_assert_cmpstr (fulcrum_linked_account_get_id (first), !=, fulcrum_linked_account_get_id (second));
  g_assert_cmpstr (fulcrum_linked_account_get_id (second), !=, fulcrum_linked_account_get_id (named));

  /* A label already taken is refused before the browser is needed, and the listener
   * closed. */
  start_flow (flow);
  fulcrum_oauth_flow_link_account_async (flow, fixture->store, fixture->secrets,
                                         "acme PRODUCTION", NULL, link_cb, &link);
  fulcrum_test_wait_for (&link.done, WAIT_MS);
  g_assert_error (link.error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME);
  assert_nothing_listening (fixture->port);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (fixture->store)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      FulcrumLinkedAccount *account = i == 0 ? first : i == 1 ? second : named;
      g_autoptr(FulcrumSecret) blob = lookup_token_set (fixture,
                                                        fulcrum_linked_account_get_id (account));

      g_assert_nonnull (blob);
    }
  link_result_clear (&link);
}

static void
test_cancel_stores_nothing (OAuthFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BrowserPage) page = NULL;
  g_autofree char *location = NULL;
  LinkResult link = { 0 };

  start_flow (flow);
  fulcrum_oauth_flow_link_account_async (flow, fixture->store, fixture->secrets, NULL,
                                         cancellable, link_cb, &link);
  location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (flow), "allow");
  g_cancellable_cancel (cancellable);
  fulcrum_test_wait_for (&link.done, WAIT_MS);

  g_assert_null (link.account);
  g_assert_error (link.error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED);
  assert_nothing_listening (fixture->port);

  /* The browser arriving late finds nothing, and nothing was half-stored. */
  page = browser_get (fixture, location);
  g_assert_nonnull (page->error);
  g_assert_cmpint (sim_code_requests (fixture), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (fixture->store)), ==, 0);
  g_assert_false (g_file_test (fulcrum_store_get_path (fixture->store), G_FILE_TEST_EXISTS));
  g_assert_false (has_token_sets (OAUTH_TEST_PROFILE_ID));
  link_result_clear (&link);
}

static void
test_denied_stores_nothing (OAuthFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autofree char *location = NULL;
  g_autoptr(BrowserPage) page = NULL;
  LinkResult link = { 0 };

  start_flow (flow);
  fulcrum_oauth_flow_link_account_async (flow, fixture->store, fixture->secrets, NULL, NULL,
                                         link_cb, &link);
  location = browser_consent (fixture, fulcrum_oauth_flow_get_authorize_url (flow), "deny");
  page = browser_get (fixture, location);
  fulcrum_test_wait_for (&link.done, WAIT_MS);

  g_assert_error (link.error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_ACCESS_DENIED);
  assert_nothing_listening (fixture->port);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (fixture->store)), ==, 0);
  g_assert_false (g_file_test (fulcrum_store_get_path (fixture->store), G_FILE_TEST_EXISTS));
  g_assert_false (has_token_sets (OAUTH_TEST_PROFILE_ID));
  link_result_clear (&link);
}

/* A flow of a profile whose environment has a scripted token endpoint. */
static FulcrumOAuthFlow *
scripted_flow (OAuthFixture  *fixture,
               TokenEndpoint *endpoint)
{
  g_autoptr(FulcrumEnvironment) scripted = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;

  scripted = fulcrum_environment_new_custom ("scripted", "Scripted",
                                             fulcrum_sim_server_get_authorize_url (fixture->sim),
                                             endpoint->url,
                                             fulcrum_sim_server_get_audience (fixture->sim),
                                             fulcrum_sim_server_get_api_base (fixture->sim),
                                             10.0, 20, &error);
  g_assert_no_error (error);
  redirect = fulcrum_connector_profile_default_redirect_uri ("scripted", fixture->port);
  profile = fulcrum_connector_profile_new (SCRIPTED_PROFILE_ID, "scripted");
  fulcrum_connector_profile_set_name (profile, "Scripted");
  fulcrum_connector_profile_set_client_id (profile, OAUTH_TEST_CLIENT_ID);
  fulcrum_connector_profile_set_scopes (profile,
                                        fulcrum_connector_profile_get_scopes (fixture->profile),
                                        &error);
  g_assert_no_error (error);
  fulcrum_connector_profile_set_redirect_uri (profile, redirect);
  fulcrum_store_add_environment (fixture->store, scripted, &error);
  g_assert_no_error (error);
  fulcrum_store_add_profile (fixture->store, profile, &error);
  g_assert_no_error (error);

  return fulcrum_oauth_flow_new (scripted, profile, OAUTH_TEST_CLIENT_SECRET);
}

/* The redirect a browser would bring to a started scripted flow. */
static char *
scripted_redirect (FulcrumOAuthFlow *flow,
                   const char       *code)
{
  g_autofree char *state = url_get_param (fulcrum_oauth_flow_get_authorize_url (flow), "state");

  return g_strdup_printf ("%s?code=%s&state=%s", fulcrum_oauth_flow_get_redirect_uri (flow),
                          code, state);
}

static void
test_cancel_during_exchange (OAuthFixture  *fixture,
                             gconstpointer  data)
{
  g_autoptr(TokenEndpoint) endpoint = token_endpoint_new (0, NULL, "");
  g_autoptr(FulcrumOAuthFlow) flow = scripted_flow (fixture, endpoint);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BrowserPage) page = NULL;
  g_autofree char *url = NULL;
  LinkResult link = { 0 };

  start_flow (flow);
  fulcrum_oauth_flow_link_account_async (flow, fixture->store, fixture->secrets, NULL,
                                         cancellable, link_cb, &link);
  url = scripted_redirect (flow, "code-x");
  page = browser_get (fixture, url);
  g_assert_cmpuint (page->status, ==, 200);
  while (endpoint->n_requests == 0)
    g_main_context_iteration (NULL, TRUE);

  /* Cancelled while the token endpoint thinks: nothing stored anywhere. */
  g_cancellable_cancel (cancellable);
  fulcrum_test_wait_for (&link.done, WAIT_MS);
  g_assert_error (link.error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED);
  assert_nothing_listening (fixture->port);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (fixture->store)), ==, 0);
  g_assert_false (g_file_test (fulcrum_store_get_path (fixture->store), G_FILE_TEST_EXISTS));
  g_assert_false (has_token_sets (SCRIPTED_PROFILE_ID));
  link_result_clear (&link);
}

static void
test_keyring_unavailable (OAuthFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(FulcrumOAuthFlow) flow = NULL;
  g_autofree char *location = NULL;
  LinkResult link = { 0 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* A keyring that cannot be written: its file would be below /dev/null. This child
   * process has not used libsecret yet, so the backend is chosen now. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", "/dev/null/fulcrum/keyring.file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "fulcrum-test-keyring-password", TRUE);
  fulcrum_secret_store_set_timeout (fixture->secrets, 10000);

  flow = oauth_fixture_new_flow (fixture);
  start_flow (flow);
  fulcrum_oauth_flow_link_account_async (flow, fixture->store, fixture->secrets, NULL, NULL,
                                         link_cb, &link);
  location = allow_in_browser (fixture, flow);
  fulcrum_test_wait_for (&link.done, WAIT_MS);

  /* The tokens came, had nowhere safe to go, and went nowhere. */
  g_assert_cmpint (sim_code_requests (fixture), ==, 1);
  g_assert_null (link.account);
  g_assert_nonnull (link.error);
  g_test_message ("%s", link.error->message);
  g_assert_true (link.error->domain == FULCRUM_SECRET_ERROR);
  g_assert_cmpuint (g_list_model_get_n_items (fulcrum_store_get_accounts (fixture->store)), ==, 0);
  g_assert_false (g_file_test (fulcrum_store_get_path (fixture->store), G_FILE_TEST_EXISTS));
  assert_nothing_listening (fixture->port);
  link_result_clear (&link);
}

static void
test_read_only_store (OAuthFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(FulcrumStore) newer = NULL;
  g_autoptr(FulcrumOAuthFlow) flow = oauth_fixture_new_flow (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (fixture->config_dir, "newer", NULL);
  g_autofree char *path = g_build_filename (dir, "config.json", NULL);
  LinkResult link = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "{\"version\": 999}", -1, &error);
  g_assert_no_error (error);
  newer = fulcrum_store_new (dir);
  g_assert_false (fulcrum_store_load (newer, &error));
  g_assert_true (fulcrum_store_get_read_only (newer));
  g_clear_error (&error);

  start_flow (flow);
  fulcrum_oauth_flow_link_account_async (flow, newer, fixture->secrets, NULL, NULL, link_cb,
                                         &link);
  fulcrum_test_wait_for (&link.done, WAIT_MS);
  g_assert_error (link.error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_READ_ONLY);
  assert_nothing_listening (fixture->port);
  link_result_clear (&link);
}

static void
assert_not_leaked (const char *what,
                   const char *value)
{
  g_autofree char *found_in = NULL;

  g_assert_nonnull (value);
  g_assert_cmpuint (strlen (value), >=, 8);
  g_test_message ("looking for the %s", what);

  if (fulcrum_test_dir_contains (fulcrum_test_get_root (), value, &found_in))
    g_error ("The %s was written to %s", what, found_in);
  if (strstr (log_capture_get (), value) != NULL)
    g_error ("The %s was logged", what);
}

static void
test_no_secret_leaks (OAuthFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(TokenEndpoint) endpoint = NULL;
  g_autoptr(FulcrumOAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *code = NULL;
  g_autofree char *state = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *scripted_url = NULL;
  g_autoptr(BrowserPage) page = NULL;
  LinkResult link = { 0 };

  /* A link through the simulator: real code, state and tokens. */
  account = link_account (fixture, NULL, &location);
  code = url_get_param (location, "code");
  state = url_get_param (location, "state");
  blob = lookup_token_set (fixture, fulcrum_linked_account_get_id (account));
  tokens = fulcrum_token_set_deserialize (blob, &error);
  g_assert_no_error (error);

  /* A link against a scripted token endpoint, which shows the verifier sent. */
  endpoint = token_endpoint_new (200, "application/json",
                                 "{\"access_token\":\"at-LeakCanary-5d1c0a9e\","
                                 "\"refresh_token\":\"rt-LeakCanary-0b7f4e21\",\"expires_in\":3600}");
  flow = scripted_flow (fixture, endpoint);
  start_flow (flow);
  fulcrum_oauth_flow_link_account_async (flow, fixture->store, fixture->secrets, NULL, NULL,
                                         link_cb, &link);
  scripted_url = scripted_redirect (flow, "code-LeakCanary-93e1");
  page = browser_get (fixture, scripted_url);
  g_assert_cmpuint (page->status, ==, 200);
  fulcrum_test_wait_for (&link.done, WAIT_MS);
  g_assert_no_error (link.error);
  g_assert_cmpuint (endpoint->n_requests, ==, 1);

  /* The log was recording (so the test can fail), and holds none of these. */
  g_assert_nonnull (strstr (log_capture_get (), "Link flow for profile"));
  assert_not_leaked ("client secret", OAUTH_TEST_CLIENT_SECRET);
  assert_not_leaked ("authorization code", code);
  assert_not_leaked ("state", state);
  assert_not_leaked ("access token", tokens->access_token);
  assert_not_leaked ("refresh token", tokens->refresh_token);
  assert_not_leaked ("scripted code", "code-LeakCanary-93e1");
  assert_not_leaked ("code verifier", g_hash_table_lookup (endpoint->form, "code_verifier"));
  assert_not_leaked ("scripted access token", "at-LeakCanary-5d1c0a9e");
  assert_not_leaked ("scripted refresh token", "rt-LeakCanary-0b7f4e21");

  link_result_clear (&link);
  fulcrum_secret_free (g_steal_pointer (&blob));
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  /* Errors are fine: the keyring-less test has none to clear. */
  fulcrum_secret_store_clear_finish (FULCRUM_SECRET_STORE (object), result, NULL);
  *done = TRUE;
}

/* Every test starts with no token set in the keyring. */
static void
link_fixture_teardown (OAuthFixture  *fixture,
                       gconstpointer  data)
{
  static const char * const profiles[] = { OAUTH_TEST_PROFILE_ID, SCRIPTED_PROFILE_ID };

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      gboolean done = FALSE;

      fulcrum_secret_store_clear_async (fixture->secrets, profiles[i], NULL, NULL, cleared_cb,
                                        &done);
      fulcrum_test_wait_for (&done, WAIT_MS);
    }

  oauth_fixture_teardown (fixture, data);
}

static void
add_test (const char *path,
          void (*func) (OAuthFixture *, gconstpointer))
{
  g_test_add (path, OAuthFixture, NULL, oauth_fixture_setup, func, link_fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  log_capture_install ();
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  add_test ("/oauth/link/success", test_link_success);
  add_test ("/oauth/link/labels", test_labels);
  add_test ("/oauth/link/cancel-stores-nothing", test_cancel_stores_nothing);
  add_test ("/oauth/link/denied-stores-nothing", test_denied_stores_nothing);
  add_test ("/oauth/link/cancel-during-exchange", test_cancel_during_exchange);
  add_test ("/oauth/link/keyring-unavailable", test_keyring_unavailable);
  add_test ("/oauth/link/read-only-store", test_read_only_store);
  add_test ("/oauth/link/no-secret-leaks", test_no_secret_leaks);

  return g_test_run ();
}
