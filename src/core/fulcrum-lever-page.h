/* fulcrum-lever-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One page of a run's records as Lever sent them. Each record is kept as its JSON text
 * (a slice of the answer, on one line), so an export can write it as it came without
 * building a tree of it; the parsed records are there too unless the run asked for text
 * only (FULCRUM_LEVER_RUN_RECORD_TEXT). A page is immutable once handed to a page
 * callback, and may be kept (ref it) and read from any thread. */
typedef struct _FulcrumLeverPage FulcrumLeverPage;

#define FULCRUM_TYPE_LEVER_PAGE (fulcrum_lever_page_get_type ())

GType             fulcrum_lever_page_get_type          (void) G_GNUC_CONST;
FulcrumLeverPage *fulcrum_lever_page_ref               (FulcrumLeverPage *page);
void              fulcrum_lever_page_unref             (FulcrumLeverPage *page);

guint             fulcrum_lever_page_get_n_records     (FulcrumLeverPage *page);
/* The record's JSON, compact enough to hold no line break; not NUL-terminated. */
const char       *fulcrum_lever_page_get_record_text   (FulcrumLeverPage *page,
                                                        guint             index,
                                                        gsize            *length);
/* The records, parsed (immutable: copy one to change it). A run that asked for text
 * only parses them here, on the calling thread, the first time this is called. */
JsonArray        *fulcrum_lever_page_get_records       (FulcrumLeverPage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumLeverPage, fulcrum_lever_page_unref)

G_END_DECLS
