/* fulcrum-lever-id-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-lever-client"

#include "config.h"

#include "fulcrum-lever-private.h"

/* The ids of the records a run delivered, so that one read twice is delivered once:
 * an open-addressing set of 64-bit hashes, at most 16 bytes a record, however big the
 * records are. */

struct _FulcrumLeverIdSet
{
  guint64 *slots;
  guint    mask;
  guint    size;
};

static guint64
hash_key (const char *key,
          gsize       length)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize i = 0; i < length; i++)
    {
      h ^= (guchar) key[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  /* splitmix64's finalizer spreads FNV's weak low bits */
  h ^= h >> 30;
  h *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 27;
  h *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  h ^= h >> 31;
  return h != 0 ? h : 1;
}

FulcrumLeverIdSet *
fulcrum_lever_id_set_new (void)
{
  FulcrumLeverIdSet *set = g_new0 (FulcrumLeverIdSet, 1);

  set->mask = 1023;
  set->slots = g_new0 (guint64, set->mask + 1);
  return set;
}

void
fulcrum_lever_id_set_free (FulcrumLeverIdSet *set)
{
  if (set == NULL)
    return;
  g_free (set->slots);
  g_free (set);
}

static gboolean
id_set_insert (FulcrumLeverIdSet *set,
               guint64            h)
{
  guint i = (guint) h & set->mask;

  while (set->slots[i] != 0)
    {
      if (set->slots[i] == h)
        return FALSE;
      i = (i + 1) & set->mask;
    }
  set->slots[i] = h;
  set->size++;
  return TRUE;
}

gboolean
fulcrum_lever_id_set_add (FulcrumLeverIdSet *set,
                          const char        *key,
                          gsize              length)
{
  if ((set->size + 1) * 2 > set->mask + 1)
    {
      guint64 *old = set->slots;
      guint old_n = set->mask + 1;

      set->mask = set->mask * 2 + 1;
      set->slots = g_new0 (guint64, set->mask + 1);
      set->size = 0;
      for (guint i = 0; i < old_n; i++)
        if (old[i] != 0)
          id_set_insert (set, old[i]);
      g_free (old);
    }
  return id_set_insert (set, hash_key (key, length));
}

guint
fulcrum_lever_id_set_size (FulcrumLeverIdSet *set)
{
  return set->size;
}
