/* test-fulcrumctl-run.c: fulcrumctl run against "fulcrumctl sim serve"
 *
 * One simulator, environment, profile and account serve most tests; the fault and re-link
 * tests have simulators of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "fulcrum-test-util.h"
#include "fulcrumctl-run-test-util.h"

#define N_OPPORTUNITIES 1500
#define MAIN_SCOPES "offline_access,users:read:admin,opportunities:read:admin," \
                    "notes:write:admin,confidential:access:admin"

static RunTestSim *main_sim;

/* Environment "main-env", profile "main" and the account labelled "main". */
static void
ensure_main_account (void)
{
  g_autofree char *id = NULL;

  if (main_sim != NULL)
    return;

  main_sim = run_test_sim_start ("main-env", N_OPPORTUNITIES, NULL);
  run_test_create_profile (main_sim, "main", MAIN_SCOPES);
  id = run_test_link_account ("main", "main");
  g_assert_cmpstr (id, !=, "");
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonNode) root = fulcrumctl_test_parse_json (text);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_ref (json_node_get_array (root));
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
assert_no_file (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s exists", path);
}

/* The offset that the "more records follow" note gives. */
static char *
find_next_offset (const char *err)
{
  const char *start = strstr (err, "--param offset=");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("--param offset=");
  for (end = start; *end != '\0' && *end != ' ' && *end != '\n'; end++)
    ;
  return g_strndup (start, end - start);
}

static void
test_one_page (void)
{
  g_auto(FulcrumctlRun) first = { 0 };
  g_auto(FulcrumctlRun) second = { 0 };
  g_auto(FulcrumctlRun) small = { 0 };
  g_autoptr(JsonArray) first_records = NULL;
  g_autoptr(JsonArray) second_records = NULL;
  g_autoptr(JsonArray) small_records = NULL;
  g_autoptr(GHashTable) first_ids = NULL;
  g_autoptr(GHashTable) second_ids = NULL;
  g_autofree char *offset = NULL;
  g_autofree char *offset_arg = NULL;
  GHashTableIter iter;
  gpointer id;

  ensure_main_account ();

  /* One page of Lever's size, as a JSON array; a note says how to go on. */
  run_test_ctl (&first, "run", "main", "lever_list_opportunities", NULL);
  fulcrumctl_assert_status (&first, 0);
  first_records = parse_array (first.out);
  g_assert_cmpuint (json_array_get_length (first_records), ==, 100);
  first_ids = run_test_collect_ids (first_records);
  offset = find_next_offset (first.err);

  offset_arg = g_strconcat ("offset=", offset, NULL);
  run_test_ctl (&second, "run", "main", "lever_list_opportunities", "--param", offset_arg, NULL);
  fulcrumctl_assert_status (&second, 0);
  second_records = parse_array (second.out);
  g_assert_cmpuint (json_array_get_length (second_records), ==, 100);
  second_ids = run_test_collect_ids (second_records);
  g_hash_table_iter_init (&iter, second_ids);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_assert_false (g_hash_table_contains (first_ids, id));

  run_test_ctl (&small, "run", "main", "lever_list_opportunities", "-p", "limit=7",
                "--format", "jsonl", NULL);
  fulcrumctl_assert_status (&small, 0);
  small_records = run_test_parse_json_lines (small.out);
  g_assert_cmpuint (json_array_get_length (small_records), ==, 7);
}

/* Every opportunity, confidential ones included, once. */
static GHashTable *
export_all_jsonl (const char  *file_name,
                  gboolean     sequential,
                  JsonArray  **records_out)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_autofree char *path = run_test_output_path (file_name);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonArray) records = NULL;
  GHashTable *ids;

  run_test_ctl (&run, "run", "main", "lever_list_opportunities", "--all",
                "--param", "confidentiality=all", "--format", "jsonl", "--output", path,
                sequential ? "--sequential" : NULL, NULL);
  fulcrumctl_assert_status (&run, 0);
  g_assert_cmpstr (run.out, ==, "");
  assert_no_file (partial);

  contents = read_file (path);
  records = run_test_parse_json_lines (contents);
  ids = run_test_collect_ids (records);
  g_assert_cmpuint (g_hash_table_size (ids), ==, N_OPPORTUNITIES);

  if (records_out != NULL)
    *records_out = g_steal_pointer (&records);
  return ids;
}

static void
test_all_jsonl (void)
{
  g_autoptr(GHashTable) partitioned = NULL;
  g_autoptr(GHashTable) sequential = NULL;
  g_autoptr(JsonArray) in_order = NULL;
  GHashTableIter iter;
  gpointer id;
  gint64 previous = G_MAXINT64;

  ensure_main_account ();

  partitioned = export_all_jsonl ("all.jsonl", FALSE, NULL);
  sequential = export_all_jsonl ("sequential.jsonl", TRUE, &in_order);

  /* The same records, and the sequential read keeps Lever's order: newest first. */
  g_hash_table_iter_init (&iter, partitioned);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_assert_true (g_hash_table_contains (sequential, id));
  for (guint i = 0; i < json_array_get_length (in_order); i++)
    {
      gint64 created = json_object_get_int_member (json_array_get_object_element (in_order, i),
                                                   "createdAt");

      g_assert_cmpint (created, <=, previous);
      previous = created;
    }
}

static const char *
cell (GStrv        row,
      GHashTable  *columns,
      const char  *name)
{
  gpointer index;

  g_assert_true (g_hash_table_lookup_extended (columns, name, NULL, &index));
  return row[GPOINTER_TO_UINT (index)];
}

static void
assert_cell_is_json (const char *text,
                     JsonNode   *expected)
{
  g_autoptr(JsonNode) parsed = fulcrumctl_test_parse_json (text);

  g_assert_true (json_node_equal (parsed, expected));
}

static void
test_csv (void)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_auto(FulcrumctlRun) narrow = { 0 };
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) columns = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) narrow_rows = NULL;
  GStrv header;

  ensure_main_account ();
  ids = export_all_jsonl ("for-csv.jsonl", FALSE, &records);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      g_hash_table_insert (by_id, (gpointer) json_object_get_string_member (record, "id"),
                           record);
    }

  run_test_ctl (&run, "run", "main", "lever_list_opportunities", "--all", "--format", "csv",
                "--param", "confidentiality=all", NULL);
  fulcrumctl_assert_status (&run, 0);
  /* No field appears after the first page: nothing was left out. */
  g_assert_null (strstr (run.err, "warning"));

  rows = run_test_parse_csv (run.out);
  g_assert_cmpuint (rows->len, ==, N_OPPORTUNITIES + 1);
  header = g_ptr_array_index (rows, 0);
  for (guint c = 0; header[c] != NULL; c++)
    g_hash_table_insert (columns, header[c], GUINT_TO_POINTER (c));
  g_assert_cmpstr (header[0], ==, "id");

  for (guint r = 1; r < rows->len; r++)
    {
      GStrv row = g_ptr_array_index (rows, r);
      JsonObject *record = g_hash_table_lookup (by_id, cell (row, columns, "id"));
      g_autofree char *created = NULL;

      g_assert_cmpuint (g_strv_length (row), ==, g_hash_table_size (columns));
      g_assert_nonnull (record);
      g_assert_true (g_hash_table_remove (ids, cell (row, columns, "id")));

      /* Text as is, numbers as JSON writes them, nested values as JSON, null empty. */
      g_assert_cmpstr (cell (row, columns, "name"), ==,
                       json_object_get_string_member (record, "name"));
      created = g_strdup_printf ("%" G_GINT64_FORMAT,
                                 json_object_get_int_member (record, "createdAt"));
      g_assert_cmpstr (cell (row, columns, "createdAt"), ==, created);
      assert_cell_is_json (cell (row, columns, "phones"),
                           json_object_get_member (record, "phones"));
      assert_cell_is_json (cell (row, columns, "isAnonymized"),
                           json_object_get_member (record, "isAnonymized"));
      if (json_object_get_null_member (record, "archived"))
        g_assert_cmpstr (cell (row, columns, "archived"), ==, "");
      else
        assert_cell_is_json (cell (row, columns, "archived"),
                             json_object_get_member (record, "archived"));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 0);

  /* --columns: exactly those, in that order. */
  run_test_ctl (&narrow, "run", "main", "lever_list_opportunities", "--format", "csv",
                "--columns", "name,id", "--columns", "notAField", "-p", "limit=5", NULL);
  fulcrumctl_assert_status (&narrow, 0);
  g_assert_null (strstr (narrow.err, "warning"));
  narrow_rows = run_test_parse_csv (narrow.out);
  g_assert_cmpuint (narrow_rows->len, ==, 6);
  header = g_ptr_array_index (narrow_rows, 0);
  g_assert_cmpuint (g_strv_length (header), ==, 3);
  g_assert_cmpstr (header[0], ==, "name");
  g_assert_cmpstr (header[1], ==, "id");
  g_assert_cmpstr (header[2], ==, "notAField");
  for (guint r = 1; r < narrow_rows->len; r++)
    {
      GStrv row = g_ptr_array_index (narrow_rows, r);
      JsonObject *record = g_hash_table_lookup (by_id, row[1]);

      g_assert_nonnull (record);
      g_assert_cmpstr (row[0], ==, json_object_get_string_member (record, "name"));
      g_assert_cmpstr (row[2], ==, "");
    }
}

static void
test_json (void)
{
  g_auto(FulcrumctlRun) run = { 0 };
  g_auto(FulcrumctlRun) get = { 0 };
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(JsonNode) object = NULL;
  g_autofree char *id_arg = NULL;
  const char *id;

  ensure_main_account ();

  run_test_ctl (&run, "run", "main", "lever_list_opportunities", "--all", "--format", "json",
                "--param", "confidentiality=all", NULL);
  fulcrumctl_assert_status (&run, 0);
  records = parse_array (run.out);
  ids = run_test_collect_ids (records);
  g_assert_cmpuint (g_hash_table_size (ids), ==, N_OPPORTUNITIES);

  /* An action that answers one object writes that object. */
  id = json_object_get_string_member (json_array_get_object_element (records, 0), "id");
  id_arg = g_strconcat ("id=", id, NULL);
  run_test_ctl (&get, "run", "main", "lever_get_opportunity", "--param", id_arg, NULL);
  fulcrumctl_assert_status (&get, 0);
  object = fulcrumctl_test_parse_json (get.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (object));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (object), "id"), ==, id);
}

static void
test_write (void)
{
  g_auto(FulcrumctlRun) pick = { 0 };
  g_auto(FulcrumctlRun) write = { 0 };
  g_auto(FulcrumctlRun) read = { 0 };
  g_autoptr(JsonArray) picked = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonArray) notes = NULL;
  g_autofree char *opportunity_arg = NULL;
  const char *text = "First line, with \"quotes\"\nsecond line — ✓";
  g_autofree char *value_arg = g_strconcat ("value=", text, NULL);
  const char *note_id;
  gboolean found = FALSE;

  ensure_main_account ();

  run_test_ctl (&pick, "run", "main", "lever_list_opportunities", "-p", "limit=1", NULL);
  fulcrumctl_assert_status (&pick, 0);
  picked = parse_array (pick.out);
  opportunity_arg = g_strconcat ("opportunity_id=",
                                 json_object_get_string_member (
                                   json_array_get_object_element (picked, 0), "id"), NULL);

  /* A write prints Lever's answer as a JSON object. */
  run_test_ctl (&write, "run", "main", "lever_create_note", "--param", opportunity_arg,
                "--param", value_arg, NULL);
  fulcrumctl_assert_status (&write, 0);
  answer = fulcrumctl_test_parse_json (write.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  note_id = json_object_get_string_member_with_default (json_node_get_object (answer),
                                                        "noteId", NULL);
  g_assert_nonnull (note_id);

  run_test_ctl (&read, "run", "main", "lever_list_opportunity_notes", "--param",
                opportunity_arg, "--all", "--format", "jsonl", NULL);
  fulcrumctl_assert_status (&read, 0);
  notes = run_test_parse_json_lines (read.out);
  for (guint i = 0; i < json_array_get_length (notes); i++)
    {
      JsonObject *note = json_array_get_object_element (notes, i);

      if (g_strcmp0 (json_object_get_string_member (note, "id"), note_id) != 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member (note, "text"), ==, text);
      found = TRUE;
    }
  g_assert_true (found);
}

static void
test_gating (void)
{
  g_auto(FulcrumctlRun) edit = { 0 };
  g_auto(FulcrumctlRun) disabled = { 0 };
  g_auto(FulcrumctlRun) enabled = { 0 };
  g_auto(FulcrumctlRun) unknown = { 0 };
  g_auto(FulcrumctlRun) all = { 0 };
  g_auto(FulcrumctlRun) again = { 0 };
  g_auto(FulcrumctlRun) no_scope = { 0 };
  g_auto(FulcrumctlRun) chosen = { 0 };
  g_auto(FulcrumctlRun) still_no_scope = { 0 };
  g_autoptr(JsonNode) profile = NULL;
  g_autofree char *path = run_test_output_path ("gated.json");
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  JsonArray *actions;

  ensure_main_account ();

  run_test_ctl (&edit, "profile", "edit", "main", "--action", "lever_list_users", NULL);
  fulcrumctl_assert_status (&edit, 0);
  profile = fulcrumctl_test_run_json ("profile", "show", "main", NULL);
  actions = json_object_get_array_member (json_node_get_object (profile), "enabled_actions");
  g_assert_cmpuint (json_array_get_length (actions), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (actions, 0), ==, "lever_list_users");

  /* Not enabled: refused before any request, and no file appears. */
  run_test_ctl (&disabled, "run", "main", "lever_list_opportunities", "--output", path, NULL);
  fulcrumctl_assert_status (&disabled, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&disabled, "lever_list_opportunities");
  assert_no_file (path);
  assert_no_file (partial);

  run_test_ctl (&enabled, "run", "main", "lever_list_users", NULL);
  fulcrumctl_assert_status (&enabled, 0);

  /* An unknown id is a usage error that names it, and changes nothing. */
  run_test_ctl (&unknown, "profile", "edit", "main", "--action", "lever_list_users,lever_nope",
                NULL);
  fulcrumctl_assert_status (&unknown, FULCRUMCTL_TEST_EXIT_USAGE);
  fulcrumctl_assert_error_mentions (&unknown, "lever_nope");

  run_test_ctl (&all, "profile", "edit", "main", "--all-actions", NULL);
  fulcrumctl_assert_status (&all, 0);
  run_test_ctl (&again, "run", "main", "lever_list_opportunities", "-p", "limit=1", NULL);
  fulcrumctl_assert_status (&again, 0);

  /* A scope the account was not granted is named, enabled or not. */
  run_test_ctl (&no_scope, "run", "main", "lever_list_postings", NULL);
  fulcrumctl_assert_status (&no_scope, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&no_scope, "postings:read:admin");

  run_test_ctl (&chosen, "profile", "edit", "main", "--action", "lever_list_postings",
                "--action", "lever_list_opportunities", NULL);
  fulcrumctl_assert_status (&chosen, 0);
  run_test_ctl (&still_no_scope, "run", "main", "lever_list_postings", NULL);
  fulcrumctl_assert_status (&still_no_scope, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&still_no_scope, "postings:read:admin");

  g_clear_pointer (&all.out, g_free);
  g_clear_pointer (&all.err, g_free);
  run_test_ctl (&all, "profile", "edit", "main", "--all-actions", NULL);
  fulcrumctl_assert_status (&all, 0);
}

static void
test_fault (void)
{
  const char *fault_args[] = { "--fault=truncated:1", NULL };
  g_autoptr(RunTestSim) sim = run_test_sim_start ("faulty-env", 300, fault_args);
  g_auto(FulcrumctlRun) run = { 0 };
  g_auto(FulcrumctlRun) to_stdout = { 0 };
  g_autofree char *path = run_test_output_path ("faulty.jsonl");
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *id = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  run_test_create_profile (sim, "faulty", "offline_access,users:read:admin,"
                                          "opportunities:read:admin");
  id = run_test_link_account ("faulty", "faulty");

  /* An export from before stays as it was. */
  g_file_set_contents (path, "an earlier export\n", -1, &error);
  g_assert_no_error (error);

  run_test_ctl (&run, "run", "faulty", "lever_list_opportunities", "--all", "--tries", "1",
                "--format", "jsonl", "--output", path, NULL);
  fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&run, "JSON");
  if (strstr (run.err, "faulty.jsonl was not written; 0 records had been fetched") == NULL)
    g_error ("the error does not say what became of the file: %s", run.err);
  g_assert_cmpstr (run.out, ==, "");
  assert_no_file (partial);
  kept = read_file (path);
  g_assert_cmpstr (kept, ==, "an earlier export\n");

  /* To stdout, a failed JSON array stays unfinished: no reader takes it for a whole one. */
  run_test_ctl (&to_stdout, "run", "faulty", "lever_list_opportunities", "--tries", "1", NULL);
  fulcrumctl_assert_status (&to_stdout, FULCRUMCTL_TEST_EXIT_FAILED);
  g_assert_null (strchr (to_stdout.out, ']'));
}

static void
test_needs_relink (void)
{
  g_autoptr(RunTestSim) sim = run_test_sim_start ("relink-env", 50, NULL);
  g_auto(FulcrumctlRun) before = { 0 };
  g_auto(FulcrumctlRun) after = { 0 };
  g_auto(FulcrumctlRun) again = { 0 };
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *id = NULL;

  run_test_create_profile (sim, "relink", "offline_access,users:read:admin,"
                                          "opportunities:read:admin");
  id = run_test_link_account ("relink", "relink");

  run_test_ctl (&before, "run", "relink", "lever_list_opportunities", NULL);
  fulcrumctl_assert_status (&before, 0);

  /* The same app and address, without the tokens it issued: Lever after the grant was
   * revoked. The account's refresh token is refused. */
  run_test_sim_stop (sim);
  run_test_sim_restart (sim, 50);

  run_test_ctl (&after, "run", "relink", "lever_list_opportunities", NULL);
  fulcrumctl_assert_status (&after, FULCRUMCTL_TEST_EXIT_NEEDS_RELINK);
  g_assert_true (g_str_has_prefix (after.err, "fulcrumctl: "));
  g_assert_cmpstr (after.out, ==, "");

  status = fulcrumctl_test_run_json ("account", "status", "relink", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (status), "status"),
                   ==, "needs-relink");

  run_test_ctl (&again, "run", "relink", "lever_list_opportunities", NULL);
  fulcrumctl_assert_status (&again, FULCRUMCTL_TEST_EXIT_NEEDS_RELINK);
}

static void
test_usage (void)
{
  static const char *commands[][8] = {
    { "run", NULL },
    { "run", "main", NULL },
    { "run", "main", "lever_list_opportunities", "extra", NULL },
    { "run", "main", "lever_nope", NULL },
    { "run", "main", "lever_create_note", "-p", "value=hello", NULL },
    { "run", "main", "lever_list_opportunities", "-p", "limit=0", NULL },
    { "run", "main", "lever_list_opportunities", "-p", "limit", NULL },
    { "run", "main", "lever_list_opportunities", "-p", "limit=1", "-p", "limit=2", NULL },
    { "run", "main", "lever_list_opportunities", "-p", "nope=1", NULL },
    { "run", "main", "lever_list_opportunities", "--format", "xml", NULL },
    { "run", "main", "lever_list_opportunities", "--columns", "id", NULL },
    { "run", "main", "lever_list_opportunities", "--sequential", NULL },
    { "run", "main", "lever_list_opportunities", "--tries", "0", NULL },
    { "run", "main", "lever_list_opportunities", "--bogus", NULL },
  };
  static const char *names[] = {
    NULL, NULL, "extra", "lever_nope", "opportunity_id", "limit", "NAME=VALUE", "limit",
    "nope", "xml", "--columns", "--sequential", "--tries", "--bogus",
  };
  g_auto(FulcrumctlRun) missing = { 0 };
  g_auto(FulcrumctlRun) help = { 0 };

  G_STATIC_ASSERT (G_N_ELEMENTS (commands) == G_N_ELEMENTS (names));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(FulcrumctlRun) run = { 0 };

      fulcrumctl_test_run_strv (&run, NULL, commands[i]);
      fulcrumctl_assert_status (&run, FULCRUMCTL_TEST_EXIT_USAGE);
      g_assert_true (g_str_has_prefix (run.err, "fulcrumctl: "));
      if (names[i] != NULL)
        fulcrumctl_assert_error_mentions (&run, names[i]);
      g_assert_cmpstr (run.out, ==, "");
    }

  /* An account that does not exist is not a usage error. */
  run_test_ctl (&missing, "run", "nobody", "lever_list_opportunities", NULL);
  fulcrumctl_assert_status (&missing, FULCRUMCTL_TEST_EXIT_FAILED);
  fulcrumctl_assert_error_mentions (&missing, "nobody");

  run_test_ctl (&help, "run", "--help", NULL);
  fulcrumctl_assert_status (&help, 0);
  g_assert_nonnull (strstr (help.out, "--output"));
}

static void
free_main_sim (void)
{
  g_clear_pointer (&main_sim, run_test_sim_free);
}

int
main (int    argc,
      char **argv)
{
#ifdef __SANITIZE_ADDRESS__
  /* libsecret's file backend leaks on every write (see lsan.supp), and account link writes
   * the keyring amid its network calls: under AddressSanitizer, use a real gnome-keyring. */
  g_setenv ("FULCRUM_TEST_KEYRING", "gnome-keyring", FALSE);
#endif

  fulcrumctl_test_init (&argc, &argv);
  atexit (free_main_sim);

  g_test_add_func ("/cli/run/usage", test_usage);
  g_test_add_func ("/cli/run/one-page", test_one_page);
  g_test_add_func ("/cli/run/all-jsonl", test_all_jsonl);
  g_test_add_func ("/cli/run/csv", test_csv);
  g_test_add_func ("/cli/run/json", test_json);
  g_test_add_func ("/cli/run/write", test_write);
  g_test_add_func ("/cli/run/gating", test_gating);
  g_test_add_func ("/cli/run/fault", test_fault);
  g_test_add_func ("/cli/run/needs-relink", test_needs_relink);

  return g_test_run ();
}
