/* hostile-text.c — a test expert whose every string is an attack on the
 * HTML report: markup that would run a script or load something if it were
 * not escaped (in text, in attribute-like positions, in SVG labels), control
 * characters, a right-to-left override, and invalid UTF-8 (which libexpert
 * cuts before sending). Its events have the detail keys of every chart
 * shape, so the hostile labels reach the charts too. Checked by
 * tests/report/check-page.py in a real browser. */
#include "expert.h"

#include <string.h>

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "<script>alert(\"name\")</script>");
	strcpy(info->vendor, "\"><img src=x onerror=alert('vendor')>");
	strcpy(info->description, "\x01\x1b[31m red \xe2\x80\xae evil \xff\xfe");
	info->version = EXPERT_VERSION(6, 6);
	return true;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int expert_run(ExpertKey *key)
{
	expert_indicate_status(key, EXPERT_STATE_RUNNING, 50, "<iframe src=\"file:///etc/passwd\">");
	const ExpertEventDetail plain[] = {
		{ "<img src=x onerror=alert(2)>", "\"'><svg onload=alert(3)>" },
		{ "ctl", "a\x01" "b\x1b" "c\x7f" "d" },
		{ "bidi", "abc\xe2\x80\xae" "evil" },
		{ "bad-utf8", "ok\xff\xfe tail" },
	};
	expert_submit_event(key, EXPERT_SEVERITY_ERROR, "<script>alert(1)</script>", plain, N(plain));
	const ExpertEventDetail tree[][4] = {
		{ { "path", "</text><script>alert(4)</script>" }, { "protocol", "<!--" },
		  { "depth", "0" }, { "frames", "10" } },
		{ { "path", "x/]]><script>alert(5)</script>" }, { "protocol", "</svg><script>alert(6)</script>" },
		  { "depth", "1" }, { "frames", "5" } },
	};
	for (size_t i = 0; i < N(tree); i++) {
		ExpertEventDetail d[5];
		memcpy(d, tree[i], sizeof tree[i]);
		d[4] = (ExpertEventDetail){ "bytes", i ? "50" : "100" };
		expert_submit_event(key, EXPERT_SEVERITY_INFO, "</table><script>alert(10)</script>", d, 5);
	}
	const ExpertEventDetail talker[] = {
		{ "layer", "<style>*{display:none}</style>" }, { "address", "javascript:alert(7)" },
		{ "bytes", "100" }, { "tx_bytes", "60" }, { "rx_bytes", "40" },
	};
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "talker", talker, N(talker));
	const ExpertEventDetail server[] = {
		{ "server", "&lt;not-an-entity&gt;" }, { "protocol", "\"onmouseover=\"alert(8)" },
		{ "min_us", "1" }, { "avg_us", "2" }, { "max_us", "3" },
	};
	expert_submit_event(key, EXPERT_SEVERITY_WARNING, "server", server, N(server));
	const ExpertEventDetail connection[] = {
		{ "client", "<a href=\"javascript:alert(9)\">x</a>" }, { "server", "'" },
		{ "retransmitted_frames", "3" },
	};
	expert_submit_event(key, EXPERT_SEVERITY_WARNING, "connection", connection, N(connection));
	return 0;
}
