/* json-kernel.h — what the kernel offers, as a JSON member. */
#ifndef EXPERT_EXEC_JSON_KERNEL_H
#define EXPERT_EXEC_JSON_KERNEL_H

#include <json-glib/json-glib.h>

/* Adds member (an object: release, whether this process is filtered, and
 * one object per feature with its state, role and detail) to the object
 * being built. */
void kernel_features_json(JsonBuilder *b, const char *member);

#endif /* EXPERT_EXEC_JSON_KERNEL_H */
