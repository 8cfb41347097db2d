/* fulcrum-sim-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include "fulcrum-sim-private.h"

/* What GET /_sim/stats answers, so that tests and benchmarks can check what happened.
 * Requests to /_sim/ themselves are not counted. */
JsonNode *
fulcrum_sim_stats_to_json (const FulcrumSimStats *stats)
{
  static const char * const grants[FULCRUM_SIM_N_GRANTS] = {
    [FULCRUM_SIM_GRANT_AUTHORIZATION_CODE] = "authorization_code",
    [FULCRUM_SIM_GRANT_REFRESH_TOKEN] = "refresh_token",
    [FULCRUM_SIM_GRANT_OTHER] = "other",
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);

#define COUNTER(name, value) \
  json_builder_set_member_name (builder, name); \
  json_builder_add_int_value (builder, (gint64) (value))

  COUNTER ("requests", stats->requests);
  COUNTER ("api_requests", stats->api_requests);

  json_builder_set_member_name (builder, "responses");
  json_builder_begin_object (builder);
  for (guint status = 0; status < G_N_ELEMENTS (stats->responses); status++)
    {
      char name[8];

      if (stats->responses[status] == 0)
        continue;
      g_snprintf (name, sizeof name, "%u", status);
      COUNTER (name, stats->responses[status]);
    }
  json_builder_end_object (builder);

  COUNTER ("rate_limited", stats->rate_limited);
  COUNTER ("authorize_requests", stats->authorize_requests);
  COUNTER ("consents_allowed", stats->consents_allowed);
  COUNTER ("consents_denied", stats->consents_denied);

  json_builder_set_member_name (builder, "token_requests");
  json_builder_begin_object (builder);
  for (guint i = 0; i < FULCRUM_SIM_N_GRANTS; i++)
    {
      COUNTER (grants[i], stats->token_requests[i]);
    }
  json_builder_end_object (builder);

  COUNTER ("access_tokens_issued", stats->access_tokens_issued);
  COUNTER ("refresh_tokens_rotated", stats->refresh_tokens_rotated);
  COUNTER ("families_revoked", stats->families_revoked);
  COUNTER ("pages", stats->pages);
  COUNTER ("records", stats->records);
  COUNTER ("writes", stats->writes);

  json_builder_set_member_name (builder, "faults");
  json_builder_begin_object (builder);
  for (guint i = 0; i < FULCRUM_SIM_N_FAULTS; i++)
    {
      COUNTER (fulcrum_sim_fault_to_string (i), stats->faults[i]);
    }
  json_builder_end_object (builder);

#undef COUNTER

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
