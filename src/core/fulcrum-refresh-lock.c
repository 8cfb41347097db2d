/* fulcrum-refresh-lock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-tokens"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fulcrum-refresh-lock.h"
#include "fulcrum-token-set.h"

#define RECORD_MAGIC "fulcrum-refresh 1"
#define RECORD_MAX   256

struct _FulcrumRefreshLock
{
  int     fd;            /* -1: no lock file, in-process serialization only */
  char   *path;
  gint64  obtained_at;   /* from the record; 0 when there is none */
  char   *blob_digest;
};

typedef struct
{
  char  *path;
  guint  timeout_ms;
} AcquireData;

static void
acquire_data_free (AcquireData *data)
{
  g_free (data->path);
  g_free (data);
}

static char *
lock_path (const char *profile_id,
           const char *account_id)
{
  g_autofree char *key = g_strconcat (profile_id, "\n", account_id, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = NULL;

  /* Ids come from the config file: hash them into a name that is always a safe one. */
  digest[32] = '\0';
  name = g_strconcat ("refresh-", digest, ".lock", NULL);

  return g_build_filename (g_get_user_runtime_dir (), "fulcrum", name, NULL);
}

static void
read_record (FulcrumRefreshLock *self)
{
  char buf[RECORD_MAX + 1];
  g_auto(GStrv) fields = NULL;
  ssize_t len;

  len = pread (self->fd, buf, RECORD_MAX, 0);
  if (len <= 0)
    return;
  buf[len] = '\0';

  if (!g_str_has_prefix (buf, RECORD_MAGIC " "))
    return;

  fields = g_strsplit (g_strstrip (buf + strlen (RECORD_MAGIC " ")), " ", 3);
  if (g_strv_length (fields) != 2)
    return;

  self->obtained_at = g_ascii_strtoll (fields[0], NULL, 10);
  self->blob_digest = g_strdup (fields[1]);
}

static void
acquire_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AcquireData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  FulcrumRefreshLock *self = g_new0 (FulcrumRefreshLock, 1);
  gint64 deadline = g_get_monotonic_time () + (gint64) data->timeout_ms * 1000;
  gulong sleep_us = 2000;

  self->fd = -1;
  self->path = g_strdup (data->path);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (self->fd = g_open (data->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
    {
      int saved_errno = errno;

      g_warning ("Cannot create the token refresh lock %s (%s): another Fulcrum process "
                 "could refresh the same account at the same time",
                 data->path, g_strerror (saved_errno));
      g_task_return_pointer (task, self, (GDestroyNotify) fulcrum_refresh_lock_release);
      return;
    }

  /* flock() cannot time out or be cancelled: poll, backing off up to 50 ms. */
  while (flock (self->fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved_errno = errno;

          g_warning ("Cannot lock %s (%s): another Fulcrum process could refresh the same "
                     "account at the same time", data->path, g_strerror (saved_errno));
          close (self->fd);
          self->fd = -1;
          g_task_return_pointer (task, self, (GDestroyNotify) fulcrum_refresh_lock_release);
          return;
        }

      if (g_cancellable_set_error_if_cancelled (cancellable, NULL))
        {
          fulcrum_refresh_lock_release (self);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("Waiting for the token refresh lock was cancelled"));
          return;
        }

      if (g_get_monotonic_time () >= deadline)
        {
          fulcrum_refresh_lock_release (self);
          g_task_return_new_error (task, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT,
                                   _("Another Fulcrum process has been refreshing this account’s tokens for too long. Try again later."));
          return;
        }

      g_usleep (sleep_us);
      sleep_us = MIN (sleep_us * 2, 50000);
    }

  read_record (self);
  g_task_return_pointer (task, self, (GDestroyNotify) fulcrum_refresh_lock_release);
}

void
fulcrum_refresh_lock_acquire_async (const char          *profile_id,
                                    const char          *account_id,
                                    guint                timeout_ms,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AcquireData *data;

  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (account_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_refresh_lock_acquire_async);
  /* A lock taken after the caller gave up must still be released: the result is ours. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (AcquireData, 1);
  data->path = lock_path (profile_id, account_id);
  data->timeout_ms = timeout_ms;
  g_task_set_task_data (task, data, (GDestroyNotify) acquire_data_free);

  g_task_run_in_thread (task, acquire_thread);
}

FulcrumRefreshLock *
fulcrum_refresh_lock_acquire_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fulcrum_refresh_lock_acquire_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
fulcrum_refresh_lock_get_record (FulcrumRefreshLock  *self,
                                 gint64              *obtained_at,
                                 const char         **blob_digest)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->blob_digest == NULL)
    return FALSE;

  if (obtained_at != NULL)
    *obtained_at = self->obtained_at;
  if (blob_digest != NULL)
    *blob_digest = self->blob_digest;

  return TRUE;
}

void
fulcrum_refresh_lock_set_record (FulcrumRefreshLock *self,
                                 gint64              obtained_at,
                                 const char         *blob_digest)
{
  g_autofree char *record = NULL;
  gsize len;

  g_return_if_fail (self != NULL);
  g_return_if_fail (blob_digest != NULL && strchr (blob_digest, ' ') == NULL);

  self->obtained_at = obtained_at;
  g_free (self->blob_digest);
  self->blob_digest = g_strdup (blob_digest);

  if (self->fd < 0)
    return;

  /* A few bytes on the runtime dir's tmpfs, written while we hold the lock. */
  record = g_strdup_printf (RECORD_MAGIC " %" G_GINT64_FORMAT " %s\n", obtained_at, blob_digest);
  len = strlen (record);
  if (ftruncate (self->fd, 0) != 0 || pwrite (self->fd, record, len, 0) != (ssize_t) len)
    {
      int saved_errno = errno;

      g_warning ("Cannot write the token refresh record %s: %s", self->path,
                 g_strerror (saved_errno));
    }
}

char *
fulcrum_refresh_lock_digest (const char *blob)
{
  char *digest;

  g_return_val_if_fail (blob != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, blob, -1);
  digest[32] = '\0';

  return digest;
}

void
fulcrum_refresh_lock_release (FulcrumRefreshLock *self)
{
  if (self == NULL)
    return;

  /* Closing the only descriptor of the open file releases the flock(). */
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  g_free (self->blob_digest);
  g_free (self);
}
