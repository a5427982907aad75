/* real-frames.h — frames of the bundled captures for the frame parsers'
 * unit tests (experts/common/packet*.c, protocol-distribution/dissect.c):
 * a capture opened by name, one of its frames, and real frames mutated,
 * for parsers that must never read past what they were given.
 */
#ifndef REAL_FRAMES_H
#define REAL_FRAMES_H

#include <glib.h>
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

/* $EXPERT_TEST_DATA/file, opened with libpcap; fails the test if it cannot
 * be. */
pcap_t *real_frames_open(const char *file);

/* Frame number (1-based) of file, copied; its link type in *link_type. */
GBytes *real_frames_load(const char *file, guint number, uint32_t *link_type);

/* One mutated copy of a real frame: len bytes at data, of a capture of
 * this link type, in this round (0 to 15) for its frame. rand is the
 * generator the mutations came from, for a test that wants more. */
typedef void (*RealFramesMutantFunc)(gpointer ctx, GRand *rand, uint32_t link_type, guint round,
                                     const uint8_t *data, size_t len);

/* Every frame of ten bundled captures (between them every link type,
 * layer and tunnel the parsers know), 16 times each: one to four of its
 * first 96 bytes changed at random, then cut at a random length. The seed
 * fixes the whole sequence, so a failure repeats. */
void real_frames_mutate(guint32 seed, RealFramesMutantFunc f, gpointer ctx);

#endif /* REAL_FRAMES_H */
