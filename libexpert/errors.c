/* errors.c — names of ExpertError codes, shared by experts and the executor. */
#include "expert.h"

const char *expert_error_name(ExpertError error)
{
	switch (error) {
	case EXPERT_OK: return "ok";
	case EXPERT_ERR_NO_MEMORY: return "no memory (quota reached)";
	case EXPERT_ERR_INVALID_POINTER: return "invalid pointer";
	case EXPERT_ERR_INVALID_ARGUMENT: return "invalid argument";
	case EXPERT_ERR_OVERFLOW: return "size overflow";
	case EXPERT_ERR_END_OF_CAPTURE: return "end of capture";
	case EXPERT_ERR_TERMINATE: return "terminate requested";
	case EXPERT_ERR_HOST: return "host unreachable";
	case EXPERT_ERR_FAILED: return "failed (the expert says why)";
	case EXPERT_ERR_WRITE: return "output not written (disk full, ...)";
	}
	return "unknown error";
}
