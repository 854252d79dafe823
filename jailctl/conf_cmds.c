/*
 * The verbs that read the configuration only: check, show, list.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jailctl.h"

/* "--json" as the only option of a verb. */
static int
json_opt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, json = 0;

	while ((ch = getopt_long(argc, argv, ":j", longopts, NULL)) != -1) {
		if (ch != 'j')
			badopt(ch, argv);
		json = 1;
	}
	return json;
}

static int
print_json(json_t *o)
{
	char *s;

	if (o == NULL)
		errx(1, "out of memory");
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		errx(1, "out of memory");
	puts(s);
	free(s);
	return 0;
}

int
cmd_check(struct ctl *ctl, int argc, char **argv)
{
	size_t n;
	int ch;

	if ((ch = getopt(argc, argv, "+:")) != -1)
		badopt(ch, argv);
	if (optind != argc)
		usage();
	if (ctl_loadconf(ctl) == -1)
		return EXIT_USAGE;
	if (ctl->verbose) {
		n = jail_conf_njails(ctl->conf);
		fprintf(stderr, "jailctl: %s: %zu jail%s, no errors\n",
		    ctl->confpath, n, n == 1 ? "" : "s");
	}
	return 0;
}

/* The JSON form of parameter p of j, or NULL when unset. */
static json_t *
param_json(const struct jail *j, int p)
{
	const char *const *v;
	int64_t num, hard;
	json_t *a;
	size_t n, k;

	if ((n = jail_get_list(j, p, &v)) == 0)
		return NULL;
	if (jail_param_flags(p) & JAIL_PF_LIST) {
		a = json_array();
		for (k = 0; k < n; k++)
			json_array_append_new(a, json_string(v[k]));
		return a;
	}
	jail_get_num(j, p, &num, &hard);
	switch (jail_param_type(p)) {
	case JAIL_PT_BOOL:
		return json_boolean(num);
	case JAIL_PT_INT:
	case JAIL_PT_SIZE:
	case JAIL_PT_DURATION:
		if (num == JAIL_UNLIMITED)
			return json_string("max");
		return json_integer(num);
	case JAIL_PT_CORES:
		if (num == JAIL_UNLIMITED)
			return json_string("max");
		return json_real((double)num / 1000);
	default:
		return json_string(v[0]);
	}
}

static struct jail *
find_jail(struct ctl *ctl, const char *name, int *rc)
{
	struct jail_error je;
	struct jail *j;

	if (jail_name_valid(name, &je) == -1) {
		warnx("%s", je.msg);
		*rc = EXIT_USAGE;
		return NULL;
	}
	if (ctl_loadconf(ctl) == -1) {
		*rc = EXIT_USAGE;
		return NULL;
	}
	if ((j = jail_conf_find(ctl->conf, name)) == NULL) {
		warnx("%s: no such jail in %s", name, ctl->confpath);
		*rc = 1;
	}
	return j;
}

int
cmd_show(struct ctl *ctl, int argc, char **argv)
{
	struct jail_error je;
	struct jail *j;
	json_t *o, *v;
	char *text;
	int json, p, rc = 0;

	json = json_opt(argc, argv);
	if (argc - optind != 1)
		usage();
	if ((j = find_jail(ctl, argv[optind], &rc)) == NULL)
		return rc;
	if (!json) {
		if ((text = jail_format(j, &je)) == NULL)
			errx(1, "%s: %s", jail_name(j), je.msg);
		fputs(text, stdout);
		free(text);
		return 0;
	}
	o = json_object();
	for (p = 0; p < jail_param_count(); p++)
		if ((v = param_json(j, p)) != NULL)
			json_object_set_new(o, jail_param_name(p), v);
	return print_json(o);
}

static int
pidx(const char *name)
{
	int p = jail_param_lookup(name, NULL);

	if (p < 0)
		errx(1, "parameter table lacks \"%s\"", name);
	return p;
}

/* One row of the list, as text cells. */
struct row {
	const char *cell[7];
};

int
cmd_list(struct ctl *ctl, int argc, char **argv)
{
	static const char *const head[7] = { "JID", "NAME", "STATE", "PID",
		"HOSTNAME", "IP", "PATH" };
	const char *const *v;
	struct jail *j;
	struct row *rows;
	json_t *a, *o, *l;
	size_t n, i, k, w[7];
	int json, ph, p4, p6, pp, pt;

	json = json_opt(argc, argv);
	if (optind != argc)
		usage();
	if (ctl_loadconf(ctl) == -1)
		return EXIT_USAGE;
	ph = pidx("host.hostname");
	p4 = pidx("ip4.addr");
	p6 = pidx("ip6.addr");
	pp = pidx("path");
	pt = pidx("template");
	n = jail_conf_njails(ctl->conf);
	if (json) {
		a = json_array();
		for (i = 0; i < n; i++) {
			j = jail_conf_jail(ctl->conf, i);
			o = json_object();
			json_object_set_new(o, "jid", json_null());
			json_object_set_new(o, "name",
			    json_string(jail_name(j)));
			json_object_set_new(o, "state", json_string("stopped"));
			json_object_set_new(o, "pid", json_null());
			json_object_set_new(o, "hostname",
			    jail_get(j, ph) ? json_string(jail_get(j, ph))
			                    : json_null());
			l = json_array();
			for (k = 0; k < jail_get_list(j, p4, &v); k++)
				json_array_append_new(l, json_string(v[k]));
			json_object_set_new(o, "ip4", l);
			l = json_array();
			for (k = 0; k < jail_get_list(j, p6, &v); k++)
				json_array_append_new(l, json_string(v[k]));
			json_object_set_new(o, "ip6", l);
			json_object_set_new(o, "path",
			    jail_get(j, pp) ? json_string(jail_get(j, pp))
			                    : json_null());
			json_object_set_new(o, "template",
			    jail_get(j, pt) ? json_string(jail_get(j, pt))
			                    : json_null());
			json_array_append_new(a, o);
		}
		o = json_object();
		json_object_set_new(o, "jails", a);
		return print_json(o);
	}
	if ((rows = calloc(n + 1, sizeof(*rows))) == NULL)
		err(1, "list");
	for (k = 0; k < 7; k++)
		w[k] = strlen(head[k]);
	for (i = 0; i < n; i++) {
		j = jail_conf_jail(ctl->conf, i);
		rows[i].cell[0] = "-";
		rows[i].cell[1] = jail_name(j);
		rows[i].cell[2] = "stopped";
		rows[i].cell[3] = "-";
		rows[i].cell[4] = jail_get(j, ph) ? jail_get(j, ph) : "-";
		rows[i].cell[5] = jail_get(j, p4) ? jail_get(j, p4)
		    : jail_get(j, p6)             ? jail_get(j, p6)
		                                  : "-";
		rows[i].cell[6] = jail_get(j, pp) ? jail_get(j, pp) : "-";
		for (k = 0; k < 7; k++)
			if (strlen(rows[i].cell[k]) > w[k])
				w[k] = strlen(rows[i].cell[k]);
	}
	if (!ctl->quiet)
		printf("%-*s %-*s %-*s %-*s %-*s %-*s %s\n", (int)w[0], head[0],
		    (int)w[1], head[1], (int)w[2], head[2], (int)w[3], head[3],
		    (int)w[4], head[4], (int)w[5], head[5], head[6]);
	for (i = 0; i < n; i++)
		printf("%-*s %-*s %-*s %-*s %-*s %-*s %s\n", (int)w[0],
		    rows[i].cell[0], (int)w[1], rows[i].cell[1], (int)w[2],
		    rows[i].cell[2], (int)w[3], rows[i].cell[3], (int)w[4],
		    rows[i].cell[4], (int)w[5], rows[i].cell[5],
		    rows[i].cell[6]);
	free(rows);
	return 0;
}
