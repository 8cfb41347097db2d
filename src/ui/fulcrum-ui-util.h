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
/* A toast with a button that activates @action_name (with @target, floating, may be NULL). */
void        fulcrum_ui_show_toast_with_action (GtkWidget  *widget,
                                               const char *message,
                                               const char *button_label,
                                               const char *action_name,
                                               GVariant   *target);
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
/* "today at 14:32", or a date and time; "Never" for 0. */
char       *fulcrum_ui_format_time       (gint64        unix_time);
/* "in 59 minutes", "3 hours ago", … */
char       *fulcrum_ui_format_relative   (gint64        unix_time,
                                          gint64        now);
/* The pill's style class per status: active green, needs re-link orange, error red,
 * suspended grey. */
const char *fulcrum_ui_status_style      (FulcrumAccountStatus  status);
void        fulcrum_ui_set_status_pill   (GtkLabel             *pill,
                                          FulcrumAccountStatus  status);

G_END_DECLS
