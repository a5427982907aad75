/* placement: at the top of the tree, in no folder. */
int stray(void);
int stray(void) { return 0; }
