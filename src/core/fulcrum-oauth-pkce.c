/* fulcrum-oauth-pkce.c: randomness, PKCE and the parameters of a redirect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fulcrum-oauth"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

#include "fulcrum-oauth-private.h"

gboolean
fulcrum_oauth_random_bytes (guint8  *buffer,
                            gsize    length,
                            GError **error)
{
  gsize filled = 0;

  while (filled < length)
    {
      /* Blocks only until the kernel's pool is first initialized, never after. */
      gssize n = getrandom (buffer + filled, length - filled, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          g_set_error (error, FULCRUM_OAUTH_ERROR, FULCRUM_OAUTH_ERROR_MISCONFIGURED,
                       _("The system could not provide random numbers: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }
      filled += n;
    }

  return TRUE;
}

char *
fulcrum_oauth_base64url_encode (const guint8 *data,
                                gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end;

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  if ((end = strchr (text, '=')) != NULL)
    *end = '\0';

  return text;
}

char *
fulcrum_oauth_random_token (gsize    n_bytes,
                            GError **error)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  char *token = NULL;

  if (fulcrum_oauth_random_bytes (bytes, n_bytes, error))
    token = fulcrum_oauth_base64url_encode (bytes, n_bytes);

  explicit_bzero (bytes, n_bytes);
  return token;
}

char *
fulcrum_oauth_challenge_s256 (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  char *challenge;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  challenge = fulcrum_oauth_base64url_encode (digest, length);
  explicit_bzero (digest, sizeof digest);

  return challenge;
}

gboolean
fulcrum_oauth_secure_equal (const char *a,
                            const char *b)
{
  gsize length;
  guint8 diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;

  length = strlen (a);
  if (length != strlen (b))
    return FALSE;

  for (gsize i = 0; i < length; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];

  return diff == 0;
}

void
fulcrum_oauth_wipe_free (char *str)
{
  if (str != NULL)
    {
      explicit_bzero (str, strlen (str));
      g_free (str);
    }
}

/* application/x-www-form-urlencoded decoding of one name or value; NULL when it is not
 * valid (a bad escape, an embedded NUL, or not UTF-8). */
static char *
form_decode (const char *start,
             gsize       length)
{
  g_autofree char *plus = g_strndup (start, length);
  char *decoded;

  g_strdelimit (plus, "+", ' ');
  decoded = g_uri_unescape_string (plus, NULL);
  explicit_bzero (plus, length);

  if (decoded != NULL && !g_utf8_validate (decoded, -1, NULL))
    g_clear_pointer (&decoded, fulcrum_oauth_wipe_free);

  return decoded;
}

FulcrumOAuthRedirect *
fulcrum_oauth_redirect_parse (const char *encoded_query)
{
  FulcrumOAuthRedirect *self = g_new0 (FulcrumOAuthRedirect, 1);
  const char *p = encoded_query;

  while (p != NULL && *p != '\0')
    {
      const char *end = strchr (p, '&');
      const char *eq;
      gsize length = end != NULL ? (gsize) (end - p) : strlen (p);
      g_autofree char *name = NULL;
      char **field = NULL;

      eq = memchr (p, '=', length);
      name = form_decode (p, eq != NULL ? (gsize) (eq - p) : length);

      if (g_strcmp0 (name, "code") == 0)
        field = &self->code;
      else if (g_strcmp0 (name, "state") == 0)
        field = &self->state;
      else if (g_strcmp0 (name, "error") == 0)
        field = &self->error;
      else if (g_strcmp0 (name, "error_description") == 0)
        field = &self->error_description;
      else if (g_strcmp0 (name, "iss") == 0)
        field = &self->iss;

      /* Anything else is not read at all. */
      if (field != NULL)
        {
          char *value = eq != NULL ? form_decode (eq + 1, length - (eq + 1 - p)) : g_strdup ("");

          if (*field != NULL || value == NULL)
            {
              self->malformed = TRUE;
              fulcrum_oauth_wipe_free (value);
            }
          else
            {
              *field = value;
            }
        }

      p = end != NULL ? end + 1 : NULL;
    }

  return self;
}

gboolean
fulcrum_oauth_redirect_is_empty (const FulcrumOAuthRedirect *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->code == NULL && self->state == NULL && self->error == NULL &&
         self->error_description == NULL && self->iss == NULL && !self->malformed;
}

void
fulcrum_oauth_redirect_free (FulcrumOAuthRedirect *self)
{
  if (self == NULL)
    return;

  fulcrum_oauth_wipe_free (self->code);
  fulcrum_oauth_wipe_free (self->state);
  g_free (self->error);
  g_free (self->error_description);
  g_free (self->iss);
  g_free (self);
}
