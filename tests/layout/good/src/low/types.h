/* types.h — types only: a struct, an enum, a callback, a macro call. */
#ifndef TYPES_H
#define TYPES_H
typedef struct {
	int x;
	int (*call)(int y);
} LowThing;
typedef enum { LOW_A, LOW_B } LowKind;
typedef void (*LowFunc)(LowThing *thing, void *data);
struct LowNode {
	struct LowNode *next;
};
LOW_DECLARE_SOMETHING(LowThing, low_free)
#define LOW_MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
