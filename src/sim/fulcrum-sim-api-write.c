/* fulcrum-sim-api-write.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-sim"

#include "config.h"

#include <string.h>

#include "fulcrum-sim-private.h"

/* The common writes: create an opportunity, add a note, add or remove tags, change the
 * stage, archive or restore. Each one updates the record's cached JSON so that the next
 * read sees it. They live in memory only: the data is generated again at the next start. */

static const char * const origins[] = {
  "agency", "applied", "internal", "referred", "sourced", "university", NULL
};

static void
reply_bad_request (FulcrumSimRequest *req,
                   const char        *message)
{
  fulcrum_sim_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest", message);
}

static JsonNode *
parse_body (FulcrumSimRequest *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_bad_request (req, "The request body must be a JSON object");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static gboolean
get_string (FulcrumSimRequest  *req,
            JsonObject         *object,
            const char         *member,
            const char        **value)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *message = g_strdup_printf ("%s must be a string", member);

      reply_bad_request (req, message);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_time (FulcrumSimRequest *req,
          JsonObject        *object,
          const char        *member,
          gint64            *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    {
      g_autofree char *message = g_strdup_printf ("%s must be a time in milliseconds", member);

      reply_bad_request (req, message);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

/* An array of strings; *values stays NULL when the member is absent. */
static gboolean
get_strings (FulcrumSimRequest  *req,
             JsonObject         *object,
             const char         *member,
             GPtrArray         **values)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  *values = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto invalid;
  array = json_node_get_array (node);
  *values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_clear_pointer (values, g_ptr_array_unref);
          goto invalid;
        }
      g_ptr_array_add (*values, g_strdup (json_node_get_string (element)));
    }
  return TRUE;

invalid:
  {
    g_autofree char *message = g_strdup_printf ("%s must be an array of strings", member);

    reply_bad_request (req, message);
    return FALSE;
  }
}

static gboolean
check_user (FulcrumSimRequest  *req,
            const char         *id,
            const char         *what)
{
  FulcrumSimUser *user = fulcrum_sim_list_lookup (req->self->data->users, id);

  if (user == NULL || user->deactivated_at != 0)
    {
      g_autofree char *message = g_strdup_printf ("%s must be the id of an active user", what);

      reply_bad_request (req, message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_perform_as (FulcrumSimRequest  *req,
                gboolean            required,
                const char        **perform_as)
{
  *perform_as = fulcrum_sim_params_get (req->params, "perform_as");
  if (*perform_as == NULL)
    {
      if (required)
        reply_bad_request (req, "perform_as is required");
      return !required;
    }
  return check_user (req, *perform_as, "perform_as");
}

static const char *
default_user (FulcrumSimData *data)
{
  for (guint i = 0; i < data->users->items->len; i++)
    {
      FulcrumSimUser *user = g_ptr_array_index (data->users->items, i);

      if (g_strcmp0 (user->access_role, "super admin") == 0)
        return user->parent.id;
    }
  return ((FulcrumSimRecord *) g_ptr_array_index (data->users->items, 0))->id;
}

static void
add_stage_change (FulcrumSimOpportunity *opp,
                  const char            *stage,
                  const char            *user,
                  gint64                 at)
{
  FulcrumSimStageChange *change = g_new0 (FulcrumSimStageChange, 1);

  change->to_stage = g_strdup (stage);
  change->user = g_strdup (user);
  change->at = at;
  g_ptr_array_add (opp->stage_changes, change);
  g_free (opp->stage);
  opp->stage = g_strdup (stage);
  opp->last_advanced_at = at;
}

static void
reply_opportunity (FulcrumSimRequest     *req,
                   FulcrumSimOpportunity *opp,
                   guint                  status)
{
  fulcrum_sim_request_reply_data (req, status, opp->parent.json, opp->parent.json_len);
  req->n_records = 1;
  req->self->stats.writes++;
}

static gboolean
create_applications (FulcrumSimRequest     *req,
                     FulcrumSimOpportunity *opp,
                     GPtrArray             *postings,
                     const char            *user)
{
  FulcrumSimData *data = req->self->data;

  for (guint i = 0; postings != NULL && i < postings->len; i++)
    {
      FulcrumSimApplication *app = g_new0 (FulcrumSimApplication, 1);

      app->parent.id = fulcrum_sim_data_new_id ();
      app->parent.created_at = app->parent.sort_at = opp->parent.created_at;
      app->opportunity_id = g_strdup (opp->parent.id);
      app->posting_id = g_strdup (g_ptr_array_index (postings, i));
      app->type = g_strdup ("user");
      app->user = g_strdup (user);
      fulcrum_sim_application_serialize (app, data);
      fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_APPLICATIONS], app);
    }
  return TRUE;
}

void
fulcrum_sim_api_create_opportunity (FulcrumSimRequest *req)
{
  FulcrumSimServer *self = req->self;
  FulcrumSimData *data = self->data;
  gint64 now = fulcrum_sim_server_now_us (self) / 1000;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) emails = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GPtrArray) followers = NULL;
  g_autoptr(GPtrArray) postings = NULL;
  g_autoptr(GPtrArray) phones = NULL;
  const char *perform_as, *name, *headline, *stage, *location, *origin, *owner, *contact;
  gboolean confidential = FALSE;
  FulcrumSimOpportunity *opp;
  JsonObject *body;
  JsonNode *phones_node;
  gint64 created_at = now;

  if (!get_perform_as (req, TRUE, &perform_as) || (root = parse_body (req)) == NULL)
    return;
  body = json_node_get_object (root);
  if (!get_string (req, body, "name", &name) || !get_string (req, body, "headline", &headline) ||
      !get_string (req, body, "stage", &stage) || !get_string (req, body, "location", &location) ||
      !get_string (req, body, "origin", &origin) || !get_string (req, body, "owner", &owner) ||
      !get_string (req, body, "contact", &contact) ||
      !get_strings (req, body, "emails", &emails) || !get_strings (req, body, "links", &links) ||
      !get_strings (req, body, "tags", &tags) || !get_strings (req, body, "sources", &sources) ||
      !get_strings (req, body, "followers", &followers) ||
      !get_strings (req, body, "postings", &postings) ||
      !get_time (req, body, "createdAt", &created_at))
    return;

  if (name == NULL || name[0] == '\0')
    {
      reply_bad_request (req, "name is required");
      return;
    }
  if (stage == NULL)
    stage = "lead-new";
  if (fulcrum_sim_list_lookup (data->stages, stage) == NULL)
    {
      reply_bad_request (req, "stage must be the id of a stage");
      return;
    }
  if (origin == NULL)
    origin = postings != NULL && postings->len > 0 ? "applied" : "sourced";
  if (!g_strv_contains (origins, origin))
    {
      reply_bad_request (req, "origin must be one of agency, applied, internal, referred, "
                              "sourced, university");
      return;
    }
  if (owner == NULL)
    owner = perform_as;
  else if (!check_user (req, owner, "owner"))
    return;
  for (guint i = 0; followers != NULL && i < followers->len; i++)
    if (!check_user (req, g_ptr_array_index (followers, i), "followers"))
      return;
  for (guint i = 0; postings != NULL && i < postings->len; i++)
    {
      FulcrumSimRecord *posting = fulcrum_sim_list_lookup (data->postings,
                                                           g_ptr_array_index (postings, i));

      if (posting == NULL)
        {
          reply_bad_request (req, "postings must be ids of postings");
          return;
        }
      confidential |= posting->confidential;
    }
  if (confidential && !fulcrum_sim_api_require_scope (req, "confidential:access:admin"))
    return;

  phones = g_ptr_array_new_with_free_func (g_free);
  phones_node = json_object_get_member (body, "phones");
  if (phones_node != NULL && JSON_NODE_HOLDS_ARRAY (phones_node))
    {
      JsonArray *array = json_node_get_array (phones_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *phone = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                               : NULL;
          const char *type = NULL, *value = NULL;

          if (phone == NULL || !get_string (req, phone, "type", &type) ||
              !get_string (req, phone, "value", &value) || value == NULL)
            {
              if (req->body == NULL)
                reply_bad_request (req, "phones must be objects with a type and a value");
              return;
            }
          g_ptr_array_add (phones, g_strdup_printf ("%s\n%s", type ? type : "other", value));
        }
    }

  /* the same person (by email) gets the same contact */
  for (guint i = 0; contact == NULL && emails != NULL && i < emails->len; i++)
    contact = g_hash_table_lookup (data->contacts_by_email, g_ptr_array_index (emails, i));

  opp = g_new0 (FulcrumSimOpportunity, 1);
  opp->parent.id = fulcrum_sim_data_new_id ();
  opp->parent.created_at = opp->parent.sort_at = created_at;
  opp->parent.updated_at = now;
  opp->parent.confidential = confidential;
  opp->name = g_strdup (name);
  opp->headline = g_strdup (headline ? headline : "");
  opp->contact = contact != NULL ? g_strdup (contact) : fulcrum_sim_data_new_id ();
  opp->location = g_strdup (location);
  opp->origin = g_strdup (origin);
  opp->owner = g_strdup (owner);
  opp->sourced_by = strcmp (origin, "sourced") == 0 ? g_strdup (perform_as) : NULL;
  opp->emails = emails ? g_steal_pointer (&emails) : g_ptr_array_new_with_free_func (g_free);
  opp->phones = g_steal_pointer (&phones);
  opp->links = links ? g_steal_pointer (&links) : g_ptr_array_new_with_free_func (g_free);
  opp->tags = tags ? g_steal_pointer (&tags) : g_ptr_array_new_with_free_func (g_free);
  opp->sources = sources ? g_steal_pointer (&sources) : g_ptr_array_new_with_free_func (g_free);
  opp->followers = followers ? g_steal_pointer (&followers)
                             : g_ptr_array_new_with_free_func (g_free);
  if (!g_ptr_array_find_with_equal_func (opp->followers, owner, g_str_equal, NULL))
    g_ptr_array_add (opp->followers, g_strdup (owner));
  opp->stage_changes = g_ptr_array_new_with_free_func (fulcrum_sim_stage_change_free);
  add_stage_change (opp, stage, perform_as, created_at);
  opp->last_interaction_at = created_at;
  for (guint i = 0; i < FULCRUM_SIM_N_CHILDREN; i++)
    opp->children[i] = fulcrum_sim_list_new (FALSE, i == FULCRUM_SIM_CHILD_APPLICATIONS
                                                    ? fulcrum_sim_application_free
                                                    : fulcrum_sim_record_free_plain);

  fulcrum_sim_list_insert (data->opportunities, opp);
  create_applications (req, opp, postings, perform_as);
  for (guint i = 0; i < opp->emails->len; i++)
    if (!g_hash_table_contains (data->contacts_by_email, g_ptr_array_index (opp->emails, i)))
      g_hash_table_insert (data->contacts_by_email, g_strdup (g_ptr_array_index (opp->emails, i)),
                           g_strdup (opp->contact));
  fulcrum_sim_opportunity_serialize (opp, data);
  data->counts_stale = TRUE;
  reply_opportunity (req, opp, SOUP_STATUS_CREATED);
}

static void
add_note (FulcrumSimRequest     *req,
          FulcrumSimOpportunity *opp,
          JsonObject            *body,
          const char            *perform_as,
          gint64                 now)
{
  JsonNode *secret_node = json_object_get_member (body, "secret");
  JsonNode *score_node = json_object_get_member (body, "score");
  g_autofree char *id = NULL;
  const char *value;
  gint64 created_at = now;
  gboolean secret = FALSE;
  gint64 score = 0;
  GString *out;

  if (!get_string (req, body, "value", &value) || !get_time (req, body, "createdAt", &created_at))
    return;
  if (value == NULL || value[0] == '\0')
    {
      reply_bad_request (req, "value is required");
      return;
    }
  if (secret_node != NULL && JSON_NODE_HOLDS_VALUE (secret_node))
    secret = json_node_get_boolean (secret_node);
  if (score_node != NULL && JSON_NODE_HOLDS_VALUE (score_node))
    score = json_node_get_int (score_node);
  if (score < 0 || score > 4)
    {
      reply_bad_request (req, "score must be from 1 to 4");
      return;
    }

  id = fulcrum_sim_data_new_id ();
  fulcrum_sim_list_insert (opp->children[FULCRUM_SIM_CHILD_NOTES],
                           fulcrum_sim_note_new (id, value,
                                                 perform_as ? perform_as
                                                            : default_user (req->self->data),
                                                 secret, score, created_at));
  opp->last_interaction_at = MAX (opp->last_interaction_at, created_at);
  opp->parent.updated_at = now;
  fulcrum_sim_opportunity_serialize (opp, req->self->data);

  out = g_string_new ("{\"data\":{\"noteId\":");
  fulcrum_sim_json_escape (out, id);
  g_string_append (out, "}}");
  fulcrum_sim_request_reply (req, SOUP_STATUS_CREATED, "application/json", out);
  req->self->stats.writes++;
}

static void
change_tags (FulcrumSimRequest     *req,
             FulcrumSimOpportunity *opp,
             JsonObject            *body,
             gboolean               add)
{
  g_autoptr(GPtrArray) tags = NULL;

  if (!get_strings (req, body, "tags", &tags))
    return;
  if (tags == NULL || tags->len == 0)
    {
      reply_bad_request (req, "tags must be a non-empty array of strings");
      return;
    }
  for (guint i = 0; i < tags->len; i++)
    {
      const char *tag = g_ptr_array_index (tags, i);
      guint index;
      gboolean found = g_ptr_array_find_with_equal_func (opp->tags, tag, g_str_equal, &index);

      if (add && !found)
        g_ptr_array_add (opp->tags, g_strdup (tag));
      else if (!add && found)
        g_ptr_array_remove_index (opp->tags, index);
    }
  req->self->data->counts_stale = TRUE;
}

static void
change_stage (FulcrumSimRequest     *req,
              FulcrumSimOpportunity *opp,
              JsonObject            *body,
              const char            *perform_as,
              gint64                 now)
{
  const char *stage;

  if (!get_string (req, body, "stage", &stage))
    return;
  if (stage == NULL || fulcrum_sim_list_lookup (req->self->data->stages, stage) == NULL)
    {
      reply_bad_request (req, "stage must be the id of a stage");
      return;
    }
  if (strcmp (stage, opp->stage) != 0)
    add_stage_change (opp, stage, perform_as ? perform_as : default_user (req->self->data), now);
}

static void
change_archived (FulcrumSimRequest     *req,
                 FulcrumSimOpportunity *opp,
                 JsonObject            *body,
                 gint64                 now)
{
  FulcrumSimList *apps = opp->children[FULCRUM_SIM_CHILD_APPLICATIONS];
  const char *reason;

  if (!json_object_has_member (body, "reason"))
    {
      reply_bad_request (req, "reason is required (null to restore the opportunity)");
      return;
    }
  if (!get_string (req, body, "reason", &reason))
    return;
  if (reason != NULL && fulcrum_sim_list_lookup (req->self->data->archive_reasons, reason) == NULL)
    {
      reply_bad_request (req, "reason must be the id of an archive reason");
      return;
    }
  g_free (opp->archive_reason);
  opp->archive_reason = g_strdup (reason);
  opp->archived_at = reason != NULL ? now : 0;
  /* applications show the archive state too */
  for (guint i = 0; i < apps->items->len; i++)
    fulcrum_sim_application_serialize (g_ptr_array_index (apps->items, i), req->self->data);
}

void
fulcrum_sim_api_write_opportunity (FulcrumSimRequest     *req,
                                   FulcrumSimOpportunity *opp,
                                   const char            *action)
{
  gint64 now = fulcrum_sim_server_now_us (req->self) / 1000;
  g_autoptr(JsonNode) root = NULL;
  const char *perform_as;
  JsonObject *body;

  if (!get_perform_as (req, FALSE, &perform_as) || (root = parse_body (req)) == NULL)
    return;
  body = json_node_get_object (root);

  if (strcmp (action, "notes") == 0)
    {
      add_note (req, opp, body, perform_as, now);
      return;
    }

  if (strcmp (action, "addTags") == 0 || strcmp (action, "removeTags") == 0)
    change_tags (req, opp, body, strcmp (action, "addTags") == 0);
  else if (strcmp (action, "stage") == 0)
    change_stage (req, opp, body, perform_as, now);
  else if (strcmp (action, "archived") == 0)
    change_archived (req, opp, body, now);
  else
    g_assert_not_reached ();

  if (req->body != NULL)
    return;   /* refused */
  opp->parent.updated_at = now;
  fulcrum_sim_opportunity_serialize (opp, req->self->data);
  reply_opportunity (req, opp, SOUP_STATUS_OK);
}
