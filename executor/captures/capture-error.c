/* capture-error.c — see capture-error.h. */
#include "captures/capture-error.h"

G_DEFINE_QUARK(capture-error-quark, capture_error)
