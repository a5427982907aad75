/* memory.c — the memory API over the job's region (see expert.h). Every
 * refusal is also reported to the executor, which counts it. */
#include "runtime-internal.h"

#include <stdlib.h>

/* Corrupt allocator metadata means our own results can no longer be trusted:
 * say so, then die the way glibc does on a corrupt heap. */
static _Noreturn void heap_corrupted(ExpertKey *key, const void *where)
{
	runtime_report_fault(key, WIRE_FAULT_CORRUPTION, 0, where);
	abort();
}

static ExpertError map_result(ExpertKey *key, HeapResult r, size_t size, const void *ptr)
{
	switch (r) {
	case HEAP_OK:
		return EXPERT_OK;
	case HEAP_NO_MEMORY:
		runtime_report_fault(key, WIRE_FAULT_QUOTA, size, NULL);
		return EXPERT_ERR_NO_MEMORY;
	case HEAP_OVERFLOW:
		runtime_report_fault(key, WIRE_FAULT_QUOTA, size, NULL);
		return EXPERT_ERR_OVERFLOW;
	case HEAP_INVALID_POINTER:
		runtime_report_fault(key, WIRE_FAULT_INVALID_POINTER, size, ptr);
		return EXPERT_ERR_INVALID_POINTER;
	case HEAP_CORRUPT:
		heap_corrupted(key, ptr);
	}
	return EXPERT_ERR_INVALID_ARGUMENT;
}

ExpertError runtime_alloc(ExpertKey *key, size_t size, void **out)
{
	return map_result(key, heap_alloc(key->heap, size, out), size, NULL);
}

ExpertError runtime_free(ExpertKey *key, void *block)
{
	return map_result(key, heap_free(key->heap, block), 0, block);
}

ExpertError expert_alloc_memory(ExpertKey *key, size_t size, void **out)
{
	runtime_call();
	if (!runtime_key_valid(key) || !out)
		return EXPERT_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if (key->terminate)
		return EXPERT_ERR_TERMINATE;
	if (runtime_allocation_refused(key))
		return EXPERT_ERR_NO_MEMORY;
	return runtime_alloc(key, size, out);
}

ExpertError expert_realloc_memory(ExpertKey *key, void *block, size_t size, void **out)
{
	runtime_call();
	if (!runtime_key_valid(key) || !out)
		return EXPERT_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if (key->terminate && size != 0)
		return EXPERT_ERR_TERMINATE;
	/* Refused as the allocator refuses: the block stays as it was. */
	if (size != 0 && runtime_allocation_refused(key))
		return EXPERT_ERR_NO_MEMORY;
	return map_result(key, heap_realloc(key->heap, block, size, out), size, block);
}

ExpertError expert_free_memory(ExpertKey *key, void *block)
{
	runtime_call();
	if (!runtime_key_valid(key))
		return EXPERT_ERR_INVALID_ARGUMENT;
	return runtime_free(key, block);
}

size_t expert_memory_size(ExpertKey *key, const void *block)
{
	runtime_call();
	if (!runtime_key_valid(key) || !block)
		return 0;
	return heap_block_size(key->heap, block);
}
