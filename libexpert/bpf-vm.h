/* bpf-vm.h — running a frame filter in the child, without syscalls.
 *
 * The executor compiles a libpcap filter expression once (pcap_compile) and
 * sends the classic BPF program; this interpreter runs it over a frame in
 * place, with libpcap's bpf_filter() semantics: a load past the captured
 * bytes rejects the frame. Programs are validated once (bpf_vm_validate), so
 * running one never reads outside the frame or the scratch memory. */
#ifndef EXPERT_BPF_VM_H
#define EXPERT_BPF_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
} BpfInsn; /* the layout of struct bpf_insn */

/* True if the program is safe to run: non-empty, at most 4096
 * instructions, known opcodes, forward jumps inside it, scratch indexes in
 * range, no division by a constant zero, and every path ends in a return. */
bool bpf_vm_validate(const BpfInsn *insns, size_t n);

/* The filter's verdict for a frame: 0 rejects, anything else accepts (the
 * snapshot length the program asks for). The program must have passed
 * bpf_vm_validate. */
uint32_t bpf_vm_run(const BpfInsn *insns, const uint8_t *data, uint32_t cap_len, uint32_t wire_len);

#endif /* EXPERT_BPF_VM_H */
