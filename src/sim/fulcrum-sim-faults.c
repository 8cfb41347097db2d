/* fulcrum-sim-faults.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-sim-private.h"

/* What goes wrong between a client and Lever: errors from Lever or from the proxies in
 * front of it, broken bodies, dropped connections, and Lever's rate limit. */

static const char * const fault_names[FULCRUM_SIM_N_FAULTS] = {
  [FULCRUM_SIM_FAULT_500] = "500",
  [FULCRUM_SIM_FAULT_502] = "502",
  [FULCRUM_SIM_FAULT_503] = "503",
  [FULCRUM_SIM_FAULT_HTML] = "html",
  [FULCRUM_SIM_FAULT_MALFORMED] = "malformed",
  [FULCRUM_SIM_FAULT_TRUNCATED] = "truncated",
  [FULCRUM_SIM_FAULT_RESET] = "reset",
  [FULCRUM_SIM_FAULT_DRIP] = "drip",
  [FULCRUM_SIM_FAULT_STALE_OFFSET] = "stale-offset",
  [FULCRUM_SIM_FAULT_TOKEN_500] = "token-500",
};

static const char bad_gateway_page[] =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
  "</body>\r\n</html>\r\n";

static const char maintenance_page[] =
  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
  "<title>Lever is down for maintenance</title></head>\n<body><h1>We’ll be right back</h1>"
  "<p>Lever is undergoing scheduled maintenance. Please try again shortly.</p></body></html>\n";

static const char login_page[] =
  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title>"
  "</head>\n<body><form method=\"post\" action=\"/login\"><label>Email <input name=\"email\">"
  "</label><button>Sign in</button></form></body></html>\n";

const char *
fulcrum_sim_fault_to_string (FulcrumSimFault fault)
{
  g_return_val_if_fail (fault < FULCRUM_SIM_N_FAULTS, NULL);
  return fault_names[fault];
}

gboolean
fulcrum_sim_fault_from_string (const char      *name,
                               FulcrumSimFault *fault)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < FULCRUM_SIM_N_FAULTS; i++)
    {
      if (strcmp (name, fault_names[i]) == 0)
        {
          if (fault != NULL)
            *fault = i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
fulcrum_sim_parse_fault_spec (const char       *spec,
                              FulcrumSimFault  *fault,
                              double           *rate,
                              GError          **error)
{
  g_autofree char *kind = NULL;
  const char *colon;
  char *end = NULL;
  double value;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (fault != NULL, FALSE);
  g_return_val_if_fail (rate != NULL, FALSE);

  colon = strrchr (spec, ':');
  if (colon == NULL)
    {
      g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_INVALID_FAULT,
                   "“%s” is not KIND:RATE", spec);
      return FALSE;
    }
  kind = g_strndup (spec, colon - spec);
  if (!fulcrum_sim_fault_from_string (kind, fault))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) fault_names);

      g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_INVALID_FAULT,
                   "Unknown fault “%s” (known: %s)", kind, known);
      return FALSE;
    }
  value = g_ascii_strtod (colon + 1, &end);
  if (end == colon + 1 || *end != '\0' || !(value >= 0.0 && value <= 1.0))
    {
      g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_INVALID_FAULT,
                   "The rate in “%s” must be a number from 0 to 1", spec);
      return FALSE;
    }
  *rate = value;
  return TRUE;
}

FulcrumSimFault
fulcrum_sim_faults_roll (FulcrumSimServer *self)
{
  /* one roll for the faults that exclude each other, in this order: each gets its own
   * rate as long as the rates add up to at most 1 */
  static const FulcrumSimFault exclusive[] = {
    FULCRUM_SIM_FAULT_500, FULCRUM_SIM_FAULT_502, FULCRUM_SIM_FAULT_503, FULCRUM_SIM_FAULT_HTML,
    FULCRUM_SIM_FAULT_MALFORMED, FULCRUM_SIM_FAULT_TRUNCATED, FULCRUM_SIM_FAULT_RESET,
    FULCRUM_SIM_FAULT_DRIP,
  };
  double roll;
  double sum = 0.0;

  for (guint i = 0; i < G_N_ELEMENTS (exclusive); i++)
    sum += self->fault_rates[exclusive[i]];
  if (sum <= 0.0)
    return FULCRUM_SIM_N_FAULTS;

  roll = g_rand_double (self->fault_rand);
  sum = 0.0;
  for (guint i = 0; i < G_N_ELEMENTS (exclusive); i++)
    {
      sum += self->fault_rates[exclusive[i]];
      if (roll < sum)
        return exclusive[i];
    }
  return FULCRUM_SIM_N_FAULTS;
}

gboolean
fulcrum_sim_faults_roll_one (FulcrumSimServer *self,
                             FulcrumSimFault   fault)
{
  double rate = self->fault_rates[fault];

  return rate > 0.0 && g_rand_double (self->fault_rand) < rate;
}

static void
reply_html (FulcrumSimRequest *req,
            guint              status,
            const char        *html)
{
  fulcrum_sim_request_reply (req, status, "text/html; charset=utf-8", g_string_new (html));
}

void
fulcrum_sim_faults_reply (FulcrumSimRequest *req)
{
  switch (req->fault)
    {
    case FULCRUM_SIM_FAULT_500:
      fulcrum_sim_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                       "InternalServerError", "An unexpected error occurred");
      break;
    case FULCRUM_SIM_FAULT_502:
      reply_html (req, SOUP_STATUS_BAD_GATEWAY, bad_gateway_page);
      break;
    case FULCRUM_SIM_FAULT_503:
      fulcrum_sim_request_reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                       "ServiceUnavailable",
                                       "The service is temporarily unavailable");
      break;
    case FULCRUM_SIM_FAULT_HTML:
      /* an HTML page where JSON was expected, with an error status or (worse) with 200 */
      if (g_rand_boolean (req->self->fault_rand))
        reply_html (req, SOUP_STATUS_SERVICE_UNAVAILABLE, maintenance_page);
      else
        reply_html (req, SOUP_STATUS_OK, login_page);
      break;
    case FULCRUM_SIM_FAULT_MALFORMED:
    case FULCRUM_SIM_FAULT_TRUNCATED:
    case FULCRUM_SIM_FAULT_RESET:
    case FULCRUM_SIM_FAULT_DRIP:
    case FULCRUM_SIM_FAULT_STALE_OFFSET:
    case FULCRUM_SIM_FAULT_TOKEN_500:
    case FULCRUM_SIM_N_FAULTS:
    default:
      g_assert_not_reached ();
    }
}

void
fulcrum_sim_faults_spoil_body (FulcrumSimRequest *req)
{
  GString *body = req->body;

  if (body == NULL || body->len < 2)
    return;

  if (req->fault == FULCRUM_SIM_FAULT_TRUNCATED)
    {
      /* a proper prefix of a JSON object is never valid JSON */
      g_string_truncate (body, body->len / 2);
    }
  else if (req->fault == FULCRUM_SIM_FAULT_MALFORMED)
    {
      /* the object closes with a bracket, and a stray comment follows */
      if (body->str[body->len - 1] == '}')
        body->str[body->len - 1] = ']';
      g_string_append (body, "\n<!-- upstream: response rewritten -->");
    }
}

gboolean
fulcrum_sim_rate_limit_take (FulcrumSimServer *self,
                             FulcrumSimAccess *access,
                             double           *retry_after)
{
  gint64 now = fulcrum_sim_server_now_us (self);
  double burst = self->rate_burst;

  if (access->bucket < 0)
    {
      access->bucket = burst;
      access->bucket_at_us = now;
    }
  else if (now > access->bucket_at_us)
    {
      access->bucket = MIN (burst, access->bucket + (now - access->bucket_at_us) / 1e6
                                                    * self->rate_limit);
      access->bucket_at_us = now;
    }

  if (access->bucket >= 1.0)
    {
      access->bucket -= 1.0;
      return TRUE;
    }
  *retry_after = (1.0 - access->bucket) / self->rate_limit;
  return FALSE;
}
