/* cmd-version.h — `expert-exec --version`: the version, then what the
 * kernel offers (kernel-features.h), one line per feature. */
#ifndef EXPERT_EXEC_CMD_VERSION_H
#define EXPERT_EXEC_CMD_VERSION_H

int cmd_version(void);

#endif /* EXPERT_EXEC_CMD_VERSION_H */
