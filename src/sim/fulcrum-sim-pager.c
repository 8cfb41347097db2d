/* fulcrum-sim-pager.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-sim-private.h"

/* Lever's pagination: `limit` 1–100, an opaque `offset` copied from the previous page's
 * `next`, pages {data, hasNext, next}. Our offset token carries the sort key of the last
 * record sent (so records written meanwhile neither repeat nor vanish), when it was issued,
 * and a MAC over both and over the list and filters it belongs to. */

#define TOKEN_VERSION  1
#define TOKEN_MAC_LEN  16
#define TOKEN_HEAD_LEN (1 + 8 + 8 + 1)

static void
param_free (gpointer data)
{
  FulcrumSimParam *param = data;

  g_free (param->key);
  g_free (param->value);
  g_free (param);
}

static char *
form_unescape (const char *str,
               gssize      len)
{
  g_autofree char *plus = g_strndup (str, len);
  char *unescaped;

  g_strdelimit (plus, "+", ' ');
  unescaped = g_uri_unescape_string (plus, NULL);
  return unescaped != NULL ? unescaped : g_steal_pointer (&plus);
}

GPtrArray *
fulcrum_sim_params_parse (const char *encoded)
{
  GPtrArray *params = g_ptr_array_new_with_free_func (param_free);
  const char *p = encoded;

  while (p != NULL && *p != '\0')
    {
      const char *end = strchr (p, '&');
      const char *eq;
      FulcrumSimParam *param;

      if (end == NULL)
        end = p + strlen (p);
      eq = memchr (p, '=', end - p);
      if (end > p)
        {
          param = g_new0 (FulcrumSimParam, 1);
          param->key = form_unescape (p, (eq != NULL ? eq : end) - p);
          param->value = eq != NULL ? form_unescape (eq + 1, end - eq - 1) : g_strdup ("");
          g_ptr_array_add (params, param);
        }
      p = *end != '\0' ? end + 1 : end;
    }
  return params;
}

const char *
fulcrum_sim_params_get (GPtrArray  *params,
                        const char *key)
{
  for (guint i = 0; i < params->len; i++)
    {
      FulcrumSimParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->key, key) == 0)
        return param->value;
    }
  return NULL;
}

GPtrArray *
fulcrum_sim_params_get_all (GPtrArray  *params,
                            const char *key,
                            gboolean    split_commas)
{
  GPtrArray *values = NULL;

  for (guint i = 0; i < params->len; i++)
    {
      FulcrumSimParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->key, key) != 0)
        continue;
      if (values == NULL)
        values = g_ptr_array_new_with_free_func (g_free);
      if (split_commas)
        {
          g_auto(GStrv) parts = g_strsplit (param->value, ",", -1);

          for (guint j = 0; parts[j] != NULL; j++)
            {
              g_strstrip (parts[j]);
              if (parts[j][0] != '\0')
                g_ptr_array_add (values, g_strdup (parts[j]));
            }
        }
      else
        g_ptr_array_add (values, g_strdup (param->value));
    }
  return values;
}

static int
param_compare (gconstpointer a,
               gconstpointer b)
{
  const FulcrumSimParam *pa = *(FulcrumSimParam * const *) a;
  const FulcrumSimParam *pb = *(FulcrumSimParam * const *) b;
  int cmp = strcmp (pa->key, pb->key);

  return cmp != 0 ? cmp : strcmp (pa->value, pb->value);
}

char *
fulcrum_sim_params_canonical (GPtrArray *params)
{
  static const char * const ignored[] = { "offset", "limit", "expand", "perform_as", NULL };
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < params->len; i++)
    {
      FulcrumSimParam *param = g_ptr_array_index (params, i);

      if (!g_strv_contains (ignored, param->key))
        g_ptr_array_add (selected, param);
    }
  g_ptr_array_sort (selected, param_compare);
  for (guint i = 0; i < selected->len; i++)
    {
      FulcrumSimParam *param = g_ptr_array_index (selected, i);

      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append_uri_escaped (out, param->key, NULL, FALSE);
      g_string_append_c (out, '=');
      g_string_append_uri_escaped (out, param->value, NULL, FALSE);
    }
  return g_string_free (out, FALSE);
}

/* Offset tokens */

static void
token_mac (FulcrumSimServer *self,
           const guint8     *payload,
           gsize             len,
           const char       *identity,
           guint8           *mac)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->page_key, sizeof self->page_key);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_hmac_update (hmac, payload, len);
  g_hmac_update (hmac, (const guchar *) identity, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);
  memcpy (mac, digest, TOKEN_MAC_LEN);
}

static void
put_be64 (guint8 *out,
          gint64  value)
{
  guint64 v = (guint64) value;

  for (int i = 7; i >= 0; i--)
    {
      out[i] = v & 0xff;
      v >>= 8;
    }
}

static gint64
get_be64 (const guint8 *in)
{
  guint64 v = 0;

  for (int i = 0; i < 8; i++)
    v = (v << 8) | in[i];
  return (gint64) v;
}

static char *
encode_token (FulcrumSimServer       *self,
              const char             *identity,
              gint64                  issued_ms,
              const FulcrumSimRecord *last)
{
  gsize id_len = MIN (strlen (last->id), 255);
  gsize len = TOKEN_HEAD_LEN + id_len + TOKEN_MAC_LEN;
  g_autofree guint8 *buf = g_malloc (len);
  char *b64;

  buf[0] = TOKEN_VERSION;
  put_be64 (buf + 1, issued_ms);
  put_be64 (buf + 9, last->sort_at);
  buf[17] = id_len;
  memcpy (buf + TOKEN_HEAD_LEN, last->id, id_len);
  token_mac (self, buf, TOKEN_HEAD_LEN + id_len, identity, buf + TOKEN_HEAD_LEN + id_len);

  b64 = g_base64_encode (buf, len);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  for (char *eq = strchr (b64, '='); eq != NULL; eq = NULL)
    *eq = '\0';
  return b64;
}

static gboolean
decode_token (FulcrumSimServer *self,
              const char       *identity,
              const char       *token,
              gint64           *issued_ms,
              gint64           *sort_at,
              char            **id)
{
  g_autoptr(GString) b64 = g_string_new (token);
  g_autofree guint8 *buf = NULL;
  guint8 mac[TOKEN_MAC_LEN];
  guint8 diff = 0;
  gsize len = 0;
  gsize id_len;

  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  if (b64->len < 4 || b64->len > 1024)
    return FALSE;
  g_strdelimit (b64->str, "-", '+');
  g_strdelimit (b64->str, "_", '/');
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  buf = g_base64_decode (b64->str, &len);

  if (len < TOKEN_HEAD_LEN + TOKEN_MAC_LEN || buf[0] != TOKEN_VERSION)
    return FALSE;
  id_len = buf[17];
  if (len != TOKEN_HEAD_LEN + id_len + TOKEN_MAC_LEN)
    return FALSE;
  token_mac (self, buf, TOKEN_HEAD_LEN + id_len, identity, mac);
  for (guint i = 0; i < TOKEN_MAC_LEN; i++)
    diff |= mac[i] ^ buf[TOKEN_HEAD_LEN + id_len + i];
  if (diff != 0)
    return FALSE;

  *issued_ms = get_be64 (buf + 1);
  *sort_at = get_be64 (buf + 9);
  *id = g_strndup ((const char *) buf + TOKEN_HEAD_LEN, id_len);
  return TRUE;
}

static void
reply_invalid_offset (FulcrumSimRequest *req)
{
  fulcrum_sim_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                   "Invalid offset token");
}

static gboolean
record_matches (const FulcrumSimPage *page,
                FulcrumSimRecord     *record)
{
  switch (page->confidentiality)
    {
    case FULCRUM_SIM_CONFIDENTIAL_EXCLUDE:
      if (record->confidential)
        return FALSE;
      break;
    case FULCRUM_SIM_CONFIDENTIAL_ONLY:
      if (!record->confidential)
        return FALSE;
      break;
    case FULCRUM_SIM_CONFIDENTIAL_ALL:
      break;
    default:
      g_assert_not_reached ();
    }
  return page->filter == NULL || page->filter (record, page->filter_data);
}

void
fulcrum_sim_reply_page (FulcrumSimRequest    *req,
                        const FulcrumSimPage *page)
{
  FulcrumSimServer *self = req->self;
  GPtrArray *items = page->list->items;
  const char *limit_str = fulcrum_sim_params_get (req->params, "limit");
  const char *offset = fulcrum_sim_params_get (req->params, "offset");
  g_autofree char *canonical = fulcrum_sim_params_canonical (req->params);
  g_autofree char *identity = NULL;
  FulcrumSimRecord *last = NULL;
  gint64 now_ms = fulcrum_sim_server_now_us (self) / 1000;
  guint64 limit = 100;
  guint count = 0;
  guint pos = 0;
  gboolean has_next = FALSE;
  GString *out;

  if (limit_str != NULL &&
      (!g_ascii_string_to_unsigned (limit_str, 10, 1, 100, &limit, NULL)))
    {
      fulcrum_sim_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                       "limit must be an integer from 1 to 100");
      return;
    }

  identity = g_strdup_printf ("%s\n%s\n%d", req->path, canonical, page->confidentiality);

  if (offset != NULL && offset[0] != '\0')
    {
      g_autofree char *id = NULL;
      gint64 issued_ms, sort_at;

      if (fulcrum_sim_faults_roll_one (self, FULCRUM_SIM_FAULT_STALE_OFFSET))
        {
          self->stats.faults[FULCRUM_SIM_FAULT_STALE_OFFSET]++;
          reply_invalid_offset (req);
          return;
        }
      if (!decode_token (self, identity, offset, &issued_ms, &sort_at, &id) ||
          issued_ms > now_ms + 60 * 1000 ||
          now_ms - issued_ms > FULCRUM_SIM_OFFSET_LIFETIME_MS)
        {
          reply_invalid_offset (req);
          return;
        }
      pos = fulcrum_sim_list_position_after (page->list, sort_at, id);
    }

  out = g_string_sized_new (64 + (page->list == self->data->opportunities ? limit * 1600 : 4096));
  g_string_append (out, "{\"data\":[");
  for (; pos < items->len; pos++)
    {
      FulcrumSimRecord *record = g_ptr_array_index (items, pos);

      if (!record_matches (page, record))
        continue;
      if (count == limit)
        {
          has_next = TRUE;
          break;
        }
      if (count > 0)
        g_string_append_c (out, ',');
      if (page->write != NULL)
        page->write (record, page->write_data, out);
      else
        g_string_append_len (out, record->json, record->json_len);
      last = record;
      count++;
    }

  if (has_next)
    {
      g_autofree char *next = encode_token (self, identity, now_ms, last);

      g_string_append (out, "],\"hasNext\":true,\"next\":\"");
      g_string_append (out, next);
      g_string_append (out, "\"}");
    }
  else
    g_string_append (out, "],\"hasNext\":false}");

  req->n_records = count;
  self->stats.pages++;
  self->stats.records += count;
  fulcrum_sim_request_reply (req, SOUP_STATUS_OK, "application/json", out);
}
