/* fulcrum-ui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Driving windows under Xvfb: waiting for them, answering dialogs, screenshots.
 */

#include "config.h"

#include "fulcrum-test-util.h"
#include "fulcrum-ui-test-util.h"

const char *
ui_init_environment (void)
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  const char *root = fulcrum_test_init_environment ();

  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  /* That private bus has no accessibility bus either, and GTK warns (fatally, in a test)
   * when it finds none. */
  if (g_strcmp0 (g_getenv ("FULCRUM_TEST_KEYRING"), "gnome-keyring") == 0)
    g_setenv ("GTK_A11Y", "none", TRUE);

  return root;
}

gpointer
ui_template_child (gpointer    widget,
                   GType       type,
                   const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

void
ui_iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  guint    frames;
  gboolean done;
} Frames;

static gboolean
count_frames_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  Frames *frames = user_data;

  if (++frames->frames < 3)
    return G_SOURCE_CONTINUE;

  frames->done = TRUE;
  return G_SOURCE_REMOVE;
}

void
ui_wait_for_frames (GtkWidget *widget)
{
  Frames frames = { 0, FALSE };

  g_assert_true (gtk_widget_get_mapped (widget));

  gtk_widget_add_tick_callback (widget, count_frames_cb, &frames, NULL);
  gtk_widget_queue_draw (widget);
  fulcrum_test_wait_for (&frames.done, WAIT_MS);
  ui_iterate ();
}

gpointer
ui_find_descendant (gpointer widget,
                    GType    type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gpointer found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = ui_find_descendant (child, type)) != NULL)
        return found;
    }

  return NULL;
}

GdkTexture *
ui_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  ui_wait_for_frames (widget);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
ui_save_texture (GdkTexture *texture,
                 const char *name)
{
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("G_TEST_BUILDDIR");

  path = g_build_filename (dir ? dir : ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

void
ui_save_screenshot (GtkWidget  *widget,
                    const char *name)
{
  g_autoptr(GdkTexture) texture = ui_render (widget);

  ui_save_texture (texture, name);
}

/* The main window, dimmed, with a modal dialog centred over it, as a person sees them. */
void
ui_save_composite_screenshot (GtkWidget  *parent,
                              GtkWidget  *dialog,
                              const char *name)
{
  g_autoptr(GdkTexture) parent_texture = ui_render (parent);
  g_autoptr(GdkTexture) dialog_texture = ui_render (dialog);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int pw = gdk_texture_get_width (parent_texture);
  int ph = gdk_texture_get_height (parent_texture);
  int dw = gdk_texture_get_width (dialog_texture);
  int dh = gdk_texture_get_height (dialog_texture);
  int width = MAX (pw, dw);
  int height = MAX (ph, dh);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gtk_snapshot_append_texture (snapshot, parent_texture, &GRAPHENE_RECT_INIT (0, 0, pw, ph));
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.2 },
                             &GRAPHENE_RECT_INIT (0, 0, pw, ph));
  gtk_snapshot_append_texture (snapshot, dialog_texture,
                               &GRAPHENE_RECT_INIT ((width - dw) / 2, (height - dh) / 2, dw, dh));
  node = gtk_snapshot_free_to_node (snapshot);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (parent)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  ui_save_texture (texture, name);
}

GtkWindow *
ui_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel; /* the toplevel list keeps it alive */
    }

  return NULL;
}

GtkWindow *
ui_wait_for_window (GType type)
{
  GtkWindow *found;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  ui_iterate ();
  while ((found = ui_find_window (type)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_nonnull (found);
  /* A reference of the test's own: a closed window is destroyed, and the test may still
   * want to look at it. */
  return g_object_ref (found);
}

void
ui_wait_until_closed (GtkWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (gtk_widget_get_visible (GTK_WIDGET (window)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
}

void
ui_answer (GtkWindow  *dialog,
           const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_close (dialog);
  ui_iterate ();
}

guint
ui_list_box_n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;

  return n;
}

void
ui_set_text (gpointer    editable,
             const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
  ui_iterate ();
}

static gboolean
poll_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
ui_wait_until_for (gboolean (*condition) (gpointer user_data),
                   gpointer   user_data,
                   guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint id = g_timeout_add (20, poll_cb, NULL);

  while (!condition (user_data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  return condition (user_data);
}

void
ui_wait_until (gboolean (*condition) (gpointer user_data),
               gpointer   user_data)
{
  g_assert_true (ui_wait_until_for (condition, user_data, WAIT_MS));
}

