/* fulcrum-sim-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include "fulcrum-sim-json.h"

void
fulcrum_sim_json_init (FulcrumSimJson *json,
                       GString        *out)
{
  json->out = out;
  json->depth = 0;
  json->need_comma = 0;
}

static inline void
separate (FulcrumSimJson *json)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << json->depth;

  if (json->need_comma & bit)
    g_string_append_c (json->out, ',');
  json->need_comma |= bit;
}

static inline void
push (FulcrumSimJson *json,
      char            c)
{
  separate (json);
  g_string_append_c (json->out, c);
  g_assert (json->depth < 63);
  json->depth++;
  json->need_comma &= ~(G_GUINT64_CONSTANT (1) << json->depth);
}

static inline void
pop (FulcrumSimJson *json,
     char            c)
{
  g_assert (json->depth > 0);
  json->need_comma &= ~(G_GUINT64_CONSTANT (1) << json->depth);
  json->depth--;
  g_string_append_c (json->out, c);
}

void
fulcrum_sim_json_begin_object (FulcrumSimJson *json)
{
  push (json, '{');
}

void
fulcrum_sim_json_end_object (FulcrumSimJson *json)
{
  pop (json, '}');
}

void
fulcrum_sim_json_begin_array (FulcrumSimJson *json)
{
  push (json, '[');
}

void
fulcrum_sim_json_end_array (FulcrumSimJson *json)
{
  pop (json, ']');
}

void
fulcrum_sim_json_escape (GString    *out,
                         const char *value)
{
  static const char hex[] = "0123456789abcdef";
  const char *start = value;
  const char *p;

  g_string_append_c (out, '"');
  for (p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, start, p - start);
      start = p + 1;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
          break;
        }
    }
  g_string_append_len (out, start, p - start);
  g_string_append_c (out, '"');
}

void
fulcrum_sim_json_key (FulcrumSimJson *json,
                      const char     *key)
{
  separate (json);
  fulcrum_sim_json_escape (json->out, key);
  g_string_append_c (json->out, ':');
  /* the value that follows must not write a comma */
  json->need_comma &= ~(G_GUINT64_CONSTANT (1) << json->depth);
}

void
fulcrum_sim_json_string (FulcrumSimJson *json,
                         const char     *value)
{
  if (value == NULL)
    {
      fulcrum_sim_json_null (json);
      return;
    }
  separate (json);
  fulcrum_sim_json_escape (json->out, value);
}

void
fulcrum_sim_json_int (FulcrumSimJson *json,
                      gint64          value)
{
  separate (json);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
}

void
fulcrum_sim_json_double (FulcrumSimJson *json,
                         double          value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  separate (json);
  g_string_append (json->out, g_ascii_dtostr (buf, sizeof buf, value));
}

void
fulcrum_sim_json_bool (FulcrumSimJson *json,
                       gboolean        value)
{
  separate (json);
  g_string_append (json->out, value ? "true" : "false");
}

void
fulcrum_sim_json_null (FulcrumSimJson *json)
{
  separate (json);
  g_string_append (json->out, "null");
}

void
fulcrum_sim_json_raw (FulcrumSimJson *json,
                      const char     *value,
                      gssize          len)
{
  separate (json);
  g_string_append_len (json->out, value, len);
}

void
fulcrum_sim_json_member_string (FulcrumSimJson *json,
                                const char     *key,
                                const char     *value)
{
  fulcrum_sim_json_key (json, key);
  fulcrum_sim_json_string (json, value);
}

void
fulcrum_sim_json_member_int (FulcrumSimJson *json,
                             const char     *key,
                             gint64          value)
{
  fulcrum_sim_json_key (json, key);
  fulcrum_sim_json_int (json, value);
}

void
fulcrum_sim_json_member_time (FulcrumSimJson *json,
                              const char     *key,
                              gint64          value)
{
  fulcrum_sim_json_key (json, key);
  if (value == 0)
    fulcrum_sim_json_null (json);
  else
    fulcrum_sim_json_int (json, value);
}

void
fulcrum_sim_json_member_bool (FulcrumSimJson *json,
                              const char     *key,
                              gboolean        value)
{
  fulcrum_sim_json_key (json, key);
  fulcrum_sim_json_bool (json, value);
}

void
fulcrum_sim_json_member_strv (FulcrumSimJson *json,
                              const char     *key,
                              GPtrArray      *values)
{
  fulcrum_sim_json_key (json, key);
  fulcrum_sim_json_begin_array (json);
  for (guint i = 0; values != NULL && i < values->len; i++)
    fulcrum_sim_json_string (json, g_ptr_array_index (values, i));
  fulcrum_sim_json_end_array (json);
}
