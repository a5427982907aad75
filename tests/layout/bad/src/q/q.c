int q(void) { return 0; }
