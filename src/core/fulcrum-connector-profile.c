/* fulcrum-connector-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-core-private.h"

#include "fulcrum-connector-profile.h"
#include "fulcrum-scopes.h"

#define DESCRIPTION_MIN 20
#define DESCRIPTION_MAX 140

struct _FulcrumConnectorProfile
{
  GObject   parent_instance;

  char     *id;
  char     *environment_id;
  char     *name;
  char     *client_id;
  GStrv     scopes;
  GStrv     enabled_actions;
  char     *redirect_uri;
  char     *integration_name;
  char     *description;
  char     *logo_url;
  gboolean  has_secret;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_ENVIRONMENT_ID,
  PROP_NAME,
  PROP_CLIENT_ID,
  PROP_SCOPES,
  PROP_ENABLED_ACTIONS,
  PROP_REDIRECT_URI,
  PROP_HAS_SECRET,
  PROP_INTEGRATION_NAME,
  PROP_DESCRIPTION,
  PROP_LOGO_URL,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumConnectorProfile, fulcrum_connector_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (fulcrum-profile-error-quark, fulcrum_profile_error)

static GParamSpec *properties[N_PROPS];

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strv_equal (a, b);
}

static void
fulcrum_connector_profile_finalize (GObject *object)
{
  FulcrumConnectorProfile *self = (FulcrumConnectorProfile *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->environment_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->scopes, g_strfreev);
  g_clear_pointer (&self->enabled_actions, g_strfreev);
  g_clear_pointer (&self->redirect_uri, g_free);
  g_clear_pointer (&self->integration_name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->logo_url, g_free);

  G_OBJECT_CLASS (fulcrum_connector_profile_parent_class)->finalize (object);
}

static void
fulcrum_connector_profile_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  FulcrumConnectorProfile *self = FULCRUM_CONNECTOR_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_ENVIRONMENT_ID:
      g_value_set_string (value, self->environment_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_SCOPES:
      g_value_set_boxed (value, self->scopes);
      break;
    case PROP_ENABLED_ACTIONS:
      g_value_set_boxed (value, self->enabled_actions);
      break;
    case PROP_REDIRECT_URI:
      g_value_set_string (value, self->redirect_uri);
      break;
    case PROP_HAS_SECRET:
      g_value_set_boolean (value, self->has_secret);
      break;
    case PROP_INTEGRATION_NAME:
      g_value_set_string (value, self->integration_name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_LOGO_URL:
      g_value_set_string (value, self->logo_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_connector_profile_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  FulcrumConnectorProfile *self = FULCRUM_CONNECTOR_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      fulcrum_connector_profile_set_name (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_ID:
      fulcrum_connector_profile_set_client_id (self, g_value_get_string (value));
      break;
    case PROP_REDIRECT_URI:
      fulcrum_connector_profile_set_redirect_uri (self, g_value_get_string (value));
      break;
    case PROP_HAS_SECRET:
      fulcrum_connector_profile_set_has_secret (self, g_value_get_boolean (value));
      break;
    case PROP_INTEGRATION_NAME:
      fulcrum_connector_profile_set_integration_name (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      fulcrum_connector_profile_set_description (self, g_value_get_string (value));
      break;
    case PROP_LOGO_URL:
      fulcrum_connector_profile_set_logo_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_connector_profile_class_init (FulcrumConnectorProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fulcrum_connector_profile_finalize;
  object_class->get_property = fulcrum_connector_profile_get_property;
  object_class->set_property = fulcrum_connector_profile_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_ENVIRONMENT_ID] = g_param_spec_string ("environment-id", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, rw);
  properties[PROP_SCOPES] = g_param_spec_boxed ("scopes", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_ENABLED_ACTIONS] = g_param_spec_boxed ("enabled-actions", NULL, NULL,
                                                         G_TYPE_STRV, ro);
  properties[PROP_REDIRECT_URI] = g_param_spec_string ("redirect-uri", NULL, NULL, NULL, rw);
  properties[PROP_HAS_SECRET] = g_param_spec_boolean ("has-secret", NULL, NULL, FALSE, rw);
  properties[PROP_INTEGRATION_NAME] = g_param_spec_string ("integration-name", NULL, NULL, NULL, rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, rw);
  properties[PROP_LOGO_URL] = g_param_spec_string ("logo-url", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fulcrum_connector_profile_init (FulcrumConnectorProfile *self)
{
  self->scopes = g_strdupv ((char **) fulcrum_scopes_get_default ());
}

FulcrumConnectorProfile *
fulcrum_connector_profile_new (const char *id,
                               const char *environment_id)
{
  FulcrumConnectorProfile *self;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (environment_id != NULL && *environment_id != '\0', NULL);

  self = g_object_new (FULCRUM_TYPE_CONNECTOR_PROFILE, NULL);
  self->id = g_strdup (id);
  self->environment_id = g_strdup (environment_id);
  self->redirect_uri = fulcrum_connector_profile_default_redirect_uri (environment_id,
                                                                       FULCRUM_DEFAULT_REDIRECT_PORT);

  return self;
}

/* A distinct path per environment is RFC 8252 §8.10's defence against mix-up attacks. */
char *
fulcrum_connector_profile_default_redirect_uri (const char *environment_id,
                                                guint       port)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (environment_id != NULL, NULL);

  escaped = g_uri_escape_string (environment_id, NULL, FALSE);

  return g_strdup_printf ("http://127.0.0.1:%u/callback/%s", port, escaped);
}

gboolean
fulcrum_connector_profile_check_redirect_uri (const char  *uri,
                                              GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  if (fulcrum_str_is_blank (uri))
    {
      g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_REDIRECT_URI,
                   _("The profile needs a redirect URI (the callback URL registered with Lever)"));
      return FALSE;
    }

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    {
      g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_REDIRECT_URI,
                   _("The redirect URI “%s” is not a valid URL"), uri);
      return FALSE;
    }

  scheme = g_uri_get_scheme (parsed);
  host = g_uri_get_host (parsed);

  if (g_uri_get_fragment (parsed) != NULL)
    {
      g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_REDIRECT_URI,
                   _("The redirect URI “%s” must not contain a fragment (#…)"), uri);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  /* RFC 8252 §8.3: loopback redirects use the IP literal, never "localhost". */
  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      (g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0))
    {
      if (g_uri_get_port (parsed) <= 0)
        {
          g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_REDIRECT_URI,
                       _("The loopback redirect URI “%s” needs an explicit port, the one registered with Lever"),
                       uri);
          return FALSE;
        }
      return TRUE;
    }

  g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_REDIRECT_URI,
               _("The redirect URI “%s” must be http://127.0.0.1:PORT/… (loopback) or an https URL"),
               uri);
  return FALSE;
}

gboolean
fulcrum_connector_profile_validate (FulcrumConnectorProfile  *self,
                                    GError                  **error)
{
  g_auto(GStrv) scopes = NULL;

  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), FALSE);

  if (fulcrum_str_is_blank (self->name))
    {
      g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_NAME,
                   _("The profile needs a name"));
      return FALSE;
    }

  if (fulcrum_str_is_blank (self->client_id))
    {
      g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_CLIENT_ID,
                   _("The profile needs the client ID that Lever issued for the app"));
      return FALSE;
    }

  if (!fulcrum_connector_profile_check_redirect_uri (self->redirect_uri, error))
    return FALSE;

  if (!(scopes = fulcrum_scopes_normalize ((const char * const *) self->scopes, error)))
    return FALSE;

  if (self->description != NULL && *self->description != '\0')
    {
      glong len = g_utf8_strlen (self->description, -1);

      if (len < DESCRIPTION_MIN || len > DESCRIPTION_MAX)
        {
          g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_DESCRIPTION,
                       _("Lever wants a description of %d to %d characters; this one has %ld"),
                       DESCRIPTION_MIN, DESCRIPTION_MAX, len);
          return FALSE;
        }
    }

  if (self->logo_url != NULL && *self->logo_url != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (self->logo_url, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
        {
          g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_LOGO_URL,
                       _("The logo URL “%s” must be an https URL"), self->logo_url);
          return FALSE;
        }
    }

  return TRUE;
}

const char *
fulcrum_connector_profile_get_id (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return self->id;
}

const char *
fulcrum_connector_profile_get_environment_id (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return self->environment_id;
}

void
fulcrum_connector_profile_set_environment_id (FulcrumConnectorProfile *self,
                                              const char              *environment_id)
{
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));
  g_return_if_fail (environment_id != NULL && *environment_id != '\0');

  fulcrum_object_set_string (G_OBJECT (self), &self->environment_id, environment_id, properties[PROP_ENVIRONMENT_ID]);
}

const char *
fulcrum_connector_profile_get_name (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return self->name;
}

void
fulcrum_connector_profile_set_name (FulcrumConnectorProfile *self,
                                    const char              *name)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));

  stripped = name ? g_strstrip (g_strdup (name)) : NULL;
  fulcrum_object_set_string (G_OBJECT (self), &self->name, stripped, properties[PROP_NAME]);
}

const char *
fulcrum_connector_profile_get_client_id (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return self->client_id;
}

void
fulcrum_connector_profile_set_client_id (FulcrumConnectorProfile *self,
                                         const char              *client_id)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));

  stripped = client_id ? g_strstrip (g_strdup (client_id)) : NULL;
  fulcrum_object_set_string (G_OBJECT (self), &self->client_id, stripped, properties[PROP_CLIENT_ID]);
}

const char * const *
fulcrum_connector_profile_get_scopes (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return (const char * const *) self->scopes;
}

gboolean
fulcrum_connector_profile_set_scopes (FulcrumConnectorProfile  *self,
                                      const char * const       *scopes,
                                      GError                  **error)
{
  g_auto(GStrv) normalized = NULL;

  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), FALSE);

  if (!(normalized = fulcrum_scopes_normalize (scopes, error)))
    return FALSE;

  if (strv_equal0 ((const char * const *) self->scopes, (const char * const *) normalized))
    return TRUE;

  g_strfreev (self->scopes);
  self->scopes = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPES]);

  return TRUE;
}

const char * const *
fulcrum_connector_profile_get_enabled_actions (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return (const char * const *) self->enabled_actions;
}

void
fulcrum_connector_profile_set_enabled_actions (FulcrumConnectorProfile *self,
                                               const char * const      *actions)
{
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));

  if (strv_equal0 ((const char * const *) self->enabled_actions, actions))
    return;

  g_strfreev (self->enabled_actions);
  self->enabled_actions = g_strdupv ((char **) actions);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED_ACTIONS]);
}

const char *
fulcrum_connector_profile_get_redirect_uri (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return self->redirect_uri;
}

void
fulcrum_connector_profile_set_redirect_uri (FulcrumConnectorProfile *self,
                                            const char              *redirect_uri)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));

  stripped = redirect_uri ? g_strstrip (g_strdup (redirect_uri)) : NULL;
  fulcrum_object_set_string (G_OBJECT (self), &self->redirect_uri, stripped, properties[PROP_REDIRECT_URI]);
}

gboolean
fulcrum_connector_profile_get_has_secret (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), FALSE);
  return self->has_secret;
}

void
fulcrum_connector_profile_set_has_secret (FulcrumConnectorProfile *self,
                                          gboolean                 has_secret)
{
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));

  has_secret = !!has_secret;
  if (self->has_secret == has_secret)
    return;

  self->has_secret = has_secret;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SECRET]);
}

const char *
fulcrum_connector_profile_get_integration_name (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return self->integration_name;
}

void
fulcrum_connector_profile_set_integration_name (FulcrumConnectorProfile *self,
                                                const char              *name)
{
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));
  fulcrum_object_set_string (G_OBJECT (self), &self->integration_name, name, properties[PROP_INTEGRATION_NAME]);
}

const char *
fulcrum_connector_profile_get_description (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return self->description;
}

void
fulcrum_connector_profile_set_description (FulcrumConnectorProfile *self,
                                           const char              *description)
{
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));
  fulcrum_object_set_string (G_OBJECT (self), &self->description, description, properties[PROP_DESCRIPTION]);
}

const char *
fulcrum_connector_profile_get_logo_url (FulcrumConnectorProfile *self)
{
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);
  return self->logo_url;
}

void
fulcrum_connector_profile_set_logo_url (FulcrumConnectorProfile *self,
                                        const char              *logo_url)
{
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self));
  fulcrum_object_set_string (G_OBJECT (self), &self->logo_url, logo_url, properties[PROP_LOGO_URL]);
}

char *
fulcrum_connector_profile_dup_registration_text (FulcrumConnectorProfile *self)
{
  GString *text;
  const char *name;

  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);

  name = !fulcrum_str_is_blank (self->integration_name) ? self->integration_name : self->name;

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s: %s\n", _("Integration name"), name ? name : "");
  g_string_append_printf (text, "%s: %s\n", _("Description"),
                          self->description ? self->description : "");
  g_string_append_printf (text, "%s: %s\n", _("Callback URL"),
                          self->redirect_uri ? self->redirect_uri : "");
  g_string_append_printf (text, "%s: %s\n", _("Logo URL"), self->logo_url ? self->logo_url : "");
  g_string_append_printf (text, "%s:\n", _("Scopes"));
  for (guint i = 0; self->scopes && self->scopes[i]; i++)
    g_string_append_printf (text, "  %s\n", self->scopes[i]);

  return g_string_free (text, FALSE);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_strv_member (JsonBuilder        *builder,
                 const char         *name,
                 const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values[i]; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

JsonNode *
fulcrum_connector_profile_to_json (FulcrumConnectorProfile *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (self), NULL);

  json_builder_begin_object (builder);
  add_string_member (builder, "id", self->id);
  add_string_member (builder, "name", self->name);
  add_string_member (builder, "environment", self->environment_id);
  add_string_member (builder, "client_id", self->client_id);
  add_strv_member (builder, "scopes", (const char * const *) self->scopes);
  if (self->enabled_actions)
    add_strv_member (builder, "enabled_actions", (const char * const *) self->enabled_actions);
  add_string_member (builder, "redirect_uri", self->redirect_uri);
  json_builder_set_member_name (builder, "has_secret");
  json_builder_add_boolean_value (builder, self->has_secret);
  add_string_member (builder, "integration_name", self->integration_name);
  add_string_member (builder, "description", self->description);
  add_string_member (builder, "logo_url", self->logo_url);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static GStrv
strv_from_json_array (JsonObject *object,
                      const char *member)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node = json_object_get_member (object, member);
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

FulcrumConnectorProfile *
fulcrum_connector_profile_new_from_json (JsonObject  *object,
                                         GError     **error)
{
  g_autoptr(FulcrumConnectorProfile) self = NULL;
  g_auto(GStrv) scopes = NULL;
  g_auto(GStrv) actions = NULL;
  const char *id = json_object_get_string_member_with_default (object, "id", NULL);
  const char *env = json_object_get_string_member_with_default (object, "environment", NULL);

  if (id == NULL || *id == '\0' || env == NULL || *env == '\0')
    {
      g_set_error (error, FULCRUM_PROFILE_ERROR, FULCRUM_PROFILE_ERROR_INVALID_NAME,
                   _("A connector profile has no id or environment"));
      return NULL;
    }

  self = fulcrum_connector_profile_new (id, env);
  self->name = g_strdup (json_object_get_string_member_with_default (object, "name", id));
  self->client_id = g_strdup (json_object_get_string_member_with_default (object, "client_id", NULL));
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup (json_object_get_string_member_with_default (object, "redirect_uri", NULL));
  self->has_secret = json_object_get_boolean_member_with_default (object, "has_secret", FALSE);
  self->integration_name = g_strdup (json_object_get_string_member_with_default (object, "integration_name", NULL));
  self->description = g_strdup (json_object_get_string_member_with_default (object, "description", NULL));
  self->logo_url = g_strdup (json_object_get_string_member_with_default (object, "logo_url", NULL));

  /* Keep what was saved even if a later catalogue would normalize it differently:
   * the profile editor shows the problem instead of silently changing the app. */
  if ((scopes = strv_from_json_array (object, "scopes")))
    {
      g_strfreev (self->scopes);
      self->scopes = g_steal_pointer (&scopes);
    }
  self->enabled_actions = strv_from_json_array (object, "enabled_actions");

  return g_steal_pointer (&self);
}
