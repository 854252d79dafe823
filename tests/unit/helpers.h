/*
 * Helpers shared by the unit tests: parse a string into a resolved
 * configuration, show its diagnostics as text, fetch values by name.
 *
 * Returned strings live in static buffers that the next call of the same
 * helper may reuse: compare them at once, do not keep them.
 */
#ifndef HELPERS_H
#define HELPERS_H

#include <sys/types.h>

#include <check.h>
#include <stdint.h>

#include "libjail.h"

/* What the last parse*() call returned, and what it put in err. */
extern int h_load_rc, h_resolve_rc;
extern struct jail_error h_load_err, h_resolve_err;

/*
 * Load src as file "t.conf" (or name) and resolve it, whatever the load
 * returned; never NULL.  The caller frees with jail_conf_free().
 */
struct jail_conf *parse(const char *src);
struct jail_conf *parse_flags(const char *src, int flags);
struct jail_conf *parse_as(const char *name, const char *src, size_t len,
    int flags);

/*
 * All diagnostics, one "FILE:LINE: message\n" each, in the library's order;
 * a warning reads "FILE:LINE: warning: message\n".  "" when none.
 */
const char *diags(const struct jail_conf *conf);

/* Is "FILE:LINE: message" (without newline) one of the diagnostics? */
int has_diag(const struct jail_conf *conf, const char *line);

/* The diagnostics of src parsed as "t.conf" (the configuration is freed). */
const char *errors_of(const char *src);

/*
 * Values of parameter pname of jail jname: jail_get(), the list joined with
 * " | " ("" when empty), jail_get_num() and its hard limit.  Each asserts
 * that the jail and the parameter exist.
 */
const char *get(const struct jail_conf *conf, const char *jname,
    const char *pname);
const char *getl(const struct jail_conf *conf, const char *jname,
    const char *pname);
size_t getn_count(const struct jail_conf *conf, const char *jname,
    const char *pname);
int64_t getn(const struct jail_conf *conf, const char *jname,
    const char *pname);
int64_t geth(const struct jail_conf *conf, const char *jname,
    const char *pname);
int isset(const struct jail_conf *conf, const char *jname, const char *pname);

/* The parameter's index, asserted to exist. */
int pidx(const char *pname);

/*
 * One value read by the table (jail_param_value()): the canonical text, or
 * "ERR: " and the reason.  *num and *hard get the numbers when not NULL.
 */
const char *canon(const char *pname, const char *in);
const char *canon_num(const char *pname, const char *in, int64_t *num,
    int64_t *hard);

/* A file written in a scratch directory; the test removes it. */
void write_file(const char *path, const char *text);

/*
 * Scratch trees: removed without following links or crossing mounts;
 * tpath() is dir/FMT in one of 16 static buffers; mkdir_ok() makes a
 * directory with exactly mode, or fails the test.
 */
void rm_tree(const char *path);
const char *tpath(const char *dir, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mkdir_ok(const char *path, mode_t mode);

/* The diagnostics must be exactly want (see diags()). */
#define ck_assert_diags(conf, want) ck_assert_str_eq(diags(conf), (want))

/* No diagnostic at all, and both calls succeeded. */
#define ck_assert_clean(conf)                                                  \
	do {                                                                   \
		ck_assert_str_eq(diags(conf), "");                             \
		ck_assert_int_eq(h_load_rc, 0);                                \
		ck_assert_int_eq(h_resolve_rc, 0);                             \
	} while (0)

#endif /* HELPERS_H */
