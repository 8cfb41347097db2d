/* test-rate-limiter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fulcrum-rate-limiter.h"
#include "fulcrum-test-util.h"

#define MS 1000

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static FulcrumRateLimiter *
new_fake (double rate,
          guint  burst)
{
  FulcrumRateLimiter *limiter = fulcrum_rate_limiter_new (rate, burst);

  fake_now = G_GINT64_CONSTANT (1000) * G_USEC_PER_SEC;
  fulcrum_rate_limiter_set_clock (limiter, fake_clock, NULL);
  return limiter;
}

/* Lever's 10/s with bursts of 20: 20 go at once, then one every 100 ms, in order. */
static void
test_burst_then_rate (void)
{
  g_autoptr(FulcrumRateLimiter) limiter = new_fake (10, 20);

  for (guint i = 0; i < 20; i++)
    g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 0);
  for (guint i = 1; i <= 10; i++)
    g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, i * 100 * MS);

  /* a second later ten places were paid back: the next waits as long as the 10th did */
  fake_now += G_USEC_PER_SEC;
  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 100 * MS);
  g_assert_cmpuint (fulcrum_rate_limiter_get_n_acquired (limiter), ==, 31);
}

/* Over any window the bucket lets through at most burst + rate × window. */
static void
test_never_over_the_limit (void)
{
  g_autoptr(FulcrumRateLimiter) limiter = new_fake (10, 20);
  gint64 start = fake_now;
  gint64 last_start = 0;

  for (guint i = 0; i < 200; i++)
    {
      gint64 go = fake_now + fulcrum_rate_limiter_reserve (limiter);
      double allowed = 20 + (go - start) / 1e6 * 10 + 1e-6;

      g_assert_cmpfloat (i + 1, <=, allowed);
      g_assert_cmpint (go, >=, last_start);
      last_start = go;
      /* callers arrive every 30 ms, faster than the rate */
      fake_now += 30 * MS;
    }
}

static void
test_refill_is_capped_at_burst (void)
{
  g_autoptr(FulcrumRateLimiter) limiter = new_fake (10, 5);

  fake_now += G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 0);
  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), >, 0);
}

static void
test_refund (void)
{
  g_autoptr(FulcrumRateLimiter) limiter = new_fake (10, 1);

  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 0);
  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 100 * MS);
  /* the second caller gave up: the next one takes its place */
  fulcrum_rate_limiter_refund (limiter);
  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 100 * MS);
  g_assert_cmpuint (fulcrum_rate_limiter_get_n_acquired (limiter), ==, 2);
}

/* A 429 pauses everyone until Retry-After and halves the rate; successes bring it back. */
static void
test_throttled_backs_off (void)
{
  g_autoptr(FulcrumRateLimiter) limiter = new_fake (10, 20);

  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 0);
  fulcrum_rate_limiter_report_throttled (limiter, 2 * G_USEC_PER_SEC);
  g_assert_cmpfloat_with_epsilon (fulcrum_rate_limiter_get_current_rate (limiter), 5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (fulcrum_rate_limiter_get_rate (limiter), 10.0, 1e-9);
  g_assert_cmpuint (fulcrum_rate_limiter_get_n_throttled (limiter), ==, 1);

  /* nobody before the server said */
  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 2 * G_USEC_PER_SEC);
  fake_now += 2 * G_USEC_PER_SEC;
  /* the bucket was emptied by the 429, and one place is owed: refilled at 5/s since */
  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 0);

  /* without Retry-After: one interval at the new rate */
  fulcrum_rate_limiter_report_throttled (limiter, -1);
  g_assert_cmpfloat_with_epsilon (fulcrum_rate_limiter_get_current_rate (limiter), 2.5, 1e-9);
  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 400 * MS);

  for (guint i = 0; i < 100; i++)
    fulcrum_rate_limiter_report_success (limiter);
  g_assert_cmpfloat_with_epsilon (fulcrum_rate_limiter_get_current_rate (limiter), 10.0, 1e-9);

  /* however many 429s, the rate keeps a floor */
  for (guint i = 0; i < 50; i++)
    fulcrum_rate_limiter_report_throttled (limiter, 0);
  g_assert_cmpfloat (fulcrum_rate_limiter_get_current_rate (limiter), >=, 10.0 / 32 - 1e-9);
}

static void
test_shared_per_key (void)
{
  g_autoptr(FulcrumRateLimiter) a = fulcrum_rate_limiter_get_shared ("account-a", 10, 20);
  g_autoptr(FulcrumRateLimiter) b = fulcrum_rate_limiter_get_shared ("account-a", 10, 20);
  g_autoptr(FulcrumRateLimiter) other = fulcrum_rate_limiter_get_shared ("account-b", 10, 20);
  g_autoptr(FulcrumRateLimiter) again = NULL;
  FulcrumRateLimiter *old = a;

  g_assert_true (a == b);
  g_assert_true (a != other);

  /* a changed environment limit reconfigures the shared bucket */
  g_clear_object (&b);
  b = fulcrum_rate_limiter_get_shared ("account-a", 4, 8);
  g_assert_true (a == b);
  g_assert_cmpfloat_with_epsilon (fulcrum_rate_limiter_get_rate (a), 4.0, 1e-9);
  g_assert_cmpuint (fulcrum_rate_limiter_get_burst (a), ==, 8);

  /* once nobody holds it, the next one is new */
  g_object_add_weak_pointer (G_OBJECT (old), (gpointer *) &old);
  g_clear_object (&a);
  g_clear_object (&b);
  g_assert_null (old);
  again = fulcrum_rate_limiter_get_shared ("account-a", 10, 20);
  g_assert_cmpfloat_with_epsilon (fulcrum_rate_limiter_get_rate (again), 10.0, 1e-9);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  guint     order;
} Acquire;

static guint n_finished;

static void
acquired_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Acquire *acquire = user_data;

  acquire->ok = fulcrum_rate_limiter_acquire_finish (FULCRUM_RATE_LIMITER (object), result,
                                                     &acquire->error);
  acquire->order = ++n_finished;
  acquire->done = TRUE;
}

/* Real waits on the main context, finishing in the order they asked. */
static void
test_acquire_async (void)
{
  g_autoptr(FulcrumRateLimiter) limiter = fulcrum_rate_limiter_new (200, 2);
  Acquire acquires[6] = { 0 };

  n_finished = 0;
  for (guint i = 0; i < G_N_ELEMENTS (acquires); i++)
    fulcrum_rate_limiter_acquire_async (limiter, NULL, acquired_cb, &acquires[i]);
  for (guint i = 0; i < G_N_ELEMENTS (acquires); i++)
    {
      fulcrum_test_wait_for (&acquires[i].done, 10000);
      g_assert_no_error (acquires[i].error);
      g_assert_true (acquires[i].ok);
      g_assert_cmpuint (acquires[i].order, ==, i + 1);
    }
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* A cancelled wait ends with CANCELLED at once and gives its place back. */
static void
test_acquire_cancelled (void)
{
  g_autoptr(FulcrumRateLimiter) limiter = fulcrum_rate_limiter_new (0.01, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  Acquire first = { 0 }, waiting = { 0 }, late = { 0 };

  fulcrum_rate_limiter_acquire_async (limiter, NULL, acquired_cb, &first);
  fulcrum_test_wait_for (&first.done, 10000);
  g_assert_true (first.ok);

  /* the next place is 100 s away */
  fulcrum_rate_limiter_acquire_async (limiter, cancellable, acquired_cb, &waiting);
  g_timeout_add (20, cancel_cb, cancellable);
  fulcrum_test_wait_for (&waiting.done, 10000);
  g_assert_error (waiting.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&waiting.error);
  g_assert_cmpuint (fulcrum_rate_limiter_get_n_acquired (limiter), ==, 1);

  g_cancellable_cancel (cancelled);
  fulcrum_rate_limiter_acquire_async (limiter, cancelled, acquired_cb, &late);
  fulcrum_test_wait_for (&late.done, 10000);
  g_assert_error (late.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&late.error);
  g_assert_cmpuint (fulcrum_rate_limiter_get_n_acquired (limiter), ==, 1);
}

/* Threads share one bucket: no more places than burst + rate × time. */
typedef struct
{
  FulcrumRateLimiter *limiter;
  guint               n;
} ThreadData;

static gpointer
reserve_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint i = 0; i < data->n; i++)
    fulcrum_rate_limiter_reserve (data->limiter);
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(FulcrumRateLimiter) limiter = new_fake (10, 20);
  ThreadData data = { limiter, 250 };
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("reserve", reserve_thread, &data);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  /* 1000 places at 10/s after a burst of 20: the last one is 98 s out */
  g_assert_cmpuint (fulcrum_rate_limiter_get_n_acquired (limiter), ==, 1000);
  g_assert_cmpint (fulcrum_rate_limiter_reserve (limiter), ==, 981 * 100 * MS);
}

int
main (int   argc,
      char *argv[])
{
  fulcrum_test_init_environment ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rate-limiter/burst-then-rate", test_burst_then_rate);
  g_test_add_func ("/rate-limiter/never-over-the-limit", test_never_over_the_limit);
  g_test_add_func ("/rate-limiter/refill-capped", test_refill_is_capped_at_burst);
  g_test_add_func ("/rate-limiter/refund", test_refund);
  g_test_add_func ("/rate-limiter/throttled", test_throttled_backs_off);
  g_test_add_func ("/rate-limiter/shared-per-key", test_shared_per_key);
  g_test_add_func ("/rate-limiter/acquire-async", test_acquire_async);
  g_test_add_func ("/rate-limiter/acquire-cancelled", test_acquire_cancelled);
  g_test_add_func ("/rate-limiter/threads", test_threads);

  return g_test_run ();
}
