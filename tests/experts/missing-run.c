/* missing-run.c — an expert that forgot its run entry point. */
#include "expert.h"

#include <string.h>

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "missing run");
	return true;
}
