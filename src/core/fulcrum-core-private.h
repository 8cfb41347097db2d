/* fulcrum-core-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* TRUE for NULL, "" and white space only. */
gboolean fulcrum_str_is_blank           (const char  *str);
/* Replaces *@field with a copy of @value and notifies @pspec, unless nothing changes.
 * Returns whether it changed. */
gboolean fulcrum_object_set_string      (GObject     *object,
                                         char       **field,
                                         const char  *value,
                                         GParamSpec  *pspec);

G_END_DECLS
