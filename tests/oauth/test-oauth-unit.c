/* test-oauth-unit.c: PKCE, state, the redirect's parameters and the browser pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-oauth-private.h"
#include "fulcrum-test-util.h"

static void
assert_base64url (const char *value,
                  gsize       length)
{
  g_assert_cmpuint (strlen (value), ==, length);
  for (const char *p = value; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
}

static void
test_verifier (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;

  /* 32 random bytes: 43 characters of RFC 7636's unreserved set, never twice the same. */
  for (guint i = 0; i < 200; i++)
    {
      char *verifier = fulcrum_oauth_random_token (FULCRUM_OAUTH_VERIFIER_BYTES, &error);

      g_assert_no_error (error);
      assert_base64url (verifier, 43);
      g_assert_false (g_hash_table_contains (seen, verifier));
      g_hash_table_add (seen, verifier);
    }
}

static void
test_challenge (void)
{
  /* RFC 7636, appendix B. */
  g_autofree char *challenge = fulcrum_oauth_challenge_s256 ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_base64url (void)
{
  static const guint8 data[] = { 0xfb, 0xff, 0xfe, 0x00, 0x3e };
  g_autofree char *one = fulcrum_oauth_base64url_encode (data, 1);
  g_autofree char *all = fulcrum_oauth_base64url_encode (data, sizeof data);

  g_assert_cmpstr (one, ==, "-w");
  g_assert_cmpstr (all, ==, "-__-AD4");
}

static void
test_secure_equal (void)
{
  g_assert_true (fulcrum_oauth_secure_equal ("abc", "abc"));
  g_assert_true (fulcrum_oauth_secure_equal ("", ""));
  g_assert_false (fulcrum_oauth_secure_equal ("abc", "abd"));
  g_assert_false (fulcrum_oauth_secure_equal ("abc", "ab"));
  g_assert_false (fulcrum_oauth_secure_equal ("ab", "abc"));
  g_assert_false (fulcrum_oauth_secure_equal (NULL, "abc"));
  g_assert_false (fulcrum_oauth_secure_equal ("abc", NULL));
  g_assert_false (fulcrum_oauth_secure_equal (NULL, NULL));
}

static void
test_redirect_parse (void)
{
  g_autoptr(FulcrumOAuthRedirect) full = NULL;
  g_autoptr(FulcrumOAuthRedirect) empty = NULL;
  g_autoptr(FulcrumOAuthRedirect) others = NULL;
  g_autoptr(FulcrumOAuthRedirect) repeated = NULL;
  g_autoptr(FulcrumOAuthRedirect) broken = NULL;
  g_autoptr(FulcrumOAuthRedirect) nul = NULL;
  g_autoptr(FulcrumOAuthRedirect) error = NULL;

  full = fulcrum_oauth_redirect_parse ("code=a%2Bb&state=s-_~&iss=https%3A%2F%2Fauth.lever.co%2F");
  g_assert_cmpstr (full->code, ==, "a+b");
  g_assert_cmpstr (full->state, ==, "s-_~");
  g_assert_cmpstr (full->iss, ==, "https://auth.lever.co/");
  g_assert_null (full->error);
  g_assert_false (full->malformed);

  error = fulcrum_oauth_redirect_parse ("error=access_denied&error_description=User+did+not%20authorize&state=x");
  g_assert_cmpstr (error->error, ==, "access_denied");
  g_assert_cmpstr (error->error_description, ==, "User did not authorize");

  empty = fulcrum_oauth_redirect_parse (NULL);
  g_assert_true (fulcrum_oauth_redirect_is_empty (empty));

  /* Only the five parameters of a redirect are read. */
  others = fulcrum_oauth_redirect_parse ("utm_source=mail&scope=everything&&=&x");
  g_assert_true (fulcrum_oauth_redirect_is_empty (others));

  repeated = fulcrum_oauth_redirect_parse ("code=a&state=s&state=s");
  g_assert_true (repeated->malformed);
  g_assert_false (fulcrum_oauth_redirect_is_empty (repeated));

  broken = fulcrum_oauth_redirect_parse ("code=a&state=%zz");
  g_assert_true (broken->malformed);
  g_assert_null (broken->state);

  nul = fulcrum_oauth_redirect_parse ("code=a&state=ab%00cd");
  g_assert_true (nul->malformed);
}

static void
assert_self_contained (const char *page)
{
  static const char * const external[] = {
    "http:", "https:", "//", "src=", "href=", "url(", "@import", "<script", "<link", "<img",
  };

  for (guint i = 0; i < G_N_ELEMENTS (external); i++)
    g_assert_null (strstr (page, external[i]));
}

static void
test_pages (void)
{
  g_autoptr(GBytes) success = fulcrum_oauth_page_render (TRUE, "Lever answered", "All good.",
                                                         "You can close this tab and return to Fulcrum.");
  g_autoptr(GBytes) failure = fulcrum_oauth_page_render (FALSE, "The link did not work",
                                                         "Access <b>denied</b> & more",
                                                         "You can close this tab and return to Fulcrum to try again.");
  g_autofree char *success_text = g_strndup (g_bytes_get_data (success, NULL), g_bytes_get_size (success));
  g_autofree char *failure_text = g_strndup (g_bytes_get_data (failure, NULL), g_bytes_get_size (failure));

  assert_self_contained (success_text);
  assert_self_contained (failure_text);
  g_assert_cmpstr (success_text, !=, failure_text);
  g_assert_nonnull (strstr (success_text, "class=\"success\""));
  g_assert_nonnull (strstr (failure_text, "class=\"error\""));
  g_assert_nonnull (strstr (success_text, "return to Fulcrum"));

  /* Text from the server is escaped, never markup. */
  g_assert_null (strstr (failure_text, "<b>"));
  g_assert_nonnull (strstr (failure_text, "Access &lt;b&gt;denied&lt;/b&gt; &amp; more"));
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oauth/unit/verifier", test_verifier);
  g_test_add_func ("/oauth/unit/challenge", test_challenge);
  g_test_add_func ("/oauth/unit/base64url", test_base64url);
  g_test_add_func ("/oauth/unit/secure-equal", test_secure_equal);
  g_test_add_func ("/oauth/unit/redirect-parse", test_redirect_parse);
  g_test_add_func ("/oauth/unit/pages", test_pages);

  return g_test_run ();
}
