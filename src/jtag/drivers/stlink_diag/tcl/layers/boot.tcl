# SPDX-License-Identifier: GPL-2.0-or-later
#
# stlink_diag layer "boot": where the core boots from.
# Compiled into OpenOCD (startup_tcl.inc).

# Without halting: the vector table of user flash, the boot alias at
# 0x00000000 (families that have one) against flash and system memory, the
# boot option bits and boot-address registers, and the SYSCFG boot-mode
# register when its clock is on. A reset-halt would add the reset handler's
# PC; stlink_diag does not do one (no option enables it yet).
proc stlink_diag_layer_boot {factsVar} {
	upvar $factsVar facts
	set p [stlink_diag_get $facts mcu_part]
	if {$p eq "" || ![dict get $p known]} {
		return [stlink_diag_layer boot skipped boot.unknown_part \
			"not checked: the part was not identified as an STM32, so its boot memories are unknown" \
			[list mcu [stlink_diag_get $facts mcu_unknown "no DBGMCU_IDCODE"]]]
	}
	set family [dict get $p family]
	set ev {}
	set dev [dict get $p dev_id]

	# user flash vector table
	set fb [dict get $p flash_base]
	set fsp [stlink_diag_mcu_read facts $fb]
	set fpc [expr {$fsp eq "" ? "" : [stlink_diag_mcu_read facts [expr {$fb + 4}]]}]
	set empty 0
	if {$fsp eq "" || $fpc eq ""} {
		dict set facts boot.flash_read fault
		lappend ev flash_vectors "read at $fb faults (RDP level 1 hides flash from the debugger)"
	} else {
		dict set facts boot.flash_read ok
		lappend ev flash_vectors "sp=$fsp pc=$fpc"
		set empty [expr {$fsp == 0xffffffff && $fpc == 0xffffffff}]
	}
	dict set facts boot.empty_flash $empty
	set bad ""
	if {!$empty && $fsp ne "" && $fpc ne ""} {
		set bad [stlink_diag_boot_vector_problem $fsp $fpc $fb [stlink_diag_get $facts mcu.flash_kb 0]]
		if {$bad ne ""} {
			dict set facts boot.vector_note $bad
			lappend ev vector_table $bad
		}
	}

	set source ""
	set why ""
	if {[dict get $p boot_alias]} {
		set asp [stlink_diag_mcu_read facts 0]
		set apc [expr {$asp eq "" ? "" : [stlink_diag_mcu_read facts 4]}]
		if {$asp eq "" || $apc eq ""} {
			lappend ev alias_0 fault
			if {[dict get $facts boot.flash_read] eq "fault"} {
				set source "user flash"
				set why "address 0 faults like user flash: flash is mapped there"
			}
		} else {
			lappend ev alias_0 "sp=$asp pc=$apc"
			if {$fsp ne "" && $asp == $fsp && $apc == $fpc} {
				set source "user flash"
				set why "address 0 shows the user flash vector table"
			} else {
				set sb [dict get $p sysmem_base]
				set ssp [stlink_diag_mcu_read facts $sb]
				set spc [expr {$ssp eq "" ? "" : [stlink_diag_mcu_read facts [expr {$sb + 4}]]}]
				lappend ev sysmem_vectors "sp=$ssp pc=$spc at $sb"
				if {$ssp ne "" && $asp == $ssp && $apc == $spc} {
					set source "system memory"
					set why "address 0 shows the system memory (ROM bootloader) vector table"
				} elseif {[string trim [stlink_probe stm32 region $dev $apc]] eq "SRAM"} {
					set source "SRAM"
					set why "the reset vector at address 0 points into SRAM"
				} else {
					# SRAM mapped at 0 shows the SRAM's own first words
					set rb [dict get $p sram_base]
					set rsp [stlink_diag_mcu_read facts $rb]
					set rpc [expr {$rsp eq "" ? "" : [stlink_diag_mcu_read facts [expr {$rb + 4}]]}]
					lappend ev sram_words "sp=$rsp pc=$rpc at $rb"
					if {$rsp ne "" && $asp == $rsp && $apc == $rpc} {
						set source "SRAM"
						set why "address 0 shows the SRAM's contents (sp=$asp pc=$apc)[expr {$asp == 0 && $apc == 0 ? ": no program there" : ""}]"
					}
				}
			}
		}
	}

	# option bits that choose the boot source, and boot-address registers
	set o [stlink_diag_mcu_options facts]
	set bb [expr {$o eq "" ? {} : [dict get $o boot_bits]}]
	if {[llength $bb]} {
		set pairs {}
		foreach {k v} $bb {
			lappend pairs "$k=$v"
		}
		lappend ev boot_options [join $pairs " "]
	}
	set forced ""
	if {[dict exists $bb nBOOT_SEL] && [dict get $bb nBOOT_SEL] == 1 && [dict get $bb nBOOT0] == 0} {
		set forced "nBOOT_SEL=1 and nBOOT0=0: the option bytes select the bootloader whatever the BOOT0 pin says"
	} elseif {[dict exists $bb nSWBOOT0] && [dict get $bb nSWBOOT0] == 0 && [dict get $bb nBOOT0] == 0} {
		set forced "nSWBOOT0=0 and nBOOT0=0: the option bytes force BOOT0 high whatever the pin says"
	}
	set ar [dict get $p boot_add_reg]
	if {$ar != 0} {
		set w [stlink_diag_mcu_read facts $ar]
		if {$w ne ""} {
			set mask [expr {(1 << [dict get $p boot_add_width]) - 1}]
			set lsl [dict get $p boot_add_lsl]
			set a0 [format 0x%08x [expr {(($w >> [dict get $p boot_add0_shift]) & $mask) << $lsl}]]
			set r0 [string trim [stlink_probe stm32 region $dev $a0]]
			set txt "BOOT0 low: $a0 ([expr {$r0 eq "" ? "no memory" : $r0}])"
			if {[dict get $p boot_add1_shift] != 0} {
				set a1 [format 0x%08x [expr {(($w >> [dict get $p boot_add1_shift]) & $mask) << $lsl}]]
				set r1 [string trim [stlink_probe stm32 region $dev $a1]]
				append txt ", BOOT0 high: $a1 ([expr {$r1 eq "" ? "no memory" : $r1}])"
			}
			lappend ev boot_addresses "$txt (register $ar = $w)"
			if {$source eq "" && $forced eq ""} {
				set source $r0
				set why "the boot address for BOOT0 low is $a0; the BOOT0 pin level needs a reset-halt to confirm"
			} elseif {$forced ne "" && [info exists r1]} {
				set source $r1
			}
		}
	}
	# on aliasing families address 0 shows what booted; the option bits only say what the next reset does
	if {$forced ne "" && (![dict get $p boot_alias] || $source eq "")} {
		if {$source eq "" || $source eq "user flash"} {
			set source [expr {[dict exists $bb nBOOT1] && [dict get $bb nBOOT1] == 0 ? "SRAM" : "system memory"}]
		}
		set why $forced
	}

	# the SYSCFG boot-mode register, when its clock is on (it reads wrongly otherwise)
	set mr [dict get $p bootmode_reg]
	if {$mr != 0} {
		set clk [stlink_diag_mcu_read facts [dict get $p bootmode_clock_reg]]
		if {$clk ne "" && (($clk >> [dict get $p bootmode_clock_bit]) & 1)} {
			set w [stlink_diag_mcu_read facts $mr]
			if {$w ne ""} {
				set mode [expr {($w >> [dict get $p bootmode_shift]) & ((1 << [dict get $p bootmode_width]) - 1)}]
				lappend ev boot_mode_register "$mr mode $mode ([string trim [stlink_probe stm32 bootmode $family $mode]])"
			}
		} else {
			lappend ev boot_mode_register "not read: the SYSCFG clock is off, so $mr would read wrongly"
		}
	}
	if {[stlink_diag_get $facts held_at_reset_vector 0]} {
		lappend ev reset_halt "the core is held at its reset vector: address 0 and the vectors were read before any application code ran"
	} else {
		lappend ev reset_halt "not done: the PC after a reset-halt would confirm the boot source (0x08... user flash, 0x1FF... system memory)"
	}

	dict set facts boot.source $source
	dict set facts boot.select [dict get $p boot_select]
	if {$empty} {
		return [stlink_diag_layer boot fail boot.empty_flash \
			"user flash is empty (vector table reads 0xFFFFFFFF): there is no program to run[expr {$source eq "system memory" ? "; the core runs the ROM bootloader" : ""}]" \
			$ev "flash a program; parts with the empty check keep booting the ROM bootloader until a power cycle after flashing"]
	}
	if {$bad ne "" && $source in {"user flash" ""}} {
		return [stlink_diag_layer boot fail boot.bad_vector_table \
			"the vector table in user flash is not a program's: $bad" $ev \
			"flash a program built for this part (linker script: vector table at [format 0x%08x $fb], initial SP at the top of SRAM, Thumb reset handler in flash)"]
	}
	switch -exact -- $source {
		"user flash" {
			return [stlink_diag_layer boot ok boot.flash "the core boots from user flash: $why" $ev]
		}
		"system memory" {
			return [stlink_diag_layer boot fail boot.system_memory \
				"the core boots the ROM bootloader (system memory), not your program: $why" $ev \
				"[dict get $p boot_fix] (boot selection: [dict get $p boot_select])"]
		}
		"SRAM" {
			dict set facts boot.summary "the core boots from SRAM, not from user flash: $why"
			dict set facts boot.fix "[dict get $p boot_fix] (boot selection: [dict get $p boot_select])"
			return [stlink_diag_layer boot fail boot.sram [dict get $facts boot.summary] $ev [dict get $facts boot.fix]]
		}
	}
	return [stlink_diag_layer boot skipped boot.unknown \
		"not determined without a reset-halt: address 0 matches neither user flash nor system memory" $ev]
}

# Vector-table sanity (ARMv7-M ARM DDI0403E B1.5.3, "the vector table"): the
# initial SP in RAM, the reset vector a Thumb (odd) address inside flash.
# "" when both are plausible, else what is wrong. RAM: the SRAM, CCM/SRAM2
# and TCM/AXI regions STM32s map at 0x1000_0000, 0x2000_0000, 0x2400_0000
# and 0x3000_0000-0x3800_0000 (RM0090 §2.3, RM0351 §2.2, RM0433 §2.3).
proc stlink_diag_boot_vector_problem {sp pc flash_base flash_kb} {
	set ram 0
	foreach {lo hi} {0x10000000 0x10100000 0x20000000 0x20200000 0x24000000 0x24200000 0x30000000 0x30100000 0x38000000 0x38100000} {
		if {$sp > $lo && $sp <= $hi} {
			set ram 1
		}
	}
	set top [expr {$flash_base + ($flash_kb > 0 ? $flash_kb * 1024 : 0x00200000)}]
	set problems {}
	if {!$ram} {
		lappend problems "initial SP $sp is not in RAM"
	}
	if {!($pc & 1)} {
		lappend problems "reset vector $pc is not a Thumb address (bit 0 clear)"
	} elseif {$pc < $flash_base || $pc >= $top} {
		lappend problems "reset vector $pc is outside flash ([format 0x%08x $flash_base]..[format 0x%08x $top])"
	}
	return [join $problems "; "]
}
