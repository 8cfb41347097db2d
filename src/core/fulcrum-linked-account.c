/* fulcrum-linked-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-account"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-core-private.h"

#include "fulcrum-linked-account.h"

struct _FulcrumLinkedAccount
{
  GObject               parent_instance;

  char                 *id;
  char                 *profile_id;
  char                 *environment_id;
  char                 *label;
  char                 *status_message;
  GStrv                 granted_scopes;
  gint64                expires_at;
  gint64                linked_at;
  gint64                last_refresh;
  gint64                last_used;
  FulcrumAccountStatus  status;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_PROFILE_ID,
  PROP_ENVIRONMENT_ID,
  PROP_LABEL,
  PROP_STATUS,
  PROP_STATUS_MESSAGE,
  PROP_GRANTED_SCOPES,
  PROP_EXPIRES_AT,
  PROP_LINKED_AT,
  PROP_LAST_REFRESH,
  PROP_LAST_USED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumLinkedAccount, fulcrum_linked_account, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static const char *status_names[] = { "active", "needs-relink", "error", "suspended" };

static void
set_time (FulcrumLinkedAccount *self,
          gint64               *field,
          gint64                value,
          int                   prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
fulcrum_linked_account_finalize (GObject *object)
{
  FulcrumLinkedAccount *self = (FulcrumLinkedAccount *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->environment_id, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->status_message, g_free);
  g_clear_pointer (&self->granted_scopes, g_strfreev);

  G_OBJECT_CLASS (fulcrum_linked_account_parent_class)->finalize (object);
}

static void
fulcrum_linked_account_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FulcrumLinkedAccount *self = FULCRUM_LINKED_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROFILE_ID:
      g_value_set_string (value, self->profile_id);
      break;
    case PROP_ENVIRONMENT_ID:
      g_value_set_string (value, self->environment_id);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_STATUS:
      g_value_set_string (value, fulcrum_account_status_to_string (self->status));
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, self->status_message);
      break;
    case PROP_GRANTED_SCOPES:
      g_value_set_boxed (value, self->granted_scopes);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_int64 (value, self->expires_at);
      break;
    case PROP_LINKED_AT:
      g_value_set_int64 (value, self->linked_at);
      break;
    case PROP_LAST_REFRESH:
      g_value_set_int64 (value, self->last_refresh);
      break;
    case PROP_LAST_USED:
      g_value_set_int64 (value, self->last_used);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_linked_account_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  FulcrumLinkedAccount *self = FULCRUM_LINKED_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      fulcrum_linked_account_set_label (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_linked_account_class_init (FulcrumLinkedAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fulcrum_linked_account_finalize;
  object_class->get_property = fulcrum_linked_account_get_property;
  object_class->set_property = fulcrum_linked_account_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_PROFILE_ID] = g_param_spec_string ("profile-id", NULL, NULL, NULL, ro);
  properties[PROP_ENVIRONMENT_ID] = g_param_spec_string ("environment-id", NULL, NULL, NULL, ro);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  /* The status as its string ("active", "needs-relink", …), handy for bindings and CSS. */
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_STATUS_MESSAGE] = g_param_spec_string ("status-message", NULL, NULL, NULL, ro);
  properties[PROP_GRANTED_SCOPES] = g_param_spec_boxed ("granted-scopes", NULL, NULL,
                                                        G_TYPE_STRV, ro);
  properties[PROP_EXPIRES_AT] = g_param_spec_int64 ("expires-at", NULL, NULL,
                                                    0, G_MAXINT64, 0, ro);
  properties[PROP_LINKED_AT] = g_param_spec_int64 ("linked-at", NULL, NULL,
                                                   0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_REFRESH] = g_param_spec_int64 ("last-refresh", NULL, NULL,
                                                      0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_USED] = g_param_spec_int64 ("last-used", NULL, NULL,
                                                   0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fulcrum_linked_account_init (FulcrumLinkedAccount *self)
{
  self->granted_scopes = g_new0 (char *, 1);
}

const char *
fulcrum_account_status_to_string (FulcrumAccountStatus status)
{
  g_return_val_if_fail (status <= FULCRUM_ACCOUNT_STATUS_SUSPENDED, NULL);

  return status_names[status];
}

gboolean
fulcrum_account_status_from_string (const char           *str,
                                    FulcrumAccountStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_strcmp0 (str, status_names[i]) == 0)
        {
          *status = (FulcrumAccountStatus) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
fulcrum_account_status_get_title (FulcrumAccountStatus status)
{
  switch (status)
    {
    case FULCRUM_ACCOUNT_STATUS_ACTIVE:
      return _("Active");
    case FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK:
      return _("Needs re-link");
    case FULCRUM_ACCOUNT_STATUS_ERROR:
      return _("Error");
    case FULCRUM_ACCOUNT_STATUS_SUSPENDED:
      return _("Suspended");
    default:
      g_return_val_if_reached (NULL);
    }
}

FulcrumLinkedAccount *
fulcrum_linked_account_new (const char *id,
                            const char *profile_id,
                            const char *environment_id)
{
  FulcrumLinkedAccount *self;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (profile_id != NULL && *profile_id != '\0', NULL);
  g_return_val_if_fail (environment_id != NULL && *environment_id != '\0', NULL);

  self = g_object_new (FULCRUM_TYPE_LINKED_ACCOUNT, NULL);
  self->id = g_strdup (id);
  self->profile_id = g_strdup (profile_id);
  self->environment_id = g_strdup (environment_id);

  return self;
}

const char *
fulcrum_linked_account_get_id (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), NULL);
  return self->id;
}

const char *
fulcrum_linked_account_get_profile_id (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), NULL);
  return self->profile_id;
}

const char *
fulcrum_linked_account_get_environment_id (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), NULL);
  return self->environment_id;
}

const char *
fulcrum_linked_account_get_label (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), NULL);
  return self->label;
}

void
fulcrum_linked_account_set_label (FulcrumLinkedAccount *self,
                                  const char           *label)
{
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self));
  fulcrum_object_set_string (G_OBJECT (self), &self->label, label, properties[PROP_LABEL]);
}

FulcrumAccountStatus
fulcrum_linked_account_get_status (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), FULCRUM_ACCOUNT_STATUS_ERROR);
  return self->status;
}

void
fulcrum_linked_account_set_status (FulcrumLinkedAccount *self,
                                   FulcrumAccountStatus  status)
{
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self));
  g_return_if_fail (status <= FULCRUM_ACCOUNT_STATUS_SUSPENDED);

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
fulcrum_linked_account_get_status_message (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), NULL);
  return self->status_message;
}

void
fulcrum_linked_account_set_status_message (FulcrumLinkedAccount *self,
                                           const char           *message)
{
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self));
  fulcrum_object_set_string (G_OBJECT (self), &self->status_message, message, properties[PROP_STATUS_MESSAGE]);
}

const char * const *
fulcrum_linked_account_get_granted_scopes (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), NULL);
  return (const char * const *) self->granted_scopes;
}

void
fulcrum_linked_account_set_granted_scopes (FulcrumLinkedAccount *self,
                                           const char * const   *scopes)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self));

  if (scopes == NULL)
    scopes = none;

  if (g_strv_equal ((const char * const *) self->granted_scopes, scopes))
    return;

  g_strfreev (self->granted_scopes);
  self->granted_scopes = g_strdupv ((char **) scopes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTED_SCOPES]);
}

gint64
fulcrum_linked_account_get_expires_at (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), 0);
  return self->expires_at;
}

void
fulcrum_linked_account_set_expires_at (FulcrumLinkedAccount *self,
                                       gint64                expires_at)
{
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self));
  set_time (self, &self->expires_at, MAX (expires_at, 0), PROP_EXPIRES_AT);
}

gint64
fulcrum_linked_account_get_linked_at (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), 0);
  return self->linked_at;
}

void
fulcrum_linked_account_set_linked_at (FulcrumLinkedAccount *self,
                                      gint64                linked_at)
{
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self));
  set_time (self, &self->linked_at, MAX (linked_at, 0), PROP_LINKED_AT);
}

gint64
fulcrum_linked_account_get_last_refresh (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), 0);
  return self->last_refresh;
}

void
fulcrum_linked_account_set_last_refresh (FulcrumLinkedAccount *self,
                                         gint64                last_refresh)
{
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self));
  set_time (self, &self->last_refresh, MAX (last_refresh, 0), PROP_LAST_REFRESH);
}

gint64
fulcrum_linked_account_get_last_used (FulcrumLinkedAccount *self)
{
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), 0);
  return self->last_used;
}

void
fulcrum_linked_account_set_last_used (FulcrumLinkedAccount *self,
                                      gint64                last_used)
{
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self));
  set_time (self, &self->last_used, MAX (last_used, 0), PROP_LAST_USED);
}

JsonNode *
fulcrum_linked_account_to_json (FulcrumLinkedAccount *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, self->profile_id);
  json_builder_set_member_name (builder, "environment");
  json_builder_add_string_value (builder, self->environment_id);
  if (self->label)
    {
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, self->label);
    }
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, fulcrum_account_status_to_string (self->status));
  if (self->status_message)
    {
      json_builder_set_member_name (builder, "status_message");
      json_builder_add_string_value (builder, self->status_message);
    }
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; self->granted_scopes[i]; i++)
    json_builder_add_string_value (builder, self->granted_scopes[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, self->expires_at);
  json_builder_set_member_name (builder, "linked_at");
  json_builder_add_int_value (builder, self->linked_at);
  json_builder_set_member_name (builder, "last_refresh");
  json_builder_add_int_value (builder, self->last_refresh);
  json_builder_set_member_name (builder, "last_used");
  json_builder_add_int_value (builder, self->last_used);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

FulcrumLinkedAccount *
fulcrum_linked_account_new_from_json (JsonObject  *object,
                                      GError     **error)
{
  g_autoptr(FulcrumLinkedAccount) self = NULL;
  const char *id = json_object_get_string_member_with_default (object, "id", NULL);
  const char *profile = json_object_get_string_member_with_default (object, "profile", NULL);
  const char *env = json_object_get_string_member_with_default (object, "environment", NULL);
  const char *status = json_object_get_string_member_with_default (object, "status", NULL);
  JsonNode *scopes;

  if (id == NULL || *id == '\0' || profile == NULL || *profile == '\0' ||
      env == NULL || *env == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("A linked account has no id, profile or environment"));
      return NULL;
    }

  self = fulcrum_linked_account_new (id, profile, env);
  self->label = g_strdup (json_object_get_string_member_with_default (object, "label", NULL));
  self->status_message = g_strdup (json_object_get_string_member_with_default (object, "status_message", NULL));
  if (!fulcrum_account_status_from_string (status, &self->status))
    self->status = FULCRUM_ACCOUNT_STATUS_ERROR;
  self->expires_at = MAX (0, json_object_get_int_member_with_default (object, "expires_at", 0));
  self->linked_at = MAX (0, json_object_get_int_member_with_default (object, "linked_at", 0));
  self->last_refresh = MAX (0, json_object_get_int_member_with_default (object, "last_refresh", 0));
  self->last_used = MAX (0, json_object_get_int_member_with_default (object, "last_used", 0));

  scopes = json_object_get_member (object, "scopes");
  if (scopes != NULL && JSON_NODE_HOLDS_ARRAY (scopes))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      JsonArray *array = json_node_get_array (scopes);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
      g_strfreev (self->granted_scopes);
      self->granted_scopes = g_strv_builder_end (builder);
    }

  return g_steal_pointer (&self);
}
