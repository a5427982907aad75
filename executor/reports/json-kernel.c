/* json-kernel.c — the kernel-feature table (kernel/kernel-features.h) as a
 * JSON member of run, list and stress reports. */
#include "reports/json-kernel.h"

#include "kernel/kernel-features.h"
#include "reports/json-out.h"

void kernel_features_json(JsonBuilder *b, const char *member)
{
	gsize n;
	const KernelFeatureInfo *table = kernel_feature_table(&n);
	json_out_begin_object(b, member);
	json_out_string(b, "release", kernel_release());
	json_out_bool(b, "seccomp_filtered", kernel_self_filtered());
	json_out_begin_object(b, "features");
	for (gsize i = 0; i < n; i++) {
		const KernelFeatureResult *r = kernel_feature(table[i].id);
		json_out_begin_object(b, table[i].name);
		json_out_string(b, "what", table[i].what);
		json_out_string(b, "state", kernel_feature_state_name(r->state));
		json_out_string(b, "role", kernel_feature_role_name(table[i].role));
		json_out_string(b, "detail", r->detail);
		if (r->version)
			json_out_int(b, "version", r->version);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
	json_builder_end_object(b);
}
