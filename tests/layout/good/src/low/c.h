#ifndef C_H
#define C_H
int c(int x);
#endif
