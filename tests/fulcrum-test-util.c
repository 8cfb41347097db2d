/* fulcrum-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fulcrum-test-util.h"

static char *test_root;
static GTestDBus *test_bus;
static GSubprocess *keyring_daemon;
static pid_t owner_pid;

static void
stop_keyring (void)
{
  if (keyring_daemon != NULL)
    {
      g_subprocess_send_signal (keyring_daemon, SIGTERM);
      g_subprocess_wait (keyring_daemon, NULL, NULL);
      g_clear_object (&keyring_daemon);
    }
  if (test_bus != NULL)
    {
      /* Not g_test_dbus_down() nor the last unref, which calls it: that waits for the
       * session connection to go away, and libsecret keeps it to the end. */
      g_test_dbus_stop (test_bus);
    }
}

/* A real gnome-keyring-daemon on a private session bus, for this test binary alone. The
 * sanitizer run uses it: GLib 2.74 leaks a string on every write of libsecret's file
 * backend, which LeakSanitizer would otherwise report against every keyring test. */
static void
start_keyring (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) input = NULL;
  g_autofree char *home = g_build_filename (test_root, "home", NULL);
  static const char password[] = "fulcrum-test-keyring-password";
  gboolean owned = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);

  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LD_PRELOAD");
  keyring_daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                                "--foreground", "--unlock",
                                                "--components=secrets", NULL);
  g_assert_no_error (error);
  input = g_object_ref (g_subprocess_get_stdin_pipe (keyring_daemon));
  g_output_stream_write_all (input, password, strlen (password), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (input, NULL, NULL);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 200 && !owned; i++)
    {
      g_autoptr(GVariant) reply =
        g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "NameHasOwner",
                                     g_variant_new ("(s)", "org.freedesktop.secrets"),
                                     G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                     NULL, NULL);

      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
      if (!owned)
        g_usleep (50 * 1000);
    }
  g_assert_true (owned);

  g_setenv ("SECRET_BACKEND", "service", TRUE);
}

static void
remove_test_root (void)
{
  /* Forked children that exit() run atexit handlers too: only the test process cleans up. */
  if (getpid () != owner_pid)
    return;

  stop_keyring ();

  if (test_root != NULL && g_getenv ("FULCRUM_TEST_KEEP") == NULL)
    {
      g_autofree char *cmd = NULL;

      /* GLib 2.74 has no recursive delete; the tree is ours and small. */
      cmd = g_strdup_printf ("rm -rf '%s'", test_root);
      (void) !system (cmd);
    }
  g_clear_pointer (&test_root, g_free);
}

static gboolean
can_bind (guint port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) port);
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_nonnull (socket);
  return g_socket_bind (socket, address, FALSE, NULL);
}

guint
fulcrum_test_free_port (void)
{
  g_autofree char *range = NULL;
  guint low = 32768;

  if (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range, NULL, NULL))
    low = (guint) g_ascii_strtoull (range, NULL, 10);
  g_assert_cmpuint (low, >, 12000);

  for (guint attempt = 0; attempt < 500; attempt++)
    {
      guint port = (guint) g_random_int_range (10000, (gint32) low);

      if (can_bind (port))
        return port;
    }
  g_error ("no free port below %u", low);
}

/* The built-in simulator and its app's callback listen on fixed ports in the app; test
 * binaries run in parallel, so each gets ports of its own (its children inherit them). */
static void
set_port_unless_set (const char *variable)
{
  g_autofree char *value = NULL;

  if (g_getenv (variable) != NULL)
    return;

  value = g_strdup_printf ("%u", fulcrum_test_free_port ());
  g_setenv (variable, value, TRUE);
}

const char *
fulcrum_test_init_environment (void)
{
  static const char *subdirs[] = { "config", "data", "cache", "runtime" };
  static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR" };
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;

  g_assert (test_root == NULL);

  test_root = g_dir_make_tmp ("fulcrum-test-XXXXXX", &error);
  g_assert_no_error (error);
  owner_pid = getpid ();
  atexit (remove_test_root);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (test_root, subdirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (vars[i], path, TRUE);
    }

  set_port_unless_set ("FULCRUM_SIMULATOR_PORT");
  set_port_unless_set ("FULCRUM_SIMULATOR_REDIRECT_PORT");

  keyring = g_build_filename (test_root, "keyring.file", NULL);
  if (g_strcmp0 (g_getenv ("FULCRUM_TEST_KEYRING"), "gnome-keyring") == 0)
    {
      start_keyring ();
    }
  else if (g_getenv ("FULCRUM_TEST_REAL_KEYRING") == NULL)
    {
      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "fulcrum-test-keyring-password", TRUE);
    }

  return test_root;
}

const char *
fulcrum_test_get_root (void)
{
  return test_root;
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
fulcrum_test_wait_for (gboolean *done,
                       guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, wait_timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  if (!*done)
    g_error ("timed out after %u ms waiting for an operation", timeout_ms);
}

gboolean
fulcrum_test_dir_contains (const char  *dir,
                           const char  *needle,
                           char       **found_in)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return FALSE;

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (fulcrum_test_dir_contains (path, needle, found_in))
            return TRUE;
        }
      else
        {
          g_autofree char *contents = NULL;
          gsize len = 0;

          if (g_file_get_contents (path, &contents, &len, NULL) &&
              g_strstr_len (contents, len, needle) != NULL)
            {
              if (found_in)
                *found_in = g_steal_pointer (&path);
              return TRUE;
            }
        }
    }

  return FALSE;
}
