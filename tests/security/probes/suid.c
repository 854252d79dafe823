/*
 * suid: installed set-user-ID root in the jail and run as another user.
 * Prints "suid: euid=N ruid=N capeff=HEX": under no_new_privs the
 * set-user-ID bit is ignored (euid stays the caller's, no capability);
 * without it, euid 0 with no more than the jail's bounding set.  The same
 * binary with file capabilities instead shows whether those were granted.
 */

#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	char line[256], eff[64] = "?";
	FILE *f;

	f = fopen("/proc/self/status", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "CapEff: %63s", eff) == 1)
				break;
		fclose(f);
	}
	printf("suid: euid=%u ruid=%u capeff=%s\n", (unsigned)geteuid(),
	    (unsigned)getuid(), eff);
	return 0;
}
