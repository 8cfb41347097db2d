/* fulcrum-profile-commit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-profile-commit"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-profile-commit.h"

typedef struct
{
  FulcrumStore            *store;
  FulcrumSecretStore      *secrets;
  FulcrumConnectorProfile *profile;   /* NULL for a new profile */
  FulcrumConnectorProfile *changes;
  gboolean                 secret_stored;
} Commit;

static void
commit_free (Commit *commit)
{
  g_clear_object (&commit->store);
  g_clear_object (&commit->secrets);
  g_clear_object (&commit->profile);
  g_clear_object (&commit->changes);
  g_free (commit);
}

static void
copy_fields (FulcrumConnectorProfile *to,
             FulcrumConnectorProfile *from)
{
  const char *environment_id = fulcrum_connector_profile_get_environment_id (from);
  const char *integration_name = fulcrum_connector_profile_get_integration_name (from);
  const char *description = fulcrum_connector_profile_get_description (from);
  const char *redirect_uri = fulcrum_connector_profile_get_redirect_uri (from);

  fulcrum_connector_profile_set_environment_id (to, environment_id);
  fulcrum_connector_profile_set_name (to, fulcrum_connector_profile_get_name (from));
  fulcrum_connector_profile_set_client_id (to, fulcrum_connector_profile_get_client_id (from));
  fulcrum_connector_profile_set_scopes (to, fulcrum_connector_profile_get_scopes (from), NULL);
  fulcrum_connector_profile_set_enabled_actions (to,
                                                 fulcrum_connector_profile_get_enabled_actions (from));
  fulcrum_connector_profile_set_redirect_uri (to, redirect_uri);
  fulcrum_connector_profile_set_integration_name (to, integration_name);
  fulcrum_connector_profile_set_description (to, description);
  fulcrum_connector_profile_set_logo_url (to, fulcrum_connector_profile_get_logo_url (from));
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Commit *commit = g_task_get_task_data (task);
  GError *error = NULL;

  if (!fulcrum_store_save_finish (FULCRUM_STORE (object), result, &error))
    {
      g_prefix_error (&error, "%s", _("Could not save the configuration: "));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_object_ref (commit->profile), g_object_unref);
}

static void
clear_orphan_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fulcrum_secret_store_clear_finish (FULCRUM_SECRET_STORE (object), result, &error))
    g_warning ("Could not remove an unused client secret from the keyring: %s", error->message);
}

static void
apply_and_save (GTask *task)
{
  Commit *commit = g_task_get_task_data (task);
  GError *error = NULL;

  if (commit->profile == NULL)
    {
      fulcrum_connector_profile_set_has_secret (commit->changes, commit->secret_stored);
      if (!fulcrum_store_add_profile (commit->store, commit->changes, &error))
        {
          /* Leave no secret behind for a profile that never came to be. */
          if (commit->secret_stored)
            fulcrum_secret_store_clear_async (commit->secrets,
                                              fulcrum_connector_profile_get_id (commit->changes),
                                              NULL, NULL, clear_orphan_cb, NULL);
          g_prefix_error (&error, "%s", _("Could not add the profile: "));
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      commit->profile = g_object_ref (commit->changes);
    }
  else
    {
      copy_fields (commit->profile, commit->changes);
      if (commit->secret_stored)
        fulcrum_connector_profile_set_has_secret (commit->profile, TRUE);
      fulcrum_store_item_changed (commit->store, G_OBJECT (commit->profile));
    }

  /* Not cancellable: the model has changed, the file must follow. */
  fulcrum_store_save_async (commit->store, NULL, save_cb, task);
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Commit *commit = g_task_get_task_data (task);
  GError *error = NULL;

  if (!fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &error))
    {
      g_prefix_error (&error, "%s", _("Could not store the client secret in the keyring: "));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  commit->secret_stored = TRUE;
  apply_and_save (task);
}

void
fulcrum_profile_commit_async (FulcrumStore            *store,
                              FulcrumSecretStore      *secrets,
                              FulcrumConnectorProfile *profile,
                              FulcrumConnectorProfile *changes,
                              const char              *secret,
                              GCancellable            *cancellable,
                              GAsyncReadyCallback      callback,
                              gpointer                 user_data)
{
  GTask *task;
  Commit *commit;

  g_return_if_fail (FULCRUM_IS_STORE (store));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));
  g_return_if_fail (!profile || FULCRUM_IS_CONNECTOR_PROFILE (profile));
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (changes));
  g_return_if_fail (!profile || g_strcmp0 (fulcrum_connector_profile_get_id (profile),
                                           fulcrum_connector_profile_get_id (changes)) == 0);

  commit = g_new0 (Commit, 1);
  commit->store = g_object_ref (store);
  commit->secrets = g_object_ref (secrets);
  commit->profile = profile ? g_object_ref (profile) : NULL;
  commit->changes = g_object_ref (changes);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_profile_commit_async);
  g_task_set_task_data (task, commit, (GDestroyNotify) commit_free);
  /* Cancelling stops the keyring step only; a later result is the true outcome. */
  g_task_set_check_cancellable (task, FALSE);

  if (secret != NULL && secret[0] != '\0')
    fulcrum_secret_store_store_async (secrets,
                                      FULCRUM_SECRET_KIND_CLIENT_SECRET,
                                      fulcrum_connector_profile_get_id (changes),
                                      NULL,
                                      secret,
                                      cancellable,
                                      store_secret_cb,
                                      task);
  else
    apply_and_save (task);
}

FulcrumConnectorProfile *
fulcrum_profile_commit_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_profile_commit_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
