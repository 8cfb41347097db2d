/* fulcrumctl-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fulcrumctl-util.h"

struct _FulcrumctlTable
{
  guint      n_columns;
  gboolean   has_header;
  GPtrArray *rows;  /* of GStrv */
};

G_DEFINE_QUARK (fulcrumctl-error-quark, fulcrumctl_error)

/* What a signal must undo while the terminal does not echo. */
static struct termios saved_termios;
static volatile sig_atomic_t echo_disabled;

static const int terminal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void
print_group_usage (gboolean                 to_stdout,
                   const char              *group,
                   const char              *summary,
                   const FulcrumctlCommand *commands,
                   guint                    n_commands)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int width = 0;

  for (guint i = 0; i < n_commands; i++)
    width = MAX (width, (int) strlen (commands[i].name));

  g_string_append_printf (text, "%s\n  fulcrumctl %s %s\n\n%s\n\n%s\n",
                          _("Usage:"), group, _("COMMAND [OPTION…]"), _(summary),
                          _("Commands:"));
  for (guint i = 0; i < n_commands; i++)
    g_string_append_printf (text, "  %-*s  %s\n", width, commands[i].name,
                            _(commands[i].summary));
  g_string_append_printf (text, "\n");
  g_string_append_printf (text,
                          _("Run “fulcrumctl %s COMMAND --help” for the options of a command."),
                          group);
  g_string_append_c (text, '\n');

  if (to_stdout)
    g_print ("%s", text->str);
  else
    g_printerr ("%s", text->str);
}

int
fulcrumctl_dispatch (const char              *group,
                     const char              *summary,
                     const FulcrumctlCommand *commands,
                     guint                    n_commands,
                     int                      argc,
                     char                   **argv)
{
  g_autofree char *prgname = NULL;

  if (argc < 2)
    {
      print_group_usage (FALSE, group, summary, commands, n_commands);
      return FULCRUMCTL_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_group_usage (TRUE, group, summary, commands, n_commands);
      return FULCRUMCTL_EXIT_OK;
    }

  for (guint i = 0; i < n_commands; i++)
    {
      if (!g_str_equal (argv[1], commands[i].name))
        continue;

      /* GOptionContext's usage line then reads "fulcrumctl env add [OPTION…]". */
      prgname = g_strdup_printf ("fulcrumctl %s %s", group, commands[i].name);
      g_set_prgname (prgname);

      return commands[i].run (argc - 1, argv + 1);
    }

  g_printerr (_("fulcrumctl: “%s” is not a command of “fulcrumctl %s”\n"), argv[1], group);
  g_printerr (_("Try “fulcrumctl %s --help”.\n"), group);
  return FULCRUMCTL_EXIT_USAGE;
}

gboolean
fulcrumctl_parse_options (const char          *parameter_string,
                          const char          *summary,
                          const char          *description,
                          const GOptionEntry  *entries,
                          int                 *argc,
                          char              ***argv,
                          int                 *exit_status)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean help = FALSE;
  const GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("Show this help"), NULL },
    { NULL }
  };

  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* Our own --help, so that printing help returns through main() instead of exit(). */
  g_option_context_set_help_enabled (context, FALSE);
  if (summary != NULL)
    g_option_context_set_summary (context, _(summary));
  if (description != NULL)
    g_option_context_set_description (context, _(description));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, help_entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_status = fulcrumctl_usage_error ("%s", error->message);
      return FALSE;
    }

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", text);
      *exit_status = FULCRUMCTL_EXIT_OK;
      return FALSE;
    }

  return TRUE;
}

int
fulcrumctl_usage_error (const char *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("fulcrumctl: %s\n", message);
  g_printerr (_("Try “%s --help”.\n"), g_get_prgname ());

  return FULCRUMCTL_EXIT_USAGE;
}

gboolean
fulcrumctl_one_argument (int          argc,
                         char       **argv,
                         const char  *missing,
                         int         *exit_status)
{
  if (argc < 2)
    *exit_status = fulcrumctl_usage_error ("%s", missing);
  else if (argc > 2)
    *exit_status = fulcrumctl_usage_error (_("Unexpected argument “%s”"), argv[2]);
  else
    return TRUE;

  return FALSE;
}

int
fulcrumctl_exit_status_for_error (const GError *error)
{
  g_assert (error != NULL);

  /* Values the user typed that break a rule: fix the command line. */
  if (error->domain == FULCRUMCTL_ERROR)
    return error->code == FULCRUMCTL_ERROR_USAGE ? FULCRUMCTL_EXIT_USAGE : FULCRUMCTL_EXIT_FAILED;

  if (error->domain == FULCRUM_SCOPES_ERROR ||
      error->domain == FULCRUM_PROFILE_ERROR)
    return FULCRUMCTL_EXIT_USAGE;

  if (error->domain == FULCRUM_ENVIRONMENT_ERROR)
    return error->code == FULCRUM_ENVIRONMENT_ERROR_READ_ONLY ? FULCRUMCTL_EXIT_FAILED
                                                              : FULCRUMCTL_EXIT_USAGE;

  /* A name already taken is a value to change, like any other broken rule. */
  if (g_error_matches (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_DUPLICATE_NAME))
    return FULCRUMCTL_EXIT_USAGE;

  return FULCRUMCTL_EXIT_FAILED;
}

int
fulcrumctl_report_error (const GError *error)
{
  g_printerr ("fulcrumctl: %s\n", error->message);
  return fulcrumctl_exit_status_for_error (error);
}

void
fulcrumctl_warning (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr (_("fulcrumctl: warning: %s\n"), message);
}

void
fulcrumctl_note (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr (_("fulcrumctl: note: %s\n"), message);
}

FulcrumStore *
fulcrumctl_open_store (gboolean   for_writing,
                       GError   **error)
{
  g_autoptr(FulcrumStore) store = fulcrum_store_new (NULL);
  g_autoptr(GError) local_error = NULL;

  if (!fulcrum_store_load (store, &local_error))
    {
      if (g_error_matches (local_error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_CORRUPT))
        {
          fulcrumctl_warning ("%s", local_error->message);
        }
      else if (g_error_matches (local_error, FULCRUM_STORE_ERROR,
                                FULCRUM_STORE_ERROR_NEWER_VERSION) && !for_writing)
        {
          fulcrumctl_warning ("%s", local_error->message);
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  if (for_writing && fulcrum_store_get_read_only (store))
    {
      g_set_error (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_READ_ONLY,
                   _("The configuration in %s can only be read; nothing was changed"),
                   fulcrum_store_get_path (store));
      return NULL;
    }

  return g_steal_pointer (&store);
}

void
fulcrumctl_async_result_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert (*slot == NULL);

  *slot = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

GAsyncResult *
fulcrumctl_wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

/* Every keyring call waits here; tests/cli/lsan.supp names this frame for a leak inside
 * libsecret's file backend, so keep it for keyring calls only. */
static G_GNUC_NO_INLINE GAsyncResult *
wait_for_keyring (GAsyncResult **result)
{
  return fulcrumctl_wait_for_result (result);
}

gboolean
fulcrumctl_store_client_secret (const char  *profile_id,
                                const char  *secret,
                                GError     **error)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;

  fulcrum_secret_store_store_async (secrets, FULCRUM_SECRET_KIND_CLIENT_SECRET,
                                    profile_id, NULL, secret, NULL,
                                    fulcrumctl_async_result_cb, &result);
  wait_for_keyring (&result);

  if (!fulcrum_secret_store_store_finish (secrets, result, error))
    {
      g_prefix_error (error, _("Could not store the client secret in the keyring: "));
      return FALSE;
    }

  return TRUE;
}

gboolean
fulcrumctl_clear_profile_secrets (const char  *profile_id,
                                  GError     **error)
{
  g_autoptr(FulcrumSecretStore) secrets = fulcrum_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;

  fulcrum_secret_store_clear_async (secrets, profile_id, NULL, NULL,
                                    fulcrumctl_async_result_cb, &result);
  wait_for_keyring (&result);

  if (!fulcrum_secret_store_clear_finish (secrets, result, error))
    {
      g_prefix_error (error, _("Could not remove the profile’s secrets from the keyring: "));
      return FALSE;
    }

  return TRUE;
}

static void
restore_terminal_signal_handler (int signum)
{
  if (echo_disabled)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

static gboolean
disable_echo (struct sigaction *old_actions)
{
  struct termios quiet;
  struct sigaction action = { 0 };

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    return FALSE;

  /* Restore the echo if the user interrupts, or their shell stays silent. */
  action.sa_handler = restore_terminal_signal_handler;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (terminal_signals); i++)
    sigaction (terminal_signals[i], &action, &old_actions[i]);

  quiet = saved_termios;
  quiet.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
  quiet.c_lflag |= ICANON;
  echo_disabled = TRUE;
  if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
    {
      echo_disabled = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (terminal_signals); i++)
        sigaction (terminal_signals[i], &old_actions[i], NULL);
      return FALSE;
    }

  return TRUE;
}

static void
restore_echo (const struct sigaction *old_actions)
{
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  echo_disabled = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (terminal_signals); i++)
    sigaction (terminal_signals[i], &old_actions[i], NULL);
}

char *
fulcrumctl_read_secret (const char  *prompt,
                        GError     **error)
{
  /* A fixed buffer, read a byte at a time: no reallocation leaves copies of the secret
   * behind, and nothing after the first line is taken from stdin. */
  char buffer[FULCRUMCTL_SECRET_MAX];
  struct sigaction old_actions[G_N_ELEMENTS (terminal_signals)];
  gboolean is_terminal = isatty (STDIN_FILENO);
  gboolean quiet = FALSE;
  gboolean too_long = FALSE;
  gboolean has_nul = FALSE;
  int saved_errno = 0;
  gsize len = 0;
  char *secret = NULL;

  /* Echo off before the prompt, so that nothing typed after seeing it is shown. */
  if (is_terminal)
    {
      quiet = disable_echo (old_actions);
      g_printerr ("%s", prompt);
    }

  for (;;)
    {
      char c;
      gssize n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          break;
        }
      if (n == 0 || c == '\n')
        break;
      if (c == '\0')
        has_nul = TRUE;
      if (len + 1 >= sizeof buffer)
        too_long = TRUE;
      else
        buffer[len++] = c;
    }

  if (quiet)
    restore_echo (old_actions);
  if (is_terminal)
    g_printerr ("\n");

  if (len > 0 && buffer[len - 1] == '\r')
    len--;
  buffer[len] = '\0';

  if (saved_errno != 0)
    g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_FAILED,
                 _("Could not read the client secret from standard input: %s"),
                 g_strerror (saved_errno));
  else if (too_long)
    g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_USAGE,
                 _("The client secret is longer than %d bytes"), FULCRUMCTL_SECRET_MAX - 1);
  else if (has_nul || !g_utf8_validate (buffer, len, NULL))
    g_set_error_literal (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_USAGE,
                         _("The client secret on standard input is not text"));
  else if (len == 0)
    g_set_error_literal (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_USAGE,
                         _("The client secret is empty: give it as one line on standard input"));
  else
    secret = g_strndup (buffer, len);

  explicit_bzero (buffer, sizeof buffer);

  return secret;
}

char **
fulcrumctl_collect_scopes (char **values)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  if (values == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit_set (values[i], " ,\t", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          if (parts[j][0] != '\0')
            g_strv_builder_add (builder, parts[j]);
        }
    }

  return g_strv_builder_end (builder);
}

void
fulcrumctl_json_add_string (JsonBuilder *builder,
                            const char  *member,
                            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
fulcrumctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len = 0;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);

  /* JSON is UTF-8 whatever the locale, so no charset conversion as g_print() would do. */
  fwrite (text, 1, len, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

static GStrv
collect_row (guint   n_columns,
             va_list args)
{
  GStrv row = g_new0 (char *, n_columns + 1);

  for (guint i = 0; i < n_columns; i++)
    {
      const char *cell = va_arg (args, const char *);

      row[i] = g_strdup (cell != NULL && *cell != '\0' ? cell : "-");
    }

  return row;
}

/* Takes @n_columns headers (const char *, already translated); a NULL first header means
 * no header line (the "key: value" form). */
FulcrumctlTable *
fulcrumctl_table_new (guint n_columns,
                      ...)
{
  FulcrumctlTable *self;
  va_list args;
  const char *first;

  g_return_val_if_fail (n_columns > 0, NULL);

  self = g_new0 (FulcrumctlTable, 1);
  self->n_columns = n_columns;
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  va_start (args, n_columns);
  first = va_arg (args, const char *);
  va_end (args);

  if (first != NULL)
    {
      va_start (args, n_columns);
      g_ptr_array_add (self->rows, collect_row (n_columns, args));
      va_end (args);
      self->has_header = TRUE;
    }

  return self;
}

/* Takes n_columns cells (const char *); NULL or empty cells print as "-". */
void
fulcrumctl_table_add_row (FulcrumctlTable *self,
                          ...)
{
  va_list args;

  g_return_if_fail (self != NULL);

  va_start (args, self);
  g_ptr_array_add (self->rows, collect_row (self->n_columns, args));
  va_end (args);
}

void
fulcrumctl_table_print (FulcrumctlTable *self)
{
  g_autofree guint *widths = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (self != NULL);

  widths = g_new0 (guint, self->n_columns);
  for (guint r = 0; r < self->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (self->rows, r);

      for (guint c = 0; c < self->n_columns; c++)
        widths[c] = MAX (widths[c], display_width (row[c]));
    }

  for (guint r = 0; r < self->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (self->rows, r);

      for (guint c = 0; c < self->n_columns; c++)
        {
          g_string_append (text, row[c]);
          /* No trailing blanks after the last column. */
          if (c + 1 < self->n_columns)
            {
              for (guint pad = display_width (row[c]); pad < widths[c] + 2; pad++)
                g_string_append_c (text, ' ');
            }
        }
      g_string_append_c (text, '\n');
    }

  g_print ("%s", text->str);
}

void
fulcrumctl_table_free (FulcrumctlTable *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->rows);
  g_free (self);
}
