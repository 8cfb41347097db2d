/* fulcrum-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-window"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-accounts-page.h"
#include "fulcrum-environments-page.h"
#include "fulcrum-explorer-window.h"
#include "fulcrum-profiles-page.h"
#include "fulcrum-window.h"

struct _FulcrumWindow
{
  AdwApplicationWindow   parent_instance;

  FulcrumStore          *store;
  FulcrumSecretStore    *secrets;
  FulcrumTokenManager   *tokens;
  /* NULL when the schema is not installed (running from an unconfigured tree). */
  GSettings             *settings;

  AdwToastOverlay       *toast_overlay;
  AdwLeaflet            *leaflet;
  GtkWidget             *sidebar_box;
  GtkListBox            *sidebar;
  GtkWidget             *content_box;
  AdwWindowTitle        *page_title;
  GtkWidget             *back_button;
  GtkButton             *add_button;
  GtkStack              *stack;
  FulcrumEnvironmentsPage *environments_page;
  FulcrumProfilesPage   *profiles_page;
  FulcrumAccountsPage   *accounts_page;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SECRET_STORE,
  PROP_TOKEN_MANAGER,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumWindow, fulcrum_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

static void
select_sidebar_row (FulcrumWindow *self,
                    const char    *page)
{
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar, i);

      if (row == NULL)
        break;

      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), page) == 0)
        {
          gtk_list_box_select_row (self->sidebar, row);
          break;
        }
    }
}

static void
update_actions (FulcrumWindow *self)
{
  gboolean writable = !fulcrum_store_get_read_only (self->store);
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "new-profile");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), writable);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "add-environment");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), writable);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "link-account");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), writable);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "link-profile");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), writable);
}

static void
stack_page_changed_cb (FulcrumWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  GtkStackPage *stack_page;

  if (page == NULL)
    return;

  stack_page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_title (self->page_title, gtk_stack_page_get_title (stack_page));
  select_sidebar_row (self, page);

  /* The header's add button is for the page's main object; environments have their own
   * button next to the custom ones. */
  if (g_str_equal (page, "profiles"))
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_button), "win.new-profile");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_button), _("New Connector Profile"));
      gtk_widget_set_visible (GTK_WIDGET (self->add_button), TRUE);
    }
  else if (g_str_equal (page, "accounts"))
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_button), "win.link-account");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_button), _("Link Account"));
      gtk_widget_set_visible (GTK_WIDGET (self->add_button), TRUE);
    }
  else
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_button), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->add_button), FALSE);
    }
}

static void
sidebar_row_activated_cb (FulcrumWindow *self,
                          GtkListBoxRow *row)
{
  gtk_stack_set_visible_child_name (self->stack, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
leaflet_folded_cb (FulcrumWindow *self)
{
  /* Folded, the sidebar is a menu of pages: a highlighted row there would be noise. */
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_list_box_set_selection_mode (self->sidebar, GTK_SELECTION_NONE);
  else
    {
      gtk_list_box_set_selection_mode (self->sidebar, GTK_SELECTION_BROWSE);
      select_sidebar_row (self, gtk_stack_get_visible_child_name (self->stack));
    }
}

static void
go_back_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  FulcrumWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_page_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  FulcrumWindow *self = user_data;

  fulcrum_window_set_page (self, g_variant_get_string (param, NULL));
}

static void
new_profile_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  FulcrumWindow *self = user_data;

  fulcrum_window_set_page (self, "profiles");
  fulcrum_profiles_page_new_profile (self->profiles_page);
}

static void
add_environment_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  FulcrumWindow *self = user_data;

  fulcrum_window_set_page (self, "environments");
  fulcrum_environments_page_add_environment (self->environments_page);
}

static void
link_account_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  FulcrumWindow *self = user_data;
  FulcrumConnectorProfile *profile = NULL;

  /* "link-profile" names the profile to link through. */
  if (param != NULL)
    profile = fulcrum_store_find_profile (self->store, g_variant_get_string (param, NULL));

  fulcrum_window_set_page (self, "accounts");
  fulcrum_accounts_page_link_account (self->accounts_page, profile);
}

static const GActionEntry win_actions[] = {
  { "go-back", go_back_action },
  { "show-page", show_page_action, "s" },
  { "new-profile", new_profile_action },
  { "add-environment", add_environment_action },
  { "link-account", link_account_action },
  { "link-profile", link_account_action, "s" },
};

static void
fulcrum_window_load_state (FulcrumWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s is not installed; the window size is not remembered", APP_ID);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
fulcrum_window_close_request (GtkWindow *window)
{
  FulcrumWindow *self = FULCRUM_WINDOW (window);

  if (self->settings != NULL)
    {
      int width = 0, height = 0;

      /* The default size follows the window's size while it is not maximized. */
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  return GTK_WINDOW_CLASS (fulcrum_window_parent_class)->close_request (window);
}

static void
fulcrum_window_constructed (GObject *object)
{
  FulcrumWindow *self = FULCRUM_WINDOW (object);

  G_OBJECT_CLASS (fulcrum_window_parent_class)->constructed (object);

  g_assert (FULCRUM_IS_STORE (self->store));
  g_assert (FULCRUM_IS_SECRET_STORE (self->secrets));
  g_assert (FULCRUM_IS_TOKEN_MANAGER (self->tokens));

  fulcrum_environments_page_set_stores (self->environments_page, self->store, self->secrets);
  fulcrum_profiles_page_set_stores (self->profiles_page, self->store, self->secrets);
  fulcrum_accounts_page_set_stores (self->accounts_page, self->store, self->secrets,
                                    self->tokens);

  update_actions (self);
  fulcrum_window_load_state (self);
  gtk_stack_set_visible_child_name (self->stack, "environments");
  stack_page_changed_cb (self);
}

static void
fulcrum_window_dispose (GObject *object)
{
  FulcrumWindow *self = FULCRUM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FULCRUM_TYPE_WINDOW);

  G_OBJECT_CLASS (fulcrum_window_parent_class)->dispose (object);
}

static void
fulcrum_window_finalize (GObject *object)
{
  FulcrumWindow *self = FULCRUM_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->tokens);

  G_OBJECT_CLASS (fulcrum_window_parent_class)->finalize (object);
}

static void
fulcrum_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FulcrumWindow *self = FULCRUM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SECRET_STORE:
      g_value_set_object (value, self->secrets);
      break;

    case PROP_TOKEN_MANAGER:
      g_value_set_object (value, self->tokens);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FulcrumWindow *self = FULCRUM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SECRET_STORE:
      self->secrets = g_value_dup_object (value);
      break;

    case PROP_TOKEN_MANAGER:
      self->tokens = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_window_class_init (FulcrumWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fulcrum_window_constructed;
  object_class->dispose = fulcrum_window_dispose;
  object_class->finalize = fulcrum_window_finalize;
  object_class->get_property = fulcrum_window_get_property;
  object_class->set_property = fulcrum_window_set_property;

  window_class->close_request = fulcrum_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         FULCRUM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL,
                         FULCRUM_TYPE_SECRET_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_MANAGER] =
    g_param_spec_object ("token-manager", NULL, NULL,
                         FULCRUM_TYPE_TOKEN_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FULCRUM_TYPE_ACCOUNTS_PAGE);
  g_type_ensure (FULCRUM_TYPE_ENVIRONMENTS_PAGE);
  g_type_ensure (FULCRUM_TYPE_PROFILES_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, environments_page);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, profiles_page);
  gtk_widget_class_bind_template_child (widget_class, FulcrumWindow, accounts_page);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, stack_page_changed_cb);
}

static void
fulcrum_window_init (FulcrumWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
  fulcrum_explorer_install_window_action (GTK_APPLICATION_WINDOW (self));

  gtk_widget_init_template (GTK_WIDGET (self));
}

FulcrumWindow *
fulcrum_window_new (FulcrumApplication  *application,
                    FulcrumStore        *store,
                    FulcrumSecretStore  *secrets,
                    FulcrumTokenManager *tokens)
{
  g_return_val_if_fail (!application || FULCRUM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (FULCRUM_IS_STORE (store), NULL);
  g_return_val_if_fail (FULCRUM_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (FULCRUM_IS_TOKEN_MANAGER (tokens), NULL);

  return g_object_new (FULCRUM_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "secret-store", secrets,
                       "token-manager", tokens,
                       NULL);
}

void
fulcrum_window_set_page (FulcrumWindow *self,
                         const char    *page)
{
  g_return_if_fail (FULCRUM_IS_WINDOW (self));
  g_return_if_fail (page != NULL);

  if (gtk_stack_get_child_by_name (self->stack, page) == NULL)
    {
      g_warning ("No page named “%s”", page);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, page);
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

const char *
fulcrum_window_get_page (FulcrumWindow *self)
{
  g_return_val_if_fail (FULCRUM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
fulcrum_window_show_load_error (FulcrumWindow *self,
                                const GError  *error)
{
  AdwMessageDialog *dialog;
  const char *heading;

  g_return_if_fail (FULCRUM_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, FULCRUM_STORE_ERROR, FULCRUM_STORE_ERROR_NEWER_VERSION))
    heading = _("Configuration From a Newer Version");
  else
    heading = _("Could Not Read the Configuration");

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));

  update_actions (self);
}
