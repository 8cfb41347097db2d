/* client-test-common.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fulcrum-core.h"
#include "fulcrum-sim-server.h"

G_BEGIN_DECLS

#define CLIENT_TEST_CLIENT_ID     "client-test-app"
#define CLIENT_TEST_CLIENT_SECRET "client-test-secret-52b7e0"

/* Every scope a catalogue action needs does not fit one profile (Lever allows 20): the
 * tests link two accounts, one for most reads and one for the writes and the rest. */
#define CLIENT_TEST_READ_SCOPES \
  "offline_access users:read:admin opportunities:read:admin applications:read:admin " \
  "interviews:read:admin panels:read:admin feedback:read:admin notes:read:admin " \
  "offers:read:admin referrals:read:admin resumes:read:admin files:read:admin " \
  "postings:read:admin stages:read:admin archive_reasons:read:admin sources:read:admin " \
  "tags:read:admin requisitions:read:admin"
#define CLIENT_TEST_WRITE_SCOPES \
  "offline_access users:read:admin opportunities:write:admin notes:write:admin " \
  "requisition_fields:read:admin feedback_templates:read:admin contact:read:admin " \
  "webhooks:read:admin audit_events:read:admin eeo_responses:read:admin"

/* A simulator in its own thread (no latency, no rate limit, unless a test says), a config
 * in a fresh directory with the built-in Simulator environment pointed at it, a profile
 * whose client secret is in the test keyring, a token manager, and (after link()) an
 * account with its client. */
typedef struct
{
  FulcrumSimServer     *sim;
  SoupSession          *http;        /* blocking, for the test's own requests */
  char                 *config_dir;
  FulcrumStore         *store;
  FulcrumSecretStore   *secrets;
  FulcrumTokenManager  *tokens;
  FulcrumLinkedAccount *account;     /* the last account linked; borrowed */
  FulcrumLeverClient   *client;      /* for @account */
  char                 *admin_token; /* every scope, to read the simulator directly */
} ClientFixture;

/* The result of a run, with every record delivered. */
typedef struct
{
  GPtrArray         *records;        /* JsonNode* */
  guint              n_callbacks;
  guint              max_page;       /* the largest page delivered */
  FulcrumLeverStats  stats;
  char              *next;
  GError            *error;
} RunResult;

typedef gboolean (*RunPageHook) (RunResult *result,
                                 gpointer   user_data);

void                  client_test_init             (int            *argc,
                                                    char         ***argv);

void                  client_fixture_setup         (ClientFixture  *fixture,
                                                    guint           n_opportunities);
void                  client_fixture_teardown      (ClientFixture  *fixture);

/* A profile of @env_id with @scopes (space separated), its client secret in the keyring. */
FulcrumConnectorProfile *client_fixture_add_profile (ClientFixture *fixture,
                                                     const char    *profile_id,
                                                     const char    *env_id,
                                                     const char    *scopes);
/* Links an account of @profile_id through @auth_sim's OAuth endpoints (authorize, consent,
 * token; done by the test), stores its token set in the keyring and the account in the
 * config, and makes a client for it (fixture->client). Borrowed reference. */
FulcrumLinkedAccount *client_fixture_link_with     (ClientFixture    *fixture,
                                                    FulcrumSimServer *auth_sim,
                                                    const char       *profile_id,
                                                    const char       *scopes);
/* An account of @profile_id with a made-up token set (valid for an hour), for servers
 * that are not the simulator. Makes fixture->client. Borrowed reference. */
FulcrumLinkedAccount *client_fixture_add_account   (ClientFixture    *fixture,
                                                    const char       *profile_id,
                                                    const char       *access_token);
/* The same with the fixture's simulator and a new profile of the Simulator environment. */
FulcrumLinkedAccount *client_fixture_link          (ClientFixture    *fixture,
                                                    const char       *scopes);
/* A fast retry policy for tests: @max_attempts tries, 10 ms first backoff. */
void                  client_fixture_fast_retries  (ClientFixture    *fixture,
                                                    guint             max_attempts);

/* The access token of a fresh grant of @scopes at @sim. */
char                 *client_sim_access_token      (ClientFixture    *fixture,
                                                    FulcrumSimServer *sim,
                                                    const char       *scopes);
/* The simulator's answer to a GET with the admin token (asserts 200 and JSON). */
JsonNode             *client_sim_get               (ClientFixture    *fixture,
                                                    const char       *path_and_query);
/* Every record of a list, read directly from the simulator with the admin token. */
GPtrArray            *client_sim_read_all          (ClientFixture    *fixture,
                                                    const char       *path_and_query);
/* A counter of /_sim/stats, "rate_limited" or "responses.429" or "faults.502". */
gint64                client_sim_stat              (FulcrumSimServer *sim,
                                                    const char       *member);

/* name → value pairs, NULL-terminated. */
GHashTable           *client_params                (const char       *first_name,
                                                    ...) G_GNUC_NULL_TERMINATED;

/* Runs @action_id to the end on the default main context. @hook (may be NULL) is called
 * after each page; returning FALSE stops the run. */
RunResult            *client_run_full              (FulcrumLeverClient   *client,
                                                    const char           *action_id,
                                                    GHashTable           *params,
                                                    FulcrumLeverRunFlags  flags,
                                                    RunPageHook           hook,
                                                    gpointer              hook_data,
                                                    GCancellable         *cancellable);
RunResult            *client_run                   (FulcrumLeverClient   *client,
                                                    const char           *action_id,
                                                    GHashTable           *params,
                                                    FulcrumLeverRunFlags  flags);
void                  run_result_free              (RunResult            *result);
/* Asserts that @result holds exactly the records of @expected (by id, each once) and
 * that each is the same JSON. */
void                  run_result_assert_same       (RunResult            *result,
                                                    GPtrArray            *expected);

char                 *client_json_dup_string       (JsonNode             *node);
const char           *client_record_id             (JsonNode             *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunResult, run_result_free)

G_END_DECLS
