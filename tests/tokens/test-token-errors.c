/* test-token-errors.c: dead grants, wrong credentials, transient failures, a failed
 * keyring write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "fulcrum-test-util.h"
#include "tokens-test-common.h"

/* The account is marked needs-relink in memory and on disk, and the next call fails at
 * once without a request. */
static void
assert_needs_relink (TokensFixture        *fixture,
                     FulcrumLinkedAccount *account,
                     const char           *message_part)
{
  g_autoptr(FulcrumLinkedAccount) on_disk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint n_requests = fulcrum_token_manager_get_n_token_requests (fixture->manager);
  gint64 sim_requests = tokens_sim_refresh_requests (fixture);
  const char *message;

  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==,
                   FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);
  message = fulcrum_linked_account_get_status_message (account);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, message_part));

  on_disk = tokens_load_account_from_disk (fulcrum_linked_account_get_id (account));
  g_assert_cmpint (fulcrum_linked_account_get_status (on_disk), ==,
                   FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);
  g_assert_cmpstr (fulcrum_linked_account_get_status_message (on_disk), ==, message);

  fixture->now_us += 10 * TOKENS_HOUR_US;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (token);
  g_clear_error (&error);
  token = tokens_fixture_get_token (fixture, account, TRUE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);

  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, n_requests);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, sim_requests);
}

/* Tokens and status as they were: nothing to re-link, try later. */
static void
assert_unchanged (TokensFixture        *fixture,
                  FulcrumLinkedAccount *account,
                  const char           *blob_before)
{
  g_autoptr(FulcrumTokenSet) after = NULL;
  g_autoptr(FulcrumLinkedAccount) on_disk = NULL;
  g_autofree char *blob_after = NULL;

  after = tokens_fixture_read_keyring (fixture, account, &blob_after);
  g_assert_cmpstr (blob_after, ==, blob_before);
  fulcrum_secret_free (g_steal_pointer (&blob_after));

  g_assert_cmpint (fulcrum_linked_account_get_status (account), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_null (fulcrum_linked_account_get_status_message (account));
  on_disk = tokens_load_account_from_disk (fulcrum_linked_account_get_id (account));
  g_assert_cmpint (fulcrum_linked_account_get_status (on_disk), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
}

/* A reused (rotated) refresh token: Lever answers 400 invalid_grant. */
static void
test_invalid_grant_reused (TokensFixture *fixture,
                           gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "reused");
  g_autoptr(FulcrumTokenSet) stored = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  /* Someone else spends the refresh token first. */
  g_assert_cmpuint (tokens_sim_refresh (fixture, stored->refresh_token, NULL), ==, 200);

  fixture->now_us = stored->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 2);

  assert_needs_relink (fixture, account, "Link the account again");
}

/* The organization's admin revoked the app in Lever. */
static void
test_invalid_grant_revoked (TokensFixture *fixture,
                            gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "revoked");
  g_autoptr(FulcrumTokenSet) stored = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_assert_cmpuint (fulcrum_sim_server_revoke_app (fixture->sim, TOKENS_CLIENT_ID), ==, 1);

  fixture->now_us = stored->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);

  assert_needs_relink (fixture, account, "invalid_grant");
}

/* Some servers say invalid_grant with HTTP 200: still an error. */
static void
test_invalid_grant_200 (TokensFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(FakeEndpoint) endpoint = fake_endpoint_new ();
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  FulcrumLinkedAccount *account = tokens_fixture_add_fake_account (fixture, "grant-200",
                                                                   endpoint->token_url,
                                                                   &tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  fake_endpoint_set_answer (endpoint, 200, "application/json",
                            "{\"error\":\"invalid_grant\","
                            "\"error_description\":\"Unknown or invalid refresh token.\"}");
  fixture->now_us = tokens->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_assert_nonnull (strstr (error->message, "Unknown or invalid refresh token"));
  g_assert_cmpuint (endpoint->n_requests, ==, 1);

  assert_needs_relink (fixture, account, "invalid_grant");
  g_assert_cmpuint (endpoint->n_requests, ==, 1);
}

/* Any other 4xx is a refusal too: no retry loop. */
static void
test_other_4xx (TokensFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(FakeEndpoint) endpoint = fake_endpoint_new ();
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  FulcrumLinkedAccount *account = tokens_fixture_add_fake_account (fixture, "forbidden",
                                                                   endpoint->token_url,
                                                                   &tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  fake_endpoint_set_answer (endpoint, 403, "text/plain", "Forbidden");
  fixture->now_us = tokens->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_assert_nonnull (strstr (error->message, "403"));

  assert_needs_relink (fixture, account, "Link the account again");
  g_assert_cmpuint (endpoint->n_requests, ==, 1);
}

/* Wrong client secret: the error names the profile's credentials. */
static void
test_invalid_client (TokensFixture *fixture,
                     gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "bad-client");
  g_autoptr(FulcrumTokenSet) stored = tokens_fixture_read_keyring (fixture, account, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  static const char wrong_secret[] = "not-the-client-secret-51c2";

  tokens_fixture_remember (fixture, wrong_secret);
  tokens_fixture_store_secret (fixture, FULCRUM_SECRET_KIND_CLIENT_SECRET, TOKENS_SIM_PROFILE_ID,
                               NULL, wrong_secret);

  fixture->now_us = stored->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_CLIENT);
  g_assert_nonnull (strstr (error->message, TOKENS_SIM_PROFILE));
  g_assert_nonnull (strstr (error->message, "client secret"));
  g_assert_nonnull (strstr (error->message, "invalid_client"));
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);

  assert_needs_relink (fixture, account, TOKENS_SIM_PROFILE);
}

/* Lever's token endpoint answers 500: try later, nothing lost. */
static void
test_transient_500 (TokensFixture *fixture,
                    gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "server-error");
  g_autoptr(FulcrumTokenSet) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *token = NULL;

  stored = tokens_fixture_read_keyring (fixture, account, &blob);
  fulcrum_sim_server_set_fault_rate (fixture->sim, FULCRUM_SIM_FAULT_TOKEN_500, 1.0);

  fixture->now_us = stored->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);
  assert_unchanged (fixture, account, blob);

  /* One attempt per call: the next call tries again, it is not a loop. */
  g_clear_error (&error);
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 2);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 2);

  /* The kept refresh token still works once Lever is back. */
  g_clear_error (&error);
  fulcrum_sim_server_set_fault_rate (fixture->sim, FULCRUM_SIM_FAULT_TOKEN_500, 0.0);
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, !=, stored->access_token);
  g_assert_cmpuint (tokens_sim_api_status (fixture, token), ==, 200);
}

/* A loopback listener that accepts and hangs up at once, or never answers at all. */
typedef struct
{
  GSocketService *service;
  char           *token_url;
  guint           n_connections;
} RawEndpoint;

static gboolean
hang_up_cb (GSocketService    *service,
            GSocketConnection *connection,
            GObject           *source,
            gpointer           user_data)
{
  RawEndpoint *endpoint = user_data;
  GSocket *socket = g_socket_connection_get_socket (connection);

  struct linger no_linger = { 1, 0 };

  endpoint->n_connections++;
  /* Closing with a zero linger time sends a reset rather than a clean end of stream. */
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return TRUE;
}

static RawEndpoint *
raw_endpoint_new (gboolean hang_up)
{
  RawEndpoint *endpoint = g_new0 (RawEndpoint, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  endpoint->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (endpoint->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  endpoint->token_url = g_strdup_printf ("http://127.0.0.1:%u/oauth/token", port);

  /* Without a handler the service never accepts: the kernel queues the connection and
   * the request waits for an answer that never comes. */
  if (hang_up)
    g_signal_connect (endpoint->service, "incoming", G_CALLBACK (hang_up_cb), endpoint);
  else
    g_socket_service_stop (endpoint->service);

  return endpoint;
}

static void
raw_endpoint_free (RawEndpoint *endpoint)
{
  g_socket_service_stop (endpoint->service);
  g_socket_listener_close (G_SOCKET_LISTENER (endpoint->service));
  g_object_unref (endpoint->service);
  g_free (endpoint->token_url);
  g_free (endpoint);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawEndpoint, raw_endpoint_free)

static void
run_transient_case (TokensFixture *fixture,
                    const char    *token_url,
                    const char    *account_id)
{
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  FulcrumLinkedAccount *account = tokens_fixture_add_fake_account (fixture, account_id, token_url,
                                                                   &tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *token = NULL;
  g_autoptr(FulcrumTokenSet) before = tokens_fixture_read_keyring (fixture, account, &blob);

  fixture->now_us = tokens->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT);
  g_assert_null (token);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 1);
  assert_unchanged (fixture, account, blob);
}

static void
test_transient_reset (TokensFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(RawEndpoint) endpoint = raw_endpoint_new (TRUE);

  run_transient_case (fixture, endpoint->token_url, "reset");
  g_assert_cmpuint (endpoint->n_connections, >=, 1);
}

static void
test_transient_timeout (TokensFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(RawEndpoint) endpoint = raw_endpoint_new (FALSE);

  fulcrum_token_manager_set_http_timeout (fixture->manager, 1);
  run_transient_case (fixture, endpoint->token_url, "timeout");
}

/* A resolver that knows no names, and counts the ones it was asked for. */
typedef struct
{
  GResolver parent_instance;
  guint     n_lookups;
} TestDeadResolver;

typedef GResolverClass TestDeadResolverClass;

static GType test_dead_resolver_get_type (void);
G_DEFINE_TYPE (TestDeadResolver, test_dead_resolver, G_TYPE_RESOLVER)

static GList *
dead_lookup (GResolver    *resolver,
             const char   *hostname,
             GError      **error)
{
  ((TestDeadResolver *) resolver)->n_lookups++;
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "Error resolving “%s”: Name or service not known", hostname);
  return NULL;
}

static GList *
dead_lookup_by_name (GResolver     *resolver,
                     const char    *hostname,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return dead_lookup (resolver, hostname, error);
}

static GList *
dead_lookup_with_flags (GResolver                 *resolver,
                        const char                *hostname,
                        GResolverNameLookupFlags   flags,
                        GCancellable              *cancellable,
                        GError                   **error)
{
  return dead_lookup (resolver, hostname, error);
}

static void
dead_lookup_async (GResolver           *resolver,
                   const char          *hostname,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;

  dead_lookup (resolver, hostname, &error);
  g_task_return_error (task, error);
}

static void
dead_lookup_with_flags_async (GResolver                 *resolver,
                              const char                *hostname,
                              GResolverNameLookupFlags   flags,
                              GCancellable              *cancellable,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  dead_lookup_async (resolver, hostname, cancellable, callback, user_data);
}

static GList *
dead_lookup_finish (GResolver     *resolver,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_dead_resolver_class_init (TestDeadResolverClass *klass)
{
  klass->lookup_by_name = dead_lookup_by_name;
  klass->lookup_by_name_async = dead_lookup_async;
  klass->lookup_by_name_finish = dead_lookup_finish;
  klass->lookup_by_name_with_flags = dead_lookup_with_flags;
  klass->lookup_by_name_with_flags_async = dead_lookup_with_flags_async;
  klass->lookup_by_name_with_flags_finish = dead_lookup_finish;
}

static void
test_dead_resolver_init (TestDeadResolver *self)
{
}

static void
test_transient_dns (TokensFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GResolver) system = g_resolver_get_default ();
  g_autoptr(GResolver) dead = g_object_new (test_dead_resolver_get_type (), NULL);

  g_resolver_set_default (dead);
  run_transient_case (fixture, "https://token.invalid/oauth/token", "dns");
  g_resolver_set_default (system);

  g_assert_cmpuint (((TestDeadResolver *) dead)->n_lookups, >=, 1);
}

/* The keyring write of the rotated tokens fails (as a crash there would lose them): the
 * account, and only that account, needs re-link; the new access token is not used; the
 * config stays valid. */
static gboolean
fail_store_hook (FulcrumTokenManager   *manager,
                 FulcrumLinkedAccount  *account,
                 gpointer               user_data,
                 GError               **error)
{
  guint *n_calls = user_data;

  (*n_calls)++;
  g_set_error (error, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_TIMEOUT,
               "The keyring did not answer within 1 seconds");
  return FALSE;
}

static void
test_keyring_write_fails (TokensFixture *fixture,
                          gconstpointer  data)
{
  FulcrumLinkedAccount *account = tokens_fixture_link (fixture, "lost");
  FulcrumLinkedAccount *other = tokens_fixture_link (fixture, "kept");
  g_autoptr(FulcrumTokenSet) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *blob_after = NULL;
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autoptr(FulcrumTokenSet) after = NULL;
  guint n_calls = 0;

  stored = tokens_fixture_read_keyring (fixture, account, &blob);
  fulcrum_token_manager_set_store_hook (fixture->manager, fail_store_hook, &n_calls);

  fixture->now_us = stored->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_assert_null (token);
  g_assert_cmpuint (n_calls, ==, 1);
  g_assert_cmpint (tokens_sim_refresh_requests (fixture), ==, 1);
  g_clear_error (&error);

  /* Nothing half-written: the keyring has the old set, the config is valid JSON. */
  after = tokens_fixture_read_keyring (fixture, account, &blob_after);
  g_assert_cmpstr (blob_after, ==, blob);
  assert_needs_relink (fixture, account, "keyring");

  /* The other account of the same profile is untouched. */
  fulcrum_token_manager_set_store_hook (fixture->manager, NULL, NULL);
  other_token = tokens_fixture_get_token (fixture, other, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fulcrum_linked_account_get_status (other), ==, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  g_assert_cmpuint (tokens_sim_api_status (fixture, other_token), ==, 200);
}

/* No token set in the keyring (cleared by hand, another keyring): re-link. */
static void
test_missing_tokens (TokensFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  account = fulcrum_linked_account_new ("ghost", TOKENS_SIM_PROFILE_ID, TOKENS_SIM_ENV_ID);
  fulcrum_linked_account_set_status (account, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  fulcrum_store_add_account (fixture->store, account);

  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_assert_cmpuint (fulcrum_token_manager_get_n_token_requests (fixture->manager), ==, 0);
  assert_needs_relink (fixture, account, "keyring");
}

/* After a dead grant, linking again (new tokens, status active) brings the account back. */
static void
test_relink_recovers (TokensFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(FakeEndpoint) endpoint = fake_endpoint_new ();
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(FulcrumTokenSet) relinked = NULL;
  FulcrumLinkedAccount *account = tokens_fixture_add_fake_account (fixture, "phoenix",
                                                                   endpoint->token_url,
                                                                   &tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *blob = NULL;

  fake_endpoint_set_answer (endpoint, 400, "application/json", "{\"error\":\"invalid_grant\"}");
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&token, g_free);

  fixture->now_us = tokens->expires_at;
  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_clear_error (&error);

  /* What the link flow does: keyring first, then the account. */
  relinked = tokens_fixture_fake_tokens (fixture);
  blob = fulcrum_token_set_serialize (relinked);
  tokens_fixture_store_secret (fixture, FULCRUM_SECRET_KIND_TOKEN_SET,
                               fulcrum_linked_account_get_profile_id (account), "phoenix", blob);
  fulcrum_linked_account_set_status (account, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  fulcrum_linked_account_set_status_message (account, NULL);
  fulcrum_linked_account_set_linked_at (account, fixture->now_us / G_USEC_PER_SEC);

  token = tokens_fixture_get_token (fixture, account, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, relinked->access_token);
  g_assert_cmpuint (endpoint->n_requests, ==, 1);
}

typedef struct
{
  gboolean  done;
  char     *token;
  GError   *error;
} Wait;

static void
got_token_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->token = fulcrum_token_manager_get_access_token_finish (FULCRUM_TOKEN_MANAGER (object),
                                                              result, &wait->error);
  wait->done = TRUE;
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A caller that gives up stops waiting at once; the refresh goes on for the others and
 * its tokens are stored. */
static void
test_cancel_one_caller (TokensFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(FakeEndpoint) endpoint = fake_endpoint_new ();
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  FulcrumLinkedAccount *account = tokens_fixture_add_fake_account (fixture, "patient",
                                                                   endpoint->token_url,
                                                                   &tokens);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(FulcrumTokenSet) stored = NULL;
  Wait quitter = { 0 };
  Wait stayer = { 0 };
  gboolean timed_out = FALSE;
  guint timeout_id;

  endpoint->hold = TRUE;
  fake_endpoint_set_answer (endpoint, 200, "application/json",
                            "{\"access_token\":\"fake-at-after-a-long-wait\",\"refresh_token\":"
                            "\"fake-rt-after-a-long-wait\",\"expires_in\":3600}");
  tokens_fixture_remember (fixture, "fake-at-after-a-long-wait");
  tokens_fixture_remember (fixture, "fake-rt-after-a-long-wait");

  fixture->now_us = tokens->expires_at;
  fulcrum_token_manager_get_access_token_async (fixture->manager, account, FALSE, cancellable,
                                                got_token_cb, &quitter);
  fulcrum_token_manager_get_access_token_async (fixture->manager, account, FALSE, NULL,
                                                got_token_cb, &stayer);
  timeout_id = g_timeout_add_seconds (30, flag_cb, &timed_out);
  while (endpoint->n_requests == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  g_cancellable_cancel (cancellable);
  fulcrum_test_wait_for (&quitter.done, 30000);
  g_assert_error (quitter.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (quitter.token);
  g_assert_false (stayer.done);

  fake_endpoint_release (endpoint);
  fulcrum_test_wait_for (&stayer.done, 30000);
  g_assert_no_error (stayer.error);
  g_assert_cmpstr (stayer.token, ==, "fake-at-after-a-long-wait");
  stored = tokens_fixture_read_keyring (fixture, account, NULL);
  g_assert_cmpstr (stored->refresh_token, ==, "fake-rt-after-a-long-wait");
  g_assert_cmpuint (endpoint->n_requests, ==, 1);

  g_clear_error (&quitter.error);
  g_free (stayer.token);
}

int
main (int   argc,
      char *argv[])
{
  tokens_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, TokensFixture, NULL, tokens_fixture_setup, func, tokens_fixture_teardown)

  ADD ("/tokens/invalid-grant/reused-refresh-token", test_invalid_grant_reused);
  ADD ("/tokens/invalid-grant/app-revoked", test_invalid_grant_revoked);
  ADD ("/tokens/invalid-grant/http-200", test_invalid_grant_200);
  ADD ("/tokens/other-4xx", test_other_4xx);
  ADD ("/tokens/invalid-client", test_invalid_client);
  ADD ("/tokens/transient/http-500", test_transient_500);
  ADD ("/tokens/transient/connection-reset", test_transient_reset);
  ADD ("/tokens/transient/timeout", test_transient_timeout);
  ADD ("/tokens/transient/dns-failure", test_transient_dns);
  ADD ("/tokens/keyring-write-fails", test_keyring_write_fails);
  ADD ("/tokens/missing-tokens", test_missing_tokens);
  ADD ("/tokens/relink-recovers", test_relink_recovers);
  ADD ("/tokens/cancel-one-caller", test_cancel_one_caller);

#undef ADD

  return g_test_run ();
}
