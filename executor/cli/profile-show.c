/* profile-show.c — `expert-exec profile show` (see profile-show.h): a
 * profile fully resolved, as a profile file that says where each line came
 * from, or the seccomp filter it compiles to. */
#include "cli/profile-show.h"

#include "cli/profile-cli-common.h"
#include "kernel/kernel-features.h"
#include "profiles/filter.h"
#include "profiles/profile.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A value GKeyFile reads back as it is: its escapes for what it would
 * otherwise change (a leading blank, line breaks, backslashes). */
static char *
keyfile_escaped(const char *value)
{
	GString *s = g_string_new(NULL);
	for (const char *p = value; *p != '\0'; p++) {
		switch (*p) {
		case '\\': g_string_append(s, "\\\\"); break;
		case '\n': g_string_append(s, "\\n"); break;
		case '\r': g_string_append(s, "\\r"); break;
		case '\t': g_string_append(s, "\\t"); break;
		case ' ':
			g_string_append(s, p == value ? "\\s" : " ");
			break;
		default: g_string_append_c(s, *p);
		}
	}
	return g_string_free(s, FALSE);
}

/* "key = value" and, aligned after it, "# comment". */
static void
print_commented(const char *line, const char *comment, int width)
{
	if (comment == NULL || *comment == '\0')
		printf("%s\n", line);
	else
		printf("%-*s  # %s\n", width, line, comment);
}

static void
show_profile(const Profile *p)
{
	const char *const *keys = profile_limit_keys();
	int width = 0;

	printf("# %s, fully resolved: %s", p->name, p->path);
	for (guint i = 1; p->files != NULL && i < p->files->len; i++)
		printf("%s%s", i == 1 ? ", inheriting " : " <- ", (char *)p->files->pdata[i]);
	printf("\n# Each rule says where it was written; this output is itself a valid profile.\n\n");

	/* One column for every comment, as wide as the longest rule (within reason). */
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		g_autofree char *described = profile_rule_describe(rule);
		width = MAX(width, (int)(strlen(rule->syscall) + 3 + strlen(described)));
	}
	width = MIN(MAX(width, 32), 64);

	printf("[profile]\n");
	if (p->description != NULL) {
		g_autofree char *escaped = keyfile_escaped(p->description);
		g_autofree char *line = g_strdup_printf("description = %s", escaped);
		g_autofree char *where = p->description_file != NULL
			? g_strdup_printf("%s:%u", p->description_file, p->description_line) : NULL;
		print_commented(line, where, width);
	}
	g_autofree char *action = profile_action_describe(&p->default_action);
	g_autofree char *default_line = g_strdup_printf("default-action = %s", action);
	g_autofree char *default_where = p->default_action_file != NULL
		? g_strdup_printf("%s:%u", p->default_action_file, p->default_action_line)
		: g_strdup("built in");
	print_commented(default_line, default_where, width);
	if (p->acknowledged != NULL && p->acknowledged->len > 0) {
		GString *names = g_string_new("acknowledge = ");
		GString *where = g_string_new(NULL);
		for (guint i = 0; i < p->acknowledged->len; i++) {
			const ProfileAcknowledgement *ack = p->acknowledged->pdata[i];
			g_string_append_printf(names, "%s%s", i > 0 ? ";" : "", ack->syscall);
			g_string_append_printf(where, "%s%s:%u", i > 0 ? ", " : "", ack->file, ack->line);
		}
		print_commented(names->str, where->str, width);
		g_string_free(names, TRUE);
		g_string_free(where, TRUE);
	}

	printf("\n[limits]\n");
	for (const char *const *key = keys; *key != NULL; key++) {
		g_autofree char *value = profile_limit_describe(p, *key);
		printf("%s = %s\n", *key, value);
	}

	printf("\n[syscalls]\n");
	if (p->rules->len == 0)
		printf("# no rules: default-action decides every syscall\n");
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		g_autofree char *described = profile_rule_describe(rule);
		g_autofree char *line = g_strdup_printf("%s = %s", rule->syscall, described);
		g_autofree char *where = rule->group != NULL
			? g_strdup_printf("%s:%u via %s", rule->file, rule->line, rule->group)
			: g_strdup_printf("%s:%u", rule->file, rule->line);
		print_commented(line, where, width);
	}
}

static int
show_bpf(const Profile *p)
{
	g_autoptr(GError) error = NULL;
	/* As this kernel's runs compile it: with the loader's openat decided
	 * in the kernel where Landlock follows loading. */
	gboolean landlock = kernel_feature(KERNEL_FEATURE_LANDLOCK)->state == KERNEL_FEATURE_PRESENT;
	g_autoptr(Filter) filter = filter_compile(p, landlock, &error);

	if (filter == NULL) {
		fprintf(stderr, "expert-exec profile show: %s\n", error->message);
		return PROFILE_CLI_PROBLEM;
	}
	printf("# %s (%s): the seccomp filter it compiles to, in libseccomp's pseudo-code.\n"
	       "# Beyond the profile's rules: other ABIs are killed, the channel (descriptor 3)\n"
	       "# is always usable, every call that sends a signal reaches the executor\n"
	       "# (notify), which applies the profile to it, and the loader's calls on its\n"
	       "# own descriptor pass in the kernel; its other calls reach the executor.\n",
	       p->name, p->path);
	fflush(stdout);
	if (!filter_export_pfc(p, landlock, STDOUT_FILENO, &error)) {
		fprintf(stderr, "expert-exec profile show: %s\n", error->message);
		return PROFILE_CLI_PROBLEM;
	}
	printf("# %u BPF instructions (%" G_GUINT64_FORMAT " bytes) in the filter a child installs; "
	       "the kernel takes at most 4096\n", filter->n_insns, filter->size);
	return PROFILE_CLI_OK;
}

int
profile_show_command(int argc, char **argv)
{
	gboolean bpf = FALSE;
	GOptionEntry entries[] = {
		{ "bpf", 0, 0, G_OPTION_ARG_NONE, &bpf,
		  "Print the seccomp filter the profile compiles to, readable, and its size", NULL },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new("NAME|FILE - show a profile fully resolved");
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"Prints the profile after inheritance and group expansion: description, default\n"
		"action, limits with their units, and one rule per syscall, sorted, as\n"
		"  syscall = action [if conditions]  # FILE:LINE [via @group]\n"
		"with constant names where the argument takes them. The output is itself a\n"
		"valid profile. With --bpf, prints instead the seccomp filter it compiles to\n"
		"(libseccomp's pseudo filter code) and its size in BPF instructions.");
	g_option_context_set_description(context,
		"Exit status: 0, 1 if the profile does not load (or, with --bpf, compile),\n"
		"2 for a bad command line.");
	if (!profile_cli_parse_options(context, "show", &argc, &argv))
		return PROFILE_CLI_USAGE;
	if (argc != 2) {
		fprintf(stderr, "expert-exec profile show: give one profile, a name or a file "
		                "(expert-exec profile show --help)\n");
		return PROFILE_CLI_USAGE;
	}
	g_autoptr(Profile) profile = profile_load(argv[1], &error);
	if (profile == NULL) {
		fprintf(stderr, "expert-exec profile show: %s\n"
		                "(expert-exec profile check %s lists every error)\n", error->message, argv[1]);
		return PROFILE_CLI_PROBLEM;
	}
	if (bpf)
		return show_bpf(profile);
	show_profile(profile);
	return PROFILE_CLI_OK;
}
