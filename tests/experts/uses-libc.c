/* uses-libc.c — an honest expert that uses libc as any C programmer would:
 * malloc (small blocks from the brk heap, a large one mmap'ed by malloc)
 * and a line on stderr. It does nothing an expert should not, so
 * `expert-exec profile learn` must find a profile under which it completes:
 * the learning test expects brk, mmap (without PROT_EXEC) and write to
 * descriptor 2 to be learned, beyond what strict allows. */
#include "expert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "uses libc");
	strcpy(info->vendor, "expert-exec tests");
	strcpy(info->description, "Counts frames in libc-malloc'ed memory and says so on stderr");
	info->version = EXPERT_VERSION(1, 0);
	return true;
}

int expert_run(ExpertKey *key)
{
	/* Above glibc's mmap threshold (128 KiB): malloc maps it. */
	size_t big = 1 << 20;
	unsigned char *bytes = malloc(big);
	/* 4096 blocks of about 1 KiB: more than the heap the loader left, so
	 * malloc grows it with brk. */
	size_t n_small = 4096, frames = 0;
	char **small = calloc(n_small, sizeof(*small));
	if (!bytes || !small)
		return 2;
	ExpertFrame frame;
	while (expert_get_next_frame(key, &frame) == EXPERT_OK)
		bytes[frames++ % big] = (unsigned char)frame.cap_len;
	for (size_t i = 0; i < n_small; i++)
		if (!(small[i] = malloc(1000 + i % 64)))
			return 2;
	fprintf(stderr, "uses-libc: %zu frames\n", frames);
	for (size_t i = 0; i < n_small; i++)
		free(small[i]);
	free(small);
	free(bytes);
	return frames > 0 ? 0 : 1;
}
