/* fulcrum-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fulcrum-store.h"

G_BEGIN_DECLS

/* Parses the config file into new objects (the arrays own them), or fails without adding
 * any. Sets @newer when the file's schema version is newer than this Fulcrum's. */
gboolean  fulcrum_store_parse_config     (const char  *contents,
                                          gsize        length,
                                          GPtrArray   *environments,
                                          GPtrArray   *profiles,
                                          GPtrArray   *accounts,
                                          gboolean    *newer,
                                          GError     **error);
char     *fulcrum_store_serialize_config (GListModel  *environments,
                                          GListModel  *profiles,
                                          GListModel  *accounts);

G_END_DECLS
