/* fulcrum-token-manager-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fulcrum-token-manager.h"

G_BEGIN_DECLS

/* Test hooks */

/* Called after the token endpoint answered with new tokens and right before they are
 * written to the keyring. Returning FALSE (with @error set) makes that write fail. Tests
 * use it to fail the keyring write, or to end the process there as a crash would. */
typedef gboolean (*FulcrumTokenStoreHook) (FulcrumTokenManager   *self,
                                           FulcrumLinkedAccount  *account,
                                           gpointer               user_data,
                                           GError               **error);

void fulcrum_token_manager_set_store_hook   (FulcrumTokenManager   *self,
                                             FulcrumTokenStoreHook  hook,
                                             gpointer               user_data);
/* Seconds the token request may stall before it counts as a transient failure. */
void fulcrum_token_manager_set_http_timeout (FulcrumTokenManager   *self,
                                             guint                  timeout_s);

/* Shared by fulcrum-token-manager.c and fulcrum-token-refresh.c */

typedef struct _FulcrumTokenRefresh FulcrumTokenRefresh;

typedef enum
{
  FULCRUM_TOKEN_WAITER_TOKEN,     /* answered with the access token */
  FULCRUM_TOKEN_WAITER_REFRESH,   /* answered with TRUE */
} FulcrumTokenWaiterKind;

/* What this process knows of one account's tokens. */
typedef struct
{
  FulcrumTokenSet     *tokens;     /* as confirmed in the keyring; NULL until read under the lock */
  gint64               linked_at;  /* the account's linked_at when @tokens were read */
  FulcrumTokenRefresh *refresh;    /* in flight, or NULL */
} FulcrumTokenAccountState;

struct _FulcrumTokenManager
{
  GObject                parent_instance;

  FulcrumStore          *store;
  FulcrumSecretStore    *secrets;
  SoupSession           *session;
  GHashTable            *accounts;   /* fulcrum_token_account_key () → FulcrumTokenAccountState */
  gulong                 accounts_changed_id;

  FulcrumClockFunc       clock;
  gpointer               clock_data;

  FulcrumTokenStoreHook  store_hook;
  gpointer               store_hook_data;

  guint                  n_token_requests;
};

char                *fulcrum_token_account_key        (FulcrumLinkedAccount     *account);
/* Starts a pass for @state's account (which has none in flight) and sets state->refresh. */
FulcrumTokenRefresh *fulcrum_token_refresh_start      (FulcrumTokenManager      *self,
                                                       FulcrumLinkedAccount     *account,
                                                       FulcrumTokenAccountState *state,
                                                       gboolean                  force);
/* @task (a caller's) is answered when the pass ends, or at once when @cancellable fires. */
void                 fulcrum_token_refresh_add_waiter (FulcrumTokenRefresh      *refresh,
                                                       GTask                    *task,
                                                       FulcrumTokenWaiterKind    kind,
                                                       gboolean                  force,
                                                       GCancellable             *cancellable);

G_END_DECLS
