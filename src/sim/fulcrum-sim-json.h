/* fulcrum-sim-json.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small streaming JSON writer into a GString. The simulator serializes each record once
 * and builds pages by concatenation, which a JsonNode tree per request would make slow. */
typedef struct
{
  GString *out;
  guint    depth;
  guint64  need_comma; /* one bit per nesting level */
} FulcrumSimJson;

void  fulcrum_sim_json_init         (FulcrumSimJson *json,
                                     GString        *out);
void  fulcrum_sim_json_begin_object (FulcrumSimJson *json);
void  fulcrum_sim_json_end_object   (FulcrumSimJson *json);
void  fulcrum_sim_json_begin_array  (FulcrumSimJson *json);
void  fulcrum_sim_json_end_array    (FulcrumSimJson *json);
void  fulcrum_sim_json_key          (FulcrumSimJson *json,
                                     const char     *key);
void  fulcrum_sim_json_string       (FulcrumSimJson *json,
                                     const char     *value);
void  fulcrum_sim_json_int          (FulcrumSimJson *json,
                                     gint64          value);
void  fulcrum_sim_json_double       (FulcrumSimJson *json,
                                     double          value);
void  fulcrum_sim_json_bool         (FulcrumSimJson *json,
                                     gboolean        value);
void  fulcrum_sim_json_null         (FulcrumSimJson *json);
/* Inserts already serialized JSON as one value. */
void  fulcrum_sim_json_raw          (FulcrumSimJson *json,
                                     const char     *value,
                                     gssize          len);

/* key + value shorthands; a NULL string or a time of 0 writes null */
void  fulcrum_sim_json_member_string (FulcrumSimJson *json,
                                      const char     *key,
                                      const char     *value);
void  fulcrum_sim_json_member_int    (FulcrumSimJson *json,
                                      const char     *key,
                                      gint64          value);
void  fulcrum_sim_json_member_time   (FulcrumSimJson *json,
                                      const char     *key,
                                      gint64          value);
void  fulcrum_sim_json_member_bool   (FulcrumSimJson *json,
                                      const char     *key,
                                      gboolean        value);
void  fulcrum_sim_json_member_strv   (FulcrumSimJson *json,
                                      const char     *key,
                                      GPtrArray      *values);

void  fulcrum_sim_json_escape        (GString        *out,
                                      const char     *value);

G_END_DECLS
