/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Transfer error rate of the SWD link: block reads of a region every
 * Cortex-M answers, and what one block's GETLASTRWSTATUS(2) reply says about
 * it. Depends on the C standard library and stlink_diag_status.c only, so
 * the unit tests build it alone.
 *
 * Sources: OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c:
 * stlink_usb_read_mem32() (READMEM_32BIT: address at cmd[2..5], length in
 * bytes at cmd[6..7]), stlink_usb_get_rw_status() (GETLASTRWSTATUS2 0x3E,
 * 12-byte reply, on STLINK_F_HAS_GETLASTRWSTATUS2 firmware; else
 * GETLASTRWSTATUS 0x3B, 2 bytes), stlink_max_block_size() and the
 * "Using TAR autoincrement" default (1 KiB blocks); pyOCD
 * pyocd/probe/stlink/stlink.py, STLink._read_mem() (the fault address at
 * reply bytes 4..7 of GETLASTRWSTATUS2).
 */

#ifndef OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ERRRATE_H
#define OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ERRRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The region read: the last KiB of the Cortex-M ROM table (0xE00FF000, 4 KiB),
 * which ends with the component ID registers CIDR0..3 at 0xFF0..0xFFC.
 * Every Cortex-M has its ROM table at 0xE00FF000 in the Private Peripheral
 * Bus (ARM DDI 0419 ARMv6-M and ARM DDI 0403 ARMv7-M Architecture Reference
 * Manuals, debug chapter, "ROM table"; ARM DDI 0553 ARMv8-M likewise); the
 * PPB is read by the debugger whatever the flash read protection (RDP
 * level 1 blocks flash, SRAM and backup registers only: e.g. RM0090,
 * "Read protection (RDP)") and the ROM table has no side effect on read.
 * One KiB, 1 KiB aligned: the TAR auto-increment range every MEM-AP
 * guarantees (ARM IHI 0031 ADIv5, MEM-AP "Automatic address increment": at
 * least the 10 low bits), so one READMEM_32BIT never crosses it.
 */
#define STLINK_DIAG_ERRRATE_ADDR	0xE00FFC00u
#define STLINK_DIAG_ERRRATE_BLOCK_BYTES	1024u
/* CIDR0..3 of a CoreSight component (ARM IHI 0029 CoreSight Architecture
 * Specification, "Component Identification Registers": preamble 0x0D, class 1
 * (ROM table) in CIDR1[7:4], 0x05, 0xB1; bits [31:8] read as zero) */
#define STLINK_DIAG_ERRRATE_CIDR_OFFSET	0x3F0u	/* from STLINK_DIAG_ERRRATE_ADDR */
extern const uint32_t stlink_diag_errrate_rom_cidr[4];

enum stlink_diag_errrate_kind {
	STLINK_DIAG_ERRRATE_OK,		/* every word of the block arrived */
	STLINK_DIAG_ERRRATE_ERROR,	/* a transfer failed: no ACK, parity, FAULT, protocol error */
	STLINK_DIAG_ERRRATE_WAIT,	/* the AP stalled: a stopped clock, not the wire */
	STLINK_DIAG_ERRRATE_MALFORMED,	/* a status no firmware sends: the reply is not trusted */
};

/* What one block read (READMEM_32BIT + GETLASTRWSTATUS(2)) says. */
struct stlink_diag_errrate_block {
	enum stlink_diag_errrate_kind kind;
	uint8_t status;			/* reply byte 0 */
	bool has_addr;			/* GETLASTRWSTATUS2: bytes 4..7 are the fault address */
	uint32_t fault_addr;
	bool addr_in_block;		/* the fault address names a word of the block */
	uint32_t words_ok;		/* words transferred before the failed one (all on success) */
};

/*
 * Decode the GETLASTRWSTATUS2 (12 bytes) or GETLASTRWSTATUS (2 bytes)
 * reply after a READMEM_32BIT of @words words at @addr. A failed block
 * counts the words before the fault address as transferred; without an
 * address inside the block (old firmware, a reply with a zero tail) none.
 * Returns 0, or -1 for a reply shorter than 2 bytes, @words 0 or a
 * misaligned @addr.
 */
int stlink_diag_errrate_block_decode(uint32_t addr, uint32_t words, const uint8_t *reply, size_t len,
		struct stlink_diag_errrate_block *b);

/* Words of the next block at @addr: at most @left, never across a 1 KiB boundary. */
uint32_t stlink_diag_errrate_block_words(uint32_t addr, uint32_t left);

/* Words of the ROM table's component ID among @words words read at @addr
 * that differ from stlink_diag_errrate_rom_cidr (@data: the words read, LE). */
unsigned int stlink_diag_errrate_cidr_mismatches(uint32_t addr, uint32_t words, const uint8_t *data);

#endif /* OPENOCD_JTAG_DRIVERS_STLINK_DIAG_STLINK_DIAG_ERRRATE_H */
