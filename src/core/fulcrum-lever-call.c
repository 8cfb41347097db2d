/* fulcrum-lever-call.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-lever-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fulcrum-lever-private.h"
#include "fulcrum-secret-store.h"
#include "fulcrum-token-set.h"

/* One request to Lever: a token from the token manager, a place in the account's bucket,
 * the HTTP exchange read without blocking, the JSON parsed (or a page's records found)
 * in a worker thread, and what
 * the answer means: done, retry (429, 502/503/504, network, unreadable answers of safe
 * requests), refresh once and retry (401), or a GError in the user's words. Runs of
 * actions (fulcrum-lever-run.c) are built on top. */

#define MAX_BODY_BYTES    (64 * 1024 * 1024)
#define READ_CHUNK        (64 * 1024)

typedef struct
{
  char              *method;
  char              *url;
  GBytes            *body;
  gboolean           idempotent;
  FulcrumLeverAnswer answer;
  gboolean           parse_records;
  FulcrumLeverStats *stats;

  guint              attempt;
  gboolean           force_refresh;
  gboolean           refreshed;
  char              *token;

  SoupMessage       *msg;
  GCancellable      *attempt_cancellable;
  GCancellable      *caller_cancellable;
  gulong             cancelled_id;
  GSource           *timeout_source;
  gboolean           timed_out;
  GSource           *backoff_source;
  GSource           *backoff_cancel_source;
  GInputStream      *stream;
  GByteArray        *buffer;
  gint64             sent_us;
} Call;

typedef struct
{
  GBytes             *body;
  char               *content_type;
  guint               status;
  FulcrumLeverAnswer  answer;
  gboolean            parse_records;
  JsonNode           *root;
  FulcrumLeverPage   *page;
  char               *html_title;
  gint64              answer_us;
} ParseJob;

static void call_start_try (GTask *task);

/* Helpers */

static void
call_clear_attempt (Call *call)
{
  if (call->cancelled_id != 0)
    {
      g_cancellable_disconnect (call->caller_cancellable, call->cancelled_id);
      call->cancelled_id = 0;
    }
  if (call->timeout_source != NULL)
    {
      g_source_destroy (call->timeout_source);
      g_clear_pointer (&call->timeout_source, g_source_unref);
    }
  g_clear_object (&call->msg);
  g_clear_object (&call->attempt_cancellable);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->buffer, g_byte_array_unref);
}

static void
call_clear_backoff (Call *call)
{
  if (call->backoff_source != NULL)
    {
      g_source_destroy (call->backoff_source);
      g_clear_pointer (&call->backoff_source, g_source_unref);
    }
  if (call->backoff_cancel_source != NULL)
    {
      g_source_destroy (call->backoff_cancel_source);
      g_clear_pointer (&call->backoff_cancel_source, g_source_unref);
    }
}

static void
call_free (Call *call)
{
  call_clear_attempt (call);
  call_clear_backoff (call);
  g_clear_object (&call->caller_cancellable);
  g_free (call->method);
  g_free (call->url);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->token, fulcrum_secret_free);
  g_free (call);
}

static void
parse_job_free (ParseJob *job)
{
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->content_type);
  g_clear_pointer (&job->root, json_node_unref);
  g_clear_pointer (&job->page, fulcrum_lever_page_unref);
  g_free (job->html_title);
  g_free (job);
}

static GError *
network_error (Call         *call,
               const GError *error,
               guint         timeout_s)
{
  if (call->timed_out)
    return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_NETWORK,
                        _("Lever did not answer within %u seconds."), timeout_s);
  return g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_NETWORK,
                      _("Could not reach Lever: %s"), error->message);
}

/* Whether the request surely never reached the server. */
static gboolean
error_before_sending (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         error->domain == G_RESOLVER_ERROR;
}

static void
count (FulcrumLeverClient  *self,
       Call                *call,
       gsize                offset)
{
  G_STRUCT_MEMBER (guint64, &self->stats, offset)++;
  if (call->stats != NULL)
    G_STRUCT_MEMBER (guint64, call->stats, offset)++;
}

#define COUNT(self, call, member) count (self, call, G_STRUCT_OFFSET (FulcrumLeverStats, member))

/* libsoup before 3.6 can crash when a kept-alive connection is reset under a request that
 * it then restarts by itself (its queue item is used after it was freed); a load balancer
 * dropping an idle connection is enough. It only restarts idempotent requests on reused
 * connections, so those get a connection of their own there; our retries cover resets. */
static gboolean
needs_fresh_connections (void)
{
  return soup_get_major_version () == 3 && soup_get_minor_version () < 6;
}

/* Retrying */

static guint
backoff_ms (FulcrumLeverClient *self,
            guint               attempt)
{
  guint64 delay = self->base_delay_ms;

  for (guint i = 1; i < attempt && delay < self->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->max_delay_ms);
  /* "equal jitter": half fixed, half random, so that clients that failed together do
   * not come back together */
  return (guint) (delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1));
}

static gboolean
backoff_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call_clear_backoff (call);
  call_start_try (task);
  return G_SOURCE_REMOVE;
}

static gboolean
backoff_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call_clear_backoff (call);
  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* Tries again after @delay_ms, or ends with @error when every try is used up. */
static void
call_retry (GTask  *task,
            GError *error,
            gint64  delay_ms)
{
  FulcrumLeverClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  call_clear_attempt (call);
  if (call->attempt >= self->max_attempts)
    {
      if (self->max_attempts > 1)
        g_prefix_error (&error, ngettext ("After %u try: ", "After %u tries: ",
                                          call->attempt), call->attempt);
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Retrying %s %s in %" G_GINT64_FORMAT " ms: %s", call->method, call->url, delay_ms,
           error->message);
  g_error_free (error);
  COUNT (self, call, retries);

  call->backoff_source = g_timeout_source_new ((guint) MAX (delay_ms, 0));
  g_source_set_callback (call->backoff_source, backoff_done_cb, g_object_ref (task),
                         g_object_unref);
  g_source_set_static_name (call->backoff_source, "[fulcrum] lever backoff");
  g_source_attach (call->backoff_source, g_task_get_context (task));
  if (cancellable != NULL)
    {
      call->backoff_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->backoff_cancel_source, G_SOURCE_FUNC (backoff_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (call->backoff_cancel_source, g_task_get_context (task));
    }
}

/* The answer */

static void
call_fail_network (GTask        *task,
                   const GError *error)
{
  FulcrumLeverClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  gboolean retry = call->idempotent || error_before_sending (error);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (retry)
    call_retry (task, network_error (call, error, self->timeout_s),
                backoff_ms (self, call->attempt));
  else
    {
      GError *local = network_error (call, error, self->timeout_s);

      g_prefix_error (&local, _("The change may or may not have been made. "));
      g_task_return_error (task, local);
    }
}

static void
handle_answer (GTask    *task,
               ParseJob *job,
               gint64    retry_after_us)
{
  FulcrumLeverClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  guint status = job->status;
  gint64 delay;
  GError *error;

  if (SOUP_STATUS_IS_SUCCESSFUL (status) &&
      (job->page != NULL || (job->root != NULL && JSON_NODE_HOLDS_OBJECT (job->root))))
    {
      fulcrum_rate_limiter_report_success (self->limiter);
      fulcrum_lever_client_mark_used (self);
      call_clear_attempt (call);
      if (job->page != NULL)
        g_task_return_pointer (task, g_steal_pointer (&job->page),
                               (GDestroyNotify) fulcrum_lever_page_unref);
      else
        g_task_return_pointer (task, g_steal_pointer (&job->root),
                               (GDestroyNotify) json_node_unref);
      return;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED && !call->refreshed)
    {
      /* the token died early (revoked, clock skew): one forced refresh, one retry */
      call->refreshed = TRUE;
      call->force_refresh = TRUE;
      COUNT (self, call, refreshes);
      COUNT (self, call, retries);
      call_clear_attempt (call);
      call_start_try (task);
      return;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (job->html_title != NULL)
        error = g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
                             _("Lever answered with a web page (“%s”) instead of data."),
                             job->html_title);
      else
        error = g_error_new (FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
                             _("Lever’s answer could not be read: it is not complete JSON "
                               "(HTTP %u, %lu bytes)."),
                             status, (gulong) g_bytes_get_size (job->body));
      if (call->idempotent)
        call_retry (task, error, backoff_ms (self, call->attempt));
      else
        {
          g_prefix_error (&error, _("The change may or may not have been made. "));
          call_clear_attempt (call);
          g_task_return_error (task, error);
        }
      return;
    }

  error = fulcrum_lever_error_from_response (self->store, self->account, status, job->root,
                                             job->html_title);

  if (status == HTTP_TOO_MANY_REQUESTS)
    {
      COUNT (self, call, throttled);
      if (retry_after_us > (gint64) FULCRUM_LEVER_MAX_RETRY_AFTER_S * G_USEC_PER_SEC)
        {
          g_clear_error (&error);
          call_clear_attempt (call);
          g_task_return_new_error (task, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_RATE_LIMITED,
                                   _("Lever asked to wait %ld seconds before the next request."),
                                   (long) (retry_after_us / G_USEC_PER_SEC));
          return;
        }
      fulcrum_rate_limiter_report_throttled (self->limiter, retry_after_us);
      delay = MAX (retry_after_us / 1000, (gint64) backoff_ms (self, call->attempt));
      call_retry (task, error, delay);
      return;
    }

  if (status == SOUP_STATUS_BAD_GATEWAY || status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
      status == SOUP_STATUS_GATEWAY_TIMEOUT)
    {
      /* a 503 was not processed; behind a 502/504 a change may have been made */
      if (call->idempotent || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
        {
          if (retry_after_us > (gint64) FULCRUM_LEVER_MAX_RETRY_AFTER_S * G_USEC_PER_SEC)
            retry_after_us = (gint64) FULCRUM_LEVER_MAX_RETRY_AFTER_S * G_USEC_PER_SEC;
          delay = MAX (retry_after_us / 1000, (gint64) backoff_ms (self, call->attempt));
          call_retry (task, error, delay);
          return;
        }
    }

  call_clear_attempt (call);
  g_task_return_error (task, error);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  gsize len = 0;
  const char *data = g_bytes_get_data (job->body, &len);
  const char *p = data;
  g_autoptr(JsonParser) parser = NULL;

  while (p != NULL && p < data + len && g_ascii_isspace (*p))
    p++;
  if ((job->content_type != NULL && g_str_has_prefix (job->content_type, "text/html")) ||
      (p != NULL && p < data + len && *p == '<'))
    {
      job->html_title = fulcrum_lever_html_title (data, len);
      if (job->html_title == NULL)
        job->html_title = g_strdup (_("untitled"));
    }
  else if (job->answer != FULCRUM_LEVER_ANSWER_TREE && SOUP_STATUS_IS_SUCCESSFUL (job->status))
    {
      /* records are found by a scan that checks the JSON; a tree only when wanted */
      job->page = fulcrum_lever_page_scan (job->body, job->answer == FULCRUM_LEVER_ANSWER_LIST,
                                           job->parse_records);
      if (job->page != NULL)
        fulcrum_lever_page_set_answer_time (job->page, job->answer_us);
    }
  else if (len > 0)
    {
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, data, len, NULL))
        job->root = json_parser_steal_root (parser);
    }
  g_task_return_boolean (task, TRUE);
}

static void
parse_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  ParseJob *job = g_task_get_task_data (G_TASK (result));
  gint64 retry_after = -1;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (call->msg != NULL)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);

      retry_after = fulcrum_lever_parse_retry_after (soup_message_headers_get_one (headers,
                                                                                   "Retry-After"),
                                                     g_get_real_time ());
    }
  handle_answer (task, job, retry_after);
}

static void
read_done (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GTask) parse = NULL;
  ParseJob *job = g_new0 (ParseJob, 1);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);

  if (call->timeout_source != NULL)
    {
      g_source_destroy (call->timeout_source);
      g_clear_pointer (&call->timeout_source, g_source_unref);
    }
  job->status = soup_message_get_status (call->msg);
  job->answer_us = g_get_monotonic_time () - call->sent_us;
  job->answer = call->answer;
  job->parse_records = call->parse_records;
  job->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  job->body = g_byte_array_free_to_bytes (g_steal_pointer (&call->buffer));

  /* a page of 100 opportunities is ~200 kB of JSON: never parse it on the main thread */
  parse = g_task_new (NULL, NULL, parse_done_cb, g_object_ref (task));
  g_task_set_source_tag (parse, read_done);
  g_task_set_task_data (parse, job, (GDestroyNotify) parse_job_free);
  g_task_run_in_thread (parse, parse_thread);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      call_fail_network (task, error);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      read_done (task);
      return;
    }
  if (call->buffer->len + g_bytes_get_size (bytes) > MAX_BODY_BYTES)
    {
      call_clear_attempt (call);
      g_task_return_new_error (task, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_INVALID_RESPONSE,
                               _("Lever’s answer is larger than %u MB."),
                               MAX_BODY_BYTES / (1024 * 1024));
      return;
    }
  g_byte_array_append (call->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   call->attempt_cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  call->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->stream == NULL)
    {
      call_fail_network (task, error);
      return;
    }
  call->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   call->attempt_cancellable, read_cb, g_steal_pointer (&task));
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_clear_pointer (&call->timeout_source, g_source_unref);
  g_cancellable_cancel (call->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

static void
acquire_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FulcrumLeverClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *authorization = NULL;
  SoupMessageHeaders *headers;

  if (!fulcrum_rate_limiter_acquire_finish (FULCRUM_RATE_LIMITER (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  uri = g_uri_parse (call->url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_FOREIGN_URL,
                               _("“%s” is not a valid URL."), call->url);
      return;
    }

  call->msg = soup_message_new_from_uri (call->method, uri);
  /* a redirect could carry the token elsewhere: Lever's API never redirects */
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);
  if (call->idempotent && needs_fresh_connections ())
    soup_message_add_flags (call->msg, SOUP_MESSAGE_NEW_CONNECTION);
  headers = soup_message_get_request_headers (call->msg);
  authorization = g_strconcat ("Bearer ", call->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  fulcrum_secret_free (g_steal_pointer (&authorization));
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (call->msg, "application/json", call->body);

  call->attempt_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    call->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                g_object_ref (call->attempt_cancellable),
                                                g_object_unref);
  call->timed_out = FALSE;
  call->timeout_source = g_timeout_source_new_seconds (self->timeout_s);
  g_source_set_callback (call->timeout_source, attempt_timeout_cb, call, NULL);
  g_source_set_static_name (call->timeout_source, "[fulcrum] lever timeout");
  g_source_attach (call->timeout_source, g_task_get_context (task));

  COUNT (self, call, requests);
  call->sent_us = g_get_monotonic_time ();
  soup_session_send_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                           call->attempt_cancellable, send_cb, g_steal_pointer (&task));
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FulcrumLeverClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  char *token;

  token = fulcrum_token_manager_get_access_token_finish (FULCRUM_TOKEN_MANAGER (object), result,
                                                         &error);
  if (token == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      if (g_error_matches (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TRANSIENT))
        {
          call_retry (task, g_steal_pointer (&error), backoff_ms (self, call->attempt));
          return;
        }
      /* whatever made the token manager give up on the account (a dead grant, the
       * profile's credentials), the account now needs re-linking: say it with one code */
      if (error->domain == FULCRUM_OAUTH_ERROR &&
          fulcrum_linked_account_get_status (self->account) == FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK)
        error->code = FULCRUM_OAUTH_ERROR_NEEDS_RELINK;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&call->token, fulcrum_secret_free);
  call->token = token;
  call->force_refresh = FALSE;
  cancellable = g_task_get_cancellable (task);
  fulcrum_rate_limiter_acquire_async (self->limiter, cancellable, acquire_cb,
                                      g_steal_pointer (&task));
}

static void
call_start_try (GTask *task)
{
  FulcrumLeverClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (fulcrum_linked_account_get_status (self->account) == FULCRUM_ACCOUNT_STATUS_SUSPENDED)
    {
      g_task_return_new_error (task, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_SUSPENDED,
                               _("The account “%s” is suspended: no requests are made for it."),
                               fulcrum_linked_account_get_label (self->account)
                               ? fulcrum_linked_account_get_label (self->account)
                               : fulcrum_linked_account_get_id (self->account));
      return;
    }

  call->attempt++;
  fulcrum_token_manager_get_access_token_async (self->tokens, self->account, call->force_refresh,
                                                g_task_get_cancellable (task), token_cb,
                                                g_object_ref (task));
}

/* Private API */

void
fulcrum_lever_client_call_async (FulcrumLeverClient  *self,
                                 const char          *method,
                                 const char          *url,
                                 JsonNode            *body,
                                 gboolean             idempotent,
                                 FulcrumLeverAnswer   answer,
                                 gboolean             parse_records,
                                 FulcrumLeverStats   *stats,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_lever_client_call_async);

  call = g_new0 (Call, 1);
  call->method = g_strdup (method);
  call->url = g_strdup (url);
  call->idempotent = idempotent;
  call->answer = answer;
  call->parse_records = parse_records;
  call->stats = stats;
  call->caller_cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  if (body != NULL)
    {
      g_autofree char *json = json_to_string (body, FALSE);

      call->body = g_bytes_new_take (g_steal_pointer (&json), strlen (json));
    }
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  call_start_try (task);
}

JsonNode *
fulcrum_lever_client_call_finish (FulcrumLeverClient  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_lever_client_call_async,
                        NULL);

  g_return_val_if_fail (((Call *) g_task_get_task_data (G_TASK (result)))->answer ==
                        FULCRUM_LEVER_ANSWER_TREE, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

FulcrumLeverPage *
fulcrum_lever_client_call_finish_page (FulcrumLeverClient  *self,
                                       GAsyncResult        *result,
                                       GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_lever_client_call_async,
                        NULL);
  g_return_val_if_fail (((Call *) g_task_get_task_data (G_TASK (result)))->answer !=
                        FULCRUM_LEVER_ANSWER_TREE, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
