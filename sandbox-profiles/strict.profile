# strict.profile — frames, the memory API, status and events: nothing else.
# Stand-alone (it inherits nothing) so that it reads completely on its own.
# See docs/profiles.md.

[profile]
description = frames, memory API, status and events: nothing else
# Anything no rule names is reported as a sandbox violation and the child
# is killed.
default-action = notify

[limits]
# The same limits as default.profile.
# The pool region: the quota of the expert memory API.
memory = 64M
cpu-time = 10s
wall-time = 30s
descriptors = 16
events = 10000

[syscalls]
# exit, signal return, clocks, abort()'s tgkill: needed by every child.
@expert-runtime = allow

# The memory API is the only way to get memory: libc's malloc fails cleanly
# (NULL, ENOMEM) instead of the child being killed for trying.
brk = errno ENOMEM
mmap = errno ENOMEM
# Giving memory back is harmless (libc may unmap what the loader mapped).
munmap = allow

# The same explicit kills as default.profile: trying any of these is an
# attack, not a mistake.
# Running another program.
execve = kill
execveat = kill
# Another process's memory.
ptrace = kill
process_vm_readv = kill
process_vm_writev = kill
# Code in the kernel.
bpf = kill
# I/O the filter never sees.
io_uring_setup = kill
io_uring_enter = kill
io_uring_register = kill
# User-space page-fault handling.
userfaultfd = kill
# Timing and address leaks.
perf_event_open = kill
# Replacing the kernel.
kexec_load = kill
kexec_file_load = kill
# The shared key-ring.
keyctl = kill
add_key = kill
request_key = kill
# Switching off randomisation.
personality = kill
# Namespaces and mounts.
mount = kill
unshare = kill
setns = kill
# Its own confinement is fixed before the expert runs: a new filter could
# only restrict further, but trying is no expert's business.
seccomp = kill
# prctl reaches no-new-privs, dumpability, the parent-death signal and the
# filter; refused with EPERM rather than killed, because libraries call it
# harmlessly (e.g. to name a thread) and should just see it fail.
prctl = errno EPERM
