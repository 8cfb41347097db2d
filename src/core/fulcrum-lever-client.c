/* fulcrum-lever-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-lever-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fulcrum-environment.h"
#include "fulcrum-lever-private.h"

/* The client of one linked account: where its requests may go (the account's own
 * environment, nowhere else), its share of the rate limit, and when it was last used.
 * The requests themselves are in fulcrum-lever-call.c, runs of actions in
 * fulcrum-lever-run.c. */

enum {
  PROP_0,
  PROP_STORE,
  PROP_TOKENS,
  PROP_ACCOUNT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumLeverClient, fulcrum_lever_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (fulcrum-lever-error-quark, fulcrum_lever_error)

static GParamSpec *properties[N_PROPS];

#define SAVE_INTERVAL_US  (5 * G_USEC_PER_SEC)
/* Our bucket stays a little under the server's: a quarter of the burst (0.5 s at Lever's
 * limit) absorbs network jitter, which bunches requests on the way; the rate keeps 1%. */
#define RATE_HEADROOM     0.99

static gboolean
is_loopback_host (const char *host)
{
  return host != NULL && (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") ||
                          g_str_equal (host, "[::1]") ||
                          g_ascii_strcasecmp (host, "localhost") == 0);
}

static FulcrumEnvironment *
find_environment (FulcrumLeverClient  *self,
                  GError             **error)
{
  const char *env_id = fulcrum_linked_account_get_environment_id (self->account);
  FulcrumEnvironment *env = fulcrum_store_find_environment (self->store, env_id);

  /* only by id: a name match would be another environment */
  if (env == NULL || g_strcmp0 (fulcrum_environment_get_id (env), env_id) != 0)
    {
      g_set_error (error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_NO_ENVIRONMENT,
                   _("The environment “%s” of this account no longer exists."), env_id);
      return NULL;
    }
  return env;
}

static void
update_limiter (FulcrumLeverClient *self,
                FulcrumEnvironment *env)
{
  double rate = fulcrum_environment_get_rate_limit (env);
  guint burst = fulcrum_environment_get_rate_burst (env);
  guint margin = MAX (1, burst / 4);

  if (rate <= 0)
    rate = FULCRUM_LEVER_RATE_LIMIT;
  rate *= RATE_HEADROOM;
  burst = burst > margin ? burst - margin : 1;

  if (self->limiter == NULL)
    self->limiter = fulcrum_rate_limiter_get_shared (fulcrum_linked_account_get_id (self->account),
                                                     rate, burst);
  else
    fulcrum_rate_limiter_configure (self->limiter, rate, burst);
}

static gint
default_port (const char *scheme)
{
  return g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;
}

static gboolean
has_dot_segment (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *segment = g_uri_unescape_string (segments[i], NULL);

      if (segment == NULL || g_str_equal (segment, ".") || g_str_equal (segment, ".."))
        return TRUE;
    }
  return FALSE;
}

static gboolean
foreign_url (const char  *url,
             const char  *base,
             GError     **error)
{
  g_set_error (error, FULCRUM_LEVER_ERROR, FULCRUM_LEVER_ERROR_FOREIGN_URL,
               _("Refused to send the account’s token to %s: it is not under the "
                 "environment’s API base %s."), url, base);
  return FALSE;
}

/* Whether @url is under @base: same scheme, host and port, and a path below it. */
static gboolean
check_under_base (const char  *url,
                  const char  *base,
                  GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) base_uri = g_uri_parse (base, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *base_path = NULL;
  const char *path;
  gint port, base_port;

  if (uri == NULL || base_uri == NULL || g_uri_get_host (uri) == NULL ||
      g_uri_get_userinfo (uri) != NULL)
    return foreign_url (url, base, error);

  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : default_port (g_uri_get_scheme (uri));
  base_port = g_uri_get_port (base_uri) > 0 ? g_uri_get_port (base_uri)
                                            : default_port (g_uri_get_scheme (base_uri));
  base_path = g_strdup (g_uri_get_path (base_uri));
  while (base_path[0] != '\0' && g_str_has_suffix (base_path, "/"))
    base_path[strlen (base_path) - 1] = '\0';
  path = g_uri_get_path (uri);

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (base_uri)) != 0 ||
      g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (base_uri)) != 0 ||
      port != base_port ||
      !g_str_has_prefix (path, base_path) ||
      (path[strlen (base_path)] != '\0' && path[strlen (base_path)] != '/') ||
      has_dot_segment (path))
    return foreign_url (url, base, error);

  /* the environment check allows plain http only for loopback; never send a token
   * in the clear elsewhere, even if the environment was edited by hand */
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
      !is_loopback_host (g_uri_get_host (uri)))
    return foreign_url (url, base, error);

  return TRUE;
}

/* last_used */

static gboolean
save_timeout_cb (gpointer user_data)
{
  FulcrumLeverClient *self = user_data;

  self->save_source_id = 0;
  self->last_save_us = g_get_monotonic_time ();
  fulcrum_store_item_changed (self->store, G_OBJECT (self->account));
  fulcrum_store_save_async (self->store, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

void
fulcrum_lever_client_mark_used (FulcrumLeverClient *self)
{
  gint64 now = g_get_monotonic_time ();

  fulcrum_linked_account_set_last_used (self->account, g_get_real_time () / G_USEC_PER_SEC);
  if (self->save_source_id != 0)
    return;
  if (self->last_save_us == 0 || now - self->last_save_us >= SAVE_INTERVAL_US)
    save_timeout_cb (self);
  else
    self->save_source_id = g_timeout_add_full (G_PRIORITY_LOW,
                                               (SAVE_INTERVAL_US - (now - self->last_save_us))
                                               / 1000 + 1,
                                               save_timeout_cb, self, NULL);
}
/* GObject */

static void
fulcrum_lever_client_constructed (GObject *object)
{
  FulcrumLeverClient *self = (FulcrumLeverClient *) object;
  g_autoptr(GUri) base = NULL;
  FulcrumEnvironment *env;

  G_OBJECT_CLASS (fulcrum_lever_client_parent_class)->constructed (object);

  g_assert (self->store != NULL && self->tokens != NULL && self->account != NULL);

  env = find_environment (self, NULL);
  if (env != NULL)
    {
      update_limiter (self, env);
      base = g_uri_parse (fulcrum_environment_get_api_base (env), G_URI_FLAGS_NONE, NULL);
    }
  else
    self->limiter = fulcrum_rate_limiter_get_shared (fulcrum_linked_account_get_id (self->account),
                                                     FULCRUM_LEVER_RATE_LIMIT * RATE_HEADROOM,
                                                     FULCRUM_LEVER_RATE_BURST * 3 / 4);

  self->session = soup_session_new_with_options ("max-conns", 32,
                                                 "max-conns-per-host", 16,
                                                 "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION
                                                               " (" APP_ID ")",
                                                 NULL);
  /* a proxy from the environment must not see requests meant for a local simulator */
  if (base != NULL && is_loopback_host (g_uri_get_host (base)))
    soup_session_set_proxy_resolver (self->session, NULL);
}

static void
fulcrum_lever_client_dispose (GObject *object)
{
  FulcrumLeverClient *self = (FulcrumLeverClient *) object;

  /* a pending last_used save happens now rather than never */
  if (self->save_source_id != 0)
    {
      g_clear_handle_id (&self->save_source_id, g_source_remove);
      save_timeout_cb (self);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->limiter);
  g_clear_object (&self->account);
  g_clear_object (&self->tokens);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (fulcrum_lever_client_parent_class)->dispose (object);
}

static void
fulcrum_lever_client_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FulcrumLeverClient *self = FULCRUM_LEVER_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TOKENS:
      g_value_set_object (value, self->tokens);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_lever_client_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  FulcrumLeverClient *self = FULCRUM_LEVER_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_TOKENS:
      self->tokens = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_lever_client_class_init (FulcrumLeverClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = fulcrum_lever_client_constructed;
  object_class->dispose = fulcrum_lever_client_dispose;
  object_class->get_property = fulcrum_lever_client_get_property;
  object_class->set_property = fulcrum_lever_client_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FULCRUM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKENS] =
    g_param_spec_object ("tokens", NULL, NULL, FULCRUM_TYPE_TOKEN_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, FULCRUM_TYPE_LINKED_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fulcrum_lever_client_init (FulcrumLeverClient *self)
{
  self->max_attempts = FULCRUM_LEVER_DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = FULCRUM_LEVER_DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = FULCRUM_LEVER_DEFAULT_MAX_DELAY_MS;
  self->timeout_s = FULCRUM_LEVER_DEFAULT_TIMEOUT_S;
}

/* Private API */

char *
fulcrum_lever_client_resolve_url (FulcrumLeverClient  *self,
                                  const char          *relative,
                                  GError             **error)
{
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  FulcrumEnvironment *env;

  env = find_environment (self, error);
  if (env == NULL)
    return NULL;
  update_limiter (self, env);

  base = g_strdup (fulcrum_environment_get_api_base (env));
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  if (strstr (relative, "://") != NULL || g_str_has_prefix (relative, "//"))
    url = g_strdup (relative);
  else
    url = g_strconcat (base, relative[0] == '/' ? "" : "/", relative, NULL);

  if (!check_under_base (url, base, error))
    return NULL;
  return g_steal_pointer (&url);
}

guint
fulcrum_lever_client_get_concurrency_setting (FulcrumLeverClient *self)
{
  return self->concurrency;
}

FulcrumStore *
fulcrum_lever_client_get_store (FulcrumLeverClient *self)
{
  return self->store;
}

void
fulcrum_lever_client_add_stats (FulcrumLeverClient      *self,
                                const FulcrumLeverStats *run)
{
  /* requests, retries, 429s and refreshes are counted as they happen */
  self->stats.records += run->records;
  self->stats.pages += run->pages;
  self->stats.duplicates += run->duplicates;
  self->stats.restarts += run->restarts;
  self->stats.windows += run->windows;
  self->stats.concurrency = MAX (self->stats.concurrency, run->concurrency);
  self->stats.elapsed_us += run->elapsed_us;
}

/* Public API */

FulcrumLeverClient *
fulcrum_lever_client_new (FulcrumStore         *store,
                          FulcrumTokenManager  *tokens,
                          FulcrumLinkedAccount *account)
{
  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_TOKEN_MANAGER (tokens), NULL);
  g_return_val_if_fail (FULCRUM_IS_LINKED_ACCOUNT (account), NULL);

  return g_object_new (FULCRUM_TYPE_LEVER_CLIENT,
                       "store", store,
                       "tokens", tokens,
                       "account", account,
                       NULL);
}

FulcrumLinkedAccount *
fulcrum_lever_client_get_account (FulcrumLeverClient *self)
{
  g_return_val_if_fail (FULCRUM_IS_LEVER_CLIENT (self), NULL);

  return self->account;
}

FulcrumRateLimiter *
fulcrum_lever_client_get_rate_limiter (FulcrumLeverClient *self)
{
  g_return_val_if_fail (FULCRUM_IS_LEVER_CLIENT (self), NULL);

  return self->limiter;
}

void
fulcrum_lever_client_set_retry_policy (FulcrumLeverClient *self,
                                       guint               max_attempts,
                                       guint               base_delay_ms,
                                       guint               max_delay_ms)
{
  g_return_if_fail (FULCRUM_IS_LEVER_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
}

void
fulcrum_lever_client_set_timeout (FulcrumLeverClient *self,
                                  guint               seconds)
{
  g_return_if_fail (FULCRUM_IS_LEVER_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->timeout_s = seconds;
}

void
fulcrum_lever_client_set_concurrency (FulcrumLeverClient *self,
                                      guint               windows)
{
  g_return_if_fail (FULCRUM_IS_LEVER_CLIENT (self));

  self->concurrency = windows;
}

void
fulcrum_lever_client_get_stats (FulcrumLeverClient *self,
                                FulcrumLeverStats  *stats)
{
  g_return_if_fail (FULCRUM_IS_LEVER_CLIENT (self));
  g_return_if_fail (stats != NULL);

  *stats = self->stats;
}

static void
request_call_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  root = fulcrum_lever_client_call_finish (FULCRUM_LEVER_CLIENT (object), result, &error);
  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

void
fulcrum_lever_client_request_async (FulcrumLeverClient  *self,
                                    const char          *method,
                                    const char          *path,
                                    JsonNode            *body,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gboolean idempotent;

  g_return_if_fail (FULCRUM_IS_LEVER_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_lever_client_request_async);

  url = fulcrum_lever_client_resolve_url (self, path, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  idempotent = g_str_equal (method, "GET") || g_str_equal (method, "PUT") ||
               g_str_equal (method, "DELETE") || g_str_equal (method, "HEAD");
  fulcrum_lever_client_call_async (self, method, url, body, idempotent,
                                   FULCRUM_LEVER_ANSWER_TREE, FALSE, NULL, cancellable,
                                   request_call_cb, g_steal_pointer (&task));
}

JsonNode *
fulcrum_lever_client_request_finish (FulcrumLeverClient  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (FULCRUM_IS_LEVER_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fulcrum_lever_client_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Test connection */

static void
test_connection_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FulcrumLeverClient *self = FULCRUM_LEVER_CLIENT (object);
  FulcrumLinkedAccount *account = fulcrum_lever_client_get_account (self);
  FulcrumEnvironment *env;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 started = *(gint64 *) g_task_get_task_data (task);
  guint elapsed_ms = (guint) ((g_get_monotonic_time () - started) / 1000);
  const char *env_name;
  JsonNode *data;

  root = fulcrum_lever_client_call_finish (self, result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  env = fulcrum_store_find_environment (fulcrum_lever_client_get_store (self),
                                        fulcrum_linked_account_get_environment_id (account));
  env_name = env != NULL ? fulcrum_environment_get_name (env)
                         : fulcrum_linked_account_get_environment_id (account);
  data = json_object_get_member (json_node_get_object (root), "data");
  if (data != NULL && JSON_NODE_HOLDS_ARRAY (data) &&
      json_array_get_length (json_node_get_array (data)) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (data), 0)))
    {
      JsonObject *user = json_array_get_object_element (json_node_get_array (data), 0);
      const char *name = json_object_get_string_member_with_default (user, "name", "?");
      const char *role = json_object_get_string_member_with_default (user, "accessRole", "?");

      g_task_return_pointer (task,
                             g_strdup_printf (_("Connected to %s in %u ms. Users are readable "
                                                "(first: %s, %s)."),
                                              env_name, elapsed_ms, name, role),
                             g_free);
    }
  else
    g_task_return_pointer (task,
                           g_strdup_printf (_("Connected to %s in %u ms. No users are "
                                              "visible."), env_name, elapsed_ms),
                           g_free);
}

void
fulcrum_lever_client_test_connection_async (FulcrumLeverClient  *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 *started;

  g_return_if_fail (FULCRUM_IS_LEVER_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_lever_client_test_connection_async);
  started = g_new (gint64, 1);
  *started = g_get_monotonic_time ();
  g_task_set_task_data (task, started, g_free);

  url = fulcrum_lever_client_resolve_url (self, "/users?limit=1", &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fulcrum_lever_client_call_async (self, "GET", url, NULL, TRUE, FULCRUM_LEVER_ANSWER_TREE,
                                   FALSE, NULL, cancellable,
                                   test_connection_cb, g_steal_pointer (&task));
}

char *
fulcrum_lever_client_test_connection_finish (FulcrumLeverClient  *self,
                                             GAsyncResult        *result,
                                             GError             **error)
{
  g_return_val_if_fail (FULCRUM_IS_LEVER_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        fulcrum_lever_client_test_connection_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
