/* fulcrum-actions-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-actions-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-actions-editor.h"
#include "fulcrum-core.h"

typedef struct
{
  const FulcrumAction *action;
  AdwActionRow        *row;
  GtkSwitch           *switch_;
  AdwExpanderRow      *expander;
} ActionRow;

typedef struct
{
  const char     *resource;
  AdwExpanderRow *expander;
  guint           n_actions;  /* enabled */
  guint           n_allowed;  /* that the scopes allow */
} ResourceRow;

struct _FulcrumActionsEditor
{
  AdwPreferencesGroup  parent_instance;

  GArray              *rows;       /* ActionRow */
  GArray              *resources;  /* ResourceRow, in catalogue order */
  /* The user's choice when not "all": action ids (static strings of the catalogue). */
  GHashTable          *chosen;
  GStrv                scopes;
  guint                updating;

  GtkLabel            *count_label;
  GtkSwitch           *all_switch;
};

enum {
  PROP_0,
  PROP_SCOPES,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (FulcrumActionsEditor, fulcrum_actions_editor, ADW_TYPE_PREFERENCES_GROUP)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
resource_title (const char *resource)
{
  const FulcrumScopeResource *resources;
  guint n_resources = 0;

  resources = fulcrum_scopes_get_resources (&n_resources);
  for (guint i = 0; i < n_resources; i++)
    if (g_str_equal (resources[i].resource, resource))
      return _(resources[i].title);

  return resource;
}

/* The first scope of @action that the profile's scopes do not cover, or NULL. */
static const char *
missing_scope (FulcrumActionsEditor *self,
               const FulcrumAction  *action)
{
  const char * const *scopes = (const char * const *) self->scopes;

  for (guint i = 0; action->scopes[i] != NULL; i++)
    if (scopes == NULL || !fulcrum_scopes_covers (scopes, action->scopes[i]))
      return action->scopes[i];

  return NULL;
}

static gboolean
is_enabled (FulcrumActionsEditor *self,
            const ActionRow      *row)
{
  if (missing_scope (self, row->action) != NULL)
    return FALSE;

  return gtk_switch_get_active (self->all_switch) ||
         g_hash_table_contains (self->chosen, row->action->id);
}

static void
update (FulcrumActionsEditor *self)
{
  gboolean all = gtk_switch_get_active (self->all_switch);
  g_autofree char *count = NULL;
  guint n_enabled = 0;

  self->updating++;

  for (guint i = 0; i < self->resources->len; i++)
    {
      g_array_index (self->resources, ResourceRow, i).n_actions = 0;
      g_array_index (self->resources, ResourceRow, i).n_allowed = 0;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ActionRow *row = &g_array_index (self->rows, ActionRow, i);
      const char *missing = missing_scope (self, row->action);
      gboolean enabled = is_enabled (self, row);

      gtk_switch_set_active (row->switch_, enabled);
      /* Disabled with the reason when the scopes do not allow it; in "all" mode the
       * scopes alone decide. */
      gtk_widget_set_sensitive (GTK_WIDGET (row->row), missing == NULL);
      gtk_widget_set_sensitive (GTK_WIDGET (row->switch_), missing == NULL && !all);

      if (missing != NULL)
        {
          /* Translators: %s is a Lever scope, e.g. notes:write:admin */
          g_autofree char *reason = g_strdup_printf (_("Needs the scope %s"), missing);

          adw_action_row_set_subtitle (row->row, reason);
        }
      else
        {
          g_autofree char *signature = g_strdup_printf ("%s %s", row->action->method,
                                                        row->action->path);

          adw_action_row_set_subtitle (row->row, signature);
        }

      n_enabled += enabled;
      for (guint j = 0; j < self->resources->len; j++)
        {
          ResourceRow *resource = &g_array_index (self->resources, ResourceRow, j);

          if (resource->expander == row->expander)
            {
              resource->n_actions += enabled;
              resource->n_allowed += missing == NULL;
            }
        }
    }

  for (guint i = 0; i < self->resources->len; i++)
    {
      const ResourceRow *resource = &g_array_index (self->resources, ResourceRow, i);
      guint n_total = 0;
      g_autofree char *subtitle = NULL;

      for (guint j = 0; j < self->rows->len; j++)
        if (g_array_index (self->rows, ActionRow, j).expander == resource->expander)
          n_total++;

      if (resource->n_allowed == 0)
        subtitle = g_strdup (_("Not allowed by the scopes"));
      else
        /* Translators: how many actions of a resource are enabled, e.g. "3 of 12 enabled" */
        subtitle = g_strdup_printf (_("%u of %u enabled"), resource->n_actions, n_total);
      adw_expander_row_set_subtitle (resource->expander, subtitle);
    }

  /* Translators: actions enabled, out of the whole catalogue */
  count = g_strdup_printf (_("%u of %u"), n_enabled, self->rows->len);
  gtk_label_set_text (self->count_label, count);

  self->updating--;
}

static void
action_switch_cb (GtkSwitch            *switch_,
                  GParamSpec           *pspec,
                  FulcrumActionsEditor *self)
{
  const FulcrumAction *action = g_object_get_data (G_OBJECT (switch_), "fulcrum-action");

  if (self->updating > 0 || gtk_switch_get_active (self->all_switch))
    return;

  if (gtk_switch_get_active (switch_))
    g_hash_table_add (self->chosen, (gpointer) action->id);
  else
    g_hash_table_remove (self->chosen, action->id);

  update (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
all_changed_cb (FulcrumActionsEditor *self)
{
  if (self->updating > 0)
    return;

  /* Choosing one by one starts from what the scopes allowed: nothing changes until the
   * user turns something off. */
  if (!gtk_switch_get_active (self->all_switch))
    {
      g_hash_table_remove_all (self->chosen);
      for (guint i = 0; i < self->rows->len; i++)
        {
          const ActionRow *row = &g_array_index (self->rows, ActionRow, i);

          if (missing_scope (self, row->action) == NULL)
            g_hash_table_add (self->chosen, (gpointer) row->action->id);
        }
    }

  update (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static AdwExpanderRow *
expander_for (FulcrumActionsEditor *self,
              const char           *resource)
{
  ResourceRow entry = { resource, NULL, 0, 0 };

  for (guint i = 0; i < self->resources->len; i++)
    {
      const ResourceRow *known = &g_array_index (self->resources, ResourceRow, i);

      if (g_str_equal (known->resource, resource))
        return known->expander;
    }

  entry.expander = ADW_EXPANDER_ROW (g_object_new (ADW_TYPE_EXPANDER_ROW,
                                                   "title", resource_title (resource),
                                                   "use-markup", FALSE,
                                                   NULL));
  g_array_append_val (self->resources, entry);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (entry.expander));

  return entry.expander;
}

static void
build_rows (FulcrumActionsEditor *self)
{
  const FulcrumAction *actions;
  guint n_actions = 0;

  actions = fulcrum_actions_get_all (&n_actions);
  for (guint i = 0; i < n_actions; i++)
    {
      ActionRow entry = { &actions[i], NULL, NULL, NULL };
      GtkWidget *switch_ = gtk_switch_new ();

      entry.expander = expander_for (self, actions[i].resource);
      entry.row = ADW_ACTION_ROW (g_object_new (ADW_TYPE_ACTION_ROW,
                                                "title", _(actions[i].title),
                                                "use-markup", FALSE,
                                                "tooltip-text", actions[i].id,
                                                NULL));
      gtk_widget_set_valign (switch_, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (switch_), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(actions[i].title), -1);
      g_object_set_data (G_OBJECT (switch_), "fulcrum-action", (gpointer) &actions[i]);
      g_signal_connect_object (switch_, "notify::active", G_CALLBACK (action_switch_cb), self, 0);
      adw_action_row_add_suffix (entry.row, switch_);
      adw_action_row_set_activatable_widget (entry.row, switch_);
      entry.switch_ = GTK_SWITCH (switch_);

      adw_expander_row_add_row (entry.expander, GTK_WIDGET (entry.row));
      g_array_append_val (self->rows, entry);
    }
}

static const ActionRow *
find_row (FulcrumActionsEditor *self,
          const char           *action_id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      const ActionRow *row = &g_array_index (self->rows, ActionRow, i);

      if (g_str_equal (row->action->id, action_id))
        return row;
    }

  return NULL;
}

static void
fulcrum_actions_editor_finalize (GObject *object)
{
  FulcrumActionsEditor *self = FULCRUM_ACTIONS_EDITOR (object);

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->resources, g_array_unref);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_clear_pointer (&self->scopes, g_strfreev);

  G_OBJECT_CLASS (fulcrum_actions_editor_parent_class)->finalize (object);
}

static void
fulcrum_actions_editor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FulcrumActionsEditor *self = FULCRUM_ACTIONS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SCOPES:
      g_value_set_boxed (value, self->scopes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_actions_editor_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  FulcrumActionsEditor *self = FULCRUM_ACTIONS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SCOPES:
      fulcrum_actions_editor_set_scopes (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_actions_editor_class_init (FulcrumActionsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fulcrum_actions_editor_finalize;
  object_class->get_property = fulcrum_actions_editor_get_property;
  object_class->set_property = fulcrum_actions_editor_set_property;

  /* What the profile asks for: bind it to the scopes editor's "scopes". */
  properties[PROP_SCOPES] =
    g_param_spec_boxed ("scopes", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_RESOURCE_PATH "/fulcrum-actions-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, FulcrumActionsEditor, count_label);
  gtk_widget_class_bind_template_child (widget_class, FulcrumActionsEditor, all_switch);
  gtk_widget_class_bind_template_callback (widget_class, all_changed_cb);
}

static void
fulcrum_actions_editor_init (FulcrumActionsEditor *self)
{
  self->rows = g_array_new (FALSE, FALSE, sizeof (ActionRow));
  self->resources = g_array_new (FALSE, FALSE, sizeof (ResourceRow));
  self->chosen = g_hash_table_new (g_str_hash, g_str_equal);
  self->scopes = g_strdupv ((char **) fulcrum_scopes_get_default ());

  gtk_widget_init_template (GTK_WIDGET (self));

  build_rows (self);
  update (self);
}

GtkWidget *
fulcrum_actions_editor_new (void)
{
  return g_object_new (FULCRUM_TYPE_ACTIONS_EDITOR, NULL);
}

void
fulcrum_actions_editor_set_scopes (FulcrumActionsEditor *self,
                                   const char * const   *scopes)
{
  g_return_if_fail (FULCRUM_IS_ACTIONS_EDITOR (self));

  if (self->scopes != NULL && scopes != NULL &&
      g_strv_equal ((const char * const *) self->scopes, scopes))
    return;

  g_strfreev (self->scopes);
  self->scopes = g_strdupv ((char **) scopes);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPES]);
}

void
fulcrum_actions_editor_set_enabled_actions (FulcrumActionsEditor *self,
                                            const char * const   *actions)
{
  g_return_if_fail (FULCRUM_IS_ACTIONS_EDITOR (self));

  g_hash_table_remove_all (self->chosen);
  for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
    {
      const ActionRow *row = find_row (self, actions[i]);

      /* Ids the catalogue no longer has are dropped on the next save. */
      if (row != NULL)
        g_hash_table_add (self->chosen, (gpointer) row->action->id);
    }

  self->updating++;
  gtk_switch_set_active (self->all_switch, actions == NULL);
  self->updating--;

  update (self);
}

char **
fulcrum_actions_editor_dup_enabled_actions (FulcrumActionsEditor *self)
{
  GStrvBuilder *builder;
  char **actions;

  g_return_val_if_fail (FULCRUM_IS_ACTIONS_EDITOR (self), NULL);

  if (gtk_switch_get_active (self->all_switch))
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->rows->len; i++)
    {
      const ActionRow *row = &g_array_index (self->rows, ActionRow, i);

      if (is_enabled (self, row))
        g_strv_builder_add (builder, row->action->id);
    }
  actions = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return actions;
}

AdwActionRow *
fulcrum_actions_editor_get_row (FulcrumActionsEditor *self,
                                const char           *action_id)
{
  const ActionRow *row;

  g_return_val_if_fail (FULCRUM_IS_ACTIONS_EDITOR (self), NULL);
  g_return_val_if_fail (action_id != NULL, NULL);

  row = find_row (self, action_id);
  return row ? row->row : NULL;
}

GtkSwitch *
fulcrum_actions_editor_get_switch (FulcrumActionsEditor *self,
                                   const char           *action_id)
{
  const ActionRow *row;

  g_return_val_if_fail (FULCRUM_IS_ACTIONS_EDITOR (self), NULL);
  g_return_val_if_fail (action_id != NULL, NULL);

  row = find_row (self, action_id);
  return row ? row->switch_ : NULL;
}
