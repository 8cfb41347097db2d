/* fulcrum-token-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-tokens"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fulcrum-token-set.h"

G_DEFINE_QUARK (fulcrum-oauth-error-quark, fulcrum_oauth_error)

/* Longer lifetimes than this are treated as this: a server bug must not make a token
 * look valid for centuries. */
#define MAX_EXPIRES_IN_S (366 * 24 * 3600)

static void
wipe_free (char *str)
{
  if (str != NULL)
    {
      explicit_bzero (str, strlen (str));
      g_free (str);
    }
}

void
fulcrum_token_set_free (FulcrumTokenSet *self)
{
  if (self == NULL)
    return;

  wipe_free (self->access_token);
  wipe_free (self->refresh_token);
  g_free (self->token_type);
  g_free (self->scope);
  g_free (self);
}

FulcrumTokenSet *
fulcrum_token_set_copy (const FulcrumTokenSet *self)
{
  FulcrumTokenSet *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (FulcrumTokenSet, 1);
  copy->access_token = g_strdup (self->access_token);
  copy->refresh_token = g_strdup (self->refresh_token);
  copy->token_type = g_strdup (self->token_type);
  copy->scope = g_strdup (self->scope);
  copy->expires_at = self->expires_at;
  copy->obtained_at = self->obtained_at;

  return copy;
}

/* Server text shown to the user: one line, printable, bounded. */
static char *
clean_server_text (const char *text)
{
  GString *out;

  if (text == NULL || *text == '\0')
    return NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup (_("(unreadable text)"));

  out = g_string_new (NULL);
  for (const char *p = text; *p && out->len < 300; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
    }

  return g_strstrip (g_string_free (out, FALSE));
}

GError *
fulcrum_oauth_error_from_code (const char *code,
                               const char *description)
{
  g_autofree char *desc = clean_server_text (description);
  g_autofree char *detail = desc ? g_strdup_printf (": %s", desc) : g_strdup ("");

  if (g_strcmp0 (code, "invalid_grant") == 0)
    return g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_GRANT,
                        _("Lever no longer accepts this authorization (invalid_grant%s). Link the account again."),
                        detail);

  if (g_strcmp0 (code, "invalid_client") == 0 || g_strcmp0 (code, "unauthorized_client") == 0)
    return g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_CLIENT,
                        _("Lever refused the client credentials (%s%s). Check the profile’s client ID and client secret."),
                        code, detail);

  if (g_strcmp0 (code, "access_denied") == 0)
    return g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_ACCESS_DENIED,
                        _("Access was denied in the browser (access_denied%s)"), detail);

  if (g_strcmp0 (code, "server_error") == 0 || g_strcmp0 (code, "temporarily_unavailable") == 0)
    return g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT,
                        _("Lever’s authorization server had a problem (%s%s). Try again later."),
                        code, detail);

  if (g_strcmp0 (code, "invalid_request") == 0 || g_strcmp0 (code, "invalid_scope") == 0 ||
      g_strcmp0 (code, "unsupported_response_type") == 0 ||
      g_strcmp0 (code, "unsupported_grant_type") == 0)
    return g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_REJECTED,
                        _("Lever rejected the request (%s%s)"), code, detail);

  {
    g_autofree char *clean_code = clean_server_text (code);

    return g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_AUTHORIZATION,
                        _("Lever reported an error (%s%s)"),
                        clean_code ? clean_code : "unknown", detail);
  }
}

static gboolean
looks_like_html (const char *body,
                 gsize       len)
{
  g_autofree char *head = g_ascii_strdown (body, MIN (len, 256));

  return strstr (head, "<html") != NULL || strstr (head, "<!doctype") != NULL ||
         strstr (head, "<body") != NULL;
}

/* Returns the member as a string whatever JSON type it had, or NULL. */
static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

static GHashTable *
parse_body (const char  *content_type,
            const char  *body,
            gsize        len)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) wipe_free);
  const char *p = body;

  while (p < body + len && g_ascii_isspace (*p))
    p++;

  if (p < body + len && *p == '{')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      static const char *names[] = { "access_token", "refresh_token", "token_type", "scope",
                                     "expires_in", "error", "error_description" };

      if (!json_parser_load_from_data (parser, body, len, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_hash_table_unref (fields);
          return NULL;
        }

      object = json_node_get_object (json_parser_get_root (parser));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          char *value = dup_member_string (object, names[i]);

          if (value != NULL)
            g_hash_table_insert (fields, g_strdup (names[i]), value);
        }
      return fields;
    }

  /* RFC 6749 wants JSON, but some servers answer form-encoded (GitHub-style). */
  if ((content_type && g_str_has_prefix (content_type, "application/x-www-form-urlencoded")) ||
      (len > 0 && memchr (body, '=', len) != NULL && memchr (body, '<', len) == NULL))
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (body, len, "&", G_URI_PARAMS_NONE, NULL);
      GHashTableIter iter;
      gpointer key, value;

      if (params == NULL)
        {
          g_hash_table_unref (fields);
          return NULL;
        }

      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (fields, g_strdup (key), g_strdup (value));
      return fields;
    }

  g_hash_table_unref (fields);
  return NULL;
}

static gint64
parse_expires_at (const char *expires_in,
                  gint64      now_us)
{
  double seconds;
  char *end = NULL;

  if (expires_in == NULL)
    return 0;

  seconds = g_ascii_strtod (expires_in, &end);
  if (end == expires_in || (end && *end != '\0' && !g_ascii_isspace (*end)) || seconds != seconds)
    return 0;

  if (seconds <= 0)
    return now_us;

  seconds = MIN (seconds, MAX_EXPIRES_IN_S);
  return now_us + (gint64) (seconds * G_USEC_PER_SEC);
}

FulcrumTokenSet *
fulcrum_token_set_new_from_response (guint        http_status,
                                     const char  *content_type,
                                     const char  *body,
                                     gsize        body_length,
                                     gint64       now_us,
                                     GError     **error)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(FulcrumTokenSet) self = NULL;
  const char *code;

  if (body == NULL)
    body_length = 0;

  fields = body_length > 0 ? parse_body (content_type, body, body_length) : NULL;

  if (fields != NULL && (code = g_hash_table_lookup (fields, "error")) != NULL)
    {
      /* An error is an error whatever the status, 200 included. */
      GError *e = fulcrum_oauth_error_from_code (code, g_hash_table_lookup (fields, "error_description"));

      if (http_status >= 500 && e->code == FULCRUM_OAUTH_ERROR_AUTHORIZATION)
        e->code = FULCRUM_OAUTH_ERROR_TRANSIENT;
      g_propagate_error (error, e);
      return NULL;
    }

  if (http_status >= 500 || http_status == 429)
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT,
                   _("Lever’s token endpoint is having trouble (HTTP %u). Try again later."),
                   http_status);
      return NULL;
    }

  if (http_status == 401)
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_CLIENT,
                   _("Lever refused the client credentials (HTTP 401). Check the profile’s client secret."));
      return NULL;
    }

  if (http_status >= 400)
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_REJECTED,
                   _("Lever’s token endpoint refused the request (HTTP %u)"), http_status);
      return NULL;
    }

  if (fields == NULL)
    {
      if (body_length > 0 && looks_like_html (body, body_length))
        g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                     _("The token endpoint sent a web page instead of tokens (HTTP %u). Check the environment’s token URL."),
                     http_status);
      else
        g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                     _("The token endpoint’s answer could not be read (HTTP %u, %" G_GSIZE_FORMAT " bytes)"),
                     http_status, body_length);
      return NULL;
    }

  if (g_hash_table_lookup (fields, "access_token") == NULL ||
      *(char *) g_hash_table_lookup (fields, "access_token") == '\0')
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                   _("The token endpoint answered without an access token"));
      return NULL;
    }

  self = g_new0 (FulcrumTokenSet, 1);
  /* Steal the tokens so that only one copy exists; the keys are ours to free. */
  {
    g_autofree char *access_key = NULL;
    g_autofree char *refresh_key = NULL;

    g_hash_table_steal_extended (fields, "access_token", (gpointer *) &access_key,
                                 (gpointer *) &self->access_token);
    g_hash_table_steal_extended (fields, "refresh_token", (gpointer *) &refresh_key,
                                 (gpointer *) &self->refresh_token);
  }
  if (self->refresh_token != NULL && *self->refresh_token == '\0')
    g_clear_pointer (&self->refresh_token, wipe_free);
  self->token_type = g_strdup (g_hash_table_lookup (fields, "token_type"));
  self->scope = g_strdup (g_hash_table_lookup (fields, "scope"));
  self->expires_at = parse_expires_at (g_hash_table_lookup (fields, "expires_in"), now_us);
  self->obtained_at = now_us;

  return g_steal_pointer (&self);
}

char *
fulcrum_token_set_serialize (const FulcrumTokenSet *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FULCRUM_TOKEN_SET_VERSION);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, self->access_token);
  if (self->refresh_token)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, self->refresh_token);
    }
  if (self->token_type)
    {
      json_builder_set_member_name (builder, "token_type");
      json_builder_add_string_value (builder, self->token_type);
    }
  if (self->scope)
    {
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, self->scope);
    }
  json_builder_set_member_name (builder, "expires_at_us");
  json_builder_add_int_value (builder, self->expires_at);
  json_builder_set_member_name (builder, "obtained_at_us");
  json_builder_add_int_value (builder, self->obtained_at);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

FulcrumTokenSet *
fulcrum_token_set_deserialize (const char  *blob,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(FulcrumTokenSet) self = NULL;
  JsonObject *object;
  gint64 version;

  g_return_val_if_fail (blob != NULL, NULL);

  if (!json_parser_load_from_data (parser, blob, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK,
                   _("The tokens in the keyring are damaged. Link the account again."));
      return NULL;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  version = json_object_get_int_member_with_default (object, "version", 0);
  if (version != FULCRUM_TOKEN_SET_VERSION ||
      json_object_get_string_member_with_default (object, "access_token", NULL) == NULL)
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK,
                   _("The tokens in the keyring are in a format this version does not know (version %" G_GINT64_FORMAT "). Link the account again."),
                   version);
      return NULL;
    }

  self = g_new0 (FulcrumTokenSet, 1);
  self->access_token = g_strdup (json_object_get_string_member (object, "access_token"));
  self->refresh_token = g_strdup (json_object_get_string_member_with_default (object, "refresh_token", NULL));
  self->token_type = g_strdup (json_object_get_string_member_with_default (object, "token_type", NULL));
  self->scope = g_strdup (json_object_get_string_member_with_default (object, "scope", NULL));
  self->expires_at = json_object_get_int_member_with_default (object, "expires_at_us", 0);
  self->obtained_at = json_object_get_int_member_with_default (object, "obtained_at_us", 0);

  return g_steal_pointer (&self);
}

gboolean
fulcrum_token_set_is_expired (const FulcrumTokenSet *self,
                              gint64                 now_us,
                              guint                  early_s)
{
  g_return_val_if_fail (self != NULL, TRUE);

  if (self->expires_at == 0)
    return FALSE;

  return now_us >= self->expires_at - (gint64) early_s * G_USEC_PER_SEC;
}
