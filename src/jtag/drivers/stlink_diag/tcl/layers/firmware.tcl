# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "firmware": the core's state as the application left it.
# Compiled into OpenOCD (startup_tcl.inc).

proc stlink_diag_layer_firmware {factsVar} {
	upvar $factsVar facts
	set ev {}
	if {[dict exists $facts core.dhcsr]} {
		set ev [list dhcsr [dict get $facts core.dhcsr] core_state [dict get $facts core.state]]
	}
	return [stlink_diag_layer firmware skipped firmware.not_implemented \
		"not checked yet: sleep, lockup, pins taken and watchdog checks are not implemented" $ev]
}
