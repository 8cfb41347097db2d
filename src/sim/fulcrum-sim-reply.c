/* fulcrum-sim-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "fulcrum-sim-private.h"

/* Sending what a handler answered: Lever's latency, a slow drip or a dropped connection.
 * A delayed message is paused and resumed from a GSource of the server's main context;
 * the server thread never sleeps. */

typedef enum
{
  DELAY_LATENCY,
  DELAY_DRIP,
  DELAY_RESET,
} DelayKind;

/* A paused message and the source that will resume it. */
typedef struct
{
  FulcrumSimServer  *self;
  SoupServerMessage *msg;
  GSource           *source;
  gulong             finished_id;
  DelayKind          kind;
  GBytes            *drip_body;
  gsize              drip_pos;
  gsize              drip_chunk;
  guint              drip_interval_ms;
} FulcrumSimDelay;

/* Paused messages */

void
fulcrum_sim_delay_free (gpointer data)
{
  FulcrumSimDelay *delay = data;

  if (delay->source != NULL)
    {
      g_source_destroy (delay->source);
      g_source_unref (delay->source);
    }
  g_clear_signal_handler (&delay->finished_id, delay->msg);
  g_clear_object (&delay->msg);
  g_clear_pointer (&delay->drip_body, g_bytes_unref);
  g_free (delay);
}

static void
delay_finished_cb (SoupServerMessage *msg,
                   FulcrumSimDelay   *delay)
{
  /* the client went away: nothing more to send */
  g_hash_table_remove (delay->self->pending, delay);
}

static void
delay_done (FulcrumSimDelay *delay)
{
  /* called from the delay's own source, which is removed by returning G_SOURCE_REMOVE */
  g_clear_pointer (&delay->source, g_source_unref);
  g_hash_table_remove (delay->self->pending, delay);
}

static void
reset_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = NULL;

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  if (G_IS_SOCKET_CONNECTION (stream))
    {
      GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
      struct linger linger = { 1, 0 };

      /* RST rather than FIN, like a load balancer dropping the connection */
      (void) setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER,
                         &linger, sizeof linger);
    }
  g_io_stream_close (stream, NULL, NULL);
}

static gboolean delay_source_cb (gpointer data);

static void
delay_schedule (FulcrumSimDelay *delay,
                guint            delay_ms)
{
  g_assert (delay->source == NULL);
  delay->source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();
  g_source_set_callback (delay->source, delay_source_cb, delay, NULL);
  g_source_set_static_name (delay->source, "[fulcrum-sim] delay");
  g_source_attach (delay->source, delay->self->context);
}

static gboolean
delay_source_cb (gpointer data)
{
  FulcrumSimDelay *delay = data;
  SoupMessageBody *body;
  gsize len;
  const char *bytes;

  switch (delay->kind)
    {
    case DELAY_LATENCY:
      soup_server_message_unpause (delay->msg);
      delay_done (delay);
      return G_SOURCE_REMOVE;

    case DELAY_RESET:
      g_clear_signal_handler (&delay->finished_id, delay->msg);
      reset_connection (delay->msg);
      delay_done (delay);
      return G_SOURCE_REMOVE;

    case DELAY_DRIP:
      body = soup_server_message_get_response_body (delay->msg);
      bytes = g_bytes_get_data (delay->drip_body, &len);
      if (delay->drip_pos < len)
        {
          gsize n = MIN (delay->drip_chunk, len - delay->drip_pos);

          soup_message_body_append (body, SOUP_MEMORY_COPY, bytes + delay->drip_pos, n);
          delay->drip_pos += n;
        }
      if (delay->drip_pos >= len)
        {
          soup_message_body_complete (body);
          soup_server_message_unpause (delay->msg);
          delay_done (delay);
          return G_SOURCE_REMOVE;
        }
      soup_server_message_unpause (delay->msg);
      /* the next chunk after the drip's interval, from a new source: this one is done */
      g_clear_pointer (&delay->source, g_source_unref);
      delay_schedule (delay, delay->drip_interval_ms);
      return G_SOURCE_REMOVE;

    default:
      g_assert_not_reached ();
    }
}

static void
delay_start (FulcrumSimServer  *self,
             SoupServerMessage *msg,
             DelayKind          kind,
             guint              delay_ms,
             FulcrumSimDelay  **out)
{
  FulcrumSimDelay *delay = g_new0 (FulcrumSimDelay, 1);

  delay->self = self;
  delay->msg = g_object_ref (msg);
  delay->kind = kind;
  delay->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (delay_finished_cb), delay);
  soup_server_message_pause (msg);
  delay_schedule (delay, delay_ms);
  g_hash_table_add (self->pending, delay);
  if (out != NULL)
    *out = delay;
}

/* Replies */

void
fulcrum_sim_request_reply (FulcrumSimRequest *req,
                           guint              status,
                           const char        *content_type,
                           GString           *body)
{
  if (req->body != NULL)
    g_string_free (req->body, TRUE);
  req->status = status;
  req->content_type = content_type;
  req->body = body;
}

void
fulcrum_sim_request_reply_data (FulcrumSimRequest *req,
                                guint              status,
                                const char        *json,
                                gssize             len)
{
  GString *body = g_string_sized_new ((len < 0 ? strlen (json) : (gsize) len) + 16);

  g_string_append (body, "{\"data\":");
  g_string_append_len (body, json, len);
  g_string_append_c (body, '}');
  fulcrum_sim_request_reply (req, status, "application/json", body);
}

void
fulcrum_sim_request_reply_error (FulcrumSimRequest *req,
                                 guint              status,
                                 const char        *code,
                                 const char        *message)
{
  GString *body = g_string_new ("{\"code\":");

  fulcrum_sim_json_escape (body, code);
  g_string_append (body, ",\"message\":");
  fulcrum_sim_json_escape (body, message);
  g_string_append_c (body, '}');
  fulcrum_sim_request_reply (req, status, "application/json", body);
}

void
fulcrum_sim_request_reset (FulcrumSimRequest *req)
{
  delay_start (req->self, req->msg, DELAY_RESET, 0, NULL);
}

void
fulcrum_sim_request_send (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;
  SoupServerMessage *msg = req->msg;
  guint delay_ms = 0;
  gsize len;

  if (req->body == NULL)
    fulcrum_sim_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                     "InternalServerError", "No response");

  if (req->fault == FULCRUM_SIM_FAULT_MALFORMED || req->fault == FULCRUM_SIM_FAULT_TRUNCATED)
    fulcrum_sim_faults_spoil_body (req);

  if (req->status < G_N_ELEMENTS (self->stats.responses) && !g_str_has_prefix (req->path, "/_sim/"))
    self->stats.responses[req->status]++;

  if (req->is_api)
    delay_ms = self->latency_base_ms + (guint) (self->latency_per_record_ms * req->n_records + 0.5);

  soup_server_message_set_status (msg, req->status, NULL);
  len = req->body->len;

  if (req->fault == FULCRUM_SIM_FAULT_DRIP)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      FulcrumSimDelay *delay = NULL;
      guint steps = 20;

      soup_message_headers_set_content_type (headers, req->content_type, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      delay_start (self, msg, DELAY_DRIP, MAX (delay_ms, 1), &delay);
      delay->drip_body = g_string_free_to_bytes (g_steal_pointer (&req->body));
      delay->drip_chunk = MAX (len / steps, 1);
      delay->drip_interval_ms = MAX (self->drip_ms / steps, 1);
      return;
    }

  soup_server_message_set_response (msg, req->content_type, SOUP_MEMORY_TAKE,
                                    g_string_free (g_steal_pointer (&req->body), FALSE), len);
  if (delay_ms > 0)
    delay_start (self, msg, DELAY_LATENCY, delay_ms, NULL);
}

