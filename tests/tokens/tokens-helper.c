/* tokens-helper.c: another Fulcrum process asking for an account's token.
 *
 *   tokens-helper ACCOUNT_ID [crash-before-store]
 *
 * Loads the config and the keyring the environment points at (the test's XDG dirs and
 * keyring), moves its clock FULCRUM_TOKENS_HELPER_CLOCK_OFFSET_S seconds ahead, waits for
 * a line on stdin (so that a test can start several at once), asks for the account's
 * access token and prints it on stdout. Logs go to stderr. Exit codes: 0 printed,
 * 3 needs re-link, 1 other error, 99 "crashed" between the token response and the
 * keyring write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fulcrum-store.h"
#include "fulcrum-secret-store.h"
#include "fulcrum-token-manager.h"
#include "fulcrum-token-manager-private.h"

typedef struct
{
  gboolean  done;
  char     *token;
  GError   *error;
} Result;

static gint64 clock_offset_us;

static gint64
offset_clock (gpointer user_data)
{
  return g_get_real_time () + clock_offset_us;
}

static gboolean
crash_before_store (FulcrumTokenManager   *manager,
                    FulcrumLinkedAccount  *account,
                    gpointer               user_data,
                    GError               **error)
{
  /* As if the process died right here: no cleanup, no atexit handlers. */
  _exit (99);
}

static void
got_token_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Result *res = user_data;

  res->token = fulcrum_token_manager_get_access_token_finish (FULCRUM_TOKEN_MANAGER (object),
                                                             result, &res->error);
  res->done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FulcrumStore) store = NULL;
  g_autoptr(FulcrumSecretStore) secrets = NULL;
  g_autoptr(FulcrumTokenManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  FulcrumLinkedAccount *account;
  const char *offset = g_getenv ("FULCRUM_TOKENS_HELPER_CLOCK_OFFSET_S");
  Result res = { 0 };
  char line[16];
  int status;

  /* stdout carries the token only. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      g_printerr ("usage: %s ACCOUNT_ID [crash-before-store]\n", argv[0]);
      return 2;
    }

  clock_offset_us = (offset ? g_ascii_strtoll (offset, NULL, 10) : 0) * G_USEC_PER_SEC;

  store = fulcrum_store_new (NULL);
  if (!fulcrum_store_load (store, &error))
    {
      g_printerr ("error: config: %s\n", error->message);
      return 1;
    }

  account = fulcrum_store_find_account (store, argv[1]);
  if (account == NULL)
    {
      g_printerr ("error: no account %s\n", argv[1]);
      return 1;
    }

  secrets = fulcrum_secret_store_new ();
  manager = fulcrum_token_manager_new (store, secrets);
  fulcrum_token_manager_set_clock (manager, offset_clock, NULL);
  if (argc > 2 && g_str_equal (argv[2], "crash-before-store"))
    fulcrum_token_manager_set_store_hook (manager, crash_before_store, NULL);

  if (fgets (line, sizeof line, stdin) == NULL)
    return 2;

  fulcrum_token_manager_get_access_token_async (manager, account, FALSE, NULL, got_token_cb, &res);
  while (!res.done)
    g_main_context_iteration (NULL, TRUE);

  if (res.error != NULL)
    {
      g_printerr ("error: %s %d: %s\n", g_quark_to_string (res.error->domain), res.error->code,
                  res.error->message);
      status = g_error_matches (res.error, FULCRUM_OAUTH_ERROR,
                                FULCRUM_OAUTH_ERROR_NEEDS_RELINK) ? 3 : 1;
      g_clear_error (&res.error);
      return status;
    }

  g_print ("%s\n", res.token);
  fulcrum_secret_free (res.token);

  return 0;
}
