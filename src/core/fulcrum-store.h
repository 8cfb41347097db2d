/* fulcrum-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fulcrum-connector-profile.h"
#include "fulcrum-environment.h"
#include "fulcrum-linked-account.h"

G_BEGIN_DECLS

#define FULCRUM_STORE_ERROR (fulcrum_store_error_quark ())

typedef enum
{
  /* The file could not be parsed; it was moved aside and the store starts empty. */
  FULCRUM_STORE_ERROR_CORRUPT,
  /* Written by a newer Fulcrum; the store is read only so that nothing is lost. */
  FULCRUM_STORE_ERROR_NEWER_VERSION,
  FULCRUM_STORE_ERROR_READ_ONLY,
  FULCRUM_STORE_ERROR_DUPLICATE_NAME,
  FULCRUM_STORE_ERROR_IN_USE,
  FULCRUM_STORE_ERROR_NOT_FOUND,
  FULCRUM_STORE_ERROR_IO,
} FulcrumStoreError;

#define FULCRUM_STORE_SCHEMA_VERSION 1

#define FULCRUM_TYPE_STORE (fulcrum_store_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumStore, fulcrum_store, FULCRUM, STORE, GObject)

GQuark                   fulcrum_store_error_quark         (void);

/* @config_dir: NULL for $XDG_CONFIG_HOME/fulcrum */
FulcrumStore            *fulcrum_store_new                 (const char    *config_dir);
const char              *fulcrum_store_get_path            (FulcrumStore  *self);
gboolean                 fulcrum_store_get_read_only       (FulcrumStore  *self);
/* Reads the config file (a missing one is an empty store). On FULCRUM_STORE_ERROR_CORRUPT
 * the store is usable and empty and the error message names where the old file went. */
gboolean                 fulcrum_store_load                (FulcrumStore  *self,
                                                            GError       **error);
/* Atomic and durable. */
gboolean                 fulcrum_store_save                (FulcrumStore  *self,
                                                            GError       **error);
/* Serializes now, writes in a worker thread; a later save always wins over an earlier one. */
void                     fulcrum_store_save_async          (FulcrumStore         *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean                 fulcrum_store_save_finish         (FulcrumStore         *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Built-ins first, then custom environments. Items: FulcrumEnvironment. */
GListModel              *fulcrum_store_get_environments    (FulcrumStore  *self);
/* Items: FulcrumConnectorProfile. */
GListModel              *fulcrum_store_get_profiles        (FulcrumStore  *self);
/* Items: FulcrumLinkedAccount. */
GListModel              *fulcrum_store_get_accounts        (FulcrumStore  *self);

/* Look-ups by id, or else by name (label for accounts), case-insensitive. */
FulcrumEnvironment      *fulcrum_store_find_environment    (FulcrumStore  *self,
                                                            const char    *id_or_name);
FulcrumConnectorProfile *fulcrum_store_find_profile        (FulcrumStore  *self,
                                                            const char    *id_or_name);
FulcrumLinkedAccount    *fulcrum_store_find_account        (FulcrumStore  *self,
                                                            const char    *id_or_label);

/* A new id derived from @name ("EU proxy" → "eu-proxy", "eu-proxy-2", …), unique among
 * environments, profiles and accounts. */
char                    *fulcrum_store_make_id             (FulcrumStore  *self,
                                                            const char    *name);

gboolean                 fulcrum_store_add_environment     (FulcrumStore        *self,
                                                            FulcrumEnvironment  *environment,
                                                            GError             **error);
/* Refused for built-ins and for environments that profiles still use. */
gboolean                 fulcrum_store_remove_environment  (FulcrumStore        *self,
                                                            FulcrumEnvironment  *environment,
                                                            GError             **error);
gboolean                 fulcrum_store_add_profile         (FulcrumStore             *self,
                                                            FulcrumConnectorProfile  *profile,
                                                            GError                  **error);
/* Also removes the profile's linked accounts from the model; the caller clears the keyring. */
void                     fulcrum_store_remove_profile      (FulcrumStore             *self,
                                                            FulcrumConnectorProfile  *profile);
void                     fulcrum_store_add_account         (FulcrumStore             *self,
                                                            FulcrumLinkedAccount     *account);
void                     fulcrum_store_remove_account      (FulcrumStore             *self,
                                                            FulcrumLinkedAccount     *account);
/* Tells views that an item changed in place (rename, status change). */
void                     fulcrum_store_item_changed        (FulcrumStore             *self,
                                                            GObject                  *item);

G_END_DECLS
