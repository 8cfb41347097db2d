/* fulcrum-token-manager.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-tokens"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-token-manager-private.h"

#define HTTP_TIMEOUT_S 30

enum {
  PROP_0,
  PROP_STORE,
  PROP_SECRETS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumTokenManager, fulcrum_token_manager, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
account_state_free (FulcrumTokenAccountState *state)
{
  g_assert (state->refresh == NULL);
  g_clear_pointer (&state->tokens, fulcrum_token_set_free);
  g_free (state);
}

char *
fulcrum_token_account_key (FulcrumLinkedAccount *account)
{
  return g_strconcat (fulcrum_linked_account_get_profile_id (account), "\n",
                      fulcrum_linked_account_get_id (account), NULL);
}

static GError *
needs_relink_error (FulcrumLinkedAccount *account)
{
  const char *message = fulcrum_linked_account_get_status_message (account);

  if (message == NULL || *message == '\0')
    message = _("This account needs to be linked again.");

  return g_error_new_literal (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK, message);
}

/* Callbacks and dispose */

static void
accounts_changed_cb (GListModel          *model,
                     guint                position,
                     guint                removed,
                     guint                added,
                     FulcrumTokenManager *self)
{
  g_autoptr(GHashTable) present = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (removed == 0)
    return;

  /* Forget (and wipe) the tokens of unlinked accounts. */
  present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FulcrumLinkedAccount) account = g_list_model_get_item (model, i);

      g_hash_table_add (present, fulcrum_token_account_key (account));
    }

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FulcrumTokenAccountState *state = value;

      if (state->refresh == NULL && !g_hash_table_contains (present, key))
        g_hash_table_iter_remove (&iter);
    }
}

static void
fulcrum_token_manager_constructed (GObject *object)
{
  FulcrumTokenManager *self = (FulcrumTokenManager *) object;
  g_autofree char *user_agent = g_strdup_printf ("Fulcrum/%s", PACKAGE_VERSION);

  G_OBJECT_CLASS (fulcrum_token_manager_parent_class)->constructed (object);

  g_assert (FULCRUM_IS_STORE (self->store));
  g_assert (FULCRUM_IS_SECRET_STORE (self->secrets));

  /* Created here, on the thread (and main context) that uses the manager. */
  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                 "user-agent", user_agent,
                                                 NULL);

  self->accounts_changed_id =
    g_signal_connect_object (fulcrum_store_get_accounts (self->store), "items-changed",
                             G_CALLBACK (accounts_changed_cb), self, 0);
}

static void
fulcrum_token_manager_dispose (GObject *object)
{
  FulcrumTokenManager *self = (FulcrumTokenManager *) object;

  if (self->store != NULL)
    g_clear_signal_handler (&self->accounts_changed_id, fulcrum_store_get_accounts (self->store));
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (fulcrum_token_manager_parent_class)->dispose (object);
}

static void
fulcrum_token_manager_finalize (GObject *object)
{
  FulcrumTokenManager *self = (FulcrumTokenManager *) object;

  g_clear_pointer (&self->accounts, g_hash_table_unref);

  G_OBJECT_CLASS (fulcrum_token_manager_parent_class)->finalize (object);
}

static void
fulcrum_token_manager_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FulcrumTokenManager *self = FULCRUM_TOKEN_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_token_manager_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  FulcrumTokenManager *self = FULCRUM_TOKEN_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_token_manager_class_init (FulcrumTokenManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = fulcrum_token_manager_constructed;
  object_class->dispose = fulcrum_token_manager_dispose;
  object_class->finalize = fulcrum_token_manager_finalize;
  object_class->get_property = fulcrum_token_manager_get_property;
  object_class->set_property = fulcrum_token_manager_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         FULCRUM_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL,
                         FULCRUM_TYPE_SECRET_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fulcrum_token_manager_init (FulcrumTokenManager *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) account_state_free);
}

/* Public API */

FulcrumTokenManager *
fulcrum_token_manager_new (FulcrumStore       *store,
                           FulcrumSecretStore *secrets)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (secrets), NULL);

  return g_object_new (FULCRUM_TYPE_TOKEN_MANAGER,
                       "store", store,
                       "secrets", secrets,
                       NULL);
}

void
fulcrum_token_manager_set_clock (FulcrumTokenManager *self,
                                 FulcrumClockFunc     clock,
                                 gpointer             user_data)
{
  g_return_if_fail (FULCRUM_IS_TOKEN_MANAGER (self));

  self->clock = clock;
  self->clock_data = user_data;
}

gint64
fulcrum_token_manager_now (FulcrumTokenManager *self)
{
  g_return_val_if_fail (FULCRUM_IS_TOKEN_MANAGER (self), 0);

  if (self->clock != NULL)
    return self->clock (self->clock_data);

  return g_get_real_time ();
}

static void
request_token (FulcrumTokenManager    *self,
               FulcrumLinkedAccount   *account,
               gboolean                force,
               FulcrumTokenWaiterKind  kind,
               gpointer                source_tag,
               GCancellable           *cancellable,
               GAsyncReadyCallback     callback,
               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  FulcrumTokenAccountState *state;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Never again on a dead grant: only a new link brings the account back. */
  if (fulcrum_linked_account_get_status (account) == FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK)
    {
      g_task_return_error (task, needs_relink_error (account));
      return;
    }

  key = fulcrum_token_account_key (account);
  state = g_hash_table_lookup (self->accounts, key);
  if (state == NULL)
    {
      state = g_new0 (FulcrumTokenAccountState, 1);
      g_hash_table_insert (self->accounts, g_strdup (key), state);
    }

  /* Linked again since we read the tokens: they are not the account's any more. */
  if (state->tokens != NULL && state->linked_at != fulcrum_linked_account_get_linked_at (account))
    g_clear_pointer (&state->tokens, fulcrum_token_set_free);

  if (!force && kind == FULCRUM_TOKEN_WAITER_TOKEN &&
      state->refresh == NULL && state->tokens != NULL &&
      !fulcrum_token_set_is_expired (state->tokens, fulcrum_token_manager_now (self),
                                     FULCRUM_TOKEN_EARLY_EXPIRY_S))
    {
      g_task_return_pointer (task, g_strdup (state->tokens->access_token),
                             (GDestroyNotify) fulcrum_secret_free);
      return;
    }

  if (state->refresh == NULL)
    fulcrum_token_refresh_start (self, account, state, force);
  fulcrum_token_refresh_add_waiter (state->refresh, task, kind, force, cancellable);
}

void
fulcrum_token_manager_get_access_token_async (FulcrumTokenManager  *self,
                                              FulcrumLinkedAccount *account,
                                              gboolean              force_refresh,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data)
{
  g_return_if_fail (FULCRUM_IS_TOKEN_MANAGER (self));
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  request_token (self, account, force_refresh, FULCRUM_TOKEN_WAITER_TOKEN,
                 fulcrum_token_manager_get_access_token_async,
                 cancellable, callback, user_data);
}

char *
fulcrum_token_manager_get_access_token_finish (FulcrumTokenManager  *self,
                                               GAsyncResult         *result,
                                               GError              **error)
{
  g_return_val_if_fail (FULCRUM_IS_TOKEN_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fulcrum_token_manager_get_access_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fulcrum_token_manager_refresh_async (FulcrumTokenManager  *self,
                                     FulcrumLinkedAccount *account,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_return_if_fail (FULCRUM_IS_TOKEN_MANAGER (self));
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  request_token (self, account, TRUE, FULCRUM_TOKEN_WAITER_REFRESH,
                 fulcrum_token_manager_refresh_async,
                 cancellable, callback, user_data);
}

gboolean
fulcrum_token_manager_refresh_finish (FulcrumTokenManager  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (FULCRUM_IS_TOKEN_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fulcrum_token_manager_refresh_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
fulcrum_token_manager_get_n_token_requests (FulcrumTokenManager *self)
{
  g_return_val_if_fail (FULCRUM_IS_TOKEN_MANAGER (self), 0);

  return self->n_token_requests;
}

void
fulcrum_token_manager_set_store_hook (FulcrumTokenManager   *self,
                                      FulcrumTokenStoreHook  hook,
                                      gpointer               user_data)
{
  g_return_if_fail (FULCRUM_IS_TOKEN_MANAGER (self));

  self->store_hook = hook;
  self->store_hook_data = user_data;
}

void
fulcrum_token_manager_set_http_timeout (FulcrumTokenManager *self,
                                        guint                timeout_s)
{
  g_return_if_fail (FULCRUM_IS_TOKEN_MANAGER (self));

  g_object_set (self->session, "timeout", timeout_s, NULL);
}
