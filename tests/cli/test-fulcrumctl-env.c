/* test-fulcrumctl-env.c: command line, environments and config file, as scripts use them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-test-util.h"
#include "fulcrumctl-test-util.h"

static void
test_usage_errors (void)
{
  struct {
    const char *args[8];
    const char *mentions;
  } cases[] = {
    { { NULL }, "Usage" },
    { { "frobnicate", NULL }, "frobnicate" },
    { { "env", NULL }, "Usage" },
    { { "env", "frobnicate", NULL }, "frobnicate" },
    { { "env", "list", "--frobnicate", NULL }, "--frobnicate" },
    { { "env", "list", "extra", NULL }, "extra" },
    { { "env", "add", "--burst", "many", NULL }, "many" },
    { { "env", "remove", NULL }, "environment" },
    { { "profile", "show", NULL }, "profile" },
    { { "profile", "show", "a", "b", NULL }, "“b”" },
    { { "profile", "create", "--name", "Acme", NULL }, "--environment" },
    { { "profile", "create", "--name", "Acme", "--environment", "sandbox", NULL }, "--client-id" },
    { { "profile", "edit", "acme", NULL }, "Nothing to change" },
    { { "profile", "edit", "acme", "--environment", "production", NULL }, "--environment" },
    { { "profile", "delete", "--secret", "x", NULL }, "--secret" },
  };

  fulcrumctl_test_reset_state ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(FulcrumctlRun) run = { 0 };

      fulcrumctl_test_run_strv (&run, NULL, cases[i].args);
      fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_USAGE);
      g_assert_cmpstr (run.out, ==, "");
      if (strstr (run.err, cases[i].mentions) == NULL)
        g_error ("case %u: stderr does not mention “%s”: %s", i, cases[i].mentions, run.err);
    }

  /* Nothing of the above touched the config. */
  g_assert_cmpuint (fulcrumctl_test_count_profiles (), ==, 0);
}

static void
test_help (void)
{
  struct {
    const char *args[4];
    const char *mentions;
  } cases[] = {
    { { "--help", NULL }, "profile" },
    { { "env", "--help", NULL }, "remove" },
    { { "profile", "--help", NULL }, "set-secret" },
    { { "env", "add", "--help", NULL }, "--authorize-url" },
    { { "profile", "create", "--help", NULL }, "--secret-stdin" },
    { { "profile", "edit", "--help", NULL }, "--redirect-uri" },
    { { "profile", "set-secret", "-h", NULL }, "fulcrumctl profile set-secret" },
  };
  g_auto(FulcrumctlRun) version = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(FulcrumctlRun) run = { 0 };

      fulcrumctl_test_run_strv (&run, NULL, cases[i].args);
      fulcrumctl_assert_status (&run, 0);
      g_assert_nonnull (strstr (run.out, "Usage"));
      if (strstr (run.out, cases[i].mentions) == NULL)
        g_error ("case %u: help does not mention “%s”: %s", i, cases[i].mentions, run.out);
    }

  fulcrumctl_test_run (&version, NULL, "--version", NULL);
  fulcrumctl_assert_status (&version, 0);
  g_assert_true (g_str_has_prefix (version.out, "fulcrumctl " PACKAGE_VERSION));
}

static void
assert_lever_environment (JsonArray  *array,
                          const char *id,
                          const char *kind,
                          const char *authorize_url,
                          const char *token_url,
                          const char *audience,
                          const char *api_base)
{
  JsonObject *object = fulcrumctl_test_find_by_id (array, id);

  g_assert_nonnull (object);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, kind);
  g_assert_cmpstr (json_object_get_string_member (object, "authorize_url"), ==, authorize_url);
  g_assert_cmpstr (json_object_get_string_member (object, "token_url"), ==, token_url);
  g_assert_cmpstr (json_object_get_string_member (object, "audience"), ==, audience);
  g_assert_cmpstr (json_object_get_string_member (object, "api_base"), ==, api_base);
  g_assert_cmpfloat (json_object_get_double_member (object, "rate_limit"), ==, 10.0);
  g_assert_cmpint (json_object_get_int_member (object, "rate_burst"), ==, 20);
  g_assert_true (json_object_get_boolean_member (object, "builtin"));
  g_assert_nonnull (json_object_get_string_member (object, "name"));
}

static void
test_env_list_builtins (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(FulcrumctlRun) run = { 0 };
  JsonArray *array;
  JsonObject *simulator;

  fulcrumctl_test_reset_state ();

  root = fulcrumctl_test_run_json ("env", "list", NULL);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  assert_lever_environment (array, "production", "production",
                            "https://auth.lever.co/authorize",
                            "https://auth.lever.co/oauth/token",
                            "https://api.lever.co/v1/",
                            "https://api.lever.co/v1");
  assert_lever_environment (array, "sandbox", "sandbox",
                            "https://sandbox-lever.auth0.com/authorize",
                            "https://sandbox-lever.auth0.com/oauth/token",
                            "https://api.sandbox.lever.co/v1/",
                            "https://api.sandbox.lever.co/v1");

  simulator = fulcrumctl_test_find_by_id (array, "simulator");
  g_assert_nonnull (simulator);
  g_assert_cmpstr (json_object_get_string_member (simulator, "kind"), ==, "simulator");
  g_assert_true (json_object_get_boolean_member (simulator, "builtin"));

  fulcrumctl_test_run (&run, NULL, "env", "list", NULL);
  fulcrumctl_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "https://api.lever.co/v1"));
  g_assert_nonnull (strstr (run.out, "https://api.sandbox.lever.co/v1"));
  fulcrumctl_assert_columns_aligned (run.out, "NAME");
}

static void
test_env_add (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(FulcrumctlRun) run = { 0 };
  g_auto(FulcrumctlRun) insecure = { 0 };
  g_auto(FulcrumctlRun) no_audience = { 0 };
  g_auto(FulcrumctlRun) empty_audience = { 0 };
  g_auto(FulcrumctlRun) loopback = { 0 };
  g_auto(FulcrumctlRun) duplicate = { 0 };
  JsonObject *object;

  fulcrumctl_test_reset_state ();

  fulcrumctl_test_run (&run, NULL, "env", "add", "--name", "EU proxy",
                       "--authorize-url", "https://auth.eu.example.com/authorize",
                       "--token-url", "https://auth.eu.example.com/oauth/token",
                       "--audience", "https://api.eu.example.com/v1/",
                       "--api-base", "https://api.eu.example.com/v1",
                       "--rate", "5", "--burst", "7", NULL);
  fulcrumctl_assert_status (&run, 0);
  g_assert_cmpstr (run.out, ==, "eu-proxy\n");

  root = fulcrumctl_test_run_json ("env", "list", NULL);
  object = fulcrumctl_test_find_by_id (json_node_get_array (root), "eu-proxy");
  g_assert_nonnull (object);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "EU proxy");
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "custom");
  g_assert_false (json_object_get_boolean_member (object, "builtin"));
  g_assert_cmpstr (json_object_get_string_member (object, "authorize_url"), ==,
                   "https://auth.eu.example.com/authorize");
  g_assert_cmpstr (json_object_get_string_member (object, "token_url"), ==,
                   "https://auth.eu.example.com/oauth/token");
  g_assert_cmpstr (json_object_get_string_member (object, "audience"), ==,
                   "https://api.eu.example.com/v1/");
  g_assert_cmpstr (json_object_get_string_member (object, "api_base"), ==,
                   "https://api.eu.example.com/v1");
  g_assert_cmpfloat (json_object_get_double_member (object, "rate_limit"), ==, 5.0);
  g_assert_cmpint (json_object_get_int_member (object, "rate_burst"), ==, 7);

  /* Plain http to anything but loopback would send codes and secrets in the clear. */
  fulcrumctl_test_run (&insecure, NULL, "env", "add", "--name", "Insecure",
                       "--authorize-url", "http://auth.example.com/authorize",
                       "--token-url", "https://auth.example.com/oauth/token",
                       "--audience", "https://api.example.com/v1/",
                       "--api-base", "https://api.example.com/v1", NULL);
  fulcrumctl_assert_status (&insecure, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&insecure, "http");
  g_assert_cmpstr (insecure.out, ==, "");

  fulcrumctl_test_run (&no_audience, NULL, "env", "add", "--name", "No audience",
                       "--authorize-url", "https://auth.example.com/authorize",
                       "--token-url", "https://auth.example.com/oauth/token",
                       "--api-base", "https://api.example.com/v1", NULL);
  fulcrumctl_assert_status (&no_audience, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&no_audience, "--audience");

  fulcrumctl_test_run (&empty_audience, NULL, "env", "add", "--name", "Empty audience",
                       "--authorize-url", "https://auth.example.com/authorize",
                       "--token-url", "https://auth.example.com/oauth/token",
                       "--audience", "",
                       "--api-base", "https://api.example.com/v1", NULL);
  fulcrumctl_assert_status (&empty_audience, FULCRUMCTL_TEST_EXIT_USAGE);
  g_assert_true (g_str_has_prefix (empty_audience.err, "fulcrumctl: "));

  g_assert_cmpuint (fulcrumctl_test_count_environments (), ==, 4);

  /* A test server on loopback may use http. */
  fulcrumctl_test_run (&loopback, NULL, "env", "add", "--name", "Local test server",
                       "--authorize-url", "http://127.0.0.1:8443/authorize",
                       "--token-url", "http://127.0.0.1:8443/oauth/token",
                       "--audience", "http://127.0.0.1:8443/v1/",
                       "--api-base", "http://127.0.0.1:8443/v1", NULL);
  fulcrumctl_assert_status (&loopback, 0);
  g_assert_cmpstr (loopback.out, ==, "local-test-server\n");

  fulcrumctl_test_run (&duplicate, NULL, "env", "add", "--name", "eu proxy",
                       "--authorize-url", "https://auth.eu.example.com/authorize",
                       "--token-url", "https://auth.eu.example.com/oauth/token",
                       "--audience", "https://api.eu.example.com/v1/",
                       "--api-base", "https://api.eu.example.com/v1", NULL);
  fulcrumctl_assert_status (&duplicate, FULCRUMCTL_TEST_EXIT_USAGE);

  g_assert_cmpuint (fulcrumctl_test_count_environments (), ==, 5);
}

static void
add_environment (const char *name,
                 const char *expected_id)
{
  g_auto(FulcrumctlRun) run = { 0 };

  fulcrumctl_test_run (&run, NULL, "env", "add", "--name", name,
                       "--authorize-url", "https://auth.example.com/authorize",
                       "--token-url", "https://auth.example.com/oauth/token",
                       "--audience", "https://api.example.com/v1/",
                       "--api-base", "https://api.example.com/v1", NULL);
  fulcrumctl_assert_status (&run, 0);
  g_assert_cmpstr (g_strchomp (run.out), ==, expected_id);
}

static void
test_env_remove (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(FulcrumctlRun) by_id = { 0 };
  g_auto(FulcrumctlRun) by_name = { 0 };
  g_auto(FulcrumctlRun) builtin = { 0 };
  g_auto(FulcrumctlRun) missing = { 0 };
  g_auto(FulcrumctlRun) in_use = { 0 };
  g_auto(FulcrumctlRun) delete = { 0 };
  g_auto(FulcrumctlRun) after = { 0 };

  fulcrumctl_test_reset_state ();
  add_environment ("Staging", "staging");
  add_environment ("Proxy", "proxy");
  add_environment ("Used", "used");

  fulcrumctl_test_run (&by_id, NULL, "env", "remove", "staging", NULL);
  fulcrumctl_assert_status (&by_id, 0);
  fulcrumctl_test_run (&by_name, NULL, "env", "remove", "Proxy", NULL);
  fulcrumctl_assert_status (&by_name, 0);

  root = fulcrumctl_test_run_json ("env", "list", NULL);
  g_assert_null (fulcrumctl_test_find_by_id (json_node_get_array (root), "staging"));
  g_assert_null (fulcrumctl_test_find_by_id (json_node_get_array (root), "proxy"));
  g_assert_nonnull (fulcrumctl_test_find_by_id (json_node_get_array (root), "used"));

  fulcrumctl_test_run (&builtin, NULL, "env", "remove", "production", NULL);
  fulcrumctl_assert_status (&builtin, FULCRUMCTL_TEST_EXIT_FAILED);
  g_assert_true (g_str_has_prefix (builtin.err, "fulcrumctl: "));

  fulcrumctl_test_run (&missing, NULL, "env", "remove", "nowhere", NULL);
  fulcrumctl_assert_status (&missing, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&missing, "nowhere");

  /* A profile still belongs to it. */
  fulcrumctl_test_create_profile ("Uses it", "used", NULL, "uses-it");
  fulcrumctl_test_run (&in_use, NULL, "env", "remove", "used", NULL);
  fulcrumctl_assert_status (&in_use, FULCRUMCTL_TEST_EXIT_FAILED);
  g_assert_true (g_str_has_prefix (in_use.err, "fulcrumctl: "));
  g_assert_cmpuint (fulcrumctl_test_count_environments (), ==, 4);

  fulcrumctl_test_run (&delete, NULL, "profile", "delete", "uses-it", NULL);
  fulcrumctl_assert_status (&delete, 0);
  fulcrumctl_test_run (&after, NULL, "env", "remove", "used", NULL);
  fulcrumctl_assert_status (&after, 0);
  g_assert_cmpuint (fulcrumctl_test_count_environments (), ==, 3);
}

static void
test_corrupt_config (void)
{
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "fulcrum", NULL);
  g_autofree char *path = g_build_filename (config_dir, "config.json", NULL);
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(FulcrumctlRun) list = { 0 };
  const char *damaged = "{ \"profiles\": [ this is not json";

  fulcrumctl_test_reset_state ();
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_file_set_contents (path, damaged, -1, &error);
  g_assert_no_error (error);

  /* A warning, and the command goes on with an empty store. */
  fulcrumctl_test_run (&list, NULL, "profile", "list", "--json", NULL);
  fulcrumctl_assert_status (&list, 0);
  g_assert_true (g_str_has_prefix (list.err, "fulcrumctl: warning: "));
  listed = fulcrumctl_test_parse_json (list.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listed)), ==, 0);

  fulcrumctl_test_create_profile ("After", "sandbox", NULL, "after");
  g_assert_cmpuint (fulcrumctl_test_count_profiles (), ==, 1);
  /* The damaged file was kept aside, not overwritten. */
  g_assert_true (fulcrum_test_dir_contains (config_dir, damaged, NULL));
}

static void
test_newer_config (void)
{
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "fulcrum", NULL);
  g_autofree char *path = g_build_filename (config_dir, "config.json", NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(FulcrumctlRun) create = { 0 };
  g_auto(FulcrumctlRun) list = { 0 };
  const char *newer = "{ \"version\": 999, \"profiles\": [], \"from\": \"the future\" }";

  fulcrumctl_test_reset_state ();
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_file_set_contents (path, newer, -1, &error);
  g_assert_no_error (error);

  /* Reading is fine (with a warning); writing would lose what the newer version keeps. */
  fulcrumctl_test_run (&list, NULL, "profile", "list", NULL);
  fulcrumctl_assert_status (&list, 0);
  g_assert_true (g_str_has_prefix (list.err, "fulcrumctl: warning: "));

  fulcrumctl_test_run (&create, NULL, "profile", "create", "--name", "Acme", "--environment",
                       "sandbox", "--client-id", "abc", NULL);
  fulcrumctl_assert_status (&create, FULCRUMCTL_TEST_EXIT_FAILED);
  g_assert_true (g_str_has_prefix (create.err, "fulcrumctl: "));
  g_assert_cmpstr (create.out, ==, "");

  g_file_get_contents (path, &after, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, newer);
}

int
main (int    argc,
      char **argv)
{
  fulcrumctl_test_init (&argc, &argv);

  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/env/list-builtins", test_env_list_builtins);
  g_test_add_func ("/cli/env/add", test_env_add);
  g_test_add_func ("/cli/env/remove", test_env_remove);
  g_test_add_func ("/cli/store/corrupt-config", test_corrupt_config);
  g_test_add_func ("/cli/store/newer-config", test_newer_config);

  return g_test_run ();
}
