/* corpus.c — see corpus.h. The files are built from tests/experts/. */
#include "cli/corpus.h"

#ifndef EXPERT_EXEC_CORPUS_DIR
#define EXPERT_EXEC_CORPUS_DIR "/usr/local/lib/expert-exec/corpus"
#endif
#ifndef EXPERT_EXEC_CORPUS_RELATIVE
#define EXPERT_EXEC_CORPUS_RELATIVE "lib/expert-exec/corpus"
#endif

/* The slow ones (they end at a time limit) are rare, so a storm of
 * thousands of runs still takes seconds; everything else is common, and
 * well-behaved runs are the largest share, as in real use. */
static const CorpusEntry entries[] = {
	{ "well-behaved", "misbehave-well-behaved.so", OUTCOME_COMPLETED, 400,
	  "reads every frame and reports a count" },
	{ "segfault", "misbehave-segfault.so", OUTCOME_CRASHED, 40, "SIGSEGV" },
	{ "abort", "misbehave-abort.so", OUTCOME_CRASHED, 40, "SIGABRT" },
	{ "overflow-block", "misbehave-overflow-block.so", OUTCOME_CRASHED, 40,
	  "writes past a block; libexpert finds the heap corrupt" },
	{ "forge-finished", "misbehave-forge-finished.so", OUTCOME_CRASHED, 40,
	  "claims success on the channel, then crashes" },
	{ "socket", "misbehave-socket.so", OUTCOME_SANDBOX_VIOLATION, 40, "socket(AF_INET)" },
	{ "execve", "misbehave-execve.so", OUTCOME_SANDBOX_VIOLATION, 40, "execve: a kill rule" },
	{ "fork", "misbehave-fork.so", OUTCOME_SANDBOX_VIOLATION, 40, "fork via clone" },
	{ "ctor-socket", "misbehave-ctor-socket.so", OUTCOME_SANDBOX_VIOLATION, 40,
	  "socket() from a constructor, during loading" },
	{ "ctor-open-write", "misbehave-ctor-open-write.so", OUTCOME_SANDBOX_VIOLATION, 40,
	  "opens a file for writing from a constructor" },
	{ "loop-forever", "misbehave-loop-forever.so", OUTCOME_TIMED_OUT, 1, "CPU time limit" },
	{ "sleep-forever", "misbehave-sleep-forever.so", OUTCOME_TIMED_OUT, 1, "wall-clock limit" },
	{ "register-hangs", "misbehave-register-hangs.so", OUTCOME_TIMED_OUT, 1,
	  "register never returns" },
	{ "exhaust-quota", "misbehave-exhaust-quota.so", OUTCOME_OUT_OF_MEMORY, 40,
	  "allocates until the quota refuses" },
	{ "bogus-free", "misbehave-bogus-free.so", OUTCOME_COMPLETED, 40,
	  "frees pointers that are no block: refused, reported" },
	{ "garbage-message", "misbehave-garbage-message.so", OUTCOME_PROTOCOL_VIOLATION, 40,
	  "a malformed message" },
	{ "oversized-message", "misbehave-oversized-message.so", OUTCOME_PROTOCOL_VIOLATION, 40,
	  "a message over the size limit" },
	{ "close-channel", "misbehave-close-channel.so", OUTCOME_PROTOCOL_VIOLATION, 40,
	  "closes its channel early" },
	{ "flood-status", "misbehave-flood-status.so", OUTCOME_PROTOCOL_VIOLATION, 10,
	  "floods the channel" },
	{ "fail-twice", "misbehave-fail-twice.so", OUTCOME_PROTOCOL_VIOLATION, 40,
	  "says why it failed twice" },
	{ "abandon-output", "misbehave-abandon-output.so", OUTCOME_CRASHED, 40,
	  "an output capture abandoned half written" },
	{ "register-refuses", "misbehave-register-refuses.so", OUTCOME_FAILED_TO_LOAD, 40,
	  "register returns false" },
	{ "missing-run", "missing-run.so", OUTCOME_FAILED_TO_LOAD, 40, "no run entry point" },
	{ "not-an-object", "not-an-object.so", OUTCOME_FAILED_TO_LOAD, 40, "not an ELF object" },
};

const CorpusEntry *corpus_table(gsize *n)
{
	*n = G_N_ELEMENTS(entries);
	return entries;
}

const CorpusEntry *corpus_find(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(entries); i++)
		if (g_str_equal(entries[i].name, name))
			return &entries[i];
	return NULL;
}

char *corpus_dir(void)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	if (self) {
		g_autofree char *bin = g_path_get_dirname(self);
		/* build/executor/expert-exec -> build/tests/experts */
		char *build = g_build_filename(bin, "..", "tests", "experts", NULL);
		if (g_file_test(build, G_FILE_TEST_IS_DIR))
			return build;
		g_free(build);
		/* $prefix/bin/expert-exec -> $prefix/<libdir>/expert-exec/corpus */
		char *beside = g_build_filename(bin, "..", EXPERT_EXEC_CORPUS_RELATIVE, NULL);
		if (g_file_test(beside, G_FILE_TEST_IS_DIR))
			return beside;
		g_free(beside);
	}
	if (g_file_test(EXPERT_EXEC_CORPUS_DIR, G_FILE_TEST_IS_DIR))
		return g_strdup(EXPERT_EXEC_CORPUS_DIR);
	return NULL;
}
