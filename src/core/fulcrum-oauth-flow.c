/* fulcrum-oauth-flow.c: one authorization-code flow with PKCE (RFC 8252, RFC 9700)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-oauth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-oauth-private.h"
#include "fulcrum-scopes.h"

typedef enum
{
  FLOW_NEW,         /* not started */
  FLOW_WAITING,     /* listening (or waiting for a pasted URL) */
  FLOW_EXCHANGING,  /* the code arrived; the token request is out */
  FLOW_DONE,        /* a result (tokens or an error) is known */
} FlowState;

struct _FulcrumOAuthFlow
{
  GObject                  parent_instance;

  FulcrumEnvironment      *environment;
  FulcrumConnectorProfile *profile;
  char                    *profile_id;
  char                    *client_secret;
  guint                    timeout_s;

  FlowState                flow_state;
  GMainContext            *context;

  /* Fixed at start, so that both requests carry the same values. */
  char                    *client_id;
  char                    *redirect_uri;
  char                    *token_url;
  char                    *authorize_url;
  GUri                    *issuer;
  char                    *verifier;
  char                    *state;

  FulcrumOAuthListener    *listener;
  GCancellable            *exchange_cancellable;

  GTask                   *wait_task;
  GSource                 *timeout_source;
  GSource                 *cancel_source;
  GSource                 *deliver_source;

  FulcrumTokenSet         *tokens;
  GError                  *error;
  char                    *refusal;   /* why the last refused answer was refused */
};

G_DEFINE_FINAL_TYPE (FulcrumOAuthFlow, fulcrum_oauth_flow, G_TYPE_OBJECT)

/* One flow per profile in the process: profile id → FulcrumOAuthFlow (not owned). */
G_LOCK_DEFINE_STATIC (registry);
static GHashTable *registry;

static void
registry_remove (FulcrumOAuthFlow *self)
{
  G_LOCK (registry);
  if (registry != NULL && g_hash_table_lookup (registry, self->profile_id) == self)
    g_hash_table_remove (registry, self->profile_id);
  G_UNLOCK (registry);
}

/* Returns the flow this one replaces, if any. */
static FulcrumOAuthFlow *
registry_replace (FulcrumOAuthFlow *self)
{
  FulcrumOAuthFlow *previous;

  G_LOCK (registry);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  previous = g_hash_table_lookup (registry, self->profile_id);
  if (previous != NULL)
    g_object_ref (previous);
  g_hash_table_replace (registry, g_strdup (self->profile_id), self);
  G_UNLOCK (registry);

  return previous;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GSource *
attach_source (FulcrumOAuthFlow *self,
               GSource          *source,
               GSourceFunc       func,
               const char       *name)
{
  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);
  return source;
}

static gboolean
deliver_cb (gpointer user_data)
{
  FulcrumOAuthFlow *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->wait_task);

  g_clear_pointer (&self->deliver_source, g_source_unref);
  clear_source (&self->cancel_source);

  if (self->error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&self->tokens),
                           (GDestroyNotify) fulcrum_token_set_free);

  return G_SOURCE_REMOVE;
}

/* Always from an idle: an answer can end the flow inside the listener's handler, and the
 * caller's callback must not run there. */
static void
schedule_delivery (FulcrumOAuthFlow *self)
{
  if (self->wait_task == NULL || self->deliver_source != NULL || self->flow_state != FLOW_DONE)
    return;

  self->deliver_source = attach_source (self, g_idle_source_new (), deliver_cb,
                                        "[fulcrum] oauth flow result");
}

static void
flow_finish (FulcrumOAuthFlow *self,
             FulcrumTokenSet  *tokens,
             GError           *error)
{
  g_assert ((tokens == NULL) != (error == NULL));

  if (self->flow_state == FLOW_DONE)
    {
      g_clear_pointer (&tokens, fulcrum_token_set_free);
      g_clear_error (&error);
      return;
    }

  self->flow_state = FLOW_DONE;
  self->tokens = tokens;
  self->error = error;

  clear_source (&self->timeout_source);
  g_cancellable_cancel (self->exchange_cancellable);
  if (self->listener != NULL)
    fulcrum_oauth_listener_close (self->listener);
  g_clear_pointer (&self->verifier, fulcrum_oauth_wipe_free);
  g_clear_pointer (&self->state, fulcrum_oauth_wipe_free);
  registry_remove (self);

  if (error != NULL)
    g_debug ("Link flow for profile “%s” ended: %s", self->profile_id, error->message);
  else
    g_debug ("Link flow for profile “%s” received tokens", self->profile_id);

  schedule_delivery (self);
}

static void
flow_fail (FulcrumOAuthFlow *self,
           GError           *error)
{
  flow_finish (self, NULL, error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  FulcrumOAuthFlow *self = user_data;
  g_autoptr(GString) message = g_string_new (NULL);

  g_clear_pointer (&self->timeout_source, g_source_unref);

  /* lever-api.md §5: a redirect URI Lever does not know leaves its window on "undefined". */
  g_string_printf (message,
                   _("Lever did not redirect back. Check that the callback URL registered with Lever is exactly %s."),
                   self->redirect_uri);
  if (self->refusal != NULL)
    {
      g_string_append_c (message, ' ');
      g_string_append_printf (message, _("Fulcrum also refused an answer: %s"), self->refusal);
    }

  flow_fail (self, g_error_new_literal (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_TIMEOUT,
                                        message->str));
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  FulcrumOAuthFlow *self = user_data;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  fulcrum_oauth_flow_cancel (self);

  return G_SOURCE_REMOVE;
}

/* Exchange */

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FulcrumOAuthFlow) self = user_data;
  g_autoptr(GError) error = NULL;
  FulcrumTokenSet *tokens;

  tokens = fulcrum_oauth_exchange_code_finish (result, &error);

  if (tokens != NULL)
    flow_finish (self, tokens, NULL);
  else
    flow_fail (self, g_steal_pointer (&error));
}

static void
exchange_code (FulcrumOAuthFlow *self,
               const char       *code)
{
  FulcrumOAuthCodeExchange request = {
    .token_url = self->token_url,
    .client_id = self->client_id,
    .client_secret = self->client_secret,
    .code = code,
    .redirect_uri = self->redirect_uri,
    .code_verifier = self->verifier,
  };

  self->flow_state = FLOW_EXCHANGING;
  clear_source (&self->timeout_source);
  /* The first valid answer ends the listening, whichever way it came. */
  if (self->listener != NULL)
    fulcrum_oauth_listener_close (self->listener);

  g_debug ("Link flow for profile “%s”: exchanging the code", self->profile_id);
  fulcrum_oauth_exchange_code_async (&request, self->exchange_cancellable, exchanged_cb,
                                     g_object_ref (self));
}

/* Answers */

static gboolean
issuer_matches (FulcrumOAuthFlow *self,
                const char       *iss)
{
  g_autoptr(GUri) uri = g_uri_parse (iss, G_URI_FLAGS_NONE, NULL);
  int port, expected_port;

  if (uri == NULL || self->issuer == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;

  port = g_uri_get_port (uri);
  expected_port = g_uri_get_port (self->issuer);

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (self->issuer)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (self->issuer)) == 0 &&
         port == expected_port;
}

static FulcrumOAuthCallbackResult
refuse (FulcrumOAuthFlow  *self,
        GError           **error,
        int                code,
        const char        *message)
{
  g_debug ("Link flow for profile “%s”: refused an answer: %s", self->profile_id, message);
  g_free (self->refusal);
  self->refusal = g_strdup (message);
  g_set_error_literal (error, FULCRUM_OAUTH_ERROR, code, message);
  return FULCRUM_OAUTH_CALLBACK_REFUSED;
}

static FulcrumOAuthCallbackResult
fail (FulcrumOAuthFlow  *self,
      GError           **error,
      GError            *reason)
{
  if (error != NULL)
    *error = g_error_copy (reason);
  flow_fail (self, reason);
  return FULCRUM_OAUTH_CALLBACK_FAILED;
}

/* The one place where an answer is judged, for the listener and for a pasted URL. The
 * state is checked before anything else; a refused answer leaves the flow waiting, so
 * that a stray or forged request cannot end it. */
static FulcrumOAuthCallbackResult
handle_redirect (FulcrumOAuthFlow            *self,
                 const FulcrumOAuthRedirect  *redirect,
                 GError                     **error)
{
  if (self->flow_state != FLOW_WAITING)
    return refuse (self, error, FULCRUM_OAUTH_ERROR_STATE_MISMATCH,
                   _("Fulcrum is not waiting for this answer: no link attempt that it belongs to is in progress."));

  if (redirect->malformed)
    return refuse (self, error, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                   _("The answer repeats a parameter or cannot be decoded."));

  if (redirect->state == NULL)
    return refuse (self, error, FULCRUM_OAUTH_ERROR_STATE_MISMATCH,
                   _("The answer carries no state, so it cannot be told apart from a forged one."));

  if (!fulcrum_oauth_secure_equal (redirect->state, self->state))
    return refuse (self, error, FULCRUM_OAUTH_ERROR_STATE_MISMATCH,
                   _("The answer does not belong to the link Fulcrum is waiting for (its state does not match)."));

  /* From here on the answer is this flow's, and it ends the flow either way. */
  if (redirect->iss != NULL && !issuer_matches (self, redirect->iss))
    {
      g_autofree char *expected = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (self->issuer),
                                              NULL, g_uri_get_host (self->issuer),
                                              g_uri_get_port (self->issuer), "/", NULL, NULL);

      return fail (self, error,
                   g_error_new (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_AUTHORIZATION,
                                _("The answer names another authorization server (%s) than %s’s (%s), so nothing was exchanged."),
                                redirect->iss, fulcrum_environment_get_name (self->environment),
                                expected));
    }

  if (redirect->error != NULL)
    return fail (self, error,
                 fulcrum_oauth_error_from_code (redirect->error, redirect->error_description));

  if (redirect->code == NULL || *redirect->code == '\0')
    return fail (self, error,
                 g_error_new_literal (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                                      _("Lever’s answer carries neither an authorization code nor an error.")));

  exchange_code (self, redirect->code);
  return FULCRUM_OAUTH_CALLBACK_ACCEPTED;
}

static FulcrumOAuthCallbackResult
listener_callback_cb (const FulcrumOAuthRedirect  *redirect,
                      char                       **message,
                      gpointer                     user_data)
{
  FulcrumOAuthFlow *self = user_data;
  g_autoptr(GError) error = NULL;
  FulcrumOAuthCallbackResult result;

  result = handle_redirect (self, redirect, &error);
  if (error != NULL)
    *message = g_strdup (error->message);

  return result;
}

/* GObject */

static void
fulcrum_oauth_flow_dispose (GObject *object)
{
  FulcrumOAuthFlow *self = (FulcrumOAuthFlow *) object;

  registry_remove (self);
  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  clear_source (&self->deliver_source);
  g_cancellable_cancel (self->exchange_cancellable);
  g_clear_object (&self->listener);

  G_OBJECT_CLASS (fulcrum_oauth_flow_parent_class)->dispose (object);
}

static void
fulcrum_oauth_flow_finalize (GObject *object)
{
  FulcrumOAuthFlow *self = (FulcrumOAuthFlow *) object;

  g_assert (self->wait_task == NULL);

  g_clear_object (&self->environment);
  g_clear_object (&self->profile);
  g_clear_object (&self->exchange_cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->client_secret, fulcrum_oauth_wipe_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->redirect_uri, g_free);
  g_clear_pointer (&self->token_url, g_free);
  g_clear_pointer (&self->authorize_url, g_free);
  g_clear_pointer (&self->issuer, g_uri_unref);
  g_clear_pointer (&self->verifier, fulcrum_oauth_wipe_free);
  g_clear_pointer (&self->state, fulcrum_oauth_wipe_free);
  g_clear_pointer (&self->tokens, fulcrum_token_set_free);
  g_clear_pointer (&self->refusal, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (fulcrum_oauth_flow_parent_class)->finalize (object);
}

static void
fulcrum_oauth_flow_class_init (FulcrumOAuthFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fulcrum_oauth_flow_dispose;
  object_class->finalize = fulcrum_oauth_flow_finalize;
}

static void
fulcrum_oauth_flow_init (FulcrumOAuthFlow *self)
{
  self->timeout_s = FULCRUM_OAUTH_FLOW_DEFAULT_TIMEOUT_S;
  self->exchange_cancellable = g_cancellable_new ();
}

/* Public API */

FulcrumOAuthFlow *
fulcrum_oauth_flow_new (FulcrumEnvironment      *environment,
                        FulcrumConnectorProfile *profile,
                        const char              *client_secret)
{
  FulcrumOAuthFlow *self;

  g_return_val_if_fail (FULCRUM_IS_ENVIRONMENT (environment), NULL);
  g_return_val_if_fail (FULCRUM_IS_CONNECTOR_PROFILE (profile), NULL);

  self = g_object_new (FULCRUM_TYPE_OAUTH_FLOW, NULL);
  self->environment = g_object_ref (environment);
  self->profile = g_object_ref (profile);
  self->profile_id = g_strdup (fulcrum_connector_profile_get_id (profile));
  self->client_secret = g_strdup (client_secret);

  return self;
}

void
fulcrum_oauth_flow_set_timeout (FulcrumOAuthFlow *self,
                                guint             seconds)
{
  g_return_if_fail (FULCRUM_IS_OAUTH_FLOW (self));

  self->timeout_s = MAX (seconds, 1);
}

static gboolean
is_blank (const char *str)
{
  return str == NULL || *str == '\0';
}

static gboolean
is_loopback_uri (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 &&
         (g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0) &&
         g_uri_get_port (uri) > 0;
}

static gboolean
check_configuration (FulcrumOAuthFlow  *self,
                     GError           **error)
{
  const char *name = fulcrum_connector_profile_get_name (self->profile);
  const char *environment_name = fulcrum_environment_get_name (self->environment);
  g_autoptr(GError) local_error = NULL;

  if (is_blank (name))
    name = self->profile_id;

  if (g_strcmp0 (fulcrum_connector_profile_get_environment_id (self->profile),
                 fulcrum_environment_get_id (self->environment)) != 0)
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                   _("The profile “%s” belongs to another environment than %s"),
                   name, environment_name);
      return FALSE;
    }

  if (is_blank (fulcrum_connector_profile_get_client_id (self->profile)))
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                   _("The profile “%s” has no client ID. Copy it from the app registered with Lever."),
                   name);
      return FALSE;
    }

  if (is_blank (self->client_secret))
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                   _("The profile “%s” has no client secret. Add it before linking an account."),
                   name);
      return FALSE;
    }

  if (is_blank (fulcrum_environment_get_authorize_url (self->environment)) ||
      is_blank (fulcrum_environment_get_token_url (self->environment)) ||
      is_blank (fulcrum_environment_get_audience (self->environment)))
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                   _("The environment %s needs an authorize URL, a token URL and an audience"),
                   environment_name);
      return FALSE;
    }

  if (!fulcrum_connector_profile_check_redirect_uri (fulcrum_connector_profile_get_redirect_uri (self->profile),
                                                     &local_error))
    {
      g_set_error_literal (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                           local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
append_query_param (GString    *url,
                    const char *name,
                    const char *value)
{
  g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append_uri_escaped (url, value, NULL, FALSE);
}

static char *
build_authorize_url (FulcrumOAuthFlow *self)
{
  g_autofree char *scope = fulcrum_scopes_to_string (fulcrum_connector_profile_get_scopes (self->profile));
  g_autofree char *challenge = fulcrum_oauth_challenge_s256 (self->verifier);
  GString *url = g_string_new (fulcrum_environment_get_authorize_url (self->environment));

  /* lever-api.md §2; the audience keeps its trailing slash. */
  append_query_param (url, "client_id", self->client_id);
  append_query_param (url, "redirect_uri", self->redirect_uri);
  append_query_param (url, "response_type", "code");
  append_query_param (url, "state", self->state);
  append_query_param (url, "audience", fulcrum_environment_get_audience (self->environment));
  append_query_param (url, "scope", scope);
  append_query_param (url, "prompt", "consent");
  append_query_param (url, "code_challenge", challenge);
  append_query_param (url, "code_challenge_method", "S256");

  return g_string_free (url, FALSE);
}

gboolean
fulcrum_oauth_flow_start (FulcrumOAuthFlow  *self,
                          GError           **error)
{
  g_autoptr(FulcrumOAuthFlow) previous = NULL;
  g_autoptr(GUri) redirect = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *authorize_url = NULL;

  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), FALSE);

  if (self->flow_state != FLOW_NEW)
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                   _("This link attempt was already started; start a new one"));
      return FALSE;
    }

  if (!check_configuration (self, error))
    return FALSE;

  self->context = g_main_context_ref_thread_default ();
  self->client_id = g_strdup (fulcrum_connector_profile_get_client_id (self->profile));
  self->redirect_uri = g_strdup (fulcrum_connector_profile_get_redirect_uri (self->profile));
  self->token_url = g_strdup (fulcrum_environment_get_token_url (self->environment));
  self->issuer = g_uri_parse (fulcrum_environment_get_authorize_url (self->environment),
                              G_URI_FLAGS_NONE, NULL);

  if (!(self->verifier = fulcrum_oauth_random_token (FULCRUM_OAUTH_VERIFIER_BYTES, &local_error)) ||
      !(self->state = fulcrum_oauth_random_token (FULCRUM_OAUTH_STATE_BYTES, &local_error)))
    {
      flow_fail (self, g_error_copy (local_error));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  authorize_url = build_authorize_url (self);

  /* The previous flow of this profile gives up its listener (and its port) first. */
  previous = registry_replace (self);
  if (previous != NULL && previous != self)
    {
      g_debug ("A new link flow for profile “%s” replaces the previous one", self->profile_id);
      flow_fail (previous, g_error_new_literal (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED,
                                                _("A new link was started for this profile, so this one was cancelled")));
    }

  self->flow_state = FLOW_WAITING;

  redirect = g_uri_parse (self->redirect_uri, G_URI_FLAGS_NONE, NULL);
  if (redirect != NULL && is_loopback_uri (redirect))
    {
      self->listener = fulcrum_oauth_listener_new (redirect, listener_callback_cb, self);
      if (!fulcrum_oauth_listener_listen (self->listener, &local_error))
        {
          flow_fail (self, g_error_copy (local_error));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  /* Only now: a flow that cannot receive the answer has nothing to open. */
  self->authorize_url = g_steal_pointer (&authorize_url);
  g_debug ("Link flow for profile “%s” started; redirect URI %s", self->profile_id,
           self->redirect_uri);

  return TRUE;
}

const char *
fulcrum_oauth_flow_get_authorize_url (FulcrumOAuthFlow *self)
{
  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), NULL);

  return self->authorize_url;
}

const char *
fulcrum_oauth_flow_get_redirect_uri (FulcrumOAuthFlow *self)
{
  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), NULL);

  if (self->redirect_uri != NULL)
    return self->redirect_uri;

  return fulcrum_connector_profile_get_redirect_uri (self->profile);
}

gboolean
fulcrum_oauth_flow_get_uses_loopback (FulcrumOAuthFlow *self)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), FALSE);

  uri = g_uri_parse (fulcrum_oauth_flow_get_redirect_uri (self), G_URI_FLAGS_NONE, NULL);

  return uri != NULL && is_loopback_uri (uri);
}

void
fulcrum_oauth_flow_wait_async (FulcrumOAuthFlow    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FULCRUM_IS_OAUTH_FLOW (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fulcrum_oauth_flow_wait_async);
  /* A cancelled wait reports FULCRUM_OAUTH_ERROR_CANCELLED, not GIO's error. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->flow_state == FLOW_NEW || self->wait_task != NULL ||
      (self->flow_state == FLOW_DONE && self->tokens == NULL && self->error == NULL))
    {
      g_task_return_new_error (task, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                               self->flow_state == FLOW_NEW ? _("The link attempt was not started")
                               : self->wait_task != NULL ? _("Something already waits for this link attempt")
                               : _("This link attempt already ended"));
      return;
    }

  if (self->context == NULL)
    self->context = g_main_context_ref_thread_default ();

  if (g_cancellable_is_cancelled (cancellable))
    fulcrum_oauth_flow_cancel (self);

  self->wait_task = g_steal_pointer (&task);

  if (self->flow_state == FLOW_DONE)
    {
      schedule_delivery (self);
      return;
    }

  if (self->flow_state == FLOW_WAITING && self->timeout_source == NULL)
    self->timeout_source = attach_source (self, g_timeout_source_new_seconds (self->timeout_s),
                                          timeout_cb, "[fulcrum] oauth flow timeout");

  if (cancellable != NULL)
    self->cancel_source = attach_source (self, g_cancellable_source_new (cancellable),
                                         G_SOURCE_FUNC (wait_cancelled_cb),
                                         "[fulcrum] oauth flow cancel");
}

FulcrumTokenSet *
fulcrum_oauth_flow_wait_finish (FulcrumOAuthFlow  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fulcrum_oauth_flow_wait_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
same_endpoint (GUri *a,
               GUri *b)
{
  g_autofree char *path_a = g_uri_unescape_string (g_uri_get_path (a), NULL);
  g_autofree char *path_b = g_uri_unescape_string (g_uri_get_path (b), NULL);

  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b) &&
         path_a != NULL && g_strcmp0 (path_a, path_b) == 0;
}

gboolean
fulcrum_oauth_flow_submit_redirect_url (FulcrumOAuthFlow  *self,
                                        const char        *url,
                                        GError           **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GUri) pasted = NULL;
  g_autoptr(GUri) expected = NULL;
  g_autoptr(FulcrumOAuthRedirect) redirect = NULL;

  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (url));
  if (strlen (trimmed) > FULCRUM_OAUTH_MAX_REDIRECT_LENGTH)
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                   _("The pasted address is far longer than any answer from Lever"));
      return FALSE;
    }

  pasted = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED_QUERY, NULL);
  expected = g_uri_parse (fulcrum_oauth_flow_get_redirect_uri (self), G_URI_FLAGS_NONE, NULL);
  if (pasted == NULL || expected == NULL || !same_endpoint (pasted, expected))
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                   _("This is not the address Lever sent the browser to: it should start with %s"),
                   fulcrum_oauth_flow_get_redirect_uri (self));
      return FALSE;
    }

  redirect = fulcrum_oauth_redirect_parse (g_uri_get_query (pasted));
  explicit_bzero (trimmed, strlen (trimmed));
  if (fulcrum_oauth_redirect_is_empty (redirect))
    {
      g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_INVALID_RESPONSE,
                   _("The pasted address carries no answer from Lever (no code, state or error). Copy the whole address from the browser."));
      return FALSE;
    }

  return handle_redirect (self, redirect, error) == FULCRUM_OAUTH_CALLBACK_ACCEPTED;
}

void
fulcrum_oauth_flow_cancel (FulcrumOAuthFlow *self)
{
  g_return_if_fail (FULCRUM_IS_OAUTH_FLOW (self));

  if (self->flow_state == FLOW_DONE)
    return;

  flow_fail (self, g_error_new_literal (FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_CANCELLED,
                                        _("The link was cancelled")));
}

FulcrumEnvironment *
fulcrum_oauth_flow_get_environment (FulcrumOAuthFlow *self)
{
  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), NULL);

  return self->environment;
}

FulcrumConnectorProfile *
fulcrum_oauth_flow_get_profile (FulcrumOAuthFlow *self)
{
  g_return_val_if_fail (FULCRUM_IS_OAUTH_FLOW (self), NULL);

  return self->profile;
}
