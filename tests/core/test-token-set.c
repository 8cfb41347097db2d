/* test-token-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"

#define NOW (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC)

static FulcrumTokenSet *
parse (guint        status,
       const char  *content_type,
       const char  *body,
       GError     **error)
{
  return fulcrum_token_set_new_from_response (status, content_type, body, strlen (body), NOW, error);
}

static void
test_lever_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumTokenSet) set =
    parse (200, "application/json",
           "{\"access_token\":\"at1\",\"refresh_token\":\"rt1\",\"token_type\":\"Bearer\","
           "\"expires_in\":3600,\"scope\":\"offline_access users:read:admin\",\"extra\":[1]}",
           &error);

  g_assert_no_error (error);
  g_assert_cmpstr (set->access_token, ==, "at1");
  g_assert_cmpstr (set->refresh_token, ==, "rt1");
  g_assert_cmpstr (set->token_type, ==, "Bearer");
  g_assert_cmpstr (set->scope, ==, "offline_access users:read:admin");
  g_assert_cmpint (set->expires_at, ==, NOW + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_assert_cmpint (set->obtained_at, ==, NOW);
}

static void
test_expires_in_variants (void)
{
  struct { const char *value; gint64 expected; } cases[] = {
    { "", 0 },                                   /* missing: unknown */
    { ",\"expires_in\":\"1800\"", NOW + G_GINT64_CONSTANT (1800) * G_USEC_PER_SEC },
    { ",\"expires_in\":-5", NOW },               /* negative: already expired */
    { ",\"expires_in\":0", NOW },
    { ",\"expires_in\":1e300", NOW + G_GINT64_CONSTANT (366 * 24 * 3600) * G_USEC_PER_SEC },
    { ",\"expires_in\":\"soon\"", 0 },
    { ",\"expires_in\":null", 0 },
    { ",\"expires_in\":59.5", NOW + 59500000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *body = g_strdup_printf ("{\"access_token\":\"a\"%s}", cases[i].value);
      g_autoptr(FulcrumTokenSet) set = parse (200, "application/json", body, &error);

      g_assert_no_error (error);
      g_assert_cmpint (set->expires_at, ==, cases[i].expected);
    }
}

static void
test_form_encoded (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumTokenSet) set =
    parse (200, "application/x-www-form-urlencoded",
           "access_token=at%2F2&refresh_token=rt2&expires_in=60&scope=offline_access+x", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (set->access_token, ==, "at/2");
  g_assert_cmpstr (set->refresh_token, ==, "rt2");
  g_assert_cmpint (set->expires_at, ==, NOW + G_GINT64_CONSTANT (60) * G_USEC_PER_SEC);
}

static void
test_errors (void)
{
  struct {
    guint status;
    const char *body;
    int code;
    const char *in_message;
  } cases[] = {
    { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Unknown or invalid refresh token.\"}",
      FULCRUM_OAUTH_ERROR_INVALID_GRANT, "Unknown or invalid refresh token." },
    /* Some servers answer 200 with an error body: that is an error too. */
    { 200, "{\"error\":\"invalid_grant\"}", FULCRUM_OAUTH_ERROR_INVALID_GRANT, "invalid_grant" },
    { 401, "{\"error\":\"invalid_client\"}", FULCRUM_OAUTH_ERROR_INVALID_CLIENT, "client secret" },
    { 401, "", FULCRUM_OAUTH_ERROR_INVALID_CLIENT, "client secret" },
    { 400, "{\"error\":\"invalid_scope\"}", FULCRUM_OAUTH_ERROR_REJECTED, "invalid_scope" },
    { 403, "{}", FULCRUM_OAUTH_ERROR_REJECTED, "403" },
    { 500, "{\"error\":\"weird\"}", FULCRUM_OAUTH_ERROR_TRANSIENT, "weird" },
    { 503, "<html><body>Service Unavailable</body></html>", FULCRUM_OAUTH_ERROR_TRANSIENT, "503" },
    { 429, "", FULCRUM_OAUTH_ERROR_TRANSIENT, "429" },
    { 200, "<!DOCTYPE html><html>login</html>", FULCRUM_OAUTH_ERROR_INVALID_RESPONSE, "web page" },
    { 200, "{\"access_token\":\"abc\",\"refresh_", FULCRUM_OAUTH_ERROR_INVALID_RESPONSE, "could not be read" },
    { 200, "{\"token_type\":\"Bearer\"}", FULCRUM_OAUTH_ERROR_INVALID_RESPONSE, "without an access token" },
    { 200, "", FULCRUM_OAUTH_ERROR_INVALID_RESPONSE, "could not be read" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FulcrumTokenSet) set = parse (cases[i].status, "application/json", cases[i].body, &error);

      g_assert_null (set);
      g_assert_error (error, FULCRUM_OAUTH_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].in_message) == NULL)
        g_error ("case %u: “%s” not in “%s”", i, cases[i].in_message, error->message);
      /* Tokens in a broken body never reach the message. */
      g_assert_null (strstr (error->message, "abc"));
    }
}

static void
test_description_is_cleaned (void)
{
  g_autoptr(GError) error = fulcrum_oauth_error_from_code ("access_denied",
                                                           "The user said no\n\x1b[31mreally");

  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_ACCESS_DENIED);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_nonnull (strstr (error->message, "The user said no"));
}

static void
test_blob_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumTokenSet) set = parse (200, NULL, "{\"access_token\":\"a\",\"refresh_token\":\"r\","
                                                     "\"expires_in\":10,\"scope\":\"s t\"}", &error);
  g_autofree char *blob = fulcrum_token_set_serialize (set);
  g_autofree char *blob2 = NULL;
  g_autoptr(FulcrumTokenSet) back = fulcrum_token_set_deserialize (blob, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (blob, "\"version\":1"));
  g_assert_cmpstr (back->access_token, ==, "a");
  g_assert_cmpstr (back->refresh_token, ==, "r");
  g_assert_cmpstr (back->scope, ==, "s t");
  g_assert_cmpint (back->expires_at, ==, set->expires_at);
  g_assert_cmpint (back->obtained_at, ==, NOW);
  blob2 = fulcrum_token_set_serialize (back);
  g_assert_cmpstr (blob, ==, blob2);

  g_assert_null (fulcrum_token_set_deserialize ("{\"version\":7,\"access_token\":\"a\"}", &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
  g_clear_error (&error);
  g_assert_null (fulcrum_token_set_deserialize ("not json", &error));
  g_assert_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_NEEDS_RELINK);
}

static void
test_expiry_boundaries (void)
{
  FulcrumTokenSet set = { 0 };
  gint64 window_start;

  set.expires_at = NOW + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  window_start = set.expires_at - G_GINT64_CONSTANT (120) * G_USEC_PER_SEC;

  g_assert_false (fulcrum_token_set_is_expired (&set, window_start - 1000, 120));
  g_assert_true (fulcrum_token_set_is_expired (&set, window_start, 120));
  g_assert_true (fulcrum_token_set_is_expired (&set, window_start + G_USEC_PER_SEC, 120));

  set.expires_at = 0;
  g_assert_false (fulcrum_token_set_is_expired (&set, NOW, 120));
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token-set/lever-response", test_lever_response);
  g_test_add_func ("/token-set/expires-in-variants", test_expires_in_variants);
  g_test_add_func ("/token-set/form-encoded", test_form_encoded);
  g_test_add_func ("/token-set/errors", test_errors);
  g_test_add_func ("/token-set/description-cleaned", test_description_is_cleaned);
  g_test_add_func ("/token-set/blob-round-trip", test_blob_round_trip);
  g_test_add_func ("/token-set/expiry-boundaries", test_expiry_boundaries);

  return g_test_run ();
}
