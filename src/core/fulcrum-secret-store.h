/* fulcrum-secret-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FULCRUM_SECRET_ERROR (fulcrum_secret_error_quark ())

typedef enum
{
  /* No keyring: no Secret Service on the bus and no portal. */
  FULCRUM_SECRET_ERROR_UNAVAILABLE,
  /* The keyring is locked and the user did not unlock it. */
  FULCRUM_SECRET_ERROR_LOCKED,
  /* The keyring did not answer within the timeout. */
  FULCRUM_SECRET_ERROR_TIMEOUT,
  FULCRUM_SECRET_ERROR_CANCELLED,
  /* A stored item is not in a format this version understands. */
  FULCRUM_SECRET_ERROR_INVALID,
  FULCRUM_SECRET_ERROR_FAILED,
} FulcrumSecretError;

typedef enum
{
  FULCRUM_SECRET_KIND_CLIENT_SECRET,
  FULCRUM_SECRET_KIND_TOKEN_SET,
} FulcrumSecretKind;

#define FULCRUM_SECRET_DEFAULT_TIMEOUT_MS 15000

#define FULCRUM_TYPE_SECRET_STORE (fulcrum_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumSecretStore, fulcrum_secret_store, FULCRUM, SECRET_STORE, GObject)

GQuark              fulcrum_secret_error_quark      (void);

FulcrumSecretStore *fulcrum_secret_store_new        (void);
guint               fulcrum_secret_store_get_timeout (FulcrumSecretStore *self);
void                fulcrum_secret_store_set_timeout (FulcrumSecretStore *self,
                                                      guint               timeout_ms);

/* @account_id is NULL for a client secret. */
void                fulcrum_secret_store_store_async  (FulcrumSecretStore   *self,
                                                       FulcrumSecretKind     kind,
                                                       const char           *profile_id,
                                                       const char           *account_id,
                                                       const char           *secret,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean            fulcrum_secret_store_store_finish (FulcrumSecretStore   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* Returns NULL without an error when nothing is stored. Free with fulcrum_secret_free(). */
void                fulcrum_secret_store_lookup_async  (FulcrumSecretStore   *self,
                                                        FulcrumSecretKind     kind,
                                                        const char           *profile_id,
                                                        const char           *account_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
char               *fulcrum_secret_store_lookup_finish (FulcrumSecretStore   *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* Clears every item of the profile (and of its accounts), or only the account's items
 * when @account_id is set. */
void                fulcrum_secret_store_clear_async  (FulcrumSecretStore   *self,
                                                       const char           *profile_id,
                                                       const char           *account_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean            fulcrum_secret_store_clear_finish (FulcrumSecretStore   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Wipes the memory before freeing it. */
void                fulcrum_secret_free               (char *secret);

typedef char FulcrumSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumSecret, fulcrum_secret_free)

G_END_DECLS
