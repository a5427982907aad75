/* isolation.c — see isolation.h. */
#include "kernel/isolation.h"

#include <string.h>

G_DEFINE_QUARK(isolation-error-quark, isolation_error)

void isolation_init(Isolation *iso)
{
	memset(iso, 0, sizeof(*iso));
	for (int i = 0; i < KERNEL_FEATURE_N; i++)
		g_strlcpy(iso->detail[i], "not set up", sizeof(iso->detail[i]));
}

void isolation_set(Isolation *iso, KernelFeatureId layer, IsolationState state,
                   const char *fmt, ...)
{
	g_return_if_fail((guint)layer < KERNEL_FEATURE_N);
	va_list ap;
	va_start(ap, fmt);
	iso->state[layer] = state;
	g_vsnprintf(iso->detail[layer], sizeof(iso->detail[layer]), fmt, ap);
	va_end(ap);
}

const char *isolation_state_name(IsolationState state)
{
	switch (state) {
	case ISOLATION_ACTIVE: return "active";
	case ISOLATION_NOT_NEEDED: return "not-needed";
	case ISOLATION_MISSING: break;
	}
	return "missing";
}

char *isolation_line(const Isolation *iso)
{
	gsize n;
	const KernelFeatureInfo *table = kernel_feature_table(&n);
	GString *on = g_string_new(NULL), *off = g_string_new(NULL);
	for (gsize i = 0; i < n; i++) {
		if (table[i].role != KERNEL_FEATURE_LAYER)
			continue;
		KernelFeatureId id = table[i].id;
		if (iso->state[id] == ISOLATION_ACTIVE) {
			g_string_append_printf(on, "%s%s", on->len ? ", " : "", table[i].name);
			if (id == KERNEL_FEATURE_LANDLOCK)
				g_string_append_printf(on, " (ABI %u)", iso->landlock_abi);
		} else if (iso->state[id] == ISOLATION_MISSING) {
			g_string_append_printf(off, "%s%s (%s)", off->len ? ", " : "", table[i].name,
			                       iso->detail[id]);
		}
	}
	char *line = g_strdup_printf("seccomp filter, W^X supervision; %s; missing: %s",
	                             on->len ? on->str : "no kernel layer",
	                             off->len ? off->str : "none");
	g_string_free(on, TRUE);
	g_string_free(off, TRUE);
	return line;
}

static const KernelFeatureInfo *layer_named(const char *name)
{
	gsize n;
	const KernelFeatureInfo *table = kernel_feature_table(&n);
	for (gsize i = 0; i < n; i++)
		if (table[i].role == KERNEL_FEATURE_LAYER && g_str_equal(table[i].name, name))
			return &table[i];
	return NULL;
}

char *isolation_layer_names(void)
{
	gsize n;
	const KernelFeatureInfo *table = kernel_feature_table(&n);
	GString *s = g_string_new(NULL);
	for (gsize i = 0; i < n; i++)
		if (table[i].role == KERNEL_FEATURE_LAYER)
			g_string_append_printf(s, "%s%s", s->len ? "," : "", table[i].name);
	return g_string_free(s, FALSE);
}

gboolean isolation_require(const Isolation *iso, const char *names, GError **error)
{
	g_auto(GStrv) wanted = g_strsplit(names, ",", -1);
	for (guint i = 0; wanted[i]; i++) {
		const char *name = g_strstrip(wanted[i]);
		if (!name[0])
			continue;
		const KernelFeatureInfo *layer = layer_named(name);
		if (!layer) {
			g_autofree char *known = isolation_layer_names();
			g_set_error(error, ISOLATION_ERROR, ISOLATION_ERROR_UNKNOWN_LAYER,
			            "\"%s\" is not an isolation layer (the layers: %s)", name, known);
			return FALSE;
		}
		if (iso->state[layer->id] == ISOLATION_MISSING) {
			g_set_error(error, ISOLATION_ERROR, ISOLATION_ERROR_MISSING,
			            "%s is required but not in effect: %s", name, iso->detail[layer->id]);
			return FALSE;
		}
	}
	return TRUE;
}
