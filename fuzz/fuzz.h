/* fuzz.h — what every fuzz target defines, and how it reports a broken
 * property.
 *
 * Each fuzz-*.c is built twice: with libFuzzer as its main (-Dfuzz=true,
 * clang; scripts/fuzz.sh runs those), and in every build with replay-main.c,
 * which feeds it the files of its seed corpus and of fuzz/regressions/ as the
 * 'fuzz-regressions' test suite. So a target must not rely on libFuzzer: no
 * libFuzzer-only API, and every check goes through FUZZ_CHECK, which aborts
 * (a crash to libFuzzer, a failed test to meson) whatever the build's
 * assertion settings. */
#ifndef EXPERT_FUZZ_H
#define EXPERT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Called once before the first input; every target defines it (returns 0). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
/* One input; returns 0 (libFuzzer reserves other values). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                  \
	do {                                                                       \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: property broken: %s: ", __FILE__,          \
			        __LINE__, #cond);                                          \
			fprintf(stderr, __VA_ARGS__);                                      \
			fputc('\n', stderr);                                               \
			abort();                                                           \
		}                                                                      \
	} while (0)

#endif /* EXPERT_FUZZ_H */
