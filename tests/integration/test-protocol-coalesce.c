/* test-protocol-coalesce.c — the Protocol Coalesce expert, run by the real
 * executor under coalesce.profile, its output capture read back with libpcap
 * and with tshark.
 *
 *   expert-exec run --json --profile coalesce --output-dir TMP
 *       --config protocol-coalesce:output=out.pcap CAPTURE protocol-coalesce.so
 *
 * (run by expert-report.c, as the other experts' tests run theirs).
 *
 * dns-edns-ecs.pcap has four IPv4 datagrams in two fragments each (frames
 * 53/54, 58/59, 62/63, 84/85). The test builds the capture it expects
 * independently, in the simplest way that holds for this file (each
 * datagram is a first fragment followed later by its last one), and the
 * output must equal it frame for frame, bytes and nanosecond timestamps.
 * tshark (computed live, skipped when it is not installed) must then see no
 * fragment and no undissected "data" under ip, and the four DNS responses
 * whole. A capture without fragments must come out unchanged; a bad setting
 * must stop the expert before it runs; and an expert that dies half-way
 * through its output must leave no file behind.
 *
 * Environment: EXPERT_EXEC, EXPERT_COALESCE (the .so), EXPERT_DIES_WRITING
 * (tests/experts/dies-writing-output.so), EXPERT_TEST_DATA.
 */
#include "expert-report.h"
#include "tshark.h"

#include <pcap/pcap.h>
#include <string.h>

/* ---- captures as lists of frames ------------------------------------------ */

typedef struct {
	gint64 ts_ns;
	guint32 orig_len;
	GBytes *data;
} Frame;

static void frame_free(gpointer p)
{
	Frame *f = p;
	g_bytes_unref(f->data);
	g_free(f);
}

/* Every frame of a pcap or pcapng file, with nanosecond timestamps. */
static GPtrArray *read_capture(const char *path, int *link_type)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL)
		g_error("libpcap cannot read %s: %s", path, errbuf);
	if (link_type)
		*link_type = pcap_datalink(p);
	GPtrArray *frames = g_ptr_array_new_with_free_func(frame_free);
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		Frame *f = g_new0(Frame, 1);
		f->ts_ns = (gint64)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;
		f->orig_len = h->len;
		f->data = g_bytes_new(data, h->caplen);
		g_ptr_array_add(frames, f);
	}
	if (rc != PCAP_ERROR_BREAK)
		g_error("libpcap stopped reading %s: %s", path, pcap_geterr(p));
	pcap_close(p);
	return frames;
}

static guint16 be16(const guint8 *p)
{
	return (guint16)(p[0] << 8 | p[1]);
}

static guint16 ipv4_checksum(const guint8 *h, gsize len)
{
	guint32 sum = 0;
	for (gsize i = 0; i + 1 < len; i += 2)
		sum += be16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (guint16)~sum;
}

/* The IPv4 header of an untagged Ethernet frame, or NULL. */
static const guint8 *ipv4_of(GBytes *frame, gsize *header_len)
{
	gsize n;
	const guint8 *d = g_bytes_get_data(frame, &n);
	if (n < 14 + 20 || be16(d + 12) != 0x0800 || (d[14] >> 4) != 4)
		return NULL;
	*header_len = (gsize)(d[14] & 0x0f) * 4;
	return d + 14;
}

/* What the output must be, built the plain way: a first fragment is kept
 * aside; the last fragment of the same source, destination and ID becomes
 * the whole datagram (first fragment's Ethernet and IPv4 headers, total
 * length set, MF and offset cleared, checksum recomputed, both payloads),
 * with its own timestamp. Everything else is copied. *whole gets the
 * positions (0-based) of the datagrams built. Enough for a capture where
 * each datagram is two fragments in order, which is checked here. */
static GPtrArray *expected_output(GPtrArray *in, GArray *whole)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(frame_free);
	g_autoptr(GHashTable) firsts = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
	                                                      (GDestroyNotify)g_bytes_unref, NULL);
	for (guint i = 0; i < in->len; i++) {
		const Frame *f = g_ptr_array_index(in, i);
		gsize hl = 0;
		const guint8 *ip = ipv4_of(f->data, &hl);
		guint16 frag = ip ? be16(ip + 6) : 0;
		gboolean mf = (frag & 0x2000) != 0;
		guint offset = (guint)(frag & 0x1fff) * 8;
		Frame *copy = g_new0(Frame, 1);
		*copy = (Frame){ f->ts_ns, f->orig_len, g_bytes_ref(f->data) };
		if (ip == NULL || (!mf && offset == 0)) {
			g_ptr_array_add(out, copy);
			continue;
		}
		frame_free(copy);
		guint8 key[10];
		memcpy(key, ip + 12, 8);
		memcpy(key + 8, ip + 4, 2);
		g_autoptr(GBytes) k = g_bytes_new(key, sizeof key);
		if (mf && offset == 0) {
			g_hash_table_insert(firsts, g_bytes_ref(k), (gpointer)f);
			continue;
		}
		const Frame *first = g_hash_table_lookup(firsts, k);
		g_assert_nonnull(first);
		g_assert_false(mf);
		gsize fhl;
		const guint8 *fip = ipv4_of(first->data, &fhl);
		guint first_payload = be16(fip + 2) - (guint)fhl;
		g_assert_cmpuint(first_payload, ==, offset);
		guint last_payload = be16(ip + 2) - (guint)hl;
		GByteArray *b = g_byte_array_new();
		g_byte_array_append(b, g_bytes_get_data(first->data, NULL), 14 + (guint)fhl);
		g_byte_array_append(b, fip + fhl, first_payload);
		g_byte_array_append(b, ip + hl, last_payload);
		guint8 *h = b->data + 14;
		guint total = (guint)fhl + first_payload + last_payload;
		h[2] = (guint8)(total >> 8);
		h[3] = (guint8)total;
		h[6] &= 0xc0;
		h[7] = 0;
		h[10] = h[11] = 0;
		guint16 sum = ipv4_checksum(h, fhl);
		h[10] = (guint8)(sum >> 8);
		h[11] = (guint8)sum;
		Frame *w = g_new0(Frame, 1);
		w->ts_ns = f->ts_ns;
		w->orig_len = b->len;
		w->data = g_byte_array_free_to_bytes(b);
		guint at = out->len;
		g_array_append_val(whole, at);
		g_ptr_array_add(out, w);
		g_hash_table_remove(firsts, k);
	}
	g_assert_cmpuint(g_hash_table_size(firsts), ==, 0);
	return out;
}

static void assert_same_frames(GPtrArray *got, GPtrArray *want)
{
	g_assert_cmpuint(got->len, ==, want->len);
	for (guint i = 0; i < got->len; i++) {
		const Frame *g = g_ptr_array_index(got, i), *w = g_ptr_array_index(want, i);
		if (g->ts_ns != w->ts_ns || g->orig_len != w->orig_len || !g_bytes_equal(g->data, w->data))
			g_error("output frame %u differs from what was expected", i + 1);
	}
}

/* Every IPv4 header in the output is whole: no fragment, a length that the
 * frame holds, a valid checksum. */
static void assert_frames_valid(GPtrArray *frames)
{
	for (guint i = 0; i < frames->len; i++) {
		const Frame *f = g_ptr_array_index(frames, i);
		gsize n = g_bytes_get_size(f->data);
		g_assert_cmpuint(n, ==, f->orig_len);
		gsize hl;
		const guint8 *ip = ipv4_of(f->data, &hl);
		if (ip == NULL)
			continue;
		g_assert_cmpuint(be16(ip + 6) & 0x3fff, ==, 0);
		g_assert_cmpuint(14 + be16(ip + 2), <=, n);
		g_assert_cmpuint(ipv4_checksum(ip, hl), ==, 0);
	}
}

/* ---- running the executor --------------------------------------------------- */

static char *data_path(const char *capture)
{
	return g_build_filename(g_getenv("EXPERT_TEST_DATA"), capture, NULL);
}

/* expert-exec run --json --profile coalesce --output-dir TMP [--filter F]
 * [--config S]... CAPTURE EXPERT; the report of its one job. */
static ExpertReport *run_expert(const char *expert, const char *capture, const char *filter,
                                const char *const *settings)
{
	g_autofree char *path = data_path(capture);
	const ExpertReportOptions options = {
		.profile = "coalesce", .settings = settings, .filter = filter, .output_dir = TRUE,
	};
	ExpertReport *r = expert_report_run_with(expert, path, &options);
	g_test_message("%s on %s: %s (%s)", expert, capture, expert_report_outcome(r),
	               json_object_get_string_member_with_default(r->job, "detail", "no detail"));
	return r;
}

static ExpertReport *run_coalesce(const char *capture, const char *filter,
                                  const char *const *settings)
{
	return run_expert(g_getenv("EXPERT_COALESCE"), capture, filter, settings);
}

static gboolean have_environment(void)
{
	if (g_getenv("EXPERT_EXEC") && g_getenv("EXPERT_COALESCE") && g_getenv("EXPERT_TEST_DATA"))
		return TRUE;
	g_test_skip("EXPERT_EXEC, EXPERT_COALESCE and EXPERT_TEST_DATA must be set");
	return FALSE;
}

/* A detail of the event with this text, as a number. */
static guint64 event_count(const ExpertReport *r, const char *text, const char *detail)
{
	for (guint i = 0; i < expert_report_n_events(r); i++)
		if (strcmp(expert_report_event_text(r, i), text) == 0)
			return expert_report_detail_u64(expert_report_event_details(r, i), detail);
	g_error("no event \"%s\" in the report", text);
}

/* The one output of the job, checked complete; its path. */
static const char *complete_output(const ExpertReport *r, const char *name, guint64 frames)
{
	JsonArray *outputs = json_object_get_array_member(r->job, "outputs");
	g_assert_cmpuint(json_array_get_length(outputs), ==, 1);
	JsonObject *o = json_array_get_object_element(outputs, 0);
	g_assert_cmpstr(json_object_get_string_member(o, "name"), ==, name);
	g_assert_true(json_object_get_boolean_member(o, "complete"));
	g_assert_cmpint(json_object_get_int_member(o, "frames"), ==, (gint64)frames);
	/* In the job's own folder, named after the expert's file. */
	const char *path = json_object_get_string_member(o, "path");
	g_autofree char *folder = g_path_get_dirname(path);
	g_autofree char *folder_name = g_path_get_basename(folder);
	g_assert_cmpstr(folder_name, ==, "protocol-coalesce");
	return path;
}

/* Lines of tshark's -T fields output, without the empty last one. */
static char **lines(const char *text)
{
	char **v = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(v);
	if (n > 0 && v[n - 1][0] == '\0') {
		g_free(v[n - 1]);
		v[n - 1] = NULL;
	}
	return v;
}

/* ---- tests ------------------------------------------------------------------ */

static const char *const out_pcap[] = { "protocol-coalesce:output=out.pcap", NULL };

/* The four fragment pairs become four frames; everything else is as it was. */
static void test_fragments_become_whole_frames(void)
{
	if (!have_environment())
		return;
	g_autoptr(ExpertReport) r = run_coalesce("dns-edns-ecs.pcap", NULL, out_pcap);
	expert_report_assert_completed(r);
	g_assert_cmpuint(event_count(r, "datagrams reassembled", "count"), ==, 4);
	g_assert_cmpuint(event_count(r, "datagrams reassembled", "fragments"), ==, 8);
	g_assert_cmpuint(event_count(r, "fragments consumed", "count"), ==, 8);
	g_assert_cmpuint(event_count(r, "frames written", "count"), ==, 89 - 4);
	g_assert_cmpuint(event_count(r, "incomplete datagrams", "count"), ==, 0);
	const char *path = complete_output(r, "out.pcap", 89 - 4);

	g_autofree char *in_path = data_path("dns-edns-ecs.pcap");
	int in_link, out_link;
	g_autoptr(GPtrArray) in = read_capture(in_path, &in_link);
	g_autoptr(GPtrArray) out = read_capture(path, &out_link);
	g_assert_cmpuint(in->len, ==, 89);
	g_assert_cmpint(out_link, ==, in_link);
	g_assert_cmpuint(out->len, ==, 89 - 4);
	assert_frames_valid(out);
	g_autoptr(GArray) whole = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GPtrArray) want = expected_output(in, whole);
	g_assert_cmpuint(whole->len, ==, 4);
	assert_same_frames(out, want);
}

/* tshark's view of the output: no fragments and no "data" left under ip; the
 * reassembled frames are the DNS responses tshark itself reassembled from
 * the original (same IDs), with MF clear. */
static void test_tshark_sees_whole_dns_responses(void)
{
	if (!have_environment() || !tshark_available())
		return;
	g_autoptr(ExpertReport) r = run_coalesce("dns-edns-ecs.pcap", NULL, out_pcap);
	expert_report_assert_completed(r);
	const char *path = complete_output(r, "out.pcap", 89 - 4);
	g_autofree char *in_path = data_path("dns-edns-ecs.pcap");

	g_autofree char *phs = tshark_output((const char *[]){ "-r", path, "-q", "-z", "io,phs", NULL });
	g_test_message("tshark io,phs of the output:\n%s", phs);
	g_auto(GStrv) rows = lines(phs);
	gboolean in_ip = FALSE;
	for (guint i = 0; rows[i]; i++) {
		g_autofree char *proto = g_strdup(rows[i]);
		g_strstrip(proto);
		char *space = strchr(proto, ' ');
		if (space)
			*space = '\0';
		guint indent = (guint)strspn(rows[i], " ");
		if (strcmp(proto, "ip") == 0)
			in_ip = TRUE;
		else if (indent <= 2)
			in_ip = FALSE;
		if (in_ip && strcmp(proto, "data") == 0)
			g_error("tshark still sees undissected data under ip: %s", rows[i]);
	}
	g_autofree char *fragments = tshark_output((const char *[]){
		"-r", path, "-Y", "ip.flags.mf == 1 || ip.frag_offset > 0", NULL });
	g_assert_cmpstr(fragments, ==, "");

	/* The DNS responses tshark reassembles from the original: their IDs. */
	g_autofree char *orig = tshark_output((const char *[]){
		"-r", in_path, "-Y", "ip.fragments", "-T", "fields", "-e", "dns.id", NULL });
	g_auto(GStrv) want_ids = lines(orig);
	g_assert_cmpuint(g_strv_length(want_ids), ==, 4);

	/* The output's frames at the positions of the whole datagrams. */
	g_autoptr(GPtrArray) in = read_capture(in_path, NULL);
	g_autoptr(GArray) whole = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GPtrArray) want = expected_output(in, whole);
	g_autoptr(GString) filter = g_string_new("frame.number in {");
	for (guint i = 0; i < whole->len; i++)
		g_string_append_printf(filter, "%s %u", i ? "," : "", g_array_index(whole, guint, i) + 1);
	g_string_append(filter, " }");
	g_autofree char *got = tshark_output((const char *[]){
		"-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-Y", filter->str, "-T", "fields", "-E", "separator=;",
		"-e", "_ws.col.Protocol", "-e", "ip.flags.mf", "-e", "ip.checksum.status",
		"-e", "udp.checksum.status", "-e", "dns.id", "-e", "_ws.malformed", NULL });
	g_test_message("tshark on the reassembled frames:\n%s", got);
	g_auto(GStrv) got_rows = lines(got);
	g_assert_cmpuint(g_strv_length(got_rows), ==, 4);
	for (guint i = 0; i < 4; i++) {
		/* DNS, MF clear, both checksums good (1), the ID tshark found,
		 * nothing malformed. */
		g_autofree char *expect = g_strdup_printf("DNS;0;1;1;%s;", want_ids[i]);
		g_assert_cmpstr(got_rows[i], ==, expect);
	}
}

/* Nothing to reassemble: the same frames, the same bytes, the same times. */
static void test_capture_without_fragments_is_unchanged(void)
{
	if (!have_environment())
		return;
	g_autoptr(ExpertReport) r = run_coalesce("wikipedia.pcap", NULL, out_pcap);
	expert_report_assert_completed(r);
	g_assert_cmpuint(event_count(r, "datagrams reassembled", "count"), ==, 0);
	const char *path = complete_output(r, "out.pcap", 136);
	g_autofree char *in_path = data_path("wikipedia.pcap");
	g_autoptr(GPtrArray) in = read_capture(in_path, NULL);
	g_autoptr(GPtrArray) out = read_capture(path, NULL);
	g_assert_cmpuint(in->len, ==, 136);
	assert_same_frames(out, in);
}

/* format=pcapng writes the same frames in the other format. */
static void test_pcapng_output_has_the_same_frames(void)
{
	if (!have_environment())
		return;
	const char *const settings[] = { "protocol-coalesce:output=out.pcapng",
	                                 "protocol-coalesce:format=pcapng", NULL };
	g_autoptr(ExpertReport) r = run_coalesce("dns-edns-ecs.pcap", NULL, settings);
	expert_report_assert_completed(r);
	const char *path = complete_output(r, "out.pcapng", 89 - 4);
	g_autoptr(GPtrArray) out = read_capture(path, NULL);
	g_autofree char *in_path = data_path("dns-edns-ecs.pcap");
	g_autoptr(GPtrArray) in = read_capture(in_path, NULL);
	g_autoptr(GArray) whole = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GPtrArray) want = expected_output(in, whole);
	assert_same_frames(out, want);
}

/* With the last fragments filtered out of the run, the first fragments never
 * complete: kept, they come at the end as they were; dropped, they are gone. */
static void test_incomplete_datagrams_kept_or_dropped(void)
{
	if (!have_environment())
		return;
	const char *filter = "not (ip and ip[6:2] & 0x1fff != 0)";
	g_autofree char *in_path = data_path("dns-edns-ecs.pcap");
	g_autoptr(GPtrArray) in = read_capture(in_path, NULL);
	const guint first_fragments[] = { 53, 58, 62, 84 }; /* 1-based */

	g_autoptr(ExpertReport) kept = run_coalesce("dns-edns-ecs.pcap", filter, out_pcap);
	expert_report_assert_completed(kept);
	g_assert_cmpuint(event_count(kept, "incomplete datagrams", "count"), ==, 4);
	g_assert_cmpuint(event_count(kept, "incomplete datagrams", "fragments"), ==, 4);
	/* 85 frames pass the filter. The 4 first fragments, written again at
	 * the end, are fetched again by number: look-ups, not frames read
	 * (expert.h), so the job read 85, as the expert's own count says. */
	g_assert_cmpint(expert_report_job_int(kept, "frames_read"), ==, 85);
	g_assert_cmpuint(event_count(kept, "frames written", "frames_read"), ==, 85);
	g_autoptr(GPtrArray) out = read_capture(complete_output(kept, "out.pcap", 85), NULL);
	/* The frames that passed the filter, fragments moved to the end. */
	g_autoptr(GPtrArray) want = g_ptr_array_new();
	for (guint i = 0; i < in->len; i++) {
		guint n = i + 1;
		gboolean first = FALSE, last = n == 54 || n == 59 || n == 63 || n == 85;
		for (guint k = 0; k < G_N_ELEMENTS(first_fragments); k++)
			first = first || n == first_fragments[k];
		if (!first && !last)
			g_ptr_array_add(want, g_ptr_array_index(in, i));
	}
	for (guint k = 0; k < G_N_ELEMENTS(first_fragments); k++)
		g_ptr_array_add(want, g_ptr_array_index(in, first_fragments[k] - 1));
	assert_same_frames(out, want);

	const char *const drop[] = { "protocol-coalesce:output=out.pcap",
	                             "protocol-coalesce:incomplete=drop", NULL };
	g_autoptr(ExpertReport) dropped = run_coalesce("dns-edns-ecs.pcap", filter, drop);
	expert_report_assert_completed(dropped);
	g_autoptr(GPtrArray) out2 = read_capture(complete_output(dropped, "out.pcap", 81), NULL);
	g_ptr_array_set_size(want, want->len - 4);
	assert_same_frames(out2, want);
}

/* A setting the expert does not accept stops it before run: no output. */
static void test_bad_settings_are_refused(void)
{
	if (!have_environment())
		return;
	const char *const bad[] = {
		"protocol-coalesce:incomplete=maybe", "protocol-coalesce:format=xml",
		"protocol-coalesce:max_datagrams=0", "protocol-coalesce:max_datagrams=12x",
		"protocol-coalesce:max_bytes=1K", "protocol-coalesce:output=../out.pcap",
		"protocol-coalesce:output=.hidden",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		const char *const settings[] = { bad[i], NULL };
		g_autoptr(ExpertReport) r = run_coalesce("dns-edns-ecs.pcap", NULL, settings);
		expert_report_assert_refused_setting(r, bad[i]);
		g_assert_cmpuint(json_array_get_length(json_object_get_array_member(r->job, "outputs")),
		                 ==, 0);
	}
}

/* An expert killed half-way through writing: the executor removes the
 * partial file and says so. */
static void test_partial_output_of_a_crash_is_removed(void)
{
	if (!have_environment())
		return;
	const char *expert = g_getenv("EXPERT_DIES_WRITING");
	if (expert == NULL) {
		g_test_skip("EXPERT_DIES_WRITING must name tests/experts/dies-writing-output.so");
		return;
	}
	g_autoptr(ExpertReport) r = run_expert(expert, "dns-edns-ecs.pcap", NULL, NULL);
	g_assert_cmpstr(expert_report_outcome(r), ==, "crashed");
	g_assert_cmpint(r->exit_status, ==, 1);
	JsonArray *outputs = json_object_get_array_member(r->job, "outputs");
	g_assert_cmpuint(json_array_get_length(outputs), ==, 1);
	JsonObject *o = json_array_get_object_element(outputs, 0);
	g_assert_cmpstr(json_object_get_string_member(o, "name"), ==, "partial.pcap");
	g_assert_false(json_object_get_boolean_member(o, "complete"));
	g_assert_true(g_str_has_prefix(json_object_get_string_member(o, "state"), "removed"));
	/* It had reached the disk before the crash, and is gone now. */
	g_assert_cmpint(json_object_get_int_member(o, "bytes"), >, 64 * 1024);
	g_assert_false(g_file_test(json_object_get_string_member(o, "path"), G_FILE_TEST_EXISTS));
	g_autoptr(GDir) d = g_dir_open(r->output_dir, 0, NULL);
	g_assert_null(g_dir_read_name(d));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/protocol-coalesce/fragments-become-whole-frames",
	                test_fragments_become_whole_frames);
	g_test_add_func("/protocol-coalesce/tshark-sees-whole-dns-responses",
	                test_tshark_sees_whole_dns_responses);
	g_test_add_func("/protocol-coalesce/capture-without-fragments-is-unchanged",
	                test_capture_without_fragments_is_unchanged);
	g_test_add_func("/protocol-coalesce/pcapng-output-has-the-same-frames",
	                test_pcapng_output_has_the_same_frames);
	g_test_add_func("/protocol-coalesce/incomplete-datagrams-kept-or-dropped",
	                test_incomplete_datagrams_kept_or_dropped);
	g_test_add_func("/protocol-coalesce/bad-settings-are-refused", test_bad_settings_are_refused);
	g_test_add_func("/protocol-coalesce/partial-output-of-a-crash-is-removed",
	                test_partial_output_of_a_crash_is_removed);
	return g_test_run();
}
