/* fulcrum-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-application"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-application.h"
#include "fulcrum-sim-builtin.h"
#include "fulcrum-window.h"

struct _FulcrumApplication
{
  AdwApplication      parent_instance;

  FulcrumStore       *store;
  FulcrumSecretStore *secrets;
  FulcrumTokenManager *tokens;
  /* Why the config could not be read, told once in the first window. */
  GError             *load_error;
};

G_DEFINE_FINAL_TYPE (FulcrumApplication, fulcrum_application, ADW_TYPE_APPLICATION)

static void
fulcrum_application_quit_action (GSimpleAction *action,
                                 GVariant      *param,
                                 gpointer       user_data)
{
  FulcrumApplication *self = user_data;
  GList *windows;

  /* Close rather than quit so that every window saves its state on the way out. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
fulcrum_application_about_action (GSimpleAction *action,
                                  GVariant      *param,
                                  gpointer       user_data)
{
  FulcrumApplication *self = user_data;
  static const char *developers[] = { "The Fulcrum developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Fulcrum"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Fulcrum developers"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/fulcrumdesk/fulcrum",
                        "issue-url", "https://github.com/fulcrumdesk/fulcrum/issues",
                        "comments", _("Keep your Lever OAuth apps, link Lever organizations "
                                      "to them and keep every secret in the keyring."),
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", fulcrum_application_quit_action },
  { "about", fulcrum_application_about_action },
};

static void
fulcrum_application_startup (GApplication *app)
{
  FulcrumApplication *self = FULCRUM_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.new-profile", { "<Control>n", NULL } },
    { "win.show-page::environments", { "<Alt>1", NULL } },
    { "win.show-page::profiles", { "<Alt>2", NULL } },
    { "win.show-page::accounts", { "<Alt>3", NULL } },
  };
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (fulcrum_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  /* One small local file read, once, before the first window exists. */
  self->store = fulcrum_store_new (NULL);
  if (!fulcrum_store_load (self->store, &error))
    {
      g_message ("Could not load the configuration: %s", error->message);
      self->load_error = g_steal_pointer (&error);
    }

  self->secrets = fulcrum_secret_store_new ();
  self->tokens = fulcrum_token_manager_new (self->store, self->secrets);
}

static void
fulcrum_application_activate (GApplication *app)
{
  FulcrumApplication *self = FULCRUM_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (fulcrum_window_new (self, self->store, self->secrets, self->tokens));

  gtk_window_present (window);

  if (self->load_error != NULL)
    {
      fulcrum_window_show_load_error (FULCRUM_WINDOW (window), self->load_error);
      g_clear_error (&self->load_error);
    }
}

static void
fulcrum_application_shutdown (GApplication *app)
{
  FulcrumApplication *self = FULCRUM_APPLICATION (app);

  /* The simulator this process started stops with it; accounts linked to it keep their
   * tokens (its state file) for the next start. */
  fulcrum_sim_builtin_shutdown ();

  g_clear_object (&self->tokens);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);

  G_APPLICATION_CLASS (fulcrum_application_parent_class)->shutdown (app);
}

static void
fulcrum_application_finalize (GObject *object)
{
  FulcrumApplication *self = FULCRUM_APPLICATION (object);

  g_clear_object (&self->tokens);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (fulcrum_application_parent_class)->finalize (object);
}

static void
fulcrum_application_class_init (FulcrumApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = fulcrum_application_finalize;

  app_class->startup = fulcrum_application_startup;
  app_class->activate = fulcrum_application_activate;
  app_class->shutdown = fulcrum_application_shutdown;
}

static void
fulcrum_application_init (FulcrumApplication *self)
{
}

FulcrumApplication *
fulcrum_application_new (void)
{
  return g_object_new (FULCRUM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", APP_RESOURCE_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

FulcrumStore *
fulcrum_application_get_store (FulcrumApplication *self)
{
  g_return_val_if_fail (FULCRUM_IS_APPLICATION (self), NULL);

  return self->store;
}

FulcrumSecretStore *
fulcrum_application_get_secret_store (FulcrumApplication *self)
{
  g_return_val_if_fail (FULCRUM_IS_APPLICATION (self), NULL);

  return self->secrets;
}

FulcrumTokenManager *
fulcrum_application_get_token_manager (FulcrumApplication *self)
{
  g_return_val_if_fail (FULCRUM_IS_APPLICATION (self), NULL);

  return self->tokens;
}
