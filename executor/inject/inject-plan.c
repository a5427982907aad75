/* inject-plan.c — the fault classes and their specs (see inject-plan.h). */
#include "inject/inject-plan.h"

#include <math.h>
#include <string.h>

/* The table every command, report and help text reads. */
static const InjectClassInfo classes[] = {
	{ INJECT_ALLOC, "alloc",
	  "the Nth allocation (expert_alloc_memory, or expert_realloc_memory to a size other than 0) "
	  "refused with EXPERT_ERR_NO_MEMORY, nothing changed",
	  "N = 1 to the allocations of the clean run", "allocations", 1, WIRE_INJECT_ALLOC },
	{ INJECT_TERMINATE, "terminate",
	  "EXPERT_ERR_TERMINATE from API call N on, as if the executor asked the expert to stop "
	  "just before it: that call and every later one that can return it does",
	  "N = 1 to the API calls of the clean run", "API calls", 1, WIRE_INJECT_TERMINATE },
	{ INJECT_KILL, "kill",
	  "the child killed (SIGKILL) by the executor after API call N, at its next call or when "
	  "its entry point returns",
	  "N = 1 to the API calls of the clean run", "API calls", 1, WIRE_INJECT_KILL },
	{ INJECT_EOF, "eof",
	  "the capture ends early at frame N: the expert sees frames 1 to N-1, marked partial",
	  "N = 1 to the capture's frames", "frames", 1, WIRE_INJECT_NONE },
	{ INJECT_FILTER, "filter",
	  "the Nth frame filter compile (expert_compile_filter) refused by the executor",
	  "N = 1 to the filter compiles of the clean run", "filter compiles", 1, WIRE_INJECT_NONE },
	{ INJECT_CREATE, "create",
	  "the Nth output capture (expert_create_output) refused by the executor",
	  "N = 1 to the outputs of the clean run", "output creates", 1, WIRE_INJECT_NONE },
	{ INJECT_WRITE, "write",
	  "writes to the job's output captures fail with ENOSPC once they hold N bytes: a write "
	  "that would take them past N fails whole, and so does every later one",
	  "N = where each write of the clean run began (0 for the first)", "output writes", 0,
	  WIRE_INJECT_NONE },
};
G_STATIC_ASSERT(G_N_ELEMENTS(classes) == INJECT_N_CLASSES);

const InjectClassInfo *inject_class_info(InjectClass kind)
{
	g_return_val_if_fail((guint)kind < INJECT_N_CLASSES, &classes[0]);
	return &classes[kind];
}

const InjectClassInfo *inject_class_table(gsize *n)
{
	*n = G_N_ELEMENTS(classes);
	return classes;
}

void inject_spec_free(InjectSpec *spec)
{
	if (!spec)
		return;
	g_free(spec->p_text);
	g_free(spec);
}

InjectSpec *inject_spec_copy(const InjectSpec *spec)
{
	InjectSpec *copy = g_memdup2(spec, sizeof(*spec));
	copy->p_text = g_strdup(spec->p_text);
	return copy;
}

static char *class_names(void)
{
	GString *s = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(classes); i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", classes[i].name);
	return g_string_free(s, FALSE);
}

static gboolean bad(GError **error, const char *text, const char *why)
{
	g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--inject %s: %s", text, why);
	return FALSE;
}

/* P of alloc:p=P: a decimal number above 0 and at most 1. */
static gboolean parse_p(const char *text, const char *value, InjectSpec *spec, GError **error)
{
	char *end;
	double p = g_ascii_strtod(value, &end);
	if (end == value || *end || !(p > 0.0) || p > 1.0)
		return bad(error, text, "p must be a probability above 0 and at most 1 (e.g. p=0.01)");
	double scaled = round(p * (double)WIRE_INJECT_P_ONE);
	if (scaled < 1.0)
		return bad(error, text, "p is too small to be drawn (below 2^-32)");
	spec->p = (guint64)scaled;
	spec->p_text = g_strdup(value);
	return TRUE;
}

InjectSpec *inject_spec_parse(const char *text, gboolean allow_all, GError **error)
{
	g_autoptr(InjectSpec) spec = g_new0(InjectSpec, 1);
	gsize len = strcspn(text, "@:");
	const InjectClassInfo *info = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(classes); i++)
		if (strlen(classes[i].name) == len && strncmp(text, classes[i].name, len) == 0)
			info = &classes[i];
	if (!info) {
		g_autofree char *names = class_names();
		g_autofree char *why = g_strdup_printf("no fault class \"%.*s\" (one of: %s)", (int)len,
		                                       text, names);
		bad(error, text, why);
		return NULL;
	}
	spec->kind = info->kind;
	const char *rest = text + len;
	if (rest[0] == ':') {
		if (info->kind != INJECT_ALLOC || strncmp(rest, ":p=", 3) != 0) {
			bad(error, text, "only alloc takes a probability, as alloc:p=P");
			return NULL;
		}
		return parse_p(text, rest + 3, spec, error) ? g_steal_pointer(&spec) : NULL;
	}
	if (rest[0] != '@' || !rest[1]) {
		g_autofree char *why = g_strdup_printf("expected %s@N%s", info->name,
		                                       allow_all ? " or " : "");
		g_autofree char *full = allow_all ? g_strdup_printf("%s%s@all", why, info->name)
		                                  : g_steal_pointer(&why);
		bad(error, text, full);
		return NULL;
	}
	if (g_str_equal(rest + 1, "all")) {
		if (!allow_all) {
			bad(error, text, "@all is a sweep of many runs: give it to `expert-exec stress "
			                 "--inject`; `run --inject` takes one N");
			return NULL;
		}
		spec->all = TRUE;
		return g_steal_pointer(&spec);
	}
	guint64 n;
	if (!g_ascii_string_to_unsigned(rest + 1, 10, info->n_min, G_MAXUINT64, &n, NULL)) {
		g_autofree char *why = g_strdup_printf("N must be a whole number, %" G_GUINT64_FORMAT
		                                       " or more", info->n_min);
		bad(error, text, why);
		return NULL;
	}
	spec->n = n;
	return g_steal_pointer(&spec);
}

GPtrArray *inject_spec_parse_list(const char *text, GError **error)
{
	g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func((GDestroyNotify)inject_spec_free);
	if (g_str_equal(text, "all")) {
		for (gsize i = 0; i < G_N_ELEMENTS(classes); i++) {
			InjectSpec *spec = g_new0(InjectSpec, 1);
			spec->kind = classes[i].kind;
			spec->all = TRUE;
			g_ptr_array_add(specs, spec);
		}
		return g_steal_pointer(&specs);
	}
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);
	for (guint i = 0; parts[i]; i++) {
		InjectSpec *spec = inject_spec_parse(parts[i], TRUE, error);
		if (!spec)
			return NULL;
		g_ptr_array_add(specs, spec);
	}
	if (specs->len == 0) {
		bad(error, text, "give at least one fault (e.g. alloc@all)");
		return NULL;
	}
	return g_steal_pointer(&specs);
}

char *inject_spec_format(const InjectSpec *spec)
{
	const char *name = classes[spec->kind].name;
	if (spec->p)
		return g_strdup_printf("%s:p=%s", name, spec->p_text);
	if (spec->all)
		return g_strdup_printf("%s@all", name);
	return g_strdup_printf("%s@%" G_GUINT64_FORMAT, name, spec->n);
}

InjectSpec *inject_spec_at(const InjectSpec *sweep, guint64 n)
{
	InjectSpec *spec = inject_spec_copy(sweep);
	spec->all = FALSE;
	spec->n = n;
	return spec;
}

void inject_spec_wire(const InjectSpec *spec, WireInjectPlan *plan)
{
	memset(plan, 0, sizeof(*plan));
	/* A sweep itself injects nothing: its clean run only counts. */
	plan->inject = spec->all ? WIRE_INJECT_NONE : (guint8)classes[spec->kind].wire;
	if (plan->inject == WIRE_INJECT_NONE)
		return;
	plan->n = spec->n;
	plan->p = spec->p;
	plan->seed = spec->seed;
}

/* "1st", "2nd", "3rd", "4th", "11th", "21st", ... */
static char *ordinal(guint64 n)
{
	guint64 tens = n % 100, ones = n % 10;
	const char *suffix = tens >= 11 && tens <= 13 ? "th"
	                   : ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th";
	return g_strdup_printf("%" G_GUINT64_FORMAT "%s", n, suffix);
}

char *inject_spec_describe(const InjectSpec *spec)
{
	if (spec->p)
		return g_strdup_printf("each allocation refused with probability %s (seed %" G_GUINT64_FORMAT
		                       ")", spec->p_text, spec->seed);
	if (spec->all)
		return g_strdup_printf("%s@N for %s", classes[spec->kind].name, classes[spec->kind].all);
	g_autofree char *nth = ordinal(spec->n);
	switch (spec->kind) {
	case INJECT_ALLOC:
		return g_strdup_printf("the %s allocation refused", nth);
	case INJECT_TERMINATE:
		return g_strdup_printf("EXPERT_ERR_TERMINATE from API call %" G_GUINT64_FORMAT " on", spec->n);
	case INJECT_KILL:
		return g_strdup_printf("SIGKILL after API call %" G_GUINT64_FORMAT, spec->n);
	case INJECT_EOF:
		return g_strdup_printf("the capture ends early at frame %" G_GUINT64_FORMAT, spec->n);
	case INJECT_FILTER:
		return g_strdup_printf("the %s filter compile refused", nth);
	case INJECT_CREATE:
		return g_strdup_printf("the %s output capture refused", nth);
	case INJECT_WRITE:
		return g_strdup_printf("output writes fail with ENOSPC past %" G_GUINT64_FORMAT " bytes",
		                       spec->n);
	case INJECT_N_CLASSES:
		break;
	}
	return g_strdup("?");
}
