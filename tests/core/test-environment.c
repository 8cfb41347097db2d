/* test-environment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"

static void
test_builtins_carry_lever_urls (void)
{
  struct {
    FulcrumEnvironmentKind kind;
    const char *id, *authorize, *token, *audience, *api;
  } expected[] = {
    { FULCRUM_ENVIRONMENT_KIND_PRODUCTION, "production",
      "https://auth.lever.co/authorize", "https://auth.lever.co/oauth/token",
      "https://api.lever.co/v1/", "https://api.lever.co/v1" },
    { FULCRUM_ENVIRONMENT_KIND_SANDBOX, "sandbox",
      "https://sandbox-lever.auth0.com/authorize", "https://sandbox-lever.auth0.com/oauth/token",
      "https://api.sandbox.lever.co/v1/", "https://api.sandbox.lever.co/v1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(FulcrumEnvironment) env = fulcrum_environment_new_builtin (expected[i].kind);

      g_assert_cmpstr (fulcrum_environment_get_id (env), ==, expected[i].id);
      g_assert_cmpstr (fulcrum_environment_get_authorize_url (env), ==, expected[i].authorize);
      g_assert_cmpstr (fulcrum_environment_get_token_url (env), ==, expected[i].token);
      /* The audience keeps its trailing slash, or consent shows only offline_access. */
      g_assert_cmpstr (fulcrum_environment_get_audience (env), ==, expected[i].audience);
      g_assert_cmpstr (fulcrum_environment_get_api_base (env), ==, expected[i].api);
      g_assert_cmpfloat (fulcrum_environment_get_rate_limit (env), ==, 10.0);
      g_assert_cmpuint (fulcrum_environment_get_rate_burst (env), ==, 20);
      g_assert_true (fulcrum_environment_is_builtin (env));
    }
}

static void
test_simulator_follows_its_port (void)
{
  g_autoptr(FulcrumEnvironment) env = NULL;
  g_autoptr(FulcrumEnvironment) moved = NULL;
  g_autofree char *expected = g_strdup_printf ("http://127.0.0.1:%u/v1/", FULCRUM_SIMULATOR_DEFAULT_PORT);

  g_setenv ("FULCRUM_SIMULATOR_PORT", "4711", TRUE);
  moved = fulcrum_environment_new_builtin (FULCRUM_ENVIRONMENT_KIND_SIMULATOR);
  g_assert_cmpstr (fulcrum_environment_get_api_base (moved), ==, "http://127.0.0.1:4711/v1");
  g_unsetenv ("FULCRUM_SIMULATOR_PORT");
  env = fulcrum_environment_new_builtin (FULCRUM_ENVIRONMENT_KIND_SIMULATOR);

  g_assert_cmpstr (fulcrum_environment_get_id (env), ==, "simulator");
  g_assert_cmpstr (fulcrum_environment_get_audience (env), ==, expected);

  fulcrum_environment_set_base_url (env, "http://127.0.0.1:4242");
  g_assert_cmpstr (fulcrum_environment_get_authorize_url (env), ==, "http://127.0.0.1:4242/authorize");
  g_assert_cmpstr (fulcrum_environment_get_token_url (env), ==, "http://127.0.0.1:4242/oauth/token");
  g_assert_cmpstr (fulcrum_environment_get_api_base (env), ==, "http://127.0.0.1:4242/v1");
  g_assert_cmpstr (fulcrum_environment_get_audience (env), ==, "http://127.0.0.1:4242/v1/");
}

static FulcrumEnvironment *
custom (const char  *authorize,
        const char  *audience,
        double       rate,
        guint        burst,
        GError     **error)
{
  return fulcrum_environment_new_custom ("eu", "EU data centre", authorize,
                                         "https://auth.eu.lever.co/oauth/token", audience,
                                         "https://api.eu.lever.co/v1", rate, burst, error);
}

static void
test_custom_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumEnvironment) env = NULL;

  env = custom ("https://auth.eu.lever.co/authorize", "https://api.eu.lever.co/v1/", 10, 20, &error);
  g_assert_no_error (error);
  g_assert_false (fulcrum_environment_is_builtin (env));
  g_assert_cmpint (fulcrum_environment_get_kind (env), ==, FULCRUM_ENVIRONMENT_KIND_CUSTOM);
  g_clear_object (&env);

  /* http only on loopback */
  env = custom ("http://auth.eu.lever.co/authorize", "https://api.eu.lever.co/v1/", 10, 20, &error);
  g_assert_null (env);
  g_assert_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, "http://auth.eu.lever.co/authorize"));
  g_clear_error (&error);

  for (guint i = 0; i < 3; i++)
    {
      const char *loopback[] = { "http://127.0.0.1:8080/authorize", "http://[::1]:8080/authorize",
                                 "http://localhost:8080/authorize" };

      env = custom (loopback[i], "aud", 10, 20, &error);
      g_assert_no_error (error);
      g_assert_nonnull (env);
      g_clear_object (&env);
    }

  env = custom ("https://auth.eu.lever.co/authorize", "", 10, 20, &error);
  g_assert_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_MISSING_AUDIENCE);
  g_clear_error (&error);

  env = custom ("not a url", "aud", 10, 20, &error);
  g_assert_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_URL);
  g_clear_error (&error);

  env = custom ("ftp://auth.eu.lever.co/authorize", "aud", 10, 20, &error);
  g_assert_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_URL);
  g_clear_error (&error);

  env = custom ("https://auth.eu.lever.co/authorize", "aud", 0, 20, &error);
  g_assert_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_RATE);
  g_clear_error (&error);

  env = fulcrum_environment_new_custom ("x", "  ", "https://a.example/authorize",
                                        "https://a.example/token", "aud", "https://a.example/v1",
                                        10, 20, &error);
  g_assert_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INVALID_NAME);
  g_assert_null (env);
}

static void
test_update (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumEnvironment) env = NULL;
  g_autoptr(FulcrumEnvironment) prod = fulcrum_environment_new_builtin (FULCRUM_ENVIRONMENT_KIND_PRODUCTION);

  env = custom ("https://auth.eu.lever.co/authorize", "https://api.eu.lever.co/v1/", 10, 20, &error);
  g_assert_no_error (error);

  g_assert_true (fulcrum_environment_update (env, "Proxy", "https://p.example/authorize",
                                             "https://p.example/token", "https://p.example/v1/",
                                             "https://p.example/v1", 5, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fulcrum_environment_get_name (env), ==, "Proxy");
  g_assert_cmpfloat (fulcrum_environment_get_rate_limit (env), ==, 5);
  g_assert_cmpuint (fulcrum_environment_get_rate_burst (env), ==, 7);

  /* An invalid update changes nothing. */
  g_assert_false (fulcrum_environment_update (env, "Proxy 2", "http://p.example/authorize",
                                              "https://p.example/token", "https://p.example/v1/",
                                              "https://p.example/v1", 5, 7, &error));
  g_assert_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_INSECURE_URL);
  g_clear_error (&error);
  g_assert_cmpstr (fulcrum_environment_get_name (env), ==, "Proxy");

  g_assert_false (fulcrum_environment_update (prod, "Mine", "https://p.example/authorize",
                                              "https://p.example/token", "https://p.example/v1/",
                                              "https://p.example/v1", 5, 7, &error));
  g_assert_error (error, FULCRUM_ENVIRONMENT_ERROR, FULCRUM_ENVIRONMENT_ERROR_READ_ONLY);
  g_assert_cmpstr (fulcrum_environment_get_authorize_url (prod), ==, "https://auth.lever.co/authorize");
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/environment/builtins", test_builtins_carry_lever_urls);
  g_test_add_func ("/environment/simulator", test_simulator_follows_its_port);
  g_test_add_func ("/environment/custom-rules", test_custom_rules);
  g_test_add_func ("/environment/update", test_update);

  return g_test_run ();
}
