/* fulcrumctl-run-test-util.h: a "fulcrumctl sim serve" and accounts linked to it, for the
 * action and run tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrumctl-test-util.h"

G_BEGIN_DECLS

#define FULCRUMCTL_TEST_EXIT_NEEDS_RELINK 3

/* One "fulcrumctl sim serve" process on free ports, with an app whose callback is on a
 * free loopback port too, and the custom environment that points at it. */
typedef struct
{
  GSubprocess *process;
  guint        port;
  char        *environment;    /* the id "fulcrumctl env add" gave it */
  char        *client_id;
  char        *client_secret;
  char        *redirect_uri;
  char        *authorize_url;
  char        *token_url;
  char        *audience;
  char        *api_base;
  char        *url;
} RunTestSim;

/* Starts a simulator with @n_opportunities, no latency and no rate limit, and @extra_args
 * (NULL-terminated, may be NULL) for "sim serve"; adds an environment named @name for it
 * (with a high rate limit) unless @name is NULL. */
RunTestSim *run_test_sim_start           (const char          *name,
                                          guint                n_opportunities,
                                          const char * const  *extra_args);
/* The same app and port again, after run_test_sim_stop(): a simulator restarted without
 * memory of the tokens it issued. */
void        run_test_sim_restart         (RunTestSim          *sim,
                                          guint                n_opportunities);
void        run_test_sim_stop            (RunTestSim          *sim);
void        run_test_sim_free            (RunTestSim          *sim);
/* GET /_sim/stats. */
JsonObject *run_test_sim_get_stats       (RunTestSim          *sim);

/* "profile create" for @sim's app with @scopes (comma separated), secret on stdin. */
void        run_test_create_profile      (RunTestSim          *sim,
                                          const char          *name,
                                          const char          *scopes);
/* "account link --profile @profile --no-browser --label @label", answered as a browser
 * would; returns the new account's id. */
char       *run_test_link_account        (const char          *profile,
                                          const char          *label);

/* fulcrumctl with the arguments; asserts it ended by itself. */
void        run_test_ctl                 (FulcrumctlRun       *run,
                                          const char          *first_arg,
                                          ...) G_GNUC_NULL_TERMINATED;
/* The ids of a JSON array of records, or of JSON Lines; asserts each record has one and
 * none comes twice. */
GHashTable *run_test_collect_ids         (JsonArray           *records);
JsonArray  *run_test_parse_json_lines    (const char          *text);
/* RFC 4180: rows of cells (GStrv), the header first. */
GPtrArray  *run_test_parse_csv           (const char          *text);
/* A path under the test root for an output file. */
char       *run_test_output_path         (const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunTestSim, run_test_sim_free)

G_END_DECLS
