#!/bin/sh
# Rebuilds the damaged captures in this directory from the bundled ones in
# tests/data. Deterministic: running it again gives the same bytes. Needs only
# POSIX sh, head, dd, od (with --endian, GNU coreutils) and printf.
# README.md says what each file is and what the loader must make of it.
set -eu
cd "$(dirname "$0")"
pcap=../wikipedia.pcap
pcapng=../http_cooper-grill-dvwa.pcapng

u32() { # u32 FILE OFFSET: the little-endian 32-bit value at OFFSET
	od --endian=little -An -tu4 -j "$2" -N4 "$1" | tr -d ' '
}

pcap_record_end() { # pcap_record_end FILE K: offset just past record K (1-based)
	off=24 i=0
	while [ "$i" -lt "$2" ]; do
		off=$((off + 16 + $(u32 "$1" $((off + 8)))))
		i=$((i + 1))
	done
	echo "$off"
}

pcapng_packet_end() { # pcapng_packet_end FILE K: offset just past the K-th EPB
	off=0 i=0
	while [ "$i" -lt "$2" ]; do
		[ "$(u32 "$1" "$off")" = 6 ] && i=$((i + 1))
		off=$((off + $(u32 "$1" $((off + 4)))))
	done
	echo "$off"
}

cut_to() { # cut_to SRC BYTES DST
	head -c "$2" "$1" > "$3"
}

patch_u32() { # patch_u32 FILE OFFSET OCTAL-ESCAPED-4-BYTES
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

: > empty.pcap
cut_to $pcap 10 pcap-header-short.pcap
cut_to $pcap 24 pcap-header-only.pcap
cut_to $pcap $(($(pcap_record_end $pcap 5) + 7)) pcap-cut-in-record-header.pcap
cut_to $pcap $(($(pcap_record_end $pcap 5) + 16 + 10)) pcap-cut-in-frame-data.pcap

cat $pcap > pcap-huge-caplen.pcap
patch_u32 pcap-huge-caplen.pcap $(($(pcap_record_end $pcap 2) + 8)) '\377\377\377\377'

cut_to $pcapng 100 pcapng-cut-in-shb.pcapng
cut_to $pcapng "$(u32 $pcapng 4)" pcapng-no-idb.pcapng
cut_to $pcapng $(($(pcapng_packet_end $pcapng 3) + 20)) pcapng-cut-in-block.pcapng

cat $pcapng > pcapng-block-length-short.pcapng
patch_u32 pcapng-block-length-short.pcapng $(($(pcapng_packet_end $pcapng 3) + 4)) '\010\000\000\000'
cat $pcapng > pcapng-block-length-huge.pcapng
patch_u32 pcapng-block-length-huge.pcapng $(($(pcapng_packet_end $pcapng 3) + 4)) '\374\377\377\177'

printf 'This is a text file, not a packet capture.\n' > not-a-capture.pcap
