# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "wire": does the target answer on SWD?
# Compiled into OpenOCD (startup_tcl.inc).

# wire: can the probe talk SWD to the target at the configured speed?
# The record is kept in the facts: the power layer asks for it first when
# the voltage is low, and the connect must happen only once.
proc stlink_diag_layer_wire {factsVar} {
	upvar $factsVar facts
	if {![dict exists $facts wire_record]} {
		dict set facts wire_record [stlink_diag_wire_check facts]
	}
	return [dict get $facts wire_record]
}

proc stlink_diag_wire_check {factsVar} {
	upvar $factsVar facts
	set st [stlink_probe state]
	set ev {}
	if {[dict get $st state] eq "own"} {
		# leave whatever mode a crashed session or the USB drive left behind,
		# as OpenOCD's own init does
		set mode [stlink_diag_get $facts probe.mode]
		if {$mode in {debug DFU SWIM}} {
			stlink_probe leave $mode
			lappend ev left_mode $mode
		}
		# the speed OpenOCD's init would use: the configured one, else the
		# firmware's default of 1800 kHz (V2) that the user would get
		set khz [string trim [stlink_probe configured_speed]]
		if {$khz == 0} {
			set khz 1800
		}
		set sp [stlink_probe speed $khz]
		if {[dict get $sp ok]} {
			dict set facts link.speed_khz [dict get $sp khz]
			lappend ev speed_khz [dict get $sp khz]
		} elseif {[stlink_diag_get $sp unsupported 0]} {
			lappend ev speed "fixed by firmware"
		}
		set e [stlink_probe enter swd]
		dict set facts enter $e
		dict set facts link.enter_status [dict get $e status]
		lappend ev enter_swd "[dict get $e status] [dict get $e status_name]"
		if {![dict get $e ok]} {
			return [stlink_diag_layer wire fail wire.[dict get $e status_class] \
				"the target does not answer on SWD: ST-LINK status [dict get $e status] ([dict get $e status_name]): [dict get $e meaning]" \
				$ev "likely causes: [dict get $e causes]. Check the SWDIO, SWCLK and GND wires and the target's power; if the application may reconfigure the SWD pins or sleep, connect under reset: reset_config srst_only srst_nogate connect_assert_srst"]
		}
	} else {
		lappend ev connection "OpenOCD's live connection: not re-entering SWD"
		# the speed the wire runs at: OpenOCD's driver rounded the configured
		# one to what the probe offers ("adapter speed: 1800 kHz")
		if {[catch {adapter speed} line] || ![regexp {(\d+) kHz} $line -> khz]} {
			set khz [string trim [stlink_probe configured_speed]]
		}
		dict set facts link.speed_khz $khz
		lappend ev speed_khz [dict get $facts link.speed_khz]
	}
	set id [stlink_probe idcode]
	dict set facts idcode $id
	lappend ev read_idcodes "[dict get $id status] [dict get $id status_name]"
	if {![dict get $id ok]} {
		return [stlink_diag_layer wire fail wire.[dict get $id status_class] \
			"SWD entered but the DPIDR read failed: [dict get $id meaning]" $ev \
			"likely causes: [dict get $id causes]"]
	}
	set dpidr [dict get $id dpidr]
	dict set facts dp.dpidr $dpidr
	lappend ev dpidr $dpidr
	if {$dpidr in {0x00000000 0xffffffff}} {
		return [stlink_diag_layer wire fail wire.dpidr_invalid \
			"the DPIDR read back as $dpidr: the line does not carry real data" $ev \
			"check SWDIO/SWCLK wiring and the common ground"]
	}
	return [stlink_diag_layer wire ok wire.ok \
		"the target answers on SWD at [stlink_diag_get $facts link.speed_khz ?] kHz (one connect; the speed ladder is not implemented yet)" $ev]
}
