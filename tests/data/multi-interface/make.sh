#!/bin/sh
# Rebuilds the pcapng captures in this directory, whose interfaces differ in
# link type or snaplen (libpcap 1.10 refuses those; executor/captures/pcapng.c reads
# them), and tshark's figures for the sound ones. README.md says what each is.
#
# merged.pcapng comes from mergecap (wireshark-common, installed with tshark);
# the others are written byte by byte here with printf. Deterministic, except
# that mergecap writes its own version and the host's kernel (uname) into the
# SHB of merged.pcapng: the packet blocks and the oracle never change. Needs
# POSIX sh with 64-bit arithmetic (dash, bash), printf, wc, awk, mergecap and
# tshark.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- bytes, in the byte order of the section being written --------------

BE=0 # 1: big-endian

byte() { printf "\\$(printf '%03o' $(($1 & 255)))"; }
u16() {
	if [ $BE = 1 ]; then byte $(($1 >> 8)); byte "$1"; else byte "$1"; byte $(($1 >> 8)); fi
}
u32() {
	if [ $BE = 1 ]; then u16 $(($1 >> 16)); u16 "$1"; else u16 "$1"; u16 $(($1 >> 16)); fi
}
u64() {
	if [ $BE = 1 ]; then u32 $(($1 >> 32)); u32 "$1"; else u32 "$1"; u32 $(($1 >> 32)); fi
}
pad() { # pad N: zeros from N bytes up to a multiple of 4
	n=$1
	while [ $((n % 4)) != 0 ]; do byte 0; n=$((n + 1)); done
}
data() { printf '%s' "$1"; pad ${#1}; } # data STRING: packet bytes, padded

# block TYPE BODY-COMMAND...: a whole block. TRAILER_DELTA is added to the
# trailing length only.
TRAILER_DELTA=0
block() {
	type=$1
	shift
	"$@" > "$tmp/body"
	len=$((12 + $(wc -c < "$tmp/body")))
	u32 "$type"; u32 "$len"; cat "$tmp/body"; u32 $((len + TRAILER_DELTA))
}

# ---- block bodies (pcapng spec, draft-ietf-opsawg-pcapng) ---------------

shb() { u32 0x1A2B3C4D; u16 1; u16 0; u64 "$1"; }      # shb SECTION-LENGTH
idb() { # idb LINKTYPE SNAPLEN TSRESOL|- TSOFFSET|-
	u16 "$1"; u16 0; u32 "$2"
	if [ "$3" != - ]; then u16 9; u16 1; byte "$3"; pad 1; fi
	if [ "$4" != - ]; then u16 14; u16 8; u64 "$4"; fi
	u16 0; u16 0
}
epb() { # epb IFACE TICKS ORIG-LEN DATA [CAPLEN]: with an epb_flags and a comment
	u32 "$1"; u32 $(($2 >> 32)); u32 "$2"; u32 "${5:-${#4}}"; u32 "$3"; data "$4"
	u16 2; u16 4; u32 1
	u16 1; u16 5; data "hello"
	u16 0; u16 0
}
epb_plain() { u32 "$1"; u32 $(($2 >> 32)); u32 "$2"; u32 ${#4}; u32 "$3"; data "$4"; }
spb() { u32 "$1"; data "$2"; }                          # spb ORIG-LEN DATA
pb() { # pb IFACE TICKS ORIG-LEN DATA: the obsolete Packet Block (type 2)
	u16 "$1"; u16 0; u32 $(($2 >> 32)); u32 "$2"; u32 ${#4}; u32 "$3"; data "$4"
}
isb() { u32 "$1"; u32 0; u32 0; u16 0; u16 0; }         # isb IFACE
nrb() { u16 1; u16 9; byte 10; byte 0; byte 0; byte 1; data "tiny"; u16 0; u16 0; }
dsb() { u32 0x544c534b; u32 10; data "# no keys"; }     # TLS key log, a comment line
custom() { u32 32473; data "opaque"; }                  # PEN 32473: for documentation

SHB=0x0A0D0D0A IDB=1 PB=2 SPB=3 NRB=4 ISB=5 EPB=6 DSB=10 CUSTOM=0x40000BAD UNKNOWN=0x0FFF

# ---- tiny.pcapng and its variants ------------------------------------------
# BAD selects one change: a defect (trailer, iface, caplen, stale) or a wrong
# section length (seclen), which readers ignore.

tiny_section1() {
	BE=0
	block $SHB shb -1
	block $IDB idb 1 0 6 -                                   # Ethernet, µs
	block $EPB epb 0 1700000000123456 60 "ABCDE"
	block $NRB nrb
	block $IDB idb 101 65535 9 -                             # raw IP, ns
	if [ "$BAD" = caplen ]; then
		block $EPB epb 1 1700000001987654321 8 "RAWPKT01" 1000
	else
		block $EPB epb 1 1700000001987654321 8 "RAWPKT01"
	fi
	block $IDB idb 113 128 $((0x80 | 10)) 1700000000         # Linux SLL, 2^-10 s, +1.7e9 s
	iface=2
	[ "$BAD" = iface ] && iface=3
	[ "$BAD" = trailer ] && TRAILER_DELTA=4
	block $EPB epb $iface $((5 * 1024 + 1)) 7 "SLL7BYT"
	TRAILER_DELTA=0
	block $EPB epb 2 $((6 * 1024 + 256)) 100 "x"
	block $ISB isb 0
	block $SPB spb 10 "0123456789"
	block $DSB dsb
	block $PB pb 1 1700000002000000007 6 "PBDATA"
	block $CUSTOM custom
	block $UNKNOWN custom
}

tiny_section2_blocks() {
	block $IDB idb 1 65535 - -100                            # Ethernet, µs by default, -100 s
	iface=0
	[ "$BAD" = stale ] && iface=1
	block $EPB epb_plain $iface 1600000000500000 6 "BIGEND"
}

tiny() {
	tiny_section1
	BE=1
	tiny_section2_blocks > "$tmp/section"
	seclen=$(wc -c < "$tmp/section")
	[ "$BAD" = seclen ] && seclen=$((seclen - 4))
	block $SHB shb "$seclen"
	cat "$tmp/section"
	BE=0
}

for BAD in "" trailer iface caplen stale; do
	tiny > "tiny${BAD:+-bad-$BAD}.pcapng"
done
BAD=seclen
tiny > tiny-wrong-seclen.pcapng

# ---- what libpcap refuses, one reason each ------------------------------

{
	block $SHB shb -1
	block $IDB idb 1 65535 - -
	block $EPB epb_plain 0 1700000000000001 60 "first"
	block $IDB idb 1 262144 - -
	block $EPB epb_plain 1 1700000000000002 60 "second"
	block $EPB epb_plain 0 1700000000000003 60 "third"
} > snaplen-differs.pcapng

# Both raw IP: libpcap compares its DLT_RAW (12) with the IDB's LINKTYPE_RAW
# (101) and refuses the second interface as having another type.
{
	block $SHB shb -1
	block $IDB idb 101 65535 - -
	block $IDB idb 101 65535 - -
	block $EPB epb_plain 1 1700000000000001 20 "on-one"
	block $EPB epb_plain 0 1700000000000002 20 "on-zero"
} > same-raw.pcapng

# ---- merged.pcapng ----------------------------------------------------------

mergecap -F pcapng -w merged.pcapng ../tls_irc-starttls.pcap ../http_cooper-grill-dvwa.pcapng

# ---- tshark's figures --------------------------------------------------------

fields="frame.number frame.interface_id frame.encap_type frame.len frame.time_epoch"
for f in merged.pcapng tiny.pcapng snaplen-differs.pcapng same-raw.pcapng; do
	{
		echo "# $f as $(tshark -v | head -n1 | sed 's/ (Git.*//') reads it: frames and"
		echo "# bytes_on_wire from tshark -q -z io,stat,0, each frame from tshark -T fields."
		tshark -n -r "$f" -q -z io,stat,0 |
			awk -F'|' '/<>/ { gsub(/ /, ""); print "frames\t" $3; print "bytes_on_wire\t" $4 }'
		echo "$fields" | tr ' ' '\t'
		set --
		for field in $fields; do set -- "$@" -e "$field"; done
		tshark -n -r "$f" -T fields "$@"
	} > "$f.tshark.tsv"
done
