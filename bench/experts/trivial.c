/* trivial.c — an expert that does nothing: run returns 0 at once.
 *
 * What `bench-spawn` times is therefore the executor's own cycle per run
 * (fork from the zygote, sandbox setup, load, register, run, reap, reclaim)
 * and nothing of an expert's. */
#include <expert.h>
#include <string.h>

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "Trivial");
	info->version = EXPERT_VERSION(1, 0);
	return true;
}

int expert_run(ExpertKey *key)
{
	(void)key;
	return 0;
}
