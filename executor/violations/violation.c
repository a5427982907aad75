/* violation.c — see violation.h. */
#include "violations/violation.h"

#include "syscalls/syscall-names.h"
#include "violations/child-memory.h"
#include "violations/code-location.h"
#include "violations/syscall-args.h"

#include <linux/audit.h>
#include <string.h>

static char *describe_rule(const Profile *profile, const FilterVerdict *v)
{
	g_autofree char *action = profile_action_describe(&v->action);
	if (v->wx)
		return g_strdup_printf("W^X, the executor's own rule whatever the profile says: %s",
		                       v->wx);
	if (v->rule)
		return g_strdup_printf("%s:%u (%s = %s%s%s)", v->rule->file, v->rule->line,
		                       v->rule->group ? v->rule->group : v->rule->syscall, v->rule->text,
		                       v->rule->group ? ", for " : "", v->rule->group ? v->rule->syscall : "");
	if (profile->default_action_file)
		return g_strdup_printf("%s:%u (default-action = %s)", profile->default_action_file,
		                       profile->default_action_line, action);
	return g_strdup_printf("default action of %s (%s)", profile->name, action);
}

static char *read_string(guint64 addr, gpointer data)
{
	const struct seccomp_notif *req = data;
	return child_memory_describe_string((pid_t)req->pid, addr);
}

char *violation_call_text(const struct seccomp_notif *req, int listener_fd, gboolean *strings_read)
{
	guint64 args[6];
	memcpy(args, req->data.args, sizeof(args));
	char *text = syscall_args_describe_reading(req->data.nr, args, read_string, (gpointer)req,
	                                           strings_read);
	/* Read from a child that was not stopped in this call all along, the
	 * strings could be anyone's: not shown then. */
	if (*strings_read && !child_memory_still_stopped(listener_fd, req->id)) {
		g_free(text);
		*strings_read = FALSE;
		text = syscall_args_describe(req->data.nr, args);
	}
	return text;
}

JobViolation *violation_describe(const Profile *profile, const FilterVerdict *verdict,
                                 const struct seccomp_notif *req, int listener_fd)
{
	JobViolation *viol = g_new0(JobViolation, 1);
	viol->nr = req->data.nr;
	viol->name = syscall_name(req->data.nr);
	viol->arch = g_strdup(req->data.arch == AUDIT_ARCH_X86_64 ? "x86_64" :
	                      req->data.arch == AUDIT_ARCH_I386 ? "i386" : "unknown");
	memcpy(viol->args, req->data.args, sizeof(viol->args));
	viol->instruction_pointer = req->data.instruction_pointer;
	viol->rule = describe_rule(profile, verdict);
	viol->action = profile_action_describe(&verdict->action);
	viol->call = violation_call_text(req, listener_fd, &viol->strings_read);
	/* The child is still blocked in this call: its maps name the code. */
	viol->location = code_location_of_notification(listener_fd, req->id, (pid_t)req->pid,
	                                               viol->instruction_pointer);
	return viol;
}

void violation_free(JobViolation *violation)
{
	if (!violation)
		return;
	g_free(violation->name);
	g_free(violation->arch);
	g_free(violation->rule);
	g_free(violation->action);
	g_free(violation->call);
	g_free(violation->location);
	g_free(violation);
}
