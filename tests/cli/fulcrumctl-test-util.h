/* fulcrumctl-test-util.h: running fulcrumctl from the cli tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define FULCRUMCTL_TEST_EXIT_FAILED 1
#define FULCRUMCTL_TEST_EXIT_USAGE  2

/* One finished fulcrumctl process. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} FulcrumctlRun;

void        fulcrumctl_run_clear                  (FulcrumctlRun       *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FulcrumctlRun, fulcrumctl_run_clear)

/* Call first in main(), instead of fulcrum_test_init_environment() and g_test_init(). Takes
 * the fulcrumctl to run from argv[1]. When this binary was started again to look a secret
 * up (fulcrumctl_test_lookup_client_secret()), does that and exits. */
void        fulcrumctl_test_init                  (int                 *argc,
                                                   char              ***argv);
const char *fulcrumctl_test_get_path              (void);

/* Runs fulcrumctl with the arguments (NULL-terminated) and waits; @input goes to its
 * stdin. @no_keyring: as on a machine without a keyring. */
void        fulcrumctl_test_spawn                 (FulcrumctlRun       *run,
                                                   const char          *input,
                                                   gboolean             no_keyring,
                                                   const char * const  *args);
void        fulcrumctl_test_run                   (FulcrumctlRun       *run,
                                                   const char          *input,
                                                   ...) G_GNUC_NULL_TERMINATED;
void        fulcrumctl_test_run_strv              (FulcrumctlRun       *run,
                                                   const char          *input,
                                                   const char * const  *args);
/* Runs "… --json", which must succeed, and returns its parsed output. */
JsonNode   *fulcrumctl_test_run_json              (const char          *first_arg,
                                                   ...) G_GNUC_NULL_TERMINATED;
JsonNode   *fulcrumctl_test_parse_json            (const char          *text);

JsonObject *fulcrumctl_test_find_by_id            (JsonArray           *array,
                                                   const char          *id);
gboolean    fulcrumctl_test_array_contains        (JsonArray           *array,
                                                   const char          *value);
guint       fulcrumctl_test_count_environments    (void);
guint       fulcrumctl_test_count_profiles        (void);

/* Every test starts from no config and an empty keyring. */
void        fulcrumctl_test_reset_state           (void);
void        fulcrumctl_test_create_profile        (const char          *name,
                                                   const char          *environment,
                                                   const char          *secret,
                                                   const char          *expected_id);
/* The client secret of @profile_id in the keyring, or NULL. */
char       *fulcrumctl_test_lookup_client_secret  (const char          *profile_id);
/* A secret that cannot turn up anywhere by chance. */
char       *fulcrumctl_test_make_secret           (const char          *prefix);

void        fulcrumctl_assert_error_mentions      (FulcrumctlRun       *run,
                                                   const char          *needle);
void        fulcrumctl_assert_columns_aligned     (const char          *text,
                                                   const char          *second_header);
void        fulcrumctl_assert_secret_only_in_keyring (const char       *secret,
                                                      FulcrumctlRun    *run);

#define fulcrumctl_assert_status(run, expected) \
  G_STMT_START { \
    if ((run)->status != (expected)) \
      g_error ("fulcrumctl exited %d, expected %d\nstdout: %s\nstderr: %s", \
               (run)->status, (expected), (run)->out, (run)->err); \
  } G_STMT_END

/* Does what a person does in the browser: opens the consent page and answers it
 * (@decision "allow" or "deny") with the form's own fields. Returns where Lever redirects. */
char *fulcrumctl_test_answer_consent (SoupSession *session,
                                      const char  *authorize_url,
                                      const char  *decision);

G_END_DECLS
