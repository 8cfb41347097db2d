/* fulcrum-rate-limiter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-rate-limiter"

#include "config.h"

#include "fulcrum-rate-limiter.h"

/* The bucket may go negative: each reservation takes a token now and waits until the
 * refill has paid the debt back. That keeps requests in the order they asked, and a
 * cancelled wait simply gives its token back. */

struct _FulcrumRateLimiter
{
  GObject                      parent_instance;

  GMutex                       mutex;
  double                       max_rate;
  guint                        burst;
  double                       rate;
  double                       tokens;
  gint64                       updated_us;
  gint64                       blocked_until_us;
  guint64                      n_acquired;
  guint64                      n_throttled;

  FulcrumRateLimiterClockFunc  clock;
  gpointer                     clock_data;
};

G_DEFINE_FINAL_TYPE (FulcrumRateLimiter, fulcrum_rate_limiter, G_TYPE_OBJECT)

/* After a 429 the rate never drops below this share of the configured rate. */
#define MIN_RATE_DIVISOR 32.0
/* Each success adds back this share of the configured rate. */
#define RECOVERY_DIVISOR 20.0

static GMutex      shared_mutex;
static GHashTable *shared;   /* key -> GWeakRef* */

static gint64
default_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static gint64
now_us (FulcrumRateLimiter *self)
{
  return self->clock (self->clock_data);
}

/* Called with the mutex held. */
static void
refill (FulcrumRateLimiter *self,
        gint64              now)
{
  if (now > self->updated_us)
    {
      self->tokens = MIN ((double) self->burst,
                          self->tokens + (now - self->updated_us) / 1e6 * self->rate);
      self->updated_us = now;
    }
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
fulcrum_rate_limiter_finalize (GObject *object)
{
  FulcrumRateLimiter *self = (FulcrumRateLimiter *) object;

  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (fulcrum_rate_limiter_parent_class)->finalize (object);
}

static void
fulcrum_rate_limiter_class_init (FulcrumRateLimiterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fulcrum_rate_limiter_finalize;
}

static void
fulcrum_rate_limiter_init (FulcrumRateLimiter *self)
{
  g_mutex_init (&self->mutex);
  self->clock = default_clock;
}

FulcrumRateLimiter *
fulcrum_rate_limiter_new (double rate,
                          guint  burst)
{
  FulcrumRateLimiter *self;

  g_return_val_if_fail (rate > 0, NULL);

  self = g_object_new (FULCRUM_TYPE_RATE_LIMITER, NULL);
  self->max_rate = self->rate = rate;
  self->burst = MAX (burst, 1);
  self->tokens = self->burst;
  self->updated_us = now_us (self);
  return self;
}

FulcrumRateLimiter *
fulcrum_rate_limiter_get_shared (const char *key,
                                 double      rate,
                                 guint       burst)
{
  FulcrumRateLimiter *self = NULL;
  GWeakRef *ref;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (rate > 0, NULL);

  g_mutex_lock (&shared_mutex);
  if (shared == NULL)
    shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, weak_ref_free);

  ref = g_hash_table_lookup (shared, key);
  if (ref != NULL)
    self = g_weak_ref_get (ref);
  if (self == NULL)
    {
      self = fulcrum_rate_limiter_new (rate, burst);
      ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, self);
      /* a dead entry of the same key is replaced here */
      g_hash_table_replace (shared, g_strdup (key), ref);
    }
  else
    fulcrum_rate_limiter_configure (self, rate, burst);
  g_mutex_unlock (&shared_mutex);

  return self;
}

void
fulcrum_rate_limiter_set_clock (FulcrumRateLimiter          *self,
                                FulcrumRateLimiterClockFunc  clock,
                                gpointer                     user_data)
{
  g_return_if_fail (FULCRUM_IS_RATE_LIMITER (self));

  g_mutex_lock (&self->mutex);
  self->clock = clock != NULL ? clock : default_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
  self->updated_us = now_us (self);
  self->blocked_until_us = 0;
  g_mutex_unlock (&self->mutex);
}

void
fulcrum_rate_limiter_configure (FulcrumRateLimiter *self,
                                double              rate,
                                guint               burst)
{
  g_return_if_fail (FULCRUM_IS_RATE_LIMITER (self));
  g_return_if_fail (rate > 0);

  g_mutex_lock (&self->mutex);
  if (rate != self->max_rate || MAX (burst, 1) != self->burst)
    {
      refill (self, now_us (self));
      self->max_rate = rate;
      self->rate = MIN (self->rate, rate);
      if (self->rate < rate / MIN_RATE_DIVISOR)
        self->rate = rate / MIN_RATE_DIVISOR;
      self->burst = MAX (burst, 1);
      self->tokens = MIN (self->tokens, (double) self->burst);
    }
  g_mutex_unlock (&self->mutex);
}

double
fulcrum_rate_limiter_get_rate (FulcrumRateLimiter *self)
{
  double rate;

  g_return_val_if_fail (FULCRUM_IS_RATE_LIMITER (self), 0);

  g_mutex_lock (&self->mutex);
  rate = self->max_rate;
  g_mutex_unlock (&self->mutex);
  return rate;
}

guint
fulcrum_rate_limiter_get_burst (FulcrumRateLimiter *self)
{
  guint burst;

  g_return_val_if_fail (FULCRUM_IS_RATE_LIMITER (self), 0);

  g_mutex_lock (&self->mutex);
  burst = self->burst;
  g_mutex_unlock (&self->mutex);
  return burst;
}

double
fulcrum_rate_limiter_get_current_rate (FulcrumRateLimiter *self)
{
  double rate;

  g_return_val_if_fail (FULCRUM_IS_RATE_LIMITER (self), 0);

  g_mutex_lock (&self->mutex);
  rate = self->rate;
  g_mutex_unlock (&self->mutex);
  return rate;
}

gint64
fulcrum_rate_limiter_reserve (FulcrumRateLimiter *self)
{
  gint64 now;
  gint64 wait = 0;

  g_return_val_if_fail (FULCRUM_IS_RATE_LIMITER (self), 0);

  g_mutex_lock (&self->mutex);
  now = now_us (self);
  refill (self, now);
  self->tokens -= 1.0;
  self->n_acquired++;
  if (self->tokens < 0)
    {
      double us = -self->tokens / self->rate * 1e6;

      /* rounded up: never a microsecond early */
      wait = (gint64) us;
      if ((double) wait < us)
        wait++;
    }
  if (self->blocked_until_us > now)
    wait = MAX (wait, self->blocked_until_us - now);
  g_mutex_unlock (&self->mutex);

  return wait;
}

void
fulcrum_rate_limiter_refund (FulcrumRateLimiter *self)
{
  g_return_if_fail (FULCRUM_IS_RATE_LIMITER (self));

  g_mutex_lock (&self->mutex);
  refill (self, now_us (self));
  self->tokens = MIN ((double) self->burst, self->tokens + 1.0);
  if (self->n_acquired > 0)
    self->n_acquired--;
  g_mutex_unlock (&self->mutex);
}

void
fulcrum_rate_limiter_report_throttled (FulcrumRateLimiter *self,
                                       gint64              retry_after_us)
{
  gint64 now;

  g_return_if_fail (FULCRUM_IS_RATE_LIMITER (self));

  g_mutex_lock (&self->mutex);
  now = now_us (self);
  refill (self, now);
  self->n_throttled++;
  self->rate = MAX (self->max_rate / MIN_RATE_DIVISOR, self->rate / 2);
  /* the server's bucket is empty: ours must not claim otherwise */
  self->tokens = MIN (self->tokens, 0.0);
  if (retry_after_us <= 0)
    retry_after_us = (gint64) (1e6 / self->rate);
  self->blocked_until_us = MAX (self->blocked_until_us, now + retry_after_us);
  g_mutex_unlock (&self->mutex);
}

void
fulcrum_rate_limiter_report_success (FulcrumRateLimiter *self)
{
  g_return_if_fail (FULCRUM_IS_RATE_LIMITER (self));

  g_mutex_lock (&self->mutex);
  if (self->rate < self->max_rate)
    {
      refill (self, now_us (self));
      self->rate = MIN (self->max_rate, self->rate + self->max_rate / RECOVERY_DIVISOR);
    }
  g_mutex_unlock (&self->mutex);
}

guint64
fulcrum_rate_limiter_get_n_acquired (FulcrumRateLimiter *self)
{
  guint64 n;

  g_return_val_if_fail (FULCRUM_IS_RATE_LIMITER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_acquired;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint64
fulcrum_rate_limiter_get_n_throttled (FulcrumRateLimiter *self)
{
  guint64 n;

  g_return_val_if_fail (FULCRUM_IS_RATE_LIMITER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_throttled;
  g_mutex_unlock (&self->mutex);
  return n;
}

/* Waiting */

typedef struct
{
  GSource *source;
  gulong   cancelled_id;
  gboolean done;
} AcquireData;

static void
acquire_data_free (AcquireData *data)
{
  if (data->source != NULL)
    {
      g_source_destroy (data->source);
      g_source_unref (data->source);
    }
  g_free (data);
}

static void
acquire_finish_wait (GTask *task)
{
  AcquireData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  data->done = TRUE;
  if (data->cancelled_id != 0)
    {
      /* may not be disconnected from inside its own handler: the handler checks done */
      g_cancellable_disconnect (cancellable, data->cancelled_id);
      data->cancelled_id = 0;
    }
  if (data->source != NULL)
    {
      g_source_destroy (data->source);
      g_clear_pointer (&data->source, g_source_unref);
    }
}

static gboolean
acquire_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  AcquireData *data = g_task_get_task_data (task);

  if (data->done)
    return G_SOURCE_REMOVE;
  g_clear_pointer (&data->source, g_source_unref);
  acquire_finish_wait (task);
  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
acquire_cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  AcquireData *data = g_task_get_task_data (task);

  if (!data->done)
    {
      acquire_finish_wait (task);
      fulcrum_rate_limiter_refund (g_task_get_source_object (task));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    }
  return G_SOURCE_REMOVE;
}

static void
acquire_cancelled_cb (GCancellable *cancellable,
                      GTask        *task)
{
  GSource *idle = g_idle_source_new ();

  /* possibly on another thread: finish on the task's own context */
  g_source_set_callback (idle, acquire_cancelled_idle_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (idle, "[fulcrum] rate limiter cancel");
  g_source_attach (idle, g_task_get_context (task));
  g_source_unref (idle);
}

void
fulcrum_rate_limiter_acquire_async (FulcrumRateLimiter  *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AcquireData *data;
  gint64 wait;

  g_return_if_fail (FULCRUM_IS_RATE_LIMITER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_rate_limiter_acquire_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  wait = fulcrum_rate_limiter_reserve (self);
  if (wait <= 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (AcquireData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) acquire_data_free);
  data->source = g_timeout_source_new ((guint) MIN ((wait + 999) / 1000, G_MAXUINT));
  g_source_set_callback (data->source, acquire_timeout_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (data->source, "[fulcrum] rate limiter wait");
  g_source_attach (data->source, g_task_get_context (task));
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (acquire_cancelled_cb),
                                                task, NULL);
}

gboolean
fulcrum_rate_limiter_acquire_finish (FulcrumRateLimiter  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (FULCRUM_IS_RATE_LIMITER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_rate_limiter_acquire_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
