/* fulcrum-explorer-params.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-explorer"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-explorer-params.h"
#include "fulcrum-ui-util.h"

typedef struct
{
  const FulcrumActionParam *param;
  GtkWidget                *row;
  /* booleans */
  GtkSwitch                *switch_;
  GtkLabel                 *state_label;
  GtkWidget                *clear_button;
  gboolean                  is_set;
} Param;

struct _FulcrumExplorerParams
{
  AdwPreferencesGroup  parent_instance;

  const FulcrumAction *action;
  GPtrArray           *params;  /* Param* */
  guint                updating;
};

G_DEFINE_FINAL_TYPE (FulcrumExplorerParams, fulcrum_explorer_params, ADW_TYPE_PREFERENCES_GROUP)

static void
param_free (Param *param)
{
  g_free (param);
}

static gboolean
is_combo (const FulcrumActionParam *param)
{
  return param->choices != NULL && param->type == FULCRUM_ACTION_PARAM_STRING;
}

static char *
param_tooltip (const FulcrumActionParam *param)
{
  GString *tooltip = g_string_new (_(param->description));

  if (param->type == FULCRUM_ACTION_PARAM_STRING_LIST)
    g_string_append_printf (tooltip, "\n%s", _("Separate several values with commas."));
  if (param->choices != NULL && !is_combo (param))
    {
      g_autofree char *choices = g_strjoinv (", ", (char **) param->choices);

      /* Translators: the values a parameter accepts */
      g_string_append_printf (tooltip, "\n%s", choices);
    }

  return g_string_free (tooltip, FALSE);
}

static void
update_boolean (Param *param)
{
  const char *state;

  if (!param->is_set)
    /* Translators: an optional parameter left out of the request */
    state = _("Not sent");
  else if (gtk_switch_get_active (param->switch_))
    state = "true";
  else
    state = "false";

  gtk_label_set_text (param->state_label, state);
  gtk_widget_set_visible (param->clear_button, param->is_set && !param->param->required);
}

static void
row_changed_cb (GtkWidget             *row,
                FulcrumExplorerParams *self)
{
  fulcrum_ui_set_error_style (row, FALSE);
}

static void
combo_selected_cb (GtkWidget             *row,
                   GParamSpec            *pspec,
                   FulcrumExplorerParams *self)
{
  fulcrum_ui_set_error_style (row, FALSE);
}

static void
switch_active_cb (GtkSwitch             *switch_,
                  GParamSpec            *pspec,
                  FulcrumExplorerParams *self)
{
  Param *param = g_object_get_data (G_OBJECT (switch_), "fulcrum-param");

  if (self->updating > 0)
    return;

  param->is_set = TRUE;
  update_boolean (param);
}

static void
clear_clicked_cb (GtkButton             *button,
                  FulcrumExplorerParams *self)
{
  Param *param = g_object_get_data (G_OBJECT (button), "fulcrum-param");

  self->updating++;
  gtk_switch_set_active (param->switch_, FALSE);
  self->updating--;
  param->is_set = FALSE;
  update_boolean (param);
}

static void
add_required_mark (GtkWidget *row)
{
  GtkWidget *label = gtk_label_new (_("Required"));

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");

  if (ADW_IS_ENTRY_ROW (row))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), label);
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

static GtkWidget *
build_boolean_row (FulcrumExplorerParams *self,
                   Param                 *param)
{
  GtkWidget *row = g_object_new (ADW_TYPE_ACTION_ROW,
                                 "title", param->param->name,
                                 "subtitle", _(param->param->description),
                                 "use-markup", FALSE,
                                 NULL);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  GtkWidget *switch_ = gtk_switch_new ();

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (clear, "flat");
  gtk_widget_set_tooltip_text (clear, _("Leave Out of the Request"));
  g_object_set_data (G_OBJECT (clear), "fulcrum-param", param);
  g_signal_connect_object (clear, "clicked", G_CALLBACK (clear_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), clear);

  gtk_widget_set_valign (switch_, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (switch_), "fulcrum-param", param);
  g_signal_connect_object (switch_, "notify::active", G_CALLBACK (switch_active_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), switch_);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), switch_);
  gtk_accessible_update_property (GTK_ACCESSIBLE (switch_), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  param->param->name, -1);

  param->switch_ = GTK_SWITCH (switch_);
  param->state_label = GTK_LABEL (label);
  param->clear_button = clear;
  param->is_set = param->param->required;
  update_boolean (param);

  return row;
}

static GtkWidget *
build_combo_row (FulcrumExplorerParams *self,
                 Param                 *param)
{
  const FulcrumActionParam *p = param->param;
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  g_autofree char *unset = NULL;
  GtkWidget *row;

  if (p->default_value != NULL)
    /* Translators: the first choice of a parameter, e.g. "Default (non-confidential)" */
    unset = g_strdup_printf (_("Default (%s)"), p->default_value);
  else
    unset = g_strdup (_("Not sent"));
  gtk_string_list_append (items, unset);
  for (guint i = 0; p->choices[i] != NULL; i++)
    gtk_string_list_append (items, p->choices[i]);

  row = g_object_new (ADW_TYPE_COMBO_ROW,
                      "title", p->name,
                      "subtitle", _(p->description),
                      "use-markup", FALSE,
                      "model", items,
                      NULL);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (combo_selected_cb), self, 0);

  return row;
}

/* Entry rows have no subtitle: what the parameter does is one click away. */
static GtkWidget *
build_help_button (const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *button = gtk_menu_button_new ();

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), label);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "help-about-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("About This Parameter"));

  return button;
}

static GtkWidget *
build_entry_row (FulcrumExplorerParams *self,
                 Param                 *param)
{
  GtkWidget *row = g_object_new (ADW_TYPE_ENTRY_ROW,
                                 "title", param->param->name,
                                 "use-markup", FALSE,
                                 NULL);
  g_autofree char *help = param_tooltip (param->param);

  if (param->param->type == FULCRUM_ACTION_PARAM_INTEGER)
    gtk_editable_set_width_chars (GTK_EDITABLE (row), 8);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), build_help_button (help));
  g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, 0);

  return row;
}

static void
add_param (FulcrumExplorerParams    *self,
           const FulcrumActionParam *p)
{
  Param *param = g_new0 (Param, 1);
  g_autofree char *tooltip = param_tooltip (p);

  param->param = p;
  if (p->type == FULCRUM_ACTION_PARAM_BOOLEAN)
    param->row = build_boolean_row (self, param);
  else if (is_combo (p))
    param->row = build_combo_row (self, param);
  else
    param->row = build_entry_row (self, param);

  gtk_widget_set_tooltip_text (param->row, tooltip);
  if (p->required)
    add_required_mark (param->row);

  g_ptr_array_add (self->params, param);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), param->row);
}

static Param *
find_param (FulcrumExplorerParams *self,
            const char            *name)
{
  for (guint i = 0; i < self->params->len; i++)
    {
      Param *param = g_ptr_array_index (self->params, i);

      if (g_str_equal (param->param->name, name))
        return param;
    }

  return NULL;
}

/* The row's value as text, or NULL when it is left out. */
static char *
param_value (Param *param)
{
  if (param->switch_ != NULL)
    return param->is_set ? g_strdup (gtk_switch_get_active (param->switch_) ? "true" : "false")
                         : NULL;

  if (ADW_IS_COMBO_ROW (param->row))
    {
      guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (param->row));

      return selected > 0 && selected != GTK_INVALID_LIST_POSITION
             ? g_strdup (param->param->choices[selected - 1]) : NULL;
    }

  {
    g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (param->row)));

    g_strstrip (text);
    return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
  }
}

/* Why @value does not fit @param, or NULL. */
static char *
check_value (const FulcrumActionParam *param,
             const char               *value)
{
  g_autoptr(GError) error = NULL;

  switch (param->type)
    {
    case FULCRUM_ACTION_PARAM_INTEGER:
      {
        gint64 min = param->min < param->max ? param->min : G_MININT64;
        gint64 max = param->min < param->max ? param->max : G_MAXINT64;

        if (!g_ascii_string_to_signed (value, 10, min, max, NULL, NULL))
          {
            if (param->min < param->max)
              return g_strdup_printf (_("“%s” must be a whole number from %" G_GINT64_FORMAT
                                        " to %" G_GINT64_FORMAT "."),
                                      param->name, param->min, param->max);
            return g_strdup_printf (_("“%s” must be a whole number."), param->name);
          }
      }
      break;

    case FULCRUM_ACTION_PARAM_TIMESTAMP:
      {
        gint64 ms;

        if (!fulcrum_action_parse_timestamp (value, &ms))
          return g_strdup_printf (_("“%s” must be a date such as 2024-03-05, a date and time "
                                    "such as 2024-03-05T14:30:00Z, or epoch milliseconds."),
                                  param->name);
      }
      break;

    case FULCRUM_ACTION_PARAM_JSON:
      {
        g_autoptr(JsonNode) node = json_from_string (value, &error);

        if (node == NULL)
          return g_strdup_printf (_("“%s” is not valid JSON: %s"), param->name,
                                  error ? error->message : "");
      }
      break;

    case FULCRUM_ACTION_PARAM_STRING_LIST:
      if (param->choices != NULL)
        {
          g_auto(GStrv) items = g_strsplit (value, ",", -1);

          for (guint i = 0; items[i] != NULL; i++)
            {
              g_strstrip (items[i]);
              if (items[i][0] != '\0' && !g_strv_contains (param->choices, items[i]))
                {
                  g_autofree char *choices = g_strjoinv (", ", (char **) param->choices);

                  return g_strdup_printf (_("“%s” takes only %s, not “%s”."), param->name,
                                          choices, items[i]);
                }
            }
        }
      break;

    case FULCRUM_ACTION_PARAM_STRING:
    case FULCRUM_ACTION_PARAM_BOOLEAN:
    default:
      break;
    }

  return NULL;
}

static void
fulcrum_explorer_params_finalize (GObject *object)
{
  FulcrumExplorerParams *self = FULCRUM_EXPLORER_PARAMS (object);

  g_clear_pointer (&self->params, g_ptr_array_unref);

  G_OBJECT_CLASS (fulcrum_explorer_params_parent_class)->finalize (object);
}

static void
fulcrum_explorer_params_class_init (FulcrumExplorerParamsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fulcrum_explorer_params_finalize;
}

static void
fulcrum_explorer_params_init (FulcrumExplorerParams *self)
{
  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_free);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Parameters"));
}

GtkWidget *
fulcrum_explorer_params_new (void)
{
  return g_object_new (FULCRUM_TYPE_EXPLORER_PARAMS, NULL);
}

void
fulcrum_explorer_params_set_action (FulcrumExplorerParams *self,
                                    const FulcrumAction   *action)
{
  gboolean any_required = FALSE;

  g_return_if_fail (FULCRUM_IS_EXPLORER_PARAMS (self));

  for (guint i = 0; i < self->params->len; i++)
    {
      Param *param = g_ptr_array_index (self->params, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), param->row);
    }
  g_ptr_array_set_size (self->params, 0);

  self->action = action;
  if (action == NULL)
    return;

  /* Required first: they are what a run cannot do without. */
  for (guint i = 0; i < action->n_params; i++)
    if (action->params[i].required)
      {
        add_param (self, &action->params[i]);
        any_required = TRUE;
      }
  for (guint i = 0; i < action->n_params; i++)
    if (!action->params[i].required)
      add_param (self, &action->params[i]);

  if (action->n_params == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("This action takes no parameters."));
  else if (any_required)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("Fill in the required ones; empty optional ones "
                                             "are left out."));
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("All optional: empty ones are left out."));
}

GHashTable *
fulcrum_explorer_params_collect (FulcrumExplorerParams  *self,
                                 GError                **error)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) build_error = NULL;
  g_autofree char *first_problem = NULL;
  FulcrumActionRequest *request;

  g_return_val_if_fail (FULCRUM_IS_EXPLORER_PARAMS (self), NULL);
  g_return_val_if_fail (self->action != NULL, NULL);

  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < self->params->len; i++)
    {
      Param *param = g_ptr_array_index (self->params, i);
      g_autofree char *value = param_value (param);
      g_autofree char *problem = NULL;

      if (value == NULL && param->param->required)
        problem = g_strdup_printf (_("“%s” is required: %s"), param->param->name,
                                   _(param->param->description));
      else if (value != NULL)
        problem = check_value (param->param, value);

      fulcrum_ui_set_error_style (param->row, problem != NULL);
      if (problem != NULL)
        {
          if (first_problem == NULL)
            first_problem = g_steal_pointer (&problem);
          continue;
        }

      if (value != NULL)
        g_hash_table_insert (values, g_strdup (param->param->name), g_steal_pointer (&value));
    }

  if (first_problem != NULL)
    {
      g_set_error_literal (error, FULCRUM_ACTION_ERROR, FULCRUM_ACTION_ERROR_INVALID_PARAMETER,
                           first_problem);
      return NULL;
    }

  /* The catalogue has the last word on what a request may hold. */
  request = fulcrum_action_build_request (self->action, values, &build_error);
  if (request == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&build_error));
      return NULL;
    }
  fulcrum_action_request_free (request);

  return g_steal_pointer (&values);
}

void
fulcrum_explorer_params_set_value (FulcrumExplorerParams *self,
                                   const char            *name,
                                   const char            *value)
{
  Param *param;

  g_return_if_fail (FULCRUM_IS_EXPLORER_PARAMS (self));
  g_return_if_fail (name != NULL);

  param = find_param (self, name);
  g_return_if_fail (param != NULL);

  if (param->switch_ != NULL)
    {
      self->updating++;
      gtk_switch_set_active (param->switch_, g_strcmp0 (value, "true") == 0);
      self->updating--;
      param->is_set = value != NULL || param->param->required;
      update_boolean (param);
    }
  else if (ADW_IS_COMBO_ROW (param->row))
    {
      guint selected = 0;

      for (guint i = 0; value != NULL && param->param->choices[i] != NULL; i++)
        if (g_str_equal (param->param->choices[i], value))
          selected = i + 1;
      adw_combo_row_set_selected (ADW_COMBO_ROW (param->row), selected);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (param->row), value ? value : "");
    }
}

GtkWidget *
fulcrum_explorer_params_get_row (FulcrumExplorerParams *self,
                                 const char            *name)
{
  Param *param;

  g_return_val_if_fail (FULCRUM_IS_EXPLORER_PARAMS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  param = find_param (self, name);
  return param ? param->row : NULL;
}
