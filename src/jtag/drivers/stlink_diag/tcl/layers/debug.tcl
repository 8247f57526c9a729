# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "debug": DP, AP and core identity, read without halting.
# Compiled into OpenOCD (startup_tcl.inc).

# debug: DP, AP and core identity, read without halting
proc stlink_diag_layer_debug {factsVar} {
	upvar $factsVar facts
	set ev {}
	set d [stlink_probe decode dpidr [dict get $facts dp.dpidr]]
	dict set facts dp.designer [dict get $d designer_name]
	dict set facts dp.version [dict get $d version]
	lappend ev dpidr "[dict get $facts dp.dpidr] ([dict get $d designer_name], [dict get $d version], partno [dict get $d partno], rev [dict get $d revision])"

	# AP0 IDR (V2J24+): which MEM-AP the core sits behind
	set ap [stlink_probe dap_read 0 0xfc]
	if {[dict get $ap ok]} {
		set a [stlink_probe decode apidr [dict get $ap value]]
		dict set facts ap.idr [dict get $ap value]
		dict set facts ap.type [dict get $a type]
		lappend ev ap0_idr "[dict get $ap value] ([dict get $a type])"
	} elseif {![stlink_diag_get $ap unsupported 0]} {
		lappend ev ap0_idr "read failed: [stlink_diag_get $ap status_name [stlink_diag_get $ap error]]"
	}

	set c [stlink_probe read32 0xE000ED00]
	lappend ev cpuid_read "[stlink_diag_get $c status] [stlink_diag_get $c status_name [stlink_diag_get $c error]]"
	if {[stlink_diag_get $c waits 0]} {
		lappend ev cpuid_waits [dict get $c waits]
	}
	if {![dict get $c ok]} {
		return [stlink_diag_layer debug fail debug.cpuid_unreadable \
			"the DP answers but the core's CPUID cannot be read: [stlink_diag_get $c meaning [stlink_diag_get $c error]]" \
			$ev "connect under reset (reset_config srst_only srst_nogate connect_assert_srst) and check the debug power-up"]
	}
	set cpuid [dict get $c value]
	set cd [stlink_probe decode cpuid $cpuid]
	dict set facts core.cpuid $cpuid
	dict set facts core.name [dict get $cd core]
	dict set facts core.revision [dict get $cd revision]
	lappend ev cpuid "$cpuid ([dict get $cd core] [dict get $cd revision])"

	set addr [dict get $cd dbgmcu_idcode_addr]
	set m [stlink_probe read32 $addr]
	dict set facts mcu.idcode_addr $addr
	if {[dict get $m ok]} {
		set idcode [dict get $m value]
		dict set facts mcu.idcode $idcode
		dict set facts mcu.dev_id [format 0x%03x [expr {$idcode & 0xfff}]]
		dict set facts mcu.rev_id [format 0x%04x [expr {($idcode >> 16) & 0xffff}]]
		lappend ev dbgmcu_idcode "$idcode at $addr (DEV_ID [dict get $facts mcu.dev_id], REV_ID [dict get $facts mcu.rev_id])"
	} else {
		lappend ev dbgmcu_idcode "read at $addr failed: [dict get $m status_name]"
	}
	stlink_diag_mcu_identify facts ev

	set h [stlink_probe read32 0xE000EDF0]
	if {[dict get $h ok]} {
		set hd [stlink_probe decode dhcsr [dict get $h value]]
		dict set facts core.dhcsr [dict get $h value]
		dict set facts core.state [dict get $hd state]
	}
	return [stlink_diag_layer debug ok debug.ok \
		"[dict get $cd core] [dict get $cd revision], debug port [dict get $d version] by [stlink_diag_get $facts dp.designer]" $ev]
}
