/* fulcrum-refresh-lock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The lock that lets one process at a time refresh an account's tokens: flock() on
 * $XDG_RUNTIME_DIR/fulcrum/refresh-<hash>.lock, taken in a worker thread. The file also
 * holds a small record of the last token set stored under the lock (its obtained-at time
 * and a digest of the keyring blob, never a token), so that a process can tell that its
 * own view of the keyring is older than what another process wrote. */
typedef struct _FulcrumRefreshLock FulcrumRefreshLock;

/* Polls for the lock until @timeout_ms pass (then FULCRUM_OAUTH_ERROR_TRANSIENT) or
 * @cancellable is cancelled. When the lock file cannot be created at all, the lock is
 * returned without a file: refreshes are then serialized in this process only, and a
 * warning says so. */
void                fulcrum_refresh_lock_acquire_async  (const char           *profile_id,
                                                         const char           *account_id,
                                                         guint                 timeout_ms,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
FulcrumRefreshLock *fulcrum_refresh_lock_acquire_finish (GAsyncResult         *result,
                                                         GError              **error);
/* What the last refresh stored, as read when the lock was taken. FALSE when unknown. */
gboolean            fulcrum_refresh_lock_get_record     (FulcrumRefreshLock   *self,
                                                         gint64               *obtained_at,
                                                         const char          **blob_digest);
void                fulcrum_refresh_lock_set_record     (FulcrumRefreshLock   *self,
                                                         gint64                obtained_at,
                                                         const char           *blob_digest);
/* The digest the record keeps of a keyring blob. */
char               *fulcrum_refresh_lock_digest         (const char           *blob);
/* Releases the lock (closing the file never blocks) and frees @self. */
void                fulcrum_refresh_lock_release        (FulcrumRefreshLock   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumRefreshLock, fulcrum_refresh_lock_release)

G_END_DECLS
