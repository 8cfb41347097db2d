/* fulcrumctl-account-test-util.h: linking accounts through fulcrumctl from the cli tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fulcrumctl-test-util.h"

G_BEGIN_DECLS

#define FULCRUMCTL_TEST_EXIT_NEEDS_RELINK 3

typedef enum
{
  BROWSER_ALLOW,
  BROWSER_DENY,
  BROWSER_IGNORE,      /* nobody opens the URL */
  BROWSER_INTERRUPT,   /* no answer: Ctrl+C instead */
} BrowserAction;

/* Call first in main(), instead of fulcrumctl_test_init(). Gives this binary its own
 * FULCRUM_SIMULATOR_PORT, and a real gnome-keyring under AddressSanitizer. When this binary
 * was started again as a token-set helper (account_test_lookup_tokens()), does that and
 * exits. */
void        account_test_init                   (int                 *argc,
                                                 char              ***argv);
/* http://127.0.0.1:PORT of the built-in simulator of this binary. */
const char *account_test_get_simulator_base_url (void);

/* No config, keyring or simulator state; an empty transcript. */
void        account_test_reset_state            (void);

/* fulcrumctl with the arguments, as fulcrumctl_test_run() does, and what it printed goes to
 * the transcript that account_test_assert_only_in_keyring() searches. */
void        account_test_run                    (FulcrumctlRun       *run,
                                                 const char          *first_arg,
                                                 ...) G_GNUC_NULL_TERMINATED;
/* Adds "--json", which must succeed, and parses the output. */
JsonNode   *account_test_run_json               (const char          *first_arg,
                                                 ...) G_GNUC_NULL_TERMINATED;
void        account_test_record                 (FulcrumctlRun       *run);
char       *account_test_read_all               (GInputStream        *stream);

/* The browser: answers the consent page (fulcrumctl_test_answer_consent), then follows
 * the redirect to the loopback callback; returns its HTTP status. */
guint       account_test_act_as_browser         (const char          *authorize_url,
                                                 const char          *decision);

/* "fulcrumctl account link --profile @profile [--no-browser] [@extra_args…]" with
 * @extra_env (name, value, …): reads the authorize URL, the first line of its output,
 * while it waits, calls @while_waiting, then does @action. */
void        account_test_run_link_full          (FulcrumctlRun       *run,
                                                 const char          *profile,
                                                 BrowserAction        action,
                                                 gboolean             no_browser,
                                                 const char * const  *extra_args,
                                                 const char * const  *extra_env,
                                                 void               (*while_waiting) (void));
void        account_test_run_link               (FulcrumctlRun       *run,
                                                 const char          *profile,
                                                 BrowserAction        action,
                                                 gboolean             no_browser,
                                                 const char * const  *extra_args,
                                                 const char * const  *extra_env);
/* Links through @profile (allowed in the browser) and returns the new account's id. */
char       *account_test_link                   (const char          *profile,
                                                 const char          *label);

/* The account's tokens in the keyring, read by a fresh process: NULL when there are none,
 * else { access token, refresh token }. */
char      **account_test_lookup_tokens          (const char          *profile_id,
                                                 const char          *account_id);
/* Puts a refresh token the simulator never issued in the keyring. */
void        account_test_spoil_refresh_token    (const char          *profile_id,
                                                 const char          *account_id);

/* "profile create --name @name --environment simulator", which prints @expected_out. */
void        account_test_create_simulator_profile (const char        *name,
                                                   const char        *expected_out);
char       *account_test_profile_redirect_uri   (const char          *profile);
JsonObject *account_test_find_account           (JsonNode            *list,
                                                 const char          *id);
guint       account_test_count_accounts         (void);

/* The last line of stderr is "fulcrumctl: …" and mentions @needle. */
void        account_test_assert_last_error_mentions (FulcrumctlRun   *run,
                                                     const char      *needle);
/* Neither a file under the test root (but the encrypted keyring) nor anything fulcrumctl
 * printed holds @secret. */
void        account_test_assert_only_in_keyring (const char          *secret);

G_END_DECLS
