/* fulcrum-sim-server-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-scopes.h"
#include "fulcrum-sim-private.h"

/* The settings of FulcrumSimServer. Each takes the lock: the GUI changes them while the
 * server thread answers requests. */

#define LOCK(self) \
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(self)->mutex)

static void
notify (FulcrumSimServer *self,
        guint             prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), fulcrum_sim_server_properties[prop]);
}

guint64
fulcrum_sim_server_get_seed (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->seed;
}

void
fulcrum_sim_server_set_seed (FulcrumSimServer *self,
                             guint64           seed)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  g_mutex_lock (&self->mutex);
  if (self->seed == seed)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->seed = seed;
  self->data_stale = TRUE;
  g_mutex_unlock (&self->mutex);
  notify (self, FULCRUM_SIM_SERVER_PROP_SEED);
}

guint
fulcrum_sim_server_get_n_opportunities (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->n_opportunities;
}

void
fulcrum_sim_server_set_n_opportunities (FulcrumSimServer *self,
                                        guint             n_opportunities)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  g_mutex_lock (&self->mutex);
  if (self->n_opportunities == n_opportunities)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->n_opportunities = n_opportunities;
  self->data_stale = TRUE;
  g_mutex_unlock (&self->mutex);
  notify (self, FULCRUM_SIM_SERVER_PROP_N_OPPORTUNITIES);
}

guint
fulcrum_sim_server_get_latency_base_ms (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->latency_base_ms;
}

double
fulcrum_sim_server_get_latency_per_record_ms (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->latency_per_record_ms;
}

void
fulcrum_sim_server_set_latency (FulcrumSimServer *self,
                                guint             base_ms,
                                double            per_record_ms)
{
  gboolean base_changed, per_record_changed;

  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));
  g_return_if_fail (per_record_ms >= 0.0);

  g_mutex_lock (&self->mutex);
  base_changed = self->latency_base_ms != base_ms;
  per_record_changed = self->latency_per_record_ms != per_record_ms;
  self->latency_base_ms = base_ms;
  self->latency_per_record_ms = per_record_ms;
  g_mutex_unlock (&self->mutex);

  if (base_changed)
    notify (self, FULCRUM_SIM_SERVER_PROP_LATENCY_BASE_MS);
  if (per_record_changed)
    notify (self, FULCRUM_SIM_SERVER_PROP_LATENCY_PER_RECORD_MS);
}

gboolean
fulcrum_sim_server_get_rate_limit_enabled (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), FALSE);
  return self->rate_limit_enabled;
}

double
fulcrum_sim_server_get_rate_limit (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->rate_limit;
}

guint
fulcrum_sim_server_get_rate_burst (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->rate_burst;
}

void
fulcrum_sim_server_set_rate_limit (FulcrumSimServer *self,
                                   gboolean          enabled,
                                   double            rate,
                                   guint             burst)
{
  gboolean enabled_changed, rate_changed, burst_changed;

  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));
  g_return_if_fail (rate > 0.0);
  g_return_if_fail (burst >= 1);

  g_mutex_lock (&self->mutex);
  enabled_changed = self->rate_limit_enabled != !!enabled;
  rate_changed = self->rate_limit != rate;
  burst_changed = self->rate_burst != burst;
  self->rate_limit_enabled = !!enabled;
  self->rate_limit = rate;
  self->rate_burst = burst;
  g_mutex_unlock (&self->mutex);

  if (enabled_changed)
    notify (self, FULCRUM_SIM_SERVER_PROP_RATE_LIMIT_ENABLED);
  if (rate_changed)
    notify (self, FULCRUM_SIM_SERVER_PROP_RATE_LIMIT);
  if (burst_changed)
    notify (self, FULCRUM_SIM_SERVER_PROP_RATE_BURST);
}

gboolean
fulcrum_sim_server_get_retry_after (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), FALSE);
  return self->retry_after;
}

void
fulcrum_sim_server_set_retry_after (FulcrumSimServer *self,
                                    gboolean          retry_after)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  g_mutex_lock (&self->mutex);
  if (self->retry_after == !!retry_after)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->retry_after = !!retry_after;
  g_mutex_unlock (&self->mutex);
  notify (self, FULCRUM_SIM_SERVER_PROP_RETRY_AFTER);
}

double
fulcrum_sim_server_get_fault_rate (FulcrumSimServer *self,
                                   FulcrumSimFault   fault)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0.0);
  g_return_val_if_fail (fault < FULCRUM_SIM_N_FAULTS, 0.0);

  {
    LOCK (self);
    return self->fault_rates[fault];
  }
}

void
fulcrum_sim_server_set_fault_rate (FulcrumSimServer *self,
                                   FulcrumSimFault   fault,
                                   double            rate)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));
  g_return_if_fail (fault < FULCRUM_SIM_N_FAULTS);
  g_return_if_fail (rate >= 0.0 && rate <= 1.0);

  {
    LOCK (self);
    self->fault_rates[fault] = rate;
  }
}

guint
fulcrum_sim_server_get_drip_ms (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->drip_ms;
}

void
fulcrum_sim_server_set_drip_ms (FulcrumSimServer *self,
                                guint             drip_ms)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));
  g_return_if_fail (drip_ms >= 1);

  g_mutex_lock (&self->mutex);
  if (self->drip_ms == drip_ms)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->drip_ms = drip_ms;
  g_mutex_unlock (&self->mutex);
  notify (self, FULCRUM_SIM_SERVER_PROP_DRIP_MS);
}

gint64
fulcrum_sim_server_get_access_token_lifetime (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  return self->token_lifetime;
}

void
fulcrum_sim_server_set_access_token_lifetime (FulcrumSimServer *self,
                                              gint64            seconds)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));
  g_return_if_fail (seconds > 0);

  g_mutex_lock (&self->mutex);
  if (self->token_lifetime == seconds)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->token_lifetime = seconds;
  g_mutex_unlock (&self->mutex);
  notify (self, FULCRUM_SIM_SERVER_PROP_ACCESS_TOKEN_LIFETIME);
}

const char *
fulcrum_sim_server_get_key_id (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), NULL);
  return self->key_id;
}

static gboolean
key_id_is_valid (const char *key_id)
{
  if (key_id == NULL || key_id[0] == '\0' || strlen (key_id) > 64)
    return FALSE;
  for (const char *p = key_id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

void
fulcrum_sim_server_set_key_id (FulcrumSimServer *self,
                               const char       *key_id)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));
  /* NULL means "keep the default"; the id goes into tokens between underscores */
  g_return_if_fail (key_id == NULL || key_id_is_valid (key_id));

  if (key_id == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->key_id_explicit = TRUE;
  if (g_strcmp0 (self->key_id, key_id) == 0)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  g_free (self->key_id);
  self->key_id = g_strdup (key_id);
  g_mutex_unlock (&self->mutex);
  notify (self, FULCRUM_SIM_SERVER_PROP_KEY_ID);
}

const char *
fulcrum_sim_server_get_organization (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), NULL);
  return self->organization;
}

void
fulcrum_sim_server_set_organization (FulcrumSimServer *self,
                                     const char       *organization)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  if (organization == NULL)
    organization = FULCRUM_SIM_DEFAULT_ORGANIZATION;

  g_mutex_lock (&self->mutex);
  if (g_strcmp0 (self->organization, organization) == 0)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  g_free (self->organization);
  self->organization = g_strdup (organization);
  g_mutex_unlock (&self->mutex);
  notify (self, FULCRUM_SIM_SERVER_PROP_ORGANIZATION);
}

void
fulcrum_sim_server_advance_clock (FulcrumSimServer *self,
                                  gint64            seconds)
{
  fulcrum_sim_server_advance_clock_ms (self, seconds * 1000);
}

void
fulcrum_sim_server_advance_clock_ms (FulcrumSimServer *self,
                                     gint64            ms)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  {
    LOCK (self);
    self->clock_offset_us += ms * 1000;
  }
}

gboolean
fulcrum_sim_server_get_manual_clock (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), FALSE);
  return self->manual_clock;
}

void
fulcrum_sim_server_set_manual_clock (FulcrumSimServer *self,
                                     gboolean          manual_clock)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  g_mutex_lock (&self->mutex);
  if (self->manual_clock == !!manual_clock)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  /* the clock neither jumps when frozen nor when thawed */
  if (manual_clock)
    self->manual_base_us = g_get_real_time ();
  else
    self->clock_offset_us += self->manual_base_us - g_get_real_time ();
  self->manual_clock = !!manual_clock;
  g_mutex_unlock (&self->mutex);
  notify (self, FULCRUM_SIM_SERVER_PROP_MANUAL_CLOCK);
}

gint64
fulcrum_sim_server_get_now_ms (FulcrumSimServer *self)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);

  {
    LOCK (self);
    return fulcrum_sim_server_now_us (self) / 1000;
  }
}

/* Apps */

void
fulcrum_sim_server_add_app (FulcrumSimServer   *self,
                            const char         *client_id,
                            const char         *client_secret,
                            const char * const *redirect_uris,
                            const char * const *allowed_scopes)
{
  FulcrumSimApp *app;
  FulcrumSimApp *old;

  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));
  g_return_if_fail (client_id != NULL && client_id[0] != '\0');
  g_return_if_fail (client_secret != NULL && client_secret[0] != '\0');
  g_return_if_fail (redirect_uris != NULL);

  app = g_new0 (FulcrumSimApp, 1);
  app->client_id = g_strdup (client_id);
  app->secret_hash = fulcrum_sim_hash_token (client_secret);
  app->redirect_uris = g_strdupv ((char **) redirect_uris);
  app->allowed_scopes = g_strdupv ((char **) allowed_scopes);

  {
    LOCK (self);
    old = g_hash_table_lookup (self->auth->apps, client_id);
    app->name = g_strdup (old != NULL ? old->name : client_id);
    g_hash_table_replace (self->auth->apps, app->client_id, app);
    fulcrum_sim_server_queue_save_state (self);
  }
}

void
fulcrum_sim_server_set_app_name (FulcrumSimServer *self,
                                 const char       *client_id,
                                 const char       *name)
{
  FulcrumSimApp *app;

  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (name != NULL);

  {
    LOCK (self);
    app = g_hash_table_lookup (self->auth->apps, client_id);
    g_return_if_fail (app != NULL);
    g_free (app->name);
    app->name = g_strdup (name);
    fulcrum_sim_server_queue_save_state (self);
  }
}

gboolean
fulcrum_sim_server_has_app (FulcrumSimServer *self,
                            const char       *client_id)
{
  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);

  {
    LOCK (self);
    return g_hash_table_contains (self->auth->apps, client_id);
  }
}

guint
fulcrum_sim_server_revoke_app (FulcrumSimServer *self,
                               const char       *client_id)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (FULCRUM_IS_SIM_SERVER (self), 0);
  g_return_val_if_fail (client_id != NULL, 0);

  {
    LOCK (self);
    g_hash_table_iter_init (&iter, self->auth->families);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        FulcrumSimFamily *family = value;

        if (strcmp (family->client_id, client_id) == 0 &&
            fulcrum_sim_auth_revoke_family (self->auth, family))
          n++;
      }
    self->stats.families_revoked += n;
    fulcrum_sim_server_queue_save_state (self);
  }
  return n;
}

void
fulcrum_sim_server_set_state_file (FulcrumSimServer *self,
                                   const char       *path)
{
  g_return_if_fail (FULCRUM_IS_SIM_SERVER (self));

  {
    LOCK (self);
    if (g_strcmp0 (self->state_file, path) != 0)
      self->state_loaded = FALSE;
    g_free (self->state_file);
    self->state_file = g_strdup (path);
  }
}
