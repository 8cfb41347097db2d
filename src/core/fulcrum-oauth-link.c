/* fulcrum-oauth-link.c: the whole link, from the wait to the saved account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-oauth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-oauth-private.h"
#include "fulcrum-scopes.h"

/* The tokens go to the keyring first and the account to the config file after: a crash
 * in between leaves an unused keyring item, never an account without tokens. */

typedef struct
{
  FulcrumStore         *store;
  FulcrumSecretStore   *secrets;
  char                 *label;
  char                 *account_id;   /* reserved while the link runs */
  FulcrumTokenSet      *tokens;
  FulcrumLinkedAccount *account;
} Link;

/* Ids handed out to links that have not added their account yet: two links finishing
 * together must not get the same one. */
G_LOCK_DEFINE_STATIC (reserved_ids);
static GHashTable *reserved_ids;

static void
release_account_id (const char *id)
{
  G_LOCK (reserved_ids);
  if (reserved_ids != NULL)
    g_hash_table_remove (reserved_ids, id);
  G_UNLOCK (reserved_ids);
}

static char *
reserve_account_id (FulcrumStore *store,
                    const char   *label)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (label) : g_strdup_printf ("%s %u", label, n);
      char *id = fulcrum_store_make_id (store, name);
      gboolean taken;

      G_LOCK (reserved_ids);
      if (reserved_ids == NULL)
        reserved_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      taken = g_hash_table_contains (reserved_ids, id);
      if (!taken)
        g_hash_table_add (reserved_ids, g_strdup (id));
      G_UNLOCK (reserved_ids);

      if (!taken)
        return id;
      g_free (id);
    }
}

static void
link_free (Link *link)
{
  if (link->account_id != NULL)
    release_account_id (link->account_id);

  g_clear_object (&link->store);
  g_clear_object (&link->secrets);
  g_clear_object (&link->account);
  g_clear_pointer (&link->label, g_free);
  g_clear_pointer (&link->account_id, g_free);
  g_clear_pointer (&link->tokens, fulcrum_token_set_free);
  g_free (link);
}

static gboolean
is_blank (const char *str)
{
  return str == NULL || *str == '\0';
}

static char *
default_label (FulcrumOAuthFlow *self,
               FulcrumStore     *store)
{
  FulcrumConnectorProfile *profile = fulcrum_oauth_flow_get_profile (self);
  FulcrumEnvironment *environment = fulcrum_oauth_flow_get_environment (self);
  const char *profile_name = fulcrum_connector_profile_get_name (profile);
  g_autofree char *base = NULL;
  char *label;

  if (is_blank (profile_name))
    profile_name = fulcrum_connector_profile_get_id (profile);

  /* Translators: the default name of a linked account: "<profile> (<environment>)" */
  base = g_strdup_printf (_("%s (%s)"), profile_name, fulcrum_environment_get_name (environment));
  label = g_strdup (base);
  for (guint n = 2; fulcrum_store_find_account (store, label) != NULL; n++)
    {
      g_free (label);
      label = g_strdup_printf ("%s %u", base, n);
    }

  return label;
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED,
                              _("The link was cancelled"));
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Link *link = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!fulcrum_store_save_finish (FULCRUM_STORE (object), result, &error))
    {
      /* The account must not survive in the model either: the next save would write it. */
      fulcrum_store_remove_account (link->store, link->account);
      fulcrum_secret_store_clear_async (link->secrets,
                                        fulcrum_linked_account_get_profile_id (link->account),
                                        link->account_id, NULL, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Linked account “%s” of profile “%s”", link->account_id,
           fulcrum_linked_account_get_profile_id (link->account));
  g_task_return_pointer (task, g_object_ref (link->account), g_object_unref);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FulcrumOAuthFlow *self = g_task_get_source_object (task);
  Link *link = g_task_get_task_data (task);
  FulcrumConnectorProfile *profile = fulcrum_oauth_flow_get_profile (self);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) granted = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &error))
    {
      /* A cancelled or timed-out write may still land. */
      if (g_error_matches (error, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_CANCELLED) ||
          g_error_matches (error, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_TIMEOUT))
        fulcrum_secret_store_clear_async (link->secrets, fulcrum_connector_profile_get_id (profile),
                                          link->account_id, NULL, NULL, NULL);
      if (g_error_matches (error, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_CANCELLED))
        g_task_return_error (task, cancelled_error ());
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The tokens are safe: from here on the link completes even if cancelled. */
  granted = fulcrum_scopes_from_string (link->tokens->scope);
  if (granted[0] == NULL)
    {
      g_clear_pointer (&granted, g_strfreev);
      granted = g_strdupv ((char **) fulcrum_connector_profile_get_scopes (profile));
    }

  link->account = fulcrum_linked_account_new (link->account_id,
                                              fulcrum_connector_profile_get_id (profile),
                                              fulcrum_environment_get_id (fulcrum_oauth_flow_get_environment (self)));
  fulcrum_linked_account_set_label (link->account, link->label);
  fulcrum_linked_account_set_status (link->account, FULCRUM_ACCOUNT_STATUS_ACTIVE);
  fulcrum_linked_account_set_granted_scopes (link->account, (const char * const *) granted);
  fulcrum_linked_account_set_expires_at (link->account, link->tokens->expires_at / G_USEC_PER_SEC);
  fulcrum_linked_account_set_linked_at (link->account, now);
  fulcrum_linked_account_set_last_refresh (link->account, now);
  g_clear_pointer (&link->tokens, fulcrum_token_set_free);

  fulcrum_store_add_account (link->store, link->account);
  fulcrum_store_save_async (link->store, NULL, saved_cb, g_steal_pointer (&task));
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  FulcrumOAuthFlow *self = FULCRUM_OAUTH_FLOW (object);
  g_autoptr(GTask) task = user_data;
  Link *link = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  FulcrumConnectorProfile *profile = fulcrum_oauth_flow_get_profile (self);
  GCancellable *cancellable = g_task_get_cancellable (task);
  char *blob;

  link->tokens = fulcrum_oauth_flow_wait_finish (self, result, &error);
  if (link->tokens == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error (task, cancelled_error ());
      return;
    }

  if (link->label == NULL)
    link->label = default_label (self, link->store);
  link->account_id = reserve_account_id (link->store, link->label);

  blob = fulcrum_token_set_serialize (link->tokens);
  fulcrum_secret_store_store_async (link->secrets, FULCRUM_SECRET_KIND_TOKEN_SET,
                                    fulcrum_connector_profile_get_id (profile), link->account_id,
                                    blob, cancellable, stored_cb,
                                    g_steal_pointer (&task));
  fulcrum_oauth_wipe_free (blob);
}

void
fulcrum_oauth_flow_link_account_async (FulcrumOAuthFlow    *self,
                                       FulcrumStore        *store,
                                       FulcrumSecretStore  *secrets,
                                       const char          *label,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *clean_label = NULL;
  Link *link;

  g_return_if_fail (FULCRUM_IS_OAUTH_FLOW (self));
  g_return_if_fail (FULCRUM_IS_STORE (store));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_oauth_flow_link_account_async);
  g_task_set_check_cancellable (task, FALSE);

  link = g_new0 (Link, 1);
  link->store = g_object_ref (store);
  link->secrets = g_object_ref (secrets);
  g_task_set_task_data (task, link, (GDestroyNotify) link_free);

  clean_label = g_strstrip (g_strdup (label != NULL ? label : ""));

  /* Refused before the user goes through the browser for nothing. */
  if (fulcrum_store_get_read_only (store))
    {
      fulcrum_oauth_flow_cancel (self);
      g_task_return_new_error (task, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_READ_ONLY,
                               _("The configuration is read only, so no account can be linked"));
      return;
    }

  if (*clean_label != '\0' && fulcrum_store_find_account (store, clean_label) != NULL)
    {
      fulcrum_oauth_flow_cancel (self);
      g_task_return_new_error (task, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                               _("An account named “%s” already exists"), clean_label);
      return;
    }

  if (*clean_label != '\0')
    link->label = g_steal_pointer (&clean_label);

  fulcrum_oauth_flow_wait_async (self, cancellable, waited_cb, g_steal_pointer (&task));
}

FulcrumLinkedAccount *
fulcrum_oauth_flow_link_account_finish (FulcrumOAuthFlow  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_oauth_flow_link_account_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
