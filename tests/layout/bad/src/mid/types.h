/* types-only: no types.c, yet it declares a function. */
typedef struct { int v; } MidType;
int helper(MidType *t);
