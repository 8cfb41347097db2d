/* sim-test-common.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "fulcrum-sim-server.h"

G_BEGIN_DECLS

#define SIM_TEST_CLIENT_ID     "test-client"
#define SIM_TEST_CLIENT_SECRET "test-secret-4f1e9c"
#define SIM_TEST_REDIRECT_URI  "http://127.0.0.1:53682/callback/simulator"
#define SIM_TEST_PKCE_VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

/* A simulator running in its own thread, with a registered app, no latency and no rate
 * limit, and a blocking libsoup session to talk to it. */
typedef struct
{
  FulcrumSimServer *server;
  SoupSession      *session;
} SimFixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  GError             *error;   /* transport error, status is 0 then */
} SimResponse;

void          sim_fixture_setup        (SimFixture  *fixture,
                                        guint        n_opportunities);
void          sim_fixture_teardown     (SimFixture  *fixture);

char         *sim_url                  (SimFixture  *fixture,
                                        const char  *path_and_query);

SimResponse  *sim_request              (SimFixture  *fixture,
                                        const char  *method,
                                        const char  *url,
                                        const char  *token,
                                        const char  *content_type,
                                        const char  *body);
SimResponse  *sim_get                  (SimFixture  *fixture,
                                        const char  *path_and_query,
                                        const char  *token);
void          sim_response_free        (SimResponse *response);
char         *sim_response_dup_text    (SimResponse *response);
/* Asserts that the body is JSON and returns it. */
JsonNode     *sim_response_json        (SimResponse *response);
/* The "code" of a Lever error body. */
char         *sim_response_error_code  (SimResponse *response);

char         *sim_authorize_url        (SimFixture  *fixture,
                                        const char  *scope,
                                        const char  *state);
/* The consent form's transaction for an authorize URL (asserts a consent page). */
char         *sim_consent              (SimFixture  *fixture,
                                        const char  *authorize_url);
/* Answers a consent page; returns the Location of the redirect. */
char         *sim_decide               (SimFixture  *fixture,
                                        const char  *transaction,
                                        const char  *decision);
/* Runs the whole authorization-code flow; returns the token response. */
JsonNode     *sim_link                 (SimFixture  *fixture,
                                        const char  *scope);
SimResponse  *sim_token_request        (SimFixture  *fixture,
                                        const char  *first_key,
                                        ...) G_GNUC_NULL_TERMINATED;
/* An access token for @scope (space separated), through the OAuth flow. */
char         *sim_access_token         (SimFixture  *fixture,
                                        const char  *scope);
const char   *sim_all_scopes           (void);

/* Reads every page of @path_and_query (which has no offset); returns the records. */
GPtrArray    *sim_read_all             (SimFixture  *fixture,
                                        const char  *path_and_query,
                                        const char  *token,
                                        guint       *n_pages);

gint64        sim_stat                 (SimFixture  *fixture,
                                        const char  *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimResponse, sim_response_free)

G_END_DECLS
