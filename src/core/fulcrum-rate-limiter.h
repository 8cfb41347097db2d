/* fulcrum-rate-limiter.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Monotonic time in microseconds; injectable for tests. */
typedef gint64 (*FulcrumRateLimiterClockFunc) (gpointer user_data);

#define FULCRUM_TYPE_RATE_LIMITER (fulcrum_rate_limiter_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumRateLimiter, fulcrum_rate_limiter, FULCRUM, RATE_LIMITER, GObject)

/* A token bucket: @rate requests per second, bursts of up to @burst. Requests are served
 * in the order they asked (a reservation is a place in the schedule). After a 429 the
 * bucket pauses everyone and halves its rate; each success then adds back a twentieth of
 * the configured rate (AIMD), so a server stricter than its documented limit is followed.
 * Thread-safe; waits complete on the caller's thread-default main context. */
FulcrumRateLimiter *fulcrum_rate_limiter_new           (double               rate,
                                                        guint                burst);
/* The one bucket of @key (e.g. an account id) in this process, created on first use. When
 * it exists already, @rate and @burst replace its configuration (the environment changed). */
FulcrumRateLimiter *fulcrum_rate_limiter_get_shared    (const char          *key,
                                                        double               rate,
                                                        guint                burst);

void                fulcrum_rate_limiter_set_clock     (FulcrumRateLimiter  *self,
                                                        FulcrumRateLimiterClockFunc clock,
                                                        gpointer             user_data);
void                fulcrum_rate_limiter_configure     (FulcrumRateLimiter  *self,
                                                        double               rate,
                                                        guint                burst);
/* The configured rate and burst. */
double              fulcrum_rate_limiter_get_rate      (FulcrumRateLimiter  *self);
guint               fulcrum_rate_limiter_get_burst     (FulcrumRateLimiter  *self);
/* The rate in force now (lower than the configured one after 429s). */
double              fulcrum_rate_limiter_get_current_rate (FulcrumRateLimiter *self);

/* Takes a place in the schedule and returns how long to wait for it, in microseconds
 * (0: go now). The place is spent: call refund() if the request is not sent after all. */
gint64              fulcrum_rate_limiter_reserve       (FulcrumRateLimiter  *self);
void                fulcrum_rate_limiter_refund        (FulcrumRateLimiter  *self);

/* reserve() and wait; on cancel the place is refunded and G_IO_ERROR_CANCELLED returned. */
void                fulcrum_rate_limiter_acquire_async (FulcrumRateLimiter  *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            fulcrum_rate_limiter_acquire_finish (FulcrumRateLimiter *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);

/* The server answered 429: nobody goes before @retry_after_us from now (when the server
 * said; else one interval at the new rate), and the rate is halved. */
void                fulcrum_rate_limiter_report_throttled (FulcrumRateLimiter *self,
                                                           gint64              retry_after_us);
/* A request went through: the rate recovers towards the configured one. */
void                fulcrum_rate_limiter_report_success   (FulcrumRateLimiter *self);

/* Counters for diagnostics and tests. */
guint64             fulcrum_rate_limiter_get_n_acquired  (FulcrumRateLimiter *self);
guint64             fulcrum_rate_limiter_get_n_throttled (FulcrumRateLimiter *self);

G_END_DECLS
