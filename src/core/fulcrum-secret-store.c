/* fulcrum-secret-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-secrets"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "fulcrum-secret-store.h"

struct _FulcrumSecretStore
{
  GObject parent_instance;
  guint   timeout_ms;
};

G_DEFINE_FINAL_TYPE (FulcrumSecretStore, fulcrum_secret_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (fulcrum-secret-error-quark, fulcrum_secret_error)

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} Operation;

/* One keyring call. The task completes on the first of: libsecret's answer, the
 * timeout, or the caller's cancellable. A keyring that never answers must not leave the
 * caller waiting, so the task does not wait for libsecret to notice the cancel. */
typedef struct
{
  Operation     op;
  GCancellable *op_cancellable;   /* cancels the libsecret call */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  guint         timeout_id;
  gboolean      completed;
} Call;

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    APP_ID, SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    }
  };

  return &schema;
}

static const char *
kind_to_string (FulcrumSecretKind kind)
{
  switch (kind)
    {
    case FULCRUM_SECRET_KIND_CLIENT_SECRET:
      return "client-secret";
    case FULCRUM_SECRET_KIND_TOKEN_SET:
      return "token-set";
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
call_free (Call *call)
{
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  if (call->caller_handler != 0)
    g_cancellable_disconnect (call->caller_cancellable, call->caller_handler);
  g_clear_object (&call->caller_cancellable);
  g_clear_object (&call->op_cancellable);
  g_free (call);
}

static void
fulcrum_secret_store_class_init (FulcrumSecretStoreClass *klass)
{
}

static void
fulcrum_secret_store_init (FulcrumSecretStore *self)
{
  self->timeout_ms = FULCRUM_SECRET_DEFAULT_TIMEOUT_MS;
}

FulcrumSecretStore *
fulcrum_secret_store_new (void)
{
  return g_object_new (FULCRUM_TYPE_SECRET_STORE, NULL);
}

guint
fulcrum_secret_store_get_timeout (FulcrumSecretStore *self)
{
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (self), 0);
  return self->timeout_ms;
}

void
fulcrum_secret_store_set_timeout (FulcrumSecretStore *self,
                                  guint               timeout_ms)
{
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (self));
  self->timeout_ms = MAX (timeout_ms, 1);
}

void
fulcrum_secret_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

/* Maps libsecret's and D-Bus's errors to ours, in the user's words. Never includes the
 * secret: libsecret's messages do not carry it either. */
static GError *
translate_error (const GError *error)
{
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new (FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_LOCKED,
                        _("The keyring is locked. Unlock it and try again."));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new (FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_CANCELLED,
                        _("The keyring operation was cancelled"));

  if (error->domain == G_DBUS_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return g_error_new (FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_UNAVAILABLE,
                        _("No keyring is available (%s). Fulcrum keeps client secrets and tokens only in the keyring, so nothing was stored."),
                        error->message);

  return g_error_new (FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_FAILED,
                      _("The keyring failed: %s"), error->message);
}

static gboolean
call_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  FulcrumSecretStore *self = g_task_get_source_object (task);

  call->timeout_id = 0;
  if (!call->completed)
    {
      call->completed = TRUE;
      g_cancellable_cancel (call->op_cancellable);
      g_task_return_new_error (task, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_TIMEOUT,
                               _("The keyring did not answer within %u seconds. Check that it is running and unlocked."),
                               (self->timeout_ms + 999) / 1000);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
call_cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  if (!call->completed)
    {
      call->completed = TRUE;
      g_task_return_new_error (task, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_CANCELLED,
                               _("The keyring operation was cancelled"));
    }

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GTask        *task)
{
  Call *call = g_task_get_task_data (task);

  /* May run in another thread: complete from the task's context. */
  g_cancellable_cancel (call->op_cancellable);
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                              call_cancelled_idle_cb, g_object_ref (task), g_object_unref);
}

static GTask *
call_new (FulcrumSecretStore  *self,
          Operation            op,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  /* Results are reported by us, not by the cancellable: a late answer is dropped. */
  g_task_set_check_cancellable (task, FALSE);

  call->op = op;
  call->op_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  call->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->timeout_ms, call_timeout_cb,
                                         g_object_ref (task), g_object_unref);

  if (cancellable != NULL)
    {
      call->caller_cancellable = g_object_ref (cancellable);
      call->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    task, NULL);
    }

  return task;
}

static void
operation_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Call *call = g_task_get_task_data (task);
  char *secret = NULL;
  gboolean ok = FALSE;

  switch (call->op)
    {
    case OP_STORE:
      ok = secret_password_store_finish (result, &error);
      break;
    case OP_LOOKUP:
      secret = secret_password_lookup_finish (result, &error);
      ok = error == NULL;
      break;
    case OP_CLEAR:
      secret_password_clear_finish (result, &error);
      /* Nothing to clear is not a failure. */
      ok = error == NULL;
      break;
    default:
      g_assert_not_reached ();
    }

  if (call->completed)
    {
      fulcrum_secret_free (secret);
      return;
    }

  call->completed = TRUE;
  g_clear_handle_id (&call->timeout_id, g_source_remove);

  if (!ok)
    g_task_return_error (task, translate_error (error));
  else if (call->op == OP_LOOKUP)
    g_task_return_pointer (task, secret, (GDestroyNotify) fulcrum_secret_free);
  else
    g_task_return_boolean (task, TRUE);
}

static GHashTable *
make_attributes (FulcrumSecretKind  kind,
                 gboolean           with_kind,
                 const char        *profile_id,
                 const char        *account_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  if (with_kind)
    g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind_to_string (kind));
  g_hash_table_insert (attributes, (gpointer) "profile", (gpointer) profile_id);
  if (account_id != NULL)
    g_hash_table_insert (attributes, (gpointer) "account", (gpointer) account_id);

  return attributes;
}

void
fulcrum_secret_store_store_async (FulcrumSecretStore  *self,
                                  FulcrumSecretKind    kind,
                                  const char          *profile_id,
                                  const char          *account_id,
                                  const char          *secret,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (FULCRUM_IS_SECRET_STORE (self));
  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (kind == FULCRUM_SECRET_KIND_CLIENT_SECRET || account_id != NULL);
  g_return_if_fail (secret != NULL);

  task = call_new (self, OP_STORE, fulcrum_secret_store_store_async,
                   cancellable, callback, user_data);
  call = g_task_get_task_data (task);

  if (kind == FULCRUM_SECRET_KIND_CLIENT_SECRET)
    label = g_strdup_printf (_("Fulcrum client secret for connector profile “%s”"), profile_id);
  else
    label = g_strdup_printf (_("Fulcrum tokens for linked account “%s”"), account_id);

  attributes = make_attributes (kind, TRUE, profile_id,
                                kind == FULCRUM_SECRET_KIND_CLIENT_SECRET ? NULL : account_id);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                          call->op_cancellable, operation_done_cb, task);
}

gboolean
fulcrum_secret_store_store_finish (FulcrumSecretStore  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_secret_store_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fulcrum_secret_store_lookup_async (FulcrumSecretStore  *self,
                                   FulcrumSecretKind    kind,
                                   const char          *profile_id,
                                   const char          *account_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (FULCRUM_IS_SECRET_STORE (self));
  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (kind == FULCRUM_SECRET_KIND_CLIENT_SECRET || account_id != NULL);

  task = call_new (self, OP_LOOKUP, fulcrum_secret_store_lookup_async,
                   cancellable, callback, user_data);
  call = g_task_get_task_data (task);

  attributes = make_attributes (kind, TRUE, profile_id,
                                kind == FULCRUM_SECRET_KIND_CLIENT_SECRET ? NULL : account_id);
  secret_password_lookupv (get_schema (), attributes, call->op_cancellable,
                           operation_done_cb, task);
}

char *
fulcrum_secret_store_lookup_finish (FulcrumSecretStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_secret_store_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fulcrum_secret_store_clear_async (FulcrumSecretStore  *self,
                                  const char          *profile_id,
                                  const char          *account_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (FULCRUM_IS_SECRET_STORE (self));
  g_return_if_fail (profile_id != NULL);

  task = call_new (self, OP_CLEAR, fulcrum_secret_store_clear_async,
                   cancellable, callback, user_data);
  call = g_task_get_task_data (task);

  attributes = make_attributes (FULCRUM_SECRET_KIND_CLIENT_SECRET, FALSE, profile_id, account_id);
  secret_password_clearv (get_schema (), attributes, call->op_cancellable,
                          operation_done_cb, task);
}

gboolean
fulcrum_secret_store_clear_finish (FulcrumSecretStore  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_secret_store_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
