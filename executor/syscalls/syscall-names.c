/* syscall-names.c — see syscall-names.h. */
#include "syscalls/syscall-names.h"

#include <seccomp.h>
#include <stdlib.h>

#define SYSCALL_NR_SCAN 600 /* x86-64 numbers end below 460 in libseccomp 2.5 */

char *syscall_name(int nr)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
	if (name) {
		char *copy = g_strdup(name);
		free(name);
		return copy;
	}
	return g_strdup_printf("syscall %d", nr);
}

const char *const *syscall_names(void)
{
	static const char *const *names;

	if (g_once_init_enter(&names)) {
		GPtrArray *found = g_ptr_array_new();
		for (int nr = 0; nr < SYSCALL_NR_SCAN; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
			if (name != NULL)
				g_ptr_array_add(found, g_strdup(name));
			free(name);
		}
		g_ptr_array_add(found, NULL);
		g_once_init_leave(&names, (const char *const *)g_ptr_array_free(found, FALSE));
	}
	return names;
}
