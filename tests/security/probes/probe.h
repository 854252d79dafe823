/*
 * The shared half of the security probes: a table of attacks, each run in
 * a child of its own, each reported on one line of stdout:
 *
 *	NAME: ok		the call succeeded
 *	NAME: EPERM		it failed with this errno (strerrorname_np)
 *	NAME: killed by SIGSYS	the child died of a signal
 *	NAME: TEXT		what the probe chose to print instead
 *
 * The probe always exits 0 when every name it was given is known, 2
 * otherwise: the test, not the probe, decides what is expected.
 *
 * Every attack is chosen to be harmless to the host even if the defence
 * under test is missing: bad arguments that fail after the permission
 * check, reads, or no-ops (see each probe's comment).
 *
 * Built static (the jail is a busybox tree with no libc):
 *	cc -static -O2 -o OUT probe.c
 */

#ifndef PROBE_H
#define PROBE_H

#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * An attack: returns the system call's result (>= 0 success, -1 with
 * errno set), or PROBE_PRINTED when it wrote its own result text to
 * probe_text.
 */
#define PROBE_PRINTED (-1000)

struct probe {
	const char *name;
	long (*fn)(void);
};

static char probe_text[256];

static void
report(const char *name, long r, int e)
{
	const char *en;

	if (r == PROBE_PRINTED)
		printf("%s: %s\n", name, probe_text);
	else if (r >= 0)
		printf("%s: ok\n", name);
	else {
		en = strerrorname_np(e);
		if (en != NULL)
			printf("%s: %s\n", name, en);
		else
			printf("%s: errno %d\n", name, e);
	}
	fflush(stdout);
}

/* Runs p in a child; the parent reports a death by signal. */
static void
run_one(const struct probe *p)
{
	pid_t pid;
	int st;
	long r;

	fflush(stdout);
	pid = fork();
	if (pid == -1) {
		printf("%s: fork failed: %s\n", p->name, strerror(errno));
		return;
	}
	if (pid == 0) {
		errno = 0;
		r = p->fn();
		report(p->name, r, errno);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			printf("%s: waitpid failed: %s\n", p->name,
			    strerror(errno));
			return;
		}
	if (WIFSIGNALED(st)) {
		printf("%s: killed by SIG%s\n", p->name,
		    sigabbrev_np(WTERMSIG(st)) != NULL
		        ? sigabbrev_np(WTERMSIG(st))
		        : "?");
		fflush(stdout);
	}
}

/* probe_main: "prog" lists the names; "prog all" or "prog NAME...". */
static int
probe_main(const struct probe *tab, size_t n, int argc, char **argv)
{
	size_t i;
	int a, found, rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		for (i = 0; i < n; i++)
			printf("%s\n", tab[i].name);
		return 0;
	}
	for (a = 1; a < argc; a++) {
		found = 0;
		for (i = 0; i < n; i++) {
			if (strcmp(argv[a], "all") != 0 &&
			    strcmp(argv[a], tab[i].name) != 0)
				continue;
			run_one(&tab[i]);
			found = 1;
		}
		if (!found) {
			printf("%s: unknown probe\n", argv[a]);
			rc = 2;
		}
	}
	return rc;
}

#define PROBE_MAIN(tab)                                                        \
	int main(int argc, char **argv)                                        \
	{                                                                      \
		return probe_main(tab, sizeof(tab) / sizeof(tab[0]), argc,     \
		    argv);                                                     \
	}

#endif /* PROBE_H */
