/* fulcrum-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fulcrum-store-private.h"

struct _FulcrumStore
{
  GObject     parent_instance;

  char       *dir;
  char       *path;
  GListStore *environments;
  GListStore *profiles;
  GListStore *accounts;

  /* Serializes the worker threads' writes; a write older than the last one is dropped. */
  GMutex      write_lock;
  guint64     next_generation;
  guint64     written_generation;

  guint       read_only : 1;
};

G_DEFINE_FINAL_TYPE (FulcrumStore, fulcrum_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (fulcrum-store-error-quark, fulcrum_store_error)

typedef struct
{
  char    *contents;
  guint64  generation;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->contents);
  g_free (job);
}

static void
fulcrum_store_finalize (GObject *object)
{
  FulcrumStore *self = (FulcrumStore *) object;

  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->environments);
  g_clear_object (&self->profiles);
  g_clear_object (&self->accounts);
  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (fulcrum_store_parent_class)->finalize (object);
}

static void
fulcrum_store_class_init (FulcrumStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fulcrum_store_finalize;
}

static void
add_builtins (FulcrumStore *self)
{
  static const FulcrumEnvironmentKind kinds[] = {
    FULCRUM_ENVIRONMENT_KIND_PRODUCTION,
    FULCRUM_ENVIRONMENT_KIND_SANDBOX,
    FULCRUM_ENVIRONMENT_KIND_SIMULATOR,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(FulcrumEnvironment) env = fulcrum_environment_new_builtin (kinds[i]);

      g_list_store_append (self->environments, env);
    }
}

static void
fulcrum_store_init (FulcrumStore *self)
{
  self->environments = g_list_store_new (FULCRUM_TYPE_ENVIRONMENT);
  self->profiles = g_list_store_new (FULCRUM_TYPE_CONNECTOR_PROFILE);
  self->accounts = g_list_store_new (FULCRUM_TYPE_LINKED_ACCOUNT);
  g_mutex_init (&self->write_lock);
  add_builtins (self);
}

FulcrumStore *
fulcrum_store_new (const char *config_dir)
{
  FulcrumStore *self = g_object_new (FULCRUM_TYPE_STORE, NULL);

  if (config_dir != NULL)
    self->dir = g_strdup (config_dir);
  else
    self->dir = g_build_filename (g_get_user_config_dir (), "fulcrum", NULL);
  self->path = g_build_filename (self->dir, "config.json", NULL);

  return self;
}

const char *
fulcrum_store_get_path (FulcrumStore *self)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), NULL);
  return self->path;
}

gboolean
fulcrum_store_get_read_only (FulcrumStore *self)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), TRUE);
  return self->read_only;
}

static void
clear_models (FulcrumStore *self)
{
  g_list_store_remove_all (self->accounts);
  g_list_store_remove_all (self->profiles);
  g_list_store_remove_all (self->environments);
  add_builtins (self);
}


/* Moves an unreadable config aside so that nothing the user had is lost. */
static char *
move_aside (FulcrumStore  *self,
            GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);

  for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, n);
    }

  if (g_rename (self->path, target) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not move the damaged settings file %s aside: %s"),
                   self->path, g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&target);
}

gboolean
fulcrum_store_load (FulcrumStore  *self,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) envs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  gboolean newer = FALSE;
  gsize length = 0;

  g_return_val_if_fail (FULCRUM_IS_STORE (self), FALSE);

  self->read_only = FALSE;
  clear_models (self);

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;

      /* Cannot read it, so never write over it either. */
      self->read_only = TRUE;
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_IO,
                   _("Could not read the settings file: %s. Changes will not be saved until this is fixed."),
                   local_error->message);
      return FALSE;
    }

  if (fulcrum_store_parse_config (contents, length, envs, profiles, accounts, &newer, &local_error))
    {
      clear_models (self);
      g_list_store_splice (self->environments,
                           g_list_model_get_n_items (G_LIST_MODEL (self->environments)),
                           0, envs->pdata, envs->len);
      g_list_store_splice (self->profiles, 0, 0, profiles->pdata, profiles->len);
      g_list_store_splice (self->accounts, 0, 0, accounts->pdata, accounts->len);
      return TRUE;
    }

  if (newer)
    {
      self->read_only = TRUE;
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_NEWER_VERSION,
                   _("The settings file %s was written by a newer version of Fulcrum. It is shown read only so that nothing in it is lost."),
                   self->path);
      return FALSE;
    }

  if (!(aside = move_aside (self, error)))
    {
      self->read_only = TRUE;
      return FALSE;
    }

  g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_CORRUPT,
               _("The settings file could not be read (%s). It was moved to %s and Fulcrum started with empty settings; secrets in the keyring were not touched."),
               local_error->message, aside);
  return FALSE;
}


static gboolean
write_contents (FulcrumStore  *self,
                const char    *contents,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_IO,
                   _("Could not create the settings folder %s: %s"),
                   self->dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_file_set_contents_full (self->path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_IO,
                   _("Could not save the settings: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_writable (FulcrumStore  *self,
                GError       **error)
{
  if (self->read_only)
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_READ_ONLY,
                   _("The settings file %s cannot be changed by this version of Fulcrum, so the change was not saved"),
                   self->path);
      return FALSE;
    }

  return TRUE;
}

gboolean
fulcrum_store_save (FulcrumStore  *self,
                    GError       **error)
{
  g_autofree char *contents = NULL;
  gboolean ret;

  g_return_val_if_fail (FULCRUM_IS_STORE (self), FALSE);

  if (!check_writable (self, error))
    return FALSE;

  contents = fulcrum_store_serialize_config (G_LIST_MODEL (self->environments),
                                            G_LIST_MODEL (self->profiles),
                                            G_LIST_MODEL (self->accounts));

  g_mutex_lock (&self->write_lock);
  ret = write_contents (self, contents, error);
  self->written_generation = ++self->next_generation;
  g_mutex_unlock (&self->write_lock);

  return ret;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FulcrumStore *self = source_object;
  SaveJob *job = task_data;
  GError *error = NULL;
  gboolean ok = TRUE;

  g_mutex_lock (&self->write_lock);
  if (job->generation > self->written_generation)
    {
      ok = write_contents (self, job->contents, &error);
      if (ok)
        self->written_generation = job->generation;
    }
  g_mutex_unlock (&self->write_lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
fulcrum_store_save_async (FulcrumStore        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SaveJob *job;

  g_return_if_fail (FULCRUM_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_store_save_async);

  if (!check_writable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Serialize on the caller's thread: the models are not thread-safe. */
  job = g_new0 (SaveJob, 1);
  job->contents = fulcrum_store_serialize_config (G_LIST_MODEL (self->environments),
                                                 G_LIST_MODEL (self->profiles),
                                                 G_LIST_MODEL (self->accounts));
  g_mutex_lock (&self->write_lock);
  job->generation = ++self->next_generation;
  g_mutex_unlock (&self->write_lock);

  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
fulcrum_store_save_finish (FulcrumStore  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_store_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GListModel *
fulcrum_store_get_environments (FulcrumStore *self)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->environments);
}

GListModel *
fulcrum_store_get_profiles (FulcrumStore *self)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->profiles);
}

GListModel *
fulcrum_store_get_accounts (FulcrumStore *self)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

static gboolean
names_match (const char *a,
             const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;

  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb) == 0;
}

/* Finds by id first, then by name; borrowed reference. */
static gpointer
find_in (GListStore  *store,
         const char  *id_or_name,
         const char *(*get_id) (gpointer),
         const char *(*get_name) (gpointer))
{
  GListModel *model = G_LIST_MODEL (store);
  guint n = g_list_model_get_n_items (model);

  if (id_or_name == NULL)
    return NULL;

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (model, i);
        const char *value = pass == 0 ? get_id (item) : get_name (item);

        if (pass == 0 ? g_strcmp0 (value, id_or_name) == 0 : names_match (value, id_or_name))
          return item;
      }

  return NULL;
}

FulcrumEnvironment *
fulcrum_store_find_environment (FulcrumStore *self,
                                const char   *id_or_name)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), NULL);

  return find_in (self->environments, id_or_name,
                  (gpointer) fulcrum_environment_get_id,
                  (gpointer) fulcrum_environment_get_name);
}

FulcrumConnectorProfile *
fulcrum_store_find_profile (FulcrumStore *self,
                            const char   *id_or_name)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), NULL);

  return find_in (self->profiles, id_or_name,
                  (gpointer) fulcrum_connector_profile_get_id,
                  (gpointer) fulcrum_connector_profile_get_name);
}

FulcrumLinkedAccount *
fulcrum_store_find_account (FulcrumStore *self,
                            const char   *id_or_label)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), NULL);

  return find_in (self->accounts, id_or_label,
                  (gpointer) fulcrum_linked_account_get_id,
                  (gpointer) fulcrum_linked_account_get_label);
}

static gboolean
id_in_use (FulcrumStore *self,
           const char   *id)
{
  return find_in (self->environments, id, (gpointer) fulcrum_environment_get_id,
                  (gpointer) fulcrum_environment_get_id) != NULL ||
         find_in (self->profiles, id, (gpointer) fulcrum_connector_profile_get_id,
                  (gpointer) fulcrum_connector_profile_get_id) != NULL ||
         find_in (self->accounts, id, (gpointer) fulcrum_linked_account_get_id,
                  (gpointer) fulcrum_linked_account_get_id) != NULL;
}

char *
fulcrum_store_make_id (FulcrumStore *self,
                       const char   *name)
{
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;
  GString *slug = g_string_new (NULL);
  g_autofree char *base = NULL;
  char *id;

  g_return_val_if_fail (FULCRUM_IS_STORE (self), NULL);

  ascii = g_str_to_ascii (name ? name : "", NULL);
  lower = g_ascii_strdown (ascii, -1);
  for (const char *p = lower; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, *p);
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
      if (slug->len >= 40)
        break;
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "item");

  base = g_string_free (slug, FALSE);
  id = g_strdup (base);
  for (guint n = 2; id_in_use (self, id); n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", base, n);
    }

  return id;
}

static gboolean
name_taken (GListStore  *store,
            gpointer     except,
            const char  *name,
            const char *(*get_name) (gpointer))
{
  GListModel *model = G_LIST_MODEL (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      /* Look-ups by name ignore case, so names must differ by more than case. */
      if (item != except && names_match (get_name (item), name))
        return TRUE;
    }

  return FALSE;
}

gboolean
fulcrum_store_add_environment (FulcrumStore        *self,
                               FulcrumEnvironment  *environment,
                               GError             **error)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), FALSE);
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (environment), FALSE);

  if (!check_writable (self, error))
    return FALSE;

  if (name_taken (self->environments, environment, fulcrum_environment_get_name (environment),
                  (gpointer) fulcrum_environment_get_name))
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                   _("An environment named “%s” already exists"),
                   fulcrum_environment_get_name (environment));
      return FALSE;
    }

  if (id_in_use (self, fulcrum_environment_get_id (environment)))
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                   _("The id “%s” is already in use"), fulcrum_environment_get_id (environment));
      return FALSE;
    }

  g_list_store_append (self->environments, environment);
  return TRUE;
}

gboolean
fulcrum_store_remove_environment (FulcrumStore        *self,
                                  FulcrumEnvironment  *environment,
                                  GError             **error)
{
  GListModel *profiles;
  guint position;

  g_return_val_if_fail (FULCRUM_IS_STORE (self), FALSE);
  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (environment), FALSE);

  if (!check_writable (self, error))
    return FALSE;

  if (fulcrum_environment_is_builtin (environment))
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_IN_USE,
                   _("“%s” is built in and cannot be removed"),
                   fulcrum_environment_get_name (environment));
      return FALSE;
    }

  profiles = G_LIST_MODEL (self->profiles);
  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(FulcrumConnectorProfile) profile = g_list_model_get_item (profiles, i);

      if (g_strcmp0 (fulcrum_connector_profile_get_environment_id (profile),
                     fulcrum_environment_get_id (environment)) == 0)
        {
          g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_IN_USE,
                       _("The environment “%s” is used by the connector profile “%s”; delete the profile first"),
                       fulcrum_environment_get_name (environment),
                       fulcrum_connector_profile_get_name (profile));
          return FALSE;
        }
    }

  if (!g_list_store_find (self->environments, environment, &position))
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_NOT_FOUND,
                   _("The environment “%s” is not in the settings"),
                   fulcrum_environment_get_name (environment));
      return FALSE;
    }

  g_list_store_remove (self->environments, position);
  return TRUE;
}

gboolean
fulcrum_store_add_profile (FulcrumStore             *self,
                           FulcrumConnectorProfile  *profile,
                           GError                  **error)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (self), FALSE);
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (profile), FALSE);

  if (!check_writable (self, error))
    return FALSE;

  if (name_taken (self->profiles, profile, fulcrum_connector_profile_get_name (profile),
                  (gpointer) fulcrum_connector_profile_get_name))
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                   _("A connector profile named “%s” already exists"),
                   fulcrum_connector_profile_get_name (profile));
      return FALSE;
    }

  if (id_in_use (self, fulcrum_connector_profile_get_id (profile)))
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                   _("The id “%s” is already in use"), fulcrum_connector_profile_get_id (profile));
      return FALSE;
    }

  if (fulcrum_store_find_environment (self, fulcrum_connector_profile_get_environment_id (profile)) == NULL)
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_NOT_FOUND,
                   _("There is no environment “%s”"),
                   fulcrum_connector_profile_get_environment_id (profile));
      return FALSE;
    }

  g_list_store_append (self->profiles, profile);
  return TRUE;
}

void
fulcrum_store_remove_profile (FulcrumStore            *self,
                              FulcrumConnectorProfile *profile)
{
  GListModel *accounts;
  guint position;

  g_return_if_fail (FULCRUM_IS_STORE (self));
  g_return_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (profile));

  accounts = G_LIST_MODEL (self->accounts);
  for (guint i = g_list_model_get_n_items (accounts); i > 0; i--)
    {
      g_autoptr(FulcrumLinkedAccount) account = g_list_model_get_item (accounts, i - 1);

      if (g_strcmp0 (fulcrum_linked_account_get_profile_id (account),
                     fulcrum_connector_profile_get_id (profile)) == 0)
        g_list_store_remove (self->accounts, i - 1);
    }

  if (g_list_store_find (self->profiles, profile, &position))
    g_list_store_remove (self->profiles, position);
}

void
fulcrum_store_add_account (FulcrumStore         *self,
                           FulcrumLinkedAccount *account)
{
  g_return_if_fail (FULCRUM_IS_STORE (self));
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account));

  g_list_store_append (self->accounts, account);
}

void
fulcrum_store_remove_account (FulcrumStore         *self,
                              FulcrumLinkedAccount *account)
{
  guint position;

  g_return_if_fail (FULCRUM_IS_STORE (self));
  g_return_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account));

  if (g_list_store_find (self->accounts, account, &position))
    g_list_store_remove (self->accounts, position);
}

void
fulcrum_store_item_changed (FulcrumStore *self,
                            GObject      *item)
{
  GListStore *stores[3];
  guint position;

  g_return_if_fail (FULCRUM_IS_STORE (self));
  g_return_if_fail (G_IS_OBJECT (item));

  stores[0] = self->environments;
  stores[1] = self->profiles;
  stores[2] = self->accounts;

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      GType type = g_list_model_get_item_type (G_LIST_MODEL (stores[i]));

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type) && g_list_store_find (stores[i], item, &position))
        g_list_model_items_changed (G_LIST_MODEL (stores[i]), position, 1, 1);
    }
}
