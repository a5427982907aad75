/* bpf-vm.c — a classic BPF interpreter (see bpf-vm.h). Opcode values are those of
 * <linux/filter.h> and <pcap/bpf.h>, spelled out so the child's library
 * needs neither header. */
#include "bpf-vm.h"

enum {
	CLASS_LD = 0x00, CLASS_LDX = 0x01, CLASS_ST = 0x02, CLASS_STX = 0x03,
	CLASS_ALU = 0x04, CLASS_JMP = 0x05, CLASS_RET = 0x06, CLASS_MISC = 0x07,
	SIZE_W = 0x00, SIZE_H = 0x08, SIZE_B = 0x10,
	MODE_IMM = 0x00, MODE_ABS = 0x20, MODE_IND = 0x40, MODE_MEM = 0x60,
	MODE_LEN = 0x80, MODE_MSH = 0xa0,
	ALU_ADD = 0x00, ALU_SUB = 0x10, ALU_MUL = 0x20, ALU_DIV = 0x30, ALU_OR = 0x40,
	ALU_AND = 0x50, ALU_LSH = 0x60, ALU_RSH = 0x70, ALU_NEG = 0x80, ALU_MOD = 0x90,
	ALU_XOR = 0xa0,
	JMP_JA = 0x00, JMP_JEQ = 0x10, JMP_JGT = 0x20, JMP_JGE = 0x30, JMP_JSET = 0x40,
	SRC_K = 0x00, SRC_X = 0x08,
	RVAL_K = 0x00, RVAL_X = 0x08, RVAL_A = 0x10,
	MISC_TAX = 0x00, MISC_TXA = 0x80,
	MEMWORDS = 16,
	MAX_INSNS = 4096,
};

#define CLASS(c) ((c) & 0x07)
#define SIZE(c) ((c) & 0x18)
#define MODE(c) ((c) & 0xe0)
#define OP(c) ((c) & 0xf0)
#define SRC(c) ((c) & 0x08)

bool bpf_vm_validate(const BpfInsn *insns, size_t n)
{
	if (n == 0 || n > MAX_INSNS)
		return false;
	for (size_t i = 0; i < n; i++) {
		const BpfInsn *p = &insns[i];
		uint16_t c = p->code;
		switch (CLASS(c)) {
		case CLASS_LD:
		case CLASS_LDX:
			if (CLASS(c) == CLASS_LD) {
				if (SIZE(c) == 0x18)
					return false;
				if (MODE(c) != MODE_IMM && MODE(c) != MODE_ABS && MODE(c) != MODE_IND &&
				    MODE(c) != MODE_MEM && MODE(c) != MODE_LEN)
					return false;
			} else {
				bool ok = (c == (CLASS_LDX | MODE_IMM)) || (c == (CLASS_LDX | MODE_MEM)) ||
				          (c == (CLASS_LDX | MODE_LEN)) ||
				          (c == (CLASS_LDX | SIZE_B | MODE_MSH));
				if (!ok)
					return false;
			}
			if (MODE(c) == MODE_MEM && p->k >= MEMWORDS)
				return false;
			break;
		case CLASS_ST:
		case CLASS_STX:
			if (p->k >= MEMWORDS)
				return false;
			break;
		case CLASS_ALU:
			switch (OP(c)) {
			case ALU_ADD: case ALU_SUB: case ALU_MUL: case ALU_OR: case ALU_AND:
			case ALU_LSH: case ALU_RSH: case ALU_NEG: case ALU_XOR:
				break;
			case ALU_DIV: case ALU_MOD:
				if (SRC(c) == SRC_K && p->k == 0)
					return false;
				break;
			default:
				return false;
			}
			break;
		case CLASS_JMP: {
			size_t from = i + 1;
			switch (OP(c)) {
			case JMP_JA:
				if (p->k >= n - from)
					return false;
				break;
			case JMP_JEQ: case JMP_JGT: case JMP_JGE: case JMP_JSET:
				if (p->jt >= n - from || p->jf >= n - from)
					return false;
				break;
			default:
				return false;
			}
			break;
		}
		case CLASS_RET:
			break;
		case CLASS_MISC:
			if ((c & 0xf8) != MISC_TAX && (c & 0xf8) != MISC_TXA)
				return false;
			break;
		}
	}
	/* Jumps only go forward and stay inside, so ending in a return means
	 * every path does. */
	return CLASS(insns[n - 1].code) == CLASS_RET;
}

static bool load(const uint8_t *data, uint32_t len, uint32_t off, uint32_t size, uint32_t *out)
{
	if (off > len || size > len - off)
		return false;
	const uint8_t *p = data + off;
	*out = size == 4 ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
	     : size == 2 ? (uint32_t)p[0] << 8 | p[1] : p[0];
	return true;
}

uint32_t bpf_vm_run(const BpfInsn *insns, const uint8_t *data, uint32_t cap_len, uint32_t wire_len)
{
	uint32_t a = 0, x = 0, mem[MEMWORDS] = { 0 };
	for (const BpfInsn *p = insns;; p++) {
		uint16_t c = p->code;
		uint32_t size = SIZE(c) == SIZE_W ? 4 : SIZE(c) == SIZE_H ? 2 : 1;
		uint32_t v;
		switch (CLASS(c)) {
		case CLASS_LD:
			switch (MODE(c)) {
			case MODE_IMM: a = p->k; break;
			case MODE_LEN: a = wire_len; break;
			case MODE_MEM: a = mem[p->k]; break;
			case MODE_ABS:
				if (!load(data, cap_len, p->k, size, &a))
					return 0;
				break;
			case MODE_IND:
				if (p->k > UINT32_MAX - x || !load(data, cap_len, x + p->k, size, &a))
					return 0;
				break;
			}
			break;
		case CLASS_LDX:
			switch (MODE(c)) {
			case MODE_IMM: x = p->k; break;
			case MODE_LEN: x = wire_len; break;
			case MODE_MEM: x = mem[p->k]; break;
			case MODE_MSH:
				if (!load(data, cap_len, p->k, 1, &v))
					return 0;
				x = (v & 0xf) << 2;
				break;
			}
			break;
		case CLASS_ST: mem[p->k] = a; break;
		case CLASS_STX: mem[p->k] = x; break;
		case CLASS_ALU:
			v = SRC(c) == SRC_X ? x : p->k;
			switch (OP(c)) {
			case ALU_ADD: a += v; break;
			case ALU_SUB: a -= v; break;
			case ALU_MUL: a *= v; break;
			case ALU_DIV: if (v == 0) return 0; a /= v; break;
			case ALU_MOD: if (v == 0) return 0; a %= v; break;
			case ALU_OR: a |= v; break;
			case ALU_AND: a &= v; break;
			case ALU_XOR: a ^= v; break;
			case ALU_LSH: a = v < 32 ? a << v : 0; break;
			case ALU_RSH: a = v < 32 ? a >> v : 0; break;
			case ALU_NEG: a = (uint32_t)-a; break;
			}
			break;
		case CLASS_JMP:
			v = SRC(c) == SRC_X ? x : p->k;
			switch (OP(c)) {
			case JMP_JA: p += p->k; break;
			case JMP_JEQ: p += a == v ? p->jt : p->jf; break;
			case JMP_JGT: p += a > v ? p->jt : p->jf; break;
			case JMP_JGE: p += a >= v ? p->jt : p->jf; break;
			case JMP_JSET: p += (a & v) ? p->jt : p->jf; break;
			}
			break;
		case CLASS_RET:
			return (c & 0x18) == RVAL_A ? a : (c & 0x18) == RVAL_X ? x : p->k;
		case CLASS_MISC:
			if ((c & 0xf8) == MISC_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
}
