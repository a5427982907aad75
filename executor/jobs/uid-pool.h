/* uid-pool.h — one unprivileged uid per running job.
 *
 * Jobs that share a uid can signal one another (the profiles allow tgkill,
 * which abort() needs) and, were anything else allowed, ptrace or read each
 * other's /proc. Giving every running child its own uid (and gid) makes the
 * kernel keep them apart. The uids come from a range no account uses; a uid
 * goes back to the pool only after its child has been reaped, and is
 * reserved machine-wide while held, so concurrent executors never share
 * one. */
#ifndef EXPERT_EXEC_UID_POOL_H
#define EXPERT_EXEC_UID_POOL_H

#include <glib.h>

/* 2^31 - 2^16: far above login and system accounts, systemd's dynamic range
 * (61184-65519) and the usual container sub-uid ranges (from 100000). */
#define UID_POOL_DEFAULT_BASE 2147418112u
#define UID_POOL_DEFAULT_COUNT 65536u

/* Where executors on one machine record which uids their jobs hold (one
 * locked file per uid). Root's: only root gives jobs uids of their own. */
#define UID_POOL_LOCK_DIR "/run/expert-exec-uids"

typedef struct UidPool UidPool;

UidPool *uid_pool_new(guint32 base, guint32 count);
/* A free uid, or FALSE when every one is in use. Round robin, so a uid is
 * reused as late as possible. */
gboolean uid_pool_take(UidPool *pool, guint32 *uid);
void uid_pool_give(UidPool *pool, guint32 uid);
guint uid_pool_in_use(const UidPool *pool);
void uid_pool_free(UidPool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UidPool, uid_pool_free)

#endif /* EXPERT_EXEC_UID_POOL_H */
