/* test-lever-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fulcrum-lever-private.h"
#include "fulcrum-test-util.h"

/* The page scanner against json-glib: an export writes each record's text as the scanner
 * found it, so the text, the key and createdAt must say what a JSON parser reads in the
 * answer, and an answer that is not complete JSON must give no page at all.
 *
 * The JSON below is written with ' for " to stay readable (json() swaps them back). */

static char *
json (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

static FulcrumLeverPage *
scan_len (const char *body,
          gsize       length,
          gboolean    list,
          gboolean    parse_records)
{
  /* a copy of exactly @length bytes: a scanner that reads past the end trips ASan */
  g_autoptr(GBytes) bytes = g_bytes_new (body, length);

  return fulcrum_lever_page_scan (bytes, list, parse_records);
}

static FulcrumLeverPage *
scan (const char *body,
      gboolean    list,
      gboolean    parse_records)
{
  return scan_len (body, strlen (body), list, parse_records);
}

static JsonNode *
parse_json (const char *text,
            gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, (gssize) length, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static JsonNode *
get_member (JsonNode   *node,
            const char *name)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_member (json_node_get_object (node), name);
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* What json-glib says the key is: "id", else "text", when a string. */
static const char *
expected_key (JsonNode *record)
{
  JsonNode *id = get_member (record, "id");
  JsonNode *text = get_member (record, "text");

  if (holds (id, G_TYPE_STRING))
    return json_node_get_string (id);
  if (holds (text, G_TYPE_STRING))
    return json_node_get_string (text);
  return NULL;
}

/* createdAt when json-glib reads a non-negative integer (it wraps integers past int64,
 * so the pages given to this never hold one in createdAt). */
static gint64
expected_created_at (JsonNode *record)
{
  JsonNode *created_at = get_member (record, "createdAt");

  if (!holds (created_at, G_TYPE_INT64) || json_node_get_int (created_at) < 0)
    return -1;
  return json_node_get_int (created_at);
}

static void
assert_key (FulcrumLeverPage *page,
            guint             index,
            const char       *expected)
{
  gsize length = 0;
  const char *key = fulcrum_lever_page_get_record_key (page, index, &length);
  g_autofree char *copy = key != NULL ? g_strndup (key, length) : NULL;

  if (copy != NULL)
    g_assert_cmpuint (strlen (copy), ==, length);
  g_assert_cmpstr (copy, ==, expected);
}

/* The record's text is on one line and reads as @expected; so do its key and createdAt. */
static void
assert_record (FulcrumLeverPage *page,
               guint             index,
               JsonNode         *expected)
{
  gsize length = 0;
  const char *text = fulcrum_lever_page_get_record_text (page, index, &length);
  g_autoptr(JsonNode) node = NULL;

  g_assert_nonnull (text);
  g_assert_cmpuint (length, >, 0);
  g_assert_null (memchr (text, '\n', length));
  g_assert_null (memchr (text, '\r', length));
  node = parse_json (text, length);
  if (node == NULL || !json_node_equal (node, expected))
    g_test_message ("record %u reads otherwise: %.*s", index, (int) length, text);
  g_assert_nonnull (node);
  g_assert_true (json_node_equal (node, expected));

  assert_key (page, index, expected_key (expected));
  g_assert_cmpint (fulcrum_lever_page_get_record_created_at (page, index), ==,
                   expected_created_at (expected));
}

static void
assert_records (FulcrumLeverPage *page,
                GPtrArray        *expected)
{
  JsonArray *records;

  g_assert_cmpuint (fulcrum_lever_page_get_n_records (page), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    assert_record (page, i, g_ptr_array_index (expected, i));

  records = fulcrum_lever_page_get_records (page);
  g_assert_nonnull (records);
  g_assert_cmpuint (json_array_get_length (records), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_true (json_node_equal (json_array_get_element (records, i),
                                    g_ptr_array_index (expected, i)));
  /* parsed once */
  g_assert_true (fulcrum_lever_page_get_records (page) == records);
}

/* Scans @body (already JSON) parsed at once and lazily, and checks that the page says what
 * json-glib reads in it: its records as text and trees, keys, createdAt, hasNext, next. */
static void
assert_reads_as_json_glib (const char *body,
                           gboolean    list)
{
  g_autoptr(JsonNode) root = parse_json (body, strlen (body));
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  JsonNode *data, *has_next, *next;
  gboolean is_list;

  g_test_message ("%s page: %s", list ? "list" : "single", body);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  data = get_member (root, "data");
  has_next = get_member (root, "hasNext");
  next = get_member (root, "next");
  is_list = list && data != NULL && JSON_NODE_HOLDS_ARRAY (data);
  if (!list)
    g_ptr_array_add (expected, data != NULL ? data : root);
  else if (is_list)
    for (guint i = 0; i < json_array_get_length (json_node_get_array (data)); i++)
      g_ptr_array_add (expected, json_array_get_element (json_node_get_array (data), i));

  for (guint parse = 0; parse < 2; parse++)
    {
      g_autoptr(FulcrumLeverPage) page = scan (body, list, parse);

      g_assert_nonnull (page);
      g_assert_cmpint (fulcrum_lever_page_is_list (page), ==, is_list);
      g_assert_cmpint (fulcrum_lever_page_get_has_next (page), ==,
                       holds (has_next, G_TYPE_BOOLEAN) && json_node_get_boolean (has_next));
      g_assert_cmpstr (fulcrum_lever_page_get_next (page), ==,
                       holds (next, G_TYPE_STRING) ? json_node_get_string (next) : NULL);
      assert_records (page, expected);
    }
}

static const char * const valid_pages[] = {
  /* a realistic page */
  "{'data':[{'id':'250b1ab1-4f0a-4d7e-9c39-6f7f1d4a7e01','name':'Ada Lovelace',"
  "'createdAt':1700000000000,'tags':['math','engine'],'emails':[],'links':{},"
  "'owner':{'id':'u1','createdAt':5},'nested':{'deep':{'deeper':[1,[2,[3,{'x':null}]]]}},"
  "'ok':true,'no':false,'none':null},{'id':'b2','createdAt':0,'stage':{'text':'Offer'}}],"
  "'hasNext':true,'next':'NjAwMA=='}",
  /* every escape, non-ASCII of every length, escaped keys */
  "{'data':[{'id':'a\\u00e9\\/b','s':'\\'\\\\\\/\\b\\f\\n\\r\\t',"
  "'u':'\\u0041\\u00E9\\u20ac\\ud83d\\ude00\\uD834\\uDD1E\\u001f\\u007f',"
  "'raw':'\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf0\x9d\x84\x9e\x7f',"
  "'edge':'\\uffff\\ufdd0 \xef\xbf\xbf \xf4\x8f\xbf\xbf \xe2\x80\xa8'},"
  "{'id':'\xf0\x9f\x98\x80-\\u65e5\\u672c','text':'not the key'},"
  "{'id':'\\\\u0041 stays'},{'id':'\\b\\f\\n\\r\\t\\'\\\\\\/'},"
  "{'\xc3\xa9':1,'id':'\\ud83d\\ude00'}],'hasNext':false}",
  /* numbers in every legal form */
  "{'data':[{'id':'n','createdAt':1700000000001,'a':-0,'b':1e5,'c':1.5E-3,'d':-12.25e+2,"
  "'e':9223372036854775807,'f':0.0,'g':1E-0,'h':-0.0,'big':12345678901234567890123,"
  "'neg':-9223372036854775809,'tiny':5e-324,'zero':0,'half':0.5,'list':[-0,0e0,10]},"
  "{'id':'max','createdAt':9223372036854775807}]}",
  /* pretty-printed with tabs and CRLF, a record split over lines */
  "{\r\n  'data' : [\r\n\t{\r\n\t\t'id' : 'p1',\r\n\t\t'note' : 'line one\\nline two',\r\n"
  "\t\t'list' : [ 1 , 2 ,\n 3 ],\r\n\t\t'createdAt' : 42\r\n\t} ,\n\t{ 'id':'p2' }\n  ],\n"
  "  'hasNext' : true ,\n  'next' : 'x'\n}\n",
  /* records that are not objects, and objects without a key */
  "{'data':['str',42,-1.5,null,true,false,[1,{'id':'inner'}],{'text':'tag'},"
  "{'text':'t','id':'i'},{'id':5,'text':'fallback'},{'name':'no id'},{'id':null},"
  "{'createdAt':'1700'},{'createdAt':1.5},{'createdAt':1e3},{'createdAt':-5},"
  "{'createdAt':1.0},{},[]]}",
  "{'data':[],'hasNext':false}",
  " { 'data' : [ ] } ",
  /* only the top level counts: nested data, id, createdAt, hasNext, next are not it */
  "{'meta':{'data':[9,9,9],'hasNext':true,'next':'no'},'data':[{'profile':{'id':'wrong',"
  "'createdAt':1},'text':'right','createdAt':7,'data':[1,2],'next':'no','hasNext':true}]}",
  /* JSON punctuation inside strings */
  "{'data':[{'id':'}],{\\':','v':'[{\\\\','w':' , : '},{'id':'x'}],'next':'}'}",
  /* spaces between the tokens of a record */
  "{'data':[ {  'id' :\t'sp' , 'v' : [ 1 ,2 ] }\t, 3 ] , 'hasNext' : false }",
  /* data after the other members */
  "{'hasNext':true,'next':'n','data':[{'createdAt':3,'id':'late'}]}",
};

static void
test_differential (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_pages); i++)
    {
      g_autofree char *body = json (valid_pages[i]);

      assert_reads_as_json_glib (body, TRUE);
      assert_reads_as_json_glib (body, FALSE);
    }
}

/* createdAt is a whole, non-negative number of milliseconds that fits, else -1. */
static void
test_created_at (void)
{
  static const struct { const char *value; gint64 expected; } cases[] = {
    { "0", 0 }, { "1700000000000", G_GINT64_CONSTANT (1700000000000) },
    { "9223372036854775807", G_MAXINT64 },
    /* json-glib wraps these three to other integers */
    { "9223372036854775808", -1 }, { "18446744073709551617", -1 },
    { "12345678901234567890123", -1 },
    { "-1", -1 }, { "1.0", -1 }, { "1e3", -1 }, { "17E2", -1 }, { "'1700'", -1 },
    { "null", -1 }, { "true", -1 }, { "[1]", -1 }, { "{'createdAt':1}", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint list = 0; list < 2; list++)
      for (guint parse = 0; parse < 2; parse++)
        {
          g_autofree char *text = g_strdup_printf (list ? "{'data':[{'createdAt':%s,'id':'c'}]}"
                                                        : "{'data':{'createdAt':%s,'id':'c'}}",
                                                   cases[i].value);
          g_autofree char *body = json (text);
          g_autoptr(FulcrumLeverPage) page = scan (body, list, parse);

          g_test_message ("%s", body);
          g_assert_nonnull (page);
          g_assert_cmpuint (fulcrum_lever_page_get_n_records (page), ==, 1);
          g_assert_cmpint (fulcrum_lever_page_get_record_created_at (page, 0), ==,
                           cases[i].expected);
          assert_key (page, 0, "c");
        }
}

static const char truncated_page[] =
  "{'data':["
  "{'id':'r0','createdAt':1700000000000,'name':'Ada \\'Countess\\' Lovelace',"
  "'emails':['ada@example.com'],'profile':{'tags':[1,2.5,-3e2,true,null]}},"
  "{'id':'r1\\u00e9\\/x','createdAt':1,'notes':[{'text':'a\\nb\\t\\\\','at':[]}]},"
  "{'id':'r2','createdAt':2,'name':'\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \\ud83d\\ude00'},"
  "{'text':'r3'},"
  "{'id':'r4','createdAt':4.5,'deep':[[[[{'a':[{}]}]]]]}"
  "],'hasNext':true,'next':'b2Zmc2V0\\u003d4'}";

/* A cut answer never gives a page: every prefix up to the root's closing brace is NULL,
 * and only the white space after it may be missing. */
static void
assert_prefixes (const char *body)
{
  gsize length = strlen (body);
  gsize complete = strrchr (body, '}') - body + 1;
  g_autoptr(FulcrumLeverPage) whole = scan (body, TRUE, FALSE);

  g_assert_nonnull (whole);
  for (gsize n = 1; n < length; n++)
    for (guint list = 0; list < 2; list++)
      for (guint parse = 0; parse < 2; parse++)
        {
          g_autoptr(FulcrumLeverPage) page = scan_len (body, n, list, parse);

          if (n < complete)
            {
              if (page != NULL)
                g_test_message ("prefix of %" G_GSIZE_FORMAT " bytes gave a page", n);
              g_assert_null (page);
            }
          else
            {
              g_assert_nonnull (page);
              if (list)
                g_assert_cmpuint (fulcrum_lever_page_get_n_records (page), ==,
                                  fulcrum_lever_page_get_n_records (whole));
            }
        }
}

static void
test_truncation (void)
{
  g_autofree char *body = json (truncated_page);
  g_autofree char *spaced = g_strconcat (body, " \r\n\t ", NULL);

  assert_prefixes (body);
  assert_prefixes (spaced);
  for (guint i = 0; i < G_N_ELEMENTS (valid_pages); i++)
    {
      g_autofree char *page = json (valid_pages[i]);

      assert_prefixes (page);
    }
}

typedef struct
{
  const char *name;
  const char *body;
  gsize       length;
  gboolean    lax;   /* json-glib 1.6 accepts it though RFC 8259 does not, or not an object */
} Malformed;

#define STRICT(name, body) { name, body, sizeof (body) - 1, FALSE }
#define LAX(name, body) { name, body, sizeof (body) - 1, TRUE }

static const Malformed malformed[] = {
  /* no object answer */
  LAX ("empty body", ""), LAX ("white space only", " \r\n"), LAX ("array root", "[{}]"),
  LAX ("string root", "\"data\""), LAX ("number root", "42"), LAX ("null root", "null"),
  STRICT ("HTML", "<html><body>502 Bad Gateway</body></html>"),
  LAX ("two roots", "{}{}"), LAX ("two pages", "{\"data\":[]}{\"data\":[]}"),
  LAX ("byte order mark", "\xef\xbb\xbf{\"data\":[]}"),
  /* numbers */
  LAX ("leading zero", "{\"data\":[{\"n\":01}]}"),
  LAX ("leading zero in createdAt", "{\"data\":[{\"createdAt\":0123}]}"),
  LAX ("no fraction digits", "{\"data\":[{\"n\":1.}]}"),
  LAX ("no fraction digits in createdAt", "{\"data\":[{\"createdAt\":1.}]}"),
  LAX ("no integer part", "{\"data\":[{\"n\":.5}]}"),
  STRICT ("plus sign", "{\"data\":[{\"n\":+1}]}"),
  STRICT ("lone minus", "{\"data\":[{\"n\":-}]}"),
  STRICT ("lone minus in createdAt", "{\"data\":[{\"createdAt\":-}]}"),
  LAX ("minus then space", "{\"data\":[{\"n\":- 1}]}"),
  STRICT ("no exponent digits", "{\"data\":[{\"n\":1e}]}"),
  STRICT ("exponent sign only", "{\"data\":[{\"n\":1e+}]}"),
  LAX ("hexadecimal", "{\"data\":[0x10]}"), STRICT ("NaN", "{\"data\":[NaN]}"),
  /* literals and strings */
  STRICT ("bare tru", "{\"data\":[tru]}"), STRICT ("True", "{\"hasNext\":True}"),
  STRICT ("trux", "{\"data\":[trux]}"), STRICT ("falsy", "{\"hasNext\":falsy}"),
  STRICT ("nul", "{\"data\":[nul]}"),
  LAX ("single quotes", "{'data':[]}"), LAX ("single-quoted record", "{\"data\":['a']}"),
  LAX ("tab in a string", "{\"data\":[\"a\tb\"]}"),
  LAX ("line break in an id", "{\"data\":[{\"id\":\"a\nb\"}]}"),
  LAX ("control character in a name", "{\"data\":[{\"a\x01\":1}]}"),
  LAX ("escape \\x", "{\"data\":[\"\\x41\"]}"),
  LAX ("escape \\u12G4", "{\"data\":[\"\\u12G4\"]}"),
  LAX ("bad escape in next", "{\"data\":[],\"next\":\"\\q\"}"),
  LAX ("bad escape in id", "{\"data\":[{\"id\":\"\\a\"}]}"),
  STRICT ("short \\u", "{\"data\":[\"\\u12\"]}"),
  STRICT ("unterminated string", "{\"data\":[\"abc]}"),
  /* structure */
  STRICT ("trailing comma in an object", "{\"data\":[{\"id\":\"a\",}]}"),
  STRICT ("trailing comma in an array", "{\"data\":[{\"id\":\"a\"},]}"),
  STRICT ("trailing comma in the root", "{\"data\":[],}"),
  STRICT ("leading comma", "{\"data\":[,1]}"), STRICT ("missing colon", "{\"data\" []}"),
  STRICT ("missing comma", "{\"data\":[1 2]}"),
  STRICT ("missing comma between members", "{\"data\":[],\"hasNext\":true \"next\":\"x\"}"),
  STRICT ("missing value", "{\"data\":}"), STRICT ("name without value", "{\"data\":[{\"id\"}]}"),
  STRICT ("bare name", "{data:[]}"), LAX ("comment", "{/* c */\"data\":[]}"),
  STRICT ("form feed", "{\f\"data\":[]}"), STRICT ("unterminated root", "{\"data\":[]"),
  STRICT ("unclosed array", "{\"data\":[{}}"), STRICT ("crossed brackets", "{\"data\":[}]}"),
  /* UTF-8 */
  STRICT ("overlong /", "{\"data\":[\"\xc0\xaf\"]}"),
  STRICT ("overlong 3 bytes", "{\"data\":[\"\xe0\x80\xaf\"]}"),
  STRICT ("overlong 4 bytes", "{\"data\":[\"\xf0\x80\x80\xaf\"]}"),
  STRICT ("surrogate in UTF-8", "{\"data\":[\"\xed\xa0\x80\"]}"),
  STRICT ("surrogate in an id", "{\"data\":[{\"id\":\"\xed\xbf\xbf\"}]}"),
  STRICT ("past U+10FFFF", "{\"data\":[\"\xf4\x90\x80\x80\"]}"),
  STRICT ("F5 lead byte", "{\"data\":[\"\xf5\x80\x80\x80\"]}"),
  STRICT ("FF byte", "{\"data\":[\"\xff\"]}"),
  STRICT ("lone continuation byte", "{\"data\":[\"a\x80\"]}"),
  STRICT ("2-byte form cut by the quote", "{\"data\":[\"\xc3\"]}"),
  STRICT ("4-byte form cut by the quote", "{\"data\":[\"\xf0\x9f\x98\"]}"),
  STRICT ("bad UTF-8 in a name", "{\"data\":[{\"\xc0\xaf\":1}]}"),
  STRICT ("UTF-8 outside strings", "{\"data\":[\xc3\xa9]}"),
  /* NUL */
  STRICT ("NUL between tokens", "{\"data\":\0[]}"),
  STRICT ("NUL in a string", "{\"data\":[\"a\0b\"]}"),
  STRICT ("NUL after the root", "{\"data\":[]}\0"),
};

static void
test_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      const Malformed *bad = &malformed[i];

      g_test_message ("%s", bad->name);
      for (guint list = 0; list < 2; list++)
        for (guint parse = 0; parse < 2; parse++)
          {
            g_autoptr(FulcrumLeverPage) page = scan_len (bad->body, bad->length, list, parse);

            g_assert_null (page);
          }
      /* the lax ones are checked on the scanner only */
      if (!bad->lax)
        {
          g_autoptr(JsonNode) node = parse_json (bad->body, bad->length);

          g_assert_null (node);
        }
    }
}

/* @levels arrays nested in a record of a list page (@list) or in the one object. */
static char *
nested_page (guint    levels,
             gboolean list)
{
  GString *body = g_string_new (list ? "{\"data\":[{\"id\":\"deep\",\"v\":"
                                     : "{\"data\":{\"id\":\"deep\",\"v\":");

  for (guint i = 0; i < levels; i++)
    g_string_append (body, i % 2 ? "{\"a\":" : "[");
  g_string_append (body, "0");
  for (guint i = levels; i > 0; i--)
    g_string_append_c (body, (i - 1) % 2 ? '}' : ']');
  g_string_append (body, list ? "}],\"hasNext\":false}" : "}}");
  return g_string_free (body, FALSE);
}

static void
test_depth (void)
{
  for (guint list = 0; list < 2; list++)
    {
      /* root, data (list), record and the levels: 512 containers in all is still fine */
      guint fine = list ? 509 : 510;
      g_autofree char *deep = nested_page (100, list);
      g_autofree char *deepest = nested_page (fine, list);
      g_autofree char *too_deep = nested_page (fine + 2, list);
      g_autofree char *far_too_deep = nested_page (600, list);

      assert_reads_as_json_glib (deep, list);
      assert_reads_as_json_glib (deepest, list);
      for (guint parse = 0; parse < 2; parse++)
        {
          g_autoptr(FulcrumLeverPage) page = scan (too_deep, list, parse);
          g_autoptr(FulcrumLeverPage) far = scan (far_too_deep, list, parse);

          /* json-glib has no limit: only the scanner is asserted */
          g_assert_null (page);
          g_assert_null (far);
        }
    }
}

/* A single object answer: its data, else the whole answer, is the one record. */
static void
test_single_object (void)
{
  static const struct { const char *body; const char *record; } cases[] = {
    { "{'data':{'id':'o1','createdAt':12,'a':[1,{'b':null}]}}",
      "{'id':'o1','createdAt':12,'a':[1,{'b':null}]}" },
    { "{'id':'whole','createdAt':3,'x':{'data':1}}",
      "{'id':'whole','createdAt':3,'x':{'data':1}}" },
    { " {\n 'data' : {\n  'id' : 'o2',\n  'note' : 'a  b\\n'\n }\n}\n ",
      "{'id':'o2','note':'a  b\\n'}" },
    { "{'data' : { 'text' : 'tag' } }", "{ 'text' : 'tag' }" },
    { "{'data':[1,2],'hasNext':true}", "[1,2]" },
    { "{'data':'just text'}", "'just text'" },
    { "{'data':null}", "null" },
    { "\t{'id':'x'}  \r\n", "{'id':'x'}" }, { "{'id':'y'} \t ", "{'id':'y'}" },
  };
  static const char * const not_lists[] = {
    "{'hasNext':false}", "{'data':{'id':'x'}}", "{'data':null}", "{'data':'[]'}", "{}",
    "{'Data':[1]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = json (cases[i].body);
      g_autofree char *record = json (cases[i].record);

      /* one record, not a list, the data object byte for byte */
      assert_reads_as_json_glib (body, FALSE);
      for (guint parse = 0; parse < 2; parse++)
        {
          g_autoptr(FulcrumLeverPage) page = scan (body, FALSE, parse);
          gsize length;
          const char *text = fulcrum_lever_page_get_record_text (page, 0, &length);

          g_assert_cmpmem (text, length, record, strlen (record));
        }
    }

  /* a list page without a data list is no list and has no records */
  for (guint i = 0; i < G_N_ELEMENTS (not_lists); i++)
    {
      g_autofree char *body = json (not_lists[i]);

      assert_reads_as_json_glib (body, TRUE);
    }
}

static void
test_next (void)
{
  static const struct { const char *body; gboolean has_next; const char *next; } cases[] = {
    { "{'data':[],'hasNext':true,'next':'a\\/b\\u0041'}", TRUE, "a/bA" },
    { "{'data':[],'next':'\\ud83d\\ude00\\u00e9 \\\\ \\'\\t'}", FALSE,
      "\xf0\x9f\x98\x80\xc3\xa9 \\ \"\t" },
    { "{'data':[],'hasNext':true,'next':''}", TRUE, "" },
    { "{'data':[],'next':'\\b\\f\\n\\r\\t\\'\\\\\\/'}", FALSE, "\b\f\n\r\t\"\\/" },
    { "{'data':[],'next':'first','next':null}", FALSE, NULL },
    { "{'data':[]}", FALSE, NULL },
    { "{'data':[],'hasNext':false,'next':null}", FALSE, NULL },
    { "{'data':[],'hasNext':true,'next':5}", TRUE, NULL },
    { "{'data':[],'hasNext':'true','next':['x']}", FALSE, NULL },
    { "{'data':[],'hasNext':null,'next':{'next':'x'}}", FALSE, NULL },
    { "{'next':'first','data':[],'next':'second','hasNext':true,'hasNext':false}", FALSE,
      "second" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint list = 0; list < 2; list++)
      for (guint parse = 0; parse < 2; parse++)
        {
          g_autofree char *body = json (cases[i].body);
          g_autoptr(FulcrumLeverPage) page = scan (body, list, parse);

          g_test_message ("%s", body);
          g_assert_nonnull (page);
          g_assert_cmpint (fulcrum_lever_page_get_has_next (page), ==, cases[i].has_next);
          g_assert_cmpstr (fulcrum_lever_page_get_next (page), ==, cases[i].next);
        }
}

static const char keep_page[] =
  "{'data':[{'id':'r0','createdAt':0},\n{\n 'id' : 'r1',\n 'createdAt' : 1\n},"
  "{'id':'r\\u00e9','createdAt':2,'x':[1]},{\n'text':'r3'\n},{'id':'r4','createdAt':4}]}";

static void
test_keep_records (void)
{
  static const gboolean keep[] = { TRUE, FALSE, TRUE, FALSE, TRUE };
  static const gboolean keep_none[] = { FALSE, FALSE, FALSE, FALSE, FALSE };
  g_autofree char *body = json (keep_page);
  g_autoptr(JsonNode) root = parse_json (body, strlen (body));
  JsonArray *data = json_node_get_array (get_member (root, "data"));

  /* parsed at once, parsed later, and parsed lazily before the records are left out */
  for (guint mode = 0; mode < 3; mode++)
    {
      g_autoptr(FulcrumLeverPage) page = scan (body, TRUE, mode == 0);
      g_autoptr(FulcrumLeverPage) empty = scan (body, TRUE, mode == 0);
      g_autoptr(GPtrArray) expected = g_ptr_array_new ();

      if (mode == 2)
        {
          fulcrum_lever_page_get_records (page);
          fulcrum_lever_page_get_records (empty);
        }
      fulcrum_lever_page_keep_records (page, keep);
      for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
        if (keep[i])
          g_ptr_array_add (expected, json_array_get_element (data, i));
      assert_records (page, expected);
      assert_key (page, 1, "r\xc3\xa9");
      g_assert_cmpint (fulcrum_lever_page_get_record_created_at (page, 2), ==, 4);

      fulcrum_lever_page_keep_records (empty, keep_none);
      g_assert_cmpuint (fulcrum_lever_page_get_n_records (empty), ==, 0);
      g_assert_cmpuint (json_array_get_length (fulcrum_lever_page_get_records (empty)), ==, 0);
    }
}

/* A record split over lines comes out on one line; the insides of its strings, escapes
 * and spaces included, and a record on one line come out byte for byte. */
static void
test_line_breaks (void)
{
  static const char page_text[] =
    "{'data':[{\n  'id' : 'nl',\n  'note' : 'a\\nb  c\\t d\\r\\n',\r\n"
    "  'q' : 'say \\'hi there\\' \\\\',\n\t'list' : [ 1 ,\t2 ],\n  'createdAt' : 9\n},"
    " {  'id' : 'flat' ,  'note' : ' x  y \\\\n' }\r\n, {'id' : 'cr',\r'v' : 1}]}";
  static const char * const records[] = {
    "{'id':'nl','note':'a\\nb  c\\t d\\r\\n','q':'say \\'hi there\\' \\\\','list':[1,2],"
    "'createdAt':9}",
    "{  'id' : 'flat' ,  'note' : ' x  y \\\\n' }",
    "{'id':'cr','v':1}",
  };
  g_autofree char *body = json (page_text);

  assert_reads_as_json_glib (body, TRUE);
  for (guint parse = 0; parse < 2; parse++)
    {
      g_autoptr(FulcrumLeverPage) page = scan (body, TRUE, parse);

      g_assert_cmpuint (fulcrum_lever_page_get_n_records (page), ==, G_N_ELEMENTS (records));
      for (guint i = 0; i < G_N_ELEMENTS (records); i++)
        {
          g_autofree char *record = json (records[i]);
          gsize length;
          const char *text = fulcrum_lever_page_get_record_text (page, i, &length);

          g_assert_cmpmem (text, length, record, strlen (record));
        }
    }
}

static gpointer
read_and_unref (gpointer user_data)
{
  FulcrumLeverPage *page = user_data;
  JsonArray *records = fulcrum_lever_page_get_records (page);

  g_assert_cmpuint (json_array_get_length (records), ==, fulcrum_lever_page_get_n_records (page));
  fulcrum_lever_page_unref (page);
  return records;
}

/* Two threads parse a text-only page at once and the last unref happens in one of them. */
static void
test_threads (void)
{
  g_autofree char *body = json (truncated_page);
  FulcrumLeverPage *page = scan (body, TRUE, FALSE);
  GThread *first, *second;

  g_assert_nonnull (page);
  first = g_thread_new ("page-reader", read_and_unref, fulcrum_lever_page_ref (page));
  second = g_thread_new ("page-reader", read_and_unref, fulcrum_lever_page_ref (page));
  fulcrum_lever_page_unref (page);
  /* both were handed the one tree */
  g_assert_true (g_thread_join (first) == g_thread_join (second));
}

/* The member names that matter mean what json-glib (and so the parsed records) reads in
 * them: written with escapes, still those names; given twice, their last value. */
static void
test_member_names (void)
{
  static const struct { const char *body; gboolean list; } cases[] = {
    { "{'d\\u0061ta':{'id':'x'}}", FALSE },
    { "{'d\\u0061ta':[{'\\u0069d':'x','cre\\u0061tedAt':5}],'h\\u0061sNext':true,"
      "'n\\u0065xt':'c'}", TRUE },
    { "{'data':[{'id':'first','id':7,'createdAt':5,'createdAt':'later'},"
      "{'text':'t','text':null},{'id':'a','text':'b','id':false}]}", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = json (cases[i].body);

      assert_reads_as_json_glib (body, cases[i].list);
    }
}

/* RFC 8259 lets a string hold a lone surrogate escape (JavaScript writes one for an emoji
 * cut in half), and \u0000: the page is accepted and its keys and next say U+FFFD there. */
static const struct { const char *escaped; const char *unescaped; } unpaired[] = {
  { "a\\udc00b", "a\xef\xbf\xbd" "b" },
  { "\\ud83d", "\xef\xbf\xbd" },
  { "x\\ud800\\u0041", "x\xef\xbf\xbd" "A" },
  { "\\ud83d\\ue000\\ud83d\\ude00", "\xef\xbf\xbd\xee\x80\x80\xf0\x9f\x98\x80" },
  { "\\udbff\\udfff\\udfff", "\xf4\x8f\xbf\xbf\xef\xbf\xbd" },
  { "a\\u0000b", "a\xef\xbf\xbd" "b" },
};

static void
test_unpaired_surrogates (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (unpaired); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"data\":[{\"id\":\"%s\"}],\"next\":\"%s\"}",
                                               unpaired[i].escaped, unpaired[i].escaped);
      g_autoptr(FulcrumLeverPage) page = scan (body, TRUE, FALSE);

      g_test_message ("%s", body);
      g_assert_nonnull (page);
      assert_key (page, 0, unpaired[i].unescaped);
      g_assert_cmpstr (fulcrum_lever_page_get_next (page), ==, unpaired[i].unescaped);
    }
}

/* ... and its tree says the same: never an abort, never malformed UTF-8, no character
 * lost (json-glib alone does all three). */
static void
test_unpaired_surrogate_trees (void)
{
  for (guint i = 0; i < 3; i++)
    for (guint parse = 0; parse < 2; parse++)
      {
        g_autofree char *body = g_strdup_printf ("{\"data\":[{\"id\":\"%s\"}]}",
                                                 unpaired[i].escaped);
        g_autoptr(FulcrumLeverPage) page = scan (body, TRUE, parse);
        JsonArray *records;
        const char *id;

        g_test_message ("%s, %s", body, parse ? "parsed" : "text only");
        /* json-glib cannot read these escapes: the tree is built from a copy */
        g_assert_nonnull (page);
        records = fulcrum_lever_page_get_records (page);
        id = json_object_get_string_member (json_array_get_object_element (records, 0), "id");
        g_assert_true (g_utf8_validate (id, -1, NULL));
        g_assert_cmpstr (id, ==, unpaired[i].unescaped);
      }
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lever-page/differential", test_differential);
  g_test_add_func ("/lever-page/created-at", test_created_at);
  g_test_add_func ("/lever-page/truncation", test_truncation);
  g_test_add_func ("/lever-page/malformed", test_malformed);
  g_test_add_func ("/lever-page/depth", test_depth);
  g_test_add_func ("/lever-page/single-object", test_single_object);
  g_test_add_func ("/lever-page/next", test_next);
  g_test_add_func ("/lever-page/keep-records", test_keep_records);
  g_test_add_func ("/lever-page/line-breaks", test_line_breaks);
  g_test_add_func ("/lever-page/threads", test_threads);
  g_test_add_func ("/lever-page/unpaired-surrogates", test_unpaired_surrogates);
  g_test_add_func ("/lever-page/member-names", test_member_names);
  g_test_add_func ("/lever-page/unpaired-surrogate-trees", test_unpaired_surrogate_trees);

  return g_test_run ();
}
