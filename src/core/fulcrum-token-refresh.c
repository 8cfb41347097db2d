/* fulcrum-token-refresh.c: one pass through the lock, the keyring and the token endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-tokens"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-refresh-lock.h"
#include "fulcrum-token-endpoint.h"
#include "fulcrum-token-manager-private.h"

/* Long enough for another process to finish its refresh: an HTTP timeout and two
 * keyring calls. */
#define LOCK_TIMEOUT_MS  (90 * 1000)

/* Every caller that asks for the account's token while a pass is in flight waits for
 * the same pass: one token request per account at a time in this process, and the lock
 * file makes it one across processes. */
struct _FulcrumTokenRefresh
{
  FulcrumTokenManager  *self;
  FulcrumLinkedAccount *account;
  char                 *key;
  char                 *profile_id;
  char                 *account_id;
  GPtrArray            *waiters;          /* GTask */
  FulcrumTokenSet      *previous;         /* what this process had before */
  FulcrumRefreshLock   *lock;
  FulcrumTokenSet      *stored;           /* read from the keyring under the lock */
  char                 *stored_blob;
  char                 *client_secret;
  FulcrumTokenSet      *fresh;            /* from the token endpoint */
  char                 *fresh_blob;
  FulcrumTokenSet      *result;
  GError               *error;
  guint                 force : 1;
  guint                 decided : 1;      /* past the point where @force matters */
  guint                 fresh_has_scope : 1;
};

/* The task data of a caller's GTask. */
typedef struct
{
  FulcrumTokenRefresh    *refresh;   /* NULL once answered */
  FulcrumTokenWaiterKind  kind;
  GCancellable           *cancellable;
  gulong                  cancelled_id;
} Waiter;

static void
state_set_tokens (FulcrumTokenAccountState *state,
                  FulcrumLinkedAccount     *account,
                  FulcrumTokenSet          *tokens)
{
  g_clear_pointer (&state->tokens, fulcrum_token_set_free);
  state->tokens = tokens;
  state->linked_at = fulcrum_linked_account_get_linked_at (account);
}

static gboolean
same_tokens (const FulcrumTokenSet *a,
             const FulcrumTokenSet *b)
{
  return g_strcmp0 (a->access_token, b->access_token) == 0 &&
         g_strcmp0 (a->refresh_token, b->refresh_token) == 0;
}

/* Waiters */

static void
waiter_disconnect (Waiter *waiter)
{
  if (waiter->cancelled_id != 0)
    {
      g_cancellable_disconnect (waiter->cancellable, waiter->cancelled_id);
      waiter->cancelled_id = 0;
    }
}

static void
waiter_free (Waiter *waiter)
{
  waiter_disconnect (waiter);
  g_clear_object (&waiter->cancellable);
  g_free (waiter);
}

static void
answer_waiter (GTask                 *task,
               const FulcrumTokenSet *tokens,
               const GError          *error)
{
  Waiter *waiter = g_task_get_task_data (task);

  waiter->refresh = NULL;
  waiter_disconnect (waiter);

  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else if (waiter->kind == FULCRUM_TOKEN_WAITER_TOKEN)
    g_task_return_pointer (task, g_strdup (tokens->access_token),
                           (GDestroyNotify) fulcrum_secret_free);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
waiter_cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  FulcrumTokenRefresh *refresh = waiter->refresh;

  /* Answered meanwhile. */
  if (refresh == NULL)
    return G_SOURCE_REMOVE;

  /* The refresh goes on for the others (and for the keyring, if Lever already rotated
   * the refresh token); only this caller stops waiting. */
  waiter->refresh = NULL;
  waiter_disconnect (waiter);
  g_task_return_error_if_cancelled (task);
  g_ptr_array_remove (refresh->waiters, task);

  return G_SOURCE_REMOVE;
}

static void
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GSource *source;

  /* May run in any thread, and disconnecting from inside the handler would deadlock:
   * answer from the task's context. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, waiter_cancelled_idle_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[fulcrum] token waiter cancelled");
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* The pass */

static void
refresh_free (FulcrumTokenRefresh *refresh)
{
  g_clear_pointer (&refresh->lock, fulcrum_refresh_lock_release);
  g_clear_pointer (&refresh->waiters, g_ptr_array_unref);
  g_clear_pointer (&refresh->previous, fulcrum_token_set_free);
  g_clear_pointer (&refresh->stored, fulcrum_token_set_free);
  g_clear_pointer (&refresh->stored_blob, fulcrum_secret_free);
  g_clear_pointer (&refresh->client_secret, fulcrum_secret_free);
  g_clear_pointer (&refresh->fresh, fulcrum_token_set_free);
  g_clear_pointer (&refresh->fresh_blob, fulcrum_secret_free);
  g_clear_pointer (&refresh->result, fulcrum_token_set_free);
  g_clear_error (&refresh->error);
  g_free (refresh->key);
  g_free (refresh->profile_id);
  g_free (refresh->account_id);
  g_clear_object (&refresh->account);
  g_clear_object (&refresh->self);
  g_free (refresh);
}

static FulcrumTokenAccountState *
refresh_get_state (FulcrumTokenRefresh *refresh)
{
  FulcrumTokenAccountState *state;

  state = g_hash_table_lookup (refresh->self->accounts, refresh->key);

  g_assert (state != NULL && state->refresh == refresh);
  return state;
}

static void
refresh_finish (FulcrumTokenRefresh *refresh)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&refresh->waiters);
  FulcrumTokenAccountState *state = refresh_get_state (refresh);

  g_assert (refresh->result != NULL || refresh->error != NULL);

  /* Callbacks may ask again right away: leave a consistent state behind first. */
  state->refresh = NULL;
  g_clear_pointer (&refresh->lock, fulcrum_refresh_lock_release);

  if (refresh->error != NULL)
    g_debug ("Account %s: no token: %s", refresh->account_id, refresh->error->message);

  /* A callback that iterates the main context must not see a half-answered list. */
  for (guint i = 0; i < waiters->len; i++)
    ((Waiter *) g_task_get_task_data (g_ptr_array_index (waiters, i)))->refresh = NULL;
  for (guint i = 0; i < waiters->len; i++)
    answer_waiter (g_ptr_array_index (waiters, i), refresh->result, refresh->error);

  refresh_free (refresh);
}

static void
refresh_fail (FulcrumTokenRefresh *refresh,
              GError              *error)
{
  g_assert (refresh->error == NULL);
  refresh->error = error;
  refresh_finish (refresh);
}

static void
config_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FulcrumTokenRefresh *refresh = user_data;
  g_autoptr(GError) error = NULL;

  if (!fulcrum_store_save_finish (FULCRUM_STORE (object), result, &error))
    g_warning ("Could not save the configuration after a token refresh: %s", error->message);

  refresh_finish (refresh);
}

static void
refresh_save_and_finish (FulcrumTokenRefresh *refresh)
{
  fulcrum_store_save_async (refresh->self->store, NULL, config_saved_cb, refresh);
}

/* The grant is gone: say so on the account, where the user sees it, and never try it
 * again until the account is linked again. */
static void
refresh_relink (FulcrumTokenRefresh *refresh,
                FulcrumOAuthError    code,
                const char          *message)
{
  FulcrumTokenManager *self = refresh->self;
  FulcrumTokenAccountState *state = refresh_get_state (refresh);

  g_clear_pointer (&state->tokens, fulcrum_token_set_free);
  g_clear_pointer (&refresh->lock, fulcrum_refresh_lock_release);

  fulcrum_linked_account_set_status (refresh->account, FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK);
  fulcrum_linked_account_set_status_message (refresh->account, message);
  fulcrum_store_item_changed (self->store, G_OBJECT (refresh->account));

  refresh->error = g_error_new_literal (FULCRUM_OAUTH_ERROR, code, message);
  refresh_save_and_finish (refresh);
}

static char *
with_relink_advice (const char *message)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (message));
  gsize len = strlen (trimmed);

  if (len > 0 && trimmed[len - 1] == '.')
    trimmed[len - 1] = '\0';

  return g_strdup_printf (_("%s. Link the account again."), trimmed);
}

/* Sorts what the token endpoint said into: the grant is dead (re-link), or try later. */
static void
refresh_endpoint_failed (FulcrumTokenRefresh *refresh,
                         GError              *error)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_GRANT))
    {
      refresh_relink (refresh, FULCRUM_OAUTH_ERROR_NEEDS_RELINK, error->message);
    }
  else if (g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_CLIENT))
    {
      FulcrumConnectorProfile *profile = fulcrum_store_find_profile (refresh->self->store,
                                                                     refresh->profile_id);
      const char *name = profile ? fulcrum_connector_profile_get_name (profile) : NULL;
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Connector profile “%s”: %s"),
                                 name && *name ? name : refresh->profile_id, error->message);
      refresh_relink (refresh, FULCRUM_OAUTH_ERROR_INVALID_CLIENT, message);
    }
  else if (g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED))
    {
      refresh_fail (refresh, g_steal_pointer (&owned));
    }
  else if (g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT) ||
           g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE) ||
           error->domain != FULCRUM_OAUTH_ERROR)
    {
      /* Nothing says the grant is dead (an outage, a proxy's page, a bad URL): keep the
       * tokens and the account's status; the caller backs off. */
      refresh_fail (refresh, g_error_new_literal (FULCRUM_OAUTH_ERROR,
                                                  FULCRUM_OAUTH_ERROR_TRANSIENT,
                                                  error->message));
    }
  else
    {
      /* Any other refusal (4xx, an unknown error code): retrying would not help. */
      g_autofree char *message = with_relink_advice (error->message);

      refresh_relink (refresh, FULCRUM_OAUTH_ERROR_NEEDS_RELINK, message);
    }
}

static void
update_account (FulcrumTokenRefresh   *refresh,
                const FulcrumTokenSet *tokens,
                gboolean               refreshed)
{
  FulcrumLinkedAccount *account = refresh->account;
  gint64 expires_at = tokens->expires_at / G_USEC_PER_SEC;
  gboolean changed = FALSE;

  if (fulcrum_linked_account_get_expires_at (account) != expires_at)
    {
      fulcrum_linked_account_set_expires_at (account, expires_at);
      changed = TRUE;
    }

  if (refreshed)
    {
      fulcrum_linked_account_set_last_refresh (account, tokens->obtained_at / G_USEC_PER_SEC);
      changed = TRUE;
    }

  /* Only when the server said which scopes it granted this time. */
  if (refreshed && refresh->fresh_has_scope && tokens->scope != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (tokens->scope, " ", -1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) scopes = NULL;

      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_strv_builder_add (builder, parts[i]);
      scopes = g_strv_builder_end (builder);
      fulcrum_linked_account_set_granted_scopes (account, (const char * const *) scopes);
    }

  if (changed)
    fulcrum_store_item_changed (refresh->self->store, G_OBJECT (account));
}

/* Lever has rotated the refresh token, so the one in the keyring is spent. Without the
 * new one the account cannot be refreshed again, and the new access token must not be
 * used before its refresh token is safe. */
static void
refresh_store_failed (FulcrumTokenRefresh *refresh,
                      const GError        *error)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Lever issued new tokens, but the keyring could not store them (%s). Link the account again."),
                             error->message);
  refresh_relink (refresh, FULCRUM_OAUTH_ERROR_NEEDS_RELINK, message);
}

static void
fresh_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FulcrumTokenRefresh *refresh = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  FulcrumTokenAccountState *state;

  if (!fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &error))
    {
      refresh_store_failed (refresh, error);
      return;
    }

  g_debug ("Account %s: new tokens stored in the keyring", refresh->account_id);

  /* Tell the next process to take the lock what is now in the keyring. */
  digest = fulcrum_refresh_lock_digest (refresh->fresh_blob);
  fulcrum_refresh_lock_set_record (refresh->lock, refresh->fresh->obtained_at, digest);
  g_clear_pointer (&refresh->lock, fulcrum_refresh_lock_release);

  state = refresh_get_state (refresh);
  state_set_tokens (state, refresh->account, fulcrum_token_set_copy (refresh->fresh));
  update_account (refresh, refresh->fresh, TRUE);

  refresh->result = g_steal_pointer (&refresh->fresh);
  refresh_save_and_finish (refresh);
}

static void
token_response_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FulcrumTokenRefresh *refresh = user_data;
  FulcrumTokenManager *self = refresh->self;
  g_autoptr(FulcrumTokenResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  FulcrumTokenSet *fresh;

  response = fulcrum_token_endpoint_post_finish (result, &error);
  if (response == NULL)
    {
      refresh_endpoint_failed (refresh, g_steal_pointer (&error));
      return;
    }

  g_debug ("Account %s: token endpoint answered HTTP %u", refresh->account_id, response->status);

  fresh = fulcrum_token_set_new_from_response (response->status, response->content_type,
                                               response->body, response->body_length,
                                               fulcrum_token_manager_now (self), &error);
  if (fresh == NULL)
    {
      refresh_endpoint_failed (refresh, g_steal_pointer (&error));
      return;
    }
  refresh->fresh = fresh;

  /* RFC 6749 §6: without a new refresh token the old one stays valid; without a scope
   * the grant's scope is unchanged. */
  refresh->fresh_has_scope = fresh->scope != NULL;
  if (fresh->refresh_token == NULL)
    fresh->refresh_token = g_strdup (refresh->stored->refresh_token);
  if (fresh->scope == NULL)
    fresh->scope = g_strdup (refresh->stored->scope);
  if (fresh->token_type == NULL)
    fresh->token_type = g_strdup (refresh->stored->token_type);

  refresh->fresh_blob = fulcrum_token_set_serialize (fresh);

  if (self->store_hook != NULL &&
      !self->store_hook (self, refresh->account, self->store_hook_data, &error))
    {
      refresh_store_failed (refresh, error);
      return;
    }

  fulcrum_secret_store_store_async (self->secrets, FULCRUM_SECRET_KIND_TOKEN_SET,
                                    refresh->profile_id, refresh->account_id,
                                    refresh->fresh_blob, NULL, fresh_stored_cb, refresh);
}

/* Where the refresh request goes; the config may have lost the profile or environment. */
static gboolean
resolve_endpoint (FulcrumTokenRefresh  *refresh,
                  const char          **client_id,
                  const char          **token_url,
                  GError              **error)
{
  FulcrumStore *store = refresh->self->store;
  const char *environment_id = fulcrum_linked_account_get_environment_id (refresh->account);
  FulcrumConnectorProfile *profile = fulcrum_store_find_profile (store, refresh->profile_id);
  FulcrumEnvironment *environment = fulcrum_store_find_environment (store, environment_id);

  *client_id = profile ? fulcrum_connector_profile_get_client_id (profile) : NULL;
  *token_url = environment ? fulcrum_environment_get_token_url (environment) : NULL;

  if (*client_id == NULL || **client_id == '\0' || *token_url == NULL)
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                   _("The account’s connector profile or environment is missing or has no client ID (profile “%s”)"),
                   refresh->profile_id);
      return FALSE;
    }

  return TRUE;
}

static void
send_refresh_request (FulcrumTokenRefresh *refresh)
{
  FulcrumTokenManager *self = refresh->self;
  g_autoptr(GError) error = NULL;
  const char *client_id;
  const char *token_url;

  if (!resolve_endpoint (refresh, &client_id, &token_url, &error))
    {
      refresh_fail (refresh, g_steal_pointer (&error));
      return;
    }

  {
    const char *form[] = {
      "grant_type", "refresh_token",
      "client_id", client_id,
      "client_secret", refresh->client_secret,
      "refresh_token", refresh->stored->refresh_token,
      NULL
    };

    self->n_token_requests++;
    g_debug ("Account %s: refreshing its tokens at %s", refresh->account_id, token_url);
    fulcrum_token_endpoint_post_async (self->session, token_url, form, NULL,
                                       token_response_cb, refresh);
  }
}

static void
keyring_writable_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FulcrumTokenRefresh *refresh = user_data;
  g_autoptr(GError) error = NULL;

  if (!fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &error))
    {
      refresh_fail (refresh, g_error_new (FULCRUM_SECRET_ERROR,
                                          error->domain == FULCRUM_SECRET_ERROR ?
                                          error->code : FULCRUM_SECRET_ERROR_FAILED,
                                          _("The keyring does not take changes right now (%s), so Fulcrum did not refresh the tokens: Lever replaces the refresh token, and the new one could not be kept. Try again later; if another Fulcrum process is running, restart this one."),
                                          error->message));
      return;
    }

  send_refresh_request (refresh);
}

static void
client_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FulcrumTokenRefresh *refresh = user_data;
  FulcrumTokenManager *self = refresh->self;
  g_autoptr(FulcrumSecret) client_secret = NULL;
  g_autoptr(GError) error = NULL;
  const char *client_id;
  const char *token_url;

  client_secret = fulcrum_secret_store_lookup_finish (FULCRUM_SECRET_STORE (object), result,
                                                      &error);
  if (error != NULL)
    {
      refresh_fail (refresh, g_steal_pointer (&error));
      return;
    }

  if (!resolve_endpoint (refresh, &client_id, &token_url, &error))
    {
      refresh_fail (refresh, g_steal_pointer (&error));
      return;
    }

  if (client_secret == NULL)
    {
      FulcrumConnectorProfile *profile = fulcrum_store_find_profile (self->store,
                                                                     refresh->profile_id);
      const char *name = fulcrum_connector_profile_get_name (profile);

      refresh_fail (refresh, g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                                          _("Connector profile “%s” has no client secret in the keyring. Enter it again in the profile."),
                                          name ? name : refresh->profile_id));
      return;
    }
  refresh->client_secret = g_steal_pointer (&client_secret);

  /* Spending the refresh token is safe only if the keyring can take the new one: write
   * the current set back first. (libsecret's file backend, for one, refuses every write
   * once another process changed the file.) */
  fulcrum_secret_store_store_async (self->secrets, FULCRUM_SECRET_KIND_TOKEN_SET,
                                    refresh->profile_id, refresh->account_id,
                                    refresh->stored_blob, NULL, keyring_writable_cb, refresh);
}

/* libsecret's file backend (Flatpak, tests) reads the keyring once per process. If the
 * last process to refresh stored a newer set than the one we just read, refreshing with
 * our copy would reuse a rotated refresh token, and Lever would revoke the whole grant. */
static gboolean
keyring_view_is_stale (FulcrumTokenRefresh   *refresh,
                       const char            *blob,
                       const FulcrumTokenSet *stored)
{
  g_autofree char *digest = NULL;
  const char *recorded_digest;
  gint64 recorded_at;

  if (!fulcrum_refresh_lock_get_record (refresh->lock, &recorded_at, &recorded_digest))
    return FALSE;

  digest = fulcrum_refresh_lock_digest (blob);

  /* A set written without the lock (a new link) is newer than the record: not stale. */
  return strcmp (digest, recorded_digest) != 0 && stored->obtained_at < recorded_at;
}

static gboolean
refresh_needed (FulcrumTokenRefresh *refresh)
{
  FulcrumTokenSet *stored = refresh->stored;
  gint64 now = fulcrum_token_manager_now (refresh->self);

  if (fulcrum_token_set_is_expired (stored, now, FULCRUM_TOKEN_EARLY_EXPIRY_S))
    return TRUE;

  /* Forced after a 401: unless another process refreshed since we last looked. */
  if (refresh->force)
    return refresh->previous == NULL || same_tokens (refresh->previous, stored);

  return FALSE;
}

static void
token_set_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FulcrumTokenRefresh *refresh = user_data;
  FulcrumTokenManager *self = refresh->self;
  g_autoptr(FulcrumSecret) blob = NULL;
  g_autoptr(GError) error = NULL;
  FulcrumTokenAccountState *state;

  blob = fulcrum_secret_store_lookup_finish (FULCRUM_SECRET_STORE (object), result, &error);
  if (error != NULL)
    {
      refresh_fail (refresh, g_steal_pointer (&error));
      return;
    }

  if (blob == NULL)
    {
      refresh_relink (refresh, FULCRUM_OAUTH_ERROR_NEEDS_RELINK,
                      _("The keyring holds no tokens for this account. Link the account again."));
      return;
    }

  refresh->stored = fulcrum_token_set_deserialize (blob, &error);
  if (refresh->stored == NULL)
    {
      refresh_relink (refresh, FULCRUM_OAUTH_ERROR_NEEDS_RELINK, error->message);
      return;
    }

  if (keyring_view_is_stale (refresh, blob, refresh->stored))
    {
      refresh_fail (refresh, g_error_new_literal (FULCRUM_OAUTH_ERROR,
                                                  FULCRUM_OAUTH_ERROR_TRANSIENT,
                                                  _("Another Fulcrum process has refreshed this account’s tokens, and this one still sees the old ones in the keyring. Restart Fulcrum to use the new tokens.")));
      return;
    }

  refresh->decided = TRUE;

  if (!refresh_needed (refresh))
    {
      g_debug ("Account %s: the keyring's tokens are valid", refresh->account_id);
      state = refresh_get_state (refresh);
      state_set_tokens (state, refresh->account, fulcrum_token_set_copy (refresh->stored));
      update_account (refresh, refresh->stored, FALSE);
      refresh->result = g_steal_pointer (&refresh->stored);
      refresh_finish (refresh);
      return;
    }

  refresh->stored_blob = g_steal_pointer (&blob);

  if (refresh->stored->refresh_token == NULL)
    {
      refresh_relink (refresh, FULCRUM_OAUTH_ERROR_NEEDS_RELINK,
                      _("Lever gave this account no refresh token (the profile’s scopes must include offline_access). Link the account again."));
      return;
    }

  fulcrum_secret_store_lookup_async (self->secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET,
                                     refresh->profile_id, NULL, NULL,
                                     client_secret_cb, refresh);
}

static void
lock_acquired_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FulcrumTokenRefresh *refresh = user_data;
  g_autoptr(GError) error = NULL;

  refresh->lock = fulcrum_refresh_lock_acquire_finish (result, &error);
  if (refresh->lock == NULL)
    {
      refresh_fail (refresh, g_steal_pointer (&error));
      return;
    }

  /* Read again under the lock: another process may have refreshed meanwhile. */
  fulcrum_secret_store_lookup_async (refresh->self->secrets, FULCRUM_SECRET_KIND_TOKEN_SET,
                                     refresh->profile_id, refresh->account_id, NULL,
                                     token_set_read_cb, refresh);
}

/* Entry points for fulcrum-token-manager.c */

FulcrumTokenRefresh *
fulcrum_token_refresh_start (FulcrumTokenManager      *self,
                             FulcrumLinkedAccount     *account,
                             FulcrumTokenAccountState *state,
                             gboolean                  force)
{
  FulcrumTokenRefresh *refresh = g_new0 (FulcrumTokenRefresh, 1);

  g_assert (state->refresh == NULL);

  refresh->self = g_object_ref (self);
  refresh->account = g_object_ref (account);
  refresh->key = fulcrum_token_account_key (account);
  refresh->profile_id = g_strdup (fulcrum_linked_account_get_profile_id (account));
  refresh->account_id = g_strdup (fulcrum_linked_account_get_id (account));
  refresh->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  refresh->force = !!force;
  if (state->tokens != NULL)
    refresh->previous = fulcrum_token_set_copy (state->tokens);
  state->refresh = refresh;

  fulcrum_refresh_lock_acquire_async (refresh->profile_id, refresh->account_id, LOCK_TIMEOUT_MS,
                                      NULL, lock_acquired_cb, refresh);

  return refresh;
}

void
fulcrum_token_refresh_add_waiter (FulcrumTokenRefresh    *refresh,
                                  GTask                  *task,
                                  FulcrumTokenWaiterKind  kind,
                                  gboolean                force,
                                  GCancellable           *cancellable)
{
  Waiter *waiter = g_new0 (Waiter, 1);

  /* A forced caller (after a 401) joining a pass that has not decided yet makes it
   * refresh. A pass that has decided is refreshing already (what that caller wants), or
   * failing (which it would too). */
  if (force && !refresh->decided)
    refresh->force = TRUE;

  waiter->refresh = refresh;
  waiter->kind = kind;
  g_task_set_task_data (task, waiter, (GDestroyNotify) waiter_free);
  g_ptr_array_add (refresh->waiters, g_object_ref (task));

  if (cancellable != NULL)
    {
      waiter->cancellable = g_object_ref (cancellable);
      waiter->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled_cb),
                                                    task, NULL);
    }
}
