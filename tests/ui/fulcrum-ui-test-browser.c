/* fulcrum-ui-test-browser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "fulcrum-test-browser.h"
#include "fulcrum-test-util.h"
#include "fulcrum-ui-test-browser.h"
#include "fulcrum-ui-test-util.h"

typedef struct
{
  gboolean  done;
  guint     status;
  char     *body;
  char     *location;
  GError   *error;
} Response;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Response *response = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &response->error);
  if (body != NULL)
    {
      response->status = soup_message_get_status (msg);
      response->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      response->location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                   "Location"));
    }
  response->done = TRUE;
}

static void
request (const char *method,
         const char *url,
         const char *form,
         Response   *response)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  /* A browser would follow the redirect; the test looks at it first. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, response);
  fulcrum_test_wait_for (&response->done, WAIT_MS);
  g_assert_no_error (response->error);
}

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->body, g_free);
  g_clear_pointer (&response->location, g_free);
  g_clear_error (&response->error);
}

char *
ui_browser_consent (const char *authorize_url,
                    const char *decision)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  return fulcrum_test_answer_consent (session, authorize_url, decision);
}

guint
ui_browser_get (const char  *url,
                char       **body)
{
  Response page = { 0 };
  guint status;

  request (SOUP_METHOD_GET, url, NULL, &page);
  status = page.status;
  if (body != NULL)
    *body = g_steal_pointer (&page.body);
  response_clear (&page);

  return status;
}
