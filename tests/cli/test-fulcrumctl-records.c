/* test-fulcrumctl-records.c: how fulcrumctl run writes records (JSON, JSON Lines, CSV) and
 * its output file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fulcrum-test-util.h"
#include "fulcrum-lever-private.h"
#include "fulcrumctl-records.h"

/* A page of Lever's with the records of @json (an array), as a run hands it out. */
static FulcrumLeverPage *
parse_page (const char *json)
{
  g_autofree char *answer = g_strdup_printf ("{\"data\":%s,\"hasNext\":false}", json);
  g_autoptr(GBytes) body = g_bytes_new_take (answer, strlen (answer));
  FulcrumLeverPage *page;

  g_steal_pointer (&answer);
  page = fulcrum_lever_page_scan (body, TRUE, FALSE);
  g_assert_nonnull (page);
  return page;
}

static char *
make_path (const char *name)
{
  return g_build_filename (fulcrum_test_get_root (), name, NULL);
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

/* Writes @pages (JSON arrays) with @format and returns what the file holds. */
static char *
write_pages (FulcrumctlFormat    format,
             gboolean            single,
             const char * const *columns,
             const char * const *pages,
             char              **dropped)
{
  g_autofree char *path = make_path ("records.out");
  g_autoptr(FulcrumctlRecordWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n_records = 0;

  writer = fulcrumctl_record_writer_new (format, path, single, columns, &error);
  g_assert_no_error (error);
  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_autoptr(FulcrumLeverPage) records = parse_page (pages[i]);

      n_records += fulcrum_lever_page_get_n_records (records);
      fulcrumctl_record_writer_add (writer, records, &error);
      g_assert_no_error (error);
    }
  fulcrumctl_record_writer_finish (writer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fulcrumctl_record_writer_get_n_records (writer), ==, n_records);
  if (dropped != NULL)
    *dropped = fulcrumctl_record_writer_dup_dropped (writer);

  return read_file (path);
}

static void
test_json_text (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) original = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GString) control = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) simple_text = g_string_new (NULL);
  g_autoptr(JsonNode) simple = NULL;
  const double doubles[] = { 0.1, -2.5, 3.0, 1e300, 5e-324, 123456789.123456789 };

  /* Every control character, quotes, backslashes, and text beyond ASCII. */
  for (char c = 1; c < 0x20; c++)
    g_string_append_c (control, c);
  g_string_append (control, "\"\\/ é ✓ \xf0\x9f\x99\x82 \xe2\x80\xa8");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, control->str);
  json_builder_set_member_name (builder, "a \"quoted\"\nname");
  json_builder_add_int_value (builder, G_MININT64);
  json_builder_set_member_name (builder, "max");
  json_builder_add_int_value (builder, G_MAXINT64);
  json_builder_set_member_name (builder, "zero");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "doubles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    json_builder_add_double_value (builder, doubles[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "nested");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "empty_object");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "empty_array");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "flags");
  json_builder_begin_array (builder);
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_add_null_value (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  original = json_builder_get_root (builder);

  fulcrumctl_append_json (text, original);
  /* One line: nothing in it may break JSON Lines. */
  g_assert_null (strchr (text->str, '\n'));
  g_assert_null (strchr (text->str, '\r'));
  parsed = json_from_string (text->str, NULL);
  g_assert_nonnull (parsed);
  g_assert_true (json_node_equal (parsed, original));

  /* Compact, members in their order. */
  simple = json_from_string ("{ \"b\" : [ 1 , true , null , \"x\\\"y\" ] , \"a\" : { } }", NULL);
  fulcrumctl_append_json (simple_text, simple);
  g_assert_cmpstr (simple_text->str, ==, "{\"b\":[1,true,null,\"x\\\"y\"],\"a\":{}}");
}

static void
test_json_array (void)
{
  const char *two_pages[] = { "[{\"id\":\"1\"},{\"id\":\"2\"}]", "[{\"id\":\"3\"}]", NULL };
  const char *no_pages[] = { NULL };
  const char *empty_page[] = { "[]", NULL };
  const char *one_object[] = { "[{\"id\":\"1\",\"n\":2}]", NULL };
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *nothing = NULL;
  g_autofree char *single = NULL;
  g_autofree char *no_object = NULL;
  g_autofree char *lines = NULL;
  g_autoptr(JsonNode) object = NULL;

  text = write_pages (FULCRUMCTL_FORMAT_JSON, FALSE, NULL, two_pages, NULL);
  g_assert_cmpstr (text, ==, "[\n{\"id\":\"1\"},\n{\"id\":\"2\"},\n{\"id\":\"3\"}\n]\n");
  empty = write_pages (FULCRUMCTL_FORMAT_JSON, FALSE, NULL, no_pages, NULL);
  g_assert_cmpstr (empty, ==, "[]\n");
  nothing = write_pages (FULCRUMCTL_FORMAT_JSON, FALSE, NULL, empty_page, NULL);
  g_assert_cmpstr (nothing, ==, "[]\n");

  /* An action that answers one object: that object. */
  single = write_pages (FULCRUMCTL_FORMAT_JSON, TRUE, NULL, one_object, NULL);
  object = json_from_string (single, NULL);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (object));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (object), "n"), ==, 2);
  no_object = write_pages (FULCRUMCTL_FORMAT_JSON, TRUE, NULL, no_pages, NULL);
  g_assert_cmpstr (no_object, ==, "null\n");

  lines = write_pages (FULCRUMCTL_FORMAT_JSONL, FALSE, NULL, two_pages, NULL);
  g_assert_cmpstr (lines, ==, "{\"id\":\"1\"}\n{\"id\":\"2\"}\n{\"id\":\"3\"}\n");
}

static void
test_csv (void)
{
  const char *pages[] = {
    "[{\"id\":\"1\",\"name\":\"a,b\",\"n\":2,\"ok\":true},"
    " {\"id\":\"2\",\"extra\":\"x\",\"name\":null,\"n\":2.5}]",
    "[{\"id\":\"3\",\"late\":\"y\",\"name\":\"multi\\nline \\\"q\\\"\","
    "  \"extra\":{\"k\":[1,\"a,b\"]}},"
    " {\"id\":\"4\",\"later\":[],\"late\":1,\"n\":-7}]",
    NULL
  };
  const char *columns[] = { "name", "late", "missing", NULL };
  g_autofree char *dropped = NULL;
  g_autofree char *text = NULL;
  g_autofree char *chosen_dropped = NULL;
  g_autofree char *chosen = NULL;

  /* The header: the first page's fields, in the order they appear. Later fields are left
   * out and reported; missing and null are empty cells; RFC 4180 quoting. */
  text = write_pages (FULCRUMCTL_FORMAT_CSV, FALSE, NULL, pages, &dropped);
  g_assert_cmpstr (text, ==,
                   "id,name,n,ok,extra\r\n"
                   "1,\"a,b\",2,true,\r\n"
                   "2,,2.5,,x\r\n"
                   "3,\"multi\nline \"\"q\"\"\",,,\"{\"\"k\"\":[1,\"\"a,b\"\"]}\"\r\n"
                   "4,,-7,,\r\n");
  g_assert_cmpstr (dropped, ==, "late, later");

  /* Chosen columns: exactly those, and nothing is reported missing. */
  chosen = write_pages (FULCRUMCTL_FORMAT_CSV, FALSE, columns, pages, &chosen_dropped);
  g_assert_cmpstr (chosen, ==,
                   "name,late,missing\r\n"
                   "\"a,b\",,\r\n"
                   ",,\r\n"
                   "\"multi\nline \"\"q\"\"\",y,\r\n"
                   ",1,\r\n");
  g_assert_null (chosen_dropped);
}

static void
test_file (void)
{
  g_autofree char *path = make_path ("export.jsonl");
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *missing_dir = make_path ("no-such-dir/export.jsonl");
  g_autofree char *kept = NULL;
  g_autofree char *whole = NULL;
  g_autoptr(FulcrumctlRecordWriter) writer = NULL;
  g_autoptr(FulcrumctlRecordWriter) failed = NULL;
  g_autoptr(FulcrumLeverPage) records = parse_page ("[{\"id\":\"1\"}]");
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "an earlier export\n", -1, &error);
  g_assert_no_error (error);

  /* Written to the side; the earlier file stays until the export is whole. */
  writer = fulcrumctl_record_writer_new (FULCRUMCTL_FORMAT_JSONL, path, FALSE, NULL, &error);
  g_assert_no_error (error);
  fulcrumctl_record_writer_add (writer, records, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));
  kept = read_file (path);
  g_assert_cmpstr (kept, ==, "an earlier export\n");

  /* Given up: the partial file goes, the earlier one stays. */
  g_clear_pointer (&writer, fulcrumctl_record_writer_free);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_clear_pointer (&kept, g_free);
  kept = read_file (path);
  g_assert_cmpstr (kept, ==, "an earlier export\n");

  writer = fulcrumctl_record_writer_new (FULCRUMCTL_FORMAT_JSONL, path, FALSE, NULL, &error);
  g_assert_no_error (error);
  fulcrumctl_record_writer_add (writer, records, &error);
  g_assert_no_error (error);
  fulcrumctl_record_writer_finish (writer, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_clear_pointer (&writer, fulcrumctl_record_writer_free);
  whole = read_file (path);
  g_assert_cmpstr (whole, ==, "{\"id\":\"1\"}\n");

  /* A file that cannot be created is said before anything runs. */
  failed = fulcrumctl_record_writer_new (FULCRUMCTL_FORMAT_CSV, missing_dir, FALSE, NULL,
                                         &error);
  g_assert_null (failed);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "export.jsonl.partial"));
}

int
main (int    argc,
      char **argv)
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/records/json-text", test_json_text);
  g_test_add_func ("/cli/records/json-array", test_json_array);
  g_test_add_func ("/cli/records/csv", test_csv);
  g_test_add_func ("/cli/records/file", test_file);

  return g_test_run ();
}
