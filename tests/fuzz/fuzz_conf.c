/*
 * libFuzzer target for the jail.conf parser and resolver.  Besides memory
 * errors (ASan, UBSan) it checks one property: a configuration without
 * errors, shown with jail_format() and read again, gives the same text
 * back, so "jailctl show" always writes what it read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libjail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every jail of conf as jail.conf text, in order; malloc'ed. */
static char *
show_all(const struct jail_conf *conf)
{
	struct jail_error je;
	char *all = NULL, *one, *t;
	size_t i;

	if ((all = strdup("")) == NULL)
		abort();
	for (i = 0; i < jail_conf_njails(conf); i++) {
		if ((one = jail_format(jail_conf_jail(conf, i), &je)) == NULL)
			abort();
		if (asprintf(&t, "%s%s", all, one) == -1)
			abort();
		free(all);
		free(one);
		all = t;
	}
	return all;
}

static void
roundtrip(const struct jail_conf *conf)
{
	struct jail_conf *c2;
	struct jail_error je;
	char *a, *b;

	a = show_all(conf);
	if ((c2 = jail_conf_new(JAIL_CONF_NOINCLUDE)) == NULL)
		abort();
	if (jail_conf_load_string(c2, "show", a, strlen(a), &je) == -1 ||
	    jail_conf_resolve(c2, &je) == -1) {
		fprintf(stderr, "show output does not read back: %s\n%s",
		    je.msg, a);
		abort();
	}
	b = show_all(c2);
	if (strcmp(a, b) != 0) {
		fprintf(stderr, "round trip differs:\n%s---\n%s", a, b);
		abort();
	}
	free(a);
	free(b);
	jail_conf_free(c2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jail_conf *conf;
	struct jail_error je;
	size_t i;

	if (size > 65536)
		return 0;
	if ((conf = jail_conf_new(JAIL_CONF_NOINCLUDE)) == NULL)
		return 0;
	jail_conf_load_string(conf, "fuzz", (const char *)data, size, &je);
	if (jail_conf_resolve(conf, &je) == 0)
		roundtrip(conf);
	for (i = 0; i < jail_conf_ndiags(conf); i++)
		if (jail_conf_diag(conf, i)->msg == NULL)
			abort();
	jail_conf_free(conf);
	return 0;
}
