/* fulcrum-sim-api-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fulcrum-scopes.h"
#include "fulcrum-sim-private.h"

/* Who may call the API: the bearer token (its environment, expiry, revocation), its
 * rate limit bucket, and its scopes. */

gboolean
fulcrum_sim_api_has_scope (FulcrumSimRequest *req,
                           const char        *scope)
{
  return req->access != NULL &&
         fulcrum_scopes_covers ((const char * const *) req->access->family->scopes, scope);
}

gboolean
fulcrum_sim_api_require_scope (FulcrumSimRequest *req,
                               const char        *scope)
{
  g_autofree char *message = NULL;

  if (fulcrum_sim_api_has_scope (req, scope))
    return TRUE;
  message = g_strdup_printf ("This token is missing the required scope: %s", scope);
  fulcrum_sim_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "Forbidden", message);
  return FALSE;
}

/* Authentication and rate limit */

static void
reply_unauthorized (FulcrumSimRequest *req,
                    const char        *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  g_autofree char *challenge = g_strdup_printf ("Bearer realm=\"Lever\", error=\"invalid_token\", "
                                                "error_description=\"%s\"", message);

  soup_message_headers_replace (headers, "WWW-Authenticate", challenge);
  fulcrum_sim_request_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "Unauthorized", message);
}

gboolean
fulcrum_sim_api_authenticate (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  gint64 now = fulcrum_sim_server_now_us (self) / 1000;
  g_autofree char *hash = NULL;
  FulcrumSimAccess *access;
  const char *token;

  if (authorization == NULL)
    {
      reply_unauthorized (req, "No credentials were provided");
      return FALSE;
    }
  if (g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    {
      reply_unauthorized (req, "The simulator accepts OAuth bearer tokens only");
      return FALSE;
    }
  token = authorization + 7;

  if (g_str_has_prefix (token, "sim_"))
    {
      const char *kid = token + 4;
      const char *end = strchr (kid, '_');

      if (end == NULL || (gsize) (end - kid) != strlen (self->key_id) ||
          strncmp (kid, self->key_id, end - kid) != 0)
        {
          fulcrum_sim_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "Forbidden",
                                           "Unable to find a signing key that matches");
          return FALSE;
        }
    }
  else if (strchr (token, '.') != NULL && strchr (strchr (token, '.') + 1, '.') != NULL)
    {
      /* a JWT signed for some other environment */
      fulcrum_sim_request_reply_error (req, SOUP_STATUS_FORBIDDEN, "Forbidden",
                                       "Unable to find a signing key that matches");
      return FALSE;
    }

  hash = fulcrum_sim_hash_token (token);
  access = g_hash_table_lookup (self->auth->access, hash);
  if (access == NULL || access->revoked || access->family->revoked)
    {
      reply_unauthorized (req, "Invalid token");
      return FALSE;
    }
  if (now >= access->expires_at)
    {
      reply_unauthorized (req, "The access token expired");
      return FALSE;
    }

  req->access = access;
  return TRUE;
}

gboolean
fulcrum_sim_api_take_rate_limit (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;
  double wait = 0;

  if (!self->rate_limit_enabled || fulcrum_sim_rate_limit_take (self, req->access, &wait))
    return TRUE;

  self->stats.rate_limited++;
  if (self->retry_after)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
      char seconds[32];

      g_snprintf (seconds, sizeof seconds, "%d", MAX (1, (int) ceil (wait)));
      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  fulcrum_sim_request_reply_error (req, 429, "TooManyRequests",
                                   "Rate limit exceeded. Slow down and retry later.");
  return FALSE;
}

