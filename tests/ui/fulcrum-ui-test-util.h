/* fulcrum-ui-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Generous: a loaded CI machine under ASan is slow, and a wait only fails a test that
 * would otherwise hang. */
#define WAIT_MS 30000

/* fulcrum_test_init_environment() for a test with a display: GTestDBus (the private bus of
 * FULCRUM_TEST_KEYRING=gnome-keyring) unsets DISPLAY, which GTK needs, and has no
 * accessibility bus. */
const char *ui_init_environment          (void);
/* A template child bound by name; fails the test when there is none. */
gpointer    ui_template_child            (gpointer    widget,
                                          GType       type,
                                          const char *name);
gpointer    ui_find_descendant           (gpointer    widget,
                                          GType       type);
/* Runs whatever is pending in the default main context. */
void        ui_iterate                   (void);
/* Lets the (mapped) widget lay out and paint a few frames. */
void        ui_wait_for_frames           (GtkWidget  *widget);
GdkTexture *ui_render                    (GtkWidget  *widget);
/* Into $G_TEST_BUILDDIR. */
void        ui_save_texture              (GdkTexture *texture,
                                          const char *name);
void        ui_save_screenshot           (GtkWidget  *widget,
                                          const char *name);
void        ui_save_composite_screenshot (GtkWidget  *parent,
                                          GtkWidget  *dialog,
                                          const char *name);
/* A visible toplevel of @type, or NULL. */
GtkWindow  *ui_find_window               (GType       type);
/* Waits for a visible toplevel of @type; returns a new reference. */
GtkWindow  *ui_wait_for_window           (GType       type);
void        ui_wait_until_closed         (GtkWindow  *window);
/* What clicking a response button does: the response, then the dialog closes. */
void        ui_answer                    (GtkWindow  *dialog,
                                          const char *response);
guint       ui_list_box_n_rows           (GtkListBox *list);
void        ui_set_text                  (gpointer    editable,
                                          const char *text);
/* Runs the main context (waking up at least every 20 ms) until @condition holds; fails
 * the test after WAIT_MS. */
void        ui_wait_until                (gboolean  (*condition) (gpointer user_data),
                                          gpointer    user_data);
/* The same for at most @timeout_ms; returns whether @condition holds. */
gboolean    ui_wait_until_for            (gboolean  (*condition) (gpointer user_data),
                                          gpointer    user_data,
                                          guint       timeout_ms);

G_END_DECLS
