/* hide.c — hostile experts whose attack hides outside the entry points: in
 * a constructor, an IFUNC resolver or a destructor. dlopen runs the first
 * two, under the filter the child installed before loading; the third would
 * run at exit, which a child never reaches (it leaves with _exit).
 *
 * Not here because tests/experts/misbehave.c has them: socket() and
 * open(O_WRONLY) from a constructor, a register that never returns.
 * Built with -DBEHAVIOUR="name" and -DBEHAVIOUR_NAME (meson.build), so each
 * object carries only its own hiding place. */
#include "hostile.h"

static volatile int sink;

#ifdef BEHAVIOUR_CTOR_EVENT
/* An event before the expert has even registered: the executor is still in
 * the loading phase. */
__attribute__((constructor)) static void ctor_event(void)
{
	hostile_send_event("too early", "from", "constructor");
}
#endif

#ifdef BEHAVIOUR_CTOR_FORGE
/* The path docs/architecture.md admits: forge LOADED and REGISTERED so the
 * executor takes the next message as the expert's own, then submit an event
 * from loading time (where a constructor could put what the loader let it
 * read) before the real LOADED arrives. */
__attribute__((constructor)) static void ctor_forge(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_LOADED);
	wire_put_u8(&w, 0);
	hostile_send_writer(&w);
	wire_begin(&w, buf, sizeof(buf), WIRE_REGISTERED);
	wire_put_str(&w, "forged in a constructor", EXPERT_NAME_MAX);
	wire_put_str(&w, "", EXPERT_VENDOR_MAX);
	wire_put_str(&w, "", EXPERT_DESCRIPTION_MAX);
	wire_put_u32(&w, EXPERT_VERSION(6, 6));
	wire_put_u32(&w, 0);
	hostile_send_writer(&w);
	hostile_send_event("smuggled", "from", "constructor");
}
#endif

#ifdef BEHAVIOUR_IFUNC_SOCKET
/* An IFUNC resolver runs while the loader relocates the object (RTLD_NOW),
 * before any constructor: the earliest code an object can run. */
static int answer(void)
{
	return 42;
}

typedef int (*AnswerFunc)(void);

static AnswerFunc resolve_answer(void)
{
	sink = socket(AF_INET, SOCK_STREAM, 0);
	return answer;
}

int hostile_answer(void) __attribute__((ifunc("resolve_answer")));
#endif

#ifdef BEHAVIOUR_DTOR_SOCKET
/* Would run at exit() or dlclose(); the child does neither. */
__attribute__((destructor)) static void dtor_socket(void)
{
	sink = socket(AF_INET, SOCK_STREAM, 0);
}
#endif

static int run_honestly(ExpertKey *key)
{
#ifdef BEHAVIOUR_IFUNC_SOCKET
	sink = hostile_answer();
#endif
	return hostile_count_frames(key);
}

static const HostileBehaviour behaviours[] = {
	{ "ctor-event", run_honestly },
	{ "ctor-forge", run_honestly },
	{ "ifunc-socket", run_honestly },
	{ "dtor-socket", run_honestly },
};

HOSTILE_ENTRY_POINTS(behaviours)
