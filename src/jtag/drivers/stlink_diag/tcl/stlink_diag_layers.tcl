# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layers: each proc asks the probe through `stlink_probe` (the C
# capabilities), stores what it read in the facts dict, and judges one layer.
# Every proc can be called alone; none repeats an exchange whose answer is
# already in the facts. Compiled into OpenOCD (startup_tcl.inc).

# Voltage below which OpenOCD itself warns (stlink_usb.c) and debugging is
# unreliable for every STM32.
set stlink_diag_min_volts 1.5

proc stlink_diag_fact {factsVar key value} {
	upvar $factsVar facts
	dict set facts $key $value
}

# host: can the probe be opened at all (USB, permission, busy, server)?
proc stlink_diag_layer_host {factsVar} {
	upvar $factsVar facts
	if {[info commands stlink_probe] eq ""} {
		# the commands come with the hla or st-link adapter driver
		set o [dict create ok 0 driver none backend none port 0 id host.no_driver \
			summary "no ST-LINK adapter driver is selected" \
			fix "put -f interface/stlink.cfg (hla) or -f interface/stlink-dap.cfg (dap-direct) before -c stlink_diag"]
	} else {
		set o [stlink_probe open]
	}
	dict set facts open $o
	set ev [list driver [stlink_diag_get $o driver] backend [stlink_diag_get $o backend]]
	if {[stlink_diag_get $o port 0] != 0} {
		lappend ev port [dict get $o port]
	}
	if {![dict get $o ok]} {
		set log [string trim [stlink_diag_get $o log]]
		if {$log ne ""} {
			lappend ev driver_log [join [split $log "\n"] "; "]
		}
		if {[stlink_diag_get $o layer host] ne "host"} {
			# found and opened, but the probe itself misbehaved: the probe
			# layer reports it (stlink_diag_layer_probe)
			return [stlink_diag_layer host ok host.ok "the ST-LINK was found and opened over USB or TCP" $ev]
		}
		return [stlink_diag_layer host fail [dict get $o id] [dict get $o summary] $ev [dict get $o fix]]
	}
	if {[dict get $o own]} {
		lappend ev connection "opened by stlink_diag"
		return [stlink_diag_layer host ok host.ok "the ST-LINK was found and opened" $ev]
	}
	lappend ev connection "OpenOCD's live connection"
	return [stlink_diag_layer host ok host.ok "OpenOCD is connected to the ST-LINK: stlink_diag borrows its connection" $ev]
}

# probe: firmware version, features, mode
proc stlink_diag_layer_probe {factsVar} {
	upvar $factsVar facts
	set o [stlink_diag_get $facts open]
	if {![stlink_diag_get $o ok 1]} {
		return [stlink_diag_layer probe fail [dict get $o id] [dict get $o summary] \
			[list driver_log [string trim [stlink_diag_get $o log]]] [dict get $o fix]]
	}
	set i [stlink_probe info]
	dict set facts info $i
	if {![dict get $i ok]} {
		return [stlink_diag_layer probe fail probe.no_version [dict get $i error] {} \
			"unplug and replug the ST-LINK; if it persists, update its firmware"]
	}
	foreach k {model vid pid serial firmware api} {
		dict set facts probe.$k [dict get $i $k]
	}
	if {[dict exists $i server_api]} {
		dict set facts probe.server_api [dict get $i server_api]
		dict set facts probe.server_version [dict get $i server_version]
	}
	set m [stlink_probe mode]
	dict set facts mode $m
	if {[dict get $m ok]} {
		dict set facts probe.mode [dict get $m name]
	}

	set ev [list model [dict get $i model] vid:pid "[dict get $i vid]:[dict get $i pid]" \
		firmware [dict get $i firmware] api [dict get $i api] serial [dict get $i serial] \
		mode [stlink_diag_get $facts probe.mode unknown] flags [dict get $i flags]]
	if {[dict exists $i server_api]} {
		lappend ev server "API v[dict get $i server_api] [dict get $i server_version]"
	}
	set lacks {}
	foreach {name without} [dict get $i missing] {
		lappend lacks $name
	}
	if {[llength $lacks]} {
		lappend ev lacks [join $lacks ,]
	}
	set line [dict get $i line]
	set tool [dict get $i update_tool]

	if {[dict get $i stm8_only]} {
		return [stlink_diag_layer probe fail probe.stm8_only \
			"$line: this firmware speaks only SWIM (STM8), not SWD or JTAG" $ev \
			"load the STM32 (Debug + Mass storage + VCP) firmware with $tool"]
	}
	if {[dict get $i driver] eq "st-link" && ![dict get $i meets_dap_direct]} {
		return [stlink_diag_layer probe fail probe.fw_too_old_for_dap \
			"$line: the st-link (dap-direct) driver needs firmware V2J24 or later" $ev \
			"update the firmware with $tool, or use -f interface/stlink.cfg (hla)"]
	}
	if {![dict get $i meets_recommended]} {
		return [stlink_diag_layer probe warn probe.fw_old \
			"$line: older than V2J21, which OpenOCD's manual recommends" $ev \
			"update the firmware with $tool"]
	}
	return [stlink_diag_layer probe ok probe.ok $line $ev]
}

# power, part 1: read the voltage now (judged after the wire, see below)
proc stlink_diag_read_voltage {factsVar} {
	upvar $factsVar facts
	if {[dict exists $facts voltage]} {
		return [dict get $facts voltage]
	}
	set v [stlink_probe voltage]
	dict set facts voltage $v
	if {[dict get $v ok]} {
		dict set facts target.voltage [dict get $v volts]
	}
	return $v
}

# wire: can the probe talk SWD to the target at the configured speed?
proc stlink_diag_layer_wire {factsVar} {
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

# power, part 2: judged with the wire's result, because a target that
# answers while the probe reads ~0 V is powered: only the sense pin is open.
proc stlink_diag_layer_power {factsVar wire_status} {
	upvar $factsVar facts
	global stlink_diag_min_volts
	set v [stlink_diag_read_voltage facts]
	if {![dict get $v ok]} {
		if {[stlink_diag_get $v unsupported 0]} {
			return [stlink_diag_layer power skipped power.unsupported [dict get $v error]]
		}
		return [stlink_diag_layer power warn power.read_failed "the voltage read failed: [dict get $v error]" {} \
			"replug the ST-LINK"]
	}
	set volts [dict get $v volts]
	set ev [list volts $volts a0 [dict get $v a0] a1 [dict get $v a1] minimum $stlink_diag_min_volts]
	if {$volts >= $stlink_diag_min_volts} {
		return [stlink_diag_layer power ok power.ok "target voltage $volts V" $ev]
	}
	if {$wire_status eq "ok"} {
		return [stlink_diag_layer power warn power.vapp_not_wired \
			"the probe reads $volts V but the target answers: the target is powered and the ST-LINK's voltage sense pin (VAPP/T_VCC) is not connected" \
			$ev "wire the target's VDD to the ST-LINK's VAPP/T_VCC pin (pin 1 of the 20-pin header); it only senses, it does not power the target"]
	}
	return [stlink_diag_layer power fail power.unpowered \
		"target voltage $volts V (below $stlink_diag_min_volts V): the target is not powered, or VAPP is not wired" $ev \
		"power the target board (the ST-LINK does not power it); check the VDD and GND wires; wire the target's VDD to the ST-LINK's VAPP/T_VCC pin"]
}

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

	set h [stlink_probe read32 0xE000EDF0]
	if {[dict get $h ok]} {
		set hd [stlink_probe decode dhcsr [dict get $h value]]
		dict set facts core.dhcsr [dict get $h value]
		dict set facts core.state [dict get $hd state]
	}
	return [stlink_diag_layer debug ok debug.ok \
		"[dict get $cd core] [dict get $cd revision], debug port [dict get $d version] by [stlink_diag_get $facts dp.designer]" $ev]
}

proc stlink_diag_layer_firmware {factsVar} {
	upvar $factsVar facts
	set ev {}
	if {[dict exists $facts core.dhcsr]} {
		set ev [list dhcsr [dict get $facts core.dhcsr] core_state [dict get $facts core.state]]
	}
	return [stlink_diag_layer firmware skipped firmware.not_implemented \
		"not checked yet: sleep, lockup, pins taken and watchdog checks are not implemented" $ev]
}

# A layer that could not run because an earlier one failed.
proc stlink_diag_layer_blocked {name by} {
	return [stlink_diag_layer $name skipped $name.blocked "not checked: the $by layer failed"]
}
