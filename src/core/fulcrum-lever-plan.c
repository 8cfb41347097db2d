/* fulcrum-lever-plan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-lever-client"

#include "config.h"

#include "fulcrum-lever-run-private.h"

/* The time windows of partitioned runs, planned from what a first page shows: when the
 * list is sorted (newest first, as Lever sends it, or oldest first), the page's time span
 * says how dense the records are, and the windows beyond it are sized to hold a few pages
 * each; otherwise the page is a sample and the windows split at its quantiles. The
 * outermost windows stay open-ended, so no record can fall outside; the run recognises
 * records read twice. */

/* Windows planned beyond a first page hold about this many pages (doubling each time the
 * open-ended rest is planned again). */
#define PAGES_PER_WINDOW        16
#define DAY_MS                  (G_GINT64_CONSTANT (24) * 3600 * 1000)
/* Lever started in 2012: below that, an open window is not worth splitting by time. */
#define EARLIEST_MS             G_GINT64_CONSTANT (1325376000000)
/* A page whose records lie further apart than this (35 years) says nothing about density,
 * and windows sized from it would overflow. */
#define MAX_SPAN_MS             (G_GINT64_CONSTANT (1) << 40)

typedef FulcrumLeverChain Chain;

static inline void
enqueue (FulcrumLeverRun *run,
         gboolean         has_start,
         gint64           start,
         gboolean         has_end,
         gint64           end,
         guint            generation,
         gboolean         sized)
{
  fulcrum_lever_run_enqueue (run, has_start, start, has_end, end, generation, sized);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* How a page's records are ordered by createdAt. */
typedef enum
{
  ORDER_NEWEST_FIRST,   /* Lever's order (a page of ties counts as this) */
  ORDER_OLDEST_FIRST,
  ORDER_NONE,
} Order;

/* The order of @times; ORDER_NONE also when a record has no createdAt or lies outside
 * [@lo, @hi]. */
static Order
page_order (const GArray *times,
            gint64        lo,
            gint64        hi)
{
  gboolean down = TRUE, up = TRUE;

  for (guint i = 0; i < times->len; i++)
    {
      gint64 t = g_array_index (times, gint64, i);

      if (t < 0 || t < lo || t > hi)
        return ORDER_NONE;
      if (i > 0 && t > g_array_index (times, gint64, i - 1))
        down = FALSE;
      if (i > 0 && t < g_array_index (times, gint64, i - 1))
        up = FALSE;
    }
  return down ? ORDER_NEWEST_FIRST : up ? ORDER_OLDEST_FIRST : ORDER_NONE;
}

/* Nothing is created after now; a day of margin for clocks. */
static gint64
latest_ms (void)
{
  return g_get_real_time () / 1000 + DAY_MS;
}

/* Plans up to @n_sized windows of @width beyond the page that ended at @edge (its last
 * record, whose ties may go on on the next page: the windows include it, what came
 * already is recognised), going down for a list read newest first, else up; then the rest
 * of @chain's window. FALSE, planning nothing, when not one window fits: the rest alone
 * would be @chain's window again. */
static gboolean
plan_beyond (Chain    *chain,
             gboolean  down,
             gint64    edge,
             gint64    width,
             guint     n_sized)
{
  FulcrumLeverRun *run = chain->run;
  guint generation = chain->generation + 1;
  gint64 boundary = edge;
  guint planned = 0;

  for (; planned < n_sized; planned++)
    {
      if (down)
        {
          gint64 start = boundary - width + 1;

          if (chain->has_start ? start <= chain->start : start < EARLIEST_MS)
            break;
          enqueue (run, TRUE, start, TRUE, boundary, generation, TRUE);
          boundary = start - 1;
        }
      else
        {
          gint64 end = boundary + width - 1;

          if (chain->has_end ? end >= chain->end : end > latest_ms ())
            break;
          enqueue (run, TRUE, boundary, TRUE, end, generation, TRUE);
          boundary = end + 1;
        }
    }
  if (planned == 0)
    return FALSE;

  /* the rest, of unknown size: planned again from its own first page */
  if (down)
    enqueue (run, chain->has_start, chain->start, TRUE, boundary, generation, FALSE);
  else
    enqueue (run, TRUE, boundary, chain->has_end, chain->end, generation, FALSE);
  return TRUE;
}

/* Replaces @chain's window by several that cover what its first page (@page_times, the
 * createdAt of each record) left to read; FALSE when the page says too little to do it
 * well. */
gboolean
fulcrum_lever_chain_split (Chain        *chain,
                           const GArray *page_times,
                           guint         n_windows)
{
  FulcrumLeverRun *run = chain->run;
  guint n = page_times->len;
  gint64 lo = chain->has_start ? chain->start : G_MININT64;
  gint64 hi = chain->has_end ? chain->end : G_MAXINT64;
  Order order = page_order (page_times, lo, hi);
  g_autoptr(GArray) sorted = NULL;
  gint64 first, last, width;

  if (n < 2 || n_windows < 2)
    return FALSE;

  if (order != ORDER_NONE)
    {
      /* sorted: everything before the page's last record in the list's order was
       * delivered; windows of about the page's density go on from there */
      first = g_array_index (page_times, gint64, 0);
      last = g_array_index (page_times, gint64, n - 1);
      if (ABS (first - last) > MAX_SPAN_MS)
        return FALSE;
      width = (ABS (first - last) + 1 < 1000 ? 1000 : ABS (first - last) + 1) *
              (PAGES_PER_WINDOW << MIN (chain->generation, 10));
      return plan_beyond (chain, order == ORDER_NEWEST_FIRST, last, width, n_windows - 1);
    }

  /* no order: the page is a sample, cut at its quantiles (not when a record has no
   * createdAt, or lies outside the window) */
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  for (guint i = 0; i < n; i++)
    {
      gint64 t = g_array_index (page_times, gint64, i);

      if (t < 0 || t < lo || t > hi)
        return FALSE;
      g_array_append_val (sorted, t);
    }
  g_array_sort (sorted, compare_gint64);
  {
    gint64 previous_end = G_MININT64;
    gboolean none_yet = TRUE;

    for (guint i = 1; i < n_windows; i++)
      {
        gint64 cut = g_array_index (sorted, gint64, (gsize) i * sorted->len / n_windows);

        if ((!none_yet && cut <= previous_end) || cut >= hi)
          continue;
        if (none_yet)
          enqueue (run, chain->has_start, chain->start, TRUE, cut, chain->generation + 1, FALSE);
        else
          enqueue (run, TRUE, previous_end + 1, TRUE, cut, chain->generation + 1, FALSE);
        previous_end = cut;
        none_yet = FALSE;
      }
    if (none_yet)
      return FALSE;
    enqueue (run, TRUE, previous_end + 1, chain->has_end, chain->end, chain->generation + 1,
             FALSE);
  }
  return TRUE;
}

/* Splits what is left of @chain's window beyond the page it just read into @n_pieces
 * windows, so that idle slots get work: a sorted list has delivered everything before the
 * page's last record. FALSE when the page says too little or little is left. */
gboolean
fulcrum_lever_chain_split_rest (Chain        *chain,
                                const GArray *page_times,
                                guint         n_pieces)
{
  FulcrumLeverRun *run = chain->run;
  guint n = page_times->len;
  gint64 lo = chain->has_start ? chain->start : G_MININT64;
  gint64 hi = chain->has_end ? chain->end : G_MAXINT64;
  Order order = page_order (page_times, lo, hi);
  gboolean down = order == ORDER_NEWEST_FIRST;
  gboolean bounded = down ? chain->has_start : chain->has_end;
  gint64 first, last, span, left, width, boundary;

  if (n < 2 || n_pieces < 2 || order == ORDER_NONE)
    return FALSE;
  first = g_array_index (page_times, gint64, 0);
  last = g_array_index (page_times, gint64, n - 1);
  if (ABS (first - last) > MAX_SPAN_MS)
    return FALSE;
  /* the time a page of records covers here */
  span = MAX (ABS (first - last), 1000);

  if (!bounded)
    /* no bound that way: windows of a few pages each beyond the page, then the rest */
    return plan_beyond (chain, down, last, span * PAGES_PER_WINDOW, n_pieces - 1);

  /* ties at @last may go on on the next page: the pieces include it, and what was
   * delivered already is recognised */
  left = down ? last - chain->start + 1 : chain->end - last + 1;
  if (left / span < 2)
    return FALSE;
  n_pieces = (guint) MIN ((gint64) n_pieces, left / span);
  width = left / n_pieces;
  boundary = last;
  for (guint i = 0; i < n_pieces; i++)
    {
      gboolean final = i + 1 == n_pieces;

      if (down)
        {
          gint64 start = final ? chain->start : boundary - width + 1;

          enqueue (run, TRUE, start, TRUE, boundary, chain->generation + 1, TRUE);
          boundary = start - 1;
        }
      else
        {
          gint64 end = final ? chain->end : boundary + width - 1;

          enqueue (run, TRUE, boundary, TRUE, end, chain->generation + 1, TRUE);
          boundary = end + 1;
        }
    }
  return TRUE;
}
