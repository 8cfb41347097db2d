/* fulcrum-scopes-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-scopes-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-core.h"
#include "fulcrum-scopes-editor.h"
#include "fulcrum-ui-util.h"

typedef struct
{
  const FulcrumScopeResource *resource;
  GtkSwitch                  *read_switch;   /* NULL when Lever offers no read scope */
  GtkSwitch                  *write_switch;  /* NULL when Lever offers no write scope */
} ResourceRow;

struct _FulcrumScopesEditor
{
  AdwPreferencesGroup  parent_instance;

  GArray              *rows;
  /* scope name → its GtkSwitch (owned by the rows) */
  GHashTable          *switches;
  GtkSizeGroup        *read_group;
  GtkSizeGroup        *write_group;
  GtkLabel            *count_label;
  AdwActionRow        *status_row;
  GtkImage            *status_icon;

  char               **scopes;
  char                *error;
  guint                updating;
};

enum {
  PROP_0,
  PROP_SCOPES,
  PROP_VALID,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumScopesEditor, fulcrum_scopes_editor, ADW_TYPE_PREFERENCES_GROUP)

static GParamSpec *properties[N_PROPS];

/* Counts the way fulcrum_scopes_normalize() keeps them: a write scope stands for its
 * read scope, except a required read scope, which is always kept. */
static guint
count_minimal (FulcrumScopesEditor *self)
{
  guint count = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ResourceRow *row = &g_array_index (self->rows, ResourceRow, i);
      gboolean read = row->read_switch && gtk_switch_get_active (row->read_switch);
      gboolean write = row->write_switch && gtk_switch_get_active (row->write_switch);

      if (write)
        count += 1 + (read && fulcrum_scopes_is_required (row->resource->read_scope) ? 1 : 0);
      else if (read)
        count += 1;
    }

  return count;
}

static GPtrArray *
collect_selection (FulcrumScopesEditor *self)
{
  GPtrArray *selection = g_ptr_array_new ();

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ResourceRow *row = &g_array_index (self->rows, ResourceRow, i);

      if (row->read_switch && gtk_switch_get_active (row->read_switch))
        g_ptr_array_add (selection, (gpointer) row->resource->read_scope);
      if (row->write_switch && gtk_switch_get_active (row->write_switch))
        g_ptr_array_add (selection, (gpointer) row->resource->write_scope);
    }
  g_ptr_array_add (selection, NULL);

  return selection;
}

static void
show_status (FulcrumScopesEditor *self,
             const char          *icon_name,
             const char          *style,
             const char          *message)
{
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), message != NULL);
  if (message == NULL)
    return;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), message);
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "warning");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), style);
}

static void
fulcrum_scopes_editor_update (FulcrumScopesEditor *self)
{
  g_autoptr(GPtrArray) selection = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) normalized = NULL;
  g_autofree char *count = NULL;
  g_autofree char *hint = NULL;
  gboolean was_valid = self->error == NULL;

  if (self->updating > 0)
    return;

  selection = collect_selection (self);
  normalized = fulcrum_scopes_normalize ((const char * const *) selection->pdata, &error);

  g_clear_pointer (&self->scopes, g_strfreev);
  g_clear_pointer (&self->error, g_free);

  if (normalized != NULL)
    {
      hint = fulcrum_scopes_get_size_hint ((const char * const *) normalized);
      self->scopes = g_steal_pointer (&normalized);
    }
  else
    {
      self->error = g_strdup (error->message);
      self->scopes = g_strdupv ((char **) selection->pdata);
    }

  /* Translators: how many scopes the profile asks for, out of Lever's maximum */
  count = g_strdup_printf (_("%u of %u"), count_minimal (self), FULCRUM_SCOPES_MAX);
  gtk_label_set_text (self->count_label, count);
  fulcrum_ui_set_error_style (GTK_WIDGET (self->count_label), self->error != NULL);
  if (hint != NULL && self->error == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "warning");

  if (self->error != NULL)
    show_status (self, "dialog-error-symbolic", "error", self->error);
  else if (hint != NULL)
    show_status (self, "dialog-warning-symbolic", "warning", hint);
  else
    show_status (self, NULL, NULL, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPES]);
  if (was_valid != (self->error == NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* Write implies read: with write on, read is on and cannot be turned off. */
static void
sync_read_switch (const ResourceRow *row)
{
  gboolean write;

  if (row->read_switch == NULL)
    return;

  write = row->write_switch != NULL && gtk_switch_get_active (row->write_switch);
  if (write)
    gtk_switch_set_active (row->read_switch, TRUE);

  gtk_widget_set_sensitive (GTK_WIDGET (row->read_switch),
                            !write && !fulcrum_scopes_is_required (row->resource->read_scope));
}

static void
switch_active_cb (GtkSwitch           *switch_,
                  GParamSpec          *pspec,
                  FulcrumScopesEditor *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (switch_), "fulcrum-row"));
  const ResourceRow *row = &g_array_index (self->rows, ResourceRow, index);

  self->updating++;
  sync_read_switch (row);
  self->updating--;

  fulcrum_scopes_editor_update (self);
}

static const char *
access_label (const char *scope,
              gboolean    write)
{
  if (write)
    return _("Write");
  if (strstr (scope, ":read:") != NULL)
    return _("Read");
  if (strstr (scope, ":access:") != NULL)
    return _("Access");
  /* offline_access and the like: a plain on/off, the row says what it is. */
  return NULL;
}

static GtkWidget *
add_slot (FulcrumScopesEditor *self,
          AdwActionRow        *row,
          guint                index,
          const char          *title,
          const char          *scope,
          gboolean             write,
          GtkSwitch          **out_switch)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *switch_;
  const char *label_text;
  g_autofree char *accessible = NULL;

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  /* Keep the label's hexpand inside the slot, or rows share out space unevenly and the
   * switches stop lining up. */
  gtk_widget_set_hexpand (box, FALSE);
  gtk_size_group_add_widget (write ? self->write_group : self->read_group, box);
  adw_action_row_add_suffix (row, box);

  if (scope == NULL)
    return box;

  label_text = access_label (scope, write);
  if (label_text != NULL)
    {
      GtkWidget *label = gtk_label_new (label_text);

      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }

  switch_ = gtk_switch_new ();
  gtk_widget_set_valign (switch_, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (switch_, GTK_ALIGN_END);
  gtk_widget_set_hexpand (switch_, label_text == NULL);
  /* Translators: accessible name of a switch, e.g. "Opportunities: Read" */
  accessible = g_strdup_printf (_("%s: %s"), title, label_text ? label_text : scope);
  gtk_accessible_update_property (GTK_ACCESSIBLE (switch_),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_set_tooltip_text (switch_, scope);
  g_object_set_data (G_OBJECT (switch_), "fulcrum-row", GUINT_TO_POINTER (index));
  g_signal_connect_object (switch_, "notify::active", G_CALLBACK (switch_active_cb), self, 0);
  gtk_box_append (GTK_BOX (box), switch_);

  g_hash_table_insert (self->switches, (gpointer) scope, switch_);
  *out_switch = GTK_SWITCH (switch_);

  return box;
}

static char *
row_subtitle (const FulcrumScopeResource *resource)
{
  GString *subtitle = g_string_new (NULL);
  gboolean read_required = resource->read_scope != NULL &&
                           fulcrum_scopes_is_required (resource->read_scope);

  if (read_required && resource->write_scope != NULL)
    g_string_append (subtitle, _("Lever requires read access"));
  else if (read_required)
    g_string_append (subtitle, _("Lever requires this scope"));

  if (resource->read_scope != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", resource->read_scope);
  if (resource->write_scope != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", resource->write_scope);

  return g_string_free (subtitle, FALSE);
}

static void
build_rows (FulcrumScopesEditor *self)
{
  const FulcrumScopeResource *resources;
  guint n_resources = 0;

  resources = fulcrum_scopes_get_resources (&n_resources);

  for (guint i = 0; i < n_resources; i++)
    {
      const FulcrumScopeResource *resource = &resources[i];
      ResourceRow entry = { resource, NULL, NULL };
      const char *title = _(resource->title);
      g_autofree char *subtitle = row_subtitle (resource);
      AdwActionRow *row;

      row = g_object_new (ADW_TYPE_ACTION_ROW,
                          "use-markup", FALSE,
                          "title", title,
                          "subtitle", subtitle,
                          NULL);
      add_slot (self, row, i, title, resource->read_scope, FALSE, &entry.read_switch);
      add_slot (self, row, i, title, resource->write_scope, TRUE, &entry.write_switch);
      g_array_append_val (self->rows, entry);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
    }
}

static void
fulcrum_scopes_editor_finalize (GObject *object)
{
  FulcrumScopesEditor *self = FULCRUM_SCOPES_EDITOR (object);

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->switches, g_hash_table_unref);
  g_clear_object (&self->read_group);
  g_clear_object (&self->write_group);
  g_clear_pointer (&self->scopes, g_strfreev);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (fulcrum_scopes_editor_parent_class)->finalize (object);
}

static void
fulcrum_scopes_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FulcrumScopesEditor *self = FULCRUM_SCOPES_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SCOPES:
      g_value_set_boxed (value, self->scopes);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, fulcrum_scopes_editor_get_valid (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_scopes_editor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  FulcrumScopesEditor *self = FULCRUM_SCOPES_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SCOPES:
      fulcrum_scopes_editor_set_scopes (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_scopes_editor_class_init (FulcrumScopesEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fulcrum_scopes_editor_finalize;
  object_class->get_property = fulcrum_scopes_editor_get_property;
  object_class->set_property = fulcrum_scopes_editor_set_property;

  properties[PROP_SCOPES] =
    g_param_spec_boxed ("scopes", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fulcrum_scopes_editor_init (FulcrumScopesEditor *self)
{
  self->rows = g_array_new (FALSE, FALSE, sizeof (ResourceRow));
  self->switches = g_hash_table_new (g_str_hash, g_str_equal);
  self->read_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  self->write_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Scopes"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("What the profile asks Lever for. Write access "
                                           "includes read access. Changing scopes after "
                                           "registration goes through Lever support."));

  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->count_label), GTK_ALIGN_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "fulcrum-scope-count");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label),
                               _("Scopes asked for, out of the 20 Lever allows"));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self),
                                           GTK_WIDGET (self->count_label));

  self->status_row = ADW_ACTION_ROW (g_object_new (ADW_TYPE_ACTION_ROW,
                                                   "use-markup", FALSE,
                                                   "visible", FALSE,
                                                   NULL));
  self->status_icon = GTK_IMAGE (gtk_image_new ());
  adw_action_row_add_prefix (self->status_row, GTK_WIDGET (self->status_icon));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_row), "fulcrum-scope-status");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->status_row));

  build_rows (self);
  fulcrum_scopes_editor_set_scopes (self, fulcrum_scopes_get_default ());
}

GtkWidget *
fulcrum_scopes_editor_new (void)
{
  return g_object_new (FULCRUM_TYPE_SCOPES_EDITOR, NULL);
}

void
fulcrum_scopes_editor_set_scopes (FulcrumScopesEditor *self,
                                  const char * const  *scopes)
{
  g_return_if_fail (FULCRUM_IS_SCOPES_EDITOR (self));

  self->updating++;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ResourceRow *row = &g_array_index (self->rows, ResourceRow, i);
      const FulcrumScopeResource *resource = row->resource;

      if (row->write_switch != NULL)
        gtk_switch_set_active (row->write_switch,
                               scopes && g_strv_contains (scopes, resource->write_scope));
      if (row->read_switch != NULL)
        gtk_switch_set_active (row->read_switch,
                               (scopes && g_strv_contains (scopes, resource->read_scope)) ||
                               fulcrum_scopes_is_required (resource->read_scope));
      sync_read_switch (row);
    }

  self->updating--;

  fulcrum_scopes_editor_update (self);
}

char **
fulcrum_scopes_editor_get_scopes (FulcrumScopesEditor *self)
{
  g_return_val_if_fail (FULCRUM_IS_SCOPES_EDITOR (self), NULL);

  return g_strdupv (self->scopes);
}

gboolean
fulcrum_scopes_editor_get_valid (FulcrumScopesEditor *self)
{
  g_return_val_if_fail (FULCRUM_IS_SCOPES_EDITOR (self), FALSE);

  return self->error == NULL;
}

const char *
fulcrum_scopes_editor_get_error (FulcrumScopesEditor *self)
{
  g_return_val_if_fail (FULCRUM_IS_SCOPES_EDITOR (self), NULL);

  return self->error;
}

GtkSwitch *
fulcrum_scopes_editor_get_switch (FulcrumScopesEditor *self,
                                  const char          *scope)
{
  g_return_val_if_fail (FULCRUM_IS_SCOPES_EDITOR (self), NULL);
  g_return_val_if_fail (scope != NULL, NULL);

  return g_hash_table_lookup (self->switches, scope);
}
