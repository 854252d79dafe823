/*
 * jailctl: the command line around libjail.
 */
#ifndef JAILCTL_H
#define JAILCTL_H

#include "libjail.h"

#define EXIT_USAGE 2 /* bad usage or a configuration error */

struct ctl {
	const char *confpath;
	const char *statedir;
	int quiet;
	int verbose;
	struct jail_conf *conf;
};

void usage(void) __attribute__((noreturn));
void badopt(int c, char *const *argv) __attribute__((noreturn));
int ctl_loadconf(struct ctl *ctl);

/* conf_cmds.c, for the other verbs */
struct json_t;
int json_opt(int argc, char **argv);
int print_json(struct json_t *o);
struct jail *find_jail(struct ctl *ctl, const char *name, int *rc);

int cmd_check(struct ctl *ctl, int argc, char **argv);
int cmd_show(struct ctl *ctl, int argc, char **argv);
int cmd_list(struct ctl *ctl, int argc, char **argv);
int cmd_start(struct ctl *ctl, int argc, char **argv);
int cmd_stop(struct ctl *ctl, int argc, char **argv);
int cmd_exec(struct ctl *ctl, int argc, char **argv);
int cmd_restart(struct ctl *ctl, int argc, char **argv);
int cmd_create(struct ctl *ctl, int argc, char **argv);
int cmd_destroy(struct ctl *ctl, int argc, char **argv);
int cmd_stats(struct ctl *ctl, int argc, char **argv);
int cmd_set(struct ctl *ctl, int argc, char **argv);

#endif /* JAILCTL_H */
