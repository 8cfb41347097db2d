/* fulcrum-sim-oauth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-scopes.h"
#include "fulcrum-sim-private.h"

/* Lever's authorization server (Auth0): the authorize endpoint with its consent page, and
 * the token endpoint with single-use codes, PKCE, and refresh-token rotation where reusing
 * a rotated refresh token revokes its whole family. */

#define CONSENT_LIFETIME_MS  (G_GINT64_CONSTANT (10) * 60 * 1000)

static gint64
now_ms (FulcrumSimRequest *req)
{
  return fulcrum_sim_server_now_us (req->self) / 1000;
}

void
fulcrum_sim_request_no_store (FulcrumSimRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
}

/* Pages */

static void
reply_page (FulcrumSimRequest *req,
            guint              status,
            const char        *title,
            const char        *body_html)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  g_autofree char *title_html = g_markup_escape_text (title, -1);
  GString *page = g_string_new (NULL);

  g_string_append_printf (page,
                          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width\">\n"
                          "<title>%s</title>\n<style>\n"
                          "body{font-family:sans-serif;max-width:36em;margin:3em auto;"
                          "padding:0 1em;color:#222}\n"
                          "button{font-size:1em;padding:.5em 1.5em;margin-right:1em}\n"
                          "code{background:#eee;padding:0 .2em}\n"
                          "</style>\n</head>\n<body>\n<main>\n<h1>%s</h1>\n%s</main>\n"
                          "</body>\n</html>\n",
                          title_html, title_html, body_html);
  fulcrum_sim_request_no_store (req);
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; "
                                "frame-ancestors 'none'");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  fulcrum_sim_request_reply (req, status, "text/html; charset=utf-8", page);
}

static void
reply_error_page (FulcrumSimRequest *req,
                  const char        *title,
                  const char        *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  g_autofree char *body = g_strdup_printf ("<p>%s</p>\n", escaped);

  reply_page (req, SOUP_STATUS_BAD_REQUEST, title, body);
}

static void
redirect (FulcrumSimRequest *req,
          const char        *redirect_uri,
          const char        *first_key,
          ...) G_GNUC_NULL_TERMINATED;

/* Redirects to @redirect_uri with the key/value pairs appended to its query. */
static void
redirect (FulcrumSimRequest *req,
          const char        *redirect_uri,
          const char        *first_key,
          ...)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  GString *location = g_string_new (redirect_uri);
  gboolean has_query = strchr (redirect_uri, '?') != NULL;
  const char *key;
  va_list args;

  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      g_string_append_c (location, has_query ? '&' : '?');
      has_query = TRUE;
      g_string_append (location, key);
      g_string_append_c (location, '=');
      g_string_append_uri_escaped (location, value, NULL, FALSE);
    }
  va_end (args);

  fulcrum_sim_request_no_store (req);
  soup_message_headers_replace (headers, "Location", location->str);
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  fulcrum_sim_request_reply (req, SOUP_STATUS_FOUND, "text/plain; charset=utf-8",
                             g_string_new ("Redirecting"));
  g_string_free (location, TRUE);
}

static gboolean
is_pkce_value (const char *value)
{
  gsize len = strlen (value);

  if (len < 43 || len > 128)
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static const char *
scope_title (const char *scope)
{
  guint n_resources = 0;
  const FulcrumScopeResource *resources = fulcrum_scopes_get_resources (&n_resources);

  for (guint i = 0; i < n_resources; i++)
    {
      if (g_strcmp0 (resources[i].read_scope, scope) == 0 ||
          g_strcmp0 (resources[i].write_scope, scope) == 0)
        return resources[i].title;
    }
  return scope;
}

static void
reply_consent (FulcrumSimRequest *req,
               FulcrumSimApp     *app,
               FulcrumSimConsent *consent,
               gboolean           audience_ok)
{
  FulcrumSimServer *self = req->self;
  FulcrumSimUser *admin = g_ptr_array_index (self->data->users->items, 0);
  g_autofree char *app_html = g_markup_escape_text (app->name, -1);
  g_autofree char *org_html = g_markup_escape_text (self->organization, -1);
  g_autofree char *title = g_strdup_printf ("Authorize %s", app->name);
  g_autoptr(GString) body = g_string_new (NULL);

  /* the consenting user is the org's super admin */
  for (guint i = 0; i < self->data->users->items->len; i++)
    {
      FulcrumSimUser *user = g_ptr_array_index (self->data->users->items, i);

      if (g_strcmp0 (user->access_role, "super admin") == 0)
        admin = user;
    }

  g_string_append_printf (body,
                          "<p><strong>%s</strong> is requesting access to your Lever account "
                          "at <strong>%s</strong>.</p>\n",
                          app_html, org_html);
  if (admin != NULL)
    {
      g_autofree char *admin_html = g_markup_escape_text (admin->name, -1);

      g_string_append_printf (body, "<p>Signed in as %s (Super Admin). Your answer applies "
                              "to the whole organization.</p>\n", admin_html);
    }
  if (!audience_ok)
    g_string_append (body, "<p>No API audience was requested: the app will not be able to "
                           "call the Lever API.</p>\n");
  g_string_append (body, "<p>It will be able to:</p>\n<ul>\n");
  for (guint i = 0; consent->scopes[i] != NULL; i++)
    {
      g_autofree char *scope_html = g_markup_escape_text (consent->scopes[i], -1);
      g_autofree char *title_html = g_markup_escape_text (scope_title (consent->scopes[i]), -1);
      const char *what = g_str_has_suffix (consent->scopes[i], ":write:admin") ? "read and write"
                         : g_str_has_suffix (consent->scopes[i], ":read:admin") ? "read"
                         : NULL;

      if (what != NULL)
        g_string_append_printf (body, "<li>%s: %s (<code>%s</code>)</li>\n",
                                title_html, what, scope_html);
      else
        g_string_append_printf (body, "<li>%s (<code>%s</code>)</li>\n", title_html, scope_html);
    }
  g_string_append_printf (body,
                          "</ul>\n"
                          "<form method=\"post\" action=\"/authorize/decision\">\n"
                          "<input type=\"hidden\" name=\"transaction\" value=\"%s\">\n"
                          "<button type=\"submit\" name=\"decision\" value=\"deny\">"
                          "Deny</button>\n"
                          "<button type=\"submit\" name=\"decision\" value=\"allow\">"
                          "Allow</button>\n"
                          "</form>\n",
                          consent->id);
  reply_page (req, SOUP_STATUS_OK, title, body->str);
}

void
fulcrum_sim_oauth_authorize (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;
  const char *client_id = fulcrum_sim_params_get (req->params, "client_id");
  const char *redirect_uri = fulcrum_sim_params_get (req->params, "redirect_uri");
  const char *response_type = fulcrum_sim_params_get (req->params, "response_type");
  const char *state = fulcrum_sim_params_get (req->params, "state");
  const char *audience = fulcrum_sim_params_get (req->params, "audience");
  const char *scope = fulcrum_sim_params_get (req->params, "scope");
  const char *challenge = fulcrum_sim_params_get (req->params, "code_challenge");
  const char *method = fulcrum_sim_params_get (req->params, "code_challenge_method");
  g_auto(GStrv) requested = NULL;
  g_autoptr(GPtrArray) granted = g_ptr_array_new ();
  FulcrumSimConsent *consent;
  FulcrumSimApp *app;
  gboolean audience_ok;

  self->stats.authorize_requests++;

  if (strcmp (req->method, "GET") != 0)
    {
      reply_error_page (req, "Method not allowed", "Use GET for /authorize.");
      req->status = SOUP_STATUS_METHOD_NOT_ALLOWED;
      return;
    }

  app = client_id != NULL ? g_hash_table_lookup (self->auth->apps, client_id) : NULL;
  if (app == NULL)
    {
      reply_error_page (req, "Unknown client",
                        "The client_id of this request does not belong to any registered "
                        "application.");
      return;
    }

  /* Never redirect to a URI that is not registered byte for byte. */
  if (redirect_uri == NULL || !g_strv_contains ((const char * const *) app->redirect_uris,
                                                redirect_uri))
    {
      g_autofree char *message = g_strdup_printf ("Callback URL mismatch. “%s” is not in the "
                                                  "list of allowed callback URLs of the "
                                                  "application.",
                                                  redirect_uri ? redirect_uri : "undefined");

      reply_error_page (req, "Callback URL mismatch", message);
      return;
    }

  if (g_strcmp0 (response_type, "code") != 0)
    {
      redirect (req, redirect_uri, "error", "unsupported_response_type",
                "error_description", "Only response_type=code is supported", "state", state,
                NULL);
      return;
    }

  if (method != NULL && strcmp (method, "S256") != 0 && strcmp (method, "plain") != 0)
    {
      redirect (req, redirect_uri, "error", "invalid_request",
                "error_description", "Unsupported code_challenge_method", "state", state, NULL);
      return;
    }
  if ((challenge != NULL && !is_pkce_value (challenge)) || (challenge == NULL && method != NULL))
    {
      redirect (req, redirect_uri, "error", "invalid_request",
                "error_description", "Invalid code_challenge", "state", state, NULL);
      return;
    }

  requested = fulcrum_scopes_from_string (scope);
  if (requested[0] == NULL)
    {
      redirect (req, redirect_uri, "error", "invalid_scope",
                "error_description", "The scope parameter is required", "state", state, NULL);
      return;
    }
  for (guint i = 0; requested[i] != NULL; i++)
    {
      g_autofree char *message = NULL;

      if (!fulcrum_scopes_is_known (requested[i]))
        message = g_strdup_printf ("Unknown scope: %s", requested[i]);
      else if (app->allowed_scopes != NULL &&
               !g_strv_contains ((const char * const *) app->allowed_scopes, requested[i]))
        message = g_strdup_printf ("The application is not registered for the scope %s",
                                   requested[i]);
      if (message != NULL)
        {
          redirect (req, redirect_uri, "error", "invalid_scope",
                    "error_description", message, "state", state, NULL);
          return;
        }
    }

  /* Without Lever's audience the grant covers offline_access only (what Lever's consent
   * screen then shows), and its tokens cannot call the API. */
  audience_ok = g_strcmp0 (audience, self->audience) == 0;
  for (guint i = 0; requested[i] != NULL; i++)
    {
      if (!audience_ok && strcmp (requested[i], "offline_access") != 0)
        continue;
      if (!g_ptr_array_find_with_equal_func (granted, requested[i], g_str_equal, NULL))
        g_ptr_array_add (granted, g_strdup (requested[i]));
    }
  g_ptr_array_add (granted, NULL);

  consent = g_new0 (FulcrumSimConsent, 1);
  consent->id = fulcrum_sim_random_token (24);
  consent->client_id = g_strdup (client_id);
  consent->redirect_uri = g_strdup (redirect_uri);
  consent->state = g_strdup (state);
  consent->scopes = (char **) g_ptr_array_steal (granted, NULL);
  consent->challenge = g_strdup (challenge);
  consent->method = g_strdup (challenge != NULL ? (method ? method : "plain") : NULL);
  consent->created_at = now_ms (req);
  g_hash_table_insert (self->auth->consents, consent->id, consent);

  reply_consent (req, app, consent, audience_ok);
}

GPtrArray *
fulcrum_sim_request_form (FulcrumSimRequest *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return fulcrum_sim_params_parse (text);
}

static void
prune_expired (GHashTable *table,
               gsize       created_offset,
               gint64      now,
               gint64      lifetime)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 created = G_STRUCT_MEMBER (gint64, value, created_offset);

      if (now - created > lifetime)
        g_hash_table_iter_remove (&iter);
    }
}

void
fulcrum_sim_oauth_decision (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;
  g_autoptr(GPtrArray) form = NULL;
  FulcrumSimConsent *consent;
  const char *decision;
  const char *id;

  if (strcmp (req->method, "POST") != 0)
    {
      reply_error_page (req, "Method not allowed", "The consent form is sent with POST.");
      req->status = SOUP_STATUS_METHOD_NOT_ALLOWED;
      return;
    }

  prune_expired (self->auth->consents, G_STRUCT_OFFSET (FulcrumSimConsent, created_at),
                 now_ms (req), CONSENT_LIFETIME_MS);

  form = fulcrum_sim_request_form (req);
  id = fulcrum_sim_params_get (form, "transaction");
  decision = fulcrum_sim_params_get (form, "decision");
  consent = id != NULL ? g_hash_table_lookup (self->auth->consents, id) : NULL;
  if (consent == NULL)
    {
      reply_error_page (req, "Authorization expired",
                        "This authorization request has expired or was already answered. "
                        "Start again from the application.");
      return;
    }
  if (g_strcmp0 (decision, "allow") != 0 && g_strcmp0 (decision, "deny") != 0)
    {
      reply_error_page (req, "Invalid answer", "Choose Allow or Deny.");
      return;
    }

  if (strcmp (decision, "allow") == 0)
    {
      g_autofree char *code = fulcrum_sim_random_token (32);
      FulcrumSimCode *record = g_new0 (FulcrumSimCode, 1);

      record->hash = fulcrum_sim_hash_token (code);
      record->client_id = g_strdup (consent->client_id);
      record->redirect_uri = g_strdup (consent->redirect_uri);
      record->scopes = g_strdupv (consent->scopes);
      record->challenge = g_strdup (consent->challenge);
      record->method = g_strdup (consent->method);
      record->created_at = now_ms (req);
      g_hash_table_insert (self->auth->codes, record->hash, record);
      self->stats.consents_allowed++;
      redirect (req, consent->redirect_uri, "code", code, "state", consent->state, NULL);
    }
  else
    {
      self->stats.consents_denied++;
      redirect (req, consent->redirect_uri, "error", "access_denied",
                "error_description", "User did not authorize the request",
                "state", consent->state, NULL);
    }
  g_hash_table_remove (self->auth->consents, consent->id);
}

