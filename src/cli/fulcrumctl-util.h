/* fulcrumctl-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fulcrum-core.h"

G_BEGIN_DECLS

/* Exit status of every command; scripts rely on these. */
typedef enum
{
  FULCRUMCTL_EXIT_OK           = 0,
  FULCRUMCTL_EXIT_FAILED       = 1,
  FULCRUMCTL_EXIT_USAGE        = 2,
  FULCRUMCTL_EXIT_NEEDS_RELINK = 3,
} FulcrumctlExit;

#define FULCRUMCTL_ERROR (fulcrumctl_error_quark ())

typedef enum
{
  /* Wrong command line or a bad value: exit status 2. */
  FULCRUMCTL_ERROR_USAGE,
  /* Something that exists was asked for and is not there: exit status 1. */
  FULCRUMCTL_ERROR_NOT_FOUND,
  FULCRUMCTL_ERROR_FAILED,
} FulcrumctlError;

/* The longest client secret read from standard input, in bytes. */
#define FULCRUMCTL_SECRET_MAX 4096

typedef struct
{
  const char *name;
  const char *summary;  /* N_() */
  int       (*run)     (int    argc,
                        char **argv);
} FulcrumctlCommand;

GQuark         fulcrumctl_error_quark          (void);

/* Runs the command of @group named by argv[1]; argv[0] is the group's name. */
int            fulcrumctl_dispatch             (const char               *group,
                                                const char               *summary,
                                                const FulcrumctlCommand  *commands,
                                                guint                     n_commands,
                                                int                       argc,
                                                char                    **argv);

/* Parses a command's options (adding --help). Returns FALSE when the command must
 * stop and return *exit_status: 0 after --help, 2 after a usage error (already printed). */
gboolean       fulcrumctl_parse_options        (const char    *parameter_string,
                                                const char    *summary,
                                                const char    *description,
                                                const GOptionEntry *entries,
                                                int           *argc,
                                                char        ***argv,
                                                int           *exit_status);

/* Prints "fulcrumctl: <message>" and a pointer to --help; returns FULCRUMCTL_EXIT_USAGE. */
int            fulcrumctl_usage_error          (const char    *format,
                                                ...) G_GNUC_PRINTF (1, 2);
/* For a command that takes exactly one argument (argv[1]): FALSE, with *exit_status set
 * to FULCRUMCTL_EXIT_USAGE, after printing @missing when there is none, or naming the
 * first extra one. */
gboolean       fulcrumctl_one_argument         (int            argc,
                                                char         **argv,
                                                const char    *missing,
                                                int           *exit_status);
/* Prints "fulcrumctl: <message>" and returns the exit status @error calls for. */
int            fulcrumctl_report_error         (const GError  *error);
int            fulcrumctl_exit_status_for_error (const GError *error);
void           fulcrumctl_warning              (const char    *format,
                                                ...) G_GNUC_PRINTF (1, 2);
void           fulcrumctl_note                 (const char    *format,
                                                ...) G_GNUC_PRINTF (1, 2);

/* Loads the config. A corrupt file is reported as a warning and the store is used empty;
 * a file written by a newer Fulcrum is only read (a warning), and refused when @for_writing. */
FulcrumStore  *fulcrumctl_open_store           (gboolean       for_writing,
                                                GError       **error);

/* Run-until-done for async calls: pass fulcrumctl_async_result_cb with &result as user
 * data, then fulcrumctl_wait_for_result (&result) and call the _finish function. */
void           fulcrumctl_async_result_cb      (GObject       *object,
                                                GAsyncResult  *result,
                                                gpointer       user_data);
GAsyncResult  *fulcrumctl_wait_for_result      (GAsyncResult **result);

/* The keyring calls, each run until done. */
gboolean       fulcrumctl_store_client_secret  (const char    *profile_id,
                                                const char    *secret,
                                                GError       **error);
gboolean       fulcrumctl_clear_profile_secrets (const char   *profile_id,
                                                 GError      **error);

/* Reads one line from standard input, without echo when it is a terminal (then after
 * printing @prompt to stderr). The newline is stripped; an empty secret is refused.
 * Free with fulcrum_secret_free(). */
char          *fulcrumctl_read_secret          (const char    *prompt,
                                                GError       **error);

/* Splits repeated --scope values, each of which may hold several names separated by
 * spaces or commas. Returns NULL when @values is NULL. */
char         **fulcrumctl_collect_scopes       (char         **values);

/* Adds @member with @value, or null when @value is NULL. */
void           fulcrumctl_json_add_string      (JsonBuilder   *builder,
                                                const char    *member,
                                                const char    *value);
void           fulcrumctl_print_json           (JsonNode      *node);

/* Aligned columns for human output. */
typedef struct _FulcrumctlTable FulcrumctlTable;

FulcrumctlTable *fulcrumctl_table_new          (guint          n_columns,
                                                ...);
void           fulcrumctl_table_add_row        (FulcrumctlTable *self,
                                                ...);
void           fulcrumctl_table_print          (FulcrumctlTable *self);
void           fulcrumctl_table_free           (FulcrumctlTable *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FulcrumctlTable, fulcrumctl_table_free)

G_END_DECLS
