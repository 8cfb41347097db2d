/* fulcrum-ui-test-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fulcrum-sim-builtin.h"
#include "fulcrum-test-util.h"
#include "fulcrum-ui-test-sim.h"
#include "fulcrum-ui-test-util.h"

typedef struct
{
  gboolean  done;
  char     *secret;
  GError   *error;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->secret = fulcrum_secret_store_lookup_finish (FULCRUM_SECRET_STORE (object), result,
                                                       &lookup->error);
  lookup->done = TRUE;
}

char *
ui_lookup_secret (FulcrumSecretKind  kind,
                  const char        *profile_id,
                  const char        *account_id)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  Lookup lookup = { FALSE, NULL, NULL };

  fulcrum_secret_store_lookup_async (secrets, kind, profile_id, account_id, NULL, lookup_cb,
                                     &lookup);
  fulcrum_test_wait_for (&lookup.done, WAIT_MS);
  g_assert_no_error (lookup.error);

  return lookup.secret;
}

FulcrumTokenSet *
ui_lookup_tokens (FulcrumLinkedAccount *account)
{
  g_autoptr(FulcrumSecret) blob = NULL;
  g_autoptr(GError) error = NULL;
  FulcrumTokenSet *token_set;

  blob = ui_lookup_secret (FULCRUM_SECRET_KIND_TOKEN_SET,
                           fulcrum_linked_account_get_profile_id (account),
                           fulcrum_linked_account_get_id (account));
  if (blob == NULL)
    return NULL;

  token_set = fulcrum_token_set_deserialize (blob, &error);
  g_assert_no_error (error);
  return token_set;
}

static void
sim_secret_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->secret = fulcrum_sim_builtin_get_secret_finish (result, &lookup->error);
  lookup->done = TRUE;
}

void
ui_sim_use_redirect_port (FulcrumStore            *store,
                          FulcrumConnectorProfile *profile,
                          guint                    port)
{
  Lookup lookup = { FALSE, NULL, NULL };
  g_autofree char *default_uri = fulcrum_sim_builtin_dup_redirect_uri ();
  g_autofree char *test_uri = g_strdup_printf ("http://127.0.0.1:%u/callback/%s", port,
                                               FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  const char *uris[] = { default_uri, test_uri, NULL };
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (fulcrum_sim_builtin_get_server ());

  fulcrum_sim_builtin_get_secret_async (secrets, NULL, sim_secret_cb, &lookup);
  fulcrum_test_wait_for (&lookup.done, WAIT_MS);
  g_assert_no_error (lookup.error);

  fulcrum_sim_server_add_app (fulcrum_sim_builtin_get_server (), FULCRUM_SIM_BUILTIN_CLIENT_ID,
                              lookup.secret, uris, NULL);
  fulcrum_secret_free (lookup.secret);

  fulcrum_connector_profile_set_redirect_uri (profile, test_uri);
  fulcrum_store_item_changed (store, G_OBJECT (profile));
  g_assert_true (fulcrum_store_save (store, &error));
  g_assert_no_error (error);
}
