/* inject-plan.h — fault injection's language: the fault classes, one table,
 * and a spec (`alloc@17`, `terminate@all`, `alloc:p=0.01`) parsed from the
 * command line and printed back the same, so that a printed command replays
 * exactly what ran.
 *
 * Each fault is made at the host's side of the API: the executor makes the
 * ones that reach it (a filter compile or an output refused, a write failing
 * with ENOSPC, the capture cut short); the ones only the child can make (an
 * allocation refused, EXPERT_ERR_TERMINATE from the Nth call, the stop for a
 * SIGKILL after N calls) the executor plans and the child's runtime carries
 * out (libexpert/inject.c says why). Calls and allocations are counted as
 * libexpert/expert.h defines them ("API calls"). Pure: no I/O. */
#ifndef EXPERT_EXEC_INJECT_PLAN_H
#define EXPERT_EXEC_INJECT_PLAN_H

#include "wire.h"

#include <glib.h>

typedef enum {
	INJECT_ALLOC = 0,
	INJECT_TERMINATE,
	INJECT_KILL,
	INJECT_EOF,
	INJECT_FILTER,
	INJECT_CREATE,
	INJECT_WRITE,
	INJECT_N_CLASSES,
} InjectClass;

typedef struct {
	InjectClass kind;
	const char *name;          /* as written in a spec: "alloc" */
	const char *at;            /* what CLASS@N does, for --help and docs */
	const char *all;           /* which N CLASS@all takes, from the clean run */
	const char *counted;       /* the clean run's count it sweeps: "allocations" */
	guint64 n_min;             /* the smallest N that means something */
	WireInject wire;           /* made by the child's runtime; NONE: by the executor */
} InjectClassInfo;

const InjectClassInfo *inject_class_info(InjectClass kind);
const InjectClassInfo *inject_class_table(gsize *n);

/* One injection: CLASS@N, or CLASS@all (a sweep, for stress), or
 * alloc:p=P (each allocation refused with probability P, drawn from the
 * seed: wire_inject_draw). */
typedef struct {
	InjectClass kind;
	gboolean all;
	guint64 n;                 /* CLASS@N */
	guint64 p;                 /* scaled by 2^32 (WIRE_INJECT_P_ONE is 1); 0: none */
	char *p_text;              /* P as given, printed back as given */
	guint64 seed;              /* for p */
} InjectSpec;

void inject_spec_free(InjectSpec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(InjectSpec, inject_spec_free)
InjectSpec *inject_spec_copy(const InjectSpec *spec);

/* Parses one spec. allow_all: CLASS@all is accepted (stress). Errors are
 * G_OPTION_ERROR_BAD_VALUE, naming the spec and what would be right. */
InjectSpec *inject_spec_parse(const char *text, gboolean allow_all, GError **error);

/* A comma-separated list of specs, or "all": every class @all (stress).
 * Returns InjectSpec* in order, or NULL with an error. */
GPtrArray *inject_spec_parse_list(const char *text, GError **error);

/* "alloc@17", "terminate@all", "alloc:p=0.01" (newly allocated). */
char *inject_spec_format(const InjectSpec *spec);

/* The same spec at n: a sweep's run. */
InjectSpec *inject_spec_at(const InjectSpec *sweep, guint64 n);

/* What the child's runtime is told in START: class NONE (count only) for a
 * fault the executor makes, and for a sweep, whose clean run only counts. */
void inject_spec_wire(const InjectSpec *spec, WireInjectPlan *plan);

/* "the 17th allocation refused", "EXPERT_ERR_TERMINATE from API call 5",
 * "each allocation refused with probability 0.01 (seed 7)" (newly
 * allocated): what the spec does, for reports. */
char *inject_spec_describe(const InjectSpec *spec);

#endif /* EXPERT_EXEC_INJECT_PLAN_H */
