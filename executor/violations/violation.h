/* violation.h — a call the profile refuses, described while the child is
 * still stopped in it: the syscall by name and number, its arguments as a
 * person reads them (syscall-args.h), the arch, where the call was made
 * (code-location.h) and the profile rule that refused it. Everything comes
 * from the kernel's notification and the executor's own profile, never from
 * anything the child wrote. The job's seccomp listener (jobs/job-seccomp.c)
 * asks for it; reports print the JobViolation it makes. */
#ifndef EXPERT_EXEC_VIOLATION_H
#define EXPERT_EXEC_VIOLATION_H

#include "profiles/filter.h"
#include "results/job-result.h"

#include <linux/seccomp.h>

/* The violation of req, which verdict (from profile) refuses. listener_fd
 * is the job's seccomp listener, on which req is still pending: the
 * location is looked up only while it is. Newly allocated. */
JobViolation *violation_describe(const Profile *profile, const FilterVerdict *verdict,
                                 const struct seccomp_notif *req, int listener_fd);
void violation_free(JobViolation *violation);

/* The call of req as reports show it (violations/syscall-args.h), its
 * string arguments read from the stopped child where the executor may
 * (violations/child-memory.h); *strings_read says whether any was. The
 * strings are kept only if req is still pending once read. */
char *violation_call_text(const struct seccomp_notif *req, int listener_fd, gboolean *strings_read);

#endif /* EXPERT_EXEC_VIOLATION_H */
