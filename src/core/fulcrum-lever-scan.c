/* fulcrum-lever-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-lever-client"

#include "config.h"

#include <string.h>

#include "fulcrum-lever-private.h"

/* The one-pass scan behind FulcrumLeverPage (fulcrum-lever-page.c).
 *
 * Building a tree of every record costs far more than fetching it: an export that writes
 * records as they came only needs to know where each one starts and ends, its id (to leave
 * out one read twice) and its createdAt (to plan time windows). The scanner finds those in
 * one pass over the answer and checks, on the way, everything a JSON parser would (RFC 8259
 * syntax, UTF-8, escapes), so an answer it accepts is one json-glib accepts too, and a
 * truncated or malformed one fails here as it would there. Member names are compared
 * unescaped, and a name given twice counts by its last value, as json-glib counts it. */

/* Deeper than any record of Lever's; an answer nested deeper is refused, not recursed. */
#define MAX_DEPTH 512

typedef FulcrumLeverSpan Span;

typedef struct
{
  const guchar *start;
  const guchar *p;
  const guchar *end;
  gboolean      odd_escapes;
} Scan;

/* What the scanner keeps of the object it is in. */
typedef enum
{
  CAPTURE_NONE,
  CAPTURE_ROOT,
  CAPTURE_RECORD,
} Capture;

typedef struct
{
  /* CAPTURE_ROOT */
  gboolean      list;
  const guchar *data_start;
  const guchar *data_end;
  gboolean      data_is_array;
  GArray       *data_spans;
  gboolean      has_next;
  const guchar *next_start;
  const guchar *next_end;
} Root;

/* 1 for the bytes a string scan must look at: the quote, the backslash, control
 * characters and the start of multi-byte UTF-8. */
static const guint8 string_special[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static inline gboolean
is_hex (guchar c)
{
  return g_ascii_isxdigit (c);
}

static gunichar
hex4 (const guchar *p)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    value = value * 16 + (gunichar) g_ascii_xdigit_value (p[i]);
  return value;
}

static gboolean
is_unicode_escape (const guchar *p,
                   const guchar *end)
{
  return end - p >= 6 && p[0] == '\\' && p[1] == 'u' && is_hex (p[2]) && is_hex (p[3]) &&
         is_hex (p[4]) && is_hex (p[5]);
}

/* At a well-formed \uXXXX: the bytes its character takes (12 for a surrogate pair).
 * @odd: RFC 8259 allows it but json-glib misreads it, a surrogate without its other half
 * (JavaScript writes one for an emoji cut in two) or U+0000 (it ends the string there). */
static guint
unicode_escape (const guchar *p,
                const guchar *end,
                gboolean     *odd)
{
  gunichar c = hex4 (p + 2);

  *odd = FALSE;
  if (c >= 0xD800 && c <= 0xDBFF)
    {
      if (is_unicode_escape (p + 6, end) && hex4 (p + 8) >= 0xDC00 && hex4 (p + 8) <= 0xDFFF)
        return 12;
      *odd = TRUE;
    }
  else if ((c >= 0xDC00 && c <= 0xDFFF) || c == 0)
    *odd = TRUE;
  return 6;
}

/* The length of the well-formed UTF-8 sequence at @p (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0. */
static guint
utf8_sequence (const guchar *p,
               const guchar *end)
{
  guchar c = p[0];
  guint n;
  guchar lo = 0x80, hi = 0xBF;

  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    {
      n = 3;
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;
    }
  else if (c >= 0xF0 && c <= 0xF4)
    {
      n = 4;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
    }
  else
    return 0;

  if ((gsize) (end - p) < n)
    return 0;
  if (p[1] < lo || p[1] > hi)
    return 0;
  for (guint i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return 0;
  return n;
}

/* At the opening quote; leaves @s after the closing one. @contents_end (may be NULL) gets
 * where the contents end, @escaped whether they hold an escape. */
static gboolean
scan_string (Scan          *s,
             const guchar **contents_end,
             gboolean      *escaped)
{
  const guchar *p = s->p + 1;
  const guchar *end = s->end;
  gboolean any_escape = FALSE;

  for (;;)
    {
      while (p < end && !string_special[*p])
        p++;
      if (p >= end)
        return FALSE;
      if (*p == '"')
        break;
      if (*p == '\\')
        {
          any_escape = TRUE;
          if (end - p < 2)
            return FALSE;
          switch (p[1])
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              p += 2;
              break;
            case 'u':
              {
                gboolean odd;

                if (!is_unicode_escape (p, end))
                  return FALSE;
                p += unicode_escape (p, end, &odd);
                s->odd_escapes |= odd;
              }
              break;
            default:
              return FALSE;
            }
        }
      else if (*p < 0x20)
        return FALSE;
      else
        {
          guint n = utf8_sequence (p, end);

          if (n == 0)
            return FALSE;
          p += n;
        }
    }

  if (contents_end != NULL)
    *contents_end = p;
  if (escaped != NULL)
    *escaped = any_escape;
  s->p = p + 1;
  return TRUE;
}

/* RFC 8259 numbers. @integer (may be NULL) gets the value of a whole number that fits in
 * 64 bits, else -1 (fractions, exponents and negative numbers included). */
static gboolean
scan_number (Scan   *s,
             gint64 *integer)
{
  const guchar *p = s->p;
  const guchar *end = s->end;
  gboolean negative = FALSE, whole = TRUE, fits = TRUE;
  guint64 value = 0;

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= end || !g_ascii_isdigit (*p))
    return FALSE;
  if (*p == '0')
    p++;
  else
    while (p < end && g_ascii_isdigit (*p))
      {
        guint digit = *p - '0';

        if (value > (G_MAXINT64 - digit) / 10)
          fits = FALSE;
        else
          value = value * 10 + digit;
        p++;
      }
  if (p < end && *p == '.')
    {
      whole = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      whole = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }

  if (integer != NULL)
    *integer = whole && fits && !negative ? (gint64) value : -1;
  s->p = p;
  return TRUE;
}

static gboolean
scan_literal (Scan       *s,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean scan_value (Scan *s, guint depth, Capture capture, gpointer data);

static gboolean
key_is (const guchar *start,
        const guchar *end,
        const char   *name)
{
  gsize n = strlen (name);

  return (gsize) (end - start) == n && memcmp (start, name, n) == 0;
}


/* The members looked at, by name. */
typedef enum
{
  NAME_OTHER,
  NAME_ID,
  NAME_TEXT,
  NAME_CREATED_AT,
  NAME_DATA,
  NAME_HAS_NEXT,
  NAME_NEXT,
} Name;

static Name
classify_name (const guchar *start,
               const guchar *end,
               gboolean      escaped,
               Capture       capture)
{
  g_autoptr(GString) plain = NULL;

  if (escaped)
    {
      /* written with escapes ("d\u0061ta"): rare, and still the same name */
      if (end - start > 64)
        return NAME_OTHER;
      plain = g_string_new (NULL);
      fulcrum_lever_append_unescaped (plain, (const char *) start, (const char *) end);
      start = (const guchar *) plain->str;
      end = start + plain->len;
    }
  if (capture == CAPTURE_RECORD)
    {
      if (key_is (start, end, "id"))
        return NAME_ID;
      if (key_is (start, end, "text"))
        return NAME_TEXT;
      if (key_is (start, end, "createdAt"))
        return NAME_CREATED_AT;
    }
  else if (capture == CAPTURE_ROOT)
    {
      if (key_is (start, end, "data"))
        return NAME_DATA;
      if (key_is (start, end, "hasNext"))
        return NAME_HAS_NEXT;
      if (key_is (start, end, "next"))
        return NAME_NEXT;
    }
  return NAME_OTHER;
}

static gboolean
scan_array (Scan     *s,
            guint     depth,
            GArray   *spans)
{
  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      skip_space (s);
      if (spans != NULL)
        {
          Span span = { 0, };

          span.offset = (guint32) (s->p - s->start);
          span.created_at = -1;
          if (!scan_value (s, depth + 1, CAPTURE_RECORD, &span))
            return FALSE;
          span.length = (guint32) (s->p - s->start) - span.offset;
          g_array_append_val (spans, span);
        }
      else if (!scan_value (s, depth + 1, CAPTURE_NONE, NULL))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return FALSE;
      s->p++;
    }
}

static gboolean
scan_object (Scan    *s,
             guint    depth,
             Capture  capture,
             gpointer data)
{
  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      const guchar *key_start, *key_end;
      gboolean key_escaped;
      Name name;

      skip_space (s);
      if (s->p >= s->end || *s->p != '"')
        return FALSE;
      key_start = s->p + 1;
      if (!scan_string (s, &key_end, &key_escaped))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end || *s->p != ':')
        return FALSE;
      s->p++;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;

      /* a name given twice counts as json-glib counts it: the last value */
      name = capture != CAPTURE_NONE ? classify_name (key_start, key_end, key_escaped, capture)
                                     : NAME_OTHER;
      switch (name)
        {
        case NAME_ID:
        case NAME_TEXT:
          {
            Span *span = data;
            const guchar *value_start = s->p + 1, *value_end;
            gboolean is_string = *s->p == '"';
            gboolean is_id = name == NAME_ID;

            if (is_string ? !scan_string (s, &value_end, NULL)
                          : !scan_value (s, depth + 1, CAPTURE_NONE, NULL))
              return FALSE;
            if (is_id)
              {
                span->has_key = is_string;
                span->key_offset = is_string ? (guint32) (value_start - s->start) : 0;
                span->key_length = is_string ? (guint32) (value_end - value_start) : 0;
              }
            else
              {
                span->has_alt = is_string;
                span->alt_offset = is_string ? (guint32) (value_start - s->start) : 0;
                span->alt_length = is_string ? (guint32) (value_end - value_start) : 0;
              }
          }
          break;

        case NAME_CREATED_AT:
          {
            Span *span = data;

            span->created_at = -1;
            if (*s->p == '-' || g_ascii_isdigit (*s->p))
              {
                if (!scan_number (s, &span->created_at))
                  return FALSE;
              }
            else if (!scan_value (s, depth + 1, CAPTURE_NONE, NULL))
              return FALSE;
          }
          break;

        case NAME_DATA:
          {
            Root *root = data;

            root->data_start = s->p;
            root->data_is_array = *s->p == '[';
            g_array_set_size (root->data_spans, 0);
            if (root->list && root->data_is_array)
              {
                if (depth + 1 > MAX_DEPTH || !scan_array (s, depth + 1, root->data_spans))
                  return FALSE;
              }
            else if (!scan_value (s, depth + 1, CAPTURE_NONE, NULL))
              return FALSE;
            root->data_end = s->p;
          }
          break;

        case NAME_HAS_NEXT:
          {
            Root *root = data;

            root->has_next = *s->p == 't';
            if (!scan_value (s, depth + 1, CAPTURE_NONE, NULL))
              return FALSE;
          }
          break;

        case NAME_NEXT:
          {
            Root *root = data;

            root->next_start = NULL;
            if (*s->p == '"')
              {
                root->next_start = s->p;
                if (!scan_string (s, NULL, NULL))
                  return FALSE;
                root->next_end = s->p;
              }
            else if (!scan_value (s, depth + 1, CAPTURE_NONE, NULL))
              return FALSE;
          }
          break;

        case NAME_OTHER:
        default:
          if (!scan_value (s, depth + 1, CAPTURE_NONE, NULL))
            return FALSE;
          break;
        }

      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return FALSE;
      s->p++;
    }
}

static gboolean
scan_value (Scan     *s,
            guint     depth,
            Capture   capture,
            gpointer  data)
{
  if (s->p >= s->end || depth > MAX_DEPTH)
    return FALSE;

  switch (*s->p)
    {
    case '{':
      return scan_object (s, depth, capture, data);
    case '[':
      return scan_array (s, depth, NULL);
    case '"':
      return scan_string (s, NULL, NULL);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      return scan_number (s, NULL);
    }
}

/* Unescaping */

static void
append_utf8 (GString  *out,
             gunichar  c)
{
  char buf[6];

  g_string_append_len (out, buf, g_unichar_to_utf8 (c, buf));
}

void
fulcrum_lever_append_unescaped (GString    *out,
                                const char *text,
                                const char *text_end)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = (const guchar *) text_end;

  while (p < end)
    {
      const guchar *run = p;
      gunichar c;

      while (p < end && *p != '\\')
        p++;
      g_string_append_len (out, (const char *) run, p - run);
      if (p >= end)
        break;

      switch (p[1])
        {
        case 'b': g_string_append_c (out, '\b'); p += 2; break;
        case 'f': g_string_append_c (out, '\f'); p += 2; break;
        case 'n': g_string_append_c (out, '\n'); p += 2; break;
        case 'r': g_string_append_c (out, '\r'); p += 2; break;
        case 't': g_string_append_c (out, '\t'); p += 2; break;
        case 'u':
          c = hex4 (p + 2);
          p += 6;
          if (c >= 0xD800 && c <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u')
            {
              gunichar low = hex4 (p + 2);

              if (low >= 0xDC00 && low <= 0xDFFF)
                {
                  c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                  p += 6;
                }
            }
          if ((c >= 0xD800 && c <= 0xDFFF) || c == 0)
            c = 0xFFFD; /* a lone surrogate, or a NUL that would cut the text */
          append_utf8 (out, c);
          break;
        default: /* " \ / */
          g_string_append_c (out, (char) p[1]);
          p += 2;
          break;
        }
    }
}

void
fulcrum_lever_append_compact (GString    *out,
                              const char *text,
                              const char *text_end)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = (const guchar *) text_end;

  gboolean in_string = FALSE;

  for (; p < end; p++)
    {
      guchar c = *p;

      if (in_string)
        {
          if (c == '\\')
            {
              g_string_append_c (out, (char) c);
              p++;
              c = *p;
            }
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        continue;
      g_string_append_c (out, (char) c);
    }
}

char *
fulcrum_lever_dup_for_json_glib (const char *text,
                   gsize       length)
{
  char *copy = g_malloc (length + 1);
  const guchar *end = (const guchar *) text + length;

  memcpy (copy, text, length);
  copy[length] = '\0';
  for (const guchar *p = (const guchar *) text; p < end; p++)
    {
      gboolean odd;
      guint n;

      if (*p != '\\')
        continue;
      if (p[1] != 'u')
        {
          p++;
          continue;
        }
      n = unicode_escape (p, end, &odd);
      if (odd)
        memcpy (copy + (p - (const guchar *) text), "\\ufffd", 6);
      p += n - 1;
    }
  return copy;
}


/* Private API */

gboolean
fulcrum_lever_scan_answer (const char       *text,
                           gsize             length,
                           gboolean          list,
                           GArray           *spans,
                           FulcrumLeverScan *result)
{
  const guchar *data = (const guchar *) text;
  Scan s = { data, data, data + length, FALSE };
  Root root = { 0, };
  const guchar *root_start, *root_end;

  memset (result, 0, sizeof *result);
  g_array_set_size (spans, 0);
  if (data == NULL || length == 0 || length > G_MAXUINT32)
    return FALSE;

  root.list = list;
  root.data_spans = spans;
  skip_space (&s);
  if (s.p >= s.end || *s.p != '{')
    return FALSE;
  root_start = s.p;
  if (!scan_object (&s, 0, CAPTURE_ROOT, &root))
    return FALSE;
  root_end = s.p;
  skip_space (&s);
  if (s.p != s.end)
    return FALSE;

  result->is_list = list && root.data_start != NULL && root.data_is_array;
  result->has_next = root.has_next;
  result->odd_escapes = s.odd_escapes;
  if (root.next_start != NULL)
    {
      /* inside the quotes */
      result->next = (const char *) root.next_start + 1;
      result->next_length = (gsize) (root.next_end - root.next_start) - 2;
    }

  if (!list)
    {
      /* one object: the answer's data, or the whole answer when it has none */
      Span span = { 0, };
      const guchar *start = root.data_start != NULL ? root.data_start : root_start;
      const guchar *end = root.data_start != NULL ? root.data_end : root_end;
      Scan record = { data, start, end, FALSE };

      span.offset = (guint32) (start - data);
      span.length = (guint32) (end - start);
      span.created_at = -1;
      if (*start == '{' && !scan_object (&record, 1, CAPTURE_RECORD, &span))
        return FALSE;
      g_array_set_size (spans, 0);
      g_array_append_val (spans, span);
    }
  else if (!result->is_list)
    g_array_set_size (spans, 0);

  return TRUE;
}
