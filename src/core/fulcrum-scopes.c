/* fulcrum-scopes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-scopes"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fulcrum-scopes.h"

G_DEFINE_QUARK (fulcrum-scopes-error-quark, fulcrum_scopes_error)

#define R FULCRUM_SCOPE_ACCESS_READ
#define W FULCRUM_SCOPE_ACCESS_WRITE
#define RES_R(res, title) { res, title, R, res ":read:admin", NULL }
#define RES_RW(res, title) { res, title, R | W, res ":read:admin", res ":write:admin" }
#define RES_W(res, title) { res, title, W, NULL, res ":write:admin" }

/* Lever's catalogue (lever-api.md §3), grouped by resource. */
static const FulcrumScopeResource resources[] = {
  { "offline_access", N_("Offline access"), R, "offline_access", NULL },
  RES_RW ("users", N_("Users")),
  RES_RW ("opportunities", N_("Opportunities")),
  RES_R ("applications", N_("Applications")),
  RES_RW ("contact", N_("Contacts")),
  RES_RW ("notes", N_("Notes")),
  RES_RW ("interviews", N_("Interviews")),
  RES_RW ("panels", N_("Interview panels")),
  RES_RW ("feedback", N_("Feedback")),
  RES_RW ("feedback_templates", N_("Feedback templates")),
  RES_R ("offers", N_("Offers")),
  RES_R ("referrals", N_("Referrals")),
  RES_R ("resumes", N_("Resumes")),
  RES_RW ("files", N_("Files")),
  RES_W ("uploads", N_("Uploads")),
  RES_RW ("forms", N_("Forms")),
  RES_RW ("form_templates", N_("Form templates")),
  RES_RW ("postings", N_("Postings")),
  RES_RW ("requisitions", N_("Requisitions")),
  RES_RW ("requisition_fields", N_("Requisition fields")),
  RES_R ("stages", N_("Stages")),
  RES_R ("archive_reasons", N_("Archive reasons")),
  RES_R ("sources", N_("Sources")),
  RES_R ("tags", N_("Tags")),
  RES_R ("audit_events", N_("Audit events")),
  RES_R ("diversity_surveys", N_("Diversity surveys")),
  RES_R ("eeo_responses", N_("EEO responses")),
  RES_R ("eeo_responses_pii", N_("EEO responses with personal data")),
  RES_RW ("webhooks", N_("Webhooks")),
  { "confidential", N_("Confidential postings, opportunities and requisitions"), R,
    "confidential:access:admin", NULL },
};

#undef RES_R
#undef RES_RW
#undef RES_W
#undef R
#undef W

static const char * const required[] = { "offline_access", "users:read:admin", NULL };

static const char * const default_scopes[] = {
  "offline_access",
  "users:read:admin",
  "opportunities:read:admin",
  "postings:read:admin",
  "stages:read:admin",
  "archive_reasons:read:admin",
  "sources:read:admin",
  "tags:read:admin",
  NULL
};

static const char * const *
known_scopes (void)
{
  static const char **known;

  if (g_once_init_enter (&known))
    {
      GPtrArray *ar = g_ptr_array_new ();

      for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
        {
          if (resources[i].read_scope)
            g_ptr_array_add (ar, (gpointer) resources[i].read_scope);
          if (resources[i].write_scope)
            g_ptr_array_add (ar, (gpointer) resources[i].write_scope);
        }
      g_ptr_array_add (ar, NULL);
      g_once_init_leave (&known, (const char **) g_ptr_array_free (ar, FALSE));
    }

  return known;
}

/* Position in catalogue order, or -1. */
static int
scope_index (const char *scope)
{
  const char * const *known = known_scopes ();

  for (guint i = 0; known[i]; i++)
    if (g_str_equal (known[i], scope))
      return i;

  return -1;
}

/* The read scope that @scope (a write scope) implies, or NULL. */
static const char *
implied_read_scope (const char *scope)
{
  for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
    if (resources[i].write_scope && g_str_equal (resources[i].write_scope, scope))
      return resources[i].read_scope;

  return NULL;
}

const char * const *
fulcrum_scopes_get_known (void)
{
  return known_scopes ();
}

gboolean
fulcrum_scopes_is_known (const char *scope)
{
  g_return_val_if_fail (scope != NULL, FALSE);

  return scope_index (scope) >= 0;
}

gboolean
fulcrum_scopes_is_required (const char *scope)
{
  g_return_val_if_fail (scope != NULL, FALSE);

  return g_strv_contains (required, scope);
}

const char * const *
fulcrum_scopes_get_required (void)
{
  return required;
}

const char * const *
fulcrum_scopes_get_default (void)
{
  return default_scopes;
}

const FulcrumScopeResource *
fulcrum_scopes_get_resources (guint *n_resources)
{
  if (n_resources)
    *n_resources = G_N_ELEMENTS (resources);

  return resources;
}

static int
compare_catalogue_order (gconstpointer a,
                         gconstpointer b)
{
  return scope_index (*(const char **) a) - scope_index (*(const char **) b);
}

char **
fulcrum_scopes_normalize (const char * const  *scopes,
                          GError             **error)
{
  g_autoptr(GPtrArray) set = g_ptr_array_new ();
  g_autoptr(GPtrArray) minimal = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; scopes && scopes[i]; i++)
    {
      g_autofree char *scope = g_strstrip (g_strdup (scopes[i]));

      if (scope[0] == '\0')
        continue;

      if (scope_index (scope) < 0)
        {
          g_set_error (error, FULCRUM_SCOPES_ERROR, FULCRUM_SCOPES_ERROR_UNKNOWN_SCOPE,
                       _("“%s” is not a Lever scope"), scope);
          return NULL;
        }

      /* Keep the catalogue's own string so the set compares by pointer below. */
      if (!g_ptr_array_find_with_equal_func (set, scope, g_str_equal, NULL))
        g_ptr_array_add (set, (gpointer) known_scopes ()[scope_index (scope)]);
    }

  for (guint i = 0; required[i]; i++)
    {
      if (!g_ptr_array_find_with_equal_func (set, required[i], g_str_equal, NULL))
        {
          g_set_error (error, FULCRUM_SCOPES_ERROR, FULCRUM_SCOPES_ERROR_MISSING_REQUIRED,
                       _("Lever requires the scope “%s”"), required[i]);
          return NULL;
        }
    }

  for (guint i = 0; i < set->len; i++)
    {
      const char *scope = g_ptr_array_index (set, i);
      gboolean implied = FALSE;

      /* A write scope includes its read scope, so the read one is redundant, except for the
       * required scopes, which Lever's registration checks by name. */
      if (!fulcrum_scopes_is_required (scope))
        {
          for (guint j = 0; j < set->len && !implied; j++)
            {
              const char *read = implied_read_scope (g_ptr_array_index (set, j));

              implied = read != NULL && g_str_equal (read, scope);
            }
        }

      if (!implied)
        g_ptr_array_add (minimal, g_strdup (scope));
    }

  if (minimal->len > FULCRUM_SCOPES_MAX)
    {
      g_set_error (error, FULCRUM_SCOPES_ERROR, FULCRUM_SCOPES_ERROR_TOO_MANY,
                   ngettext ("Lever allows at most %d scopes per app; this profile asks for %u",
                             "Lever allows at most %d scopes per app; this profile asks for %u",
                             minimal->len),
                   FULCRUM_SCOPES_MAX, minimal->len);
      return NULL;
    }

  g_ptr_array_sort (minimal, compare_catalogue_order);
  g_ptr_array_add (minimal, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&minimal), FALSE);
}

char *
fulcrum_scopes_get_size_hint (const char * const *scopes)
{
  guint n = scopes ? g_strv_length ((char **) scopes) : 0;

  if (n < FULCRUM_SCOPES_RECOMMENDED_MIN || n > FULCRUM_SCOPES_RECOMMENDED_MAX)
    return g_strdup_printf (_("Most Lever integrations need %d to %d scopes; this profile has %u"),
                            FULCRUM_SCOPES_RECOMMENDED_MIN, FULCRUM_SCOPES_RECOMMENDED_MAX, n);

  return NULL;
}

gboolean
fulcrum_scopes_covers (const char * const *granted,
                       const char         *scope)
{
  g_return_val_if_fail (scope != NULL, FALSE);

  for (guint i = 0; granted && granted[i]; i++)
    {
      const char *read;

      if (g_str_equal (granted[i], scope))
        return TRUE;

      read = implied_read_scope (granted[i]);
      if (read != NULL && g_str_equal (read, scope))
        return TRUE;
    }

  return FALSE;
}

char **
fulcrum_scopes_from_string (const char *str)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (str == NULL)
    return g_strv_builder_end (builder);

  parts = g_strsplit_set (str, " \t\n", -1);
  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

char *
fulcrum_scopes_to_string (const char * const *scopes)
{
  if (scopes == NULL)
    return g_strdup ("");

  return g_strjoinv (" ", (char **) scopes);
}
