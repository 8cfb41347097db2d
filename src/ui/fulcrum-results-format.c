/* fulcrum-results-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-results"

#include "config.h"

#include <string.h>

#include "fulcrum-results-format.h"

/* A cell is one line of a table: longer text is cut (the JSON view shows all of it). */
#define MAX_CELL_CHARS 400

/* Epoch milliseconds between 1973 and 5138: other integers are not dates. */
#define MIN_TIMESTAMP_MS G_GINT64_CONSTANT (100000000000)
#define MAX_TIMESTAMP_MS G_GINT64_CONSTANT (100000000000000)

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double, in the C locale. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  g_string_append (out, buf);
}

static void
append_value (GString  *out,
              JsonNode *node,
              gboolean  quote_strings)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      append_double (out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      if (quote_strings)
        append_json_string (out, json_node_get_string (node));
      else
        g_string_append (out, json_node_get_string (node));
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

void
fulcrum_results_append_json_object (GString    *out,
                                    JsonObject *object)
{
  g_autoptr(GList) members = NULL;

  g_return_if_fail (out != NULL);
  g_return_if_fail (object != NULL);

  /* In the order Lever sent them (json_object_get_members() keeps it). */
  members = json_object_get_members (object);
  g_string_append_c (out, '{');
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (l != members)
        g_string_append_c (out, ',');
      append_json_string (out, l->data);
      g_string_append_c (out, ':');
      fulcrum_results_append_json (out, json_object_get_member (object, l->data));
    }
  g_string_append_c (out, '}');
}

void
fulcrum_results_append_json (GString  *out,
                             JsonNode *node)
{
  g_return_if_fail (out != NULL);

  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      fulcrum_results_append_json_object (out, json_node_get_object (node));
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < length; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            fulcrum_results_append_json (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      append_value (out, node, TRUE);
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

gboolean
fulcrum_results_is_timestamp (const char *key,
                              JsonNode   *node)
{
  gint64 value;

  if (key == NULL || node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  if (!g_str_has_suffix (key, "At") && !g_str_has_suffix (key, "_at") &&
      !g_str_has_suffix (key, "Until"))
    return FALSE;

  value = json_node_get_int (node);
  return value >= MIN_TIMESTAMP_MS && value < MAX_TIMESTAMP_MS;
}

char *
fulcrum_results_format_timestamp (gint64 ms)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (ms / 1000);

  if (date == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, ms);

  return g_date_time_format (date, "%Y-%m-%d %H:%M");
}

static gboolean
is_plain (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) || JSON_NODE_HOLDS_NULL (node);
}

static char *
cut (GString *text)
{
  const char *end;

  if (text->len <= MAX_CELL_CHARS || g_utf8_strlen (text->str, -1) <= MAX_CELL_CHARS)
    return g_string_free (text, FALSE);

  end = g_utf8_offset_to_pointer (text->str, MAX_CELL_CHARS);
  g_string_truncate (text, end - text->str);
  g_string_append (text, "…");
  return g_string_free (text, FALSE);
}

char *
fulcrum_results_dup_cell_text (JsonObject *object,
                               const char *key)
{
  JsonNode *node;
  GString *text;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  node = json_object_get_member (object, key);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (fulcrum_results_is_timestamp (key, node))
    return fulcrum_results_format_timestamp (json_node_get_int (node));

  text = g_string_new (NULL);

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      append_value (text, node, FALSE);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint length = json_array_get_length (array);
      gboolean plain = TRUE;

      for (guint i = 0; plain && i < length; i++)
        plain = is_plain (json_array_get_element (array, i));

      /* ["a", "b"] reads best as "a, b"; lists of objects stay JSON. */
      if (plain)
        for (guint i = 0; i < length && text->len <= MAX_CELL_CHARS * 4; i++)
          {
            JsonNode *element = json_array_get_element (array, i);

            if (i > 0)
              g_string_append (text, ", ");
            if (JSON_NODE_HOLDS_VALUE (element))
              append_value (text, element, FALSE);
            else
              g_string_append (text, "null");
          }
      else
        fulcrum_results_append_json (text, node);
    }
  else
    {
      fulcrum_results_append_json (text, node);
    }

  return cut (text);
}

void
fulcrum_results_append_csv_text (GString    *out,
                                 const char *text)
{
  g_return_if_fail (out != NULL);

  if (text == NULL)
    return;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
fulcrum_results_append_csv_field (GString    *out,
                                  JsonObject *object,
                                  const char *key)
{
  g_autoptr(GString) text = NULL;
  JsonNode *node;

  g_return_if_fail (out != NULL);
  g_return_if_fail (object != NULL);
  g_return_if_fail (key != NULL);

  node = json_object_get_member (object, key);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;

  text = g_string_new (NULL);
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      const char *string = json_node_get_value_type (node) == G_TYPE_STRING
                           ? json_node_get_string (node) : NULL;

      /* CSV injection: "=HYPERLINK(…)" in a name must stay text when the file is opened */
      if (string != NULL && string[0] != '\0' && strchr ("=+-@\t\r", string[0]) != NULL)
        g_string_append_c (text, '\'');
      append_value (text, node, FALSE);
    }
  else
    fulcrum_results_append_json (text, node);

  fulcrum_results_append_csv_text (out, text->str);
}

static int
value_rank (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return 0;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return 4;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return 1;
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return 2;
    case G_TYPE_STRING:
      return 3;
    default:
      return 0;
    }
}

int
fulcrum_results_compare (JsonObject *a,
                         JsonObject *b,
                         const char *key)
{
  JsonNode *x = json_object_get_member (a, key);
  JsonNode *y = json_object_get_member (b, key);
  int rank = value_rank (x);

  if (rank != value_rank (y))
    return rank < value_rank (y) ? -1 : 1;

  switch (rank)
    {
    case 0:
      return 0;

    case 1:
      return (int) json_node_get_boolean (x) - (int) json_node_get_boolean (y);

    case 2:
      if (json_node_get_value_type (x) == G_TYPE_INT64 &&
          json_node_get_value_type (y) == G_TYPE_INT64)
        {
          gint64 i = json_node_get_int (x), j = json_node_get_int (y);

          return i < j ? -1 : i > j;
        }
      else
        {
          double i = json_node_get_double (x), j = json_node_get_double (y);

          return i < j ? -1 : i > j;
        }

    case 3:
      return g_utf8_collate (json_node_get_string (x), json_node_get_string (y));

    default:
      {
        g_autoptr(GString) s = g_string_new (NULL);
        g_autoptr(GString) t = g_string_new (NULL);

        fulcrum_results_append_json (s, x);
        fulcrum_results_append_json (t, y);
        return strcmp (s->str, t->str);
      }
    }
}

gboolean
fulcrum_results_is_leading_key (const char *key)
{
  static const char * const leading[] = { "id", "name", "text", "title", NULL };

  return key != NULL && g_strv_contains (leading, key);
}
