# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "power": the target voltage, read fresh.
# Compiled into OpenOCD (startup_tcl.inc).

# Voltage below which OpenOCD itself warns (stlink_usb.c) and debugging is
# unreliable for every STM32.
set stlink_diag_min_volts 1.5

# Hook: the part's VDD range {min max} once the part is known, else {}.
# The power layer runs before the part is identified (debug layer); an MCU
# identification that knows the part early (e.g. from a previous run or a
# target config) sets the facts mcu.vdd_min and mcu.vdd_max.
proc stlink_diag_power_part_range {factsVar} {
	upvar $factsVar facts
	if {[dict exists $facts mcu.vdd_min] && [dict exists $facts mcu.vdd_max]} {
		return [list [dict get $facts mcu.vdd_min] [dict get $facts mcu.vdd_max]]
	}
	return {}
}

# Read the voltage once per diagnosis.
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

# A low reading is judged with the wire's result, because a target that
# answers while the probe reads ~0 V is powered: only the sense pin is open.
proc stlink_diag_layer_power {factsVar} {
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
		set range [stlink_diag_power_part_range facts]
		if {[llength $range] == 2} {
			lassign $range vmin vmax
			lappend ev part_range "$vmin..$vmax V"
			if {$volts < $vmin || $volts > $vmax} {
				return [stlink_diag_layer power warn power.out_of_range \
					"target voltage $volts V is outside the part's $vmin..$vmax V" $ev \
					"check the target's supply (regulator, load, the VDD wire)"]
			}
		}
		return [stlink_diag_layer power ok power.ok "target voltage $volts V" $ev]
	}
	if {[dict get [stlink_diag_layer_wire facts] status] ne "fail"} {
		return [stlink_diag_layer power warn power.vapp_not_wired \
			"the probe reads $volts V but the target answers: the target is powered and the ST-LINK's voltage sense pin (VAPP/T_VCC) is not connected" \
			$ev "wire the target's VDD to the ST-LINK's VAPP/T_VCC pin (pin 1 of the 20-pin header); it only senses, it does not power the target"]
	}
	return [stlink_diag_layer power fail power.unpowered \
		"target voltage $volts V (below $stlink_diag_min_volts V): the target is not powered, or VAPP is not wired" $ev \
		"power the target board (the ST-LINK does not power it); check the VDD and GND wires; wire the target's VDD to the ST-LINK's VAPP/T_VCC pin"]
}
