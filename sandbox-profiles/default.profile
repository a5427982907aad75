# default.profile — what an ordinary expert may do: compute over frames, use
# libc's allocator and clocks, write to stdout/stderr and the channel.
# Everything else is reported (notify) so a profile author sees what an expert
# tried; the classic escapes are killed outright. See docs/profiles.md.

[profile]
description = Ordinary experts: libc allocator, clocks, stdio and the channel; escapes killed
# Anything no rule names: the executor reports the syscall and its arguments
# as a sandbox violation and kills the child.
default-action = notify
# stdio asks newfstatat about the stream it writes to (fstat through the
# path ""), and a filter cannot tell that call from one naming any path of
# the host: allowed, and so acknowledged as a way to learn which host files
# exist and how large they are (profile check's dangerous list).
acknowledge = newfstatat

[limits]
# The child's pool region: the quota of the expert memory API.
memory = 64M
# A runaway loop ends here (RLIMIT_CPU and the executor's timer).
cpu-time = 10s
# Also bounds sleeping and blocking, which cost no CPU time.
wall-time = 30s
# RLIMIT_NOFILE: stdin/stdout/stderr, the channel, and a few granted files.
descriptors = 16
# Events one run may submit: a flood is a protocol violation, not a report.
events = 10000

[syscalls]
# exit, signal return, clocks, abort()'s tgkill: needed by every child.
@expert-runtime = allow

# libc's malloc: the heap (brk) and large blocks (mmap/munmap/mremap),
# returning memory (madvise) ...
brk = allow
munmap = allow
mremap = allow
# ... except MADV_REMOVE, which punches holes in a shared mapping: on the
# pool region it would hide pages from the kernel's usage figure.
madvise = allow if arg2 != MADV_REMOVE
# No executable mappings: code can only come from the loader, which the
# executor supervises; an expert cannot write and then run new code. And
# private ones only: shared anonymous and grows-down memory fall outside
# RLIMIT_DATA, which bounds libc's heap (the address-space limit would catch
# them only at twice the quota).
mmap = allow if arg2 & PROT_EXEC == 0 && arg3 & MAP_SHARED|MAP_GROWSDOWN == 0
mprotect = allow if arg2 & PROT_EXEC == 0

# libc's locks and one-time initialisation.
futex = allow
# malloc's heap hardening and hash-table seeds.
getrandom = allow
# An expert may pace itself; the wall-time limit bounds it.
nanosleep = allow
clock_nanosleep = allow
# stdout and stderr (/dev/null in the child) and fd 3, the channel.
write = allow if arg0 == 1 || arg0 == 2 || arg0 == 3
# stdio checks the stream it writes to.
newfstatat = allow
fstat = allow
# libc installs handlers (e.g. abort() resets SIGABRT's).
rt_sigaction = allow

# Escapes and kernel attack surface: no expert has a reason to try them, so
# trying is an attack and ends the child at once.
# Running another program would leave the expert's code behind.
execve = kill
execveat = kill
# Reading or writing another process's memory.
ptrace = kill
process_vm_readv = kill
process_vm_writev = kill
# Loading code into the kernel.
bpf = kill
# io_uring performs I/O that the seccomp filter never sees.
io_uring_setup = kill
io_uring_enter = kill
io_uring_register = kill
# Page-fault handling from user space: the raw material of kernel exploits.
userfaultfd = kill
# Performance counters leak timing and kernel addresses.
perf_event_open = kill
# Replacing the running kernel.
kexec_load = kill
kexec_file_load = kill
# The kernel key-ring is shared beyond the child.
keyctl = kill
add_key = kill
request_key = kill
# personality() can switch off address-space randomisation.
personality = kill
# Namespaces and mounts change what the child can see.
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

# clone3 passes its flags in memory the filter cannot read: refusing it makes
# libc fall back to clone, whose flags a filter can check.
clone3 = errno ENOSYS
# (Networking, like everything not named here, falls to the default action,
# notify: the report says which socket family was tried.)
