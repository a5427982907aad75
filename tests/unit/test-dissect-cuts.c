/* test-dissect-cuts.c — how Protocol Distribution names the headers of a
 * frame the capture cut short, against tshark 4.0 live.
 *
 * tshark's protocol hierarchy names a header it could not finish once it
 * has read a few of its bytes (how many depends on the protocol: dissect.c's
 * cut_named_from), and nothing after it. For every bundled capture, one
 * frame of each distinct path is cut at every length up to CUT_BYTES_MAX;
 * all the cuts go into one capture that tshark reads once (-T pdml), and
 * the headers tshark names at the top of each frame's tree must be the
 * headers in our path, in order. Applications, "data" and "other", and
 * tshark's _ws.short and _ws.malformed markers are left out: applications
 * are named by port here (dissect.h says why), and the markers have no
 * counterpart.
 *
 * Skipped when tshark is not installed.
 */
#include "dissect.h"
#include "oracle.h"
#include "real-frames.h"
#include "temp-dir.h"
#include "tshark.h"

#include <glib.h>
#include <pcap/pcap.h>
#include <string.h>

/* Headers are in a frame's first bytes; cutting further only repeats. */
#define CUT_BYTES_MAX 200
/* Frames taken per capture: the first of each distinct path. */
#define FRAMES_PER_CAPTURE 12

/* The names the parser gives headers: what is compared. */
static gboolean is_header_name(const char *name)
{
#define HEADER_NAME_ENTRY(id, text) text,
	static const char *const names[] = { PACKET_PROTOCOLS(HEADER_NAME_ENTRY) NULL };
#undef HEADER_NAME_ENTRY
	return g_strv_contains(names, name);
}

/* Our path, headers only, "eth/ip/tcp". */
static char *our_headers(uint32_t link_type, const uint8_t *data, size_t len)
{
	g_autofree uint8_t *copy = len > 0 ? g_memdup2(data, len) : NULL;
	DissectPath path;
	dissect_frame(NULL, link_type, copy, len, &path);
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; i < path.depth; i++) {
		const char *name = dissect_proto_name(path.proto[i]);
		if (is_header_name(name))
			g_string_append_printf(s, "%s%s", s->len > 0 ? "/" : "", name);
	}
	return g_string_free(s, FALSE);
}

/* tshark's top-level protocols per frame of a PDML document, headers only.
 * Line by line with strchr: a document of megabytes, which g_strsplit
 * (through strstr) would scan again for every line under ASan. */
static GPtrArray *tshark_headers(const char *pdml)
{
	static const char proto[] = "  <proto name=\"";
	GPtrArray *frames = g_ptr_array_new_with_free_func(g_free);
	GString *current = NULL;
	for (const char *line = pdml; *line != '\0';) {
		const char *end = strchr(line, '\n');
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		if (len >= 8 && strncmp(line, "<packet>", 8) == 0) {
			if (current != NULL)
				g_string_free(current, TRUE);
			current = g_string_new(NULL);
		} else if (len >= 9 && strncmp(line, "</packet>", 9) == 0 && current != NULL) {
			g_ptr_array_add(frames, g_string_free(current, FALSE));
			current = NULL;
		} else if (current != NULL && len > sizeof proto - 1 &&
		           strncmp(line, proto, sizeof proto - 1) == 0) {
			/* exactly two spaces: the tree's top; quoted headers are deeper */
			const char *name = line + sizeof proto - 1;
			g_autofree char *n = g_strndup(name, strcspn(name, "\""));
			if (is_header_name(n))
				g_string_append_printf(current, "%s%s", current->len > 0 ? "/" : "", n);
		}
		line = end != NULL ? end + 1 : line + len;
	}
	if (current != NULL)
		g_string_free(current, TRUE);
	return frames;
}

typedef struct {
	guint frame;  /* in the capture, 1-based */
	size_t cut;   /* bytes kept */
} Cut;

static void test_cut_headers_named_as_tshark(gconstpointer data)
{
	const OracleCapture *capture = data;
	if (!tshark_available())
		return;
	g_autofree char *dir = temp_dir_new("test-dissect-cuts-XXXXXX");
	g_autofree char *file = g_build_filename(dir, "cuts.pcap", NULL);

	pcap_t *in = real_frames_open(capture->file);
	uint32_t link_type = (uint32_t)pcap_datalink(in);
	pcap_t *dead = pcap_open_dead((int)link_type, 262144);
	pcap_dumper_t *out = pcap_dump_open(dead, file);
	g_assert_nonnull(out);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GArray) cuts = g_array_new(FALSE, FALSE, sizeof(Cut));
	g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func(g_free);
	struct pcap_pkthdr *h;
	const u_char *frame;
	for (guint number = 1; pcap_next_ex(in, &h, &frame) == 1 &&
	                       g_hash_table_size(seen) < FRAMES_PER_CAPTURE; number++) {
		char *whole = our_headers(link_type, frame, h->caplen);
		if (g_hash_table_contains(seen, whole)) {
			g_free(whole);
			continue;
		}
		g_hash_table_add(seen, whole);
		for (size_t n = 0; n <= MIN(h->caplen, CUT_BYTES_MAX); n++) {
			struct pcap_pkthdr cut_header = { .ts = h->ts, .caplen = (bpf_u_int32)n,
			                                  .len = h->len };
			pcap_dump((u_char *)out, &cut_header, frame);
			g_array_append_val(cuts, ((Cut){ number, n }));
			g_ptr_array_add(ours, our_headers(link_type, frame, n));
		}
	}
	pcap_dump_close(out);
	pcap_close(dead);
	pcap_close(in);

	const char *args[] = { "-r", file, "-T", "pdml", NULL };
	g_autofree char *pdml = tshark_output(args);
	g_autoptr(GPtrArray) theirs = tshark_headers(pdml);
	g_assert_cmpuint(theirs->len, ==, cuts->len);
	guint differ = 0;
	for (guint i = 0; i < cuts->len; i++) {
		const Cut *c = &g_array_index(cuts, Cut, i);
		const char *want = g_ptr_array_index(theirs, i), *got = g_ptr_array_index(ours, i);
		if (strcmp(want, got) != 0 && differ++ < 10)
			g_test_message("%s frame %u cut to %zu bytes: tshark \"%s\", ours \"%s\"",
			               capture->file, c->frame, c->cut, want, got);
	}
	g_test_message("%s: %u frames cut %u ways, %u named otherwise", capture->file,
	               g_hash_table_size(seen), cuts->len, differ);
	g_assert_cmpuint(differ, ==, 0);
	temp_dir_remove(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_autoptr(GPtrArray) captures = oracle_add_capture_tests(
		"/dissect/cut-headers-named-as-tshark/", test_cut_headers_named_as_tshark);
	if (captures == NULL)
		return 77;
	return g_test_run();
}
