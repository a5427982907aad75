/* oracle.h — tshark's figures for the shared captures (tests/data/oracle).
 *
 * Readers for the oracle files the protocol tests compare against:
 * summary.tsv (one row per capture), F.phs.txt (`tshark -z io,phs`), and the
 * tab-separated tables (endpoints, conversations, retransmissions).
 * Shared by the dissector's unit test and the expert's integration test so
 * both read tshark's output the same way.
 */
#ifndef ORACLE_H
#define ORACLE_H

#include <glib.h>

/* One row of summary.tsv; only the columns the tests use. */
typedef struct {
	char *file;          /* capture file name, relative to the data directory */
	char *format;        /* "pcap" or "pcapng" */
	char *link_type;     /* tshark's name: "ether", "linux-sll" */
	guint64 frames;
	guint64 bytes_on_wire;       /* sum of frame.len */
	guint64 ip_fragment_frames;
} OracleCapture;

/* One row of a protocol hierarchy, its path joined with '/' ("eth/ip/tcp"). */
typedef struct {
	char *path;
	guint depth; /* 0 for the link layer */
	guint64 frames;
	guint64 bytes;
} OraclePhsNode;

/* The data directory from $EXPERT_TEST_DATA, or NULL if unset. */
const char *oracle_data_dir(void);

/* Every row of DATA_DIR/oracle/summary.tsv, as OracleCapture (owned by the
 * array), in file order. Columns are found by their header names. */
GPtrArray *oracle_load_summary(const char *data_dir, GError **error);

/* One test per capture of summary.tsv: named prefix + its file name, given
 * its OracleCapture. Returns the captures, to keep until g_test_run()
 * returns; or NULL, having said why, when $EXPERT_TEST_DATA is not set:
 * main then returns 77 (skipped, in meson's and automake's terms). */
GPtrArray *oracle_add_capture_tests(const char *prefix, GTestDataFunc test);

/* The hierarchy in DATA_DIR/oracle/CAPTURE.phs.txt, as OraclePhsNode (owned
 * by the array), in file order (depth-first, as tshark prints it). */
GPtrArray *oracle_load_phs(const char *data_dir, const char *capture, GError **error);

/* The node with this path, or NULL. */
const OraclePhsNode *oracle_phs_find(GPtrArray *phs, const char *path);

/* Whether every '/'-separated component of path is in the NULL-terminated
 * list protocols. */
gboolean oracle_path_within(const char *path, const char *const *protocols);

/* The last component of a path ("tcp" for "eth/ip/tcp"). */
const char *oracle_path_leaf(const char *path);

/* A tab-separated oracle file (DATA_DIR/oracle/FILE: the *_exact.tsv tables,
 * CAPTURE.tcp_retransmissions.tsv): its header's column names and its rows,
 * each a GStrv with as many fields as the header. */
typedef struct {
	GStrv columns;
	GPtrArray *rows; /* of GStrv, in file order */
} OracleTsv;

OracleTsv *oracle_load_tsv(const char *data_dir, const char *file, GError **error);
void oracle_tsv_free(OracleTsv *tsv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OracleTsv, oracle_tsv_free)

/* The index of the column with this name; fails the test if there is none. */
guint oracle_tsv_column(const OracleTsv *tsv, const char *name);

/* Row row's field in column name, and the same as a number (failing the
 * test if it is not one). */
const char *oracle_tsv_field(const OracleTsv *tsv, guint row, const char *name);
guint64 oracle_tsv_u64(const OracleTsv *tsv, guint row, const char *name);

#endif /* ORACLE_H */
