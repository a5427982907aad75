/* api-probe.c — a test expert that uses every call of the API once and
 * reports what it saw as events, so tests/integration/test-api.c can check
 * the whole path (executor -> START -> runtime -> expert -> events) against
 * facts computed independently with libpcap. */
#include "expert.h"

#include <stdio.h>
#include <string.h>

static ExpertError report(ExpertKey *key, const char *what, const char *value)
{
	ExpertEventDetail d = { "value", value };
	return expert_submit_event(key, EXPERT_SEVERITY_INFO, what, &d, 1);
}

static ExpertError report_u64(ExpertKey *key, const char *what, uint64_t v)
{
	char text[32];
	snprintf(text, sizeof(text), "%llu", (unsigned long long)v);
	return report(key, what, text);
}

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "API probe");
	strcpy(info->vendor, "expert-exec tests");
	strcpy(info->description, "Uses every call of the expert API once and reports what it saw");
	info->version = EXPERT_VERSION(2, 3);
	info->flags = EXPERT_FLAG_CONFIGURABLE | EXPERT_FLAG_WRITES_OUTPUT;
	return true;
}

ExpertError expert_configure(ExpertKey *key)
{
	const char *mode = expert_config_get(key, "mode");
	/* Refusing a bad setting ends the run before it starts. */
	if (mode && strcmp(mode, "ok") != 0)
		return EXPERT_ERR_INVALID_ARGUMENT;
	return EXPERT_OK;
}

int expert_run(ExpertKey *key)
{
	ExpertCaptureInfo info;
	if (expert_get_capture_info(key, &info) != EXPERT_OK)
		return 10;
	report(key, "file_name", info.file_name);
	report_u64(key, "frame_count", info.frame_count);
	report_u64(key, "selected_frame", info.selected_frame);
	report_u64(key, "start_sec", (uint64_t)info.start_sec);
	const char *greeting = expert_config_get(key, "greeting");
	report(key, "greeting", greeting ? greeting : "(none)");

	/* get_next_frame: honours the run's --filter. */
	ExpertFrame frame;
	uint64_t next = 0;
	while (expert_get_next_frame(key, &frame) == EXPERT_OK)
		next++;
	report_u64(key, "next_frames", next);

	/* A filter compiled by the executor, run here. */
	ExpertFilter *tcp = NULL;
	if (expert_compile_filter(key, "tcp", &tcp) != EXPERT_OK)
		return 11;
	uint64_t matched = 0, last = 0;
	for (uint64_t n = 0; expert_get_frame(key, EXPERT_FRAME_NEXT_FORWARD, n, tcp, &frame) == EXPERT_OK;
	     n = frame.number) {
		matched++;
		last = frame.number;
	}
	report_u64(key, "tcp_forward", matched);
	if (expert_get_frame(key, EXPERT_FRAME_NEXT_BACKWARD, 0, tcp, &frame) != EXPERT_OK ||
	    frame.number != last)
		return 12;
	report_u64(key, "tcp_last", frame.number);
	ExpertFilter *bad = NULL;
	if (expert_compile_filter(key, "this is not a filter", &bad) != EXPERT_ERR_INVALID_ARGUMENT)
		return 13;
	expert_free_filter(key, tcp);

	/* An output capture with the first five frames, when asked to. */
	const char *output = expert_config_get(key, "output");
	if (output) {
		ExpertOutput *out = NULL;
		ExpertError e = expert_create_output(key, output, EXPERT_OUTPUT_PCAP, info.link_type, &out);
		report(key, "create_output", expert_error_name(e));
		if (e == EXPERT_OK) {
			for (uint64_t n = 1; n <= 5; n++)
				if (expert_get_frame(key, EXPERT_FRAME_SPECIFIED, n, NULL, &frame) != EXPERT_OK ||
				    expert_write_frame(key, out, &frame) != EXPERT_OK)
					return 14;
			if (expert_close_output(key, out) != EXPERT_OK)
				return 15;
		}
		/* A second file of the same name is refused: the executor never
		 * replaces a file. */
		ExpertOutput *again = NULL;
		report(key, "create_again", expert_error_name(
			expert_create_output(key, output, EXPERT_OUTPUT_PCAP, info.link_type, &again)));
		ExpertOutput *escape = NULL;
		report(key, "create_path", expert_error_name(
			expert_create_output(key, "../escape.pcap", EXPERT_OUTPUT_PCAP, 1, &escape)));
	}
	return 0;
}
