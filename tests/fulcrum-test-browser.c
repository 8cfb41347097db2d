/* fulcrum-test-browser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-test-browser.h"
#include "fulcrum-test-util.h"

#define WAIT_MS 30000

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Fetch;

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &fetch->error);
  fetch->done = TRUE;
}

/* @msg's body; a browser looks at a redirect before following it. */
static char *
fetch (SoupSession *session,
       SoupMessage *msg)
{
  Fetch result = { 0 };
  char *text;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, fetched_cb, &result);
  fulcrum_test_wait_for (&result.done, WAIT_MS);
  g_assert_no_error (result.error);
  text = g_strndup (g_bytes_get_data (result.body, NULL), g_bytes_get_size (result.body));
  g_bytes_unref (result.body);
  return text;
}

static char *
html_unescape (const char *text)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&amp;", '&' }, { "&quot;", '"' }, { "&#39;", '\'' }, { "&#x27;", '\'' },
    { "&lt;", '<' }, { "&gt;", '>' },
  };
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; )
    {
      gboolean replaced = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (entities) && *p == '&'; i++)
        if (g_str_has_prefix (p, entities[i].entity))
          {
            g_string_append_c (out, entities[i].c);
            p += strlen (entities[i].entity);
            replaced = TRUE;
            break;
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

char *
fulcrum_test_answer_consent (SoupSession *session,
                             const char  *authorize_url,
                             const char  *decision)
{
  g_autoptr(SoupMessage) consent = soup_message_new (SOUP_METHOD_GET, authorize_url);
  g_autoptr(SoupMessage) answer = NULL;
  g_autoptr(GRegex) form_regex = NULL;
  g_autoptr(GRegex) input_regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *ignored = NULL;
  g_autofree char *action = NULL;
  g_autofree char *action_url = NULL;
  const char *location;

  g_assert_nonnull (consent);
  html = fetch (session, consent);
  g_assert_cmpuint (soup_message_get_status (consent), ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (html, "name=\"decision\" value=\"allow\""));

  /* The form posts its hidden fields and the button pressed. */
  form_regex = g_regex_new ("<form[^>]*method=\"post\"[^>]*action=\"([^\"]+)\"",
                            G_REGEX_CASELESS, 0, &error);
  g_assert_no_error (error);
  if (!g_regex_match (form_regex, html, 0, &match))
    g_error ("no consent form on the page: %s", html);
  action = g_match_info_fetch (match, 1);
  g_clear_pointer (&match, g_match_info_unref);

  input_regex = g_regex_new ("<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*"
                             "value=\"([^\"]*)\"", G_REGEX_CASELESS, 0, &error);
  g_assert_no_error (error);
  g_regex_match (input_regex, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_autofree char *raw_value = g_match_info_fetch (match, 2);
      g_autofree char *value = html_unescape (raw_value);

      g_string_append_printf (form, "%s%s=", form->len > 0 ? "&" : "", name);
      g_string_append_uri_escaped (form, value, NULL, FALSE);
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (form->len, >, 0);
  g_string_append_printf (form, "&decision=%s", decision);

  action_url = g_uri_resolve_relative (authorize_url, action, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  answer = soup_message_new_from_encoded_form (SOUP_METHOD_POST, action_url,
                                               g_string_free (g_steal_pointer (&form), FALSE));
  ignored = fetch (session, answer);
  g_assert_cmpuint (soup_message_get_status (answer), ==, SOUP_STATUS_FOUND);
  location = soup_message_headers_get_one (soup_message_get_response_headers (answer),
                                           "Location");
  g_assert_nonnull (location);

  return g_strdup (location);
}
