/* fulcrumctl.c: entry point of the command-line tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "fulcrumctl-account.h"
#include "fulcrumctl-action.h"
#include "fulcrumctl-env.h"
#include "fulcrumctl-profile.h"
#include "fulcrumctl-run.h"
#include "fulcrumctl-sim.h"
#include "fulcrumctl-util.h"

typedef struct
{
  const char *name;
  const char *summary;  /* N_() */
  int       (*main)    (int    argc,
                        char **argv);
} FulcrumctlGroup;

static const FulcrumctlGroup groups[] = {
  { "env", N_("Lever environments (list, add, remove)"), fulcrumctl_env_main },
  { "profile", N_("Connector profiles (create, list, show, edit, set-secret, delete)"),
    fulcrumctl_profile_main },
  { "account", N_("Linked accounts (link, list, status, refresh, rename, unlink)"),
    fulcrumctl_account_main },
  { "action", N_("Lever actions, and which an account can run (list, show)"),
    fulcrumctl_action_main },
  { "run", N_("Run an action against a linked account"), fulcrumctl_run_main },
  { "sim", N_("The built-in Lever simulator (serve)"), fulcrumctl_sim_main },
};

static void
print_usage (gboolean to_stdout)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n  fulcrumctl %s\n\n%s\n\n%s\n", _("Usage:"),
                          _("COMMAND [OPTION…]"),
                          _("Keeps Lever connector profiles and linked accounts for scripts."),
                          _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    g_string_append_printf (text, "  %-8s  %s\n", groups[i].name, _(groups[i].summary));
  g_string_append_c (text, '\n');
  g_string_append (text, _("Run “fulcrumctl COMMAND --help” for more."));
  g_string_append_c (text, '\n');
  g_string_append (text, _("Exit status: 0 done, 1 failed, 2 usage error or a broken rule, "
                           "3 the account must be linked again."));
  g_string_append_c (text, '\n');

  if (to_stdout)
    g_print ("%s", text->str);
  else
    g_printerr ("%s", text->str);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("fulcrumctl");
  /* Standard output is for scripts, even with G_MESSAGES_DEBUG set. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      print_usage (FALSE);
      return FULCRUMCTL_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (TRUE);
      return FULCRUMCTL_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("fulcrumctl %s\n", PACKAGE_VERSION);
      return FULCRUMCTL_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      if (g_str_equal (argv[1], groups[i].name))
        return groups[i].main (argc - 1, argv + 1);
    }

  g_printerr (_("fulcrumctl: “%s” is not a fulcrumctl command\n"), argv[1]);
  g_printerr (_("Try “fulcrumctl --help”.\n"));

  return FULCRUMCTL_EXIT_USAGE;
}
