/* fulcrum-ui-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

/* Toasts go to the nearest AdwToastOverlay around @widget (or the one its window holds). */
void        fulcrum_ui_show_toast        (GtkWidget    *widget,
                                          const char   *message);
void        fulcrum_ui_show_error        (GtkWidget    *widget,
                                          const char   *context,
                                          const GError *error);
/* Saves @store in the background; a failure becomes a toast on @widget's window. */
void        fulcrum_ui_save_store        (GtkWidget    *widget,
                                          FulcrumStore *store);
const char *fulcrum_ui_environment_title (FulcrumStore *store,
                                          const char   *environment_id);
/* Adds or removes the "error" style class. */
void        fulcrum_ui_set_error_style   (GtkWidget    *widget,
                                          gboolean      error);
void        fulcrum_ui_copy_text         (GtkWidget    *widget,
                                          const char   *text);

G_END_DECLS
