/* tokens-test-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-scopes.h"
#include "fulcrum-test-util.h"
#include "tokens-test-common.h"

#define WAIT_MS 30000

static GMutex log_lock;
static GString *log_text;

/* Logs */

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_lock);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0 &&
          g_strcmp0 (fields[i].key, "GLIB_DOMAIN") != 0)
        continue;
      if (fields[i].length < 0)
        g_string_append (log_text, fields[i].value);
      else
        g_string_append_len (log_text, fields[i].value, fields[i].length);
      g_string_append_c (log_text, ' ');
    }
  g_string_append_c (log_text, '\n');
  g_mutex_unlock (&log_lock);

  /* Debug output is kept for the secret check only; anything louder is shown. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
                   G_LOG_LEVEL_MESSAGE))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

static GLogFunc test_log_handler;

static void
capture_handler (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  g_mutex_lock (&log_lock);
  g_string_append_printf (log_text, "%s %s\n", log_domain ? log_domain : "", message);
  g_mutex_unlock (&log_lock);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
                   G_LOG_LEVEL_MESSAGE))
    test_log_handler (log_domain, log_level, message, user_data);
}

void
tokens_test_init (int    *argc,
                  char ***argv)
{
  /* Every debug message of GLib, libsoup, libsecret and Fulcrum goes through the writer,
   * and teardown looks for secrets in all of it. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  fulcrum_test_init_environment ();
  g_test_init (argc, argv, NULL);

  /* Libraries that log through g_log() reach GTest's default handler, not the writer. */
  test_log_handler = g_log_set_default_handler (capture_handler, NULL);
}

char *
tokens_test_dup_log (void)
{
  char *copy;

  g_mutex_lock (&log_lock);
  copy = g_strndup (log_text->str, log_text->len);
  g_mutex_unlock (&log_lock);

  return copy;
}

void
tokens_test_add_log (const char *text)
{
  g_mutex_lock (&log_lock);
  g_string_append (log_text, text);
  g_string_append_c (log_text, '\n');
  g_mutex_unlock (&log_lock);
}

/* Fixture */

static gint64
fixture_clock (gpointer user_data)
{
  TokensFixture *fixture = user_data;

  return fixture->now_us;
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

void
tokens_fixture_store_secret (TokensFixture     *fixture,
                             FulcrumSecretKind  kind,
                             const char        *profile_id,
                             const char        *account_id,
                             const char        *secret)
{
  gboolean done = FALSE;

  fulcrum_secret_store_store_async (fixture->secrets, kind, profile_id, account_id, secret, NULL,
                                    stored_cb, &done);
  fulcrum_test_wait_for (&done, WAIT_MS);
}

void
tokens_fixture_remember (TokensFixture *fixture,
                         const char    *value)
{
  g_assert_nonnull (value);
  g_assert_cmpuint (strlen (value), >=, 8);
  g_ptr_array_add (fixture->secrets_seen, g_strdup (value));
}

void
tokens_fixture_setup (TokensFixture *fixture,
                      gconstpointer  data)
{
  static const char * const redirect_uris[] = { TOKENS_REDIRECT_URI, NULL };
  g_autoptr(FulcrumEnvironment) environment = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  fixture->secrets_seen = g_ptr_array_new_with_free_func (g_free);
  tokens_fixture_remember (fixture, TOKENS_CLIENT_SECRET);

  fixture->sim = fulcrum_sim_server_new ();
  fulcrum_sim_server_set_seed (fixture->sim, 7);
  fulcrum_sim_server_set_n_opportunities (fixture->sim, 10);
  fulcrum_sim_server_set_latency (fixture->sim, 0, 0.0);
  fulcrum_sim_server_set_rate_limit (fixture->sim, FALSE, 10.0, 20);
  fulcrum_sim_server_add_app (fixture->sim, TOKENS_CLIENT_ID, TOKENS_CLIENT_SECRET,
                              redirect_uris, NULL);
  fulcrum_sim_server_start_thread (fixture->sim, 0, &error);
  g_assert_no_error (error);

  /* Loopback only: no proxy from the environment. */
  fixture->http = soup_session_new_with_options ("proxy-resolver", NULL, NULL);

  /* A new config each test (the file of the previous one is overwritten on save). */
  fixture->store = fulcrum_store_new (NULL);
  environment = fulcrum_environment_new_custom (TOKENS_SIM_ENV_ID, "Test simulator",
                                                fulcrum_sim_server_get_authorize_url (fixture->sim),
                                                fulcrum_sim_server_get_token_url (fixture->sim),
                                                fulcrum_sim_server_get_audience (fixture->sim),
                                                fulcrum_sim_server_get_api_base (fixture->sim),
                                                10.0, 20, &error);
  g_assert_no_error (error);
  fulcrum_store_add_environment (fixture->store, environment, &error);
  g_assert_no_error (error);

  profile = fulcrum_connector_profile_new (TOKENS_SIM_PROFILE_ID, TOKENS_SIM_ENV_ID);
  fulcrum_connector_profile_set_name (profile, TOKENS_SIM_PROFILE);
  fulcrum_connector_profile_set_client_id (profile, TOKENS_CLIENT_ID);
  fulcrum_connector_profile_set_redirect_uri (profile, TOKENS_REDIRECT_URI);
  fulcrum_connector_profile_set_has_secret (profile, TRUE);
  fulcrum_store_add_profile (fixture->store, profile, &error);
  g_assert_no_error (error);

  fixture->secrets = fulcrum_secret_store_new ();
  tokens_fixture_store_secret (fixture, FULCRUM_SECRET_KIND_CLIENT_SECRET,
                               TOKENS_SIM_PROFILE_ID, NULL, TOKENS_CLIENT_SECRET);

  fulcrum_store_save (fixture->store, &error);
  g_assert_no_error (error);

  /* Real time, so that helper processes (real time plus an offset) agree with it. */
  fixture->now_us = g_get_real_time ();
  fixture->manager = fulcrum_token_manager_new (fixture->store, fixture->secrets);
  fulcrum_token_manager_set_clock (fixture->manager, fixture_clock, fixture);
}

void
tokens_fixture_teardown (TokensFixture *fixture,
                         gconstpointer  data)
{
  tokens_fixture_assert_no_secrets (fixture);

  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->http);
  fulcrum_sim_server_stop (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->secrets_seen, g_ptr_array_unref);
}

void
tokens_fixture_assert_no_secrets (TokensFixture *fixture)
{
  g_autofree char *log = tokens_test_dup_log ();
  const char *root = fulcrum_test_get_root ();

  /* The keyring's own file is encrypted; everything else must never hold a secret. */
  for (guint i = 0; i < fixture->secrets_seen->len; i++)
    {
      const char *secret = g_ptr_array_index (fixture->secrets_seen, i);
      g_autofree char *found_in = NULL;

      if (fulcrum_test_dir_contains (root, secret, &found_in))
        g_error ("A secret (#%u of this test) was written to %s", i, found_in);
      if (strstr (log, secret) != NULL)
        g_error ("A secret (#%u of this test) was logged", i);
    }
}

char *
tokens_fixture_add_environment (TokensFixture *fixture,
                                const char    *env_id,
                                const char    *token_url)
{
  g_autoptr(FulcrumEnvironment) environment = NULL;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_id = g_strconcat (env_id, "-profile", NULL);
  g_autofree char *name = g_strconcat ("Profile for ", env_id, NULL);
  g_autofree char *base = NULL;
  g_autofree char *audience = NULL;
  g_autofree char *authorize = NULL;
  g_autoptr(GUri) uri = g_uri_parse (token_url, G_URI_FLAGS_NONE, &error);

  g_assert_no_error (error);
  base = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
  authorize = g_strconcat (base, "/authorize", NULL);
  audience = g_strconcat (base, "/v1/", NULL);
  environment = fulcrum_environment_new_custom (env_id, env_id, authorize, token_url, audience,
                                                audience, 10.0, 20, &error);
  g_assert_no_error (error);
  fulcrum_store_add_environment (fixture->store, environment, &error);
  g_assert_no_error (error);

  profile = fulcrum_connector_profile_new (profile_id, env_id);
  fulcrum_connector_profile_set_name (profile, name);
  fulcrum_connector_profile_set_client_id (profile, TOKENS_CLIENT_ID);
  fulcrum_connector_profile_set_has_secret (profile, TRUE);
  fulcrum_store_add_profile (fixture->store, profile, &error);
  g_assert_no_error (error);

  tokens_fixture_store_secret (fixture, FULCRUM_SECRET_KIND_CLIENT_SECRET, profile_id, NULL,
                               TOKENS_CLIENT_SECRET);
  fulcrum_store_save (fixture->store, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&profile_id);
}

FulcrumTokenSet *
tokens_fixture_fake_tokens (TokensFixture *fixture)
{
  FulcrumTokenSet *tokens = g_new0 (FulcrumTokenSet, 1);
  g_autofree char *access = g_uuid_string_random ();
  g_autofree char *refresh = g_uuid_string_random ();

  tokens->access_token = g_strconcat ("fake-at-", access, NULL);
  tokens->refresh_token = g_strconcat ("fake-rt-", refresh, NULL);
  tokens->token_type = g_strdup ("Bearer");
  tokens->scope = g_strdup ("offline_access users:read:admin");
  tokens->obtained_at = fixture->now_us;
  tokens->expires_at = fixture->now_us + TOKENS_HOUR_US;
  tokens_fixture_remember (fixture, tokens->access_token);
  tokens_fixture_remember (fixture, tokens->refresh_token);

  return tokens;
}

FulcrumLinkedAccount *
tokens_fixture_add_account (TokensFixture         *fixture,
                            const char            *account_id,
                            const char            *profile_id,
                            const FulcrumTokenSet *tokens)
{
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (fixture->store, profile_id);
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autofree char *blob = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (profile);

  /* The keyring first, then the config: the order of a real link. */
  blob = fulcrum_token_set_serialize (tokens);
  tokens_fixture_store_secret (fixture, FULCRUM_SECRET_KIND_TOKEN_SET, profile_id, account_id,
                               blob);

  account = fulcrum_linked_account_new (account_id, profile_id,
                                        fulcrum_connector_profile_get_environment_id (profile));
  fulcrum_linked_account_set_label (account, account_id);
  fulcrum_linked_account_set_status (account, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  fulcrum_linked_account_set_linked_at (account, tokens->obtained_at / G_USEC_PER_SEC);
  fulcrum_linked_account_set_expires_at (account, tokens->expires_at / G_USEC_PER_SEC);
  scopes = g_strsplit (tokens->scope ? tokens->scope : "", " ", -1);
  fulcrum_linked_account_set_granted_scopes (account, (const char * const *) scopes);
  fulcrum_store_add_account (fixture->store, account);
  fulcrum_store_save (fixture->store, &error);
  g_assert_no_error (error);

  return account;
}

FulcrumLinkedAccount *
tokens_fixture_add_fake_account (TokensFixture    *fixture,
                                 const char       *account_id,
                                 const char       *token_url,
                                 FulcrumTokenSet **tokens)
{
  g_autofree char *env_id = g_strconcat (account_id, "-env", NULL);
  g_autofree char *profile_id = tokens_fixture_add_environment (fixture, env_id, token_url);
  g_autoptr(FulcrumTokenSet) made_up = tokens_fixture_fake_tokens (fixture);
  FulcrumLinkedAccount *account;

  account = tokens_fixture_add_account (fixture, account_id, profile_id, made_up);
  if (tokens != NULL)
    *tokens = g_steal_pointer (&made_up);

  return account;
}

/* The simulator's OAuth endpoints, driven by hand. */

static char *
query_param (const char *uri,
             const char *name)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (parsed);
  g_assert_nonnull (g_uri_get_query (parsed));
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (params);

  return g_strdup (g_hash_table_lookup (params, name));
}

static GBytes *
send_blocking (TokensFixture  *fixture,
               SoupMessage    *msg,
               guint          *status)
{
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (fixture->http, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);

  return body;
}

static SoupMessage *
form_message (const char *url,
              const char *form)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  return msg;
}

FulcrumLinkedAccount *
tokens_fixture_link (TokensFixture *fixture,
                     const char    *account_id)
{
  g_autofree char *scopes = fulcrum_scopes_to_string (fulcrum_scopes_get_known ());
  g_autoptr(GString) url = g_string_new (fulcrum_sim_server_get_authorize_url (fixture->sim));
  g_autoptr(GString) form = g_string_new ("grant_type=authorization_code"
                                          "&client_id=" TOKENS_CLIENT_ID
                                          "&client_secret=" TOKENS_CLIENT_SECRET
                                          "&redirect_uri=");
  g_autoptr(SoupMessage) authorize = NULL;
  g_autoptr(SoupMessage) decide = NULL;
  g_autoptr(SoupMessage) exchange = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) token_body = NULL;
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *transaction = NULL;
  g_autofree char *decision = NULL;
  g_autofree char *code = NULL;
  g_autofree char *state = NULL;
  const char *start;
  const char *location;
  guint status;
  gsize len;

  g_string_append (url, "?response_type=code&client_id=" TOKENS_CLIENT_ID "&redirect_uri=");
  g_string_append_uri_escaped (url, TOKENS_REDIRECT_URI, NULL, FALSE);
  g_string_append (url, "&audience=");
  g_string_append_uri_escaped (url, fulcrum_sim_server_get_audience (fixture->sim), NULL, FALSE);
  g_string_append (url, "&scope=");
  g_string_append_uri_escaped (url, scopes, NULL, FALSE);
  g_string_append (url, "&state=tokens-test-state&prompt=consent");

  /* Authorize: the consent page carries the transaction. */
  authorize = soup_message_new (SOUP_METHOD_GET, url->str);
  page = send_blocking (fixture, authorize, &status);
  g_assert_cmpuint (status, ==, 200);
  html = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  start = strstr (html, "name=\"transaction\" value=\"");
  g_assert_nonnull (start);
  start += strlen ("name=\"transaction\" value=\"");
  transaction = g_strndup (start, strchr (start, '"') - start);

  /* Allow: the redirect carries the code. */
  decision = g_strconcat (fulcrum_sim_server_get_base_url (fixture->sim), "/authorize/decision",
                          NULL);
  {
    g_autofree char *body = g_strdup_printf ("transaction=%s&decision=allow", transaction);

    decide = form_message (decision, body);
  }
  answer = send_blocking (fixture, decide, &status);
  g_assert_cmpuint (status, ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (decide), "Location");
  g_assert_nonnull (location);
  state = query_param (location, "state");
  g_assert_cmpstr (state, ==, "tokens-test-state");
  code = query_param (location, "code");
  g_assert_nonnull (code);

  /* Exchange the code, as the link flow would. */
  g_string_append_uri_escaped (form, TOKENS_REDIRECT_URI, NULL, FALSE);
  g_string_append (form, "&code=");
  g_string_append_uri_escaped (form, code, NULL, FALSE);
  exchange = form_message (fulcrum_sim_server_get_token_url (fixture->sim), form->str);
  token_body = send_blocking (fixture, exchange, &status);
  g_assert_cmpuint (status, ==, 200);

  len = g_bytes_get_size (token_body);
  tokens = fulcrum_token_set_new_from_response (status, "application/json",
                                                g_bytes_get_data (token_body, NULL), len,
                                                fixture->now_us, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens->refresh_token);
  tokens_fixture_remember (fixture, tokens->access_token);
  tokens_fixture_remember (fixture, tokens->refresh_token);
  tokens_fixture_remember (fixture, code);

  return tokens_fixture_add_account (fixture, account_id, TOKENS_SIM_PROFILE_ID, tokens);
}

typedef struct
{
  gboolean  done;
  char     *token;
  GError   *error;
} TokenWait;

static void
got_token_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TokenWait *wait = user_data;

  wait->token = fulcrum_token_manager_get_access_token_finish (FULCRUM_TOKEN_MANAGER (object),
                                                              result, &wait->error);
  g_assert_true ((wait->token == NULL) != (wait->error == NULL));
  wait->done = TRUE;
}

char *
tokens_fixture_get_token (TokensFixture        *fixture,
                          FulcrumLinkedAccount *account,
                          gboolean              force,
                          GError              **error)
{
  TokenWait wait = { 0 };

  fulcrum_token_manager_get_access_token_async (fixture->manager, account, force, NULL,
                                                got_token_cb, &wait);
  g_assert_false (wait.done);
  fulcrum_test_wait_for (&wait.done, WAIT_MS);

  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      return NULL;
    }

  tokens_fixture_remember (fixture, wait.token);
  return wait.token;
}

typedef struct
{
  gboolean  done;
  char     *blob;
} LookupWait;

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LookupWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->blob = fulcrum_secret_store_lookup_finish (FULCRUM_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
  wait->done = TRUE;
}

FulcrumTokenSet *
tokens_fixture_read_keyring (TokensFixture        *fixture,
                             FulcrumLinkedAccount *account,
                             char                **blob)
{
  LookupWait wait = { 0 };
  g_autoptr(GError) error = NULL;
  FulcrumTokenSet *tokens;

  fulcrum_secret_store_lookup_async (fixture->secrets, FULCRUM_SECRET_KIND_TOKEN_SET,
                                     fulcrum_linked_account_get_profile_id (account),
                                     fulcrum_linked_account_get_id (account), NULL,
                                     looked_up_cb, &wait);
  fulcrum_test_wait_for (&wait.done, WAIT_MS);
  if (wait.blob == NULL)
    return NULL;

  tokens = fulcrum_token_set_deserialize (wait.blob, &error);
  g_assert_no_error (error);
  tokens_fixture_remember (fixture, tokens->access_token);
  if (tokens->refresh_token != NULL)
    tokens_fixture_remember (fixture, tokens->refresh_token);

  if (blob != NULL)
    *blob = g_steal_pointer (&wait.blob);
  else
    fulcrum_secret_free (wait.blob);

  return tokens;
}

gint64
tokens_sim_refresh_requests (TokensFixture *fixture)
{
  g_autoptr(JsonNode) stats = fulcrum_sim_server_get_stats (fixture->sim);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (stats),
                                                        "token_requests");

  return json_object_get_int_member (requests, "refresh_token");
}

guint
tokens_sim_refresh (TokensFixture  *fixture,
                    const char     *refresh_token,
                    char          **error_code)
{
  g_autoptr(GString) form = g_string_new ("grant_type=refresh_token&client_id=" TOKENS_CLIENT_ID
                                          "&client_secret=" TOKENS_CLIENT_SECRET "&refresh_token=");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  guint status;

  g_string_append_uri_escaped (form, refresh_token, NULL, FALSE);
  msg = form_message (fulcrum_sim_server_get_token_url (fixture->sim), form->str);
  body = send_blocking (fixture, msg, &status);

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));

  if (json_object_has_member (object, "access_token"))
    tokens_fixture_remember (fixture, json_object_get_string_member (object, "access_token"));
  if (json_object_has_member (object, "refresh_token"))
    tokens_fixture_remember (fixture, json_object_get_string_member (object, "refresh_token"));
  if (error_code != NULL)
    *error_code = g_strdup (json_object_get_string_member_with_default (object, "error", NULL));

  return status;
}

guint
tokens_sim_api_status (TokensFixture *fixture,
                       const char    *access_token)
{
  g_autofree char *url = g_strconcat (fulcrum_sim_server_get_api_base (fixture->sim),
                                      "/users?limit=1", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", access_token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;
  guint status;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  body = send_blocking (fixture, msg, &status);

  return status;
}

FulcrumLinkedAccount *
tokens_load_account_from_disk (const char *account_id)
{
  g_autoptr(FulcrumStore) store = fulcrum_store_new (NULL);
  g_autoptr(GError) error = NULL;
  FulcrumLinkedAccount *account;

  fulcrum_store_load (store, &error);
  g_assert_no_error (error);
  account = fulcrum_store_find_account (store, account_id);
  g_assert_nonnull (account);

  return g_object_ref (account);
}

/* Fake token endpoint */

static void
fake_answer (FakeEndpoint      *endpoint,
             SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, endpoint->status, NULL);
  soup_server_message_set_response (msg, endpoint->content_type, SOUP_MEMORY_COPY,
                                    endpoint->body, strlen (endpoint->body));
}

static void
fake_token_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  FakeEndpoint *endpoint = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  endpoint->n_requests++;
  g_clear_pointer (&endpoint->last_content_type, g_free);
  endpoint->last_content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  g_clear_pointer (&endpoint->last_form, g_hash_table_unref);
  endpoint->last_form = g_uri_parse_params (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                            "&", G_URI_PARAMS_WWW_FORM, NULL);

  if (endpoint->hold)
    {
      g_ptr_array_add (endpoint->held, g_object_ref (msg));
      soup_server_message_pause (msg);
      return;
    }

  fake_answer (endpoint, msg);
}

FakeEndpoint *
fake_endpoint_new (void)
{
  FakeEndpoint *endpoint = g_new0 (FakeEndpoint, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  endpoint->server = soup_server_new (NULL, NULL);
  endpoint->held = g_ptr_array_new_with_free_func (g_object_unref);
  fake_endpoint_set_answer (endpoint, 500, "text/plain", "no answer set");
  soup_server_add_handler (endpoint->server, "/oauth/token", fake_token_cb, endpoint, NULL);
  soup_server_listen_local (endpoint->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (endpoint->server);
  g_assert_nonnull (uris);
  endpoint->token_url = g_strdup_printf ("http://127.0.0.1:%d/oauth/token",
                                         g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return endpoint;
}

void
fake_endpoint_set_answer (FakeEndpoint *endpoint,
                          guint         status,
                          const char   *content_type,
                          const char   *body)
{
  endpoint->status = status;
  g_free (endpoint->content_type);
  endpoint->content_type = g_strdup (content_type);
  g_free (endpoint->body);
  endpoint->body = g_strdup (body);
}

void
fake_endpoint_release (FakeEndpoint *endpoint)
{
  for (guint i = 0; i < endpoint->held->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (endpoint->held, i);

      fake_answer (endpoint, msg);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_set_size (endpoint->held, 0);
  endpoint->hold = FALSE;
}

void
fake_endpoint_free (FakeEndpoint *endpoint)
{
  if (endpoint->held->len > 0)
    fake_endpoint_release (endpoint);
  soup_server_disconnect (endpoint->server);
  g_clear_object (&endpoint->server);
  g_ptr_array_unref (endpoint->held);
  g_clear_pointer (&endpoint->last_form, g_hash_table_unref);
  g_free (endpoint->last_content_type);
  g_free (endpoint->token_url);
  g_free (endpoint->content_type);
  g_free (endpoint->body);
  g_free (endpoint);
}
