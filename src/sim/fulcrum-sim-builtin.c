/* fulcrum-sim-builtin.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim-builtin"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sys/random.h>

#include "fulcrum-sim-builtin.h"

#define PROBE_TIMEOUT_S 3

static FulcrumSimServer *running_server;

/* FULCRUM_SIMULATOR_REDIRECT_PORT moves the built-in app's callback, so that parallel test
 * runs that link accounts never compete for one loopback port. */
char *
fulcrum_sim_builtin_dup_redirect_uri (void)
{
  const char *env = g_getenv ("FULCRUM_SIMULATOR_REDIRECT_PORT");
  guint64 port = FULCRUM_DEFAULT_REDIRECT_PORT;

  if (env != NULL && !g_ascii_string_to_unsigned (env, 10, 1, 65535, &port, NULL))
    port = FULCRUM_DEFAULT_REDIRECT_PORT;

  return fulcrum_connector_profile_default_redirect_uri (FULCRUM_ENVIRONMENT_ID_SIMULATOR,
                                                         (guint) port);
}

FulcrumSimServer *
fulcrum_sim_builtin_get_server (void)
{
  return running_server;
}

void
fulcrum_sim_builtin_shutdown (void)
{
  if (running_server != NULL)
    fulcrum_sim_server_stop (running_server);
  g_clear_object (&running_server);
}

static char *
new_random_secret (void)
{
  guint8 bytes[32];
  g_autofree char *b64 = NULL;
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      gssize n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      g_assert (n > 0);
      filled += n;
    }

  b64 = g_base64_encode (bytes, sizeof bytes);
  explicit_bzero (bytes, sizeof bytes);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');

  return g_strdup (b64);
}

/* get_secret: look the secret up, or create and store one */

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_strdup (g_task_get_task_data (task)),
                           (GDestroyNotify) fulcrum_secret_free);
}

static void
secret_looked_up_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = fulcrum_secret_store_lookup_finish (FULCRUM_SECRET_STORE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (secret != NULL)
    {
      g_task_return_pointer (task, secret, (GDestroyNotify) fulcrum_secret_free);
      return;
    }

  g_task_set_task_data (task, new_random_secret (), (GDestroyNotify) fulcrum_secret_free);
  fulcrum_secret_store_store_async (FULCRUM_SECRET_STORE (object),
                                    FULCRUM_SECRET_KIND_CLIENT_SECRET,
                                    FULCRUM_SIM_BUILTIN_SECRET_OWNER, NULL,
                                    g_task_get_task_data (task),
                                    g_task_get_cancellable (task),
                                    secret_stored_cb, g_object_ref (task));
}

void
fulcrum_sim_builtin_get_secret_async (FulcrumSecretStore  *secrets,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));

  task = g_task_new (secrets, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_sim_builtin_get_secret_async);

  fulcrum_secret_store_lookup_async (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET,
                                     FULCRUM_SIM_BUILTIN_SECRET_OWNER, NULL, cancellable,
                                     secret_looked_up_cb, g_steal_pointer (&task));
}

char *
fulcrum_sim_builtin_get_secret_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_sim_builtin_get_secret_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ensure_running: probe the port, else start our own */

typedef struct
{
  FulcrumSecretStore *secrets;
  SoupSession        *session;
  char               *base_url;
  guint               port;
} EnsureData;

static void
ensure_data_free (EnsureData *data)
{
  g_clear_object (&data->secrets);
  g_clear_object (&data->session);
  g_free (data->base_url);
  g_free (data);
}

static void
start_with_secret_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FulcrumSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *state_file = NULL;
  g_autofree char *redirect_uri = fulcrum_sim_builtin_dup_redirect_uri ();
  g_autoptr(FulcrumSecret) secret = NULL;
  EnsureData *data = g_task_get_task_data (task);
  const char *redirect_uris[] = { redirect_uri, NULL };

  secret = fulcrum_sim_builtin_get_secret_finish (result, &error);
  if (secret == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (running_server != NULL && fulcrum_sim_server_is_running (running_server))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  state_dir = g_build_filename (g_get_user_data_dir (), "fulcrum", NULL);
  state_file = g_build_filename (state_dir, "simulator-state.json", NULL);
  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not create the simulator’s folder %s"), state_dir);
      return;
    }

  server = fulcrum_sim_server_new ();
  fulcrum_sim_server_set_state_file (server, state_file);
  fulcrum_sim_server_add_app (server, FULCRUM_SIM_BUILTIN_CLIENT_ID, secret, redirect_uris, NULL);
  fulcrum_sim_server_set_app_name (server, FULCRUM_SIM_BUILTIN_CLIENT_ID, _("Fulcrum Simulator App"));

  if (!fulcrum_sim_server_start_thread (server, data->port, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                               _("The built-in simulator could not listen on 127.0.0.1:%u (%s). Another program may use that port; set FULCRUM_SIMULATOR_PORT to move the simulator."),
                               data->port, error->message);
      return;
    }

  g_debug ("Started the built-in simulator at %s", fulcrum_sim_server_get_base_url (server));
  g_set_object (&running_server, server);
  g_task_return_boolean (task, TRUE);
}

static gboolean
is_fulcrum_simulator (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonObject *object;

  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  return g_strcmp0 (json_object_get_string_member_with_default (object, "simulator", NULL),
                    "fulcrum") == 0;
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  EnsureData *data = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (body != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK && is_fulcrum_simulator (body))
    {
      /* Another Fulcrum process (the window, or fulcrumctl) runs it: share it. */
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (body != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                               _("Port %u is used by another program, not by Fulcrum’s simulator. Set FULCRUM_SIMULATOR_PORT to move the simulator."),
                               data->port);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  fulcrum_sim_builtin_get_secret_async (data->secrets, g_task_get_cancellable (task),
                                        start_with_secret_cb, g_object_ref (task));
}

void
fulcrum_sim_builtin_ensure_running_async (FulcrumEnvironment  *environment,
                                          FulcrumSecretStore  *secrets,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *info_url = NULL;
  EnsureData *data;

  g_return_if_fail (FULCRUM_IS_ENVIRONMENT (environment));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_sim_builtin_ensure_running_async);

  if (fulcrum_environment_get_kind (environment) != FULCRUM_ENVIRONMENT_KIND_SIMULATOR)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (running_server != NULL && fulcrum_sim_server_is_running (running_server))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  uri = g_uri_parse (fulcrum_environment_get_authorize_url (environment), G_URI_FLAGS_NONE, NULL);
  g_assert (uri != NULL);

  data = g_new0 (EnsureData, 1);
  data->secrets = g_object_ref (secrets);
  data->port = g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : 80;
  data->base_url = g_strdup_printf ("http://127.0.0.1:%u", data->port);
  data->session = soup_session_new_with_options ("timeout", PROBE_TIMEOUT_S, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) ensure_data_free);

  info_url = g_strconcat (data->base_url, "/_sim/info", NULL);
  msg = soup_message_new (SOUP_METHOD_GET, info_url);
  soup_session_send_and_read_async (data->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    probe_cb, g_steal_pointer (&task));
}

gboolean
fulcrum_sim_builtin_ensure_running_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_sim_builtin_ensure_running_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* create_profile: secret first, then the profile */

typedef struct
{
  FulcrumStore            *store;
  FulcrumSecretStore      *secrets;
  FulcrumConnectorProfile *profile;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->secrets);
  g_clear_object (&data->profile);
  g_free (data);
}

static void
profile_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!fulcrum_store_save_finish (FULCRUM_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (data->profile), g_object_unref);
}

static void
profile_secret_stored_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  fulcrum_connector_profile_set_has_secret (data->profile, TRUE);
  if (!fulcrum_store_add_profile (data->store, data->profile, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  fulcrum_store_save_async (data->store, g_task_get_cancellable (task), profile_saved_cb,
                            g_object_ref (task));
}

static void
create_with_secret_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FulcrumSecret) secret = NULL;
  CreateData *data = g_task_get_task_data (task);
  GError *error = NULL;

  secret = fulcrum_sim_builtin_get_secret_finish (result, &error);
  if (secret == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  fulcrum_secret_store_store_async (data->secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET,
                                    fulcrum_connector_profile_get_id (data->profile), NULL, secret,
                                    g_task_get_cancellable (task), profile_secret_stored_cb,
                                    g_object_ref (task));
}

void
fulcrum_sim_builtin_create_profile_async (FulcrumStore        *store,
                                          FulcrumSecretStore  *secrets,
                                          const char          *name,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  CreateData *data;

  g_return_if_fail (FULCRUM_IS_STORE (store));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_sim_builtin_create_profile_async);

  if (name == NULL || *name == '\0')
    name = _("Simulator");

  if (fulcrum_store_get_read_only (store))
    {
      g_task_return_new_error (task, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_READ_ONLY,
                               _("The settings cannot be changed by this version of Fulcrum"));
      return;
    }

  /* Checked before anything reaches the keyring, so a refusal leaves nothing behind. */
  if (fulcrum_store_find_profile (store, name) != NULL)
    {
      g_task_return_new_error (task, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME,
                               _("A connector profile named “%s” already exists"), name);
      return;
    }

  id = fulcrum_store_make_id (store, name);
  data = g_new0 (CreateData, 1);
  data->store = g_object_ref (store);
  data->secrets = g_object_ref (secrets);
  data->profile = fulcrum_connector_profile_new (id, FULCRUM_ENVIRONMENT_ID_SIMULATOR);
  fulcrum_connector_profile_set_name (data->profile, name);
  fulcrum_connector_profile_set_client_id (data->profile, FULCRUM_SIM_BUILTIN_CLIENT_ID);
  {
    g_autofree char *redirect_uri = fulcrum_sim_builtin_dup_redirect_uri ();

    fulcrum_connector_profile_set_redirect_uri (data->profile, redirect_uri);
  }
  fulcrum_connector_profile_set_integration_name (data->profile, _("Fulcrum Simulator App"));
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  if (!fulcrum_connector_profile_validate (data->profile, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fulcrum_sim_builtin_get_secret_async (secrets, cancellable, create_with_secret_cb,
                                        g_steal_pointer (&task));
}

FulcrumConnectorProfile *
fulcrum_sim_builtin_create_profile_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_sim_builtin_create_profile_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
