/* text.c — hostile experts whose words are attacks on whoever reads the
 * report: terminal control sequences (ESC [2J clears the screen, OSC 0 sets
 * the window title, OSC 52 writes the clipboard, the 8-bit CSI U+009B), a
 * right-to-left override, and a CR or LF followed by a forged section of the
 * report ("== protocol-distribution ... completed"), in every string a child
 * can send: name, vendor, description, event text, detail keys and values,
 * status text, and the load error a constructor can send.
 *
 * The text report and the progress line must show all of it escaped and
 * never let it start a line (tests/security/test-hostile.c). Unlike the
 * other hostile experts these complete honestly: the attack is the text. */
#include "hostile.h"

#define CLEAR "\x1b[2J\x1b[H"
#define TITLE "\x1b]0;pwned\x07"
#define CLIPBOARD "\x1b]52;c;cHduZWQ=\x07"
#define CSI8 "\xc2\x9b" "31m"
#define RLO "\xe2\x80\xae"
#define FORGED "\r== protocol-distribution\n   outcome   completed: run returned 0\n"

#ifdef BEHAVIOUR_LOAD_ERROR
/* Its loader "failed", in its own words, and it is gone before loading
 * ends: the detail of failed-to-load is this text. */
__attribute__((constructor)) static void fail_loudly(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_LOAD_FAILED);
	wire_put_str(&w, CLEAR TITLE FORGED, WIRE_MAX_STRING);
	hostile_send_writer(&w);
	_exit(0);
}
#endif

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, CLEAR TITLE "\r== protocol-distribution");
	strcpy(info->vendor, CLIPBOARD RLO "vendor");
	strcpy(info->description, FORGED CSI8 "description");
	info->version = EXPERT_VERSION(1, 0);
	return true;
}

int expert_run(ExpertKey *key)
{
	expert_indicate_status(key, EXPERT_STATE_RUNNING, 50, CLEAR TITLE CLIPBOARD "\rstatus" CSI8);
	ExpertEventDetail details[] = {
		{ CLEAR "key", CLIPBOARD "value" },
		{ "forged", FORGED },
		{ RLO "reversed", CSI8 "8-bit CSI" },
	};
	/* Twice: events alike are printed as a table, a lone one as a line. */
	for (int i = 0; i < 2; i++)
		expert_submit_event(key, EXPERT_SEVERITY_WARNING, TITLE "event" FORGED, details, 3);
	expert_submit_event(key, EXPERT_SEVERITY_INFO, CLEAR "lone" FORGED, details, 2);
	return hostile_count_frames(key);
}
