# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "protection": read-out protection and option bytes.
# Compiled into OpenOCD (startup_tcl.inc).

proc stlink_diag_layer_protection {factsVar} {
	upvar $factsVar facts
	return [stlink_diag_layer protection skipped protection.not_implemented \
		"not checked yet: the RDP and option-byte checks are not implemented"]
}
