/* test-scopes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"

static char **
normalize (GError **error,
           ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) scopes = NULL;
  const char *scope;
  va_list args;

  va_start (args, error);
  while ((scope = va_arg (args, const char *)))
    g_strv_builder_add (builder, scope);
  va_end (args);

  scopes = g_strv_builder_end (builder);
  return fulcrum_scopes_normalize ((const char * const *) scopes, error);
}

static void
test_catalogue (void)
{
  const char * const *known = fulcrum_scopes_get_known ();
  const FulcrumScopeResource *resources;
  guint n_resources, n_from_resources = 0;

  /* lever-api.md §3 lists 45 scopes. */
  g_assert_cmpuint (g_strv_length ((char **) known), ==, 45);
  g_assert_true (fulcrum_scopes_is_known ("confidential:access:admin"));
  g_assert_true (fulcrum_scopes_is_known ("uploads:write:admin"));
  g_assert_true (fulcrum_scopes_is_known ("eeo_responses_pii:read:admin"));
  /* Names seen in the wild that are not Lever scopes. */
  g_assert_false (fulcrum_scopes_is_known ("opportunities:read"));
  g_assert_false (fulcrum_scopes_is_known ("candidates:read:admin"));
  g_assert_false (fulcrum_scopes_is_known ("contacts:read:admin"));

  resources = fulcrum_scopes_get_resources (&n_resources);
  for (guint i = 0; i < n_resources; i++)
    n_from_resources += (resources[i].read_scope != NULL) + (resources[i].write_scope != NULL);
  g_assert_cmpuint (n_from_resources, ==, 45);
}

static void
test_unknown_scope_is_named (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) result = normalize (&error, "offline_access", "users:read:admin",
                                    "candidates:read:admin", NULL);

  g_assert_null (result);
  g_assert_error (error, FULCRUM_SCOPES_ERROR, FULCRUM_SCOPES_ERROR_UNKNOWN_SCOPE);
  g_assert_nonnull (strstr (error->message, "candidates:read:admin"));
}

static void
test_required (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) result = NULL;

  result = normalize (&error, "users:read:admin", "opportunities:read:admin", NULL);
  g_assert_error (error, FULCRUM_SCOPES_ERROR, FULCRUM_SCOPES_ERROR_MISSING_REQUIRED);
  g_assert_nonnull (strstr (error->message, "offline_access"));
  g_clear_error (&error);

  result = normalize (&error, "offline_access", "opportunities:read:admin", NULL);
  g_assert_error (error, FULCRUM_SCOPES_ERROR, FULCRUM_SCOPES_ERROR_MISSING_REQUIRED);
  g_assert_nonnull (strstr (error->message, "users:read:admin"));
  g_clear_error (&error);

  result = normalize (&error, NULL);
  g_assert_error (error, FULCRUM_SCOPES_ERROR, FULCRUM_SCOPES_ERROR_MISSING_REQUIRED);
  g_clear_error (&error);

  /* Required scopes are kept by name even when a write scope would cover them. */
  result = normalize (&error, "offline_access", "users:read:admin", "users:write:admin", NULL);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) result, "users:read:admin"));
  g_assert_true (g_strv_contains ((const char * const *) result, "users:write:admin"));
}

static void
test_write_implies_read (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) result = normalize (&error, "notes:read:admin", "offline_access",
                                    "notes:write:admin", "users:read:admin",
                                    "opportunities:read:admin", " notes:read:admin ",
                                    "opportunities:read:admin", NULL);
  const char *expected[] = { "offline_access", "users:read:admin", "opportunities:read:admin",
                             "notes:write:admin", NULL };

  g_assert_no_error (error);
  /* Minimal set, deduplicated, in catalogue order. */
  g_assert_cmpstrv (result, expected);

  g_assert_true (fulcrum_scopes_covers ((const char * const *) result, "notes:read:admin"));
  g_assert_true (fulcrum_scopes_covers ((const char * const *) result, "notes:write:admin"));
  g_assert_false (fulcrum_scopes_covers ((const char * const *) result, "opportunities:write:admin"));
  g_assert_false (fulcrum_scopes_covers ((const char * const *) result, "postings:read:admin"));
}

static void
test_at_most_twenty (void)
{
  const char * const *known = fulcrum_scopes_get_known ();
  g_autoptr(GPtrArray) scopes = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) result = NULL;

  /* Read-only scopes, so none is dropped as implied. */
  g_ptr_array_add (scopes, (gpointer) "offline_access");
  g_ptr_array_add (scopes, (gpointer) "users:read:admin");
  for (guint i = 0; known[i] && scopes->len < 21; i++)
    if (strstr (known[i], ":read:") && !g_str_equal (known[i], "users:read:admin"))
      g_ptr_array_add (scopes, (gpointer) known[i]);
  g_assert_cmpuint (scopes->len, ==, 21);
  g_ptr_array_add (scopes, NULL);

  result = fulcrum_scopes_normalize ((const char * const *) scopes->pdata, &error);
  g_assert_null (result);
  g_assert_error (error, FULCRUM_SCOPES_ERROR, FULCRUM_SCOPES_ERROR_TOO_MANY);
  g_assert_nonnull (strstr (error->message, "20"));
  g_clear_error (&error);

  /* Exactly 20 is allowed. */
  g_ptr_array_remove_index (scopes, scopes->len - 2);
  result = fulcrum_scopes_normalize ((const char * const *) scopes->pdata, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (result), ==, 20);
}

static void
test_size_hint (void)
{
  g_autofree char *small = NULL;
  g_autofree char *big = NULL;
  const char *two[] = { "offline_access", "users:read:admin", NULL };
  const char *nine[] = { "offline_access", "users:read:admin", "opportunities:read:admin",
                         "postings:read:admin", "stages:read:admin", "tags:read:admin",
                         "sources:read:admin", "notes:read:admin", "offers:read:admin", NULL };

  small = fulcrum_scopes_get_size_hint (two);
  g_assert_nonnull (small);
  big = fulcrum_scopes_get_size_hint (nine);
  g_assert_nonnull (big);
  /* The default set is valid and within the recommended size. */
  g_assert_null (fulcrum_scopes_get_size_hint (fulcrum_scopes_get_default ()));
  {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) normalized = fulcrum_scopes_normalize (fulcrum_scopes_get_default (), &error);

    g_assert_no_error (error);
    g_assert_cmpstrv (normalized, fulcrum_scopes_get_default ());
  }
}

static void
test_string_round_trip (void)
{
  g_auto(GStrv) scopes = fulcrum_scopes_from_string ("  offline_access  users:read:admin\tnotes:write:admin ");
  g_autofree char *str = NULL;

  g_assert_cmpuint (g_strv_length (scopes), ==, 3);
  str = fulcrum_scopes_to_string ((const char * const *) scopes);
  g_assert_cmpstr (str, ==, "offline_access users:read:admin notes:write:admin");
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scopes/catalogue", test_catalogue);
  g_test_add_func ("/scopes/unknown-named", test_unknown_scope_is_named);
  g_test_add_func ("/scopes/required", test_required);
  g_test_add_func ("/scopes/write-implies-read", test_write_implies_read);
  g_test_add_func ("/scopes/at-most-twenty", test_at_most_twenty);
  g_test_add_func ("/scopes/size-hint", test_size_hint);
  g_test_add_func ("/scopes/string", test_string_round_trip);

  return g_test_run ();
}
