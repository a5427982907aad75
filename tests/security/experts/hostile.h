/* hostile.h — what the hostile experts of the security suite share.
 *
 * Each hostile expert is built from one themed source file with
 * -DBEHAVIOUR="name" (tests/security/meson.build) and tries one thing it
 * must fail at. By convention its run returns 0 only if the attack
 * succeeded; any other return value, or not returning at all, is the
 * sandbox holding. The exceptions are honest by design: the bystanders
 * (well-behaved, victim, secret-holder) and hide.c's experts, whose attack
 * is outside run, which then does honest work. tests/security/test-hostile.c
 * asserts what each one gets.
 *
 * The helpers below talk to the channel raw, the way a hostile expert would:
 * libexpert's runtime would refuse to send what these experts send. */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "expert.h"
#include "wire.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef BEHAVIOUR
#error "build with -DBEHAVIOUR=\"name\""
#endif

#define CHANNEL_FD 3

/* A world-readable file the security test plants (test-hostile.c): what a
 * constructor must not read, whatever the uid. */
#define HOSTILE_TMP_SECRET "/tmp/expert-exec-hostile-secret"

/* Sends one datagram on the channel, bypassing libexpert. */
static inline void hostile_send(const void *buf, size_t len)
{
	(void)!send(CHANNEL_FD, buf, len, MSG_NOSIGNAL);
}

/* Finishes w and sends it; a message the writer refuses is sent as built
 * so far, which no test relies on. */
static inline void hostile_send_writer(WireWriter *w)
{
	size_t len = wire_finish(w);
	hostile_send(w->buf, len ? len : w->len);
}

/* An EVENT with one detail, as libexpert would build it. */
static inline void hostile_send_event(const char *text, const char *key, const char *value)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_EVENT);
	wire_put_u8(&w, EXPERT_SEVERITY_WARNING);
	wire_put_str(&w, text, EXPERT_TEXT_MAX);
	wire_put_u8(&w, 1);
	wire_put_str(&w, key, WIRE_MAX_STRING);
	wire_put_str(&w, value, WIRE_MAX_STRING);
	hostile_send_writer(&w);
}

/* Gives the executor time to act on what was sent: the attack is over, the
 * executor must end the child, and a child still here afterwards returns a
 * value that says so. */
static inline void hostile_wait(int seconds)
{
	struct timespec ts = { seconds, 0 };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Decimal text of v into buf (at least 24 bytes), without stdio. */
static inline const char *hostile_u64(char *buf, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

/* The honest part every test needs: count the frames and say how many. */
static inline int hostile_count_frames(ExpertKey *key)
{
	ExpertFrame frame;
	uint64_t n = 0;
	while (expert_get_next_frame(key, &frame) == EXPERT_OK)
		n++;
	char text[24];
	ExpertEventDetail d = { "frames", hostile_u64(text, n) };
	return expert_submit_event(key, EXPERT_SEVERITY_INFO, "counted", &d, 1) == EXPERT_OK ? 0 : 1;
}

/* The zygote's pid, found the way a hostile expert must: getppid() is not
 * allowed, but tgkill (allowed for abort()) with signal 0 tells an existing
 * process it may not signal (EPERM) from no process at all (ESRCH). The
 * nearest such pid below our own is the zygote, which forked us, unless
 * another process was started in between; for the filter the target makes
 * no difference, so a wrong guess costs the test nothing. */
static inline long hostile_find_zygote(void)
{
	long self = (long)getpid();
	for (long pid = self - 1; pid > 1 && pid > self - 4096; pid--) {
		long r = syscall(SYS_tgkill, pid, pid, 0);
		if (r < 0 && errno == EPERM)
			return pid;
	}
	return 1;
}

/* One row per behaviour a source file can be built as; run may be NULL for
 * behaviours that act outside run (constructors, resolvers, destructors). */
typedef struct {
	const char *name;
	int (*run)(ExpertKey *key);
} HostileBehaviour;

/* The entry points, from the file's table. A name missing from the table is
 * a build mistake: run then returns 99, which no expectation accepts. */
#define HOSTILE_ENTRY_POINTS(table)                                                        \
	bool expert_register(ExpertInfo *info)                                                 \
	{                                                                                      \
		strcpy(info->name, "hostile: " BEHAVIOUR);                                         \
		strcpy(info->vendor, "expert-exec security tests");                                \
		strcpy(info->description, "A hostile test expert that tries: " BEHAVIOUR);         \
		info->version = EXPERT_VERSION(1, 0);                                              \
		return true;                                                                       \
	}                                                                                      \
	int expert_run(ExpertKey *key)                                                         \
	{                                                                                      \
		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)                      \
			if (strcmp(table[i].name, BEHAVIOUR) == 0)                                     \
				return table[i].run ? table[i].run(key) : hostile_count_frames(key);       \
		return 99;                                                                         \
	}

#endif /* HOSTILE_H */
