/* fulcrum-lever-errors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-lever-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fulcrum-environment.h"
#include "fulcrum-lever-private.h"

/* Lever's answers in the user's words (lever-api.md §5). */

#define MAX_MESSAGE_CHARS 300

static char *
strip_trailing_slashes (const char *url)
{
  char *copy = g_strdup (url != NULL ? url : "");

  while (g_str_has_suffix (copy, "/"))
    copy[strlen (copy) - 1] = '\0';
  return copy;
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : url);
}

/* The environment whose API the account's token was sent to: another environment of the
 * store with the same API base (or host), else the API's host. */
static char *
dup_called_environment_name (FulcrumStore       *store,
                             FulcrumEnvironment *own)
{
  g_autofree char *api_base = strip_trailing_slashes (fulcrum_environment_get_api_base (own));
  g_autofree char *api_host = host_of (api_base);
  GListModel *environments = fulcrum_store_get_environments (store);
  g_autofree char *host_match = NULL;
  guint n = g_list_model_get_n_items (environments);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FulcrumEnvironment) env = g_list_model_get_item (environments, i);
      g_autofree char *other_base = NULL;
      g_autofree char *other_host = NULL;

      if (env == own)
        continue;
      other_base = strip_trailing_slashes (fulcrum_environment_get_api_base (env));
      if (g_ascii_strcasecmp (other_base, api_base) == 0)
        return g_strdup (fulcrum_environment_get_name (env));
      other_host = host_of (other_base);
      if (host_match == NULL && g_ascii_strcasecmp (other_host, api_host) == 0)
        host_match = g_strdup (fulcrum_environment_get_name (env));
    }
  if (host_match != NULL)
    return g_steal_pointer (&host_match);
  return g_strdup_printf (_("the API at %s"), api_host);
}

static char *
dup_lever_message (guint       status,
                   JsonNode   *root,
                   const char *html_title)
{
  const char *message = NULL;
  g_autofree char *text = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *members[] = { "message", "error_description", "error", "code" };

      for (guint i = 0; i < G_N_ELEMENTS (members) && message == NULL; i++)
        {
          JsonNode *node = json_object_get_member (object, members[i]);

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            message = json_node_get_string (node);
        }
    }
  if (message == NULL)
    message = html_title;
  if (message == NULL)
    message = soup_status_get_phrase (status);
  if (message == NULL)
    message = _("no explanation given");

  /* a hostile or broken server must not flood the UI */
  text = g_utf8_make_valid (message, -1);
  if (g_utf8_strlen (text, -1) > MAX_MESSAGE_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (text, MAX_MESSAGE_CHARS);

      *end = '\0';
      return g_strconcat (text, "…", NULL);
    }
  return g_steal_pointer (&text);
}

GError *
fulcrum_lever_error_from_response (FulcrumStore         *store,
                                   FulcrumLinkedAccount *account,
                                   guint                 status,
                                   JsonNode             *root,
                                   const char           *html_title)
{
  g_autofree char *message = dup_lever_message (status, root, html_title);

  if (status == SOUP_STATUS_FORBIDDEN && strstr (message, "signing key") != NULL)
    {
      const char *env_id = fulcrum_linked_account_get_environment_id (account);
      FulcrumEnvironment *own = fulcrum_store_find_environment (store, env_id);
      g_autofree char *called = NULL;

      if (own != NULL)
        called = dup_called_environment_name (store, own);
      return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_WRONG_ENVIRONMENT,
                          _("This account was linked in %s; it cannot call %s."),
                          own != NULL ? fulcrum_environment_get_name (own) : env_id,
                          called != NULL ? called : _("this API"));
    }

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_UNAUTHORIZED,
                          _("Lever refused the access token even after a refresh (%s). "
                            "Try linking the account again."), message);
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_FORBIDDEN,
                          _("Lever refused the request: %s"), message);
    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_NOT_FOUND,
                          _("Lever found nothing there: %s"), message);
    case HTTP_TOO_MANY_REQUESTS:
      return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_RATE_LIMITED,
                          _("Lever’s rate limit stopped the request: %s"), message);
    case SOUP_STATUS_BAD_REQUEST:
      if (strstr (message, "Invalid offset token") != NULL)
        return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_OFFSET,
                            _("Lever refused the page position: %s"), message);
      break;
    default:
      break;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_SERVER,
                        _("Lever had a problem (HTTP %u): %s"), status, message);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
                        _("Lever answered with a redirect (HTTP %u), which is not followed."),
                        status);
  if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_BAD_REQUEST,
                        _("Lever refused the request (HTTP %u): %s"), status, message);
  return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
                      _("Lever answered with an unexpected status (HTTP %u): %s"),
                      status, message);
}

char *
fulcrum_lever_html_title (const char *body,
                          gsize       len)
{
  g_autofree char *text = g_strndup (body, MIN (len, 64 * 1024));
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_autofree char *title = NULL;
  const char *start = strstr (lower, "<title");
  const char *end;

  if (start == NULL || (start = strchr (start, '>')) == NULL)
    return NULL;
  start++;
  end = strstr (start, "</title");
  if (end == NULL)
    return NULL;
  title = g_strndup (text + (start - lower), end - start);
  g_strstrip (title);
  if (title[0] == '\0')
    return NULL;
  return g_utf8_make_valid (title, -1);
}

gint64
fulcrum_lever_parse_retry_after (const char *value,
                                 gint64      now_us)
{
  g_autoptr(GDateTime) date = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds * G_USEC_PER_SEC;

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  return MAX (0, g_date_time_to_unix (date) * G_USEC_PER_SEC - now_us);
}

void
fulcrum_lever_error_add_partial (GError  **error,
                                 guint64   n_records)
{
  g_autofree char *message = NULL;

  if (error == NULL || *error == NULL || n_records == 0)
    return;
  message = g_strdup_printf (ngettext ("%s (%lu record was delivered before the run failed.)",
                                       "%s (%lu records were delivered before the run failed.)",
                                       (gulong) n_records),
                             (*error)->message, (gulong) n_records);
  g_free ((*error)->message);
  (*error)->message = g_steal_pointer (&message);
}
