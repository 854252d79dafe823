/*
 * Resolution of a configuration into jails.  Each jail's statements are
 * the global and "*" statements merged with its own block's, in file
 * order: "=" replaces what came before, "+=" appends.  So a "*" block (or a
 * global statement) before a jail gives defaults it can override, and one
 * after it gives values it cannot.  Variables are then substituted per jail
 * ("$name" in a "*" block is each jail's own name), and every value is read
 * by the parameter table.  Last come the checks between jails.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jailp.h"

/* The statements that set one parameter or variable, then its values. */
struct slot {
	const struct jail_stmt **st;
	size_t n, cap;
	int state;                     /* S_* */
	char **exp;                    /* values after substitution */
	const struct jail_rawval **rv; /* the literal each came from, or NULL */
	unsigned char *own;            /* exp[i] is ours to free */
	const struct jail_stmt **src;  /* the statement of each value */
	size_t nexp, expcap;
	const char *var; /* a variable slot's name */
};

enum {
	S_NONE,
	S_SET,
	S_BUSY,
	S_DONE,
	S_FAILED
};

/* Reused from jail to jail, so that 10,000 jails cost few allocations. */
struct rctx {
	struct jail_conf *conf;
	struct jail *j;
	struct slot *ps;         /* one per parameter */
	struct slot *vs;         /* variables */
	size_t nvs, vinit, vcap; /* in use, ever used, allocated */
	int *touched;            /* parameters with statements, for the reset */
	size_t ntouched;
	struct jail_sbuf sb; /* for joining the pieces of a value */
};

static void
slot_reset(struct slot *s)
{
	size_t i;

	for (i = 0; i < s->nexp; i++)
		if (s->own[i])
			free(s->exp[i]);
	s->nexp = 0;
	s->n = 0;
	s->state = S_NONE;
}

static void
slot_free(struct slot *s)
{
	slot_reset(s);
	free(s->st);
	free(s->exp);
	free(s->rv);
	free(s->own);
	free(s->src);
}

/* Report a problem of jail c->j found in statement st (or its block). */
static void rerr(struct rctx *c, const struct jail_stmt *st, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
rerr(struct rctx *c, const struct jail_stmt *st, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (st == NULL)
		jail_diag_add(c->conf, c->j->file, c->j->line, 0,
		    "jail \"%s\": %s", c->j->name, msg ? msg : "out of memory");
	else if (st->global)
		jail_diag_add(c->conf, st->file, st->line, 0, "jail \"%s\": %s",
		    c->j->name, msg ? msg : "out of memory");
	else
		jail_diag_add(c->conf, st->file, st->line, 0, "%s",
		    msg ? msg : "out of memory");
	free(msg);
}

static int
slot_push(struct slot *s, const struct jail_stmt *st)
{
	const struct jail_stmt **n;

	if (s->n == s->cap) {
		n = reallocarray(s->st, s->cap * 2 + 4, sizeof(*n));
		if (n == NULL)
			return -1;
		s->st = n;
		s->cap = s->cap * 2 + 4;
	}
	s->st[s->n++] = st;
	return 0;
}

/*
 * Add a value to slot s: v (owned when own, else borrowed from a literal or
 * another slot, all of which outlive the jail's resolution), from
 * statement st, and the literal rv it is when it is one.
 */
static int
exp_push(struct slot *s, char *v, int own, const struct jail_stmt *st,
    const struct jail_rawval *rv)
{
	const struct jail_rawval **nr;
	const struct jail_stmt **ns;
	unsigned char *no;
	char **ne;
	size_t ncap = s->expcap * 2 + 4;

	if (v == NULL)
		return -1;
	if (s->nexp == s->expcap) {
		if ((ne = reallocarray(s->exp, ncap, sizeof(*ne))) != NULL)
			s->exp = ne;
		if ((ns = reallocarray(s->src, ncap, sizeof(*ns))) != NULL)
			s->src = ns;
		if ((nr = reallocarray(s->rv, ncap, sizeof(*nr))) != NULL)
			s->rv = nr;
		if ((no = reallocarray(s->own, ncap, sizeof(*no))) != NULL)
			s->own = no;
		if (ne == NULL || ns == NULL || nr == NULL || no == NULL) {
			if (own)
				free(v);
			return -1;
		}
		s->expcap = ncap;
	}
	s->exp[s->nexp] = v;
	s->src[s->nexp] = st;
	s->rv[s->nexp] = rv;
	s->own[s->nexp++] = (unsigned char)own;
	return 0;
}

static struct slot *
var_slot(struct rctx *c, const char *name, int create)
{
	struct slot *nv;
	size_t i;

	for (i = 0; i < c->nvs; i++)
		if (strcmp(c->vs[i].var, name) == 0)
			return &c->vs[i];
	if (!create)
		return NULL;
	if (c->nvs == c->vcap) {
		nv = reallocarray(c->vs, c->vcap * 2 + 8, sizeof(*nv));
		if (nv == NULL)
			return NULL;
		c->vs = nv;
		c->vcap = c->vcap * 2 + 8;
	}
	if (c->nvs == c->vinit) {
		memset(&c->vs[c->nvs], 0, sizeof(c->vs[0]));
		c->vinit++;
	}
	c->vs[c->nvs].var = name; /* the arrays are reused */
	return &c->vs[c->nvs++];
}

static int
apply(struct rctx *c, const struct jail_stmt *st)
{
	struct slot *s;

	if (st->param >= 0) {
		s = &c->ps[st->param];
		if (s->state == S_NONE)
			c->touched[c->ntouched++] = st->param;
	} else if ((s = var_slot(c, st->var, 1)) == NULL)
		return -1;
	if (st->param == P_JID && s->n > 0) {
		rerr(c, st, "\"jid\" cannot be redefined");
		return 0;
	}
	if (!st->append)
		s->n = 0;
	s->state = S_SET;
	return slot_push(s, st);
}

static int expand(struct rctx *, struct slot *);

/* The slot a reference names: a variable first, then a parameter. */
static struct slot *
lookup_ref(struct rctx *c, const char *name)
{
	struct slot *s;
	char why[128];
	int p, neg;

	if ((s = var_slot(c, name, 0)) != NULL)
		return s;
	if ((p = jail_param_byname(name, &neg)) < 0 || neg)
		return NULL;
	s = &c->ps[p];
	if (s->state == S_NONE && p == P_HOSTNAME &&
	    jail_check_hostname(c->j->name, why, sizeof(why)) == 0) {
		/* the default host name is the jail's name */
		c->touched[c->ntouched++] = p;
		if (exp_push(s, c->j->name, 0, NULL, NULL) == -1)
			return NULL;
		s->state = S_DONE;
	}
	if (s->state == S_NONE && jail_ptab[p].def != NULL) {
		/* an unset parameter stands for its default */
		c->touched[c->ntouched++] = p;
		if (exp_push(s, (char *)jail_ptab[p].def, 0, NULL, NULL) == -1)
			return NULL;
		s->state = S_DONE;
	}
	return s->state == S_NONE ? NULL : s;
}

/* The values a reference in statement st stands for, expanded. */
static struct slot *
deref(struct rctx *c, const struct jail_stmt *st, const char *name)
{
	struct slot *r;

	if ((r = lookup_ref(c, name)) == NULL) {
		rerr(c, st, "variable \"%s\" is not defined", name);
		return NULL;
	}
	if (r->state == S_BUSY) {
		rerr(c, st, "variable loop: \"%s\" refers back to itself",
		    name);
		return NULL;
	}
	if (expand(c, r) == -1)
		return NULL;
	return r;
}

/*
 * Substitute the variables in the values of slot s.  A reference to a list
 * stands for the whole list only when it is the whole value.
 */
static int
expand(struct rctx *c, struct slot *s)
{
	const struct jail_stmt *st;
	const struct jail_rawval *rv;
	const char *piece;
	struct slot *r;
	char *v;
	size_t i, k, m, base;

	if (s->state == S_DONE)
		return 0;
	if (s->state == S_FAILED)
		return -1;
	s->state = S_BUSY;
	for (i = 0; i < s->n; i++) {
		st = s->st[i];
		for (k = 0; k < st->nvals; k++) {
			rv = st->vals[k];
			if (rv->nparts == 1 && !rv->parts[0].var) {
				if (exp_push(s, rv->parts[0].s, 0, st, rv) ==
				    -1)
					goto fail;
				continue;
			}
			if (rv->nparts == 1) {
				if ((r = deref(c, st, rv->parts[0].s)) == NULL)
					goto fail;
				for (m = 0; m < r->nexp; m++)
					if (exp_push(s, r->exp[m], 0, st,
					        NULL) == -1)
						goto fail;
				continue;
			}
			/*
			 * Built at the end of the shared buffer: a reference
			 * expanded meanwhile appends after us and truncates
			 * back, leaving our pieces where they are.
			 */
			base = c->sb.n;
			for (m = 0; m < rv->nparts; m++) {
				if (!rv->parts[m].var) {
					piece = rv->parts[m].s;
				} else if ((r = deref(c, st, rv->parts[m].s)) ==
				    NULL)
					goto fail;
				else if (r->nexp != 1) {
					rerr(c, st,
					    "\"%s\" is a list and cannot be "
					    "substituted inside a longer value",
					    rv->parts[m].s);
					goto fail;
				} else
					piece = r->exp[0];
				if (jail_sbuf_str(&c->sb, piece) == -1)
					goto fail;
			}
			v = strndup(c->sb.b != NULL ? c->sb.b + base : "",
			    c->sb.n - base);
			c->sb.n = base;
			if (v == NULL || exp_push(s, v, 1, st, NULL) == -1)
				goto fail;
		}
	}
	s->state = S_DONE;
	return 0;
fail:
	s->state = S_FAILED;
	return -1;
}

/* Did the value come straight from the file, with no variable? */
static int
literal_of(const struct jail_stmt *st, const char *v)
{
	size_t k;

	for (k = 0; k < st->nvals; k++)
		if (st->vals[k]->nparts == 1 && !st->vals[k]->parts[0].var &&
		    strcmp(st->vals[k]->parts[0].s, v) == 0)
			return 1;
	return 0;
}

static int
check_mount(struct rctx *c, const struct jail_stmt *st, const char *line,
    const char *path)
{
	char *f[6], buf[4096], *dst;
	int rc = 0;

	if (path == NULL || jail_fstab_split(line, f, buf, sizeof(buf)) == -1)
		return 0; /* path missing, or the line was refused already */
	if ((dst = jail_path_clean(f[1])) == NULL)
		return -1;
	if (strstr(dst, "/../") != NULL ||
	    strcmp(dst + strlen(dst) - 3 > dst ? dst + strlen(dst) - 3 : "",
	        "/..") == 0) {
		rerr(c, st, "mount \"%s\": \"..\" is not allowed in a target",
		    f[1]);
		rc = -1;
	} else if (!jail_path_within(path, dst) || strcmp(dst, path) == 0) {
		rerr(c, st,
		    "mount \"%s\": the target is not inside path \"%s\"", f[1],
		    path);
		rc = -1;
	}
	free(dst);
	return rc;
}

/* Two ranges of one map (or two jails' maps) share host ids. */
static int
overlap(const struct jail_idmap *a, const struct jail_idmap *b)
{
	return (uint64_t)a->outside < (uint64_t)b->outside + b->count &&
	    (uint64_t)b->outside < (uint64_t)a->outside + a->count;
}

static int
overlap_in(const struct jail_idmap *a, const struct jail_idmap *b)
{
	return (uint64_t)a->inside < (uint64_t)b->inside + b->count &&
	    (uint64_t)b->inside < (uint64_t)a->inside + a->count;
}

/* Type one parameter's values into pv; -1 after reporting. */
static int
type_values(struct rctx *c, int p, struct slot *s, struct jail_pv *pv)
{
	const struct jail_pdef *pd = &jail_ptab[p];
	struct jail_idmap m[64];
	const char *path;
	char why[256];
	size_t i, k;
	int bad = 0;

	pv->param = p;
	if ((pv->v = calloc(s->nexp ? s->nexp : 1, sizeof(char *))) == NULL)
		return -1;
	if (s->nexp > 1 && !(pd->flags & JAIL_PF_LIST)) {
		rerr(c, s->src[0], "\"%s\" takes a single value, not a list",
		    pd->name);
		return -1;
	}
	for (i = 0; i < s->nexp; i++) {
		if (s->rv[i] != NULL && s->rv[i]->canon != NULL) {
			/* checked when it was read */
			if ((pv->v[pv->n] = strdup(s->rv[i]->canon)) == NULL)
				return -1;
			pv->num = s->rv[i]->num;
			pv->hard = s->rv[i]->hard;
		} else if (jail_param_value(p, s->exp[i], &pv->v[pv->n],
		               &pv->num, &pv->hard, why, sizeof(why)) == -1) {
			if (s->src[i] != NULL &&
			    literal_of(s->src[i], s->exp[i]))
				jail_diag_add(c->conf, s->src[i]->file,
				    s->src[i]->line, 0, "\"%s\": %s", pd->name,
				    why);
			else
				rerr(c, s->src[i], "\"%s\": %s", pd->name, why);
			bad = 1;
			continue;
		}
		pv->n++;
		if (p == P_MOUNT) {
			path = jail_get(c->j, P_PATH);
			if (check_mount(c, s->src[i], s->exp[i], path) == -1)
				bad = 1;
		}
		if ((p == P_UIDMAP || p == P_GIDMAP) && i < 64 &&
		    jail_idmap_parse(s->exp[i], &m[i]) == 0) {
			for (k = 0; k < i; k++) {
				if (overlap(&m[k], &m[i]) ||
				    overlap_in(&m[k], &m[i])) {
					rerr(c, s->src[i],
					    "\"%s\": \"%s\" overlaps \"%s\"",
					    pd->name, s->exp[i], s->exp[k]);
					bad = 1;
				}
			}
		}
	}
	if (s->nexp > 0 && s->src[s->nexp - 1] != NULL) {
		pv->file = s->src[s->nexp - 1]->file;
		pv->line = s->src[s->nexp - 1]->line;
	} else if (s->n > 0) {
		pv->file = s->st[s->n - 1]->file;
		pv->line = s->st[s->n - 1]->line;
	}
	pv->set = 1;
	return bad ? -1 : 0;
}

static int
pv_cmp(const void *a, const void *b)
{
	return ((const struct jail_pv *)a)->param -
	    ((const struct jail_pv *)b)->param;
}

static int
add_pv(struct jail *j, struct jail_pv *pv)
{
	struct jail_pv *n;

	if (j->npv == j->pvcap) {
		n = reallocarray(j->pv, j->pvcap + 4, sizeof(*n));
		if (n == NULL)
			return -1;
		j->pv = n;
		j->pvcap += 4;
	}
	j->pv[j->npv++] = *pv;
	return 0;
}

static int
resolve_param(struct rctx *c, int p)
{
	struct jail_pv pv;
	int rc = 0;

	if (expand(c, &c->ps[p]) == -1)
		return -1;
	memset(&pv, 0, sizeof(pv));
	if (type_values(c, p, &c->ps[p], &pv) == -1)
		rc = -1;
	if (pv.n == 0 || add_pv(c->j, &pv) == -1)
		jail_pv_free(&pv);
	return rc;
}

/*
 * Merge, substitute and type the parameters of one jail.  The jail's
 * values are kept sorted by parameter for jail_get().
 */
static int
resolve_jail(struct rctx *c, struct jail *j)
{
	const struct jail_stmt *a, *b;
	struct jail_pv pv;
	struct slot *s;
	char why[128];
	size_t i, k;
	int p, rc = 0;

	c->j = j;
	c->ntouched = 0;
	c->nvs = 0;
	c->sb.n = 0; /* what a failed expansion left */
	a = STAILQ_FIRST(&c->conf->common);
	b = STAILQ_FIRST(&j->stmts);
	while (a != NULL || b != NULL) {
		if (b == NULL || (a != NULL && a->seq < b->seq)) {
			if (apply(c, a) == -1)
				rc = -1;
			a = STAILQ_NEXT(a, entry);
		} else {
			if (apply(c, b) == -1)
				rc = -1;
			b = STAILQ_NEXT(b, entry);
		}
	}
	s = &c->ps[P_NAME];
	c->touched[c->ntouched++] = P_NAME;
	if (exp_push(s, j->name, 0, NULL, NULL) == -1)
		rc = -1;
	s->state = S_DONE;
	/* one allocation for the jail's values: name, host name, the rest */
	j->pv = calloc(c->ntouched + 2, sizeof(*j->pv));
	j->pvcap = j->pv != NULL ? c->ntouched + 2 : 0;

	memset(&pv, 0, sizeof(pv));
	pv.param = P_NAME;
	pv.file = j->file;
	pv.line = j->line;
	if ((pv.v = calloc(1, sizeof(char *))) == NULL ||
	    (pv.v[0] = strdup(j->name)) == NULL || (pv.n = 1, 0) ||
	    add_pv(j, &pv) == -1) {
		jail_pv_free(&pv);
		rc = -1;
	}

	/* path first, as mount lines are checked against it */
	if (c->ps[P_PATH].state == S_SET && resolve_param(c, P_PATH) == -1)
		rc = -1;
	for (i = 0; i < c->ntouched; i++) {
		p = c->touched[i];
		if (p == P_PATH || p == P_NAME)
			continue;
		if (c->ps[p].n == 0)
			continue; /* a default that a variable referred to */
		if (resolve_param(c, p) == -1)
			rc = -1;
	}
	if (c->ps[P_JID].n == 0 &&
	    strspn(j->name, "0123456789") == strlen(j->name)) {
		/* as in FreeBSD, a numeric block name is the jail's jid */
		memset(&pv, 0, sizeof(pv));
		pv.param = P_JID;
		pv.file = j->file;
		pv.line = j->line;
		pv.set = 1;
		if ((pv.v = calloc(1, sizeof(char *))) != NULL &&
		    jail_param_value(P_JID, j->name, &pv.v[0], &pv.num,
		        &pv.hard, why, sizeof(why)) == 0) {
			pv.n = 1;
			if (add_pv(j, &pv) == -1)
				jail_pv_free(&pv);
		} else
			free(pv.v);
	}
	if (c->ps[P_HOSTNAME].n == 0 &&
	    jail_check_hostname(j->name, why, sizeof(why)) == 0) {
		/* like LXC and nspawn: the jail's name is its host name */
		memset(&pv, 0, sizeof(pv));
		pv.param = P_HOSTNAME;
		pv.file = j->file;
		pv.line = j->line;
		if ((pv.v = calloc(1, sizeof(char *))) == NULL ||
		    (pv.v[0] = strdup(j->name)) == NULL || (pv.n = 1, 0) ||
		    add_pv(j, &pv) == -1) {
			jail_pv_free(&pv);
			rc = -1;
		}
	}
	for (i = 1; i < j->npv; i++) { /* few, nearly sorted: insertion */
		pv = j->pv[i];
		for (k = i; k > 0 && j->pv[k - 1].param > pv.param; k--)
			j->pv[k] = j->pv[k - 1];
		j->pv[k] = pv;
	}

	if (!jail_param_hasvalue(j, P_PATH) && c->ps[P_PATH].state == S_NONE &&
	    !j->damaged && !c->conf->damaged) {
		rerr(c, NULL, "\"path\" is not set");
		rc = -1;
	}
	if (jail_param_hasvalue(j, P_USERNS) &&
	    strcmp(jail_get(j, P_USERNS), "disable") == 0 &&
	    (jail_param_hasvalue(j, P_UIDMAP) ||
	        jail_param_hasvalue(j, P_GIDMAP))) {
		rerr(c, NULL, "\"userns = disable\" with an id map");
		rc = -1;
	}
	if (jail_param_hasvalue(j, P_UIDMAP) !=
	        jail_param_hasvalue(j, P_GIDMAP) &&
	    !j->damaged) {
		rerr(c, NULL,
		    "\"userns.uidmap\" and \"userns.gidmap\" go "
		    "together: set both or neither");
		rc = -1;
	}

	for (i = 0; i < c->ntouched; i++)
		slot_reset(&c->ps[c->touched[i]]);
	for (i = 0; i < c->nvs; i++)
		slot_reset(&c->vs[i]);
	return rc;
}

/* Checks between jails: depend, same path, same jid, shared host ids. */
struct pathent {
	const char *key;
	struct jail *j;
	int p;
};

static int
pathent_cmp(const void *a, const void *b)
{
	const struct pathent *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->j == y->j ? 0 : (x->j->idx < y->j->idx ? -1 : 1);
}

static const struct jail_pv *
pv_of(const struct jail *j, int p)
{
	struct jail_pv key;

	key.param = p;
	if (j->pv == NULL)
		return NULL;
	return bsearch(&key, j->pv, j->npv, sizeof(*j->pv), pv_cmp);
}

/* Report a problem of jail j at the place it set parameter p. */
static void jerr(struct jail_conf *, struct jail *, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
jerr(struct jail_conf *conf, struct jail *j, int p, const char *fmt, ...)
{
	const struct jail_pv *pv = pv_of(j, p);
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	jail_diag_add(conf, pv && pv->file ? pv->file : j->file,
	    pv && pv->file ? pv->line : j->line, 0, "jail \"%s\": %s", j->name,
	    msg ? msg : "out of memory");
	free(msg);
}

static void
check_same(struct jail_conf *conf, int p, const char *what)
{
	struct pathent *e;
	const struct jail_pv *pv;
	char where[64];
	size_t i, n = 0;

	if ((e = calloc(conf->njails + 1, sizeof(*e))) == NULL)
		return;
	for (i = 0; i < conf->njails; i++) {
		if ((pv = pv_of(conf->jails[i], p)) == NULL || pv->n == 0)
			continue;
		e[n].key = pv->v[0];
		e[n++].j = conf->jails[i];
	}
	if (n > 1)
		qsort(e, n, sizeof(*e), pathent_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(e[i].key, e[i - 1].key) != 0)
			continue;
		pv = pv_of(e[i - 1].j, p);
		snprintf(where, sizeof(where), "%s:%d", pv->file, pv->line);
		jerr(conf, e[i].j, p, "same %s as jail \"%s\" (%s)", what,
		    e[i - 1].j->name, where);
	}
	free(e);
}

enum {
	WHITE,
	GREY,
	BLACK
};

/*
 * Depth-first walk of the depend graph; a dependency met again while
 * still on the stack closes a loop, reported once at the jail that closes
 * it.  Self-dependencies are reported by the caller.
 */
static void
dfs(struct jail_conf *conf, struct jail *j, int *color, struct jail **stack,
    size_t depth)
{
	const struct jail_pv *pv = pv_of(j, P_DEPEND);
	struct jail key, *d;
	char *cycle, *t;
	size_t i, k, start;

	color[j->idx] = GREY;
	stack[depth] = j;
	for (k = 0; pv != NULL && k < pv->n; k++) {
		key.name = pv->v[k];
		d = RB_FIND(jail_tree, &conf->byname, &key);
		if (d == NULL || d == j)
			continue;
		if (color[d->idx] == GREY) {
			for (start = 0; stack[start] != d; start++)
				;
			cycle = strdup(d->name);
			for (i = start + 1; cycle != NULL && i <= depth; i++) {
				if (asprintf(&t, "%s -> %s", cycle,
				        stack[i]->name) == -1)
					t = NULL;
				free(cycle);
				cycle = t;
			}
			jerr(conf, j, P_DEPEND, "dependency loop: %s -> %s",
			    cycle ? cycle : "?", d->name);
			free(cycle);
		} else if (color[d->idx] == WHITE)
			dfs(conf, d, color, stack, depth + 1);
	}
	color[j->idx] = BLACK;
}

struct rangeent {
	struct jail_idmap m;
	struct jail *j;
	const char *text;
};

static int
range_cmp(const void *a, const void *b)
{
	const struct rangeent *x = a, *y = b;

	if (x->m.outside != y->m.outside)
		return x->m.outside < y->m.outside ? -1 : 1;
	return 0;
}

/* No two jails may map the same host ids. */
static void
check_maps(struct jail_conf *conf, int p)
{
	const struct jail_pv *pv;
	struct rangeent *e = NULL, *ne;
	size_t i, k, n = 0, far;

	for (i = 0; i < conf->njails; i++) {
		if ((pv = pv_of(conf->jails[i], p)) == NULL)
			continue;
		for (k = 0; k < pv->n; k++) {
			ne = reallocarray(e, n + 1, sizeof(*e));
			if (ne == NULL)
				goto out;
			e = ne;
			if (jail_idmap_parse(pv->v[k], &e[n].m) == -1)
				continue;
			e[n].j = conf->jails[i];
			e[n++].text = pv->v[k];
		}
	}
	if (n > 1)
		qsort(e, n, sizeof(*e), range_cmp);
	for (i = 1, far = 0; i < n; i++) {
		if (overlap(&e[far].m, &e[i].m) && e[far].j != e[i].j)
			jerr(conf, e[i].j, p,
			    "\"%s\" = \"%s\" overlaps the map of jail \"%s\" "
			    "(\"%s\")",
			    jail_ptab[p].name, e[i].text, e[far].j->name,
			    e[far].text);
		if ((uint64_t)e[i].m.outside + e[i].m.count >
		    (uint64_t)e[far].m.outside + e[far].m.count)
			far = i;
	}
out:
	free(e);
}

static void
check_all(struct jail_conf *conf)
{
	const struct jail_pv *pv;
	struct jail key, **stack;
	size_t i, k;
	int *color;

	check_same(conf, P_PATH, "path");
	check_same(conf, P_JID, "jid");
	check_maps(conf, P_UIDMAP);
	check_maps(conf, P_GIDMAP);
	for (i = 0; i < conf->njails; i++) {
		pv = pv_of(conf->jails[i], P_DEPEND);
		for (k = 0; pv != NULL && k < pv->n; k++) {
			key.name = pv->v[k];
			if (strcmp(pv->v[k], conf->jails[i]->name) == 0)
				jerr(conf, conf->jails[i], P_DEPEND,
				    "depends on itself");
			else if (RB_FIND(jail_tree, &conf->byname, &key) ==
			    NULL)
				jerr(conf, conf->jails[i], P_DEPEND,
				    "depends on \"%s\", which is not defined",
				    pv->v[k]);
		}
	}
	color = calloc(conf->njails + 1, sizeof(*color));
	stack = calloc(conf->njails + 1, sizeof(*stack));
	for (i = 0; color != NULL && stack != NULL && i < conf->njails; i++)
		if (color[i] == WHITE)
			dfs(conf, conf->jails[i], color, stack, 0);
	free(color);
	free(stack);
}

int
jail_conf_resolve(struct jail_conf *conf, struct jail_error *err)
{
	struct rctx c;
	struct jail *j;
	size_t i, k;
	int p;

	memset(&c, 0, sizeof(c));
	c.conf = conf;
	c.ps = calloc((size_t)jail_nparams, sizeof(*c.ps));
	c.touched = calloc((size_t)jail_nparams * 2 + 2, sizeof(int));
	if (c.ps == NULL || c.touched == NULL) {
		free(c.ps);
		free(c.touched);
		return jail_seterr(err, ENOMEM, "resolve");
	}
	for (i = 0; i < conf->njails; i++) {
		j = conf->jails[i];
		for (k = 0; k < j->npv; k++)
			jail_pv_free(&j->pv[k]);
		free(j->pv);
		j->pv = NULL;
		j->npv = j->pvcap = 0;
		resolve_jail(&c, j);
	}
	for (p = 0; p < jail_nparams; p++)
		slot_free(&c.ps[p]);
	for (i = 0; i < c.vinit; i++)
		slot_free(&c.vs[i]);
	free(c.vs);
	free(c.sb.b);
	free(c.ps);
	free(c.touched);
	check_all(conf);
	jail_diag_sort(conf);
	conf->resolved = 1;
	if (conf->nerrors > 0) {
		jail_diag_first(conf, err);
		return -1;
	}
	return 0;
}
