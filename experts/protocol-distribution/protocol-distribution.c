/* protocol-distribution.c — the Protocol Distribution expert.
 *
 * Counts frames and wire bytes under every node of a protocol hierarchy, as
 * `tshark -z io,phs` does (eth -> ip -> tcp -> http), and reports one event
 * per node, depth first, then a "total" event. Classification is dissect.c;
 * this file is the bookkeeping and the conversation with the host.
 *
 * Runs under the strict sandbox profile, which denies brk and mmap: all
 * memory comes from expert_alloc_memory/expert_realloc_memory, and nothing
 * here calls into stdio (numbers are formatted by hand).
 */
#include "dissect.h"

#include <expert.h>
#include <string.h>

/* expert.h declares both entry points with default visibility, so they stay
 * exported while meson builds the rest of the module with hidden visibility. */
bool expert_register(ExpertInfo *info)
{
	static const char description[] =
		"Frames and bytes per protocol, as a hierarchy (eth/ip/tcp/http) in the "
		"manner of tshark's io,phs. Applications are named by well-known port.";
	_Static_assert(sizeof description <= EXPERT_DESCRIPTION_MAX, "description too long");
	strcpy(info->name, "Protocol Distribution");
	strcpy(info->vendor, "expert-exec");
	memcpy(info->description, description, sizeof description);
	info->version = EXPERT_VERSION(1, 0);
	info->flags = 0;
	return true;
}

/* ---- the hierarchy ---------------------------------------------------- */

/* Nodes live in one growing array and link by index, so growing it (which
 * may move it) invalidates nothing. Index 0 is the unnamed root above the
 * link layers; 0 as a link means "none". Children keep first-seen order,
 * which is the order tshark prints. */
typedef struct {
	uint64_t frames;
	uint64_t bytes;
	uint32_t parent;
	uint32_t first_child;
	uint32_t next_sibling;
	uint8_t proto;
	uint8_t depth; /* 0 for a link layer */
} Node;

typedef struct {
	ExpertKey *key;
	Node *nodes;
	uint32_t n_nodes;
	uint32_t capacity;
} Tree;

#define TREE_INITIAL_NODES 64u

static ExpertError tree_init(Tree *t, ExpertKey *key)
{
	*t = (Tree){ .key = key };
	void *block;
	ExpertError err = expert_alloc_memory(key, TREE_INITIAL_NODES * sizeof(Node), &block);
	if (err != EXPERT_OK)
		return err;
	t->nodes = block;
	t->capacity = TREE_INITIAL_NODES;
	t->nodes[0] = (Node){ 0 };
	t->n_nodes = 1;
	return EXPERT_OK;
}

static ExpertError tree_free(Tree *t)
{
	ExpertError err = expert_free_memory(t->key, t->nodes);
	t->nodes = NULL;
	return err;
}

static ExpertError tree_add_child(Tree *t, uint32_t parent, uint32_t last_child, uint8_t proto,
                                  uint32_t *out)
{
	if (t->n_nodes == t->capacity) {
		if (t->capacity > UINT32_MAX / 2)
			return EXPERT_ERR_OVERFLOW;
		uint32_t capacity = t->capacity * 2;
		void *block;
		/* size_t multiplication: the host refuses sizes it cannot give. */
		ExpertError err = expert_realloc_memory(t->key, t->nodes,
		                                        (size_t)capacity * sizeof(Node), &block);
		if (err != EXPERT_OK)
			return err;
		t->nodes = block;
		t->capacity = capacity;
	}
	uint32_t i = t->n_nodes++;
	t->nodes[i] = (Node){ .parent = parent, .proto = proto,
	                      .depth = parent == 0 ? 0 : (uint8_t)(t->nodes[parent].depth + 1) };
	if (last_child != 0)
		t->nodes[last_child].next_sibling = i;
	else
		t->nodes[parent].first_child = i;
	*out = i;
	return EXPERT_OK;
}

/* Counts one frame on every node of its path, creating nodes as needed. */
static ExpertError tree_count(Tree *t, const DissectPath *path, uint32_t orig_len)
{
	uint32_t at = 0;
	for (unsigned d = 0; d < path->depth; d++) {
		uint32_t child = t->nodes[at].first_child, last = 0;
		while (child != 0 && t->nodes[child].proto != path->proto[d]) {
			last = child;
			child = t->nodes[child].next_sibling;
		}
		if (child == 0) {
			ExpertError err = tree_add_child(t, at, last, path->proto[d], &child);
			if (err != EXPERT_OK)
				return err;
		}
		t->nodes[child].frames++;
		t->nodes[child].bytes += orig_len;
		at = child;
	}
	return EXPERT_OK;
}

/* ---- text without stdio ----------------------------------------------- */

#define U64_DIGITS 21 /* 18446744073709551615 and a NUL */

/* Writes v in decimal into buf and returns where the digits start. */
static const char *u64_to_dec(uint64_t v, char buf[U64_DIGITS])
{
	char *p = buf + U64_DIGITS - 1;
	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return p;
}

/* Appends s to buf (of size cap, NUL-terminated at *len), truncating. */
static void append(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (n > cap - 1 - *len)
		n = cap - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/* "eth/ip/tcp/http": longest is DISSECT_MAX_DEPTH short names. */
#define PATH_TEXT_MAX 256

static void node_path(const Tree *t, uint32_t i, char *buf)
{
	uint8_t protos[DISSECT_MAX_DEPTH];
	unsigned n = 0;
	for (; i != 0 && n < DISSECT_MAX_DEPTH; i = t->nodes[i].parent)
		protos[n++] = t->nodes[i].proto;
	size_t len = 0;
	buf[0] = '\0';
	while (n > 0) {
		append(buf, PATH_TEXT_MAX, &len, dissect_proto_name(protos[--n]));
		if (n > 0)
			append(buf, PATH_TEXT_MAX, &len, "/");
	}
}

/* ---- reporting -------------------------------------------------------- */

static ExpertError report_node(const Tree *t, uint32_t i)
{
	const Node *node = &t->nodes[i];
	char path[PATH_TEXT_MAX], depth[U64_DIGITS], frames[U64_DIGITS], bytes[U64_DIGITS];
	node_path(t, i, path);
	const ExpertEventDetail details[] = {
		{ "path", path },
		{ "protocol", dissect_proto_name(node->proto) },
		{ "depth", u64_to_dec(node->depth, depth) },
		{ "frames", u64_to_dec(node->frames, frames) },
		{ "bytes", u64_to_dec(node->bytes, bytes) },
	};
	return expert_submit_event(t->key, EXPERT_SEVERITY_INFO, path, details,
	                           sizeof details / sizeof details[0]);
}

/* Pre-order walk without recursion: down to the first child, else to the
 * next sibling of the nearest ancestor that has one. */
static ExpertError report_tree(const Tree *t)
{
	uint32_t i = t->nodes[0].first_child;
	while (i != 0) {
		ExpertError err = report_node(t, i);
		if (err != EXPERT_OK)
			return err;
		if (t->nodes[i].first_child != 0) {
			i = t->nodes[i].first_child;
			continue;
		}
		while (i != 0 && t->nodes[i].next_sibling == 0)
			i = t->nodes[i].parent;
		if (i != 0)
			i = t->nodes[i].next_sibling;
	}
	return EXPERT_OK;
}

static ExpertError report_total(ExpertKey *key, uint64_t total_frames, uint64_t total_bytes)
{
	char frames[U64_DIGITS], bytes[U64_DIGITS];
	const ExpertEventDetail details[] = {
		{ "frames", u64_to_dec(total_frames, frames) },
		{ "bytes", u64_to_dec(total_bytes, bytes) },
	};
	return expert_submit_event(key, EXPERT_SEVERITY_INFO, "total", details,
	                           sizeof details / sizeof details[0]);
}

/* "frame N of M" */
static ExpertError report_progress(ExpertKey *key, int percent, uint64_t n, uint64_t of)
{
	char text[64], digits[U64_DIGITS];
	size_t len = 0;
	text[0] = '\0';
	append(text, sizeof text, &len, "frame ");
	append(text, sizeof text, &len, u64_to_dec(n, digits));
	append(text, sizeof text, &len, " of ");
	append(text, sizeof text, &len, u64_to_dec(of, digits));
	return expert_indicate_status(key, EXPERT_STATE_RUNNING, percent, text);
}

/* ---- run -------------------------------------------------------------- */

static ExpertError count_frames(ExpertKey *key, Tree *tree, uint64_t *total_frames,
                                uint64_t *total_bytes)
{
	ExpertCaptureInfo info;
	ExpertError err = expert_get_capture_info(key, &info);
	if (err != EXPERT_OK)
		return err;
	err = report_progress(key, 0, 0, info.frame_count);
	if (err != EXPERT_OK)
		return err;

	/* Small and fixed: on the stack, which the sandbox leaves alone. */
	DissectFragments fragments;
	dissect_fragments_init(&fragments);
	int reported = 0;
	for (;;) {
		ExpertFrame frame;
		err = expert_get_next_frame(key, &frame);
		if (err == EXPERT_ERR_END_OF_CAPTURE)
			break;
		if (err != EXPERT_OK)
			return err;

		DissectPath path;
		dissect_frame(&fragments, frame.link_type, frame.data, frame.cap_len, &path);
		err = tree_count(tree, &path, frame.orig_len);
		if (err != EXPERT_OK)
			return err;
		(*total_frames)++;
		*total_bytes += frame.orig_len;

		/* About every 1%, not every frame: each status is a message. */
		if (info.frame_count > 0) {
			uint64_t n = *total_frames;
			int percent = n >= info.frame_count ? 100 : (int)(n * 100 / info.frame_count);
			if (percent > reported) {
				reported = percent;
				err = report_progress(key, percent, n, info.frame_count);
				if (err != EXPERT_OK)
					return err;
			}
		}
	}
	return EXPERT_OK;
}

int expert_run(ExpertKey *key)
{
	Tree tree;
	ExpertError err = tree_init(&tree, key);
	if (err != EXPERT_OK)
		return (int)err;

	uint64_t total_frames = 0, total_bytes = 0;
	err = count_frames(key, &tree, &total_frames, &total_bytes);
	if (err == EXPERT_OK)
		err = expert_indicate_status(key, EXPERT_STATE_FINISHING, 100, "reporting");
	if (err == EXPERT_OK)
		err = report_tree(&tree);
	if (err == EXPERT_OK)
		err = report_total(key, total_frames, total_bytes);

	ExpertError free_err = tree_free(&tree);
	if (err == EXPERT_OK)
		err = free_err;
	/* Any failure, EXPERT_ERR_TERMINATE included, is the run's own result:
	 * the error code is what the user sees as the expert's return value. */
	return (int)err;
}
