# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "power": the target voltage, read fresh.
# Compiled into OpenOCD (startup_tcl.inc).

# Voltage below which OpenOCD itself warns (stlink_usb.c) and debugging is
# unreliable for every STM32.
set stlink_diag_min_volts 1.5

# A reading below this is no supply at all: it is far below the minimum
# supply of every STM32 family (stlink_diag_stm32_power.c), an unwired
# VAPP/T_VCC sense reads about 0 V, and an unpowered rail may still show a
# few hundred mV leaking in through the I/O pins. A reading from here up to
# the part's minimum is a supply that is there but too low: a brown-out.
set stlink_diag_no_supply_volts 1.0

# A supply within this of the part's minimum is near it: dips of a few
# hundred millivolts (a weak regulator, a battery or a long USB cable under
# load) reach the power-down reset there, so the firmware layer waits for
# resets (stlink_diag_firmware_reset_wait) before calling the target calm.
set stlink_diag_near_min_volts 0.3

# The family the user's configuration names, before any part answers: the
# loaded target config (its _CHIPNAME, e.g. stm32f4x) or -target NAME
# (stm32f4x, target/stm32f4x.cfg or a part name like STM32F407). The
# correlation step judges the voltage by that family's VDD range until the
# part itself is identified.
proc stlink_diag_power_family_hint {facts} {
	set names {}
	set named [stlink_diag_get $facts opt.target]
	if {$named ne ""} {
		lappend names $named
	}
	if {[info exists ::_CHIPNAME]} {
		lappend names $::_CHIPNAME
	}
	foreach n $names {
		set base [string tolower [file rootname [file tail $n]]]
		set fam ""
		catch {set fam [string trim [stlink_probe stm32 family_of_cfg $base]]}
		if {$fam eq "" && [regexp -nocase {^stm32([a-z][0-9])} $base -> f]} {
			set f [string toupper $f]
			if {![catch {stlink_probe stm32 family $f}]} {
				set fam $f
			}
		}
		if {$fam ne ""} {
			return $fam
		}
	}
	return ""
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

# The power layer only observes: a reading below the level every STM32
# needs is the finding power.low_reading, whatever the cause. The
# correlation step tells an unpowered target from an unwired sense pin (the
# target answers on SWD) and judges a reading in range for some STM32 by
# the identified part's range (power.brownout).
proc stlink_diag_layer_power {factsVar} {
	upvar $factsVar facts
	global stlink_diag_min_volts
	set hint [stlink_diag_power_family_hint $facts]
	if {$hint ne ""} {
		dict set facts part.family_hint $hint
	}
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
	if {$hint ne ""} {
		lappend ev family_named $hint
	}
	if {$volts >= $stlink_diag_min_volts} {
		return [stlink_diag_layer power ok power.ok "target voltage $volts V" $ev]
	}
	global stlink_diag_no_supply_volts
	set what [expr {$volts < $stlink_diag_no_supply_volts ? "the target is not powered, or the sense pin is not wired" \
		: "a supply that is there but too low for an STM32 to run"}]
	return [stlink_diag_layer power fail power.low_reading \
		"the probe reads $volts V on VAPP/T_VCC (below $stlink_diag_min_volts V): $what" $ev \
		"power the target board (the ST-LINK does not power it); check the VDD and GND wires; wire the target's VDD to the ST-LINK's VAPP/T_VCC pin"]
}
