/* file-notes.c — an honest expert as a new user might write one: it counts
 * frames and also writes notes to a file of its own, which it can do
 * without (a failed open is ignored); with needs=PATH it also reads a file
 * it cannot do without (run returns 3 when it cannot open it).
 *
 * The notes are opened as fopen(path, "w") opens them, with open(2)
 * directly: stdio's malloc would be refused under strict before any open.
 *
 * `profile learn` must refuse the notes (openat = errno EACCES: the expert
 * still completes with the same results) and allow only what it needs,
 * narrowed to reading, where a file outside can be reached at all; where
 * the job's root is empty or Landlock allows no file, no profile can give
 * it the file, and learning says so (tests/integration/test-learn.sh). A
 * run under strict reports the open with its path
 * (tests/integration/test-profiles.c). */
#include "expert.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "File notes");
	strcpy(info->vendor, "expert-exec tests");
	strcpy(info->description, "Counts frames; notes=PATH writes them down, needs=PATH reads a file");
	info->version = EXPERT_VERSION(1, 0);
	info->flags = EXPERT_FLAG_CONFIGURABLE;
	return true;
}

static const char *notes, *needs;

ExpertError expert_configure(ExpertKey *key)
{
	notes = expert_config_get(key, "notes");
	needs = expert_config_get(key, "needs");
	return EXPERT_OK;
}

int expert_run(ExpertKey *key)
{
	ExpertFrame frame;
	unsigned frames = 0;
	while (expert_get_next_frame(key, &frame) == EXPERT_OK)
		frames++;
	if (needs) {
		int fd = open(needs, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 3;
		char byte;
		ssize_t n = read(fd, &byte, 1);
		close(fd);
		if (n < 0)
			return 3;
	}
	if (notes) {
		int fd = open(notes, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd >= 0) {
			static const char line[] = "frames counted\n";
			(void)!write(fd, line, sizeof line - 1);
			close(fd);
		}
	}
	return expert_submit_event(key, EXPERT_SEVERITY_INFO, frames ? "frames seen" : "empty",
	                           NULL, 0);
}
