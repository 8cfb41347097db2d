/* fulcrum-connection-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-connection-check"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "fulcrum-connection-check.h"
#include "fulcrum-sim-builtin.h"

typedef struct
{
  FulcrumEnvironment *environment;
  SoupSession        *session;
  gint64              started;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->environment);
  g_clear_object (&check->session);
  g_free (check);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  const char *name = fulcrum_environment_get_name (check->environment);
  guint elapsed_ms;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        /* Translators: "<environment> is not reachable: <why>" */
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE,
                                 _("%s is not reachable: %s"), name, error->message);
      return;
    }

  elapsed_ms = (guint) ((g_get_monotonic_time () - check->started) / 1000);
  g_debug ("%s answered HTTP %u", name, soup_message_get_status (msg));
  /* Translators: "<environment> is reachable: it answered in <n> ms" */
  g_task_return_pointer (task,
                         g_strdup_printf (_("%s is reachable: it answered in %u ms"), name,
                                          elapsed_ms),
                         g_free);
}

static void
send_probe (GTask *task)
{
  Check *check = g_task_get_task_data (task);
  const char *authorize_url = fulcrum_environment_get_authorize_url (check->environment);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) root = NULL;

  uri = g_uri_parse (authorize_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The authorize URL of %s is not a valid address"),
                               fulcrum_environment_get_name (check->environment));
      return;
    }

  /* The host is what is checked, not the authorize endpoint, which wants parameters. */
  root = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), "/", NULL, NULL);
  msg = soup_message_new_from_uri (SOUP_METHOD_HEAD, root);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  check->started = g_get_monotonic_time ();
  soup_session_send_and_read_async (check->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, g_object_ref (task));
}

static void
simulator_running_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!fulcrum_sim_builtin_ensure_running_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  send_probe (task);
}

void
fulcrum_connection_check_async (FulcrumEnvironment  *environment,
                                FulcrumSecretStore  *secrets,
                                guint                timeout_s,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Check *check;

  g_return_if_fail (FULCRUM_IS_ENVIRONMENT (environment));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_connection_check_async);

  check = g_new0 (Check, 1);
  check->environment = g_object_ref (environment);
  check->session = soup_session_new_with_options ("timeout", MAX (timeout_s, 1),
                                                  "idle-timeout", MAX (timeout_s, 1),
                                                  NULL);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  if (fulcrum_environment_get_kind (environment) == FULCRUM_ENVIRONMENT_KIND_SIMULATOR)
    fulcrum_sim_builtin_ensure_running_async (environment, secrets, cancellable,
                                              simulator_running_cb, g_steal_pointer (&task));
  else
    send_probe (task);
}

char *
fulcrum_connection_check_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_connection_check_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
