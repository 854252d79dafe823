/*
 * conf: the jail.conf language.  A hand-written lexer and recursive-descent
 * parser after FreeBSD's jaillex.l and jailparse.y.  The parser only records
 * statements, in file order across includes; param.c merges them into jails
 * and gives them meaning.  Errors never stop the reading: each is recorded
 * as a FILE:LINE diagnostic and the parser resumes after the next ";".
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jailp.h"

enum {
	T_EOF,
	T_WORD,
	T_SEMI,
	T_COMMA,
	T_EQ,
	T_PLUSEQ,
	T_LBRACE,
	T_RBRACE,
	T_ERROR
};

struct token {
	int type;
	int line;
	struct jail_rawval *val; /* T_WORD; owned by the token */
};

struct lexer {
	const char *p, *end;
	const char *file;
	int line;
	struct jail_conf *conf;
	struct token ahead;
	int have; /* ahead holds a token */
};

/* What the parser knows about where it stands. */
struct pstate {
	struct jail_conf *conf;
	struct jail *block; /* the jail block being read, or NULL */
	int inwild;         /* inside "*" { } */
	int discard;        /* inside a refused block: check, keep nothing */
	int depth;          /* include depth */
	struct {
		dev_t dev;
		ino_t ino;
	} open[JAIL_MAXINCLUDE + 1];
};

static int parse_stmts(struct pstate *, struct lexer *, int);

RB_GENERATE(jail_tree, jail, rb, jail_namecmp);

int
jail_namecmp(struct jail *a, struct jail *b)
{
	return strcmp(a->name, b->name);
}

static int
sb_addc(struct jail_sbuf *sb, char c)
{
	return jail_sbuf_add(sb, &c, 1);
}

void
jail_rawval_free(struct jail_rawval *rv)
{
	size_t i;

	if (rv == NULL)
		return;
	for (i = 0; i < rv->nparts; i++)
		free(rv->parts[i].s);
	free(rv->parts);
	free(rv->canon);
	free(rv);
}

static int
rv_push(struct jail_rawval *rv, char *s, int var)
{
	struct jail_rawpart *np;

	np = reallocarray(rv->parts, rv->nparts + 1, sizeof(*np));
	if (np == NULL) {
		free(s);
		return -1;
	}
	rv->parts = np;
	rv->parts[rv->nparts].s = s;
	rv->parts[rv->nparts].var = var;
	rv->nparts++;
	return 0;
}

/* Move the literal collected so far into a part of its own. */
static int
rv_flush(struct jail_rawval *rv, struct jail_sbuf *lit, int force)
{
	char *s;

	if (lit->n == 0 && !force)
		return 0;
	if ((s = strndup(lit->b != NULL ? lit->b : "", lit->n)) == NULL)
		return -1;
	lit->n = 0;
	return rv_push(rv, s, 0);
}

/* A value written without variables, or NULL. */
static const char *
rv_literal(const struct jail_rawval *rv)
{
	if (rv->nparts == 1 && !rv->parts[0].var)
		return rv->parts[0].s;
	return NULL;
}

/* The value as the user wrote it, near enough for a message. */
static char *
rv_text(const struct jail_rawval *rv)
{
	struct jail_sbuf sb = { NULL, 0, 0 };
	size_t i;

	jail_sbuf_add(&sb, "", 0);
	for (i = 0; i < rv->nparts; i++) {
		if (rv->parts[i].var) {
			jail_sbuf_add(&sb, "${", 2);
			jail_sbuf_add(&sb, rv->parts[i].s,
			    strlen(rv->parts[i].s));
			jail_sbuf_add(&sb, "}", 1);
		} else
			jail_sbuf_add(&sb, rv->parts[i].s,
			    strlen(rv->parts[i].s));
	}
	return sb.b;
}

static void
lexerr(struct lexer *lx, int line, const char *msg)
{
	jail_diag_add(lx->conf, lx->file, line, 0, "%s", msg);
}

/* Characters that may stand unquoted in a word (jaillex.l). */
static int
wordchar(int c)
{
	c = (unsigned char)c;
	if (c >= 0x80 || isalnum(c))
		return 1;
	return c != '\0' && strchr("_!%&()-.:<>?@[]^`|~$*+/", c) != NULL;
}

/*
 * Decode the backslash escape at lx->p (which points at the backslash) into
 * lit.  Returns -1 after recording an error.
 */
static int
escape(struct lexer *lx, struct jail_sbuf *lit)
{
	int c, v, i;

	lx->p++;
	if (lx->p >= lx->end) {
		lexerr(lx, lx->line, "backslash at end of file");
		return -1;
	}
	c = (unsigned char)*lx->p++;
	switch (c) {
	case '\n':
		lx->line++; /* continuation */
		return 0;
	case 'a':
		return sb_addc(lit, '\a');
	case 'b':
		return sb_addc(lit, '\b');
	case 'f':
		return sb_addc(lit, '\f');
	case 'n':
		return sb_addc(lit, '\n');
	case 'r':
		return sb_addc(lit, '\r');
	case 't':
		return sb_addc(lit, '\t');
	case 'v':
		return sb_addc(lit, '\v');
	case 'x':
		v = 0;
		for (i = 0; i < 2 && lx->p < lx->end && isxdigit(*lx->p); i++) {
			c = tolower((unsigned char)*lx->p++);
			v = v * 16 + (isdigit(c) ? c - '0' : c - 'a' + 10);
		}
		if (i == 0) {
			lexerr(lx, lx->line, "\\x with no hex digits after it");
			return -1;
		}
		break;
	default:
		if (c < '0' || c > '7')
			return sb_addc(lit, (char)c);
		v = c - '0';
		for (i = 1;
		     i < 3 && lx->p < lx->end && *lx->p >= '0' && *lx->p <= '7';
		     i++)
			v = v * 8 + (*lx->p++ - '0');
		if (v > 255) {
			lexerr(lx, lx->line, "octal escape out of range");
			return -1;
		}
		break;
	}
	if (v == 0) {
		lexerr(lx, lx->line, "a NUL byte cannot stand in a value");
		return -1;
	}
	return sb_addc(lit, (char)v);
}

/*
 * A variable reference at lx->p ("$name" or "${dotted.name}").  A "$" that
 * starts neither stays a literal "$", as in FreeBSD.
 */
static int
varref(struct lexer *lx, struct jail_rawval *rv, struct jail_sbuf *lit)
{
	const char *s = lx->p + 1, *e;
	char *name;

	if (s < lx->end && *s == '{') {
		/* a name ends at the first byte no name holds */
		for (e = s + 1; e < lx->end &&
		     (isalnum((unsigned char)*e) || strchr("_.-", *e) != NULL);
		     e++)
			;
		if (e >= lx->end || *e != '}') {
			lexerr(lx, lx->line, "unterminated variable");
			lx->p = e;
			return -1;
		}
		if (e == s + 1) {
			lexerr(lx, lx->line, "empty variable name \"${}\"");
			lx->p = e + 1;
			return -1;
		}
		name = strndup(s + 1, (size_t)(e - s - 1));
		lx->p = e + 1;
	} else if (s < lx->end && (isalpha((unsigned char)*s) || *s == '_')) {
		for (e = s;
		     e < lx->end && (isalnum((unsigned char)*e) || *e == '_');
		     e++)
			;
		name = strndup(s, (size_t)(e - s));
		lx->p = e;
	} else {
		lx->p++;
		return sb_addc(lit, '$');
	}
	if (name == NULL || rv_flush(rv, lit, 0) == -1) {
		free(name);
		return -1;
	}
	return rv_push(rv, name, 1);
}

static int
quoted(struct lexer *lx, struct jail_rawval *rv, struct jail_sbuf *lit)
{
	const char *e;
	char q = *lx->p++;
	int line = lx->line, bad = 0;

	/*
	 * A bad piece is reported, and the string is still read to its
	 * closing quote so that the next statement parses as written.
	 */
	for (;;) {
		if (lx->p >= lx->end) {
			lexerr(lx, line, "unterminated string");
			return -1;
		}
		if (*lx->p == q) {
			lx->p++;
			return bad ? -1 : 0;
		}
		if (*lx->p == '\\') {
			if (escape(lx, lit) == -1)
				bad = 1;
			continue;
		}
		if (q == '"' && *lx->p == '$') {
			if (varref(lx, rv, lit) == -1)
				bad = 1;
			continue;
		}
		if (*lx->p == '\0') {
			if (!bad)
				lexerr(lx, lx->line,
				    "a NUL byte cannot stand in a value");
			lx->p++;
			bad = 1;
			continue;
		}
		if (*lx->p == '\n')
			lx->line++;
		for (e = lx->p + 1; e < lx->end && *e != q && *e != '\\' &&
		     *e != '$' && *e != '\n' && *e != '\0';
		     e++)
			;
		if (jail_sbuf_add(lit, lx->p, (size_t)(e - lx->p)) == -1)
			return -1;
		lx->p = e;
	}
}

/*
 * One word: unquoted characters, quoted strings and variable references
 * written without space between them make a single value.
 */
static int
word(struct lexer *lx, struct token *t)
{
	struct jail_sbuf lit = { NULL, 0, 0 };
	struct jail_rawval *rv;
	const char *e;
	int c, rc = -1;

	if ((rv = calloc(1, sizeof(*rv))) == NULL)
		return -1;
	while (lx->p < lx->end) {
		c = (unsigned char)*lx->p;
		if (c == '\'' || c == '"') {
			if (quoted(lx, rv, &lit) == -1)
				goto out;
		} else if (c == '\\') {
			if (escape(lx, &lit) == -1)
				goto out;
		} else if (c == '$') {
			if (varref(lx, rv, &lit) == -1)
				goto out;
		} else if (c == '+' && lx->p + 1 < lx->end && lx->p[1] == '=')
			break;
		else if (c == '/' && lx->p + 1 < lx->end &&
		    (lx->p[1] == '/' || lx->p[1] == '*'))
			break;
		else if (wordchar(c)) {
			/* a run of plain characters in one copy */
			for (e = lx->p + 1; e < lx->end && wordchar(*e) &&
			     *e != '$' && *e != '+' && *e != '/';
			     e++)
				;
			if (jail_sbuf_add(&lit, lx->p, (size_t)(e - lx->p)) ==
			    -1)
				goto out;
			lx->p = e;
		} else
			break;
	}
	if (rv_flush(rv, &lit, rv->nparts == 0) == -1)
		goto out;
	t->type = T_WORD;
	t->val = rv;
	rv = NULL;
	rc = 0;
out:
	jail_rawval_free(rv);
	free(lit.b);
	return rc;
}

/* Skip white space and comments; -1 on an unterminated comment. */
static int
skipspace(struct lexer *lx)
{
	int line;

	while (lx->p < lx->end) {
		switch (*lx->p) {
		case '\n':
			lx->line++;
			/* FALLTHROUGH */
		case ' ':
		case '\t':
		case '\r':
		case '\f':
		case '\v':
			lx->p++;
			continue;
		case '#':
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		case '/':
			if (lx->p + 1 >= lx->end)
				return 0;
			if (lx->p[1] == '/') {
				while (lx->p < lx->end && *lx->p != '\n')
					lx->p++;
				continue;
			}
			if (lx->p[1] != '*')
				return 0;
			line = lx->line;
			for (lx->p += 2;; lx->p++) {
				if (lx->p + 1 >= lx->end) {
					lx->p = lx->end;
					lexerr(lx, line,
					    "unterminated comment");
					return -1;
				}
				if (*lx->p == '\n')
					lx->line++;
				else if (lx->p[0] == '*' && lx->p[1] == '/')
					break;
			}
			lx->p += 2;
			continue;
		default:
			return 0;
		}
	}
	return 0;
}

static void
next(struct lexer *lx, struct token *t)
{
	int c;

	if (lx->have) {
		*t = lx->ahead;
		lx->have = 0;
		return;
	}
	memset(t, 0, sizeof(*t));
	if (skipspace(lx) == -1) {
		t->type = T_ERROR;
		return;
	}
	t->line = lx->line;
	if (lx->p >= lx->end) {
		t->type = T_EOF;
		return;
	}
	c = (unsigned char)*lx->p;
	switch (c) {
	case ';':
		t->type = T_SEMI;
		break;
	case ',':
		t->type = T_COMMA;
		break;
	case '=':
		t->type = T_EQ;
		break;
	case '{':
		t->type = T_LBRACE;
		break;
	case '}':
		t->type = T_RBRACE;
		break;
	case '+':
		if (lx->p + 1 < lx->end && lx->p[1] == '=') {
			t->type = T_PLUSEQ;
			lx->p += 2;
			return;
		}
		/* FALLTHROUGH */
	default:
		if (wordchar(c) || c == '\'' || c == '"' || c == '\\') {
			if (word(lx, t) == -1) {
				t->type = T_ERROR;
				t->val = NULL;
			}
			return;
		}
		if (isprint(c))
			jail_diag_add(lx->conf, lx->file, lx->line, 0,
			    "unexpected character '%c'", c);
		else
			jail_diag_add(lx->conf, lx->file, lx->line, 0,
			    "unexpected byte \\x%02x", c);
		lx->p++;
		t->type = T_ERROR;
		return;
	}
	lx->p++;
}

static void
unget(struct lexer *lx, struct token *t)
{
	lx->ahead = *t;
	lx->have = 1;
	t->val = NULL;
}

static void
tokfree(struct token *t)
{
	jail_rawval_free(t->val);
	t->val = NULL;
}

static const char *
tokname(int type)
{
	switch (type) {
	case T_EOF:
		return "end of file";
	case T_SEMI:
		return "\";\"";
	case T_COMMA:
		return "\",\"";
	case T_EQ:
		return "\"=\"";
	case T_PLUSEQ:
		return "\"+=\"";
	case T_LBRACE:
		return "\"{\"";
	case T_RBRACE:
		return "\"}\"";
	default:
		return "a word";
	}
}

/*
 * After an error: skip to the end of the statement, that is past the next
 * ";", or up to (not past) a "}" or the end of the file.
 */
static void
recover(struct lexer *lx)
{
	struct token t;

	for (;;) {
		next(lx, &t);
		tokfree(&t);
		if (t.type == T_SEMI)
			return;
		if (t.type == T_RBRACE || t.type == T_EOF) {
			unget(lx, &t);
			return;
		}
	}
}

static void
synerr(struct pstate *ps, struct lexer *lx, const struct token *t,
    const char *what)
{
	char *s;

	if (t->type == T_ERROR)
		return; /* the lexer said why */
	if (t->type == T_WORD) {
		s = rv_text(t->val);
		jail_diag_add(ps->conf, lx->file, t->line, 0,
		    "syntax error: %s, found \"%s\"", what, s ? s : "?");
		free(s);
	} else
		jail_diag_add(ps->conf, lx->file, t->line, 0,
		    "syntax error: %s, found %s", what, tokname(t->type));
}

static void
damage(struct pstate *ps)
{
	if (ps->block != NULL)
		ps->block->damaged = 1;
	else
		ps->conf->damaged = 1;
}

static const char *
intern_file(struct jail_conf *conf, const char *name)
{
	char **nf, *s;
	size_t i;

	for (i = 0; i < conf->nfiles; i++)
		if (strcmp(conf->files[i], name) == 0)
			return conf->files[i];
	if ((s = strdup(name)) == NULL)
		return NULL;
	nf = reallocarray(conf->files, conf->nfiles + 1, sizeof(*nf));
	if (nf == NULL) {
		free(s);
		return NULL;
	}
	conf->files = nf;
	conf->files[conf->nfiles++] = s;
	return s;
}

static int
read_all(int fd, char **bufp, size_t *lenp, struct jail_error *err)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (len == cap) {
			if (cap >= JAIL_MAXCONFSIZE) {
				free(buf);
				return jail_seterr(err, EFBIG, "read");
			}
			cap = cap ? cap * 2 : 16384;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return jail_seterr(err, ENOMEM, "read");
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return jail_seterr(err, errno, "read");
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static void
lex_init(struct lexer *lx, struct jail_conf *conf, const char *file,
    const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = buf;
	lx->end = buf + len;
	lx->file = file;
	lx->line = 1;
	lx->conf = conf;
}

static void
lex_done(struct lexer *lx)
{
	if (lx->have)
		tokfree(&lx->ahead);
}

/*
 * Read one included (or the top) file and parse it where the parser
 * stands.  Errors opening it are reported at the including line.
 */
static int
parse_file(struct pstate *ps, const char *path, const char *from, int fline,
    struct jail_error *err)
{
	struct lexer lx;
	struct stat st;
	const char *file;
	char *buf = NULL;
	size_t len;
	int fd, i, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1 ||
	    fstat(fd, &st) == -1) {
		jail_seterr(err, errno, "%s", path);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		jail_seterr(err, EISDIR, "%s", path);
		goto fail;
	}
	for (i = 0; i < ps->depth; i++) {
		if (ps->open[i].dev == st.st_dev &&
		    ps->open[i].ino == st.st_ino) {
			jail_seterr(err, 0, "include loop: %s includes itself",
			    path);
			goto fail;
		}
	}
	if (S_ISFIFO(st.st_mode) &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1) {
		jail_seterr(err, errno, "%s", path);
		goto fail;
	}
	if (read_all(fd, &buf, &len, err) == -1) {
		jail_seterr(err, err != NULL ? err->code : EIO, "%s", path);
		goto fail;
	}
	if ((file = intern_file(ps->conf, path)) == NULL) {
		jail_seterr(err, ENOMEM, "%s", path);
		goto fail;
	}
	ps->open[ps->depth].dev = st.st_dev;
	ps->open[ps->depth].ino = st.st_ino;
	ps->depth++;
	lex_init(&lx, ps->conf, file, buf, len);
	parse_stmts(ps, &lx, 0);
	lex_done(&lx);
	ps->depth--;
	rc = 0;
	goto out;
fail:
	if (from != NULL)
		jail_diag_add(ps->conf, from, fline, 0, "%s",
		    err != NULL ? err->msg : path);
out:
	if (fd != -1)
		close(fd);
	free(buf);
	return rc;
}

static __thread int glob_errno;

/*
 * A directory the pattern passes through and which does not exist matches
 * nothing, as in FreeBSD; one that exists and cannot be read is an error.
 */
static int
glob_err(const char *path, int code)
{
	if (code != ENOENT && code != ENOTDIR && glob_errno == 0)
		glob_errno = code;
	return 0;
}

/* ".include "path-or-glob";": the word after it is in t. */
static void
parse_include(struct pstate *ps, struct lexer *lx, int line)
{
	struct jail_error je;
	struct token t, semi;
	const char *name, *slash;
	char *path = NULL;
	glob_t g;
	size_t i;
	int grc;

	next(lx, &t);
	if (t.type != T_WORD) {
		synerr(ps, lx, &t, "expected a file name after \".include\"");
		if (t.type == T_RBRACE || t.type == T_EOF)
			unget(lx, &t);
		else if (t.type != T_SEMI)
			recover(lx);
		return;
	}
	next(lx, &semi);
	if (semi.type != T_SEMI) {
		synerr(ps, lx, &semi, "expected \";\" after the file name");
		tokfree(&semi);
		unget(lx, &semi);
		recover(lx);
	}
	if ((name = rv_literal(t.val)) == NULL) {
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "variables are not permitted in an \".include\" file name");
		goto out;
	}
	if (ps->conf->flags & JAIL_CONF_NOINCLUDE) {
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "\".include\" is not permitted here");
		goto out;
	}
	if (*name == '\0') {
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "empty \".include\" file name");
		goto out;
	}
	if (ps->depth > JAIL_MAXINCLUDE) { /* the top file is depth 1 */
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "includes nested more than %d deep", JAIL_MAXINCLUDE);
		goto out;
	}
	slash = strrchr(lx->file, '/');
	if (*name != '/' && slash != NULL) {
		if (asprintf(&path, "%.*s/%s", (int)(slash - lx->file),
		        lx->file, name) == -1)
			path = NULL;
	} else
		path = strdup(name);
	if (path == NULL)
		goto out;
	if (strpbrk(name, "*?[") == NULL) {
		parse_file(ps, path, lx->file, line, &je);
		goto out;
	}
	glob_errno = 0;
	grc = glob(path, 0, glob_err, &g);
	if (grc == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			parse_file(ps, g.gl_pathv[i], lx->file, line, &je);
	} else if (grc != GLOB_NOMATCH)
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "%s: cannot expand the pattern", path);
	if (glob_errno != 0)
		jail_diag_add(ps->conf, lx->file, line, 0, "%s: %s", path,
		    strerror(glob_errno));
	globfree(&g);
out:
	free(path);
	tokfree(&t);
}

static struct jail *
jail_add(struct jail_conf *conf, const char *name, const char *file, int line)
{
	struct jail key, *j, **nj;

	key.name = (char *)name;
	if ((j = RB_FIND(jail_tree, &conf->byname, &key)) != NULL)
		return j;
	if (conf->njails == conf->jailcap) {
		nj = reallocarray(conf->jails, conf->jailcap * 2 + 16,
		    sizeof(*nj));
		if (nj == NULL)
			return NULL;
		conf->jails = nj;
		conf->jailcap = conf->jailcap * 2 + 16;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if ((j->name = strdup(name)) == NULL) {
		free(j);
		return NULL;
	}
	j->file = file;
	j->line = line;
	j->conf = conf;
	STAILQ_INIT(&j->stmts);
	RB_INSERT(jail_tree, &conf->byname, j);
	j->idx = conf->njails;
	conf->jails[conf->njails++] = j;
	return j;
}

/*
 * "NAME { ... }": the opening brace has been read.  A refused block is
 * still read, so that its errors are reported, but nothing of it is kept.
 */
static void
parse_block(struct pstate *ps, struct lexer *lx, struct token *t)
{
	struct jail *oblock = ps->block;
	char why[JAIL_ERRMAX];
	int owild = ps->inwild, odiscard = ps->discard, line = t->line;
	const char *name = rv_literal(t->val);

	if (ps->block != NULL || ps->inwild) {
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "a jail block cannot stand inside another block");
		damage(ps);
		ps->discard = 1;
	} else if (name == NULL) {
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "a jail name cannot contain variables");
		ps->discard = 1;
	} else if (strcmp(name, "*") == 0) {
		ps->inwild = 1;
	} else if (strchr(name, '*') != NULL) {
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "wildcard \"%s\": only \"*\" is supported", name);
		ps->discard = 1;
	} else if (strchr(name, '.') != NULL) {
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "jail \"%s\": dotted (hierarchical) jail names are not "
		    "supported",
		    name);
		ps->discard = 1;
	} else if (jail_check_name(name, why, sizeof(why)) == -1) {
		jail_diag_add(ps->conf, lx->file, line, 0, "%s", why);
		ps->discard = 1;
	} else if (!ps->discard) {
		ps->block = jail_add(ps->conf, name, lx->file, line);
		if (ps->block == NULL) {
			jail_diag_add(ps->conf, lx->file, line, 0,
			    "out of memory");
			ps->discard = 1;
		}
	}
	if (parse_stmts(ps, lx, 1) == -1)
		jail_diag_add(ps->conf, lx->file, line, 0,
		    "missing \"}\" for the block opened here");
	ps->block = oblock;
	ps->inwild = owild;
	ps->discard = odiscard;
}

/* Append a finished statement where it belongs; takes st. */
static void
stmt_add(struct pstate *ps, struct jail_stmt *st)
{
	if (ps->discard) {
		jail_stmt_free(st);
		return;
	}
	st->seq = ++ps->conf->seq;
	if (ps->block != NULL)
		STAILQ_INSERT_TAIL(&ps->block->stmts, st, entry);
	else {
		st->global = 1;
		STAILQ_INSERT_TAIL(&ps->conf->common, st, entry);
	}
}

void
jail_stmt_free(struct jail_stmt *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nvals; i++)
		jail_rawval_free(st->vals[i]);
	free(st->vals);
	free(st->var);
	free(st);
}

static int
stmt_push(struct jail_stmt *st, struct jail_rawval *rv)
{
	struct jail_rawval **nv;

	nv = reallocarray(st->vals, st->nvals + 1, sizeof(*nv));
	if (nv == NULL) {
		jail_rawval_free(rv);
		return -1;
	}
	st->vals = nv;
	st->vals[st->nvals++] = rv;
	return 0;
}

static int
stmt_push_literal(struct jail_stmt *st, const char *s)
{
	struct jail_rawval *rv;
	char *d;

	if ((rv = calloc(1, sizeof(*rv))) == NULL)
		return -1;
	if ((d = strdup(s)) == NULL || rv_push(rv, d, 0) == -1) {
		free(rv);
		return -1;
	}
	return stmt_push(st, rv);
}

static int
varname_valid(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int
pname_valid(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("_.-", *s) == NULL)
			return 0;
	return 1;
}

/*
 * Check the statement's own shape and its literal values now, so that a
 * file's errors are reported even where no jail uses the statement.
 * Returns -1 when the statement must be dropped.
 */
static int
stmt_check(struct pstate *ps, struct jail_stmt *st, const char *pname)
{
	const struct jail_pdef *pd;
	const char *lit;
	char why[256], *canon;
	int64_t num, hard;
	size_t i;
	int bad = 0;

	if (st->param < 0)
		return 0;
	pd = &jail_ptab[st->param];
	if (pd->flags & JAIL_PF_FIXED) {
		lit = st->nvals == 1 ? rv_literal(st->vals[0]) : NULL;
		if (ps->block == NULL || lit == NULL ||
		    strcmp(lit, ps->block->name) != 0)
			jail_diag_add(ps->conf, st->file, st->line, 0,
			    "\"%s\" is set by the jail block and cannot be "
			    "redefined",
			    pd->name);
		return -1; /* the block has set it already */
	}
	if (st->nvals > 1 && !(pd->flags & JAIL_PF_LIST)) {
		jail_diag_add(ps->conf, st->file, st->line, 0,
		    "\"%s\" takes a single value, not a list", pd->name);
		damage(ps);
		return -1;
	}
	if (st->append && !(pd->flags & JAIL_PF_LIST)) {
		jail_diag_add(ps->conf, st->file, st->line, 0,
		    "\"+=\" appends to a list, and \"%s\" is not one",
		    pd->name);
		damage(ps);
		return -1;
	}
	if (pd->flags & JAIL_PF_NOLINUX)
		jail_diag_add(ps->conf, st->file, st->line, 1,
		    "\"%s\" is a FreeBSD parameter jailctl does not apply; "
		    "ignored",
		    pname);
	for (i = 0; i < st->nvals; i++) {
		if ((lit = rv_literal(st->vals[i])) == NULL)
			continue;
		if (jail_param_value(st->param, lit, &canon, &num, &hard, why,
		        sizeof(why)) == -1) {
			jail_diag_add(ps->conf, st->file, st->line, 0,
			    "\"%s\": %s", pd->name, why);
			bad = 1;
		} else {
			/* kept: every jail that uses it takes it from here */
			st->vals[i]->canon = canon;
			st->vals[i]->num = num;
			st->vals[i]->hard = hard;
		}
	}
	if (bad)
		damage(ps); /* kept: the jail shows the same error again */
	return 0;
}

/*
 * The values after "=" or "+=", up to the ";".  A word on a later line where
 * a ";" should be is taken as a forgotten ";" so the next statement still
 * counts.
 */
static int
parse_values(struct pstate *ps, struct lexer *lx, struct jail_stmt *st)
{
	struct token v, sep;
	int lastline;

	for (;;) {
		next(lx, &v);
		if (v.type != T_WORD) {
			synerr(ps, lx, &v, "expected a value");
			if (v.type == T_SEMI)
				return -1;
			unget(lx, &v);
			recover(lx);
			return -1;
		}
		lastline = lx->line;
		if (stmt_push(st, v.val) == -1)
			return -1;
		next(lx, &sep);
		if (sep.type == T_COMMA)
			continue;
		if (sep.type == T_SEMI)
			return 0;
		if (sep.type == T_WORD && sep.line > v.line) {
			jail_diag_add(ps->conf, lx->file, lastline, 0,
			    "syntax error: missing \";\" after the value");
			unget(lx, &sep);
			return 0;
		}
		synerr(ps, lx, &sep, "expected \",\" or \";\" after a value");
		tokfree(&sep);
		if (sep.type == T_RBRACE || sep.type == T_EOF)
			unget(lx, &sep);
		else if (sep.type != T_ERROR || lx->p < lx->end)
			recover(lx);
		return -1;
	}
}

/* A statement starting with the word t (which it consumes). */
static void
parse_stmt(struct pstate *ps, struct lexer *lx, struct token *t)
{
	const struct jail_pdef *pd;
	struct jail_stmt *st = NULL;
	struct token t2;
	const char *name = rv_literal(t->val), *bare;
	char hint[128];
	int neg = 0;

	if (name != NULL && strcmp(name, ".include") == 0) {
		parse_include(ps, lx, t->line);
		return;
	}
	next(lx, &t2);
	if (t2.type == T_LBRACE) {
		parse_block(ps, lx, t);
		return;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		goto skip;
	st->file = lx->file;
	st->line = t->line;
	st->param = -1;
	if (t->val->nparts == 1 && t->val->parts[0].var) {
		name = t->val->parts[0].s;
		if (!varname_valid(name)) {
			jail_diag_add(ps->conf, lx->file, t->line, 0,
			    "invalid variable name \"%s\"", name);
			goto skip;
		}
		if (jail_param_byname(name, &neg) >= 0) {
			jail_diag_add(ps->conf, lx->file, t->line, 0,
			    "variable \"%s\" has the name of a parameter",
			    name);
			goto skip;
		}
		if ((st->var = strdup(name)) == NULL)
			goto skip;
	} else if (name == NULL || !pname_valid(name)) {
		synerr(ps, lx, t, "expected a parameter name");
		goto skip;
	} else if ((st->param = jail_param_byname(name, &neg)) < 0) {
		jail_param_suggest(name, hint, sizeof(hint));
		jail_diag_add(ps->conf, lx->file, t->line, 0,
		    "unknown parameter \"%s\"%s", name, hint);
		goto skip;
	}
	switch (t2.type) {
	case T_SEMI:
		if (st->param < 0) {
			jail_diag_add(ps->conf, lx->file, t->line, 0,
			    "variable \"%s\" needs a value", st->var);
			goto fail;
		}
		pd = &jail_ptab[st->param];
		if (pd->type == JAIL_PT_BOOL)
			bare = neg ? "false" : "true";
		else
			bare = neg ? pd->falsev : pd->truev;
		if (bare == NULL) {
			jail_diag_add(ps->conf, lx->file, t->line, 0,
			    "parameter \"%s\" needs a value", name);
			goto fail;
		}
		if (stmt_push_literal(st, bare) == -1)
			goto fail;
		break;
	case T_EQ:
	case T_PLUSEQ:
		st->append = t2.type == T_PLUSEQ;
		if (parse_values(ps, lx, st) == -1)
			goto fail;
		if (neg) {
			jail_diag_add(ps->conf, lx->file, t->line, 0,
			    "\"%s\" takes no value (write \"%s;\" alone)", name,
			    name);
			goto fail;
		}
		break;
	default:
		synerr(ps, lx, &t2, "expected \"=\", \"+=\" or \";\"");
		if (t2.type == T_RBRACE || t2.type == T_EOF) {
			unget(lx, &t2);
		} else {
			tokfree(&t2);
			recover(lx);
		}
		goto fail;
	}
	if (stmt_check(ps, st, name) == -1) {
		jail_stmt_free(st);
		return;
	}
	stmt_add(ps, st);
	return;
skip:
	if (t2.type == T_RBRACE || t2.type == T_EOF)
		unget(lx, &t2);
	else if (t2.type != T_SEMI) {
		tokfree(&t2);
		recover(lx);
	}
fail:
	damage(ps);
	jail_stmt_free(st);
}

/*
 * Statements up to the end of the file, or of the block when inblock.
 * Returns -1 when a block meets the end of the file.
 */
static int
parse_stmts(struct pstate *ps, struct lexer *lx, int inblock)
{
	struct token t;

	for (;;) {
		next(lx, &t);
		switch (t.type) {
		case T_EOF:
			return inblock ? -1 : 0;
		case T_SEMI:
			continue;
		case T_RBRACE:
			if (inblock)
				return 0;
			jail_diag_add(ps->conf, lx->file, t.line, 0,
			    "syntax error: \"}\" without a block to close");
			continue;
		case T_ERROR:
			if (lx->p < lx->end)
				recover(lx);
			continue;
		case T_WORD:
			parse_stmt(ps, lx, &t);
			tokfree(&t);
			continue;
		default:
			synerr(ps, lx, &t, "expected a statement");
			damage(ps);
			recover(lx);
			continue;
		}
	}
}

struct jail_conf *
jail_conf_new(int flags)
{
	struct jail_conf *conf;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return NULL;
	conf->flags = flags;
	STAILQ_INIT(&conf->common);
	RB_INIT(&conf->byname);
	return conf;
}

static void
stmtq_free(struct jail_stmtq *q)
{
	struct jail_stmt *st;

	while ((st = STAILQ_FIRST(q)) != NULL) {
		STAILQ_REMOVE_HEAD(q, entry);
		jail_stmt_free(st);
	}
}

void
jail_conf_free(struct jail_conf *conf)
{
	struct jail *j;
	size_t i, k;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->njails; i++) {
		j = conf->jails[i];
		stmtq_free(&j->stmts);
		for (k = 0; k < j->npv; k++)
			jail_pv_free(&j->pv[k]);
		free(j->pv);
		free(j->name);
		free(j);
	}
	free(conf->jails);
	stmtq_free(&conf->common);
	for (i = 0; i < conf->nfiles; i++)
		free(conf->files[i]);
	free(conf->files);
	for (i = 0; i < conf->ndiags; i++)
		free(conf->diags[i].msg);
	free(conf->diags);
	free(conf);
}

static int
load_done(struct jail_conf *conf, struct jail_error *err)
{
	conf->resolved = 0;
	if (conf->nerrors > 0) {
		jail_diag_first(conf, err);
		return -1;
	}
	return 0;
}

int
jail_conf_load(struct jail_conf *conf, const char *path, struct jail_error *err)
{
	struct pstate ps;
	struct lexer lx;
	const char *file;
	char *buf;
	size_t len;

	if (strcmp(path, "-") != 0) {
		memset(&ps, 0, sizeof(ps));
		ps.conf = conf;
		if (parse_file(&ps, path, NULL, 0, err) == -1)
			return -1;
		return load_done(conf, err);
	}
	if (read_all(STDIN_FILENO, &buf, &len, err) == -1)
		return jail_seterr(err, err->code, "standard input");
	if ((file = intern_file(conf, "<stdin>")) == NULL) {
		free(buf);
		return jail_seterr(err, ENOMEM, "standard input");
	}
	memset(&ps, 0, sizeof(ps));
	ps.conf = conf;
	lex_init(&lx, conf, file, buf, len);
	parse_stmts(&ps, &lx, 0);
	lex_done(&lx);
	free(buf);
	return load_done(conf, err);
}

int
jail_conf_load_string(struct jail_conf *conf, const char *name, const char *buf,
    size_t len, struct jail_error *err)
{
	struct pstate ps;
	struct lexer lx;
	const char *file;

	if ((file = intern_file(conf, name)) == NULL)
		return jail_seterr(err, ENOMEM, "%s", name);
	memset(&ps, 0, sizeof(ps));
	ps.conf = conf;
	lex_init(&lx, conf, file, buf, len);
	parse_stmts(&ps, &lx, 0);
	lex_done(&lx);
	return load_done(conf, err);
}
