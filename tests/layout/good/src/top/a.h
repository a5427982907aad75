/* a.h — declares what a.c defines. */
#ifndef A_H
#define A_H
int a(void);
#endif
