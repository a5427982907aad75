/* inject.c — the child's side of fault injection: counting the expert's
 * API calls and allocations, and making the faults only the child can
 * make (see wire.h, WireInject, and expert.h, "API calls").
 *
 * The allocator runs in the child, over the job's region, and most API
 * calls never reach the executor (frames are read in place, memory is
 * local), so the executor cannot see "the 17th allocation" happen. It
 * decides instead: START carries its plan, the runtime carries it out and
 * says so (INJECTED), and the executor checks every such report against
 * the plan it sent. A round trip per call would let the executor decide
 * each one itself, at a thousand times an allocation's cost, and would
 * still need the runtime to turn its answer into a return value: the
 * child's cooperation either way. A hostile child that ignores the plan
 * gains nothing: injection exists to test honest experts, and the outcome
 * is still decided by the executor from its own facts. */
#include "runtime-internal.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

static void report(ExpertKey *key, WireInject inject)
{
	if (key->injected_sent >= WIRE_INJECTED_MAX)
		return;
	key->injected_sent++;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_INJECTED);
	wire_put_u8(&w, (uint8_t)inject);
	wire_put_u64(&w, key->api_calls);
	wire_put_u64(&w, key->allocations);
	(void)runtime_send(key, &w);
}

/* Says it stopped, then waits on the channel for the executor's SIGKILL:
 * the kill is the executor's, at a moment the plan chose. recv is what
 * every profile allows; if the executor is gone, there is no one to wait
 * for. */
_Noreturn static void stop_for_kill(ExpertKey *key)
{
	report(key, WIRE_INJECT_KILL);
	uint8_t buf[64];
	for (;;) {
		ssize_t n = recv(key->channel_fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno != EINTR))
			_exit(0);
	}
}

void runtime_call(void)
{
	ExpertKey *key = &runtime_key;
	if (!key->inject_on)
		return;
	/* Killed after n calls: at the next one, before it does anything. */
	if (key->inject.inject == WIRE_INJECT_KILL && key->api_calls == key->inject.n)
		stop_for_kill(key);
	key->api_calls++;
	/* As if the executor's TERMINATE had arrived just before this call:
	 * this call and every later one that can return it does. */
	if (key->inject.inject == WIRE_INJECT_TERMINATE && key->api_calls == key->inject.n &&
	    !key->terminate) {
		key->terminate = true;
		report(key, WIRE_INJECT_TERMINATE);
	}
}

bool runtime_allocation_refused(ExpertKey *key)
{
	if (!key->inject_on)
		return false;
	key->allocations++;
	if (key->inject.inject != WIRE_INJECT_ALLOC)
		return false;
	bool refuse = key->inject.p ? wire_inject_draw(key->inject.seed, key->allocations, key->inject.p)
	                            : key->allocations == key->inject.n;
	if (refuse)
		report(key, WIRE_INJECT_ALLOC);
	return refuse;
}

void runtime_calls_done(ExpertKey *key)
{
	if (!key->inject_on)
		return;
	if (key->inject.inject == WIRE_INJECT_KILL && key->api_calls == key->inject.n)
		stop_for_kill(key);
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_CALLS);
	wire_put_u64(&w, key->api_calls);
	wire_put_u64(&w, key->allocations);
	(void)runtime_send(key, &w);
}
