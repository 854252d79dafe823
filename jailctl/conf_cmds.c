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
int
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

int
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

struct jail *
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
	struct jail_status st;
	struct jail_error je;
	struct jail_env env;
	struct jail *j;
	json_t *o, *v;
	char *text;
	int json, p, rc = 0;

	json = json_opt(argc, argv);
	if (argc - optind != 1)
		usage();
	if ((j = find_jail(ctl, argv[optind], &rc)) == NULL)
		return rc;
	memset(&env, 0, sizeof(env));
	env.statedir = ctl->statedir;
	if (jail_status(j, &env, &st, &je) == -1)
		memset(&st, 0, sizeof(st));
	/* a running jail's limits as they are in force (after a set) */
	if (st.running)
		(void)jail_live_values(j, &env, &je);
	if (!json) {
		if ((text = jail_format(j, &je)) == NULL)
			errx(1, "%s: %s", jail_name(j), je.msg);
		/* a comment: the output still reads back to the same jail */
		if (st.created)
			printf("# created from template %s (build %s, %s)\n",
			    st.template, st.build, st.method);
		fputs(text, stdout);
		free(text);
		return 0;
	}
	o = json_object();
	for (p = 0; p < jail_param_count(); p++)
		if ((v = param_json(j, p)) != NULL)
			json_object_set_new(o, jail_param_name(p), v);
	if (st.created) {
		v = json_object();
		json_object_set_new(v, "template", json_string(st.template));
		json_object_set_new(v, "build", json_string(st.build));
		json_object_set_new(v, "method", json_string(st.method));
		json_object_set_new(o, "created", v);
	}
	return print_json(o);
}

/* One row of the list. */
struct row {
	const char *name, *state, *hostname, *path, *template;
	const char *const *ip4, *const *ip6;
	size_t nip4, nip6;
	long jid; /* 0: none */
	int pid;  /* 0: none */
};

/*
 * The jails of the configuration, with the state of each, then the jails
 * that only a record in STATEDIR still knows (removed from the file):
 * running ones as running, the rest as absent.
 */
static size_t
list_rows(struct ctl *ctl, struct row **rowsp, struct jail_status **stp,
    char ***strayp)
{
	struct jail_status *st;
	struct jail_error je;
	struct jail_env env;
	struct row *rows;
	const char *const *v;
	char **stray;
	size_t n = jail_conf_njails(ctl->conf), i, ns = 0, cap;
	struct jail *j;
	int ph = jail_param_lookup("host.hostname", NULL);
	int p4 = jail_param_lookup("ip4.addr", NULL);
	int p6 = jail_param_lookup("ip6.addr", NULL);
	int pp = jail_param_lookup("path", NULL);
	int pt = jail_param_lookup("template", NULL);

	memset(&env, 0, sizeof(env));
	env.statedir = ctl->statedir;
	stray = jail_state_names(ctl->statedir, &ns);
	cap = n + ns + 1;
	if ((rows = calloc(cap, sizeof(*rows))) == NULL ||
	    (st = calloc(cap, sizeof(*st))) == NULL)
		err(1, "list");
	for (i = 0; i < n; i++) {
		j = jail_conf_jail(ctl->conf, i);
		rows[i].name = jail_name(j);
		rows[i].hostname = jail_get(j, ph);
		rows[i].path = jail_get(j, pp);
		rows[i].template = jail_get(j, pt);
		rows[i].nip4 = jail_get_list(j, p4, &v);
		rows[i].ip4 = v;
		rows[i].nip6 = jail_get_list(j, p6, &v);
		rows[i].ip6 = v;
		if (jail_status(j, &env, &st[i], &je) == -1)
			warnx("%s: %s", jail_name(j), je.msg);
		rows[i].state = st[i].running ? "running" : "stopped";
		rows[i].jid = st[i].running ? st[i].jid : 0;
		rows[i].pid = st[i].running ? st[i].pid : 0;
	}
	for (i = 0; i < ns; i++) {
		if (jail_conf_find(ctl->conf, stray[i]) != NULL)
			continue;
		if (jail_status_byname(stray[i], &env, &st[n], &je) == -1)
			continue;
		rows[n].name = stray[i];
		rows[n].state = st[n].running ? "running" : "absent";
		rows[n].jid = st[n].running ? st[n].jid : 0;
		rows[n].pid = st[n].running ? st[n].pid : 0;
		rows[n].path = st[n].path[0] ? st[n].path : NULL;
		rows[n].hostname = st[n].hostname[0] ? st[n].hostname : NULL;
		n++;
	}
	*rowsp = rows;
	*stp = st;
	*strayp = stray;
	return n;
}

static json_t *
strlist(const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t k;

	for (k = 0; k < n; k++)
		json_array_append_new(a, json_string(v[k]));
	return a;
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

int
cmd_list(struct ctl *ctl, int argc, char **argv)
{
	static const char *const head[7] = { "JID", "NAME", "STATE", "PID",
		"HOSTNAME", "IP", "PATH" };
	struct jail_status *st;
	struct row *rows;
	char **stray, (*num)[2][24];
	const char *cell[7];
	json_t *a, *o;
	size_t n, i, k, w[7];
	int json;

	json = json_opt(argc, argv);
	if (optind != argc)
		usage();
	if (ctl_loadconf(ctl) == -1)
		return EXIT_USAGE;
	n = list_rows(ctl, &rows, &st, &stray);
	if (json) {
		a = json_array();
		for (i = 0; i < n; i++) {
			o = json_object();
			json_object_set_new(o, "jid",
			    rows[i].jid ? json_integer(rows[i].jid)
			                : json_null());
			json_object_set_new(o, "name",
			    json_string(rows[i].name));
			json_object_set_new(o, "state",
			    json_string(rows[i].state));
			json_object_set_new(o, "pid",
			    rows[i].pid ? json_integer(rows[i].pid)
			                : json_null());
			json_object_set_new(o, "hostname",
			    str_or_null(rows[i].hostname));
			json_object_set_new(o, "ip4",
			    strlist(rows[i].ip4, rows[i].nip4));
			json_object_set_new(o, "ip6",
			    strlist(rows[i].ip6, rows[i].nip6));
			json_object_set_new(o, "path",
			    str_or_null(rows[i].path));
			json_object_set_new(o, "template",
			    str_or_null(rows[i].template));
			json_array_append_new(a, o);
		}
		o = json_object();
		json_object_set_new(o, "jails", a);
		return print_json(o);
	}
	if ((num = calloc(n + 1, sizeof(*num))) == NULL)
		err(1, "list");
	for (k = 0; k < 7; k++)
		w[k] = strlen(head[k]);
	for (i = 0; i < n; i++) {
		if (rows[i].jid)
			snprintf(num[i][0], sizeof(num[i][0]), "%ld",
			    rows[i].jid);
		else
			strlcpy(num[i][0], "-", sizeof(num[i][0]));
		if (rows[i].pid)
			snprintf(num[i][1], sizeof(num[i][1]), "%d",
			    rows[i].pid);
		else
			strlcpy(num[i][1], "-", sizeof(num[i][1]));
	}
	for (i = 0; i <= n; i++) {
		if (i == n && ctl->quiet)
			break;
		if (i < n) {
			cell[0] = num[i][0];
			cell[1] = rows[i].name;
			cell[2] = rows[i].state;
			cell[3] = num[i][1];
			cell[4] = rows[i].hostname ? rows[i].hostname : "-";
			cell[5] = rows[i].nip4 ? rows[i].ip4[0]
			    : rows[i].nip6     ? rows[i].ip6[0]
			                       : "-";
			cell[6] = rows[i].path ? rows[i].path : "-";
		} else
			memcpy(cell, head, sizeof(cell));
		for (k = 0; k < 7; k++)
			if (strlen(cell[k]) > w[k])
				w[k] = strlen(cell[k]);
	}
	if (!ctl->quiet)
		printf("%-*s %-*s %-*s %-*s %-*s %-*s %s\n", (int)w[0], head[0],
		    (int)w[1], head[1], (int)w[2], head[2], (int)w[3], head[3],
		    (int)w[4], head[4], (int)w[5], head[5], head[6]);
	for (i = 0; i < n; i++)
		printf("%-*s %-*s %-*s %-*s %-*s %-*s %s\n", (int)w[0],
		    num[i][0], (int)w[1], rows[i].name, (int)w[2],
		    rows[i].state, (int)w[3], num[i][1], (int)w[4],
		    rows[i].hostname ? rows[i].hostname : "-", (int)w[5],
		    rows[i].nip4       ? rows[i].ip4[0]
		        : rows[i].nip6 ? rows[i].ip6[0]
		                       : "-",
		    rows[i].path ? rows[i].path : "-");
	free(num);
	return 0;
}
