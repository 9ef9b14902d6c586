# syscalls.awk: the system call numbers that `cc -E -dM` finds in each
# ABI's kernel header (one file each, in the order given), as rows of a C
# table: { "name", { NR, NR... } }, 65535 where an ABI lacks the call.
# Unsorted (the Makefile sorts); x32's numbers come without their bit.

FNR == 1 { abi++ }

$1 == "#define" {
	val = $3
	for (i = 4; i <= NF; i++)
		val = val " " $i
	def[abi, $2] = val
	if ($2 ~ /^__NR_[a-z0-9_]+$/ && $2 != "__NR_syscalls" &&
	    $2 != "__NR_arch_specific_syscall")
		names[$2] = 1
}

END {
	for (k in names) {
		row = ""
		for (a = 1; a <= abi; a++) {
			x = (a, k) in def ? def[a, k] : ""
			# asm-generic's __NR_fcntl is __NR3264_fcntl, and so on
			for (n = 0; n < 8 && (a, x) in def; n++)
				x = def[a, x]
			sub(/^\(__X32_SYSCALL_BIT \+ /, "", x)
			sub(/\)$/, "", x)
			row = row (a > 1 ? ", " : "") (x ~ /^[0-9]+$/ ? x : 65535)
		}
		printf "\t{ \"%s\", { %s } },\n", substr(k, 6), row
	}
}
