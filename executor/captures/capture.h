/* capture.h — loading a pcap or pcapng file once per run into a sealed,
 * read-only memfd laid out as in libexpert/capture-format.h, shared by every
 * job of the run. libpcap opens it; the records of a pcap file are read
 * straight from the file (pcap-records.c), those of a pcapng with libpcap,
 * or, for interfaces libpcap refuses (differing link types or snaplens),
 * with pcapng.c. */
#ifndef EXPERT_EXEC_CAPTURE_H
#define EXPERT_EXEC_CAPTURE_H

#include "captures/capture-error.h"
#include "captures/capture-loader.h"

#include <glib.h>
#include <stdint.h>

/* Which reader loaded a capture's frames (Capture.reader). */
#define CAPTURE_READER_DIRECT  "pcap records" /* pcap-records.c */
#define CAPTURE_READER_LIBPCAP "libpcap"      /* pcap_next_ex */
#define CAPTURE_READER_PCAPNG  "pcapng.c"     /* libpcap refused its interfaces */
#define CAPTURE_READER_NONE    "none"         /* capture_new_empty */

typedef struct {
	char *path;
	char *format;           /* "pcap" or "pcapng" */
	const char *reader;     /* CAPTURE_READER_*: which reader it took */
	int fd;                 /* the sealed memfd (F_SEAL_WRITE|SHRINK|GROW|SEAL); -1 from capture_check */
	gsize size;             /* of the memfd */
	guint64 frame_count;
	guint64 bytes_on_wire;  /* sum of orig_len */
	guint64 bytes_captured; /* sum of cap_len */
	guint32 link_type;      /* of the first frame (LINKTYPE_*) */
	gboolean partial;       /* loading stopped early ... */
	char *partial_reason;   /* ... for this reason ("truncated record after frame 41: ...") */
} Capture;

/* Reads every frame of path. A truncated or malformed file yields what was
 * sound with partial set and partial_reason filled; only a file that cannot be
 * opened as a capture at all is an error. */
Capture *capture_load(const char *path, GError **error);
/* Reads every frame of path exactly as capture_load does, with the same
 * readers and the same judgement of what is whole, but keeps none: no
 * memfd (fd is -1, size 0), no limits. The executor checks an expert's
 * output capture with it before giving the file its name (outputs/). */
Capture *capture_check(const char *path, GError **error);
/* The Capture of a loader every frame has been added to: the memfd
 * finished and sealed, its figures; partial_reason (taken; NULL: whole)
 * marks it partial. */
Capture *capture_from_loader(CaptureLoader *l, const char *path, const char *format,
                             const char *reader, char *partial_reason, GError **error);
/* A capture of no frames, for jobs that never read any (`expert-exec list`). */
Capture *capture_new_empty(GError **error);
void capture_free(Capture *capture);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Capture, capture_free)

/* The loader's limits. The layout could describe more, but a capture that
 * needs more memory than this once loaded is better split (editcap -c) than
 * held in one shared mapping by every job of the run. */
#define CAPTURE_MAX_FRAMES     G_MAXUINT32
#define CAPTURE_MAX_TOTAL_SIZE (G_GUINT64_CONSTANT(64) << 30) /* of the memfd */

/* capture_load with lower limits: at most max_frames frames and a memfd of at
 * most max_total_size bytes, else CAPTURE_ERROR_TOO_LARGE (limits above the
 * ones above are lowered to them). capture_load is this with the limits
 * above; tests use small ones to reach the refusal. */
Capture *capture_load_with_limits(const char *path, guint64 max_frames,
                                  guint64 max_total_size, GError **error);

#endif /* EXPERT_EXEC_CAPTURE_H */
