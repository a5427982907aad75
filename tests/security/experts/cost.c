/* cost.c — hostile experts that try to buy the executor's time and memory,
 * or another job's names, with requests each of which is allowed:
 * events of 4 KiB, syscalls the executor must decide (strict's refused
 * mmap), filters that are slow to compile, output requests refused again
 * and again, and the name another expert of the run will want for its
 * output. Each must end at the profile's limit for it, with the executor's
 * own CPU for the job small, and the honest jobs beside it unharmed
 * (tests/security/test-hostile.c). Each run returns 0 only if it was never
 * stopped (hostile.h). */
#include "hostile.h"

#include <stdio.h>
#include <sys/mman.h>

/* 16 details of about 230 bytes: each event nearly fills a datagram. */
static int huge_details(ExpertKey *key)
{
	char value[231];
	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	char keys[16][8];
	ExpertEventDetail d[16];
	for (int i = 0; i < 16; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		d[i].key = keys[i];
		d[i].value = value;
	}
	for (int i = 0; i < 1000000; i++)
		if (expert_submit_event(key, EXPERT_SEVERITY_INFO, "big", d, 16) != EXPERT_OK)
			return 2;
	return 0;
}

/* Under strict, mmap reaches the executor (it is one of the loader's
 * calls), which answers ENOMEM: a round trip per call. */
static int notify_flood(ExpertKey *key)
{
	(void)key;
	for (int i = 0; i < 10000000; i++)
		if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
		    MAP_FAILED)
			return 2;
	return 0;
}

/* "portrange 1-2 or portrange 3-4 or ...": libpcap's compile time grows
 * faster than its length (1K: about 150 ms). */
static int filter_flood(ExpertKey *key)
{
	static char expr[1024];
	size_t len = 0;
	for (int i = 1; len + 32 < sizeof(expr); i += 2)
		len += (size_t)snprintf(expr + len, sizeof(expr) - len, "%sportrange %d-%d",
		                        len ? " or " : "", i, i + 1);
	for (int i = 0; i < 1000; i++) {
		ExpertFilter *f;
		if (expert_compile_filter(key, expr, &f) == EXPERT_ERR_HOST)
			return 2;
	}
	return 0;
}

/* Output requests the executor refuses, one after another. */
static int output_flood(ExpertKey *key)
{
	for (int i = 0; i < 20000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "flood-%d.pcap", i);
		ExpertOutput *out;
		if (expert_create_output(key, name, EXPERT_OUTPUT_PCAP, 1, &out) == EXPERT_ERR_HOST)
			return 2;
	}
	return 0;
}

/* Takes Protocol Coalesce's default output name first, in its own folder. */
static int squat_output(ExpertKey *key)
{
	ExpertOutput *out;
	if (expert_create_output(key, "coalesced.pcap", EXPERT_OUTPUT_PCAP, 1, &out) != EXPERT_OK)
		return 2;
	if (expert_close_output(key, out) != EXPERT_OK)
		return 3;
	/* Its own folder is its own: it cannot name another's. */
	ExpertOutput *other;
	return expert_create_output(key, "../protocol-coalesce/x.pcap", EXPERT_OUTPUT_PCAP, 1,
	                            &other) == EXPERT_OK ? 0 : 4;
}

static const HostileBehaviour behaviours[] = {
	{ "huge-details", huge_details },
	{ "notify-flood", notify_flood },
	{ "filter-flood", filter_flood },
	{ "output-flood", output_flood },
	{ "squat-output", squat_output },
};

HOSTILE_ENTRY_POINTS(behaviours)
