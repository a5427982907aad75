/* capture-error.h — the errors of loading a capture (CAPTURE_ERROR), shared
 * by the readers (capture.c) and the memfd builder (capture-loader.c). */
#ifndef EXPERT_EXEC_CAPTURE_ERROR_H
#define EXPERT_EXEC_CAPTURE_ERROR_H

#include <glib.h>

#define CAPTURE_ERROR (capture_error_quark())
GQuark capture_error_quark(void);

typedef enum {
	CAPTURE_ERROR_OPEN,     /* libpcap cannot open it: missing, unreadable, not a capture */
	CAPTURE_ERROR_TOO_LARGE,/* more than the loader's limits */
	CAPTURE_ERROR_SYSTEM,   /* memfd, write, seal failed */
} CaptureErrorCode;

#endif /* EXPERT_EXEC_CAPTURE_ERROR_H */
