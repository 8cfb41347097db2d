/* fulcrum-linked-account.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  FULCRUM_ACCOUNT_STATUS_ACTIVE,
  FULCRUM_ACCOUNT_STATUS_NEEDS_RELINK,
  FULCRUM_ACCOUNT_STATUS_ERROR,
  FULCRUM_ACCOUNT_STATUS_SUSPENDED,
} FulcrumAccountStatus;

#define FULCRUM_TYPE_LINKED_ACCOUNT (fulcrum_linked_account_get_type ())

G_DECLARE_FINAL_TYPE (FulcrumLinkedAccount, fulcrum_linked_account, FULCRUM, LINKED_ACCOUNT, GObject)

const char           *fulcrum_account_status_to_string          (FulcrumAccountStatus status);
gboolean              fulcrum_account_status_from_string        (const char           *str,
                                                                 FulcrumAccountStatus *status);
/* Translated, for the status pill. */
const char           *fulcrum_account_status_get_title          (FulcrumAccountStatus status);

FulcrumLinkedAccount *fulcrum_linked_account_new                (const char *id,
                                                                 const char *profile_id,
                                                                 const char *environment_id);
const char           *fulcrum_linked_account_get_id             (FulcrumLinkedAccount *self);
const char           *fulcrum_linked_account_get_profile_id     (FulcrumLinkedAccount *self);
const char           *fulcrum_linked_account_get_environment_id (FulcrumLinkedAccount *self);
const char           *fulcrum_linked_account_get_label          (FulcrumLinkedAccount *self);
void                  fulcrum_linked_account_set_label          (FulcrumLinkedAccount *self,
                                                                 const char           *label);
FulcrumAccountStatus  fulcrum_linked_account_get_status         (FulcrumLinkedAccount *self);
void                  fulcrum_linked_account_set_status         (FulcrumLinkedAccount *self,
                                                                 FulcrumAccountStatus  status);
/* Last error in the user's words, shown with the error/needs-relink status. */
const char           *fulcrum_linked_account_get_status_message (FulcrumLinkedAccount *self);
void                  fulcrum_linked_account_set_status_message (FulcrumLinkedAccount *self,
                                                                 const char           *message);
const char * const   *fulcrum_linked_account_get_granted_scopes (FulcrumLinkedAccount *self);
void                  fulcrum_linked_account_set_granted_scopes (FulcrumLinkedAccount *self,
                                                                 const char * const   *scopes);
/* Times are Unix time in seconds; 0 means never/unknown. */
gint64                fulcrum_linked_account_get_expires_at     (FulcrumLinkedAccount *self);
void                  fulcrum_linked_account_set_expires_at     (FulcrumLinkedAccount *self,
                                                                 gint64                expires_at);
gint64                fulcrum_linked_account_get_linked_at      (FulcrumLinkedAccount *self);
void                  fulcrum_linked_account_set_linked_at      (FulcrumLinkedAccount *self,
                                                                 gint64                linked_at);
gint64                fulcrum_linked_account_get_last_refresh   (FulcrumLinkedAccount *self);
void                  fulcrum_linked_account_set_last_refresh   (FulcrumLinkedAccount *self,
                                                                 gint64                last_refresh);
gint64                fulcrum_linked_account_get_last_used      (FulcrumLinkedAccount *self);
void                  fulcrum_linked_account_set_last_used      (FulcrumLinkedAccount *self,
                                                                 gint64                last_used);

JsonNode             *fulcrum_linked_account_to_json            (FulcrumLinkedAccount  *self);
FulcrumLinkedAccount *fulcrum_linked_account_new_from_json      (JsonObject            *object,
                                                                 GError               **error);

G_END_DECLS
