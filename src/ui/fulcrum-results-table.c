/* fulcrum-results-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-results"

#include "config.h"

#include <glib/gi18n.h>

#include "fulcrum-results-format.h"
#include "fulcrum-results-table.h"

struct _FulcrumResultsTable
{
  GtkWidget           parent_instance;

  GListStore         *records;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  GtkWidget          *scroller;
  GtkColumnView      *column_view;
  /* member name → its GtkColumnViewColumn (owned by the column view) */
  GHashTable         *columns;
  /* Records not in @records yet, from @n_added on (see drain_cb()). */
  GPtrArray          *pending;
  guint               n_added;
  guint               drain_id;
};

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (FulcrumResultsTable, fulcrum_results_table, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

#define COLUMN_KEY "fulcrum-key"
/* Main-thread time one idle turn may spend adding rows, and the rows added at a time. */
#define DRAIN_BUDGET_US 8000
#define DRAIN_CHUNK     4

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 4);
  gtk_list_item_set_child (item, inscription);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              const char               *key)
{
  FulcrumResultsRecord *record = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  text = fulcrum_results_dup_cell_text (fulcrum_results_record_get_object (record), key);
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), NULL);
}

static int
compare_records_cb (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const char *key = user_data;

  return fulcrum_results_compare (fulcrum_results_record_get_object ((gpointer) a),
                                  fulcrum_results_record_get_object ((gpointer) b),
                                  key);
}

static int
leading_rank (const char *key)
{
  static const char * const leading[] = { "id", "name", "text", "title" };

  for (guint i = 0; i < G_N_ELEMENTS (leading); i++)
    if (g_str_equal (key, leading[i]))
      return i;

  return G_N_ELEMENTS (leading);
}

static int
column_width (const char *key,
              JsonNode   *first_value)
{
  if (g_str_equal (key, "id"))
    return 130;
  if (fulcrum_results_is_leading_key (key))
    return 200;
  if (fulcrum_results_is_timestamp (key, first_value))
    return 140;
  if (first_value != NULL && JSON_NODE_HOLDS_VALUE (first_value) &&
      json_node_get_value_type (first_value) != G_TYPE_STRING)
    return 90;
  return 160;
}

static void
add_column (FulcrumResultsTable *self,
            const char          *key,
            JsonNode            *first_value)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;
  guint position = 0;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), NULL);
  g_signal_connect_data (factory, "bind", G_CALLBACK (cell_bind_cb), g_strdup (key),
                         (GClosureNotify) G_CALLBACK (g_free), 0);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), NULL);

  column = gtk_column_view_column_new (key, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_fixed_width (column, column_width (key, first_value));
  g_object_set_data_full (G_OBJECT (column), COLUMN_KEY, g_strdup (key), g_free);

  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_records_cb, g_strdup (key), g_free));
  gtk_column_view_column_set_sorter (column, sorter);

  /* id, then name or text: the members that say which record a row is. */
  if (fulcrum_results_is_leading_key (key))
    {
      GListModel *columns = gtk_column_view_get_columns (self->column_view);

      for (; position < g_list_model_get_n_items (columns); position++)
        {
          g_autoptr(GtkColumnViewColumn) other = g_list_model_get_item (columns, position);
          const char *other_key = g_object_get_data (G_OBJECT (other), COLUMN_KEY);

          if (!fulcrum_results_is_leading_key (other_key) ||
              leading_rank (other_key) > leading_rank (key))
            break;
        }
      gtk_column_view_insert_column (self->column_view, position, column);
    }
  else
    {
      gtk_column_view_append_column (self->column_view, column);
    }

  g_hash_table_insert (self->columns, g_strdup (key), column);
}

static void
add_columns_for (FulcrumResultsTable *self,
                 JsonObject          *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    if (!g_hash_table_contains (self->columns, l->data))
      add_column (self, l->data, json_object_get_member (object, l->data));
}

static void
add_pending (FulcrumResultsTable *self,
             guint                n_items)
{
  n_items = MIN (n_items, self->pending->len - self->n_added);
  g_list_store_splice (self->records, g_list_model_get_n_items (G_LIST_MODEL (self->records)),
                       0, self->pending->pdata + self->n_added, n_items);
  self->n_added += n_items;

  if (self->n_added == self->pending->len)
    {
      g_ptr_array_set_size (self->pending, 0);
      self->n_added = 0;
    }
}

/* GTK 4.8's list views make rows for the first 200 items whether they are visible or
 * not, each with a cell per column: added in one go, two pages of a wide list would hold
 * the window for a noticeable time. A few rows per idle turn keep it drawing. */
static gboolean
drain_cb (gpointer user_data)
{
  FulcrumResultsTable *self = user_data;
  gint64 deadline = g_get_monotonic_time () + DRAIN_BUDGET_US;

  while (self->pending->len > 0 && g_get_monotonic_time () < deadline)
    add_pending (self, DRAIN_CHUNK);

  if (self->pending->len > 0)
    return G_SOURCE_CONTINUE;

  self->drain_id = 0;
  return G_SOURCE_REMOVE;
}

static void
flush_pending (FulcrumResultsTable *self)
{
  if (self->pending->len > 0)
    add_pending (self, self->pending->len);
  g_clear_handle_id (&self->drain_id, g_source_remove);
}

static void
selection_changed_cb (FulcrumResultsTable *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
fulcrum_results_table_dispose (GObject *object)
{
  FulcrumResultsTable *self = FULCRUM_RESULTS_TABLE (object);

  g_clear_handle_id (&self->drain_id, g_source_remove);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  self->column_view = NULL;

  G_OBJECT_CLASS (fulcrum_results_table_parent_class)->dispose (object);
}

static void
fulcrum_results_table_finalize (GObject *object)
{
  FulcrumResultsTable *self = FULCRUM_RESULTS_TABLE (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->records);
  g_clear_pointer (&self->columns, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (fulcrum_results_table_parent_class)->finalize (object);
}

static void
fulcrum_results_table_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FulcrumResultsTable *self = FULCRUM_RESULTS_TABLE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_object (value, fulcrum_results_table_get_selected (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fulcrum_results_table_class_init (FulcrumResultsTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fulcrum_results_table_dispose;
  object_class->finalize = fulcrum_results_table_finalize;
  object_class->get_property = fulcrum_results_table_get_property;

  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL,
                         FULCRUM_TYPE_RESULTS_RECORD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fulcrum-results-table");
}

static void
fulcrum_results_table_init (FulcrumResultsTable *self)
{
  GtkSorter *sorter;

  self->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->records = g_list_store_new (FULCRUM_TYPE_RESULTS_RECORD);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);

  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_reorderable (self->column_view, TRUE);
  gtk_column_view_set_show_column_separators (self->column_view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Results"), -1);

  /* Sorting a long list happens in steps, so the window keeps answering meanwhile. */
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->records)),
                                          g_object_ref (sorter));
  gtk_sort_list_model_set_incremental (self->sorted, TRUE);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller),
                                 GTK_WIDGET (self->column_view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}

GtkWidget *
fulcrum_results_table_new (void)
{
  return g_object_new (FULCRUM_TYPE_RESULTS_TABLE, NULL);
}

void
fulcrum_results_table_clear (FulcrumResultsTable *self)
{
  GListModel *columns;

  g_return_if_fail (FULCRUM_IS_RESULTS_TABLE (self));

  g_clear_handle_id (&self->drain_id, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);
  self->n_added = 0;
  g_list_store_remove_all (self->records);

  columns = gtk_column_view_get_columns (self->column_view);
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
  g_hash_table_remove_all (self->columns);
  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
}

void
fulcrum_results_table_append (FulcrumResultsTable *self,
                              JsonArray           *records)
{
  guint length;

  g_return_if_fail (FULCRUM_IS_RESULTS_TABLE (self));
  g_return_if_fail (records != NULL);

  length = json_array_get_length (records);
  for (guint i = 0; i < length; i++)
    {
      FulcrumResultsRecord *record;

      record = fulcrum_results_record_new_from_node (json_array_get_element (records, i));
      add_columns_for (self, fulcrum_results_record_get_object (record));
      g_ptr_array_add (self->pending, record);
    }

  /* Below redrawing, so that frames come between the turns. */
  if (self->drain_id == 0 && self->pending->len > 0)
    self->drain_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, drain_cb, self, NULL);
}

GListModel *
fulcrum_results_table_get_records (FulcrumResultsTable *self)
{
  g_return_val_if_fail (FULCRUM_IS_RESULTS_TABLE (self), NULL);

  flush_pending (self);
  return G_LIST_MODEL (self->records);
}

guint
fulcrum_results_table_get_n_records (FulcrumResultsTable *self)
{
  g_return_val_if_fail (FULCRUM_IS_RESULTS_TABLE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->records)) +
         self->pending->len - self->n_added;
}

char **
fulcrum_results_table_dup_columns (FulcrumResultsTable *self)
{
  GListModel *columns;
  GStrvBuilder *builder;
  char **keys;

  g_return_val_if_fail (FULCRUM_IS_RESULTS_TABLE (self), NULL);

  builder = g_strv_builder_new ();
  columns = gtk_column_view_get_columns (self->column_view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_strv_builder_add (builder, g_object_get_data (G_OBJECT (column), COLUMN_KEY));
    }
  keys = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return keys;
}

GtkColumnView *
fulcrum_results_table_get_column_view (FulcrumResultsTable *self)
{
  g_return_val_if_fail (FULCRUM_IS_RESULTS_TABLE (self), NULL);

  return self->column_view;
}

FulcrumResultsRecord *
fulcrum_results_table_get_selected (FulcrumResultsTable *self)
{
  g_return_val_if_fail (FULCRUM_IS_RESULTS_TABLE (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

void
fulcrum_results_table_select (FulcrumResultsTable *self,
                              guint                position)
{
  g_return_if_fail (FULCRUM_IS_RESULTS_TABLE (self));

  flush_pending (self);
  gtk_single_selection_set_selected (self->selection, position);
}
