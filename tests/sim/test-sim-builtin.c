/* test-sim-builtin.c
 *
 * The built-in Simulator environment: one-click profile, started in process when needed,
 * shared with a simulator another Fulcrum process already runs, and a clear error when the
 * port belongs to something else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "fulcrum-sim-builtin.h"
#include "fulcrum-test-util.h"

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  w->done = TRUE;
}

static FulcrumEnvironment *
simulator_at (guint port)
{
  g_autofree char *value = g_strdup_printf ("%u", port);

  g_setenv ("FULCRUM_SIMULATOR_PORT", value, TRUE);
  return fulcrum_environment_new_builtin (FULCRUM_ENVIRONMENT_KIND_SIMULATOR);
}

static gboolean
ensure (FulcrumEnvironment  *env,
        FulcrumSecretStore  *secrets,
        GError             **error)
{
  Wait w = { 0 };
  gboolean ok;

  fulcrum_sim_builtin_ensure_running_async (env, secrets, NULL, wait_cb, &w);
  fulcrum_test_wait_for (&w.done, 20000);
  ok = fulcrum_sim_builtin_ensure_running_finish (w.result, error);
  g_object_unref (w.result);

  return ok;
}

static void
test_one_click_profile_and_start (void)
{
  g_autoptr(FulcrumStore) store = fulcrum_store_new (NULL);
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(FulcrumEnvironment) env = simulator_at (fulcrum_test_free_port ());
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(FulcrumConnectorProfile) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = fulcrum_sim_builtin_dup_redirect_uri ();
  g_autofree char *profile_secret = NULL;
  g_autofree char *app_secret = NULL;
  Wait w = { 0 };

  g_assert_true (fulcrum_store_load (store, &error));

  fulcrum_sim_builtin_create_profile_async (store, secrets, "Try it", NULL, wait_cb, &w);
  fulcrum_test_wait_for (&w.done, 20000);
  profile = fulcrum_sim_builtin_create_profile_finish (w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpstr (fulcrum_connector_profile_get_client_id (profile), ==, FULCRUM_SIM_BUILTIN_CLIENT_ID);
  g_assert_cmpstr (fulcrum_connector_profile_get_environment_id (profile), ==, "simulator");
  g_assert_cmpstr (fulcrum_connector_profile_get_redirect_uri (profile), ==, redirect);
  g_assert_true (fulcrum_connector_profile_get_has_secret (profile));
  g_assert_true (fulcrum_store_find_profile (store, "Try it") == profile);

  /* The profile's secret is the built-in app's, and both live in the keyring only. */
  w.done = FALSE;
  fulcrum_secret_store_lookup_async (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET,
                                     fulcrum_connector_profile_get_id (profile), NULL, NULL,
                                     wait_cb, &w);
  fulcrum_test_wait_for (&w.done, 20000);
  profile_secret = fulcrum_secret_store_lookup_finish (secrets, w.result, &error);
  g_clear_object (&w.result);
  w.done = FALSE;
  fulcrum_sim_builtin_get_secret_async (secrets, NULL, wait_cb, &w);
  fulcrum_test_wait_for (&w.done, 20000);
  app_secret = fulcrum_sim_builtin_get_secret_finish (w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (app_secret), ==, 43);
  g_assert_cmpstr (profile_secret, ==, app_secret);
  g_assert_false (fulcrum_test_dir_contains (g_get_user_config_dir (), app_secret, NULL));

  /* A second profile with the same name is refused before anything is stored. */
  w.done = FALSE;
  fulcrum_sim_builtin_create_profile_async (store, secrets, "try IT", NULL, wait_cb, &w);
  fulcrum_test_wait_for (&w.done, 20000);
  again = fulcrum_sim_builtin_create_profile_finish (w.result, &error);
  g_clear_object (&w.result);
  g_assert_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME);
  g_clear_error (&error);

  /* Started in process when needed, once. */
  g_assert_null (fulcrum_sim_builtin_get_server ());
  g_assert_true (ensure (env, secrets, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fulcrum_sim_builtin_get_server ());
  g_assert_true (fulcrum_sim_server_has_app (fulcrum_sim_builtin_get_server (),
                                             FULCRUM_SIM_BUILTIN_CLIENT_ID));
  g_assert_cmpstr (fulcrum_sim_server_get_api_base (fulcrum_sim_builtin_get_server ()), ==,
                   fulcrum_environment_get_api_base (env));
  g_assert_true (ensure (env, secrets, &error));

  fulcrum_sim_builtin_shutdown ();
  g_assert_null (fulcrum_sim_builtin_get_server ());
}

static void
test_shares_another_process_simulator (void)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(FulcrumSimServer) other = fulcrum_sim_server_new ();
  g_autoptr(FulcrumEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;

  /* As if the window already ran it. */
  g_assert_true (fulcrum_sim_server_start_thread (other, 0, &error));
  env = simulator_at (fulcrum_sim_server_get_port (other));

  g_assert_true (ensure (env, secrets, &error));
  g_assert_no_error (error);
  g_assert_null (fulcrum_sim_builtin_get_server ());
  fulcrum_sim_server_stop (other);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>hi</html>", 15);
}

static void
test_port_taken_by_something_else (void)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(FulcrumEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *port_text = NULL;
  guint port;

  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  env = simulator_at (port);

  g_assert_false (ensure (env, secrets, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  port_text = g_strdup_printf ("%u", port);
  g_assert_nonnull (strstr (error->message, port_text));
  g_assert_null (fulcrum_sim_builtin_get_server ());
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-builtin/one-click-profile-and-start", test_one_click_profile_and_start);
  g_test_add_func ("/sim-builtin/shares-another-process", test_shares_another_process_simulator);
  g_test_add_func ("/sim-builtin/port-taken", test_port_taken_by_something_else);

  return g_test_run ();
}
