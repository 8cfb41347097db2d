/* fulcrum-core-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fulcrum-core-private.h"

gboolean
fulcrum_str_is_blank (const char *str)
{
  for (; str != NULL && *str != '\0'; str++)
    if (!g_ascii_isspace (*str))
      return FALSE;

  return TRUE;
}

gboolean
fulcrum_object_set_string (GObject     *object,
                           char       **field,
                           const char  *value,
                           GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (object, pspec);

  return TRUE;
}
