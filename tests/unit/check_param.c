/*
 * The parameter table (param.c) and the value checks behind it (check.c):
 * each type, the canonical text and the number behind it, the per-value
 * checks, FreeBSD-only parameters, unknown names, jail names, defaults.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "jailp.h"
#include "suites.h"

/* Types */

START_TEST(type_string)
{
	ck_assert_int_eq(jail_param_type(pidx("exec.start")), JAIL_PT_STRING);
	ck_assert_str_eq(canon("exec.start", "any thing $x \"q\""),
	    "any thing $x \"q\"");
	ck_assert_str_eq(canon("exec.start", ""), "");
}
END_TEST

START_TEST(type_bool)
{
	int64_t n = -1;

	ck_assert_int_eq(jail_param_type(pidx("persist")), JAIL_PT_BOOL);
	ck_assert_str_eq(canon_num("persist", "TRUE", &n, NULL), "true");
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(canon_num("persist", "fAlSe", &n, NULL), "false");
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(canon_num("persist", "0", &n, NULL), "false");
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(canon_num("persist", "-3", &n, NULL), "true");
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(canon("persist", "yes"),
	    "ERR: \"yes\" is not a boolean (true, false or a number)");
	ck_assert_str_eq(canon("persist", ""),
	    "ERR: \"\" is not a boolean (true, false or a number)");
}
END_TEST

START_TEST(type_int_range)
{
	int64_t n = -1;

	ck_assert_int_eq(jail_param_type(pidx("pids.max")), JAIL_PT_INT);
	ck_assert_str_eq(canon_num("pids.max", "1", &n, NULL), "1");
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(canon_num("pids.max", "4194304", &n, NULL), "4194304");
	ck_assert_int_eq(n, 4194304);
	ck_assert_str_eq(canon_num("pids.max", "max", &n, NULL), "max");
	ck_assert_int_eq(n, JAIL_UNLIMITED);
	ck_assert_str_eq(canon("pids.max", "unlimited"), "max");
	ck_assert_str_eq(canon("pids.max", "MAX"), "max");
	ck_assert_str_eq(canon("pids.max", "4194305"),
	    "ERR: \"4194305\" is not a whole number from 1 to 4194304 or "
	    "\"max\"");
	ck_assert_str_eq(canon("pids.max", "0"),
	    "ERR: \"0\" is not a whole number from 1 to 4194304 or \"max\"");
	ck_assert_str_eq(canon("pids.max", "12k"),
	    "ERR: \"12k\" is not a whole number from 1 to 4194304 or \"max\"");
	/* without JAIL_PF_MAX, "max" is no number */
	ck_assert_int_eq(jail_param_flags(pidx("cpu.weight")) & JAIL_PF_MAX, 0);
	ck_assert_str_eq(canon("cpu.weight", "max"),
	    "ERR: \"max\" is not a whole number from 1 to 10000");
	ck_assert_str_eq(canon("cpu.weight", "10000"), "10000");
}
END_TEST

START_TEST(type_int_in_file)
{
	struct jail_conf *c;

	c = parse("a {\n\tpath = /a;\n\tpids.max = 64;\n\tio.weight = 0;\n}\n");
	ck_assert_diags(c,
	    "t.conf:4: \"io.weight\": \"0\" is not a whole "
	    "number from 1 to 10000\n");
	ck_assert_int_eq(getn(c, "a", "pids.max"), 64);
	jail_conf_free(c);
}
END_TEST

START_TEST(type_size)
{
	int64_t n = -1;

	ck_assert_int_eq(jail_param_type(pidx("memory.max")), JAIL_PT_SIZE);
	ck_assert_str_eq(canon_num("memory.max", "64M", &n, NULL), "64M");
	ck_assert_int_eq(n, 67108864);
	ck_assert_str_eq(canon_num("memory.max", "1.5G", &n, NULL), "1536M");
	ck_assert_int_eq(n, 1610612736);
	ck_assert_str_eq(canon_num("memory.max", "512", &n, NULL), "512");
	ck_assert_int_eq(n, 512);
	ck_assert_str_eq(canon_num("memory.max", "1k", &n, NULL), "1K");
	ck_assert_int_eq(n, 1024);
	ck_assert_str_eq(canon_num("memory.max", "1024", &n, NULL), "1K");
	ck_assert_int_eq(n, 1024);
	ck_assert_str_eq(canon_num("memory.max", "1.5K", &n, NULL), "1536");
	ck_assert_int_eq(n, 1536);
	ck_assert_str_eq(canon_num("memory.max", "0", &n, NULL), "0");
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(canon("memory.max", "64MB"), "64M");
	ck_assert_str_eq(canon("memory.max", "64MiB"), "64M");
	ck_assert_str_eq(canon_num("memory.max", "7E", &n, NULL), "7E");
	ck_assert_int_eq(n, 7LL << 60);
	ck_assert_str_eq(canon_num("memory.max", "max", &n, NULL), "max");
	ck_assert_int_eq(n, JAIL_UNLIMITED);
	ck_assert_str_eq(canon_num("memory.max", "unlimited", &n, NULL), "max");
	ck_assert_int_eq(n, JAIL_UNLIMITED);
}
END_TEST

START_TEST(type_size_bad)
{
	static const char *const bad[] = { "12Q", "-1", "1.5", "8E",
		"99999999999999999999", "", "M", "1.G", "1 M", "0x10",
		"9007199254740992K" };
	char want[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want),
		    "ERR: \"%s\" is not a size (like 512M, 1.5G or max)",
		    bad[i]);
		ck_assert_str_eq(canon("memory.max", bad[i]), want);
	}
}
END_TEST

START_TEST(type_duration)
{
	int64_t n = -1;

	ck_assert_int_eq(jail_param_type(pidx("exec.timeout")),
	    JAIL_PT_DURATION);
	ck_assert_str_eq(canon_num("exec.timeout", "10", &n, NULL), "10");
	ck_assert_int_eq(n, 10);
	ck_assert_str_eq(canon_num("exec.timeout", "90s", &n, NULL), "90");
	ck_assert_int_eq(n, 90);
	ck_assert_str_eq(canon_num("exec.timeout", "5m", &n, NULL), "300");
	ck_assert_int_eq(n, 300);
	ck_assert_str_eq(canon_num("exec.timeout", "2h", &n, NULL), "7200");
	ck_assert_int_eq(n, 7200);
	ck_assert_str_eq(canon_num("exec.timeout", "1d", &n, NULL), "86400");
	ck_assert_int_eq(n, 86400);
	ck_assert_str_eq(canon_num("exec.timeout", "0", &n, NULL), "0");
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(type_duration_bad)
{
	static const char *const bad[] = { "x", "-5", "", "5x", "s", "1.5m",
		"5 m", "99999999999d" };
	char want[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want),
		    "ERR: \"%s\" is not a duration (seconds, or with s, m, h "
		    "or d)",
		    bad[i]);
		ck_assert_str_eq(canon("exec.timeout", bad[i]), want);
	}
}
END_TEST

START_TEST(type_cores)
{
	int64_t n = -1;

	ck_assert_int_eq(jail_param_type(pidx("cpu.max")), JAIL_PT_CORES);
	ck_assert_str_eq(canon_num("cpu.max", "1.5", &n, NULL), "1.5");
	ck_assert_int_eq(n, 1500);
	ck_assert_str_eq(canon_num("cpu.max", "0.001", &n, NULL), "0.001");
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(canon_num("cpu.max", "2", &n, NULL), "2");
	ck_assert_int_eq(n, 2000);
	ck_assert_str_eq(canon_num("cpu.max", "0.250", &n, NULL), "0.25");
	ck_assert_int_eq(n, 250);
	ck_assert_str_eq(canon_num("cpu.max", "max", &n, NULL), "max");
	ck_assert_int_eq(n, JAIL_UNLIMITED);
}
END_TEST

START_TEST(type_cores_bad)
{
	static const char *const bad[] = { "0", "0.000", "1.2345", ".5", "1.",
		"-1", "x", "" };
	char want[160];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want),
		    "ERR: \"%s\" is not a number of CPUs (like 0.5, 2 or max; "
		    "at most 3 decimals)",
		    bad[i]);
		ck_assert_str_eq(canon("cpu.max", bad[i]), want);
	}
}
END_TEST

START_TEST(type_rlimit)
{
	int64_t n = -1, h = -1;

	ck_assert_int_eq(jail_param_type(pidx("rlimit.nofile")),
	    JAIL_PT_RLIMIT);
	ck_assert_str_eq(canon_num("rlimit.nofile", "1024", &n, &h), "1024");
	ck_assert_int_eq(n, 1024);
	ck_assert_int_eq(h, 1024);
	ck_assert_str_eq(canon_num("rlimit.nofile", "1024:4096", &n, &h),
	    "1024:4096");
	ck_assert_int_eq(n, 1024);
	ck_assert_int_eq(h, 4096);
	ck_assert_str_eq(canon_num("rlimit.nofile", "unlimited", &n, &h),
	    "unlimited");
	ck_assert_int_eq(n, JAIL_UNLIMITED);
	ck_assert_int_eq(h, JAIL_UNLIMITED);
	ck_assert_str_eq(canon_num("rlimit.nofile", "10:unlimited", &n, &h),
	    "10:unlimited");
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(h, JAIL_UNLIMITED);
	ck_assert_str_eq(canon("rlimit.nofile", "5:5"), "5");
}
END_TEST

START_TEST(type_rlimit_bad)
{
	ck_assert_str_eq(canon("rlimit.nofile", "10:5"),
	    "ERR: soft limit above the hard limit in \"10:5\"");
	ck_assert_str_eq(canon("rlimit.nofile", "unlimited:10"),
	    "ERR: soft limit above the hard limit in \"unlimited:10\"");
	ck_assert_str_eq(canon("rlimit.nofile", "abc"),
	    "ERR: \"abc\" is not a limit (N, soft:hard or unlimited)");
	ck_assert_str_eq(canon("rlimit.nofile", "1024:"),
	    "ERR: \"1024:\" is not a limit (N, soft:hard or unlimited)");
	ck_assert_str_eq(canon("rlimit.nofile", ":5"),
	    "ERR: \":5\" is not a limit (N, soft:hard or unlimited)");
	ck_assert_str_eq(canon("rlimit.nofile", "-1"),
	    "ERR: \"-1\" is not a limit (N, soft:hard or unlimited)");
}
END_TEST

START_TEST(type_rlimit_in_file)
{
	struct jail_conf *c;

	c = parse("a { path = /a; rlimit.nofile = 1024:4096; "
	          "rlimit.core = 0; }\n");
	ck_assert_clean(c);
	ck_assert_int_eq(getn(c, "a", "rlimit.nofile"), 1024);
	ck_assert_int_eq(geth(c, "a", "rlimit.nofile"), 4096);
	ck_assert_int_eq(getn(c, "a", "rlimit.core"), 0);
	ck_assert_int_eq(geth(c, "a", "rlimit.core"), 0);
	jail_conf_free(c);
}
END_TEST

START_TEST(type_enum)
{
	int64_t n = -1;

	ck_assert_int_eq(jail_param_type(pidx("create.method")), JAIL_PT_ENUM);
	ck_assert_str_eq(canon_num("create.method", "copy", &n, NULL), "copy");
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(canon_num("create.method", "OVERLAY", &n, NULL),
	    "overlay");
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(canon("create.method", "Copy"), "copy");
	ck_assert_str_eq(canon("create.method", "zfs"),
	    "ERR: \"zfs\" is not one of: copy, overlay");
	ck_assert_str_eq(canon("ip4", "bogus"),
	    "ERR: \"bogus\" is not one of: new, inherit, disable");
	ck_assert_str_eq(canon_num("ip4", "disable", &n, NULL), "disable");
	ck_assert_int_eq(n, 2);
}
END_TEST

START_TEST(type_enum_bare)
{
	struct jail_conf *c;

	c = parse("a { path = /a; vnet; userns; }\n"
	          "b { path = /b; novnet; nouserns; }\n"
	          "c { path = /c; vnet = INHERIT; }\n"
	          "d { path = /d; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "vnet"), "new");
	ck_assert_str_eq(get(c, "a", "userns"), "auto");
	ck_assert_str_eq(get(c, "b", "vnet"), "inherit");
	ck_assert_int_eq(getn(c, "b", "vnet"), 1);
	ck_assert_str_eq(get(c, "b", "userns"), "disable");
	ck_assert_str_eq(get(c, "c", "vnet"), "inherit");
	ck_assert_str_eq(get(c, "d", "vnet"), "new");
	ck_assert_int_eq(isset(c, "d", "vnet"), 0);
	jail_conf_free(c);
}
END_TEST

START_TEST(type_path)
{
	ck_assert_int_eq(jail_param_type(pidx("path")), JAIL_PT_PATH);
	ck_assert_str_eq(canon("path", "//a/./b/"), "/a/b");
	ck_assert_str_eq(canon("path", "/"), "/");
	ck_assert_str_eq(canon("path", "/a/../b"), "/a/../b");
	ck_assert_str_eq(canon("path", "relative/dir"),
	    "ERR: \"relative/dir\" is not an absolute path");
	ck_assert_str_eq(canon("path", ""),
	    "ERR: \"\" is not an absolute path");
	ck_assert_str_eq(canon("exec.consolelog", "/var/log//j.log"),
	    "/var/log/j.log");
}
END_TEST

START_TEST(type_path_in_file)
{
	struct jail_conf *c;

	c = parse("a { path = \"//var/./jail//a/\"; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "path"), "/var/jail/a");
	jail_conf_free(c);
}
END_TEST

START_TEST(list_vs_single)
{
	ck_assert_int_eq(jail_param_flags(pidx("exec.start")) & JAIL_PF_LIST,
	    JAIL_PF_LIST);
	ck_assert_int_eq(jail_param_flags(pidx("path")) & JAIL_PF_LIST, 0);
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\tmount.fstab = /a, /b;\n"
	                           "\texec.timeout += 5;\n"
	                           "\tpersist += 1;\n"
	                           "}\n"),
	    "t.conf:3: \"mount.fstab\" takes a single value, not a list\n"
	    "t.conf:4: \"+=\" appends to a list, and \"exec.timeout\" is not "
	    "one\n"
	    "t.conf:5: \"+=\" appends to a list, and \"persist\" is not one\n");
}
END_TEST

START_TEST(list_for_path_no_cascade)
{
	/* the refused statement was the path: no "not set" on top */
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a, /b;\n"
	                           "}\n"),
	    "t.conf:2: \"path\" takes a single value, not a list\n");
}
END_TEST

/* Value checks */

START_TEST(check_hostname)
{
	char h[80], want[200];

	ck_assert_str_eq(canon("host.hostname", "a.example.com"),
	    "a.example.com");
	ck_assert_str_eq(canon("host.hostname", "xn--bcher-kva.example"),
	    "xn--bcher-kva.example");
	ck_assert_str_eq(canon("host.hostname", "1.2.3.4"), "1.2.3.4");
	/* 64 bytes in all: accepted */
	memset(h, 'a', 62);
	strcpy(h + 62, ".b");
	ck_assert_uint_eq(strlen(h), 64);
	ck_assert_str_eq(canon("host.hostname", h), h);
	/* 65: refused */
	memset(h, 'a', 63);
	strcpy(h + 63, ".b");
	snprintf(want, sizeof(want),
	    "ERR: host name \"%s\" must have 1 to 64 bytes", h);
	ck_assert_str_eq(canon("host.hostname", h), want);
	/* one label of 64 bytes */
	memset(h, 'a', 64);
	h[64] = '\0';
	snprintf(want, sizeof(want),
	    "ERR: host name \"%s\" has an empty or too long label", h);
	ck_assert_str_eq(canon("host.hostname", h), want);
	/* one label of 63 bytes */
	h[63] = '\0';
	ck_assert_str_eq(canon("host.hostname", h), h);
	ck_assert_str_eq(canon("host.hostname", "a..b"),
	    "ERR: host name \"a..b\" has an empty or too long label");
	ck_assert_str_eq(canon("host.hostname", ".a"),
	    "ERR: host name \".a\" has an empty or too long label");
	ck_assert_str_eq(canon("host.hostname", "-a"),
	    "ERR: a label of host name \"-a\" starts or ends with \"-\"");
	ck_assert_str_eq(canon("host.hostname", "a-.b"),
	    "ERR: a label of host name \"a-.b\" starts or ends with \"-\"");
	ck_assert_str_eq(canon("host.hostname", "a_b"),
	    "ERR: host name \"a_b\" may hold only letters, digits, \"-\" and "
	    "\".\"");
	ck_assert_str_eq(canon("host.hostname", "a b"),
	    "ERR: host name \"a b\" may hold only letters, digits, \"-\" and "
	    "\".\"");
	ck_assert_str_eq(canon("host.hostname", ""),
	    "ERR: host name \"\" must have 1 to 64 bytes");
	ck_assert_str_eq(canon("host.domainname", "example.org"),
	    "example.org");
}
END_TEST

START_TEST(check_ip4)
{
	static const char *const good[] = { "192.0.2.1", "192.0.2.1/24",
		"192.0.2.1/0", "192.0.2.1/32", "em0|192.0.2.1/24",
		"em0|192.0.2.1", "vlan.100|10.0.0.1" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_str_eq(canon("ip4.addr", good[i]), good[i]);
	ck_assert_str_eq(canon("ip4.addr", "192.0.2.1/33"),
	    "ERR: bad prefix length in \"192.0.2.1/33\"");
	ck_assert_str_eq(canon("ip4.addr", "192.0.2.1/"),
	    "ERR: bad prefix length in \"192.0.2.1/\"");
	ck_assert_str_eq(canon("ip4.addr", "192.0.2.1/x"),
	    "ERR: bad prefix length in \"192.0.2.1/x\"");
	ck_assert_str_eq(canon("ip4.addr", "256.0.0.1"),
	    "ERR: \"256.0.0.1\" is not an IPv4 address");
	ck_assert_str_eq(canon("ip4.addr", "2001:db8::1"),
	    "ERR: \"2001:db8::1\" is not an IPv4 address");
	ck_assert_str_eq(canon("ip4.addr", "em0|"),
	    "ERR: \"em0|\" is not an IPv4 address");
	ck_assert_str_eq(canon("ip4.addr", "|192.0.2.1"),
	    "ERR: interface name \"\" must have 1 to 15 bytes");
	ck_assert_str_eq(canon("ip4.addr", "averyverylongif0|192.0.2.1"),
	    "ERR: interface name \"averyverylongif0\" must have 1 to 15 "
	    "bytes");
	ck_assert_str_eq(canon("ip4.addr",
	                     "0123456789012345678901234567890123456789"
	                     "0123456789012345678901234567890123456789"),
	    "ERR: \"0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789\" is not an address");
	ck_assert_str_eq(canon("ip4.addr",
	                     "interface-name-of-32-bytes-or-so|192.0.2.1"),
	    "ERR: bad interface in "
	    "\"interface-name-of-32-bytes-or-so|192.0.2.1\"");
	ck_assert_str_eq(canon("ip4.addr", "e/0|192.0.2.1"),
	    "ERR: interface name \"e/0\" holds a space, \"/\" or \":\"");
}
END_TEST

START_TEST(check_ip6)
{
	static const char *const good[] = { "2001:db8::1", "2001:db8::1/64",
		"::1/128", "em0|2001:db8::1/64", "::ffff:192.0.2.1" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_str_eq(canon("ip6.addr", good[i]), good[i]);
	ck_assert_str_eq(canon("ip6.addr", "2001:db8::1/129"),
	    "ERR: bad prefix length in \"2001:db8::1/129\"");
	ck_assert_str_eq(canon("ip6.addr", "192.0.2.1"),
	    "ERR: \"192.0.2.1\" is not an IPv6 address");
	ck_assert_str_eq(canon("ip6.addr", "2001:db8::g"),
	    "ERR: \"2001:db8::g\" is not an IPv6 address");
	ck_assert_str_eq(canon("vnet.gateway", "192.0.2.1"), "192.0.2.1");
	ck_assert_str_eq(canon("vnet.gateway", "2001:db8::1"), "2001:db8::1");
	ck_assert_str_eq(canon("vnet.gateway", "192.0.2.1/24"),
	    "ERR: \"192.0.2.1/24\" is not an IP address");
}
END_TEST

START_TEST(check_ip_in_file)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\tip4.addr = 192.0.2.1, \"em0|192.0.2.2/24\";\n"
	          "\tip6.addr = \"2001:db8::1/64\";\n"
	          "\tip4.addr += 192.0.2.300;\n"
	          "}\n");
	ck_assert_diags(c,
	    "t.conf:5: \"ip4.addr\": \"192.0.2.300\" is not an "
	    "IPv4 address\n");
	jail_conf_free(c);
}
END_TEST

START_TEST(check_idmap_values)
{
	struct jail_idmap m;

	ck_assert_str_eq(canon("userns.uidmap", "0 100000 65536"),
	    "0 100000 65536");
	ck_assert_int_eq(jail_idmap_parse("0 100000 65536", &m), 0);
	ck_assert_uint_eq(m.inside, 0);
	ck_assert_uint_eq(m.outside, 100000);
	ck_assert_uint_eq(m.count, 65536);
	ck_assert_str_eq(canon("userns.uidmap", "0 0 1"),
	    "ERR: \"0 0 1\" maps host id 0 (root) into the jail");
	ck_assert_str_eq(canon("userns.gidmap", "1000 0 65536"),
	    "ERR: \"1000 0 65536\" maps host id 0 (root) into the jail");
	ck_assert_str_eq(canon("userns.uidmap", "0 100000"),
	    "ERR: \"0 100000\" is not an id map (\"INSIDE OUTSIDE COUNT\", "
	    "COUNT at least 1)");
	ck_assert_str_eq(canon("userns.uidmap", "0 100000 0"),
	    "ERR: \"0 100000 0\" is not an id map (\"INSIDE OUTSIDE COUNT\", "
	    "COUNT at least 1)");
	ck_assert_int_eq(jail_idmap_parse("0 4294967295 2", &m), -1);
	ck_assert_int_eq(jail_idmap_parse("0 4294967295 1", &m), 0);
	ck_assert_int_eq(jail_idmap_parse("0 100000 65536 1", &m), -1);
	ck_assert_int_eq(jail_idmap_parse("x 1 1", &m), -1);
}
END_TEST

START_TEST(check_idmap_overlap_in_jail)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\tuserns.uidmap = \"0 100000 1000\",\n"
	                           "\t    \"2000 100500 10\";\n"
	                           "\tuserns.gidmap = \"0 100000 10\";\n"
	                           "\tuserns.gidmap += \"5 200000 10\";\n"
	                           "}\n"),
	    "t.conf:3: \"userns.uidmap\": \"2000 100500 10\" overlaps "
	    "\"0 100000 1000\"\n"
	    "t.conf:6: \"userns.gidmap\": \"5 200000 10\" overlaps "
	    "\"0 100000 10\"\n");
}
END_TEST

START_TEST(check_idmap_overlap_between_jails)
{
	ck_assert_str_eq(errors_of("a { path = /a; userns.uidmap = \"0 100000 "
	                           "65536\"; userns.gidmap = \"0 100000 "
	                           "65536\"; }\n"
	                           "b {\n"
	                           "\tpath = /b;\n"
	                           "\tuserns.uidmap = \"0 150000 65536\";\n"
	                           "\tuserns.gidmap = \"0 300000 65536\";\n"
	                           "}\n"),
	    "t.conf:4: jail \"b\": \"userns.uidmap\" = \"0 150000 65536\" "
	    "overlaps the map of jail \"a\" (\"0 100000 65536\")\n");
}
END_TEST

START_TEST(check_idmap_adjacent_ok)
{
	struct jail_conf *c;

	c = parse("a { path = /a; userns.uidmap = \"0 100000 65536\"; "
	          "userns.gidmap = \"0 100000 65536\"; }\n"
	          "b { path = /b; userns.uidmap = \"0 165536 65536\"; "
	          "userns.gidmap = \"0 165536 65536\"; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "b", "userns.uidmap"), "0 165536 65536");
	jail_conf_free(c);
}
END_TEST

START_TEST(check_idmap_pairs)
{
	ck_assert_str_eq(errors_of("a {\n"
	                           "\tpath = /a;\n"
	                           "\tuserns.uidmap = \"0 100000 65536\";\n"
	                           "}\n"
	                           "b {\n"
	                           "\tpath = /b;\n"
	                           "\tuserns = disable;\n"
	                           "\tuserns.uidmap = \"0 200000 65536\";\n"
	                           "\tuserns.gidmap = \"0 200000 65536\";\n"
	                           "}\n"),
	    "t.conf:1: jail \"a\": \"userns.uidmap\" and \"userns.gidmap\" go "
	    "together: set both or neither\n"
	    "t.conf:5: jail \"b\": \"userns = disable\" with an id map\n");
}
END_TEST

START_TEST(check_fstab_split)
{
	char *f[6], buf[256];

	ck_assert_int_eq(jail_fstab_split("/src  /dst\tnullfs ro 1 2", f, buf,
	                     sizeof(buf)),
	    0);
	ck_assert_str_eq(f[0], "/src");
	ck_assert_str_eq(f[1], "/dst");
	ck_assert_str_eq(f[2], "nullfs");
	ck_assert_str_eq(f[3], "ro");
	ck_assert_str_eq(f[4], "1");
	ck_assert_str_eq(f[5], "2");
	ck_assert_int_eq(jail_fstab_split("tmpfs /tmp tmpfs", f, buf,
	                     sizeof(buf)),
	    0);
	ck_assert_str_eq(f[3], "defaults");
	ck_assert_str_eq(f[4], "0");
	ck_assert_str_eq(f[5], "0");
	ck_assert_int_eq(jail_fstab_split("/my\\040src /dst nullfs ro", f, buf,
	                     sizeof(buf)),
	    0);
	ck_assert_str_eq(f[0], "/my src");
	ck_assert_int_eq(jail_fstab_split("/a /b", f, buf, sizeof(buf)), -1);
	ck_assert_int_eq(jail_fstab_split("a b c d e f g", f, buf, sizeof(buf)),
	    -1);
	ck_assert_int_eq(jail_fstab_split("", f, buf, sizeof(buf)), -1);
	/* too long for the buffer */
	ck_assert_int_eq(jail_fstab_split("/aaaaaaaa /b c", f, buf, 8), -1);
}
END_TEST

START_TEST(check_fstab_values)
{
	ck_assert_str_eq(canon("mount", "/src /dst nullfs ro"),
	    "/src /dst nullfs ro");
	ck_assert_str_eq(canon("mount", "/src mnt nullfs ro"),
	    "ERR: mount target in \"/src mnt nullfs ro\" is not an absolute "
	    "path");
	ck_assert_str_eq(canon("mount", "/src"),
	    "ERR: \"/src\" is not a mount line (SRC DST TYPE [OPTIONS [0 0]])");
}
END_TEST

START_TEST(check_fstab_inside_path)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /var/jail/a;\n"
	          "\tmount = \"/src /var/jail/a/mnt nullfs ro\";\n"
	          "\tmount += \"/src /mnt nullfs ro\";\n"
	          "\tmount += \"/src /var/jail/a/../etc nullfs ro\";\n"
	          "\tmount += \"/src /var/jail/ab nullfs ro\";\n"
	          "\tmount += \"/src /var/jail/a/x/.. nullfs ro\";\n"
	          "\tmount += \"tmpfs /var/jail/a//tmp/ tmpfs rw 0 0\";\n"
	          "}\n");
	ck_assert_diags(c,
	    "t.conf:4: mount \"/mnt\": the target is not inside path "
	    "\"/var/jail/a\"\n"
	    "t.conf:5: mount \"/var/jail/a/../etc\": \"..\" is not allowed in "
	    "a target\n"
	    "t.conf:6: mount \"/var/jail/ab\": the target is not inside path "
	    "\"/var/jail/a\"\n"
	    "t.conf:7: mount \"/var/jail/a/x/..\": \"..\" is not allowed in a "
	    "target\n");
	jail_conf_free(c);
}
END_TEST

START_TEST(check_cpuset)
{
	static const char *const good[] = { "0", "0-3,5", "8191", "0-0",
		"1,2,3" };
	static const char *const bad[] = { "3-1", "a", "0,", ",0", "0-", "1 2",
		"" };
	char want[128];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_str_eq(canon("cpuset.cpus", good[i]), good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want),
		    "ERR: \"%s\" is not a list like 0-3,6", bad[i]);
		ck_assert_str_eq(canon("cpuset.cpus", bad[i]), want);
	}
	ck_assert_str_eq(canon("cpuset.mems", "8192"),
	    "ERR: \"8192\": number too large");
	ck_assert_str_eq(canon("cpuset.cpus", "0-8192"),
	    "ERR: \"0-8192\": number too large");
}
END_TEST

START_TEST(check_caps)
{
	static const char *const good[] = { "CAP_NET_RAW", "net_raw",
		"cap_sys_admin", "NET_ADMIN", "all", "ALL", "CAP_CHOWN" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_str_eq(canon("caps.drop", good[i]), good[i]);
	ck_assert_str_eq(canon("caps.keep", "bogus"),
	    "ERR: unknown capability \"bogus\"");
	ck_assert_str_eq(canon("caps.keep", ""),
	    "ERR: unknown capability \"\"");
	ck_assert_int_eq(strncmp(canon("caps.keep", "CAP_BOGUS"),
	                     "ERR: unknown capability", 23),
	    0);
}
END_TEST

START_TEST(check_caps_in_file)
{
	struct jail_conf *c;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\tcaps.drop = CAP_NET_RAW, net_raw;\n"
	          "\tcaps.keep = chown, nosuchcap;\n"
	          "}\n");
	ck_assert_diags(c,
	    "t.conf:4: \"caps.keep\": unknown capability "
	    "\"nosuchcap\"\n");
	ck_assert_str_eq(getl(c, "a", "caps.drop"), "CAP_NET_RAW | net_raw");
	jail_conf_free(c);
}
END_TEST

START_TEST(check_seccomp)
{
	ck_assert_str_eq(canon("seccomp", "default"), "default");
	ck_assert_str_eq(canon("seccomp", "none"), "none");
	ck_assert_str_eq(canon("seccomp", "/etc/jail/filter.bpf"),
	    "/etc/jail/filter.bpf");
	ck_assert_str_eq(canon("seccomp", "strict"),
	    "ERR: \"strict\" is not \"default\", \"none\" or an absolute file "
	    "name");
	ck_assert_str_eq(canon("seccomp", "filter.bpf"),
	    "ERR: \"filter.bpf\" is not \"default\", \"none\" or an absolute "
	    "file name");
}
END_TEST

START_TEST(check_misc_strings)
{
	ck_assert_str_eq(canon("template", "debian-12"), "debian-12");
	ck_assert_str_eq(canon("template", "/srv/roots/deb"), "/srv/roots/deb");
	ck_assert_str_eq(canon("template", ".hidden"),
	    "ERR: bad template name \".hidden\"");
	ck_assert_str_eq(canon("exec.jail_user", "www"), "www");
	ck_assert_str_eq(canon("exec.jail_user", "1001"), "1001");
	ck_assert_str_eq(canon("exec.jail_user", "a:b"),
	    "ERR: bad user name \"a:b\"");
	ck_assert_str_eq(canon("cgroup.parent", "jails/web"), "jails/web");
	ck_assert_str_eq(canon("cgroup.parent", "a/../b"),
	    "ERR: cgroup path \"a/../b\" holds \".\" or \"..\"");
	ck_assert_str_eq(canon("template", "a/b"),
	    "ERR: template \"a/b\" is neither a name (letters, digits, \"_\", "
	    "\".\", \"-\") nor an absolute path");
	ck_assert_str_eq(canon("cgroup.parent", ""), "ERR: empty cgroup path");
	ck_assert_str_eq(canon("cgroup.parent", "a b"),
	    "ERR: cgroup path \"a b\" holds a space");
	ck_assert_str_eq(canon("vnet.bridge", "br0"), "br0");
	ck_assert_str_eq(canon("vnet.bridge", "br/0"),
	    "ERR: interface name \"br/0\" holds a space, \"/\" or \":\"");
}
END_TEST

/* FreeBSD-only and unknown parameters */

START_TEST(freebsd_only_warns)
{
	struct jail_conf *c;
	const struct jail_diag *d;

	c = parse("a {\n"
	          "\tpath = /a;\n"
	          "\tsecurelevel = 3;\n"
	          "\tallow.nosuser;\n"
	          "}\n");
	ck_assert_diags(c,
	    "t.conf:3: warning: \"securelevel\" is a FreeBSD parameter "
	    "jailctl does not apply; ignored\n"
	    "t.conf:4: warning: \"allow.nosuser\" is a FreeBSD parameter "
	    "jailctl does not apply; ignored\n");
	ck_assert_int_eq(jail_param_flags(pidx("securelevel")) &
	        JAIL_PF_NOLINUX,
	    JAIL_PF_NOLINUX);
	d = jail_conf_diag(c, 0);
	ck_assert_int_eq(d->warning, 1);
	ck_assert_uint_eq(jail_conf_nerrors(c), 0);
	ck_assert_int_eq(h_load_rc, 0);
	ck_assert_int_eq(h_resolve_rc, 0);
	ck_assert_str_eq(get(c, "a", "securelevel"), "3");
	jail_conf_free(c);
}
END_TEST

START_TEST(freebsd_only_value_checked)
{
	ck_assert_str_eq(errors_of("a { path = /a;\n"
	                           "securelevel = 5;\n"
	                           "}\n"),
	    "t.conf:2: warning: \"securelevel\" is a FreeBSD parameter jailctl "
	    "does not apply; ignored\n"
	    "t.conf:2: \"securelevel\": \"5\" is not a whole number from -1 to "
	    "3\n");
}
END_TEST

START_TEST(unknown_param)
{
	struct jail_error err;

	ck_assert_str_eq(errors_of("a { path = /a;\n"
	                           "memroy.max = 1G;\n"
	                           "frobnicate = 1;\n"
	                           "}\n"),
	    "t.conf:2: unknown parameter \"memroy.max\"; did you mean "
	    "\"memory.max\"?\n"
	    "t.conf:3: unknown parameter \"frobnicate\"\n");
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(jail_param_lookup("memroy.max", &err), -1);
	ck_assert_str_eq(err.msg,
	    "unknown parameter \"memroy.max\"; did you mean \"memory.max\"?");
	ck_assert_int_eq(jail_param_lookup("frobnicate", &err), -1);
	ck_assert_str_eq(err.msg, "unknown parameter \"frobnicate\"");
}
END_TEST

START_TEST(lookup_table)
{
	struct jail_error err;
	int p;

	p = jail_param_lookup("memory.max", &err);
	ck_assert_int_ge(p, 0);
	ck_assert_str_eq(jail_param_name(p), "memory.max");
	ck_assert_int_eq(jail_param_flags(p) & (JAIL_PF_LIVE | JAIL_PF_MAX),
	    JAIL_PF_LIVE | JAIL_PF_MAX);
	ck_assert_int_ge(jail_param_count(), P_NFIXED);
	ck_assert_ptr_null(jail_param_name(-1));
	ck_assert_ptr_null(jail_param_name(jail_param_count()));
	ck_assert_int_eq(jail_param_flags(pidx("name")) & JAIL_PF_FIXED,
	    JAIL_PF_FIXED);
	/* the "no" form is a way to write, not a parameter */
	ck_assert_int_eq(jail_param_lookup("allow.nomount", &err), -1);
	/* every name of the table is found again */
	for (p = 0; p < jail_param_count(); p++)
		ck_assert_int_eq(jail_param_lookup(jail_param_name(p), &err),
		    p);
}
END_TEST

/* Jail names */

START_TEST(name_valid)
{
	struct jail_error err;
	char n[80];

	ck_assert_int_eq(jail_name_valid("web-1_a", &err), 0);
	ck_assert_int_eq(jail_name_valid("A9", &err), 0);
	memset(n, 'a', 63);
	n[63] = '\0';
	ck_assert_int_eq(jail_name_valid(n, &err), 0);
	memset(&err, 0, sizeof(err));
	n[63] = 'a';
	n[64] = '\0';
	ck_assert_int_eq(jail_name_valid(n, &err), -1);
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_str_eq(err.msg,
	    "jail name \"aaaaaaaaaaaaaaaaaaaa...\" is "
	    "longer than 63 bytes");
}
END_TEST

START_TEST(name_invalid)
{
	struct jail_error err;

	ck_assert_int_eq(jail_name_valid("-a", &err), -1);
	ck_assert_str_eq(err.msg, "jail name \"-a\" must not start with \"-\"");
	ck_assert_int_eq(jail_name_valid("a/b", &err), -1);
	ck_assert_str_eq(err.msg,
	    "jail name \"a/b\" may hold only letters, digits, \"_\" and \"-\"");
	ck_assert_int_eq(jail_name_valid("..", &err), -1);
	ck_assert_str_eq(err.msg,
	    "jail name \"..\" may hold only letters, digits, \"_\" and \"-\"");
	ck_assert_int_eq(jail_name_valid("", &err), -1);
	ck_assert_str_eq(err.msg, "empty jail name");
	ck_assert_int_eq(jail_name_valid("a b", &err), -1);
	ck_assert_int_eq(jail_name_valid(NULL, &err), -1);
	ck_assert_str_eq(err.msg, "no jail name");
}
END_TEST

START_TEST(name_in_block)
{
	struct jail_conf *c;
	char src[512], want[1024];
	char n[65];

	memset(n, 'b', 64);
	n[64] = '\0';
	snprintf(src, sizeof(src),
	    "-a { path = /x; }\n"
	    "\"a/b\" { path = /y; }\n"
	    ".. { path = /z; }\n"
	    "\"\" { path = /w; }\n"
	    "%s { path = /v; }\n"
	    "ok { path = /ok; }\n",
	    n);
	c = parse(src);
	/* a configuration's diagnostics carry no strerror() text */
	snprintf(want, sizeof(want),
	    "t.conf:1: jail name \"-a\" must not start with \"-\"\n"
	    "t.conf:2: jail name \"a/b\" may hold only letters, digits, \"_\" "
	    "and \"-\"\n"
	    "t.conf:3: jail \"..\": dotted (hierarchical) jail names are not "
	    "supported\n"
	    "t.conf:4: empty jail name\n"
	    "t.conf:5: jail name \"bbbbbbbbbbbbbbbbbbbb...\" is longer than 63 "
	    "bytes\n");
	ck_assert_diags(c, want);
	ck_assert_uint_eq(jail_conf_njails(c), 1);
	ck_assert_str_eq(jail_name(jail_conf_jail(c, 0)), "ok");
	jail_conf_free(c);
}
END_TEST

/* Defaults */

START_TEST(default_hostname_is_name)
{
	struct jail_conf *c;

	c = parse("web { path = /w; }\n"
	          "web_1 { path = /w1; }\n"
	          "db { path = /d; host.hostname = db.example.org; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "web", "host.hostname"), "web");
	ck_assert_int_eq(isset(c, "web", "host.hostname"), 0);
	/* "_" cannot stand in a host name: no default then */
	ck_assert_ptr_null(get(c, "web_1", "host.hostname"));
	ck_assert_str_eq(get(c, "db", "host.hostname"), "db.example.org");
	ck_assert_int_eq(isset(c, "db", "host.hostname"), 1);
	jail_conf_free(c);
}
END_TEST

START_TEST(defaults)
{
	struct jail_conf *c;
	int64_t n, h;

	c = parse("a { path = /a; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "stop.timeout"), "10");
	ck_assert_int_eq(getn(c, "a", "stop.timeout"), 10);
	ck_assert_str_eq(get(c, "a", "mount.devfs"), "true");
	ck_assert_int_eq(getn(c, "a", "mount.devfs"), 1);
	ck_assert_str_eq(get(c, "a", "mount.procfs"), "true");
	ck_assert_str_eq(get(c, "a", "mount.sysfs"), "false");
	ck_assert_str_eq(get(c, "a", "seccomp"), "default");
	ck_assert_str_eq(get(c, "a", "create.method"), "copy");
	ck_assert_str_eq(get(c, "a", "vnet"), "new");
	ck_assert_str_eq(get(c, "a", "persist"), "false");
	ck_assert_str_eq(get(c, "a", "exec.clean"), "false");
	ck_assert_int_eq(isset(c, "a", "stop.timeout"), 0);
	ck_assert_int_eq(isset(c, "a", "mount.devfs"), 0);
	ck_assert_int_eq(jail_param_hasvalue(jail_conf_find(c, "a"),
	                     pidx("stop.timeout")),
	    1);
	/* no default: no value, and no number */
	ck_assert_ptr_null(get(c, "a", "exec.timeout"));
	ck_assert_int_eq(jail_param_hasvalue(jail_conf_find(c, "a"),
	                     pidx("exec.timeout")),
	    0);
	ck_assert_int_eq(jail_get_num(jail_conf_find(c, "a"),
	                     pidx("exec.timeout"), &n, &h),
	    -1);
	jail_conf_free(c);
}
END_TEST

START_TEST(default_overridden)
{
	struct jail_conf *c;

	c = parse("a { path = /a; stop.timeout = 1m; mount.nodevfs; "
	          "seccomp = none; }\n");
	ck_assert_clean(c);
	ck_assert_str_eq(get(c, "a", "stop.timeout"), "60");
	ck_assert_int_eq(getn(c, "a", "stop.timeout"), 60);
	ck_assert_str_eq(get(c, "a", "mount.devfs"), "false");
	ck_assert_str_eq(get(c, "a", "seccomp"), "none");
	ck_assert_int_eq(isset(c, "a", "stop.timeout"), 1);
	jail_conf_free(c);
}
END_TEST

Suite *
param_suite(void)
{
	Suite *s = suite_create("param");
	TCase *tc;

	tc = tcase_create("types");
	tcase_add_test(tc, type_string);
	tcase_add_test(tc, type_bool);
	tcase_add_test(tc, type_int_range);
	tcase_add_test(tc, type_int_in_file);
	tcase_add_test(tc, type_size);
	tcase_add_test(tc, type_size_bad);
	tcase_add_test(tc, type_duration);
	tcase_add_test(tc, type_duration_bad);
	tcase_add_test(tc, type_cores);
	tcase_add_test(tc, type_cores_bad);
	tcase_add_test(tc, type_rlimit);
	tcase_add_test(tc, type_rlimit_bad);
	tcase_add_test(tc, type_rlimit_in_file);
	tcase_add_test(tc, type_enum);
	tcase_add_test(tc, type_enum_bare);
	tcase_add_test(tc, type_path);
	tcase_add_test(tc, type_path_in_file);
	tcase_add_test(tc, list_vs_single);
	tcase_add_test(tc, list_for_path_no_cascade);
	suite_add_tcase(s, tc);

	tc = tcase_create("checks");
	tcase_add_test(tc, check_hostname);
	tcase_add_test(tc, check_ip4);
	tcase_add_test(tc, check_ip6);
	tcase_add_test(tc, check_ip_in_file);
	tcase_add_test(tc, check_idmap_values);
	tcase_add_test(tc, check_idmap_overlap_in_jail);
	tcase_add_test(tc, check_idmap_overlap_between_jails);
	tcase_add_test(tc, check_idmap_adjacent_ok);
	tcase_add_test(tc, check_idmap_pairs);
	tcase_add_test(tc, check_fstab_split);
	tcase_add_test(tc, check_fstab_values);
	tcase_add_test(tc, check_fstab_inside_path);
	tcase_add_test(tc, check_cpuset);
	tcase_add_test(tc, check_caps);
	tcase_add_test(tc, check_caps_in_file);
	tcase_add_test(tc, check_seccomp);
	tcase_add_test(tc, check_misc_strings);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, freebsd_only_warns);
	tcase_add_test(tc, freebsd_only_value_checked);
	tcase_add_test(tc, unknown_param);
	tcase_add_test(tc, lookup_table);
	tcase_add_test(tc, name_valid);
	tcase_add_test(tc, name_invalid);
	tcase_add_test(tc, name_in_block);
	suite_add_tcase(s, tc);

	tc = tcase_create("defaults");
	tcase_add_test(tc, default_hostname_is_name);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, default_overridden);
	suite_add_tcase(s, tc);

	return s;
}
