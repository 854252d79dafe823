/*
 * path: lexical path handling.  Nothing here touches the file system;
 * resolving inside a jail's root happens with openat2() where it matters.
 */
#include <stdlib.h>
#include <string.h>

#include "jailp.h"

/*
 * A copy of path with "//", "/./" and a trailing "/" removed.  ".." is
 * kept: what it means depends on symlinks, which only the file system
 * knows.  Returns NULL when out of memory.
 */
char *
jail_path_clean(const char *path)
{
	const char *p = path, *e;
	char *out, *o;
	size_t n;

	if ((out = malloc(strlen(path) + 2)) == NULL)
		return NULL;
	o = out;
	if (*p == '/')
		*o++ = '/';
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		n = (size_t)(e - p);
		if (!(n == 1 && p[0] == '.')) {
			if (o > out && o[-1] != '/')
				*o++ = '/';
			memcpy(o, p, n);
			o += n;
		}
		p = e;
	}
	if (o == out)
		*o++ = *path == '/' ? '/' : '.';
	*o = '\0';
	return out;
}

/* Is the cleaned path "path" root itself or below it?  Both cleaned. */
int
jail_path_within(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return path[0] == '/';
	return strncmp(root, path, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/*
 * The octal escapes of a /proc/self/mountinfo field (\040 for a space)
 * undone in place.
 */
void
jail_path_unoctal(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*d++ = *s;
	}
	*d = '\0';
}
