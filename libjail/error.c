/*
 * Errors: the caller's struct jail_error for calls, and the list of
 * FILE:LINE diagnostics a configuration collects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jailp.h"

/*
 * Fill err (which may be NULL) and return -1, so that callers can write
 * "return jail_seterr(...)".  A code adds ": strerror(code)".
 */
int
jail_seterr(struct jail_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (err == NULL)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (code != 0) {
		n = strlen(err->msg);
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s",
		    strerror(code));
	}
	return -1;
}

/*
 * Record a diagnostic, once: the same message at the same place (a global
 * statement checked for every jail) is kept a single time.  Past
 * JAIL_MAXDIAGS a last "too many errors" stands for the rest.
 */
void
jail_diag_add(struct jail_conf *conf, const char *file, int line, int warning,
    const char *fmt, ...)
{
	struct jail_diagrec *nd, *r;
	va_list ap;
	char *msg;
	size_t i;

	if (conf->ndiags > JAIL_MAXDIAGS) {
		if (!warning)
			conf->nerrors++;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (conf->ndiags == JAIL_MAXDIAGS) {
		free(msg);
		msg = strdup("too many errors; stopped listing them");
		warning = 0;
	}
	if (msg == NULL)
		return; /* out of memory: the count below still fails the file
		         */
	for (i = 0; i < conf->ndiags; i++) {
		r = &conf->diags[i];
		if (r->d.line == line && r->d.file == file &&
		    strcmp(r->msg, msg) == 0) {
			free(msg);
			return;
		}
	}
	if (conf->ndiags == conf->diagcap) {
		nd = reallocarray(conf->diags, conf->diagcap * 2 + 16,
		    sizeof(*nd));
		if (nd == NULL) {
			free(msg);
			conf->nerrors += !warning;
			return;
		}
		conf->diags = nd;
		conf->diagcap = conf->diagcap * 2 + 16;
	}
	r = &conf->diags[conf->ndiags++];
	r->msg = msg;
	r->d.file = file;
	r->d.line = line;
	r->d.warning = warning;
	r->d.msg = msg;
	if (!warning)
		conf->nerrors++;
}

/* Summarise the first error of conf in err. */
void
jail_diag_first(const struct jail_conf *conf, struct jail_error *err)
{
	size_t i;

	for (i = 0; i < conf->ndiags; i++) {
		if (conf->diags[i].d.warning)
			continue;
		jail_seterr(err, 0, "%s:%d: %s", conf->diags[i].d.file,
		    conf->diags[i].d.line, conf->diags[i].d.msg);
		return;
	}
	jail_seterr(err, ENOMEM, "configuration");
}

size_t
jail_conf_ndiags(const struct jail_conf *conf)
{
	return conf->ndiags;
}

const struct jail_diag *
jail_conf_diag(const struct jail_conf *conf, size_t i)
{
	return i < conf->ndiags ? &conf->diags[i].d : NULL;
}

size_t
jail_conf_nerrors(const struct jail_conf *conf)
{
	return conf->nerrors;
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct jail_diagrec *x = a, *y = b;

	if (x->fileno != y->fileno)
		return x->fileno < y->fileno ? -1 : 1;
	if (x->d.line != y->d.line)
		return x->d.line < y->d.line ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Order the diagnostics as the files are read: by file, then by line. */
void
jail_diag_sort(struct jail_conf *conf)
{
	size_t i, k;

	for (i = 0; i < conf->ndiags; i++) {
		conf->diags[i].order = i;
		conf->diags[i].fileno = conf->nfiles;
		for (k = 0; k < conf->nfiles; k++)
			if (conf->files[k] == conf->diags[i].d.file)
				conf->diags[i].fileno = k;
	}
	if (conf->ndiags > 1)
		qsort(conf->diags, conf->ndiags, sizeof(*conf->diags),
		    diag_cmp);
	for (i = 0; i < conf->ndiags; i++)
		conf->diags[i].d.msg = conf->diags[i].msg;
}

/*
 * Put a prefix before err's message ("mount line 2: " + "...") and return
 * -1.  The code stays; the message already holds its strerror text.
 */
int
jail_preerr(struct jail_error *err, const char *fmt, ...)
{
	char old[JAIL_ERRMAX], pre[JAIL_ERRMAX], both[2 * JAIL_ERRMAX + 2];
	va_list ap;

	if (err == NULL)
		return -1;
	strlcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	snprintf(both, sizeof(both), "%s: %s", pre, old);
	strlcpy(err->msg, both, sizeof(err->msg));
	return -1;
}

/* Append n bytes of s; -1 when out of memory (sb is left as it was). */
int
jail_sbuf_add(struct jail_sbuf *sb, const char *s, size_t n)
{
	char *nb;
	size_t cap;

	if (sb->n + n + 1 > sb->cap) {
		cap = (sb->n + n + 1) * 2;
		if ((nb = realloc(sb->b, cap)) == NULL)
			return -1;
		sb->b = nb;
		sb->cap = cap;
	}
	memcpy(sb->b + sb->n, s, n);
	sb->n += n;
	sb->b[sb->n] = '\0';
	return 0;
}

int
jail_sbuf_str(struct jail_sbuf *sb, const char *s)
{
	return jail_sbuf_add(sb, s, strlen(s));
}
