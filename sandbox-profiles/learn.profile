# learn.profile — where `expert-exec profile learn` starts: almost nothing
# is allowed, and everything no rule names is notified, which the learning run
# shows to the learner and lets through. The escapes stay kills, so a
# dangerous call ends the learning run instead of being learned.
# Stand-alone (it inherits nothing): default.profile allows too much to learn
# from, and strict.profile answers libc's malloc with ENOMEM, which would hide
# the calls to learn. See docs/profiles.md, "Learning a profile".

[profile]
description = Starting point for profile learn: refused calls are shown, escapes killed
# Anything no rule names reaches the executor: in a learning run it is
# recorded and let through; in an ordinary run it is a sandbox violation.
default-action = notify

[limits]
# Generous: every notified call costs a round trip through the executor, and
# what an expert needs is what is being found out.
memory = 256M
cpu-time = 60s
wall-time = 120s
# As default.profile: stdin/stdout/stderr, the channel, a few granted files.
descriptors = 16
events = 10000
# Experts that write output captures are learned too (each learning run has
# an output directory of its own, emptied after it); the learned profile
# says how many they made.
output-files = 16
output-bytes = 1G

[syscalls]
# exit, signal return, clocks, abort()'s tgkill: needed by every child, and
# allowed by strict.profile too, which learned profiles inherit.
@expert-runtime = allow

# The kill rules of default.profile: an expert has no reason to try these,
# so trying ends the learning run and nothing is learned.
# Running another program would leave the expert's code behind.
execve = kill
# The same, by descriptor.
execveat = kill
# Controlling another process.
ptrace = kill
# Reading another process's memory.
process_vm_readv = kill
# Writing another process's memory.
process_vm_writev = kill
# Loading code into the kernel.
bpf = kill
# io_uring performs I/O that the seccomp filter never sees: setting one up,
io_uring_setup = kill
# submitting to it,
io_uring_enter = kill
# and registering buffers or files with it.
io_uring_register = kill
# Page-fault handling from user space: the raw material of kernel exploits.
userfaultfd = kill
# Performance counters leak timing and kernel addresses.
perf_event_open = kill
# Replacing the running kernel, from memory
kexec_load = kill
# or from a file.
kexec_file_load = kill
# The kernel key-ring is shared beyond the child: using it,
keyctl = kill
# adding to it,
add_key = kill
# and asking for keys.
request_key = kill
# personality() can switch off address-space randomisation.
personality = kill
# Mounting changes what the child can see,
mount = kill
# and so do new namespaces
unshare = kill
# and joining another process's.
setns = kill
# Changing its own confinement (as in default.profile). prctl is refused
# with EPERM there, so it is not learned either: a learned profile inherits
# strict, which refuses it the same way.
seccomp = kill
prctl = errno EPERM
