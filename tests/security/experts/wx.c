/* wx.c — hostile experts that try to run code nobody loaded, by getting
 * memory that is writable and executable while the object loads, or
 * executable without a file behind it: an object that asks the loader for
 * an executable stack (linked with -z execstack) or carries a writable and
 * executable load segment (tests/security/meson.build links them so), and
 * constructors that map such memory themselves and leave it for run.
 * W^X must refuse each while loading: the object fails to load, and run,
 * which would call the code, never runs.
 *
 * Each run returns 0 only if its attack worked (hostile.h). */
#include "hostile.h"

#include <sys/mman.h>

/* mov $0, %eax; ret: returns 0, the attack's "it worked". */
static const uint8_t code[] = { 0xb8, 0x00, 0x00, 0x00, 0x00, 0xc3 };

typedef int (*CodeFunc)(void);

/* What a constructor left to call from run, or NULL. */
static void *prepared __attribute__((unused));

static int call(void *p)
{
	CodeFunc f;
	memcpy(&f, &p, sizeof(f));
	return f();
}

__attribute__((unused)) static void *map_anonymous(int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

#ifdef BEHAVIOUR_WX_CTOR_RWX
/* Writable and executable at once: the classic JIT page. */
__attribute__((constructor)) static void ctor_rwx(void)
{
	void *p = map_anonymous(PROT_READ | PROT_WRITE | PROT_EXEC);
	if (p) {
		memcpy(p, code, sizeof(code));
		prepared = p;
	}
}
#endif

#ifdef BEHAVIOUR_WX_CTOR_ANON_EXEC
/* Executable but never writable: empty, but executable memory with no
 * file behind it is not the object's code. */
__attribute__((constructor)) static void ctor_anon_exec(void)
{
	prepared = map_anonymous(PROT_READ | PROT_EXEC);
}
#endif

#ifdef BEHAVIOUR_WX_CTOR_MPROTECT
/* Written while writable, then made executable. */
__attribute__((constructor)) static void ctor_mprotect(void)
{
	void *p = map_anonymous(PROT_READ | PROT_WRITE);
	if (p) {
		memcpy(p, code, sizeof(code));
		if (mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0)
			prepared = p;
	}
}
#endif

#ifdef BEHAVIOUR_WX_RWX_SEGMENT
/* A section the linker must put in a load segment both writable and
 * executable ("awx"): code that the object itself could rewrite. */
__asm__(".section .wxtext,\"awx\",@progbits\n"
        "wx_segment_code:\n"
        "  movl $0, %eax\n"
        "  ret\n"
        ".previous\n");
extern char wx_segment_code[];
#endif

/* Whatever the object prepared, called: 0 only if code nobody loaded ran. */
static int run_prepared(ExpertKey *key)
{
	(void)key;
#ifdef BEHAVIOUR_WX_RWX_SEGMENT
	wx_segment_code[0] = (char)0xb8; /* rewrite its own code, which W^X forbids */
	return call(wx_segment_code);
#else
	return prepared ? call(prepared) : 2;
#endif
}

/* With an executable stack, code written to a local array runs. */
__attribute__((noinline)) static int stack_code(ExpertKey *key)
{
	(void)key;
	volatile uint8_t buf[16];
	for (size_t i = 0; i < sizeof(code); i++)
		buf[i] = code[i];
	return call((void *)(uintptr_t)buf);
}

static const HostileBehaviour behaviours[] = {
	{ "wx-execstack", stack_code },
	{ "wx-rwx-segment", run_prepared },
	{ "wx-ctor-rwx", run_prepared },
	{ "wx-ctor-anon-exec", run_prepared },
	{ "wx-ctor-mprotect", run_prepared },
};

HOSTILE_ENTRY_POINTS(behaviours)
