/* fulcrum-sim-oauth-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-scopes.h"
#include "fulcrum-sim-private.h"

/* POST /oauth/token: authorization_code and refresh_token grants, Auth0 style. */

#define CODE_LIFETIME_MS     (G_GINT64_CONSTANT (10) * 60 * 1000)
#define REFRESH_IDLE_MS      (G_GINT64_CONSTANT (90) * 24 * 3600 * 1000)
#define REFRESH_ABSOLUTE_MS  (G_GINT64_CONSTANT (365) * 24 * 3600 * 1000)

static void
reply_oauth_error (FulcrumSimRequest *req,
                   guint              status,
                   const char        *error,
                   const char        *description)
{
  GString *body = g_string_new ("{\"error\":");

  fulcrum_sim_json_escape (body, error);
  g_string_append (body, ",\"error_description\":");
  fulcrum_sim_json_escape (body, description);
  g_string_append_c (body, '}');
  fulcrum_sim_request_no_store (req);
  fulcrum_sim_request_reply (req, status, "application/json", body);
}

/* Auth0 takes JSON bodies as well as forms. */
static GPtrArray *
token_params (FulcrumSimRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  SoupMessageBody *body;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  GPtrArray *params;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (g_strcmp0 (content_type, "application/json") != 0)
    return fulcrum_sim_request_form (req);

  params = fulcrum_sim_params_parse (NULL);
  body = soup_server_message_get_request_body (req->msg);
  bytes = soup_message_body_flatten (body);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return params;

  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          FulcrumSimParam *param = g_new0 (FulcrumSimParam, 1);

          param->key = g_strdup (name);
          param->value = g_strdup (json_node_get_string (node));
          g_ptr_array_add (params, param);
        }
    }
  return params;
}

static FulcrumSimApp *
authenticate_client (FulcrumSimRequest *req,
                     GPtrArray         *params)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *basic_id = NULL;
  g_autofree char *basic_secret = NULL;
  g_autofree char *hash = NULL;
  const char *client_id = fulcrum_sim_params_get (params, "client_id");
  const char *secret = fulcrum_sim_params_get (params, "client_secret");
  FulcrumSimApp *app;

  if (secret == NULL && authorization != NULL &&
      g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    {
      gsize len = 0;
      g_autofree guchar *decoded = g_base64_decode (authorization + 6, &len);
      g_autofree char *pair = g_strndup ((const char *) decoded, len);
      char *colon = strchr (pair, ':');

      if (colon != NULL)
        {
          *colon = '\0';
          basic_id = g_uri_unescape_string (pair, NULL);
          basic_secret = g_uri_unescape_string (colon + 1, NULL);
          client_id = basic_id;
          secret = basic_secret;
        }
    }

  if (client_id == NULL || secret == NULL)
    return NULL;
  app = g_hash_table_lookup (req->self->auth->apps, client_id);
  if (app == NULL)
    return NULL;
  hash = fulcrum_sim_hash_token (secret);
  if (!fulcrum_sim_secure_equal (hash, app->secret_hash))
    return NULL;
  return app;
}

static gboolean
verify_pkce (FulcrumSimCode *code,
             const char     *verifier)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autofree char *b64 = NULL;

  if (code->challenge == NULL)
    return TRUE;   /* servers ignore a verifier they did not ask for */
  if (verifier == NULL)
    return FALSE;
  if (g_strcmp0 (code->method, "plain") == 0)
    return fulcrum_sim_secure_equal (verifier, code->challenge);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &len);
  b64 = g_base64_encode (digest, len);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  for (char *eq = strchr (b64, '='); eq != NULL; eq = NULL)
    *eq = '\0';
  return fulcrum_sim_secure_equal (b64, code->challenge);
}

static void
reply_tokens (FulcrumSimRequest *req,
              FulcrumSimFamily  *family,
              gboolean           with_refresh)
{
  FulcrumSimServer *self = req->self;
  gint64 now = fulcrum_sim_server_now_us (self) / 1000;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *scope = NULL;
  GString *body = g_string_new ("{\"access_token\":");

  access = fulcrum_sim_auth_issue_access (self->auth, family, self->key_id,
                                          now + self->token_lifetime * 1000);
  if (with_refresh)
    refresh = fulcrum_sim_auth_issue_refresh (self->auth, family, now);
  scope = fulcrum_scopes_to_string ((const char * const *) family->scopes);
  self->stats.access_tokens_issued++;

  fulcrum_sim_json_escape (body, access);
  if (refresh != NULL)
    {
      g_string_append (body, ",\"refresh_token\":");
      fulcrum_sim_json_escape (body, refresh);
    }
  g_string_append (body, ",\"scope\":");
  fulcrum_sim_json_escape (body, scope);
  g_string_append_printf (body, ",\"expires_in\":%" G_GINT64_FORMAT ",\"token_type\":\"Bearer\"}",
                          self->token_lifetime);
  fulcrum_sim_request_no_store (req);
  fulcrum_sim_request_reply (req, SOUP_STATUS_OK, "application/json", body);
  fulcrum_sim_server_save_state (self);
}

static void
revoke_family (FulcrumSimServer *self,
               FulcrumSimFamily *family)
{
  if (family != NULL && fulcrum_sim_auth_revoke_family (self->auth, family))
    {
      self->stats.families_revoked++;
      fulcrum_sim_server_save_state (self);
    }
}

static void
grant_code (FulcrumSimRequest *req,
            FulcrumSimApp     *app,
            GPtrArray         *params)
{
  FulcrumSimServer *self = req->self;
  const char *code = fulcrum_sim_params_get (params, "code");
  const char *redirect_uri = fulcrum_sim_params_get (params, "redirect_uri");
  const char *verifier = fulcrum_sim_params_get (params, "code_verifier");
  gint64 now = fulcrum_sim_server_now_us (self) / 1000;
  g_autofree char *hash = NULL;
  FulcrumSimFamily *family;
  FulcrumSimCode *record;

  if (code == NULL || code[0] == '\0')
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "Missing required parameter: code");
      return;
    }
  hash = fulcrum_sim_hash_token (code);
  record = g_hash_table_lookup (self->auth->codes, hash);
  if (record == NULL || strcmp (record->client_id, app->client_id) != 0)
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "Invalid authorization code");
      return;
    }
  if (record->used)
    {
      /* a replayed code: whatever was issued for it is compromised (RFC 6749 §4.1.2) */
      revoke_family (self, g_hash_table_lookup (self->auth->families, record->family_id));
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "Invalid authorization code");
      return;
    }
  if (now - record->created_at > CODE_LIFETIME_MS)
    {
      g_hash_table_remove (self->auth->codes, hash);
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "Invalid authorization code");
      return;
    }
  if (g_strcmp0 (redirect_uri, record->redirect_uri) != 0)
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The redirect_uri does not match the one of the authorization request");
      return;
    }
  if (!verify_pkce (record, verifier))
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "Failed to verify code verifier");
      return;
    }

  record->used = TRUE;
  family = fulcrum_sim_auth_new_family (self->auth, app->client_id, record->scopes, now);
  record->family_id = g_strdup (family->id);
  reply_tokens (req, family, g_strv_contains ((const char * const *) family->scopes,
                                              "offline_access"));
}

static void
grant_refresh (FulcrumSimRequest *req,
               FulcrumSimApp     *app,
               GPtrArray         *params)
{
  FulcrumSimServer *self = req->self;
  const char *token = fulcrum_sim_params_get (params, "refresh_token");
  gint64 now = fulcrum_sim_server_now_us (self) / 1000;
  g_autofree char *hash = NULL;
  FulcrumSimRefresh *refresh;
  FulcrumSimFamily *family;

  if (token == NULL || token[0] == '\0')
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "Missing required parameter: refresh_token");
      return;
    }
  hash = fulcrum_sim_hash_token (token);
  refresh = g_hash_table_lookup (self->auth->refresh, hash);
  if (refresh == NULL || strcmp (refresh->family->client_id, app->client_id) != 0)
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "Unknown or invalid refresh token.");
      return;
    }
  family = refresh->family;
  if (refresh->used)
    {
      /* Auth0's reuse detection: a rotated token came back, so the family is compromised */
      revoke_family (self, family);
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "Unknown or invalid refresh token.");
      return;
    }
  if (now - family->created_at > REFRESH_ABSOLUTE_MS || now - refresh->issued_at > REFRESH_IDLE_MS)
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The refresh token has expired.");
      return;
    }

  refresh->used = TRUE;
  self->stats.refresh_tokens_rotated++;
  reply_tokens (req, family, TRUE);
}

void
fulcrum_sim_oauth_token (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;
  g_autoptr(GPtrArray) params = NULL;
  const char *grant_type;
  FulcrumSimApp *app;

  if (strcmp (req->method, "POST") != 0)
    {
      reply_oauth_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                         "The token endpoint takes POST");
      return;
    }

  params = token_params (req);
  grant_type = fulcrum_sim_params_get (params, "grant_type");
  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    self->stats.token_requests[FULCRUM_SIM_GRANT_AUTHORIZATION_CODE]++;
  else if (g_strcmp0 (grant_type, "refresh_token") == 0)
    self->stats.token_requests[FULCRUM_SIM_GRANT_REFRESH_TOKEN]++;
  else
    self->stats.token_requests[FULCRUM_SIM_GRANT_OTHER]++;

  if (fulcrum_sim_faults_roll_one (self, FULCRUM_SIM_FAULT_TOKEN_500))
    {
      self->stats.faults[FULCRUM_SIM_FAULT_TOKEN_500]++;
      reply_oauth_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server_error",
                         "An unexpected error occurred");
      return;
    }

  if (grant_type == NULL)
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "Missing required parameter: grant_type");
      return;
    }
  if (strcmp (grant_type, "authorization_code") != 0 && strcmp (grant_type, "refresh_token") != 0)
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                         "Unsupported grant type");
      return;
    }

  app = authenticate_client (req, params);
  if (app == NULL)
    {
      reply_oauth_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                         "Client authentication failed");
      return;
    }

  if (strcmp (grant_type, "authorization_code") == 0)
    grant_code (req, app, params);
  else
    grant_refresh (req, app, params);
}
