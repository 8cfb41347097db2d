/* test-token-refresh.c: a valid token on demand, the expiry boundary, rotation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fulcrum-test-util.h"
#include "tokens-test-common.h"

#define EARLY_US ((gint64) FULCRUM_TOKEN_EARLY_EXPIRY_S * G_USEC_PER_SEC)

/* A token that is still valid comes back as is, with no request to Lever. */
static void
test_valid_token (TokensFixture *fixture,
                  gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "valid");
  g_autoptr(FulcrumTokenSet) stored = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *again = NULL;

  fixture->now_us += 30 * 60 * G_USEC_PER_SEC;

  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, stored->access_token);

  again = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, token);

  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 0);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 0);
  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpuint (tokens_sim_api_status (fixture, token), ==, 200);
}

/* 120 s early: 1 ms before the window no refresh, at it a refresh, and 1 s into it too. */
static void
test_expiry_boundary (TokensFixture *fixture,
                      gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "boundary");
  g_autoptr(FulcrumTokenSet) linked = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(FulcrumTokenSet) renewed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *before_cached = NULL;
  g_autofree char *at = NULL;
  g_autofree char *after = NULL;
  gint64 window = linked->expires_at - EARLY_US;

  g_assert_cmpint (linked->expires_at, ==, fixture->now_us + TOKENS_HOUR_US);

  /* Read from the keyring under the lock, then from memory: both say valid. */
  fixture->now_us = window - 1000;
  before = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (before, ==, linked->access_token);
  before_cached = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (before_cached, ==, linked->access_token);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 0);

  fixture->now_us = window;
  at = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at, !=, linked->access_token);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);

  renewed = tokens_fixture_read_keyring (fixture, account, NULL);
  g_assert_cmpstr (renewed->access_token, ==, at);
  g_assert_cmpint (renewed->expires_at, ==, window + TOKENS_HOUR_US);
  g_assert_cmpint (fulcrum_linked_account_get_expires_at (account), ==,
                   renewed->expires_at / G_USEC_PER_SEC);

  fixture->now_us = renewed->expires_at - EARLY_US + G_USEC_PER_SEC;
  after = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, !=, at);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 2);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 2);
  g_assert_cmpuint (tokens_sim_api_status (fixture, after), ==, 200);
}

typedef struct
{
  TokensFixture        *fixture;
  FulcrumLinkedAccount *account;
  gboolean              done;
  char                 *token;
  FulcrumTokenSet      *keyring_at_callback;
} RotationWait;

static void
rotation_token_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RotationWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->token = fulcrum_token_manager_get_access_token_finish (FULCRUM_TOKEN_MANAGER (object),
                                                              result, &error);
  g_assert_no_error (error);
  tokens_fixture_remember (wait->fixture, wait->token);

  /* The moment the caller holds the new access token, the keyring must hold its set. */
  wait->keyring_at_callback = tokens_fixture_read_keyring (wait->fixture, wait->account, NULL);
  wait->done = TRUE;
}

/* The rotated refresh token is in the keyring before the access token is handed out; the
 * old one is dead at Lever; the account and the config file follow. */
static void
test_rotation (TokensFixture *fixture,
               gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "rotation");
  g_autoptr(FulcrumTokenSet) old = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(FulcrumLinkedAccount) on_disk = NULL;
  g_autofree char *error_code = NULL;
  RotationWait wait = { fixture, account, FALSE, NULL, NULL };
  const char * const *scopes;

  fixture->now_us = old->expires_at;
  fulcrum_token_manager_get_access_token_async (fixture->manager, account, FALSE, NULL,
                                                rotation_token_cb, &wait);
  fulcrum_test_wait_for (&wait.done, 30000);

  g_assert_nonnull (wait.keyring_at_callback);
  g_assert_cmpstr (wait.keyring_at_callback->access_token, ==, wait.token);
  g_assert_nonnull (wait.keyring_at_callback->refresh_token);
  g_assert_cmpstr (wait.keyring_at_callback->refresh_token, !=, old->refresh_token);
  g_assert_cmpint (wait.keyring_at_callback->expires_at, ==, fixture->now_us + TOKENS_HOUR_US);

  g_assert_cmpint (fulcrum_linked_account_get_expires_at (account), ==,
                   wait.keyring_at_callback->expires_at / G_USEC_PER_SEC);
  g_assert_cmpint (fulcrum_linked_account_get_last_refresh (account), ==,
                   fixture->now_us / G_USEC_PER_SEC);
  scopes = fulcrum_linked_account_get_granted_scopes (account);
  g_assert_true (g_strv_contains (scopes, "offline_access"));
  g_assert_true (g_strv_contains (scopes, "users:read:admin"));

  on_disk = tokens_load_account_from_disk ("rotation");
  g_assert_cmpint (fulcrum_linked_account_get_status (on_disk), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpint (fulcrum_linked_account_get_expires_at (on_disk), ==,
                   wait.keyring_at_callback->expires_at / G_USEC_PER_SEC);
  g_assert_cmpint (fulcrum_linked_account_get_last_refresh (on_disk), ==,
                   fixture->now_us / G_USEC_PER_SEC);

  g_assert_cmpuint (tokens_sim_api_status (fixture, wait.token), ==, 200);

  /* The old refresh token was spent by the rotation. */
  g_assert_cmpuint (tokens_sim_refresh (fixture, old->refresh_token, &error_code), ==, 400);
  g_assert_cmpstr (error_code, ==, "invalid_grant");

  g_free (wait.token);
  fulcrum_token_set_free (wait.keyring_at_callback);
}

/* A response without refresh_token (and without scope) keeps the old ones. The request
 * is the form Lever wants, with the client secret in the body. */
static void
test_response_without_refresh_token (TokensFixture *fixture,
                                     gconstpointer  data)
{
  g_autoptr(FakeEndpoint) endpoint = fake_endpoint_new ();
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  FulcrumLinkedAccount *account = tokens_fixture_add_fake_account (fixture, "no-rt",
                                                                   endpoint->token_url,
                                                                   &tokens);
  g_autoptr(FulcrumTokenSet) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  static const char new_access[] = "fake-at-renewed-without-rotation";

  tokens_fixture_remember (fixture, new_access);
  fake_endpoint_set_answer (endpoint, 200, "application/json",
                            "{\"access_token\":\"fake-at-renewed-without-rotation\","
                            "\"token_type\":\"Bearer\",\"expires_in\":\"7200\"}");

  fixture->now_us = tokens->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, new_access);
  g_assert_cmpuint (endpoint->n_requests, ==, 1);

  g_assert_cmpstr (endpoint->last_content_type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpstr (g_hash_table_lookup (endpoint->last_form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (endpoint->last_form, "client_id"), ==, TOKENS_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (endpoint->last_form, "client_secret"), ==,
                   TOKENS_CLIENT_SECRET);
  g_assert_cmpstr (g_hash_table_lookup (endpoint->last_form, "refresh_token"), ==,
                   tokens->refresh_token);

  stored = tokens_fixture_read_keyring (fixture, account, NULL);
  g_assert_cmpstr (stored->access_token, ==, new_access);
  g_assert_cmpstr (stored->refresh_token, ==, tokens->refresh_token);
  g_assert_cmpstr (stored->scope, ==, tokens->scope);
  g_assert_cmpint (stored->expires_at, ==, fixture->now_us + 2 * TOKENS_HOUR_US);

  /* The grant's scopes did not change, so neither did the account's. */
  g_assert_true (g_strv_contains (fulcrum_linked_account_get_granted_scopes (account),
                                  "users:read:admin"));

  /* And the old refresh token is what the next refresh sends. */
  fake_endpoint_set_answer (endpoint, 200, "application/json",
                            "{\"access_token\":\"fake-at-renewed-again-no-rotation\","
                            "\"expires_in\":3600}");
  tokens_fixture_remember (fixture, "fake-at-renewed-again-no-rotation");
  fixture->now_us = stored->expires_at;
  g_clear_pointer (&token, g_free);
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoint->n_requests, ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (endpoint->last_form, "refresh_token"), ==,
                   tokens->refresh_token);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} RefreshWait;

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RefreshWait *wait = user_data;

  wait->ok = fulcrum_token_manager_refresh_finish (FULCRUM_TOKEN_MANAGER (object), result,
                                                   &wait->error);
  wait->done = TRUE;
}

/* "Refresh now" and a forced refresh after a 401 refresh a valid token. */
static void
test_forced_refresh (TokensFixture *fixture,
                     gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "forced");
  g_autoptr(FulcrumTokenSet) after_refresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *forced = NULL;
  RefreshWait wait = { 0 };

  first = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 0);

  fulcrum_token_manager_refresh_async (fixture->manager, account, NULL, refreshed_cb, &wait);
  fulcrum_test_wait_for (&wait.done, 30000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);

  after_refresh = tokens_fixture_read_keyring (fixture, account, NULL);
  g_assert_cmpstr (after_refresh->access_token, !=, first);
  cached = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cached, ==, after_refresh->access_token);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);

  forced = tokens_fixture_get_token (fixture, account, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (forced, !=, cached);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 2);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 2);
}

/* A forced refresh finds that another process already refreshed (the keyring changed
 * since this process read it): it uses those tokens instead of refreshing again. */
static void
test_forced_after_other_refresh (TokensFixture *fixture,
                                 gconstpointer  data)
{
  g_autoptr(FakeEndpoint) endpoint = fake_endpoint_new ();
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(FulcrumTokenSet) theirs = tokens_fixture_fake_tokens (fixture);
  FulcrumLinkedAccount *account = tokens_fixture_add_fake_account (fixture, "other",
                                                                   endpoint->token_url,
                                                                   &tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *forced = NULL;
  g_autofree char *blob = NULL;

  first = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, tokens->access_token);

  theirs->obtained_at = fixture->now_us + G_USEC_PER_SEC;
  blob = fulcrum_token_set_serialize (theirs);
  tokens_fixture_store_secret (fixture, FULCRUM_SECRET_KIND_TOKEN_SET,
                               fulcrum_linked_account_get_profile_id (account), "other", blob);

  forced = tokens_fixture_get_token (fixture, account, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (forced, ==, theirs->access_token);
  g_assert_cmpuint (endpoint->n_requests, ==, 0);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  tokens_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, TokensFixture, NULL, tokens_fixture_setup, func, tokens_fixture_teardown)

  ADD ("/tokens/valid-without-request", test_valid_token);
  ADD ("/tokens/expiry-boundary", test_expiry_boundary);
  ADD ("/tokens/rotation", test_rotation);
  ADD ("/tokens/response-without-refresh-token", test_response_without_refresh_token);
  ADD ("/tokens/forced-refresh", test_forced_refresh);
  ADD ("/tokens/forced-after-other-refresh", test_forced_after_other_refresh);

#undef ADD

  return g_test_run ();
}
