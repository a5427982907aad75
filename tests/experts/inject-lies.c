/* inject-lies.c — claims a fault injected that the executor's plan does
 * not hold: under `run --inject alloc@5` it reports its 3rd allocation
 * refused, as a child might to pass its own failure off as the executor's.
 * The executor checks every such report against its plan: a protocol
 * violation (tests/inject/test-inject.c). */
#include "expert.h"
#include "wire.h"

#include <string.h>
#include <sys/socket.h>

/* The channel's fixed descriptor in every child (protocol/child-protocol.h). */
#define CHANNEL_FD 3

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "Inject lies");
	strcpy(info->vendor, "expert-exec tests");
	info->version = EXPERT_VERSION(1, 0);
	return true;
}

int expert_run(ExpertKey *key)
{
	(void)key;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_INJECTED);
	wire_put_u8(&w, WIRE_INJECT_ALLOC);
	wire_put_u64(&w, 3);
	wire_put_u64(&w, 3);
	size_t len = wire_finish(&w);
	/* Read after the exit, if it comes to that, it counts all the same. */
	(void)!send(CHANNEL_FD, buf, len, MSG_NOSIGNAL);
	return 0;
}
