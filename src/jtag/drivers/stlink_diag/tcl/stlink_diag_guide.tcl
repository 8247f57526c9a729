# SPDX-License-Identifier: GPL-2.0-or-later
#
# The published troubleshooting guide ("How to fix communication issues
# between ST-LINK and STM32 devices", 2024-10-14), section by section: which
# layers check it, and what only a person can check. The checklist of a
# section is printed only when one of its layers fails or warns.
# Compiled into OpenOCD (startup_tcl.inc).

set stlink_diag_guide {
	connections {
		title "Check the Hardware Connections"
		layers {power wire}
		by_hand {
			"pin 1 of the cable on pin 1 of the board (the mark or the notch of the connector)"
			"no visible damage and no loose solder joints on SWDIO, SWCLK, GND, NRST and VDD"
			"short SWD wires (under about 20 cm) with their own GND wire"
		}
	}
	firmware_drivers {
		title "Verify ST-LINK Firmware and Drivers"
		layers {host probe}
		by_hand {
			"the ST-LINK firmware is current (STSW-LINK007 or STM32CubeProgrammer shows and updates it)"
			"on Linux the udev rule is installed (contrib/60-stlink-diag.rules) and the probe was replugged"
		}
	}
	configuration {
		title "Correct Tool Configuration"
		layers {debug}
		by_hand {
			"the target configuration matches the chip on the board (e.g. target/stm32f4x.cfg for an STM32F4)"
			"the transport is SWD (hla_swd or dapdirect_swd) unless the board wires JTAG"
		}
	}
	reset_mode {
		title "Adjusting Debugging Settings (reset mode)"
		layers {reset}
		by_hand {
			"NRST of the ST-LINK is wired to NRST of the target (needed for connect under reset)"
		}
	}
	boot {
		title "Check for Boot Configuration"
		layers {boot}
		by_hand {
			"the BOOT0 pin (jumper or resistor) is low for booting the user flash"
		}
	}
	protection {
		title "Code Protection and Debug Locks"
		layers {protection}
		by_hand {}
	}
	software {
		title "Analyze and Resolve Software Issues"
		layers {firmware}
		by_hand {
			"a known-good example (a blinky) flashed with STM32CubeProgrammer connects: then the application is the cause"
			"the application does not reconfigure PA13/PA14 (SWDIO/SWCLK), disable the debug port or sleep without the DBGMCU bits"
		}
	}
	advanced {
		title "Advanced Troubleshooting Techniques"
		layers {}
		by_hand {
			"SWDIO and SWCLK look clean on a logic analyzer or oscilloscope"
			"a second ST-LINK behaves the same (rules out the probe)"
		}
	}
}

# The guide section that covers a layer.
proc stlink_diag_guide_section {layer} {
	global stlink_diag_guide
	foreach {id section} $stlink_diag_guide {
		if {$layer in [dict get $section layers]} {
			return $id
		}
	}
	return ""
}

# What a person must check by hand, for the sections whose layers failed or
# warned in this report, as {title {item ...}} pairs.
proc stlink_diag_guide_checklist {layers} {
	global stlink_diag_guide
	set out {}
	foreach {id section} $stlink_diag_guide {
		set hit 0
		foreach l $layers {
			if {[dict get $l status] in {fail warn} && [dict get $l name] in [dict get $section layers]} {
				set hit 1
			}
		}
		if {$hit && [llength [dict get $section by_hand]]} {
			lappend out [dict get $section title] [dict get $section by_hand]
		}
	}
	return $out
}

# `stlink_diag guide`: the guide's sections and the layers that automate them.
proc stlink_diag_guide {args} {
	global stlink_diag_guide
	if {[llength $args]} {
		return -code error "usage: stlink_diag guide"
	}
	set lines {}
	foreach {id section} $stlink_diag_guide {
		set layers [dict get $section layers]
		lappend lines "[dict get $section title]: [expr {[llength $layers] ? "checked by [join $layers {, }]" : "by hand only"}]"
		foreach item [dict get $section by_hand] {
			lappend lines "    by hand: $item"
		}
	}
	return [join $lines "\n"]
}
