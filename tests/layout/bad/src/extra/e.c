/* Its folder has no row in the rules (rules), and so no rules (placement). */
int e(void);
int e(void) { return 0; }
