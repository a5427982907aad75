/* protocol-distribution.c — the Protocol Distribution expert.
 *
 * Counts frames and wire bytes under every node of a protocol hierarchy, as
 * `tshark -z io,phs` does (eth -> ip -> tcp -> http), and reports one event
 * per node, depth first, then a "total" event. Classification is dissect.c;
 * this file is the bookkeeping and the conversation with the host.
 *
 * Runs under the strict sandbox profile, which denies brk and mmap: all
 * memory comes from expert_alloc_memory/expert_realloc_memory, and nothing
 * here calls into stdio (numbers are formatted by format.h).
 */
#include "dissect.h"
#include "events.h"
#include "format.h"
#include "progress.h"

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

/* ---- text ----------------------------------------------------------- */

/* "eth/ip/tcp/http": longest is DISSECT_MAX_DEPTH short names, within an
 * event's text. */
#define PATH_TEXT_MAX EXPERT_TEXT_MAX

static void node_path(const Tree *t, uint32_t i, char *buf)
{
	uint8_t protos[DISSECT_MAX_DEPTH];
	unsigned n = 0;
	for (; i != 0 && n < DISSECT_MAX_DEPTH; i = t->nodes[i].parent)
		protos[n++] = t->nodes[i].proto;
	size_t len = 0;
	buf[0] = '\0';
	while (n > 0) {
		format_append(buf, PATH_TEXT_MAX, &len, dissect_proto_name(protos[--n]));
		if (n > 0)
			format_append(buf, PATH_TEXT_MAX, &len, "/");
	}
}

/* ---- reporting -------------------------------------------------------- */

static ExpertError report_node(const Tree *t, uint32_t i)
{
	const Node *node = &t->nodes[i];
	char path[PATH_TEXT_MAX];
	node_path(t, i, path);
	Event ev;
	event_init(&ev);
	event_add(&ev, "path", path);
	event_add(&ev, "protocol", dissect_proto_name(node->proto));
	event_add_u64(&ev, "depth", node->depth);
	event_add_u64(&ev, "frames", node->frames);
	event_add_u64(&ev, "bytes", node->bytes);
	return event_submit(&ev, t->key, EXPERT_SEVERITY_INFO, path);
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
	Event ev;
	event_init(&ev);
	event_add_u64(&ev, "frames", total_frames);
	event_add_u64(&ev, "bytes", total_bytes);
	return event_submit(&ev, key, EXPERT_SEVERITY_INFO, "total");
}

/* ---- run -------------------------------------------------------------- */

typedef struct {
	Tree tree;
	/* Small and fixed: on the stack, which the sandbox leaves alone. */
	DissectFragments fragments;
	uint64_t total_frames;
	uint64_t total_bytes;
} Run;

static ExpertError count_frame(void *ctx, const ExpertFrame *frame)
{
	Run *run = ctx;
	DissectPath path;
	dissect_frame(&run->fragments, frame->link_type, frame->data, frame->cap_len, &path);
	ExpertError err = tree_count(&run->tree, &path, frame->orig_len);
	if (err != EXPERT_OK)
		return err;
	run->total_frames++;
	run->total_bytes += frame->orig_len;
	return EXPERT_OK;
}

int expert_run(ExpertKey *key)
{
	Run run = { .total_frames = 0 };
	ExpertError err = tree_init(&run.tree, key);
	if (err != EXPERT_OK)
		return (int)err;
	dissect_fragments_init(&run.fragments);

	ExpertCaptureInfo info;
	err = expert_get_capture_info(key, &info);
	if (err == EXPERT_OK)
		err = progress_each_frame(key, info.frame_count, count_frame, &run);
	if (err == EXPERT_OK)
		err = expert_indicate_status(key, EXPERT_STATE_FINISHING, 100, "reporting");
	if (err == EXPERT_OK)
		err = report_tree(&run.tree);
	if (err == EXPERT_OK)
		err = report_total(key, run.total_frames, run.total_bytes);

	ExpertError free_err = tree_free(&run.tree);
	if (err == EXPERT_OK)
		err = free_err;
	/* Any failure, EXPERT_ERR_TERMINATE included, is the run's own result:
	 * the error code is what the user sees as the expert's return value. */
	return (int)err;
}
