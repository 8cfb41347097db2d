/* fulcrum-environment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-environment"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-core-private.h"

#include "fulcrum-environment.h"

struct _FulcrumEnvironment
{
  GObject                 parent_instance;

  char                   *id;
  char                   *name;
  char                   *authorize_url;
  char                   *token_url;
  char                   *audience;
  char                   *api_base;
  double                  rate_limit;
  guint                   rate_burst;
  FulcrumEnvironmentKind  kind;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_BUILTIN,
  PROP_AUTHORIZE_URL,
  PROP_TOKEN_URL,
  PROP_AUDIENCE,
  PROP_API_BASE,
  PROP_RATE_LIMIT,
  PROP_RATE_BURST,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumEnvironment, fulcrum_environment, G_TYPE_OBJECT)

G_DEFINE_QUARK (fulcrum-environment-error-quark, fulcrum_environment_error)

static GParamSpec *properties[N_PROPS];

static const char *kind_names[] = { "production", "sandbox", "simulator", "custom" };

static gboolean
is_loopback_host (const char *host)
{
  return g_strcmp0 (host, "127.0.0.1") == 0 ||
         g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "[::1]") == 0 ||
         g_strcmp0 (host, "localhost") == 0 ||
         (host != NULL && g_str_has_prefix (host, "127."));
}

static void
fulcrum_environment_finalize (GObject *object)
{
  FulcrumEnvironment *self = (FulcrumEnvironment *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->authorize_url, g_free);
  g_clear_pointer (&self->token_url, g_free);
  g_clear_pointer (&self->audience, g_free);
  g_clear_pointer (&self->api_base, g_free);

  G_OBJECT_CLASS (fulcrum_environment_parent_class)->finalize (object);
}

static void
fulcrum_environment_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FulcrumEnvironment *self = FULCRUM_ENVIRONMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KIND:
      g_value_set_string (value, fulcrum_environment_kind_to_string (self->kind));
      break;
    case PROP_BUILTIN:
      g_value_set_boolean (value, fulcrum_environment_is_builtin (self));
      break;
    case PROP_AUTHORIZE_URL:
      g_value_set_string (value, self->authorize_url);
      break;
    case PROP_TOKEN_URL:
      g_value_set_string (value, self->token_url);
      break;
    case PROP_AUDIENCE:
      g_value_set_string (value, self->audience);
      break;
    case PROP_API_BASE:
      g_value_set_string (value, self->api_base);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_double (value, self->rate_limit);
      break;
    case PROP_RATE_BURST:
      g_value_set_uint (value, self->rate_burst);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_environment_class_init (FulcrumEnvironmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fulcrum_environment_finalize;
  object_class->get_property = fulcrum_environment_get_property;

#define STR_PROP(P, n) \
  properties[P] = g_param_spec_string (n, NULL, NULL, NULL, \
                                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
  STR_PROP (PROP_ID, "id");
  STR_PROP (PROP_NAME, "name");
  STR_PROP (PROP_KIND, "kind");
  STR_PROP (PROP_AUTHORIZE_URL, "authorize-url");
  STR_PROP (PROP_TOKEN_URL, "token-url");
  STR_PROP (PROP_AUDIENCE, "audience");
  STR_PROP (PROP_API_BASE, "api-base");
#undef STR_PROP
  properties[PROP_BUILTIN] =
    g_param_spec_boolean ("builtin", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_LIMIT] =
    g_param_spec_double ("rate-limit", NULL, NULL, 0, G_MAXDOUBLE, FULCRUM_LEVER_RATE_LIMIT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_BURST] =
    g_param_spec_uint ("rate-burst", NULL, NULL, 0, G_MAXUINT, FULCRUM_LEVER_RATE_BURST,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fulcrum_environment_init (FulcrumEnvironment *self)
{
  self->rate_limit = FULCRUM_LEVER_RATE_LIMIT;
  self->rate_burst = FULCRUM_LEVER_RATE_BURST;
}

const char *
fulcrum_environment_kind_to_string (FulcrumEnvironmentKind kind)
{
  g_return_val_if_fail (kind <= FULCRUM_ENVIRONMENT_KIND_CUSTOM, NULL);

  return kind_names[kind];
}

gboolean
fulcrum_environment_kind_from_string (const char             *str,
                                      FulcrumEnvironmentKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (str, kind_names[i]) == 0)
        {
          *kind = (FulcrumEnvironmentKind) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * fulcrum_environment_check_url:
 * @what: the field's name in the user's words, for the error
 *
 * A URL of a custom environment must be absolute and use https, except on a
 * loopback host, where plain http is allowed (a local proxy or test server).
 */
gboolean
fulcrum_environment_check_url (const char  *url,
                               const char  *what,
                               GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_URL,
                   _("The %s is missing"), what);
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_URL,
                   _("The %s “%s” is not a valid URL"), what, url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (host))
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    g_set_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INSECURE_URL,
                 _("The %s “%s” must use https (plain http is allowed only for 127.0.0.1, ::1 or localhost)"),
                 what, url);
  else
    g_set_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_URL,
                 _("The %s “%s” must be an https URL"), what, url);

  return FALSE;
}

static gboolean
check_fields (const char  *name,
              const char  *authorize_url,
              const char  *token_url,
              const char  *audience,
              const char  *api_base,
              double       rate_limit,
              guint        rate_burst,
              GError     **error)
{
  if (fulcrum_str_is_blank (name))
    {
      g_set_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_NAME,
                   _("The environment needs a name"));
      return FALSE;
    }

  if (!fulcrum_environment_check_url (authorize_url, _("authorize URL"), error) ||
      !fulcrum_environment_check_url (token_url, _("token URL"), error) ||
      !fulcrum_environment_check_url (api_base, _("API base URL"), error))
    return FALSE;

  /* Without the audience Lever's consent screen shows only offline_access and the token
   * cannot call the API (lever-api.md §1). */
  if (audience == NULL || *audience == '\0')
    {
      g_set_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_MISSING_AUDIENCE,
                   _("The environment needs an audience (for Lever, the API base with a trailing slash, such as https://api.lever.co/v1/)"));
      return FALSE;
    }

  if (!(rate_limit > 0) || rate_limit > 10000 || rate_burst < 1 || rate_burst > 100000)
    {
      g_set_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_RATE,
                   _("The rate limit must be more than 0 requests per second with a burst of at least 1"));
      return FALSE;
    }

  return TRUE;
}

/* FULCRUM_SIMULATOR_PORT moves the built-in simulator, so that test runs do not meet. */
guint
fulcrum_environment_get_simulator_port (void)
{
  const char *env = g_getenv ("FULCRUM_SIMULATOR_PORT");
  guint64 port;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 65535, &port, NULL))
    return (guint) port;

  return FULCRUM_SIMULATOR_DEFAULT_PORT;
}

FulcrumEnvironment *
fulcrum_environment_new_builtin (FulcrumEnvironmentKind kind)
{
  FulcrumEnvironment *self = g_object_new (FULCRUM_TYPE_ENVIRONMENT, NULL);

  self->kind = kind;

  switch (kind)
    {
    case FULCRUM_ENVIRONMENT_KIND_PRODUCTION:
      self->id = g_strdup (FULCRUM_ENVIRONMENT_ID_PRODUCTION);
      self->name = g_strdup (_("Lever Production"));
      self->authorize_url = g_strdup ("https://auth.lever.co/authorize");
      self->token_url = g_strdup ("https://auth.lever.co/oauth/token");
      self->audience = g_strdup ("https://api.lever.co/v1/");
      self->api_base = g_strdup ("https://api.lever.co/v1");
      break;

    case FULCRUM_ENVIRONMENT_KIND_SANDBOX:
      self->id = g_strdup (FULCRUM_ENVIRONMENT_ID_SANDBOX);
      self->name = g_strdup (_("Lever Sandbox"));
      self->authorize_url = g_strdup ("https://sandbox-lever.auth0.com/authorize");
      self->token_url = g_strdup ("https://sandbox-lever.auth0.com/oauth/token");
      self->audience = g_strdup ("https://api.sandbox.lever.co/v1/");
      self->api_base = g_strdup ("https://api.sandbox.lever.co/v1");
      break;

    case FULCRUM_ENVIRONMENT_KIND_SIMULATOR:
      {
        g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u",
                                                 fulcrum_environment_get_simulator_port ());

        self->id = g_strdup (FULCRUM_ENVIRONMENT_ID_SIMULATOR);
        self->name = g_strdup (_("Lever Simulator"));
        fulcrum_environment_set_base_url (self, base);
      }
      break;

    case FULCRUM_ENVIRONMENT_KIND_CUSTOM:
    default:
      g_return_val_if_reached (self);
    }

  return self;
}

FulcrumEnvironment *
fulcrum_environment_new_custom (const char  *id,
                                const char  *name,
                                const char  *authorize_url,
                                const char  *token_url,
                                const char  *audience,
                                const char  *api_base,
                                double       rate_limit,
                                guint        rate_burst,
                                GError     **error)
{
  FulcrumEnvironment *self;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  if (!check_fields (name, authorize_url, token_url, audience, api_base,
                     rate_limit, rate_burst, error))
    return NULL;

  self = g_object_new (FULCRUM_TYPE_ENVIRONMENT, NULL);
  self->kind = FULCRUM_ENVIRONMENT_KIND_CUSTOM;
  self->id = g_strdup (id);
  self->name = g_strstrip (g_strdup (name));
  self->authorize_url = g_strdup (authorize_url);
  self->token_url = g_strdup (token_url);
  self->audience = g_strdup (audience);
  self->api_base = g_strdup (api_base);
  self->rate_limit = rate_limit;
  self->rate_burst = rate_burst;

  return self;
}

gboolean
fulcrum_environment_update (FulcrumEnvironment  *self,
                            const char          *name,
                            const char          *authorize_url,
                            const char          *token_url,
                            const char          *audience,
                            const char          *api_base,
                            double               rate_limit,
                            guint                rate_burst,
                            GError             **error)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), FALSE);

  if (fulcrum_environment_is_builtin (self))
    {
      g_set_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_READ_ONLY,
                   _("“%s” is built in and cannot be changed"), self->name);
      return FALSE;
    }

  if (!check_fields (name, authorize_url, token_url, audience, api_base,
                     rate_limit, rate_burst, error))
    return FALSE;

  stripped = g_strstrip (g_strdup (name));

  g_object_freeze_notify (G_OBJECT (self));
  fulcrum_object_set_string (G_OBJECT (self), &self->name, stripped, properties[PROP_NAME]);
  fulcrum_object_set_string (G_OBJECT (self), &self->authorize_url, authorize_url, properties[PROP_AUTHORIZE_URL]);
  fulcrum_object_set_string (G_OBJECT (self), &self->token_url, token_url, properties[PROP_TOKEN_URL]);
  fulcrum_object_set_string (G_OBJECT (self), &self->audience, audience, properties[PROP_AUDIENCE]);
  fulcrum_object_set_string (G_OBJECT (self), &self->api_base, api_base, properties[PROP_API_BASE]);
  if (self->rate_limit != rate_limit)
    {
      self->rate_limit = rate_limit;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
    }
  if (self->rate_burst != rate_burst)
    {
      self->rate_burst = rate_burst;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_BURST]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

void
fulcrum_environment_set_base_url (FulcrumEnvironment *self,
                                  const char         *base_url)
{
  g_autofree char *authorize_url = NULL;
  g_autofree char *token_url = NULL;
  g_autofree char *audience = NULL;
  g_autofree char *api_base = NULL;

  g_return_if_fail (FULCRUM_IS_ENVIRONMENT (self));
  g_return_if_fail (self->kind == FULCRUM_ENVIRONMENT_KIND_SIMULATOR);
  g_return_if_fail (base_url != NULL);

  /* The simulator's layout mirrors Lever's: the audience is the API base with a slash. */
  authorize_url = g_strconcat (base_url, "/authorize", NULL);
  token_url = g_strconcat (base_url, "/oauth/token", NULL);
  api_base = g_strconcat (base_url, "/v1", NULL);
  audience = g_strconcat (base_url, "/v1/", NULL);

  g_object_freeze_notify (G_OBJECT (self));
  fulcrum_object_set_string (G_OBJECT (self), &self->authorize_url, authorize_url, properties[PROP_AUTHORIZE_URL]);
  fulcrum_object_set_string (G_OBJECT (self), &self->token_url, token_url, properties[PROP_TOKEN_URL]);
  fulcrum_object_set_string (G_OBJECT (self), &self->audience, audience, properties[PROP_AUDIENCE]);
  fulcrum_object_set_string (G_OBJECT (self), &self->api_base, api_base, properties[PROP_API_BASE]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
fulcrum_environment_get_id (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), NULL);
  return self->id;
}

const char *
fulcrum_environment_get_name (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), NULL);
  return self->name;
}

FulcrumEnvironmentKind
fulcrum_environment_get_kind (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), FULCRUM_ENVIRONMENT_KIND_CUSTOM);
  return self->kind;
}

gboolean
fulcrum_environment_is_builtin (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), FALSE);
  return self->kind != FULCRUM_ENVIRONMENT_KIND_CUSTOM;
}

const char *
fulcrum_environment_get_authorize_url (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), NULL);
  return self->authorize_url;
}

const char *
fulcrum_environment_get_token_url (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), NULL);
  return self->token_url;
}

const char *
fulcrum_environment_get_audience (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), NULL);
  return self->audience;
}

const char *
fulcrum_environment_get_api_base (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), NULL);
  return self->api_base;
}

double
fulcrum_environment_get_rate_limit (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), 0);
  return self->rate_limit;
}

guint
fulcrum_environment_get_rate_burst (FulcrumEnvironment *self)
{
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (self), 0);
  return self->rate_burst;
}
