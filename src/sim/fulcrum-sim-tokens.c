/* fulcrum-sim-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/random.h>

#include "fulcrum-sim-private.h"

/* The authorization server's memory: registered apps, pending consents, codes, token
 * families. Codes and tokens are known by their SHA-256 only, in memory and in the state
 * file, so neither holds a usable credential. */

#define STATE_VERSION 1

char *
fulcrum_sim_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
fulcrum_sim_random_token (guint n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  g_autofree char *b64 = NULL;

  if (getrandom (bytes, n_bytes, 0) != (gssize) n_bytes)
    g_error ("getrandom() failed");
  b64 = g_base64_encode (bytes, n_bytes);
  /* base64url without padding */
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  for (char *eq = strchr (b64, '='); eq != NULL; eq = NULL)
    *eq = '\0';
  return g_steal_pointer (&b64);
}

gboolean
fulcrum_sim_secure_equal (const char *a,
                          const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  guint8 diff = la != lb;

  for (gsize i = 0; i < MIN (la, lb); i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];
  return diff == 0;
}

void
fulcrum_sim_app_free (gpointer data)
{
  FulcrumSimApp *app = data;

  g_free (app->client_id);
  g_free (app->secret_hash);
  g_free (app->name);
  g_strfreev (app->redirect_uris);
  g_strfreev (app->allowed_scopes);
  g_free (app);
}

static void
family_free (gpointer data)
{
  FulcrumSimFamily *family = data;

  g_free (family->id);
  g_free (family->client_id);
  g_strfreev (family->scopes);
  g_free (family);
}

static void
refresh_free (gpointer data)
{
  FulcrumSimRefresh *refresh = data;

  g_free (refresh->hash);
  g_free (refresh);
}

static void
access_free (gpointer data)
{
  FulcrumSimAccess *access = data;

  g_free (access->hash);
  g_free (access);
}

static void
code_free (gpointer data)
{
  FulcrumSimCode *code = data;

  g_free (code->hash);
  g_free (code->client_id);
  g_free (code->redirect_uri);
  g_strfreev (code->scopes);
  g_free (code->challenge);
  g_free (code->method);
  g_free (code->family_id);
  g_free (code);
}

static void
consent_free (gpointer data)
{
  FulcrumSimConsent *consent = data;

  g_free (consent->id);
  g_free (consent->client_id);
  g_free (consent->redirect_uri);
  g_free (consent->state);
  g_strfreev (consent->scopes);
  g_free (consent->challenge);
  g_free (consent->method);
  g_free (consent);
}

FulcrumSimAuth *
fulcrum_sim_auth_new (void)
{
  FulcrumSimAuth *auth = g_new0 (FulcrumSimAuth, 1);

  /* keys point into the values */
  auth->apps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fulcrum_sim_app_free);
  auth->families = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, family_free);
  auth->refresh = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, refresh_free);
  auth->access = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, access_free);
  auth->codes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, code_free);
  auth->consents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, consent_free);
  return auth;
}

void
fulcrum_sim_auth_free (FulcrumSimAuth *auth)
{
  if (auth == NULL)
    return;
  /* tokens point to families: drop them first */
  g_hash_table_unref (auth->refresh);
  g_hash_table_unref (auth->access);
  g_hash_table_unref (auth->codes);
  g_hash_table_unref (auth->consents);
  g_hash_table_unref (auth->families);
  g_hash_table_unref (auth->apps);
  g_free (auth);
}

FulcrumSimFamily *
fulcrum_sim_auth_new_family (FulcrumSimAuth  *auth,
                             const char      *client_id,
                             char           **scopes,
                             gint64           now_ms)
{
  FulcrumSimFamily *family = g_new0 (FulcrumSimFamily, 1);

  family->id = g_uuid_string_random ();
  family->client_id = g_strdup (client_id);
  family->scopes = g_strdupv (scopes);
  family->created_at = now_ms;
  g_hash_table_insert (auth->families, family->id, family);
  return family;
}

gboolean
fulcrum_sim_auth_revoke_family (FulcrumSimAuth   *auth,
                                FulcrumSimFamily *family)
{
  GHashTableIter iter;
  gpointer value;

  if (family->revoked)
    return FALSE;

  family->revoked = TRUE;
  g_hash_table_iter_init (&iter, auth->refresh);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((FulcrumSimRefresh *) value)->family == family)
      ((FulcrumSimRefresh *) value)->used = TRUE;
  g_hash_table_iter_init (&iter, auth->access);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((FulcrumSimAccess *) value)->family == family)
      ((FulcrumSimAccess *) value)->revoked = TRUE;
  return TRUE;
}

char *
fulcrum_sim_auth_issue_refresh (FulcrumSimAuth   *auth,
                                FulcrumSimFamily *family,
                                gint64            now_ms)
{
  g_autofree char *random = fulcrum_sim_random_token (32);
  char *token = g_strconcat ("simrt_", random, NULL);
  FulcrumSimRefresh *refresh = g_new0 (FulcrumSimRefresh, 1);

  refresh->hash = fulcrum_sim_hash_token (token);
  refresh->family = family;
  refresh->issued_at = now_ms;
  g_hash_table_insert (auth->refresh, refresh->hash, refresh);
  return token;
}

char *
fulcrum_sim_auth_issue_access (FulcrumSimAuth   *auth,
                               FulcrumSimFamily *family,
                               const char       *key_id,
                               gint64            expires_at)
{
  g_autofree char *random = fulcrum_sim_random_token (32);
  char *token = g_strconcat ("sim_", key_id, "_", random, NULL);
  FulcrumSimAccess *access = g_new0 (FulcrumSimAccess, 1);

  access->hash = fulcrum_sim_hash_token (token);
  access->family = family;
  access->expires_at = expires_at;
  access->bucket = -1;  /* full on first use */
  g_hash_table_insert (auth->access, access->hash, access);
  return token;
}

/* State file */

static JsonNode *
strv_node (char **strv)
{
  JsonArray *array;

  if (strv == NULL)
    return json_node_new (JSON_NODE_NULL);
  array = json_array_new ();
  for (guint i = 0; strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return json_node_init_array (json_node_alloc (), array);
}

static char **
strv_from_member (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

gboolean
fulcrum_sim_auth_save (FulcrumSimAuth  *auth,
                       const char      *path,
                       const char      *key_id,
                       gint64           now_ms,
                       GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dir = NULL;
  GHashTableIter iter;
  gpointer value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STATE_VERSION);
  json_builder_set_member_name (builder, "key_id");
  json_builder_add_string_value (builder, key_id);

  json_builder_set_member_name (builder, "apps");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, auth->apps);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FulcrumSimApp *app = value;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, app->client_id);
      json_builder_set_member_name (builder, "client_secret_sha256");
      json_builder_add_string_value (builder, app->secret_hash);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, app->name);
      json_builder_set_member_name (builder, "redirect_uris");
      json_builder_add_value (builder, strv_node (app->redirect_uris));
      json_builder_set_member_name (builder, "allowed_scopes");
      json_builder_add_value (builder, strv_node (app->allowed_scopes));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "families");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, auth->families);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FulcrumSimFamily *family = value;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, family->id);
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, family->client_id);
      json_builder_set_member_name (builder, "scopes");
      json_builder_add_value (builder, strv_node (family->scopes));
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_int_value (builder, family->created_at);
      json_builder_set_member_name (builder, "revoked");
      json_builder_add_boolean_value (builder, family->revoked);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "refresh_tokens");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, auth->refresh);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FulcrumSimRefresh *refresh = value;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, refresh->hash);
      json_builder_set_member_name (builder, "family");
      json_builder_add_string_value (builder, refresh->family->id);
      json_builder_set_member_name (builder, "issued_at");
      json_builder_add_int_value (builder, refresh->issued_at);
      json_builder_set_member_name (builder, "used");
      json_builder_add_boolean_value (builder, refresh->used);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "access_tokens");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, auth->access);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FulcrumSimAccess *access = value;

      /* expired ones are of no use to anybody */
      if (access->expires_at <= now_ms)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, access->hash);
      json_builder_set_member_name (builder, "family");
      json_builder_add_string_value (builder, access->family->id);
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_int_value (builder, access->expires_at);
      json_builder_set_member_name (builder, "revoked");
      json_builder_add_boolean_value (builder, access->revoked);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, TRUE);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_STATE_FILE,
                   "Could not create %s: %s", dir, g_strerror (errsv));
      return FALSE;
    }
  if (!g_file_set_contents_full (path, json, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      g_prefix_error (error, "Could not save the simulator state: ");
      if (error != NULL && *error != NULL)
        {
          (*error)->domain = FULCRUM_SIM_ERROR;
          (*error)->code = FULCRUM_SIM_ERROR_STATE_FILE;
        }
      return FALSE;
    }
  return TRUE;
}

/* The objects of @member, skipping anything else (a hand-edited file must not crash us). */
static GPtrArray *
objects_of (JsonObject *root,
            const char *member)
{
  GPtrArray *objects = g_ptr_array_new ();
  JsonNode *node = json_object_get_member (root, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return objects;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (objects, json_node_get_object (element));
    }
  return objects;
}

static gboolean
load_error (GError     **error,
            const char  *path,
            const char  *why)
{
  g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_STATE_FILE,
               "The simulator state %s cannot be used: %s", path, why);
  return FALSE;
}

gboolean
fulcrum_sim_auth_load (FulcrumSimAuth  *auth,
                       const char      *path,
                       char           **key_id,
                       GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  JsonObject *root;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      return load_error (error, path, local_error->message);
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return load_error (error, path, "not a JSON object");
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (root, "version", 0) != STATE_VERSION)
    return load_error (error, path, "unknown version");

  *key_id = g_strdup (json_object_get_string_member_with_default (root, "key_id", NULL));

  g_clear_pointer (&objects, g_ptr_array_unref);
  objects = objects_of (root, "apps");
  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);
      const char *client_id = json_object_get_string_member_with_default (object, "client_id",
                                                                          NULL);
      const char *hash = json_object_get_string_member_with_default (object,
                                                                     "client_secret_sha256",
                                                                     NULL);
      FulcrumSimApp *app;

      /* an app registered in this run wins over the saved one */
      if (client_id == NULL || hash == NULL || g_hash_table_contains (auth->apps, client_id))
        continue;
      app = g_new0 (FulcrumSimApp, 1);
      app->client_id = g_strdup (client_id);
      app->secret_hash = g_strdup (hash);
      app->name = g_strdup (json_object_get_string_member_with_default (object, "name",
                                                                        client_id));
      app->redirect_uris = strv_from_member (object, "redirect_uris");
      if (app->redirect_uris == NULL)
        app->redirect_uris = g_new0 (char *, 1);
      app->allowed_scopes = strv_from_member (object, "allowed_scopes");
      g_hash_table_insert (auth->apps, app->client_id, app);
    }

  g_clear_pointer (&objects, g_ptr_array_unref);
  objects = objects_of (root, "families");
  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);
      const char *id = json_object_get_string_member_with_default (object, "id", NULL);
      const char *client_id = json_object_get_string_member_with_default (object, "client_id",
                                                                          NULL);
      FulcrumSimFamily *family;

      if (id == NULL || client_id == NULL || g_hash_table_contains (auth->families, id))
        continue;
      family = g_new0 (FulcrumSimFamily, 1);
      family->id = g_strdup (id);
      family->client_id = g_strdup (client_id);
      family->scopes = strv_from_member (object, "scopes");
      if (family->scopes == NULL)
        family->scopes = g_new0 (char *, 1);
      family->created_at = json_object_get_int_member_with_default (object, "created_at", 0);
      family->revoked = json_object_get_boolean_member_with_default (object, "revoked", FALSE);
      g_hash_table_insert (auth->families, family->id, family);
    }

  g_clear_pointer (&objects, g_ptr_array_unref);
  objects = objects_of (root, "refresh_tokens");
  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);
      const char *hash = json_object_get_string_member_with_default (object, "sha256", NULL);
      const char *family_id = json_object_get_string_member_with_default (object, "family", "");
      FulcrumSimFamily *family = g_hash_table_lookup (auth->families, family_id);
      FulcrumSimRefresh *refresh;

      if (hash == NULL || family == NULL || g_hash_table_contains (auth->refresh, hash))
        continue;
      refresh = g_new0 (FulcrumSimRefresh, 1);
      refresh->hash = g_strdup (hash);
      refresh->family = family;
      refresh->issued_at = json_object_get_int_member_with_default (object, "issued_at", 0);
      refresh->used = json_object_get_boolean_member_with_default (object, "used", FALSE);
      g_hash_table_insert (auth->refresh, refresh->hash, refresh);
    }

  g_clear_pointer (&objects, g_ptr_array_unref);
  objects = objects_of (root, "access_tokens");
  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);
      const char *hash = json_object_get_string_member_with_default (object, "sha256", NULL);
      const char *family_id = json_object_get_string_member_with_default (object, "family", "");
      FulcrumSimFamily *family = g_hash_table_lookup (auth->families, family_id);
      FulcrumSimAccess *access;

      if (hash == NULL || family == NULL || g_hash_table_contains (auth->access, hash))
        continue;
      access = g_new0 (FulcrumSimAccess, 1);
      access->hash = g_strdup (hash);
      access->family = family;
      access->expires_at = json_object_get_int_member_with_default (object, "expires_at", 0);
      access->revoked = json_object_get_boolean_member_with_default (object, "revoked", FALSE);
      access->bucket = -1;
      g_hash_table_insert (auth->access, access->hash, access);
    }

  return TRUE;
}
