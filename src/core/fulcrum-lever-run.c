/* fulcrum-lever-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-lever-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-lever-run-private.h"
#include "fulcrum-scopes.h"

/* Runs of actions. A run reads one or more chains of pages; a chain follows `next` from
 * its first page. A partitioned run gives each chain a time window (created_at_start/_end,
 * both inclusive) and keeps as many chains busy as the rate limit allows at the observed
 * page time; fulcrum-lever-plan.c plans the windows from what first pages show. Every
 * record the run delivered is remembered (as a 64-bit hash of its id), so one read twice
 * (a re-planned window, a restarted chain) is delivered once. */

#define MAX_RESTARTS_PER_CHAIN  8
#define MAX_CONCURRENCY         8

typedef FulcrumLeverRun Run;
typedef FulcrumLeverChain Chain;

struct _FulcrumLeverRun
{
  GTask                *task;
  FulcrumLeverClient   *client;
  const FulcrumAction  *action;
  FulcrumActionRequest *request;
  gboolean              all_pages;
  gboolean              partitioned;
  gboolean              idempotent;
  gboolean              record_text;

  FulcrumLeverPageFunc  page_func;
  gpointer              page_data;
  GDestroyNotify        page_data_destroy;

  GCancellable         *cancellable;
  GCancellable         *caller_cancellable;
  gulong                caller_cancelled_id;

  FulcrumLeverIdSet    *seen;
  FulcrumLeverStats     stats;
  GQueue                pending;
  guint                 active;
  GError               *error;
  gboolean              stopped;
  char                 *next_offset;
  gint64                started_us;
  double                page_time_us;
};

static void chain_request (Chain *chain);

/* Runs */

static void
chain_free (Chain *chain)
{
  g_free (chain->offset);
  g_free (chain);
}

static void
run_free (Run *run)
{
  g_assert (run->active == 0);

  if (run->caller_cancelled_id != 0)
    g_cancellable_disconnect (run->caller_cancellable, run->caller_cancelled_id);
  g_clear_object (&run->caller_cancellable);
  g_clear_object (&run->cancellable);
  g_queue_clear_full (&run->pending, (GDestroyNotify) chain_free);
  if (run->page_data_destroy != NULL)
    run->page_data_destroy (run->page_data);
  g_clear_pointer (&run->request, fulcrum_action_request_free);
  g_clear_pointer (&run->seen, fulcrum_lever_id_set_free);
  g_clear_error (&run->error);
  g_free (run->next_offset);
  g_free (run);
}

static Chain *
chain_new (Run      *run,
           gboolean  has_start,
           gint64    start,
           gboolean  has_end,
           gint64    end,
           guint     generation)
{
  Chain *chain = g_new0 (Chain, 1);

  chain->run = run;
  chain->has_start = has_start;
  chain->start = start;
  chain->has_end = has_end;
  chain->end = end;
  chain->generation = generation;
  run->stats.windows++;
  return chain;
}

static guint
run_concurrency (Run *run)
{
  guint forced = fulcrum_lever_client_get_concurrency_setting (run->client);
  FulcrumRateLimiter *limiter = fulcrum_lever_client_get_rate_limiter (run->client);
  double wanted;

  if (!run->partitioned)
    return 1;
  if (forced > 0)
    return MIN (forced, 16);
  /* enough chains to keep the bucket busy, rate × page time, and one more: a chain
   * too many only waits for the bucket, one too few leaves it idle */
  wanted = fulcrum_rate_limiter_get_current_rate (limiter) * run->page_time_us / 1e6;
  return (guint) CLAMP (wanted + 1.999, 1, MAX_CONCURRENCY);
}

static void
run_complete (Run *run)
{
  g_autoptr(GTask) task = g_steal_pointer (&run->task);

  run->stats.elapsed_us = g_get_monotonic_time () - run->started_us;
  fulcrum_lever_client_add_stats (run->client, &run->stats);

  if (run->error != NULL)
    {
      GError *error = g_steal_pointer (&run->error);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fulcrum_lever_error_add_partial (&error, run->stats.records);
      g_task_return_error (task, error);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_fail (Run    *run,
          GError *error)
{
  if (run->error == NULL && !run->stopped)
    run->error = error;
  else
    g_error_free (error);
  run->stopped = TRUE;
  g_cancellable_cancel (run->cancellable);
}

static void
run_schedule (Run *run)
{
  /* a chain that fails at once ends inside chain_request(): keep the run alive until
   * this loop is done with it */
  g_autoptr(GTask) guard = run->task != NULL ? g_object_ref (run->task) : NULL;
  guint concurrency = run_concurrency (run);

  if (guard == NULL)
    return;
  while (!run->stopped && run->active < concurrency && !g_queue_is_empty (&run->pending))
    {
      Chain *chain = g_queue_pop_head (&run->pending);

      run->active++;
      run->stats.concurrency = MAX (run->stats.concurrency, run->active);
      chain_request (chain);
    }
  if (run->task != NULL && run->active == 0 &&
      (run->stopped || g_queue_is_empty (&run->pending)))
    run_complete (run);
}

static void
chain_end (Chain *chain)
{
  Run *run = chain->run;

  g_assert (run->active > 0);
  run->active--;
  chain_free (chain);
  run_schedule (run);
}

/* Hands the records not delivered before to the caller. FALSE when the caller stopped. */
static gboolean
run_deliver (Run              *run,
             FulcrumLeverPage *page)
{
  guint n = fulcrum_lever_page_get_n_records (page);
  g_autofree gboolean *keep = g_new (gboolean, MAX (n, 1));
  guint fresh = 0;

  for (guint i = 0; i < n; i++)
    {
      gsize length = 0;
      const char *key = fulcrum_lever_page_get_record_key (page, i, &length);

      keep[i] = key == NULL || fulcrum_lever_id_set_add (run->seen, key, length);
      if (keep[i])
        fresh++;
      else
        run->stats.duplicates++;
    }
  if (fresh == 0)
    return TRUE;
  if (fresh < n)
    fulcrum_lever_page_keep_records (page, keep);

  run->stats.records += fresh;
  run->stats.pages++;
  run->stats.elapsed_us = g_get_monotonic_time () - run->started_us;
  if (run->page_func != NULL && !run->page_func (page, &run->stats, run->page_data))
    {
      run->stopped = TRUE;
      g_cancellable_cancel (run->cancellable);
      return FALSE;
    }
  return TRUE;
}

/* Planning windows */

void
fulcrum_lever_run_enqueue (FulcrumLeverRun *run,
                           gboolean         has_start,
                           gint64           start,
                           gboolean         has_end,
                           gint64           end,
                           guint            generation,
                           gboolean         sized)
{
  Chain *chain = chain_new (run, has_start, start, has_end, end, generation);

  chain->sized = sized;
  /* an open-ended rest is read first: its first page says whether the list goes on
   * beyond, before more is planned there */
  if (!sized && (!has_start || !has_end))
    g_queue_push_head (&run->pending, chain);
  else
    g_queue_push_tail (&run->pending, chain);
}

/* Pages */

/* The createdAt of each record of @page (-1 where it has none). */
static GArray *
page_times (FulcrumLeverPage *page)
{
  guint n = fulcrum_lever_page_get_n_records (page);
  GArray *times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  for (guint i = 0; i < n; i++)
    {
      gint64 t = fulcrum_lever_page_get_record_created_at (page, i);

      g_array_append_val (times, t);
    }
  return times;
}

static gboolean
check_page (FulcrumLeverPage  *page,
            GError           **error)
{
  const char *next = fulcrum_lever_page_get_next (page);

  if (!fulcrum_lever_page_is_list (page))
    {
      g_set_error (error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
                   _("Lever’s answer has no list of records (“data”)."));
      return FALSE;
    }
  if (fulcrum_lever_page_get_has_next (page) && (next == NULL || next[0] == '\0'))
    {
      g_set_error (error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
                   _("Lever said more records follow but did not say where (“next”)."));
      return FALSE;
    }
  return TRUE;
}

static void
chain_page_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Chain *chain = user_data;
  Run *run = chain->run;
  g_autoptr(GError) error = NULL;
  g_autoptr(FulcrumLeverPage) page = NULL;
  g_autoptr(GArray) times = NULL;
  gboolean has_next;
  const char *next;
  gint64 page_us;

  page = fulcrum_lever_client_call_finish_page (FULCRUM_LEVER_CLIENT (object), result, &error);
  if (run->stopped)
    {
      chain_end (chain);
      return;
    }
  if (page == NULL)
    {
      if (g_error_matches (error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_OFFSET) &&
          chain->offset != NULL && chain->restarts < MAX_RESTARTS_PER_CHAIN)
        {
          /* a stale offset: read the chain again from its start; what was delivered
           * already is recognised and left out */
          g_debug ("Restarting a page chain of %s: %s", run->action->id, error->message);
          chain->restarts++;
          run->stats.restarts++;
          chain->pages = 0;
          g_clear_pointer (&chain->offset, g_free);
          chain_request (chain);
          return;
        }
      run_fail (run, g_steal_pointer (&error));
      chain_end (chain);
      return;
    }

  page_us = fulcrum_lever_page_get_answer_time (page);

  if (!(run->action->flags & FULCRUM_ACTION_FLAG_PAGINATED))
    {
      run_deliver (run, page);
      chain_end (chain);
      return;
    }

  if (!check_page (page, &error))
    {
      run_fail (run, g_steal_pointer (&error));
      chain_end (chain);
      return;
    }
  chain->pages++;
  has_next = fulcrum_lever_page_get_has_next (page);
  next = fulcrum_lever_page_get_next (page);

  /* the time of a full page (the last of a window is shorter, and quicker) */
  if (has_next)
    run->page_time_us = run->page_time_us == 0 ? page_us
                                               : 0.8 * run->page_time_us + 0.2 * page_us;

  /* windows are planned from every record of the page, delivered before or not: left out,
   * one could make a page out of order look newest first */
  if (run->partitioned)
    times = page_times (page);

  if (!run_deliver (run, page) || !has_next)
    {
      chain_end (chain);
      return;
    }
  if (!run->all_pages)
    {
      g_free (run->next_offset);
      run->next_offset = g_strdup (next);
      chain_end (chain);
      return;
    }
  if (g_strcmp0 (next, chain->offset) == 0)
    {
      run_fail (run, g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
                                  _("Lever answered the same page again.")));
      chain_end (chain);
      return;
    }

  if (run->partitioned && chain->pages == 1 && !chain->sized)
    {
      guint concurrency = run_concurrency (run);
      guint outstanding = run->active + g_queue_get_length (&run->pending);
      /* enough windows for every slot and one to spare; planning further ahead only
       * plans windows below the end of the list, each a request for nothing */
      guint budget = concurrency + 2 > outstanding ? concurrency + 2 - outstanding : 0;

      if (concurrency > 1 && budget >= 2 && fulcrum_lever_chain_split (chain, times, budget))
        {
          chain_end (chain);
          return;
        }
    }

  /* a chain that still has pages to go while slots stand idle hands out the rest */
  if (run->partitioned && g_queue_is_empty (&run->pending))
    {
      guint concurrency = run_concurrency (run);

      if (run->active < concurrency &&
          fulcrum_lever_chain_split_rest (chain, times,
                                          concurrency - run->active + 1))
        {
          chain_end (chain);
          return;
        }
    }

  g_free (chain->offset);
  chain->offset = g_strdup (next);
  chain_request (chain);
}

static void
chain_request (Chain *chain)
{
  Run *run = chain->run;
  g_autoptr(GError) error = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *url = NULL;

  if (run->partitioned)
    {
      g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, chain->start);
      g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, chain->end);

      fulcrum_action_request_set_query (run->request, "created_at_start",
                                        chain->has_start ? start : NULL);
      fulcrum_action_request_set_query (run->request, "created_at_end",
                                        chain->has_end ? end : NULL);
    }

  if (chain->offset != NULL && strstr (chain->offset, "://") != NULL)
    {
      /* some servers give `next` as a URL: it must stay under the API base */
      relative = g_strdup (chain->offset);
    }
  else
    {
      fulcrum_action_request_set_query (run->request, "offset", chain->offset);
      relative = fulcrum_action_request_dup_relative_url (run->request);
    }

  url = fulcrum_lever_client_resolve_url (run->client, relative, &error);
  if (url == NULL)
    {
      run_fail (run, g_steal_pointer (&error));
      chain_end (chain);
      return;
    }

  fulcrum_lever_client_call_async (run->client, run->action->method, url, run->request->body,
                                   run->idempotent,
                                   (run->action->flags & FULCRUM_ACTION_FLAG_PAGINATED)
                                   ? FULCRUM_LEVER_ANSWER_LIST : FULCRUM_LEVER_ANSWER_SINGLE,
                                   !run->record_text, &run->stats, run->cancellable,
                                   chain_page_cb, chain);
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *run_cancellable)
{
  g_cancellable_cancel (run_cancellable);
}

static gboolean
get_window_bound (FulcrumActionRequest *request,
                  const char           *name,
                  gint64               *value)
{
  const char *text = fulcrum_action_request_get_query (request, name);

  return text != NULL && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL);
}

/* Public API */

void
fulcrum_lever_client_run_action_async (FulcrumLeverClient   *self,
                                       const char           *action_id,
                                       GHashTable           *params,
                                       FulcrumLeverRunFlags  flags,
                                       FulcrumLeverPageFunc  page_func,
                                       gpointer              page_data,
                                       GDestroyNotify        page_data_destroy,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  FulcrumLinkedAccount *account;
  FulcrumConnectorProfile *profile;
  const char * const *granted;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  const FulcrumAction *action;
  Chain *first;
  Run *run;
  gint64 start = 0, end = 0;
  gboolean has_start, has_end;

  g_return_if_fail (FULCRUM_IS_LEVER_CLIENT (self));
  g_return_if_fail (action_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_lever_client_run_action_async);

  run = g_new0 (Run, 1);
  run->client = self;
  run->page_func = page_func;
  run->page_data = page_data;
  run->page_data_destroy = page_data_destroy;
  run->started_us = g_get_monotonic_time ();
  run->seen = fulcrum_lever_id_set_new ();
  run->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  action = fulcrum_actions_lookup (action_id);
  if (action == NULL)
    {
      g_task_return_new_error (task, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_UNKNOWN,
                               _("There is no action “%s”."), action_id);
      return;
    }
  run->action = action;

  account = fulcrum_lever_client_get_account (self);
  profile = fulcrum_store_find_profile (fulcrum_lever_client_get_store (self),
                                        fulcrum_linked_account_get_profile_id (account));
  if (profile == NULL)
    {
      g_task_return_new_error (task, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_DISABLED,
                               _("The profile “%s” of this account no longer exists."),
                               fulcrum_linked_account_get_profile_id (account));
      return;
    }
  granted = fulcrum_linked_account_get_granted_scopes (account);
  if (granted == NULL || granted[0] == NULL)
    granted = fulcrum_connector_profile_get_scopes (profile);

  if (!fulcrum_action_check_allowed (action, profile, account, &error) ||
      !fulcrum_action_check_param_scopes (action, params, granted, &error) ||
      (run->request = fulcrum_action_build_request (action, params, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run->partitioned = (flags & FULCRUM_LEVER_RUN_PARTITIONED) != 0 &&
                     (action->flags & FULCRUM_ACTION_FLAG_PARTITIONABLE) != 0;
  run->all_pages = (flags & (FULCRUM_LEVER_RUN_ALL_PAGES | FULCRUM_LEVER_RUN_PARTITIONED)) != 0;
  run->record_text = (flags & FULCRUM_LEVER_RUN_RECORD_TEXT) != 0;
  run->idempotent = g_str_equal (action->method, "GET") || g_str_equal (action->method, "PUT") ||
                    (action->flags & FULCRUM_ACTION_FLAG_IDEMPOTENT) != 0;

  if (cancellable != NULL)
    {
      run->caller_cancellable = g_object_ref (cancellable);
      run->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                        G_CALLBACK (caller_cancelled_cb),
                                                        g_object_ref (run->cancellable),
                                                        g_object_unref);
    }

  has_start = get_window_bound (run->request, "created_at_start", &start);
  has_end = get_window_bound (run->request, "created_at_end", &end);
  first = chain_new (run, has_start, start, has_end, end, 0);
  /* the caller continues a list where an earlier page ended: one chain from there */
  first->offset = g_strdup (fulcrum_action_request_get_query (run->request, "offset"));
  if (first->offset != NULL)
    run->partitioned = FALSE;
  run->task = g_steal_pointer (&task);
  g_queue_push_tail (&run->pending, first);
  run_schedule (run);
}

gboolean
fulcrum_lever_client_run_action_finish (FulcrumLeverClient  *self,
                                        GAsyncResult        *result,
                                        FulcrumLeverStats   *stats,
                                        char               **next_offset,
                                        GError             **error)
{
  Run *run;
  gboolean ret;

  g_return_val_if_fail (FULCRUM_IS_LEVER_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fulcrum_lever_client_run_action_async, FALSE);

  run = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = run->stats;
  ret = g_task_propagate_boolean (G_TASK (result), error);
  if (next_offset != NULL)
    *next_offset = ret ? g_steal_pointer (&run->next_offset) : NULL;
  return ret;
}
