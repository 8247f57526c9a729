# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "boot": where the core boots from.
# Compiled into OpenOCD (startup_tcl.inc).

proc stlink_diag_layer_boot {factsVar} {
	upvar $factsVar facts
	return [stlink_diag_layer boot skipped boot.not_implemented \
		"not checked yet: the boot source check is not implemented"]
}
