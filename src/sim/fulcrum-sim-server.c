/* fulcrum-sim-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "fulcrum-sim-private.h"
#include "fulcrum-sim-server.h"

G_DEFINE_FINAL_TYPE (FulcrumSimServer, fulcrum_sim_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (fulcrum-sim-error-quark, fulcrum_sim_error)

GParamSpec *fulcrum_sim_server_properties[FULCRUM_SIM_SERVER_N_PROPS];

static char *
random_key_id (void)
{
  guint8 bytes[4];
  char hex[9];

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    g_error ("getrandom() failed");
  for (guint i = 0; i < 4; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", bytes[i]);
  return g_strdup (hex);
}

/* Clock */

gint64
fulcrum_sim_server_now_us (FulcrumSimServer *self)
{
  gint64 base = self->manual_clock ? self->manual_base_us : g_get_real_time ();

  return base + self->clock_offset_us;
}

FulcrumSimData *
fulcrum_sim_server_ensure_data (FulcrumSimServer *self)
{
  if (self->data == NULL || self->data_stale)
    {
      g_clear_pointer (&self->data, fulcrum_sim_data_free);
      self->data = fulcrum_sim_data_new_seeded (self->seed, self->n_opportunities,
                                                fulcrum_sim_server_now_us (self) / 1000);
      self->data_stale = FALSE;
    }
  return self->data;
}

/* Generates the data without holding the lock, so that the GUI's calls meanwhile do not
 * wait for it; requests that come first wait for the lock and generate it themselves. */
static void
prepare_data (FulcrumSimServer *self)
{
  FulcrumSimData *data;
  guint64 seed;
  guint n;
  gint64 now_ms;

  g_mutex_lock (&self->mutex);
  if (self->data != NULL && !self->data_stale)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  seed = self->seed;
  n = self->n_opportunities;
  now_ms = fulcrum_sim_server_now_us (self) / 1000;
  g_mutex_unlock (&self->mutex);

  data = fulcrum_sim_data_new_seeded (seed, n, now_ms);

  g_mutex_lock (&self->mutex);
  if ((self->data == NULL || self->data_stale) && self->seed == seed && self->n_opportunities == n)
    {
      g_clear_pointer (&self->data, fulcrum_sim_data_free);
      self->data = g_steal_pointer (&data);
      self->data_stale = FALSE;
    }
  g_mutex_unlock (&self->mutex);
  g_clear_pointer (&data, fulcrum_sim_data_free);
}

void
fulcrum_sim_server_save_state (FulcrumSimServer *self)
{
  g_autoptr(GError) error = NULL;

  if (self->state_file == NULL || !self->state_loaded)
    return;
  if (!fulcrum_sim_auth_save (self->auth, self->state_file, self->key_id,
                              fulcrum_sim_server_now_us (self) / 1000, &error))
    g_warning ("Could not save the simulator state: %s", error->message);
}

static gboolean
save_state_cb (gpointer data)
{
  FulcrumSimServer *self = data;

  g_mutex_lock (&self->mutex);
  self->save_queued = FALSE;
  fulcrum_sim_server_save_state (self);
  g_mutex_unlock (&self->mutex);
  return G_SOURCE_REMOVE;
}

void
fulcrum_sim_server_queue_save_state (FulcrumSimServer *self)
{
  g_autoptr(GSource) source = NULL;

  /* the GUI's thread must not wait for the disk: the server's thread writes it */
  if (self->thread_context == NULL)
    {
      fulcrum_sim_server_save_state (self);
      return;
    }
  if (self->save_queued)
    return;
  self->save_queued = TRUE;
  source = g_idle_source_new ();
  g_source_set_callback (source, save_state_cb, self, NULL);
  g_source_set_static_name (source, "[fulcrum-sim] save state");
  g_source_attach (source, self->thread_context);
}

static void
reply_sim_info (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;
  GString *body = g_string_new ("{\"simulator\":\"fulcrum\",\"key_id\":");

  fulcrum_sim_json_escape (body, self->key_id);
  g_string_append (body, ",\"version\":1}");
  fulcrum_sim_request_reply (req, SOUP_STATUS_OK, "application/json", body);
}

static void
handle_sim (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;

  if (strcmp (req->path, "/_sim/info") == 0 && strcmp (req->method, "GET") == 0)
    reply_sim_info (req);
  else if (strcmp (req->path, "/_sim/stats") == 0 && strcmp (req->method, "GET") == 0)
    {
      g_autoptr(JsonNode) node = fulcrum_sim_stats_to_json (&self->stats);
      g_autofree char *json = json_to_string (node, FALSE);

      fulcrum_sim_request_reply (req, SOUP_STATUS_OK, "application/json", g_string_new (json));
    }
  else if (strcmp (req->path, "/_sim/reset-stats") == 0 && strcmp (req->method, "POST") == 0)
    {
      memset (&self->stats, 0, sizeof self->stats);
      fulcrum_sim_request_reply (req, SOUP_STATUS_OK, "application/json",
                                 g_string_new ("{\"ok\":true}"));
    }
  else
    fulcrum_sim_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "ResourceNotFound",
                                     "No such simulator endpoint");
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FulcrumSimServer *self = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  FulcrumSimRequest req = { 0 };
  GUri *uri = soup_server_message_get_uri (msg);

  req.self = self;
  req.msg = msg;
  req.method = soup_server_message_get_method (msg);
  req.path = path;
  req.params = fulcrum_sim_params_parse (g_uri_get_query (uri));
  req.fault = FULCRUM_SIM_N_FAULTS;

  fulcrum_sim_server_ensure_data (self);

  if (g_str_has_prefix (path, "/_sim/"))
    handle_sim (&req);
  else
    {
      self->stats.requests++;
      if (strcmp (path, "/authorize") == 0)
        fulcrum_sim_oauth_authorize (&req);
      else if (strcmp (path, "/authorize/decision") == 0)
        fulcrum_sim_oauth_decision (&req);
      else if (strcmp (path, "/oauth/token") == 0)
        fulcrum_sim_oauth_token (&req);
      else if (strcmp (path, "/v1") == 0 || g_str_has_prefix (path, "/v1/"))
        {
          req.is_api = TRUE;
          self->stats.api_requests++;
          req.fault = fulcrum_sim_faults_roll (self);
          if (req.fault == FULCRUM_SIM_FAULT_RESET)
            {
              self->stats.faults[req.fault]++;
              fulcrum_sim_request_reset (&req);
              g_ptr_array_unref (req.params);
              return;
            }
          if (req.fault != FULCRUM_SIM_N_FAULTS)
            self->stats.faults[req.fault]++;
          if (req.fault <= FULCRUM_SIM_FAULT_HTML)
            fulcrum_sim_faults_reply (&req);
          else
            fulcrum_sim_api_handle (&req);
        }
      else
        fulcrum_sim_request_reply_error (&req, SOUP_STATUS_NOT_FOUND, "ResourceNotFound",
                                         "Not found");
    }

  fulcrum_sim_request_send (&req);
  g_ptr_array_unref (req.params);
}

/* Listening */

static gboolean
listen_internal (FulcrumSimServer  *self,
                 guint              port,
                 GError           **error)
{
  g_autoptr(SoupServer) soup = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *loaded_key_id = NULL;
  GSList *listeners;
  guint bound_port = port;

  g_mutex_lock (&self->mutex);
  if (self->state_file != NULL &&
      !fulcrum_sim_auth_load (self->auth, self->state_file, &loaded_key_id, error))
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  if (loaded_key_id != NULL && !self->key_id_explicit)
    {
      g_free (self->key_id);
      self->key_id = g_steal_pointer (&loaded_key_id);
    }
  if (self->state_file != NULL)
    {
      /* keeps the apps registered before listening */
      self->state_loaded = TRUE;
      fulcrum_sim_server_save_state (self);
    }
  g_mutex_unlock (&self->mutex);

  soup = soup_server_new ("server-header", "fulcrum-sim/1 ", NULL);
  soup_server_add_handler (soup, NULL, server_callback, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (soup, address, 0, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_LISTEN,
                     "Port %u on 127.0.0.1 is already in use", port);
      else
        g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_LISTEN,
                     "Could not listen on 127.0.0.1:%u: %s", port, local_error->message);
      return FALSE;
    }

  listeners = soup_server_get_listeners (soup);
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (local))
        bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);

  g_mutex_lock (&self->mutex);
  self->soup = g_steal_pointer (&soup);
  self->context = g_main_context_ref_thread_default ();
  self->port = bound_port;
  g_free (self->base_url);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", bound_port);
  g_free (self->authorize_url);
  self->authorize_url = g_strconcat (self->base_url, "/authorize", NULL);
  g_free (self->token_url);
  self->token_url = g_strconcat (self->base_url, "/oauth/token", NULL);
  g_free (self->api_base);
  self->api_base = g_strconcat (self->base_url, "/v1", NULL);
  g_free (self->audience);
  self->audience = g_strconcat (self->base_url, "/v1/", NULL);
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

static void
shutdown_internal (FulcrumSimServer *self)
{
  g_hash_table_remove_all (self->pending);

  g_mutex_lock (&self->mutex);
  /* a save still queued would be dropped with the thread's context */
  if (self->save_queued)
    {
      self->save_queued = FALSE;
      fulcrum_sim_server_save_state (self);
    }
  g_mutex_unlock (&self->mutex);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->context, g_main_context_unref);

  g_mutex_lock (&self->mutex);
  self->port = 0;
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->authorize_url, g_free);
  g_clear_pointer (&self->token_url, g_free);
  g_clear_pointer (&self->api_base, g_free);
  g_clear_pointer (&self->audience, g_free);
  g_mutex_unlock (&self->mutex);
}

typedef struct
{
  FulcrumSimServer *self;
  guint             port;
} ThreadStart;

static gpointer
server_thread (gpointer data)
{
  ThreadStart *start = data;
  FulcrumSimServer *self = start->self;
  g_autoptr(GMainContext) context = g_main_context_new ();
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (context);
  ok = listen_internal (self, start->port, &error);

  g_mutex_lock (&self->mutex);
  self->thread_ready = TRUE;
  self->thread_error = error;
  if (ok)
    self->thread_context = g_main_context_ref (context);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* the first request would pay for it otherwise */
  if (ok)
    prepare_data (self);

  if (ok)
    {
      /* no GMainLoop: a quit that came before its run would be lost */
      while (!g_atomic_int_get (&self->stopping))
        g_main_context_iteration (context, TRUE);
      shutdown_internal (self);
    }

  g_main_context_pop_thread_default (context);
  g_free (start);
  return NULL;
}

/* GObject */

static void
fulcrum_sim_server_dispose (GObject *object)
{
  FulcrumSimServer *self = (FulcrumSimServer *)object;

  fulcrum_sim_server_stop (self);

  G_OBJECT_CLASS (fulcrum_sim_server_parent_class)->dispose (object);
}

static void
fulcrum_sim_server_finalize (GObject *object)
{
  FulcrumSimServer *self = (FulcrumSimServer *)object;

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->data, fulcrum_sim_data_free);
  g_clear_pointer (&self->auth, fulcrum_sim_auth_free);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_clear_pointer (&self->key_id, g_free);
  g_clear_pointer (&self->organization, g_free);
  g_clear_pointer (&self->state_file, g_free);
  g_clear_error (&self->thread_error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (fulcrum_sim_server_parent_class)->finalize (object);
}

static void
fulcrum_sim_server_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FulcrumSimServer *self = FULCRUM_SIM_SERVER (object);

  switch (prop_id)
    {
    case FULCRUM_SIM_SERVER_PROP_SEED:
      g_value_set_uint64 (value, fulcrum_sim_server_get_seed (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_N_OPPORTUNITIES:
      g_value_set_uint (value, fulcrum_sim_server_get_n_opportunities (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_LATENCY_BASE_MS:
      g_value_set_uint (value, fulcrum_sim_server_get_latency_base_ms (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_LATENCY_PER_RECORD_MS:
      g_value_set_double (value, fulcrum_sim_server_get_latency_per_record_ms (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_RATE_LIMIT_ENABLED:
      g_value_set_boolean (value, fulcrum_sim_server_get_rate_limit_enabled (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_RATE_LIMIT:
      g_value_set_double (value, fulcrum_sim_server_get_rate_limit (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_RATE_BURST:
      g_value_set_uint (value, fulcrum_sim_server_get_rate_burst (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_RETRY_AFTER:
      g_value_set_boolean (value, fulcrum_sim_server_get_retry_after (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_DRIP_MS:
      g_value_set_uint (value, fulcrum_sim_server_get_drip_ms (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_ACCESS_TOKEN_LIFETIME:
      g_value_set_int64 (value, fulcrum_sim_server_get_access_token_lifetime (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_KEY_ID:
      g_value_set_string (value, fulcrum_sim_server_get_key_id (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_ORGANIZATION:
      g_value_set_string (value, fulcrum_sim_server_get_organization (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_MANUAL_CLOCK:
      g_value_set_boolean (value, fulcrum_sim_server_get_manual_clock (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_PORT:
      g_value_set_uint (value, fulcrum_sim_server_get_port (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_BASE_URL:
      g_value_set_string (value, fulcrum_sim_server_get_base_url (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_sim_server_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FulcrumSimServer *self = FULCRUM_SIM_SERVER (object);

  switch (prop_id)
    {
    case FULCRUM_SIM_SERVER_PROP_SEED:
      fulcrum_sim_server_set_seed (self, g_value_get_uint64 (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_N_OPPORTUNITIES:
      fulcrum_sim_server_set_n_opportunities (self, g_value_get_uint (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_LATENCY_BASE_MS:
      fulcrum_sim_server_set_latency (self, g_value_get_uint (value),
                                      fulcrum_sim_server_get_latency_per_record_ms (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_LATENCY_PER_RECORD_MS:
      fulcrum_sim_server_set_latency (self, fulcrum_sim_server_get_latency_base_ms (self),
                                      g_value_get_double (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_RATE_LIMIT_ENABLED:
      fulcrum_sim_server_set_rate_limit (self, g_value_get_boolean (value),
                                         fulcrum_sim_server_get_rate_limit (self),
                                         fulcrum_sim_server_get_rate_burst (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_RATE_LIMIT:
      fulcrum_sim_server_set_rate_limit (self, fulcrum_sim_server_get_rate_limit_enabled (self),
                                         g_value_get_double (value),
                                         fulcrum_sim_server_get_rate_burst (self));
      break;
    case FULCRUM_SIM_SERVER_PROP_RATE_BURST:
      fulcrum_sim_server_set_rate_limit (self, fulcrum_sim_server_get_rate_limit_enabled (self),
                                         fulcrum_sim_server_get_rate_limit (self),
                                         g_value_get_uint (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_RETRY_AFTER:
      fulcrum_sim_server_set_retry_after (self, g_value_get_boolean (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_DRIP_MS:
      fulcrum_sim_server_set_drip_ms (self, g_value_get_uint (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_ACCESS_TOKEN_LIFETIME:
      fulcrum_sim_server_set_access_token_lifetime (self, g_value_get_int64 (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_KEY_ID:
      fulcrum_sim_server_set_key_id (self, g_value_get_string (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_ORGANIZATION:
      fulcrum_sim_server_set_organization (self, g_value_get_string (value));
      break;
    case FULCRUM_SIM_SERVER_PROP_MANUAL_CLOCK:
      fulcrum_sim_server_set_manual_clock (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_sim_server_class_init (FulcrumSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamSpec **props = fulcrum_sim_server_properties;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fulcrum_sim_server_dispose;
  object_class->finalize = fulcrum_sim_server_finalize;
  object_class->get_property = fulcrum_sim_server_get_property;
  object_class->set_property = fulcrum_sim_server_set_property;

  props[FULCRUM_SIM_SERVER_PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 1, rw);
  props[FULCRUM_SIM_SERVER_PROP_N_OPPORTUNITIES] =
    g_param_spec_uint ("n-opportunities", NULL, NULL, 0, 1000000,
                       FULCRUM_SIM_DEFAULT_OPPORTUNITIES, rw);
  props[FULCRUM_SIM_SERVER_PROP_LATENCY_BASE_MS] =
    g_param_spec_uint ("latency-base-ms", NULL, NULL, 0, 60000,
                       FULCRUM_SIM_DEFAULT_LATENCY_BASE_MS, rw);
  props[FULCRUM_SIM_SERVER_PROP_LATENCY_PER_RECORD_MS] =
    g_param_spec_double ("latency-per-record-ms", NULL, NULL, 0.0, 1000.0,
                         FULCRUM_SIM_DEFAULT_LATENCY_PER_RECORD_MS, rw);
  props[FULCRUM_SIM_SERVER_PROP_RATE_LIMIT_ENABLED] =
    g_param_spec_boolean ("rate-limit-enabled", NULL, NULL, TRUE, rw);
  props[FULCRUM_SIM_SERVER_PROP_RATE_LIMIT] =
    g_param_spec_double ("rate-limit", NULL, NULL, 0.001, 1000000.0,
                         FULCRUM_SIM_DEFAULT_RATE, rw);
  props[FULCRUM_SIM_SERVER_PROP_RATE_BURST] =
    g_param_spec_uint ("rate-burst", NULL, NULL, 1, 1000000, FULCRUM_SIM_DEFAULT_BURST, rw);
  props[FULCRUM_SIM_SERVER_PROP_RETRY_AFTER] =
    g_param_spec_boolean ("retry-after", NULL, NULL, FALSE, rw);
  props[FULCRUM_SIM_SERVER_PROP_DRIP_MS] =
    g_param_spec_uint ("drip-ms", NULL, NULL, 1, 600000, FULCRUM_SIM_DEFAULT_DRIP_MS, rw);
  props[FULCRUM_SIM_SERVER_PROP_ACCESS_TOKEN_LIFETIME] =
    g_param_spec_int64 ("access-token-lifetime", NULL, NULL, 1, G_MAXINT32,
                        FULCRUM_SIM_DEFAULT_TOKEN_LIFETIME, rw);
  props[FULCRUM_SIM_SERVER_PROP_KEY_ID] =
    g_param_spec_string ("key-id", NULL, NULL, NULL, rw);
  props[FULCRUM_SIM_SERVER_PROP_ORGANIZATION] =
    g_param_spec_string ("organization", NULL, NULL, FULCRUM_SIM_DEFAULT_ORGANIZATION, rw);
  props[FULCRUM_SIM_SERVER_PROP_MANUAL_CLOCK] =
    g_param_spec_boolean ("manual-clock", NULL, NULL, FALSE, rw);
  props[FULCRUM_SIM_SERVER_PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, ro);
  props[FULCRUM_SIM_SERVER_PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, FULCRUM_SIM_SERVER_N_PROPS, props);
}

static void
fulcrum_sim_server_init (FulcrumSimServer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  self->seed = 1;
  self->n_opportunities = FULCRUM_SIM_DEFAULT_OPPORTUNITIES;
  self->latency_base_ms = FULCRUM_SIM_DEFAULT_LATENCY_BASE_MS;
  self->latency_per_record_ms = FULCRUM_SIM_DEFAULT_LATENCY_PER_RECORD_MS;
  self->rate_limit_enabled = TRUE;
  self->rate_limit = FULCRUM_SIM_DEFAULT_RATE;
  self->rate_burst = FULCRUM_SIM_DEFAULT_BURST;
  self->drip_ms = FULCRUM_SIM_DEFAULT_DRIP_MS;
  self->token_lifetime = FULCRUM_SIM_DEFAULT_TOKEN_LIFETIME;
  self->key_id = random_key_id ();
  self->organization = g_strdup (FULCRUM_SIM_DEFAULT_ORGANIZATION);
  self->auth = fulcrum_sim_auth_new ();
  self->pending = g_hash_table_new_full (NULL, NULL, fulcrum_sim_delay_free, NULL);
  self->fault_rand = g_rand_new ();
  if (getrandom (self->page_key, sizeof self->page_key, 0) != sizeof self->page_key)
    g_error ("getrandom() failed");
}

FulcrumSimServer *
fulcrum_sim_server_new (void)
{
  return g_object_new (FULCRUM_TYPE_SIM_SERVER, NULL);
}

gboolean
fulcrum_sim_server_listen (FulcrumSimServer  *self,
                           guint              port,
                           GError           **error)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (fulcrum_sim_server_is_running (self))
    {
      g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_RUNNING,
                   "The simulator is already listening");
      return FALSE;
    }
  if (!listen_internal (self, port, error))
    return FALSE;
  prepare_data (self);

  g_object_notify_by_pspec (G_OBJECT (self),
                            fulcrum_sim_server_properties[FULCRUM_SIM_SERVER_PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self),
                            fulcrum_sim_server_properties[FULCRUM_SIM_SERVER_PROP_BASE_URL]);
  return TRUE;
}

gboolean
fulcrum_sim_server_start_thread (FulcrumSimServer  *self,
                                 guint              port,
                                 GError           **error)
{
  ThreadStart *start;
  GError *thread_error;

  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (fulcrum_sim_server_is_running (self))
    {
      g_set_error (error, FULCRUM_SIM_ERROR, FULCRUM_SIM_ERROR_RUNNING,
                   "The simulator is already listening");
      return FALSE;
    }

  start = g_new0 (ThreadStart, 1);
  start->self = self;
  start->port = port;

  g_mutex_lock (&self->mutex);
  self->thread_ready = FALSE;
  self->stopping = FALSE;
  self->thread = g_thread_new ("fulcrum-sim", server_thread, start);
  while (!self->thread_ready)
    g_cond_wait (&self->cond, &self->mutex);
  thread_error = g_steal_pointer (&self->thread_error);
  g_mutex_unlock (&self->mutex);

  if (thread_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_propagate_error (error, thread_error);
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self),
                            fulcrum_sim_server_properties[FULCRUM_SIM_SERVER_PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self),
                            fulcrum_sim_server_properties[FULCRUM_SIM_SERVER_PROP_BASE_URL]);
  return TRUE;
}

void
fulcrum_sim_server_stop (FulcrumSimServer *self)
{
  gboolean was_running;

  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  was_running = fulcrum_sim_server_is_running (self);
  if (self->thread != NULL)
    {
      g_autoptr(GMainContext) context = NULL;

      g_mutex_lock (&self->mutex);
      context = g_steal_pointer (&self->thread_context);
      g_mutex_unlock (&self->mutex);

      g_atomic_int_set (&self->stopping, TRUE);
      g_main_context_wakeup (context);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  else if (self->soup != NULL)
    shutdown_internal (self);

  if (was_running)
    {
      g_object_notify_by_pspec (G_OBJECT (self),
                                fulcrum_sim_server_properties[FULCRUM_SIM_SERVER_PROP_PORT]);
      g_object_notify_by_pspec (G_OBJECT (self),
                                fulcrum_sim_server_properties[FULCRUM_SIM_SERVER_PROP_BASE_URL]);
    }
}

gboolean
fulcrum_sim_server_is_running (FulcrumSimServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  return self->port != 0;
}

guint
fulcrum_sim_server_get_port (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->port;
}

/* The URLs are set once listening and stay until stop(). */
const char *
fulcrum_sim_server_get_base_url (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), NULL);
  return self->base_url;
}

const char *
fulcrum_sim_server_get_authorize_url (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), NULL);
  return self->authorize_url;
}

const char *
fulcrum_sim_server_get_token_url (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), NULL);
  return self->token_url;
}

const char *
fulcrum_sim_server_get_api_base (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), NULL);
  return self->api_base;
}

const char *
fulcrum_sim_server_get_audience (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), NULL);
  return self->audience;
}

JsonNode *
fulcrum_sim_server_get_stats (FulcrumSimServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return fulcrum_sim_stats_to_json (&self->stats);
}

void
fulcrum_sim_server_reset_stats (FulcrumSimServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  locker = g_mutex_locker_new (&self->mutex);
  memset (&self->stats, 0, sizeof self->stats);
}
