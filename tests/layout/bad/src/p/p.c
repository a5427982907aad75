int p(void) { return 0; }
