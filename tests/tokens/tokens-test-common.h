/* tokens-test-common.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fulcrum-sim-server.h"
#include "fulcrum-store.h"
#include "fulcrum-secret-store.h"
#include "fulcrum-token-manager.h"
#include "fulcrum-token-manager-private.h"

G_BEGIN_DECLS

#define TOKENS_CLIENT_ID       "tokens-test-client"
#define TOKENS_CLIENT_SECRET   "tokens-client-secret-7d0c1b9e"
#define TOKENS_SIM_ENV_ID      "test-sim"
#define TOKENS_SIM_PROFILE_ID  "sim-profile"
#define TOKENS_SIM_PROFILE     "Simulator integration"
#define TOKENS_REDIRECT_URI    "http://127.0.0.1:53682/callback/test-sim"
#define TOKENS_HOUR_US         (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/* A simulator in its own thread, a config with an environment and a connector profile
 * for it (client secret in the test keyring), and a token manager with an injected clock
 * that starts at the real time. Every token and secret the test meets is remembered, and
 * teardown checks that none of them is in a file under the test root or in the logs. */
typedef struct
{
  FulcrumSimServer    *sim;
  SoupSession         *http;      /* blocking, for the test's own requests */
  FulcrumStore        *store;
  FulcrumSecretStore  *secrets;
  FulcrumTokenManager *manager;
  gint64               now_us;    /* the manager's clock */
  GPtrArray           *secrets_seen;
} TokensFixture;

/* Before g_test_init(): private XDG dirs and keyring, G_MESSAGES_DEBUG=all, and every log
 * line captured in memory (warnings and worse are also printed). */
void                  tokens_test_init             (int            *argc,
                                                    char         ***argv);
/* Everything logged so far. */
char                 *tokens_test_dup_log          (void);
/* Adds what another process logged to what the secret check looks at. */
void                  tokens_test_add_log          (const char     *text);

void                  tokens_fixture_setup         (TokensFixture  *fixture,
                                                    gconstpointer   data);
void                  tokens_fixture_teardown      (TokensFixture  *fixture,
                                                    gconstpointer   data);

/* Remembers @value as something that must never leak. */
void                  tokens_fixture_remember      (TokensFixture  *fixture,
                                                    const char     *value);
void                  tokens_fixture_assert_no_secrets (TokensFixture *fixture);

/* A custom environment whose token URL is @token_url, with a profile of its own (same
 * client id and secret). Returns the profile id. */
char                 *tokens_fixture_add_environment (TokensFixture *fixture,
                                                      const char    *env_id,
                                                      const char    *token_url);

/* Links an account through the simulator's OAuth endpoints (authorize, consent, code
 * exchange, all done by the test), then stores the token set in the keyring and the
 * account in the config, as a finished link does. Borrowed reference. */
FulcrumLinkedAccount *tokens_fixture_link          (TokensFixture  *fixture,
                                                    const char     *account_id);
/* The same with a made-up token set for @profile_id's environment. */
FulcrumLinkedAccount *tokens_fixture_add_account   (TokensFixture         *fixture,
                                                    const char            *account_id,
                                                    const char            *profile_id,
                                                    const FulcrumTokenSet *tokens);
/* A made-up token set obtained now, expiring in an hour. */
FulcrumTokenSet      *tokens_fixture_fake_tokens   (TokensFixture  *fixture);
/* An account with made-up tokens (in @tokens, if not NULL) of a new environment (and
 * profile) whose token endpoint is @token_url. Borrowed reference. */
FulcrumLinkedAccount *tokens_fixture_add_fake_account (TokensFixture    *fixture,
                                                       const char       *account_id,
                                                       const char       *token_url,
                                                       FulcrumTokenSet **tokens);

char                 *tokens_fixture_get_token     (TokensFixture        *fixture,
                                                    FulcrumLinkedAccount *account,
                                                    gboolean              force,
                                                    GError              **error);
/* The token set in the keyring (NULL if none); the blob itself in @blob if not NULL. */
FulcrumTokenSet      *tokens_fixture_read_keyring  (TokensFixture        *fixture,
                                                    FulcrumLinkedAccount *account,
                                                    char                **blob);
void                  tokens_fixture_store_secret  (TokensFixture        *fixture,
                                                    FulcrumSecretKind     kind,
                                                    const char           *profile_id,
                                                    const char           *account_id,
                                                    const char           *secret);

/* The simulator's count of refresh_token grant requests. */
gint64                tokens_sim_refresh_requests  (TokensFixture  *fixture);
/* POSTs a refresh grant to the simulator directly; returns the HTTP status and, in
 * @error_code, the OAuth error if any. */
guint                 tokens_sim_refresh           (TokensFixture  *fixture,
                                                    const char     *refresh_token,
                                                    char          **error_code);
/* GET /v1/users?limit=1 with @access_token; returns the HTTP status. */
guint                 tokens_sim_api_status        (TokensFixture  *fixture,
                                                    const char     *access_token);

/* The account as the config file on disk has it (a fresh store loads the file, which
 * must be valid). */
FulcrumLinkedAccount *tokens_load_account_from_disk (const char    *account_id);

/* A token endpoint on 127.0.0.1 that answers what it is told, on the default main
 * context, and remembers the last request. */
typedef struct
{
  SoupServer *server;
  char       *token_url;
  guint       status;
  char       *content_type;
  char       *body;
  gboolean    hold;          /* keep requests waiting until fake_endpoint_release() */
  GPtrArray  *held;          /* SoupServerMessage */
  guint       n_requests;
  char       *last_content_type;
  GHashTable *last_form;     /* name → value */
} FakeEndpoint;

FakeEndpoint         *fake_endpoint_new            (void);
void                  fake_endpoint_set_answer     (FakeEndpoint   *endpoint,
                                                    guint           status,
                                                    const char     *content_type,
                                                    const char     *body);
/* Answers the held requests with the current answer. */
void                  fake_endpoint_release        (FakeEndpoint   *endpoint);
void                  fake_endpoint_free           (FakeEndpoint   *endpoint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeEndpoint, fake_endpoint_free)

G_END_DECLS
