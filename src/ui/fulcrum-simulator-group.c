/* fulcrum-simulator-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-simulator-group"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-sim-builtin.h"
#include "fulcrum-simulator-group.h"
#include "fulcrum-ui-util.h"

/* "429 storm": a bucket so small that nearly every request is refused. */
#define STORM_RATE  0.1
#define STORM_BURST 1

typedef enum
{
  SIMULATOR_IDLE,
  SIMULATOR_STARTING,
  /* This process runs it: the switches act on it. */
  SIMULATOR_RUNNING_HERE,
  /* Another Fulcrum process (a window, or `fulcrumctl sim serve`) runs it. */
  SIMULATOR_RUNNING_ELSEWHERE,
  SIMULATOR_FAILED,
} SimulatorState;

struct _FulcrumSimulatorGroup
{
  AdwPreferencesGroup  parent_instance;

  FulcrumStore        *store;
  FulcrumSecretStore  *secrets;
  GCancellable        *cancellable;
  SimulatorState       state;
  char                *error_message;
  guint                updating;
  guint                creating : 1;
  /* A switch was touched before the simulator ran: apply the switches once it does. */
  guint                apply_pending : 1;

  AdwActionRow        *status_row;
  GtkSpinner          *status_spinner;
  GtkWidget           *start_button;
  AdwActionRow        *client_id_row;
  AdwActionRow        *callback_row;
  GtkWidget           *create_profile_button;
  GtkSpinner          *create_spinner;
  GtkWidget           *behaviour_list;
  AdwActionRow        *rate_limit_row;
  GtkSwitch           *rate_limit_switch;
  GtkSwitch           *storm_switch;
  AdwActionRow        *latency_row;
  GtkSwitch           *latency_switch;
  AdwComboRow         *fault_500_row;
  AdwComboRow         *fault_html_row;
  AdwComboRow         *fault_truncated_row;
  AdwComboRow         *fault_reset_row;
};

G_DEFINE_FINAL_TYPE (FulcrumSimulatorGroup, fulcrum_simulator_group, ADW_TYPE_PREFERENCES_GROUP)

/* The choices of the fault rows, in the order of the "rates" string list. */
static const double fault_rates[] = { 0.0, 0.05, 0.2, 0.5, 1.0 };

static FulcrumEnvironment *
simulator_environment (FulcrumSimulatorGroup *self)
{
  if (self->store == NULL)
    return NULL;

  return fulcrum_store_find_environment (self->store, FULCRUM_ENVIRONMENT_ID_SIMULATOR);
}

static guint
rate_position (double rate)
{
  guint best = 0;

  for (guint i = 1; i < G_N_ELEMENTS (fault_rates); i++)
    if (ABS (fault_rates[i] - rate) < ABS (fault_rates[best] - rate))
      best = i;

  return best;
}

static double
row_rate (AdwComboRow *row)
{
  guint selected = adw_combo_row_get_selected (row);

  return selected < G_N_ELEMENTS (fault_rates) ? fault_rates[selected] : 0.0;
}

static void
update_status (FulcrumSimulatorGroup *self)
{
  FulcrumEnvironment *environment = simulator_environment (self);
  FulcrumSimServer *server = fulcrum_sim_builtin_get_server ();
  g_autofree char *subtitle = NULL;
  const char *base = environment ? fulcrum_environment_get_api_base (environment) : "";

  switch (self->state)
    {
    case SIMULATOR_IDLE:
      subtitle = g_strdup (_("Not running; it starts when a link or a request needs it"));
      break;

    case SIMULATOR_STARTING:
      subtitle = g_strdup (_("Starting…"));
      break;

    case SIMULATOR_RUNNING_HERE:
      /* Translators: the simulator's address, e.g. http://127.0.0.1:47800 */
      subtitle = g_strdup_printf (_("Running at %s"),
                                  server ? fulcrum_sim_server_get_base_url (server) : base);
      break;

    case SIMULATOR_RUNNING_ELSEWHERE:
      subtitle = g_strdup_printf (_("Running in another Fulcrum process (%s); its behaviour "
                                    "is set there"), base);
      break;

    case SIMULATOR_FAILED:
    default:
      subtitle = g_strdup (self->error_message ? self->error_message : _("Could not start"));
      break;
    }

  adw_action_row_set_subtitle (self->status_row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), self->state == SIMULATOR_STARTING);
  gtk_spinner_set_spinning (self->status_spinner, self->state == SIMULATOR_STARTING);
  gtk_widget_set_visible (self->start_button,
                          self->state == SIMULATOR_IDLE || self->state == SIMULATOR_FAILED);
  gtk_button_set_label (GTK_BUTTON (self->start_button),
                        self->state == SIMULATOR_FAILED ? _("_Try Again") : _("_Start"));
  gtk_widget_set_sensitive (self->behaviour_list,
                            self->state != SIMULATOR_RUNNING_ELSEWHERE &&
                            self->state != SIMULATOR_STARTING);
}

/* The switches show what the simulator does now. */
static void
read_behaviour (FulcrumSimulatorGroup *self)
{
  FulcrumSimServer *server = fulcrum_sim_builtin_get_server ();
  gboolean limited, storm;

  if (server == NULL)
    return;

  limited = fulcrum_sim_server_get_rate_limit_enabled (server);
  storm = limited && fulcrum_sim_server_get_rate_limit (server) <= STORM_RATE;

  self->updating++;
  gtk_switch_set_active (self->storm_switch, storm);
  gtk_switch_set_active (self->rate_limit_switch, limited);
  gtk_switch_set_active (self->latency_switch,
                         fulcrum_sim_server_get_latency_base_ms (server) > 0 ||
                         fulcrum_sim_server_get_latency_per_record_ms (server) > 0);
  adw_combo_row_set_selected (self->fault_500_row,
    rate_position (fulcrum_sim_server_get_fault_rate (server, FULCRUM_SIM_FAULT_500)));
  adw_combo_row_set_selected (self->fault_html_row,
    rate_position (fulcrum_sim_server_get_fault_rate (server, FULCRUM_SIM_FAULT_HTML)));
  adw_combo_row_set_selected (self->fault_truncated_row,
    rate_position (fulcrum_sim_server_get_fault_rate (server, FULCRUM_SIM_FAULT_TRUNCATED)));
  adw_combo_row_set_selected (self->fault_reset_row,
    rate_position (fulcrum_sim_server_get_fault_rate (server, FULCRUM_SIM_FAULT_RESET)));
  self->updating--;

  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_limit_row), !storm);
}

static void
apply_behaviour (FulcrumSimulatorGroup *self)
{
  FulcrumSimServer *server = fulcrum_sim_builtin_get_server ();
  FulcrumEnvironment *environment = simulator_environment (self);
  gboolean storm = gtk_switch_get_active (self->storm_switch);

  g_assert (server != NULL);

  /* Every setter is thread-safe and acts on the next request. */
  if (storm)
    fulcrum_sim_server_set_rate_limit (server, TRUE, STORM_RATE, STORM_BURST);
  else
    fulcrum_sim_server_set_rate_limit (server, gtk_switch_get_active (self->rate_limit_switch),
                                       environment ? fulcrum_environment_get_rate_limit (environment)
                                                   : FULCRUM_LEVER_RATE_LIMIT,
                                       environment ? fulcrum_environment_get_rate_burst (environment)
                                                   : FULCRUM_LEVER_RATE_BURST);

  if (gtk_switch_get_active (self->latency_switch))
    fulcrum_sim_server_set_latency (server, FULCRUM_SIM_DEFAULT_LATENCY_BASE_MS,
                                    FULCRUM_SIM_DEFAULT_LATENCY_PER_RECORD_MS);
  else
    fulcrum_sim_server_set_latency (server, 0, 0.0);

  fulcrum_sim_server_set_fault_rate (server, FULCRUM_SIM_FAULT_500, row_rate (self->fault_500_row));
  fulcrum_sim_server_set_fault_rate (server, FULCRUM_SIM_FAULT_HTML,
                                     row_rate (self->fault_html_row));
  fulcrum_sim_server_set_fault_rate (server, FULCRUM_SIM_FAULT_TRUNCATED,
                                     row_rate (self->fault_truncated_row));
  fulcrum_sim_server_set_fault_rate (server, FULCRUM_SIM_FAULT_RESET,
                                     row_rate (self->fault_reset_row));
}

static void
behaviour_changed_cb (FulcrumSimulatorGroup *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_limit_row),
                            !gtk_switch_get_active (self->storm_switch));

  if (self->updating > 0)
    return;

  switch (self->state)
    {
    case SIMULATOR_RUNNING_HERE:
      apply_behaviour (self);
      break;

    case SIMULATOR_IDLE:
    case SIMULATOR_FAILED:
      /* The switches act on a running simulator: this is when the page needs one. */
      self->apply_pending = TRUE;
      fulcrum_simulator_group_start (self);
      break;

    case SIMULATOR_STARTING:
      self->apply_pending = TRUE;
      break;

    case SIMULATOR_RUNNING_ELSEWHERE:
    default:
      break;
    }
}

/* Started elsewhere in this process (a link, a refresh), or stopped: show it. */
static void
sync_state (FulcrumSimulatorGroup *self)
{
  FulcrumSimServer *server = fulcrum_sim_builtin_get_server ();
  gboolean running = server != NULL && fulcrum_sim_server_is_running (server);

  if (self->state == SIMULATOR_STARTING)
    return;

  if (running)
    {
      self->state = SIMULATOR_RUNNING_HERE;
      read_behaviour (self);
    }
  else if (self->state == SIMULATOR_RUNNING_HERE)
    self->state = SIMULATOR_IDLE;

  update_status (self);
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FulcrumSimulatorGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fulcrum_sim_builtin_ensure_running_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_free (self->error_message);
      self->error_message = g_strdup (error->message);
      self->state = SIMULATOR_FAILED;
      self->apply_pending = FALSE;
      update_status (self);
      return;
    }

  self->state = fulcrum_sim_builtin_get_server () != NULL ? SIMULATOR_RUNNING_HERE
                                                          : SIMULATOR_RUNNING_ELSEWHERE;
  if (self->state == SIMULATOR_RUNNING_HERE && self->apply_pending)
    apply_behaviour (self);
  else
    read_behaviour (self);
  self->apply_pending = FALSE;
  update_status (self);
}

static void
start_clicked_cb (FulcrumSimulatorGroup *self)
{
  fulcrum_simulator_group_start (self);
}

static void
mapped_cb (FulcrumSimulatorGroup *self)
{
  sync_state (self);
}

static void
copy_client_id_cb (FulcrumSimulatorGroup *self)
{
  fulcrum_ui_copy_text (GTK_WIDGET (self), FULCRUM_SIM_BUILTIN_CLIENT_ID);
}

static void
copy_callback_cb (FulcrumSimulatorGroup *self)
{
  g_autofree char *uri = fulcrum_sim_builtin_dup_redirect_uri ();

  fulcrum_ui_copy_text (GTK_WIDGET (self), uri);
}

static void
set_creating (FulcrumSimulatorGroup *self,
              gboolean               creating)
{
  self->creating = !!creating;
  gtk_widget_set_visible (GTK_WIDGET (self->create_spinner), creating);
  gtk_spinner_set_spinning (self->create_spinner, creating);
  gtk_widget_set_sensitive (self->create_profile_button,
                            !creating && self->store != NULL &&
                            !fulcrum_store_get_read_only (self->store));
}

static void
profile_created_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FulcrumSimulatorGroup) self = user_data;
  g_autoptr(FulcrumConnectorProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  profile = fulcrum_sim_builtin_create_profile_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  set_creating (self, FALSE);

  if (profile == NULL)
    {
      fulcrum_ui_show_error (GTK_WIDGET (self), _("Could not create the simulator’s profile"),
                             error);
      return;
    }

  message = g_strdup_printf (_("Created the connector profile “%s”"),
                             fulcrum_connector_profile_get_name (profile));
  fulcrum_ui_show_toast_with_action (GTK_WIDGET (self), message, _("_Link Account"),
                                     "win.link-profile",
                                     g_variant_new_string (fulcrum_connector_profile_get_id (profile)));
}

static void
create_profile_clicked_cb (FulcrumSimulatorGroup *self)
{
  g_autofree char *name = NULL;

  if (self->store == NULL || self->creating)
    return;

  /* "Simulator", or "Simulator 2" when that one exists. */
  name = g_strdup (_("Simulator"));
  for (guint n = 2; fulcrum_store_find_profile (self->store, name) != NULL; n++)
    {
      g_free (name);
      /* Translators: a second profile for the simulator, e.g. "Simulator 2" */
      name = g_strdup_printf (_("Simulator %u"), n);
    }

  set_creating (self, TRUE);
  fulcrum_sim_builtin_create_profile_async (self->store, self->secrets, name, self->cancellable,
                                            profile_created_cb, g_object_ref (self));
}

static void
fulcrum_simulator_group_dispose (GObject *object)
{
  FulcrumSimulatorGroup *self = FULCRUM_SIMULATOR_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_SIMULATOR_GROUP);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (fulcrum_simulator_group_parent_class)->dispose (object);
}

static void
fulcrum_simulator_group_finalize (GObject *object)
{
  FulcrumSimulatorGroup *self = FULCRUM_SIMULATOR_GROUP (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (fulcrum_simulator_group_parent_class)->finalize (object);
}

static void
fulcrum_simulator_group_class_init (FulcrumSimulatorGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_simulator_group_dispose;
  object_class->finalize = fulcrum_simulator_group_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-simulator-group.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, status_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, start_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, callback_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, create_profile_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, create_spinner);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, behaviour_list);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, rate_limit_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, rate_limit_switch);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, storm_switch);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, latency_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, latency_switch);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, fault_500_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, fault_html_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, fault_truncated_row);
  gtk_widget_class_bind_template_child (widget_class, FulcrumSimulatorGroup, fault_reset_row);
  gtk_widget_class_bind_template_callback (widget_class, mapped_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_client_id_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_callback_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_profile_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, behaviour_changed_cb);
}

static void
fulcrum_simulator_group_init (FulcrumSimulatorGroup *self)
{
  g_autofree char *callback = fulcrum_sim_builtin_dup_redirect_uri ();
  g_autofree char *rate = NULL;
  g_autofree char *latency = NULL;

  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_action_row_set_subtitle (self->client_id_row, FULCRUM_SIM_BUILTIN_CLIENT_ID);
  adw_action_row_set_subtitle (self->callback_row, callback);

  /* Translators: the simulator's rate limit, e.g. "10 requests per second, bursts of 20, as Lever" */
  rate = g_strdup_printf (_("%g requests per second, bursts of %u, as Lever"),
                          FULCRUM_LEVER_RATE_LIMIT, FULCRUM_LEVER_RATE_BURST);
  adw_action_row_set_subtitle (self->rate_limit_row, rate);
  /* Translators: e.g. "80 ms per answer, plus 3 ms per record in it" */
  latency = g_strdup_printf (_("%u ms per answer, plus %g ms per record in it"),
                             FULCRUM_SIM_DEFAULT_LATENCY_BASE_MS,
                             FULCRUM_SIM_DEFAULT_LATENCY_PER_RECORD_MS);
  adw_action_row_set_subtitle (self->latency_row, latency);

  /* The simulator's own defaults until it runs: Lever's rate limit and latency, no faults. */
  self->updating++;
  gtk_switch_set_active (self->rate_limit_switch, TRUE);
  gtk_switch_set_active (self->latency_switch, TRUE);
  self->updating--;

  update_status (self);
  set_creating (self, FALSE);
}

void
fulcrum_simulator_group_set_stores (FulcrumSimulatorGroup *self,
                                    FulcrumStore          *store,
                                    FulcrumSecretStore    *secrets)
{
  g_return_if_fail (FULCRUM_IS_SIMULATOR_GROUP (self));
  g_return_if_fail (FULCRUM_IS_STORE (store));
  g_return_if_fail (FULCRUM_IS_SECRET_STORE (secrets));

  g_set_object (&self->store, store);
  g_set_object (&self->secrets, secrets);

  set_creating (self, self->creating);
  update_status (self);
}

void
fulcrum_simulator_group_start (FulcrumSimulatorGroup *self)
{
  FulcrumEnvironment *environment;

  g_return_if_fail (FULCRUM_IS_SIMULATOR_GROUP (self));

  environment = simulator_environment (self);
  if (environment == NULL || self->secrets == NULL || self->state == SIMULATOR_STARTING)
    return;

  self->state = SIMULATOR_STARTING;
  update_status (self);
  fulcrum_sim_builtin_ensure_running_async (environment, self->secrets, self->cancellable,
                                            started_cb, g_object_ref (self));
}
