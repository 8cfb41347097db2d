/* fulcrum-lever-run-private.h: what runs (fulcrum-lever-run.c) share with the planning of
 * their time windows (fulcrum-lever-plan.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrum-lever-private.h"

G_BEGIN_DECLS

typedef struct _FulcrumLeverRun FulcrumLeverRun;

/* A chain of pages: one time window (created_at_start/_end, both inclusive, either may be
 * open) read by following `next` from its first page. */
typedef struct
{
  FulcrumLeverRun *run;
  gboolean         has_start;
  gboolean         has_end;
  gint64           start;
  gint64           end;
  char            *offset;
  guint            pages;
  guint            restarts;
  guint            generation;
  /* planned to hold a few pages: splitting it again would only read pages twice */
  gboolean         sized;
} FulcrumLeverChain;

/* fulcrum-lever-run.c: queues a chain for @run's window [@start, @end]. */
void     fulcrum_lever_run_enqueue      (FulcrumLeverRun   *run,
                                         gboolean           has_start,
                                         gint64             start,
                                         gboolean           has_end,
                                         gint64             end,
                                         guint              generation,
                                         gboolean           sized);

/* fulcrum-lever-plan.c. @page_times: the createdAt of each record of the page @chain just
 * read (-1 where it has none), delivered before or not. */
/* Replaces @chain's window by up to @n_windows that cover what its first page left to
 * read; FALSE (nothing queued) when the page says too little to do it well. */
gboolean fulcrum_lever_chain_split      (FulcrumLeverChain *chain,
                                         const GArray      *page_times,
                                         guint              n_windows);
/* Splits what is left of @chain's window beyond the page into up to @n_pieces windows, for
 * idle slots; FALSE (nothing queued) when the page says too little or little is left. */
gboolean fulcrum_lever_chain_split_rest (FulcrumLeverChain *chain,
                                         const GArray      *page_times,
                                         guint              n_pieces);

G_END_DECLS
