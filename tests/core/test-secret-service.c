/* test-secret-service.c
 *
 * The keyring's failure modes, on a private D-Bus: no Secret Service at all, and one that
 * takes the name and never answers. Each case runs in its own subprocess so libsecret's
 * cached service connection cannot leak from one into the other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"

typedef struct
{
  gboolean  done;
  GError   *error;
  char     *secret;
} Result;

static GDBusMessage *
drop_method_calls (GDBusConnection *connection,
                   GDBusMessage    *message,
                   gboolean         incoming,
                   gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }

  return message;
}

/* Takes org.freedesktop.secrets on its own connection and swallows every call. */
static GDBusConnection *
start_hanging_secret_service (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GDBusConnection *connection;

  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (connection, drop_method_calls, NULL, NULL);

  return connection;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  fulcrum_secret_store_store_finish (FULCRUM_SECRET_STORE (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
run_store (Result *r,
           guint  *ticks)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  guint tick_id = g_timeout_add (20, tick_cb, ticks);

  fulcrum_secret_store_set_timeout (secrets, 700);
  fulcrum_secret_store_store_async (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET, "p", NULL,
                                    "hang-secret-4d2c91", NULL, store_cb, r);
  fulcrum_test_wait_for (&r->done, 20000);
  g_source_remove (tick_id);
}

static void
child_no_service (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  Result r = { 0 };
  guint ticks = 0;

  g_test_dbus_up (bus);
  run_store (&r, &ticks);

  g_assert_error (r.error, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_UNAVAILABLE);
  g_assert_null (strstr (r.error->message, "hang-secret-4d2c91"));
  g_printerr ("no keyring: %s\n", r.error->message);
  g_clear_error (&r.error);
  g_test_dbus_down (bus);
}

static void
child_hanging_service (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) hanging = NULL;
  g_autofree char *found_in = NULL;
  Result r = { 0 };
  guint ticks = 0;

  g_test_dbus_up (bus);
  hanging = start_hanging_secret_service ();
  run_store (&r, &ticks);

  /* An error within the timeout, the main loop kept running, nothing written in plain text. */
  g_assert_error (r.error, FULCRUM_SECRET_ERROR, FULCRUM_SECRET_ERROR_TIMEOUT);
  g_assert_cmpuint (ticks, >, 0);
  g_assert_false (fulcrum_test_dir_contains (fulcrum_test_get_root (), "hang-secret-4d2c91",
                                             &found_in));
  g_printerr ("hanging keyring: %s\n", r.error->message);
  g_clear_error (&r.error);
  /* The private bus daemon goes away with the process; the swallowed call never returns. */
  exit (0);
}

static void
test_no_service (void)
{
  g_test_trap_subprocess ("/secret-service/subprocess/no-service", 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*No keyring is available*");
}

static void
test_hanging_service (void)
{
  g_test_trap_subprocess ("/secret-service/subprocess/hanging", 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*did not answer within*");
}

int
main (int   argc,
      char *argv[])
{
  /* This test brings its own buses; it needs no keyring of the test harness. */
  g_unsetenv ("FULCRUM_TEST_KEYRING");
  fulcrum_test_init_environment ();
  /* The real D-Bus Secret Service path, not the file backend. */
  g_setenv ("SECRET_BACKEND", "service", TRUE);
  g_unsetenv ("SECRET_FILE_TEST_PATH");
  g_unsetenv ("SECRET_FILE_TEST_PASSWORD");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret-service/no-service", test_no_service);
  g_test_add_func ("/secret-service/hanging", test_hanging_service);
  g_test_add_func ("/secret-service/subprocess/no-service", child_no_service);
  g_test_add_func ("/secret-service/subprocess/hanging", child_hanging_service);

  return g_test_run ();
}
