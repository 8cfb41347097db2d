/* client-test-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "client-test-common.h"
#include "fulcrum-test-util.h"

#define REDIRECT_URI "http://127.0.0.1:53682/callback/simulator"
#define WAIT_MS      60000

static guint next_id;

void
client_test_init (int    *argc,
                  char ***argv)
{
  fulcrum_test_init_environment ();
  g_test_init (argc, argv, NULL);
}

/* Keyring */

typedef struct
{
  gboolean  done;
  GError   *error;
} Wait;

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

static void
store_secret (ClientFixture     *fixture,
              FulcrumSecretKind  kind,
              const char        *profile_id,
              const char        *account_id,
              const char        *secret)
{
  Wait wait = { 0 };

  fulcrum_secret_store_store_async (fixture->secrets, kind, profile_id, account_id, secret, NULL,
                                    stored_cb, &wait);
  fulcrum_test_wait_for (&wait.done, WAIT_MS);
  g_assert_no_error (wait.error);
}

/* HTTP with the simulator, done by the test itself */

static GBytes *
http_send (ClientFixture  *fixture,
           const char     *method,
           const char     *url,
           const char     *token,
           const char     *form,
           guint          *status,
           char          **location)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
    }
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  body = soup_session_send_and_read (fixture->http, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (location != NULL)
    *location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                        "Location"));
  return body;
}

static char *
query_value (const char *uri,
             const char *key)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (parsed);
  g_assert_nonnull (g_uri_get_query (parsed));
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  return g_strdup (g_hash_table_lookup (params, key));
}

/* Authorize, consent, code exchange: the token endpoint's JSON answer. */
static GBytes *
sim_grant (ClientFixture    *fixture,
           FulcrumSimServer *sim,
           const char       *scopes)
{
  g_autoptr(GString) url = g_string_new (fulcrum_sim_server_get_authorize_url (sim));
  g_autoptr(GBytes) page = NULL;
  g_autofree char *text = NULL;
  g_autofree char *transaction = NULL;
  g_autofree char *form = NULL;
  g_autofree char *location = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GString) token_form = g_string_new ("grant_type=authorization_code");
  g_autoptr(GBytes) decided = NULL;
  const char *start, *end;
  GBytes *answer;
  guint status;

  g_string_append (url, "?client_id=" CLIENT_TEST_CLIENT_ID "&response_type=code&state=s1"
                        "&redirect_uri=");
  g_string_append_uri_escaped (url, REDIRECT_URI, NULL, FALSE);
  g_string_append (url, "&audience=");
  g_string_append_uri_escaped (url, fulcrum_sim_server_get_audience (sim), NULL, FALSE);
  g_string_append (url, "&scope=");
  g_string_append_uri_escaped (url, scopes, NULL, FALSE);

  page = http_send (fixture, "GET", url->str, NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  text = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  start = strstr (text, "name=\"transaction\" value=\"");
  g_assert_nonnull (start);
  start += strlen ("name=\"transaction\" value=\"");
  end = strchr (start, '"');
  transaction = g_strndup (start, end - start);

  form = g_strdup_printf ("transaction=%s&decision=allow", transaction);
  g_string_assign (url, fulcrum_sim_server_get_base_url (sim));
  g_string_append (url, "/authorize/decision");
  decided = http_send (fixture, "POST", url->str, NULL, form, &status, &location);
  g_assert_cmpuint (status, ==, 302);
  code = query_value (location, "code");
  g_assert_nonnull (code);

  g_string_append (token_form, "&client_id=" CLIENT_TEST_CLIENT_ID
                               "&client_secret=" CLIENT_TEST_CLIENT_SECRET "&code=");
  g_string_append_uri_escaped (token_form, code, NULL, FALSE);
  g_string_append (token_form, "&redirect_uri=");
  g_string_append_uri_escaped (token_form, REDIRECT_URI, NULL, FALSE);
  answer = http_send (fixture, "POST", fulcrum_sim_server_get_token_url (sim), NULL,
                      token_form->str, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  return answer;
}

char *
client_sim_access_token (ClientFixture    *fixture,
                         FulcrumSimServer *sim,
                         const char       *scopes)
{
  g_autoptr(GBytes) answer = sim_grant (fixture, sim, scopes);
  g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (answer, NULL), NULL);

  g_assert_nonnull (root);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "access_token"));
}

static const char *
all_scopes (void)
{
  static char *all;

  if (all == NULL)
    all = fulcrum_scopes_to_string (fulcrum_scopes_get_known ());
  return all;
}

void
client_fixture_setup (ClientFixture *fixture,
                      guint          n_opportunities)
{
  static const char * const redirect_uris[] = { REDIRECT_URI, NULL };
  g_autoptr(GError) error = NULL;
  FulcrumEnvironment *simulator;

  memset (fixture, 0, sizeof *fixture);

  fixture->sim = fulcrum_sim_server_new ();
  fulcrum_sim_server_set_seed (fixture->sim, 7);
  fulcrum_sim_server_set_n_opportunities (fixture->sim, n_opportunities);
  fulcrum_sim_server_set_latency (fixture->sim, 0, 0.0);
  fulcrum_sim_server_set_rate_limit (fixture->sim, FALSE, 10.0, 20);
  fulcrum_sim_server_add_app (fixture->sim, CLIENT_TEST_CLIENT_ID, CLIENT_TEST_CLIENT_SECRET,
                              redirect_uris, NULL);
  fulcrum_sim_server_start_thread (fixture->sim, 0, &error);
  g_assert_no_error (error);

  fixture->http = soup_session_new_with_options ("proxy-resolver", NULL, NULL);

  fixture->config_dir = g_strdup_printf ("%s/config-%u", fulcrum_test_get_root (), ++next_id);
  fixture->store = fulcrum_store_new (fixture->config_dir);
  fulcrum_store_load (fixture->store, &error);
  g_assert_no_error (error);
  simulator = fulcrum_store_find_environment (fixture->store, FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  g_assert_nonnull (simulator);
  fulcrum_environment_set_base_url (simulator, fulcrum_sim_server_get_base_url (fixture->sim));

  fixture->secrets = fulcrum_secret_store_new ();
  fixture->tokens = fulcrum_token_manager_new (fixture->store, fixture->secrets);
  fixture->admin_token = client_sim_access_token (fixture, fixture->sim, all_scopes ());
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  fulcrum_store_save_finish (FULCRUM_STORE (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

void
client_fixture_teardown (ClientFixture *fixture)
{
  gboolean saved = FALSE;

  g_clear_object (&fixture->client);
  /* let the saves the client queued (last used) finish before the store goes */
  fulcrum_store_save_async (fixture->store, NULL, save_done_cb, &saved);
  fulcrum_test_wait_for (&saved, WAIT_MS);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->tokens);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->http);
  fulcrum_sim_server_stop (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->config_dir, g_free);
  g_clear_pointer (&fixture->admin_token, g_free);
}

FulcrumConnectorProfile *
client_fixture_add_profile (ClientFixture *fixture,
                            const char    *profile_id,
                            const char    *env_id,
                            const char    *scopes)
{
  g_autoptr(FulcrumConnectorProfile) profile = fulcrum_connector_profile_new (profile_id, env_id);
  g_auto(GStrv) list = fulcrum_scopes_from_string (scopes);
  g_autoptr(GError) error = NULL;

  fulcrum_connector_profile_set_name (profile, profile_id);
  fulcrum_connector_profile_set_client_id (profile, CLIENT_TEST_CLIENT_ID);
  fulcrum_connector_profile_set_scopes (profile, (const char * const *) list, &error);
  g_assert_no_error (error);
  fulcrum_connector_profile_set_redirect_uri (profile, REDIRECT_URI);
  store_secret (fixture, FULCRUM_SECRET_KIND_CLIENT_SECRET, profile_id, NULL,
                CLIENT_TEST_CLIENT_SECRET);
  fulcrum_connector_profile_set_has_secret (profile, TRUE);
  fulcrum_store_add_profile (fixture->store, profile, &error);
  g_assert_no_error (error);
  return profile;
}

FulcrumLinkedAccount *
client_fixture_link_with (ClientFixture    *fixture,
                          FulcrumSimServer *auth_sim,
                          const char       *profile_id,
                          const char       *scopes)
{
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (fixture->store, profile_id);
  g_autoptr(GBytes) answer = sim_grant (fixture, auth_sim, scopes);
  g_autoptr(FulcrumTokenSet) tokens = NULL;
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = g_strdup_printf ("account-%u", ++next_id);
  g_autofree char *blob = NULL;
  g_auto(GStrv) granted = NULL;
  gint64 now = g_get_real_time ();

  g_assert_nonnull (profile);
  tokens = fulcrum_token_set_new_from_response (200, "application/json",
                                                g_bytes_get_data (answer, NULL),
                                                g_bytes_get_size (answer), now, &error);
  g_assert_no_error (error);
  blob = fulcrum_token_set_serialize (tokens);
  store_secret (fixture, FULCRUM_SECRET_KIND_TOKEN_SET, profile_id, account_id, blob);

  account = fulcrum_linked_account_new (account_id, profile_id,
                                        fulcrum_connector_profile_get_environment_id (profile));
  fulcrum_linked_account_set_label (account, account_id);
  granted = fulcrum_scopes_from_string (tokens->scope);
  fulcrum_linked_account_set_granted_scopes (account, (const char * const *) granted);
  fulcrum_linked_account_set_expires_at (account, tokens->expires_at / G_USEC_PER_SEC);
  fulcrum_linked_account_set_linked_at (account, now / G_USEC_PER_SEC);
  fulcrum_store_add_account (fixture->store, account);
  fulcrum_store_save (fixture->store, &error);
  g_assert_no_error (error);

  g_clear_object (&fixture->client);
  fixture->account = account;
  fixture->client = fulcrum_lever_client_new (fixture->store, fixture->tokens, account);
  client_fixture_fast_retries (fixture, 6);
  return account;
}

FulcrumLinkedAccount *
client_fixture_add_account (ClientFixture *fixture,
                            const char    *profile_id,
                            const char    *access_token)
{
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (fixture->store, profile_id);
  g_autoptr(FulcrumLinkedAccount) account = NULL;
  g_autofree char *account_id = g_strdup_printf ("account-%u", ++next_id);
  g_autofree char *blob = NULL;
  FulcrumTokenSet tokens = { 0 };
  gint64 now = g_get_real_time ();

  g_assert_nonnull (profile);
  tokens.access_token = (char *) access_token;
  tokens.refresh_token = (char *) "made-up-refresh-token";
  tokens.token_type = (char *) "Bearer";
  tokens.scope = (char *) "offline_access users:read:admin opportunities:read:admin";
  tokens.obtained_at = now;
  tokens.expires_at = now + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  blob = fulcrum_token_set_serialize (&tokens);
  store_secret (fixture, FULCRUM_SECRET_KIND_TOKEN_SET, profile_id, account_id, blob);

  account = fulcrum_linked_account_new (account_id, profile_id,
                                        fulcrum_connector_profile_get_environment_id (profile));
  fulcrum_linked_account_set_granted_scopes (account,
                                             (const char *[]) { "offline_access",
                                                                "users:read:admin",
                                                                "opportunities:read:admin",
                                                                NULL });
  fulcrum_linked_account_set_expires_at (account, tokens.expires_at / G_USEC_PER_SEC);
  fulcrum_linked_account_set_linked_at (account, now / G_USEC_PER_SEC);
  fulcrum_store_add_account (fixture->store, account);

  g_clear_object (&fixture->client);
  fixture->account = account;
  fixture->client = fulcrum_lever_client_new (fixture->store, fixture->tokens, account);
  client_fixture_fast_retries (fixture, 3);
  return account;
}

FulcrumLinkedAccount *
client_fixture_link (ClientFixture *fixture,
                     const char    *scopes)
{
  g_autofree char *profile_id = g_strdup_printf ("profile-%u", ++next_id);

  client_fixture_add_profile (fixture, profile_id, FULCRUM_ENVIRONMENT_ID_SIMULATOR, scopes);
  return client_fixture_link_with (fixture, fixture->sim, profile_id, scopes);
}

void
client_fixture_fast_retries (ClientFixture *fixture,
                             guint          max_attempts)
{
  fulcrum_lever_client_set_retry_policy (fixture->client, max_attempts, 10, 200);
}

JsonNode *
client_sim_get (ClientFixture *fixture,
                const char    *path_and_query)
{
  g_autofree char *url = g_strconcat (fulcrum_sim_server_get_api_base (fixture->sim),
                                      path_and_query, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  guint status;

  body = http_send (fixture, "GET", url, fixture->admin_token, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  root = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  return root;
}

GPtrArray *
client_sim_read_all (ClientFixture *fixture,
                     const char    *path_and_query)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *next = NULL;

  do
    {
      g_autofree char *url = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;
      JsonArray *data;

      if (next != NULL)
        url = g_strdup_printf ("%s%soffset=%s", path_and_query,
                               strchr (path_and_query, '?') ? "&" : "?", next);
      else
        url = g_strdup (path_and_query);
      root = client_sim_get (fixture, url);
      object = json_node_get_object (root);
      data = json_object_get_array_member (object, "data");
      for (guint i = 0; i < json_array_get_length (data); i++)
        g_ptr_array_add (records, json_node_copy (json_array_get_element (data, i)));
      g_clear_pointer (&next, g_free);
      if (json_object_get_boolean_member_with_default (object, "hasNext", FALSE))
        next = g_strdup (json_object_get_string_member (object, "next"));
    }
  while (next != NULL);

  return records;
}

gint64
client_sim_stat (FulcrumSimServer *sim,
                 const char       *member)
{
  g_autoptr(JsonNode) stats = fulcrum_sim_server_get_stats (sim);
  g_auto(GStrv) path = g_strsplit (member, ".", 2);
  JsonObject *object = json_node_get_object (stats);

  if (path[1] != NULL)
    {
      object = json_object_get_object_member (object, path[0]);
      return json_object_get_int_member_with_default (object, path[1], 0);
    }
  return json_object_get_int_member_with_default (object, member, 0);
}

GHashTable *
client_params (const char *first_name,
               ...)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *name;
  va_list args;

  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (params, g_strdup (name), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return params;
}

/* Runs */

typedef struct
{
  RunResult   *result;
  RunPageHook  hook;
  gpointer     hook_data;
  gboolean     done;
} RunData;

static gboolean
page_cb (FulcrumLeverPage        *page,
         const FulcrumLeverStats *stats,
         gpointer                 user_data)
{
  RunData *data = user_data;
  JsonArray *records = fulcrum_lever_page_get_records (page);
  guint n = json_array_get_length (records);

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (fulcrum_lever_page_get_n_records (page), ==, n);
  data->result->n_callbacks++;
  data->result->max_page = MAX (data->result->max_page, n);
  for (guint i = 0; i < n; i++)
    {
      gsize length;
      const char *text = fulcrum_lever_page_get_record_text (page, i, &length);
      g_autoptr(JsonParser) parser = json_parser_new ();

      /* each record's text, as an export writes it, is the record, on one line */
      g_assert_null (memchr (text, '\n', length));
      g_assert_true (json_parser_load_from_data (parser, text, (gssize) length, NULL));
      g_assert_true (json_node_equal (json_parser_get_root (parser),
                                      json_array_get_element (records, i)));
      g_ptr_array_add (data->result->records, json_node_ref (json_array_get_element (records, i)));
    }
  g_assert_cmpuint (stats->records, ==, data->result->records->len);
  return data->hook == NULL || data->hook (data->result, data->hook_data);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunData *data = user_data;

  fulcrum_lever_client_run_action_finish (FULCRUM_LEVER_CLIENT (object), result,
                                          &data->result->stats, &data->result->next,
                                          &data->result->error);
  data->done = TRUE;
}

RunResult *
client_run_full (FulcrumLeverClient   *client,
                 const char           *action_id,
                 GHashTable           *params,
                 FulcrumLeverRunFlags  flags,
                 RunPageHook           hook,
                 gpointer              hook_data,
                 GCancellable         *cancellable)
{
  RunData data = { 0 };

  data.result = g_new0 (RunResult, 1);
  data.result->records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  data.hook = hook;
  data.hook_data = hook_data;
  fulcrum_lever_client_run_action_async (client, action_id, params, flags, page_cb, &data, NULL,
                                         cancellable, run_done_cb, &data);
  fulcrum_test_wait_for (&data.done, WAIT_MS);
  /* the stats say what the callback saw, also after a failure */
  g_assert_cmpuint (data.result->stats.records, ==, data.result->records->len);
  return data.result;
}

RunResult *
client_run (FulcrumLeverClient   *client,
            const char           *action_id,
            GHashTable           *params,
            FulcrumLeverRunFlags  flags)
{
  return client_run_full (client, action_id, params, flags, NULL, NULL, NULL);
}

void
run_result_free (RunResult *result)
{
  g_ptr_array_unref (result->records);
  g_free (result->next);
  g_clear_error (&result->error);
  g_free (result);
}

const char *
client_record_id (JsonNode *record)
{
  JsonObject *object;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (record));
  object = json_node_get_object (record);
  if (json_object_has_member (object, "id"))
    return json_object_get_string_member (object, "id");
  return json_object_get_string_member (object, "text");
}

char *
client_json_dup_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

void
run_result_assert_same (RunResult *result,
                        GPtrArray *expected)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_no_error (result->error);
  for (guint i = 0; i < expected->len; i++)
    g_hash_table_insert (by_id, (gpointer) client_record_id (g_ptr_array_index (expected, i)),
                         g_ptr_array_index (expected, i));

  for (guint i = 0; i < result->records->len; i++)
    {
      JsonNode *record = g_ptr_array_index (result->records, i);
      const char *id = client_record_id (record);
      JsonNode *want = g_hash_table_lookup (by_id, id);

      if (!g_hash_table_add (seen, (gpointer) id))
        g_error ("Record %s was delivered twice", id);
      if (want == NULL)
        g_error ("Record %s is not in the simulator's list", id);
      if (!json_node_equal (record, want))
        {
          g_autofree char *got = client_json_dup_string (record);
          g_autofree char *wanted = client_json_dup_string (want);

          g_error ("Record %s differs:\n got  %s\n want %s", id, got, wanted);
        }
    }
  g_assert_cmpuint (result->records->len, ==, expected->len);
}
