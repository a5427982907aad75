/* capture.h — loading a pcap or pcapng file once per run into a sealed,
 * read-only memfd laid out as in libexpert/capture-format.h, shared by every
 * job of the run, and followed in each child's mapping by the file itself
 * where its frames can stay there. libpcap opens it; the records of a pcap file are read
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
	gsize size;             /* of a child's mapping: the memfd's, and the file's after it */
	gsize memfd_size;       /* of the memfd alone */
	/* The pcap file the frames stay in, read-only, whose first file_bytes
	 * bytes a child maps after the memfd (capture-format.h); -1 where the
	 * frames were copied into the memfd. */
	int file_fd;
	guint64 file_bytes;
	guint64 frame_count;
	guint64 bytes_on_wire;  /* sum of orig_len */
	guint64 bytes_captured; /* sum of cap_len */
	guint32 link_type;      /* of the first frame (LINKTYPE_*) */
	gboolean partial;       /* loading stopped early ... */
	char *partial_reason;   /* ... for this reason ("truncated record after frame 41: ...") */
} Capture;

/* Where a loaded capture's frames are. */
typedef enum {
	/* In the file, mapped by the children, where pcap-records.c reads it
	 * (a pcap file libpcap would not rewrite) and it is a regular file
	 * that maps; else copied. */
	CAPTURE_FRAMES_IN_FILE_IF_ABLE = 0,
	/* Copied into the sealed memfd: nothing done to the file after the
	 * load (rewritten, truncated) reaches a job. */
	CAPTURE_FRAMES_COPIED,
} CaptureFrames;

/* Reads every frame of path. A truncated or malformed file yields what was
 * sound with partial set and partial_reason filled; only a file that cannot be
 * opened as a capture at all is an error. capture_load leaves the frames in
 * the file where it can; capture_load_as says. */
Capture *capture_load(const char *path, GError **error);
Capture *capture_load_as(const char *path, CaptureFrames frames, GError **error);
/* The file's current size is below what the capture maps of it: someone
 * truncated it after the load, and a child touching what is gone dies of
 * SIGBUS (*now: its size). FALSE for frames in the memfd. */
gboolean capture_file_shrank(const Capture *capture, guint64 *now);
/* Reads every frame of path exactly as capture_load does, with the same
 * readers and the same judgement of what is whole, but keeps none: no
 * memfd (fd is -1, size 0), no limits. The executor checks an expert's
 * output capture with it before giving the file its name (outputs/). */
Capture *capture_check(const char *path, GError **error);
/* The Capture of a loader every frame has been added to: the memfd
 * finished and sealed (and the file, if the frames stay there), its
 * figures; partial_reason (taken; NULL: whole) marks it partial. */
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
#define CAPTURE_MAX_TOTAL_SIZE (G_GUINT64_CONSTANT(64) << 30) /* of a child's mapping */

/* capture_load_as with lower limits: at most max_frames frames and a mapping of at
 * most max_total_size bytes, else CAPTURE_ERROR_TOO_LARGE (limits above the
 * ones above are lowered to them). capture_load is this with the limits
 * above; tests use small ones to reach the refusal. */
Capture *capture_load_with_limits(const char *path, CaptureFrames frames, guint64 max_frames,
                                  guint64 max_total_size, GError **error);

#endif /* EXPERT_EXEC_CAPTURE_H */
