/* fulcrumctl-records.c: the records of a run, streamed to stdout or a file
 *
 * Records are written page by page as they arrive, so memory stays flat however long the
 * list. A file is written under a temporary name and renamed only when the run succeeded:
 * a script never finds a partial export where it expects a whole one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrumctl"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "fulcrumctl-records.h"
#include "fulcrumctl-util.h"

/* Output is handed to the kernel a page at a time, or sooner past this size. */
#define FLUSH_SIZE (256 * 1024)

struct _FulcrumctlRecordWriter
{
  FulcrumctlFormat  format;
  gboolean          single;
  int               fd;
  char             *path;          /* NULL for standard output */
  char             *partial_path;
  GString          *buffer;
  guint64           n_records;
  gboolean          finished;

  /* CSV */
  GPtrArray        *columns;       /* char *; NULL until the header is known */
  gboolean          columns_given; /* by the caller: other fields are not missed */
  GHashTable       *column_set;    /* name → itself */
  GHashTable       *dropped;       /* field name → itself, in the order of dropped_order */
  GPtrArray        *dropped_order;
};

static const char hex_digits[] = "0123456789abcdef";

gboolean
fulcrumctl_format_from_string (const char       *text,
                               FulcrumctlFormat *format)
{
  if (g_strcmp0 (text, "json") == 0)
    *format = FULCRUMCTL_FORMAT_JSON;
  else if (g_strcmp0 (text, "jsonl") == 0)
    *format = FULCRUMCTL_FORMAT_JSONL;
  else if (g_strcmp0 (text, "csv") == 0)
    *format = FULCRUMCTL_FORMAT_CSV;
  else
    return FALSE;

  return TRUE;
}

/* JSON text */

static void
append_escaped_string (GString    *out,
                       const char *text)
{
  const char *run = text;
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex_digits[c >> 4]);
          g_string_append_c (out, hex_digits[c & 0xf]);
          break;
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
append_int (GString *out,
            gint64   value)
{
  char digits[24];
  guint64 magnitude;
  int i = sizeof digits;

  /* Written out by hand: printf is the slowest step of a large export. */
  magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
  do
    {
      digits[--i] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    digits[--i] = '-';

  g_string_append_len (out, digits + i, sizeof digits - i);
}

static void
append_double (GString *out,
               double   value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  /* The shortest form that reads back as the same number. */
  g_ascii_formatd (text, sizeof text, "%.15g", value);
  if (g_ascii_strtod (text, NULL) != value)
    g_ascii_formatd (text, sizeof text, "%.17g", value);
  g_string_append (out, text);
  /* Still a fraction when read back, as it was: 3.0, not 3. */
  if (strpbrk (text, ".eEn") == NULL)
    g_string_append (out, ".0");
}

static void
append_value (GString  *out,
              JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    append_escaped_string (out, json_node_get_string (node));
  else if (type == G_TYPE_INT64)
    append_int (out, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    append_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else
    g_string_append (out, "null");
}

void
fulcrumctl_append_json (GString  *out,
                        JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_escaped_string (out, name);
            g_string_append_c (out, ':');
            fulcrumctl_append_json (out, member);
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            fulcrumctl_append_json (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      append_value (out, node);
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Writing */

static gboolean
write_all (FulcrumctlRecordWriter  *self,
           GError                 **error)
{
  const char *data = self->buffer->str;
  gsize left = self->buffer->len;

  while (left > 0)
    {
      gssize n = write (self->fd, data, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not write to %s: %s"),
                       self->path != NULL ? self->path : _("standard output"),
                       g_strerror (saved_errno));
          return FALSE;
        }
      data += n;
      left -= n;
    }

  g_string_truncate (self->buffer, 0);
  return TRUE;
}

/* CSV */

static void
append_csv_text (GString    *out,
                 const char *text,
                 gssize      len)
{
  const char *end = text + (len < 0 ? (gssize) strlen (text) : len);
  gboolean quote = FALSE;

  for (const char *p = text; p < end; p++)
    {
      if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n')
        {
          quote = TRUE;
          break;
        }
    }

  if (!quote)
    {
      g_string_append_len (out, text, end - text);
      return;
    }

  /* RFC 4180: the field in double quotes, a quote inside written twice. */
  g_string_append_c (out, '"');
  for (const char *p = text; p < end; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_cell (GString  *out,
                 GString  *scratch,
                 JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      append_csv_text (out, json_node_get_string (node), -1);
      return;
    }

  /* Numbers and booleans as JSON writes them; objects and arrays as compact JSON. */
  g_string_truncate (scratch, 0);
  fulcrumctl_append_json (scratch, node);
  append_csv_text (out, scratch->str, scratch->len);
}

static void
add_column (FulcrumctlRecordWriter *self,
            const char             *name)
{
  char *copy;

  if (g_hash_table_contains (self->column_set, name))
    return;

  copy = g_strdup (name);
  g_ptr_array_add (self->columns, copy);
  g_hash_table_add (self->column_set, copy);
}

static void
write_csv_header (FulcrumctlRecordWriter *self)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      if (i > 0)
        g_string_append_c (self->buffer, ',');
      append_csv_text (self->buffer, g_ptr_array_index (self->columns, i), -1);
    }
  g_string_append (self->buffer, "\r\n");
}

/* The header is every field of the first page's records, in the order they first appear. */
static void
plan_csv_header (FulcrumctlRecordWriter *self,
                 JsonArray              *records)
{
  self->columns = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *record = json_array_get_element (records, i);
      JsonObjectIter iter;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (record))
        {
          add_column (self, "value");
          continue;
        }
      json_object_iter_init_ordered (&iter, json_node_get_object (record));
      while (json_object_iter_next_ordered (&iter, &name, NULL))
        add_column (self, name);
    }

  write_csv_header (self);
}

static void
note_dropped_fields (FulcrumctlRecordWriter *self,
                     JsonObject             *object)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, NULL))
    {
      char *copy;

      if (g_hash_table_contains (self->column_set, name) ||
          g_hash_table_contains (self->dropped, name))
        continue;
      copy = g_strdup (name);
      g_hash_table_add (self->dropped, copy);
      g_ptr_array_add (self->dropped_order, copy);
    }
}

static void
write_csv_rows (FulcrumctlRecordWriter *self,
                JsonArray              *records)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  guint n_columns = self->columns->len;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *record = json_array_get_element (records, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (record) ? json_node_get_object (record) : NULL;
      guint found = 0;

      for (guint c = 0; c < n_columns; c++)
        {
          const char *column = g_ptr_array_index (self->columns, c);
          JsonNode *cell;

          if (object != NULL)
            cell = json_object_get_member (object, column);
          else
            cell = g_str_equal (column, "value") ? record : NULL;
          if (cell != NULL)
            found++;

          if (c > 0)
            g_string_append_c (self->buffer, ',');
          append_csv_cell (self->buffer, scratch, cell);
        }
      g_string_append (self->buffer, "\r\n");

      if (object != NULL && !self->columns_given && json_object_get_size (object) > found)
        note_dropped_fields (self, object);
    }
}

/* Public API */

FulcrumctlRecordWriter *
fulcrumctl_record_writer_new (FulcrumctlFormat     format,
                              const char          *path,
                              gboolean             single,
                              const char * const  *columns,
                              GError             **error)
{
  g_autoptr(FulcrumctlRecordWriter) self = g_new0 (FulcrumctlRecordWriter, 1);

  self->format = format;
  self->single = single;
  self->fd = STDOUT_FILENO;
  self->buffer = g_string_sized_new (FLUSH_SIZE + 64 * 1024);
  self->column_set = g_hash_table_new (g_str_hash, g_str_equal);
  self->dropped = g_hash_table_new (g_str_hash, g_str_equal);
  self->dropped_order = g_ptr_array_new_with_free_func (g_free);

  if (path != NULL && !g_str_equal (path, "-"))
    {
      int saved_errno;

      self->path = g_strdup (path);
      self->partial_path = g_strconcat (path, ".partial", NULL);
      self->fd = g_open (self->partial_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      saved_errno = errno;
      if (self->fd < 0)
        {
          g_clear_pointer (&self->partial_path, g_free);
          g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_FAILED,
                       _("Could not create %s.partial: %s"), path, g_strerror (saved_errno));
          return NULL;
        }
    }

  if (format == FULCRUMCTL_FORMAT_CSV && columns != NULL)
    {
      self->columns = g_ptr_array_new_with_free_func (g_free);
      self->columns_given = TRUE;
      for (guint i = 0; columns[i] != NULL; i++)
        add_column (self, columns[i]);
      write_csv_header (self);
    }
  else if (format == FULCRUMCTL_FORMAT_JSON && !single)
    {
      g_string_append_c (self->buffer, '[');
    }

  return g_steal_pointer (&self);
}

gboolean
fulcrumctl_record_writer_add (FulcrumctlRecordWriter  *self,
                              FulcrumLeverPage        *page,
                              GError                 **error)
{
  guint n = fulcrum_lever_page_get_n_records (page);
  JsonArray *records;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  switch (self->format)
    {
    case FULCRUMCTL_FORMAT_JSON:
      if (self->single)
        {
          /* one object, for people to read: indented */
          records = fulcrum_lever_page_get_records (page);
          for (guint i = 0; i < n; i++)
            {
              g_autofree char *text = json_to_string (json_array_get_element (records, i), TRUE);

              g_string_append (self->buffer, text);
              g_string_append_c (self->buffer, '\n');
            }
          break;
        }
      /* a list: each record as Lever wrote it, one a line */
      for (guint i = 0; i < n; i++)
        {
          gsize length;
          const char *text = fulcrum_lever_page_get_record_text (page, i, &length);

          g_string_append (self->buffer, self->n_records + i == 0 ? "\n" : ",\n");
          g_string_append_len (self->buffer, text, (gssize) length);
          if (self->buffer->len >= FLUSH_SIZE && !write_all (self, error))
            return FALSE;
        }
      break;

    case FULCRUMCTL_FORMAT_JSONL:
      for (guint i = 0; i < n; i++)
        {
          gsize length;
          const char *text = fulcrum_lever_page_get_record_text (page, i, &length);

          g_string_append_len (self->buffer, text, (gssize) length);
          g_string_append_c (self->buffer, '\n');
          if (self->buffer->len >= FLUSH_SIZE && !write_all (self, error))
            return FALSE;
        }
      break;

    case FULCRUMCTL_FORMAT_CSV:
      records = fulcrum_lever_page_get_records (page);
      if (self->columns == NULL)
        plan_csv_header (self, records);
      write_csv_rows (self, records);
      break;

    default:
      g_assert_not_reached ();
    }

  self->n_records += n;

  /* Each page goes out as it arrives. */
  return write_all (self, error);
}

gboolean
fulcrumctl_record_writer_finish (FulcrumctlRecordWriter  *self,
                                 GError                 **error)
{
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  if (self->format == FULCRUMCTL_FORMAT_JSON && !self->single)
    g_string_append (self->buffer, self->n_records == 0 ? "]\n" : "\n]\n");
  else if (self->format == FULCRUMCTL_FORMAT_JSON && self->n_records == 0)
    g_string_append (self->buffer, "null\n");

  if (!write_all (self, error))
    return FALSE;

  if (self->partial_path == NULL)
    {
      self->finished = TRUE;
      return TRUE;
    }

  /* On disk before the name says the export is whole. */
  fd = self->fd;
  self->fd = -1;
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_FAILED,
                   _("Could not write %s: %s"), self->partial_path, g_strerror (saved_errno));
      return FALSE;
    }
  if (close (fd) != 0 || g_rename (self->partial_path, self->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, FULCRUMCTL_ERROR, FULCRUMCTL_ERROR_FAILED,
                   _("Could not save %s: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }

  g_clear_pointer (&self->partial_path, g_free);
  self->finished = TRUE;
  return TRUE;
}

guint64
fulcrumctl_record_writer_get_n_records (FulcrumctlRecordWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_records;
}

char *
fulcrumctl_record_writer_dup_dropped (FulcrumctlRecordWriter *self)
{
  g_autoptr(GString) names = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->dropped_order->len == 0)
    return NULL;

  names = g_string_new (NULL);
  for (guint i = 0; i < self->dropped_order->len; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (self->dropped_order, i));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

void
fulcrumctl_record_writer_free (FulcrumctlRecordWriter *self)
{
  if (self == NULL)
    return;

  /* Not finished: the partial file goes, so that nothing half written stays behind. */
  if (self->fd >= 0 && self->fd != STDOUT_FILENO)
    close (self->fd);
  if (self->partial_path != NULL)
    g_unlink (self->partial_path);

  g_free (self->path);
  g_free (self->partial_path);
  g_string_free (self->buffer, TRUE);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_hash_table_unref (self->column_set);
  g_hash_table_unref (self->dropped);
  g_ptr_array_unref (self->dropped_order);
  g_free (self);
}
