/* fulcrum-lever-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-lever-client"

#include "config.h"

#include <string.h>

#include "fulcrum-lever-private.h"

/* Pages of records as Lever sent them: the answer's bytes, where each record is in them
 * (found by fulcrum-lever-scan.c), and the records as trees when the run wants those. */

typedef FulcrumLeverSpan Span;

struct _FulcrumLeverPage
{
  gatomicrefcount  ref_count;
  GBytes          *body;
  const char      *data;
  /* keys and record texts that had to be rewritten: unescaped ids, records on one line */
  GString         *side;
  GArray          *spans;
  gboolean         is_list;
  gboolean         has_next;
  char            *next;
  gint64           answer_us;
  /* escapes json-glib misreads (see fulcrum-lever-scan.c): trees are built from a copy */
  gboolean         odd_escapes;

  GMutex           lock;
  JsonArray       *records;
};

G_DEFINE_BOXED_TYPE (FulcrumLeverPage, fulcrum_lever_page,
                     fulcrum_lever_page_ref, fulcrum_lever_page_unref)

/* The page */

static gboolean
has_line_break (const char *text,
                gsize       length)
{
  return memchr (text, '\n', length) != NULL || memchr (text, '\r', length) != NULL;
}

FulcrumLeverPage *
fulcrum_lever_page_scan (GBytes    *body,
                         gboolean   list,
                         gboolean   parse_records)
{
  g_autoptr(FulcrumLeverPage) page = NULL;
  g_autoptr(GArray) spans = g_array_sized_new (FALSE, FALSE, sizeof (Span), 128);
  FulcrumLeverScan scan;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (!fulcrum_lever_scan_answer (data, len, list, spans, &scan))
    return NULL;

  page = g_new0 (FulcrumLeverPage, 1);
  g_atomic_ref_count_init (&page->ref_count);
  g_mutex_init (&page->lock);
  page->body = g_bytes_ref (body);
  page->data = data;
  page->side = g_string_new (NULL);
  page->is_list = scan.is_list;
  page->has_next = scan.has_next;
  page->odd_escapes = scan.odd_escapes;

  if (scan.next != NULL)
    {
      GString *next = g_string_new (NULL);

      fulcrum_lever_append_unescaped (next, scan.next, scan.next + scan.next_length);
      page->next = g_string_free (next, FALSE);
    }

  for (guint i = 0; i < spans->len; i++)
    {
      Span *span = &g_array_index (spans, Span, i);

      /* the id, else the text (a tag's only field) */
      if (!span->has_key && span->has_alt)
        {
          span->has_key = TRUE;
          span->key_offset = span->alt_offset;
          span->key_length = span->alt_length;
        }
      if (span->has_key)
        {
          const char *key = data + span->key_offset;

          if (memchr (key, '\\', span->key_length) != NULL)
            {
              gsize at = page->side->len;

              fulcrum_lever_append_unescaped (page->side, key, key + span->key_length);
              span->key_in_side = TRUE;
              span->key_offset = (guint32) at;
              span->key_length = (guint32) (page->side->len - at);
            }
        }
      if (has_line_break (data + span->offset, span->length))
        {
          gsize at = page->side->len;

          fulcrum_lever_append_compact (page->side, data + span->offset,
                                        data + span->offset + span->length);
          span->text_in_side = TRUE;
          span->offset = (guint32) at;
          span->length = (guint32) (page->side->len - at);
        }
    }
  page->spans = g_steal_pointer (&spans);

  if (parse_records)
    {
      /* the tree, for callers that want nodes; the scan said the text is JSON */
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autofree char *copy = NULL;
      JsonNode *tree_root;
      JsonNode *node;

      if (page->odd_escapes)
        copy = fulcrum_lever_dup_for_json_glib (data, len);
      if (!json_parser_load_from_data (parser, copy != NULL ? copy : data,
                                       (gssize) len, NULL))
        return NULL;
      tree_root = json_parser_get_root (parser);
      node = json_object_get_member (json_node_get_object (tree_root), "data");
      if (list)
        page->records = page->is_list ? json_array_ref (json_node_get_array (node))
                                      : json_array_new ();
      else
        {
          page->records = json_array_new ();
          json_array_add_element (page->records, json_node_ref (node != NULL ? node : tree_root));
        }
      if (json_array_get_length (page->records) != page->spans->len)
        return NULL;
    }

  return g_steal_pointer (&page);
}

FulcrumLeverPage *
fulcrum_lever_page_ref (FulcrumLeverPage *page)
{
  g_return_val_if_fail (page != NULL, NULL);

  g_atomic_ref_count_inc (&page->ref_count);
  return page;
}

void
fulcrum_lever_page_unref (FulcrumLeverPage *page)
{
  g_return_if_fail (page != NULL);

  if (!g_atomic_ref_count_dec (&page->ref_count))
    return;
  g_clear_pointer (&page->records, json_array_unref);
  g_mutex_clear (&page->lock);
  g_clear_pointer (&page->spans, g_array_unref);
  g_string_free (page->side, TRUE);
  g_bytes_unref (page->body);
  g_free (page->next);
  g_free (page);
}

guint
fulcrum_lever_page_get_n_records (FulcrumLeverPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->spans->len;
}

const char *
fulcrum_lever_page_get_record_text (FulcrumLeverPage *page,
                                    guint             index,
                                    gsize            *length)
{
  const Span *span;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (index < page->spans->len, NULL);

  span = &g_array_index (page->spans, Span, index);
  if (length != NULL)
    *length = span->length;
  return (span->text_in_side ? page->side->str : page->data) + span->offset;
}

JsonArray *
fulcrum_lever_page_get_records (FulcrumLeverPage *page)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (page != NULL, NULL);

  locker = g_mutex_locker_new (&page->lock);
  if (page->records == NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      page->records = json_array_sized_new (page->spans->len);
      for (guint i = 0; i < page->spans->len; i++)
        {
          gsize length;
          const char *text = fulcrum_lever_page_get_record_text (page, i, &length);
          g_autofree char *copy = page->odd_escapes
                                 ? fulcrum_lever_dup_for_json_glib (text, length) : NULL;

          /* the scan checked every record, so this does not fail; if json-glib ever
           * disagrees, the record is a null rather than a crash */
          if (json_parser_load_from_data (parser, copy != NULL ? copy : text, (gssize) length,
                                          NULL))
            json_array_add_element (page->records, json_parser_steal_root (parser));
          else
            {
              g_debug ("json-glib could not read a record the scan accepted");
              json_array_add_element (page->records, json_node_new (JSON_NODE_NULL));
            }
        }
    }
  return page->records;
}

/* Private API */

void
fulcrum_lever_page_set_answer_time (FulcrumLeverPage *page,
                                    gint64            answer_us)
{
  page->answer_us = answer_us;
}

gint64
fulcrum_lever_page_get_answer_time (FulcrumLeverPage *page)
{
  return page->answer_us;
}

gboolean
fulcrum_lever_page_is_list (FulcrumLeverPage *page)
{
  return page->is_list;
}

gboolean
fulcrum_lever_page_get_has_next (FulcrumLeverPage *page)
{
  return page->has_next;
}

const char *
fulcrum_lever_page_get_next (FulcrumLeverPage *page)
{
  return page->next;
}

const char *
fulcrum_lever_page_get_record_key (FulcrumLeverPage *page,
                                   guint             index,
                                   gsize            *length)
{
  const Span *span = &g_array_index (page->spans, Span, index);

  if (!span->has_key)
    return NULL;
  *length = span->key_length;
  return (span->key_in_side ? page->side->str : page->data) + span->key_offset;
}

gint64
fulcrum_lever_page_get_record_created_at (FulcrumLeverPage *page,
                                          guint             index)
{
  return g_array_index (page->spans, Span, index).created_at;
}

void
fulcrum_lever_page_keep_records (FulcrumLeverPage *page,
                                 const gboolean   *keep)
{
  guint n = page->spans->len;
  guint kept = 0;
  JsonArray *records = NULL;

  if (page->records != NULL)
    records = json_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    {
      if (!keep[i])
        continue;
      g_array_index (page->spans, Span, kept) = g_array_index (page->spans, Span, i);
      kept++;
      if (records != NULL)
        json_array_add_element (records, json_node_ref (json_array_get_element (page->records,
                                                                                i)));
    }
  g_array_set_size (page->spans, kept);
  if (records != NULL)
    {
      json_array_unref (page->records);
      page->records = records;
    }
}
