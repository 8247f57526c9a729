# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "reset": NRST wiring, connect under reset, software reset.
# Compiled into OpenOCD (startup_tcl.inc).

proc stlink_diag_layer_reset {factsVar} {
	upvar $factsVar facts
	return [stlink_diag_layer reset skipped reset.not_implemented \
		"not checked yet: the NRST and connect-under-reset tests are not implemented"]
}
