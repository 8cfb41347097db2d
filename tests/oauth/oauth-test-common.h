/* oauth-test-common.h: the simulator, a profile and a scripted "browser" for the link flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fulcrum-core.h"
#include "fulcrum-sim-server.h"

G_BEGIN_DECLS

/* Distinct values, so that a leak of any of them is found by a plain search. */
#define OAUTH_TEST_CLIENT_ID     "fulcrum-oauth-test-client"
#define OAUTH_TEST_CLIENT_SECRET "cs-LeakCanary-7f3e91d0b2a64c58"
#define OAUTH_TEST_PROFILE_ID    "sales"
#define OAUTH_TEST_PROFILE_NAME  "Sales"
/* Registered with the simulator for the paste path. */
#define OAUTH_TEST_PASTE_URI     "https://fulcrum.example/callback/simulator"

typedef struct
{
  FulcrumSimServer        *sim;
  FulcrumEnvironment      *environment;
  FulcrumConnectorProfile *profile;
  FulcrumStore            *store;
  FulcrumSecretStore      *secrets;
  SoupSession             *browser;
  char                    *config_dir;
  char                    *redirect_uri;
  guint                    port;
} OAuthFixture;

typedef struct
{
  guint               status;    /* 0 when the connection failed */
  SoupMessageHeaders *headers;
  char               *body;
  GError             *error;
} BrowserPage;

void              oauth_fixture_setup          (OAuthFixture  *fixture,
                                                gconstpointer  data);
void              oauth_fixture_teardown       (OAuthFixture  *fixture,
                                                gconstpointer  data);
/* A new flow for the fixture's profile, with the test client secret. */
FulcrumOAuthFlow *oauth_fixture_new_flow       (OAuthFixture  *fixture);

/* The browser: one request, no redirect followed, the main loop runs meanwhile. */
BrowserPage      *browser_request              (OAuthFixture  *fixture,
                                                const char    *method,
                                                const char    *url,
                                                const char    *content_type,
                                                const char    *body);
BrowserPage      *browser_get                  (OAuthFixture  *fixture,
                                                const char    *url);
void              browser_page_free            (BrowserPage   *page);
/* What a user does on the simulator's consent page: opens the authorize URL, reads the
 * form (its hidden fields), answers it; returns where the 302 points. */
char             *browser_consent              (OAuthFixture  *fixture,
                                                const char    *authorize_url,
                                                const char    *decision);
/* Asserts the page that Fulcrum's listener sends: self-contained, no-referrer, no-store. */
void              assert_listener_page         (BrowserPage   *page);

/* URL helpers (form-decoded values). */
char             *url_get_param                (const char    *url,
                                                const char    *name);
/* Replaces (or, with @value NULL, removes) a query parameter. */
char             *url_set_param                (const char    *url,
                                                const char    *name,
                                                const char    *value);
GHashTable       *url_get_params               (const char    *url);

gint64            sim_code_requests            (OAuthFixture  *fixture);

gboolean          has_ipv6_loopback            (void);
gboolean          is_listening                 (const char    *host,
                                                guint          port);
void              assert_nothing_listening     (guint          port);

/* wait_async/wait_finish with the main loop running. */
FulcrumTokenSet  *flow_wait                    (FulcrumOAuthFlow *flow,
                                                GCancellable     *cancellable,
                                                GError          **error);

typedef struct _FlowWait FlowWait;
/* Starts a wait whose result is collected later with flow_wait_end(). */
FlowWait         *flow_wait_begin              (FulcrumOAuthFlow *flow,
                                                GCancellable     *cancellable);
gboolean          flow_wait_is_done            (FlowWait         *wait);
FulcrumTokenSet  *flow_wait_end                (FlowWait         *wait,
                                                GError          **error);

/* A token endpoint with a scripted answer (none for status 0) that records what it was
 * sent. */
typedef struct
{
  SoupServer *server;
  char       *url;
  guint       status;
  char       *content_type;
  char       *body;
  guint       n_requests;
  GHashTable *form;           /* the last request's form */
  char       *accept;
  char       *request_content_type;
} TokenEndpoint;

TokenEndpoint    *token_endpoint_new           (guint          status,
                                                const char    *content_type,
                                                const char    *body);
void              token_endpoint_free          (TokenEndpoint *endpoint);

/* Records every log message (G_MESSAGES_DEBUG=all included) for leak checks. */
void              log_capture_install          (void);
const char       *log_capture_get              (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BrowserPage, browser_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokenEndpoint, token_endpoint_free)

G_END_DECLS
