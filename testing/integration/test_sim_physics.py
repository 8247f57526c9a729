# SPDX-License-Identifier: GPL-2.0-or-later
"""The simulator's physical model (testing/sim/SILICON.md, README "Physical model").

Each test drives the simulator through plain ST-LINK commands over the stlink-server TCP protocol
(as OpenOCD 0.12.0 speaks it: src/jtag/drivers/stlink_usb.c, stlink_tcp_send_cmd) or through stock OpenOCD, and checks one documented behaviour or one
value of an uncertain option. Expected values come from the documents cited in SILICON.md (register
addresses and bits, reset values, periods), never from the simulator's output.
"""

import json
import socket
import struct
import subprocess
import time

import pytest

from conftest import STLINK_SIM, STOCK_OPENOCD, Sim, require_file

OK, AP_FAULT, AP_ERROR, AP_PARITY, AP_WAIT = 0x80, 0x11, 0x12, 0x13, 0x10
DP_WAIT, DP_FAULT, DP_ERROR, DP_PARITY, IDCODE_ERROR = 0x14, 0x15, 0x16, 0x17, 0x09
DHCSR, DEMCR, DWT_CTRL, DWT_CYCCNT, DWT_PCSR = 0xE000EDF0, 0xE000EDFC, 0xE0001000, 0xE0001004, 0xE000101C
CFSR, HFSR, BFAR, DFSR = 0xE000ED28, 0xE000ED2C, 0xE000ED38, 0xE000ED30
S_HALT, S_SLEEP, S_LOCKUP, S_RESET_ST = 1 << 17, 1 << 18, 1 << 19, 1 << 25
DBGKEY = 0xA05F0000
# V2 SWD_SET_FREQ divisors (OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c, stlink_khz_to_speed_map_swd): 0 = 4000 kHz, 1 = 1800, 7 = 480, 31 = 125
DIV = {4000: 0, 1800: 1, 480: 7, 125: 31}


class Probe:
    """ST-LINK commands over one stlink-server connection (layouts: OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c, stlink_tcp_send_cmd and the STLINK_* commands)."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        usb_id = struct.unpack_from("<II", self._x(struct.pack("<BBxxI", 0x02, 0, 41), 45))[1]
        status, self.cid = struct.unpack("<II", self._x(struct.pack("<BxxxI", 0x03, usb_id), 8))
        assert status == 1

    def _x(self, req, n):
        self.s.sendall(req)
        buf = b""
        while len(buf) < n:
            chunk = self.s.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("closed")
            buf += chunk
        return buf

    def cmd(self, cmd, size):
        hdr = struct.pack("<BxxxI16sBxxxI", 0x05, self.cid, bytes(cmd).ljust(16, b"\0"), 1, size)
        r = self._x(hdr, 4 + size)
        return r[4:]

    def enter(self):
        return self.cmd([0xF2, 0x30, 0xA3], 2)[0]

    def freq(self, khz):
        return self.cmd([0xF2, 0x43] + list(struct.pack("<H", DIV[khz])), 2)[0]

    def rd(self, addr):
        r = self.cmd([0xF2, 0x36] + list(struct.pack("<I", addr)), 8)
        return r[0], struct.unpack_from("<I", r, 4)[0]

    def wr(self, addr, val):
        return self.cmd([0xF2, 0x35] + list(struct.pack("<II", addr, val)), 2)[0]

    def dp(self, reg):
        r = self.cmd([0xF2, 0x45] + list(struct.pack("<HH", 0xFFFF, reg)), 8)
        return r[0], struct.unpack_from("<I", r, 4)[0]

    def block(self, addr, words):
        """READMEM_32BIT of `words` words, then GETLASTRWSTATUS2: the status of the block."""
        return self.block_full(addr, words)[0]

    def block_full(self, addr, words):
        """READMEM_32BIT then GETLASTRWSTATUS2: (status, fault address at bytes 4..7, data)."""
        data = self.cmd([0xF2, 0x07] + list(struct.pack("<IH", addr, 4 * words)), 4 * words)
        r = self.cmd([0xF2, 0x3E], 12)
        return r[0], struct.unpack_from("<I", r, 4)[0], data

    def nrst(self, level):
        return self.cmd([0xF2, 0x3C, level], 2)[0]

    def reg(self, n):
        r = self.cmd([0xF2, 0x33, n], 8)
        return r[0], struct.unpack_from("<I", r, 4)[0]

    def volts(self):
        a0, a1 = struct.unpack("<II", self.cmd([0xF7], 8))
        return 2 * a1 * 1.2 / a0

    def tick(self, n=1):
        """n commands that touch nothing: simulated time runs on by the modelled command time each."""
        for _ in range(n):
            self.cmd([0xF5], 2)

    def close(self):
        self.s.close()


@pytest.fixture
def probe(tmp_path):
    sims, probes = [], []

    def start(scenario):
        s = Sim(tmp_path, scenario, exit_on_disconnect=False, timeout=60)
        sims.append(s)
        p = Probe(s.port)
        probes.append(p)
        return p

    yield start
    for p in probes:
        p.close()
    for s in sims:
        s.terminate()


def scen(model="f4", actions=(), **sections):
    """A physical scenario: deterministic time (1 ms per command) unless timing is given."""
    sc = {"target": {"model": model}, "timing": {"wall_clock": False, "probe_us": 1000}}
    if actions:
        sc["firmware"] = {"actions": list(actions)}
    for k, v in sections.items():
        if k == "target":
            sc["target"].update(v)
        else:
            sc[k] = v
    return sc


def read_ok(p, addr):
    st, v = p.rd(addr)
    assert st == OK, f"read 0x{addr:08x}: status 0x{st:02x}"
    return v


# ------------------------------------------------------------------ wiring (W1..W4)

def failures(p, khz, blocks=150, words=16):
    assert p.freq(khz) == OK
    return sum(p.block(0x20000000, words) != OK for _ in range(blocks))


def test_error_rate_rises_with_clock(probe):
    # crit 3000 kHz: per transfer ~1.6 % at 1800 kHz, ~4e-7 at 480 kHz (W2)
    p = probe(scen(wiring={"crit_khz": 3000}, seed=3))
    p.freq(480)
    while p.enter() != OK:
        pass
    fast, slow = failures(p, 1800), failures(p, 480)
    assert fast >= 15 and slow <= 2, (fast, slow)


def test_errors_hit_dp_reads_too(probe):
    p = probe(scen(wiring={"crit_khz": 2000}, seed=5))
    p.freq(125)
    assert p.enter() == OK
    p.freq(1800)
    codes = [p.dp(0)[0] for _ in range(400)]
    bad = [c for c in codes if c != OK]
    assert len(bad) > 20 and set(bad) <= {DP_ERROR, DP_PARITY}, set(bad)


@pytest.mark.parametrize("option,flat", [("flat", True), ("rising", False)])
def test_no_ground_errors_at_every_clock(probe, option, flat):
    p = probe(scen(wiring={"ground": False, "no_ground_rate": 0.05, "crit_khz": 3000},
                   options={"no_ground_errors": option}, seed=7))
    p.freq(125)
    while p.enter() != OK:
        pass
    slow = failures(p, 125, blocks=200, words=4)
    assert slow > 20, slow              # 1 - 0.95^4 = 19 % of 200 blocks even at 125 kHz
    fast = failures(p, 4000, blocks=200, words=4)
    if flat:
        assert abs(fast - slow) < 40, (fast, slow)
    else:
        assert fast > slow + 30, (fast, slow)


@pytest.mark.parametrize("status,expect", [("error", DP_ERROR), ("fault", DP_FAULT)])
def test_no_ack_status_option(probe, status, expect):
    p = probe(scen(wiring={"crit_khz": 500}, options={"no_ack_status": status, "parity_status": "error"},
                   seed=11))
    p.freq(125)
    while p.enter() != OK:
        pass
    p.freq(4000)
    codes = {p.dp(0)[0] for _ in range(50)}
    assert codes == {expect}


def test_stats_count_transfers_errors_and_simulated_time(tmp_path):
    sim = Sim(tmp_path, scen(wiring={"crit_khz": 2000}, seed=5), exit_on_disconnect=False, timeout=60)
    p = Probe(sim.port)
    p.freq(125)
    assert p.enter() == OK
    p.freq(1800)
    fails = sum(p.block(0x20000000, 16) != OK for _ in range(20))
    p.close()
    sim.terminate()
    st = json.loads(sim.stats_file.read_text())
    # the connect, then 20 blocks of 16 words; a failed block stops at its failed transfer (W5)
    assert 1 + (20 - fails) * 16 + fails <= st["swd_transfers"] < 1 + 20 * 16
    assert st["swd_transfer_errors"] >= fails > 0
    assert st["simulated_ms"] > 2000                       # 2 s powered before the first command (README)


def test_block_error_names_the_failed_word(probe):
    """W5: a block stops at its failed transfer; GETLASTRWSTATUS2 bytes 4..7 name that word, the words
    before it carry data. The ROM table's last words are its component ID (ARM IHI 0029: CIDR0..3 =
    0x0D, 0x10, 0x05, 0xB1), so data read before a failure can be checked."""
    p = probe(scen(wiring={"ground": False, "no_ground_rate": 0.05}, options={"no_ground_errors": "flat"},
                   seed=21))
    p.freq(125)
    while p.enter() != OK:
        pass
    base = 0xE00FFFE0                                        # 8 words, CIDR0..3 the last four
    offsets, clean = [], 0
    for _ in range(200):
        status, fault, data = p.block_full(base, 8)
        if status == OK:
            clean += 1
            assert struct.unpack_from("<4I", data, 16) == (0x0D, 0x10, 0x05, 0xB1)
            continue
        assert status in (AP_ERROR, AP_PARITY), hex(status)
        assert base <= fault < base + 32 and fault % 4 == 0, hex(fault)
        offsets.append((fault - base) // 4)
        # the words before the failed one arrived
        for i in range(4, (fault - base) // 4):
            assert struct.unpack_from("<I", data, 4 * i)[0] == (0x0D, 0x10, 0x05, 0xB1)[i - 4]
        while p.enter() != OK:
            pass
    # p = 0.05 a word: most blocks of 8 are clean, failures fall on every word, not only the first
    assert clean > 100 and len(offsets) > 20, (clean, len(offsets))
    assert len(set(offsets)) >= 4 and max(offsets) >= 4, offsets


@pytest.mark.parametrize("status,parity", [("parity", True), ("error", False)])
def test_parity_status_option(probe, status, parity):
    p = probe(scen(wiring={"crit_khz": 500}, options={"parity_status": status}, seed=13))
    p.freq(125)
    while p.enter() != OK:
        pass
    p.freq(4000)
    codes = {p.dp(0)[0] for _ in range(100)}
    assert (DP_PARITY in codes) == parity, codes
    assert codes <= {DP_PARITY, DP_ERROR}, codes


@pytest.mark.parametrize("wiring", [{"swdio": "open"}, {"swclk": "open"}, {"swapped": True}])
def test_open_or_swapped_never_answers(probe, wiring):
    p = probe(scen(wiring=wiring))
    for khz in (125, 480, 1800, 4000):
        p.freq(khz)
        assert p.enter() == IDCODE_ERROR
    assert abs(p.volts() - 3.3) < 0.05


# ------------------------------------------------------------------ time, IWDG (T1, T2, I1..I3)

def test_iwdg_resets_after_its_period(probe):
    # PR /4, RLR 0xFFF at 32 kHz: 512 ms (RM0090 Table 107); every command takes 10 ms of simulated time
    p = probe(scen(actions=[{"at_us": 100, "do": "iwdg_start"}], timing={"wall_clock": False, "probe_us": 10000}))
    assert p.enter() == OK
    read_ok(p, DHCSR)
    seen = [i for i in range(200) if read_ok(p, DHCSR) & S_RESET_ST]
    gaps = [b - a for a, b in zip(seen, seen[1:])]
    assert len(seen) >= 3 and all(50 <= g <= 53 for g in gaps), seen
    flags = read_ok(p, 0x40023874)
    assert flags & (1 << 29) and flags & (1 << 26)   # IWDGRSTF, and PINRSTF with every internal reset


def test_icsr_vectactive_in_fault_handler(probe):
    # D6: Thread mode while the application runs; 3 (HardFault) once it faults, spinning or locked up
    ICSR = 0xE000ED04
    p = probe(scen())
    assert p.enter() == OK
    assert read_ok(p, ICSR) & 0x1FF == 0
    for handler in ("spin", "fault"):
        p = probe(scen(actions=[{"at_us": 100, "do": "bad_pointer", "handler": handler}]))
        assert p.enter() == OK
        p.tick(5)
        assert read_ok(p, ICSR) & 0x1FF == 3, handler


def test_sysreset_action_loops_with_sft_flag(probe):
    # C4: the application resets itself 3 ms after every boot; every command takes 1 ms of simulated time
    p = probe(scen(actions=[{"at_us": 3000, "do": "sysreset"}]))
    assert p.enter() == OK
    read_ok(p, DHCSR)
    seen = [i for i in range(40) if read_ok(p, DHCSR) & S_RESET_ST]
    assert len(seen) >= 5, seen
    gaps = [b - a for a, b in zip(seen, seen[1:])]
    assert all(2 <= g <= 4 for g in gaps), seen
    flags = read_ok(p, 0x40023874)
    assert flags & (1 << 28) and flags & (1 << 26)   # SFTRSTF, and PINRSTF with every internal reset
    assert not flags & (1 << 29)                      # no IWDGRSTF: nothing but the application reset it


def test_iwdg_refreshed_never_resets(probe):
    p = probe(scen(actions=[{"at_us": 100, "do": "iwdg_start", "refresh_us": 100000}],
                   timing={"wall_clock": False, "probe_us": 10000}))
    assert p.enter() == OK
    read_ok(p, DHCSR)
    p.tick(200)
    assert not read_ok(p, DHCSR) & S_RESET_ST


def test_iwdg_in_wall_clock_time(probe):
    p = probe(scen(actions=[{"at_us": 100, "do": "iwdg_start", "prescaler": 4, "reload": 1023}],
                   timing={"wall_clock": True}))
    assert p.enter() == OK                           # 4 * 1024 / 32 kHz = 128 ms
    read_ok(p, DHCSR)
    time.sleep(0.3)
    assert read_ok(p, DHCSR) & S_RESET_ST


@pytest.mark.parametrize("freeze", [False, True])
def test_hw_watchdog_while_halted_and_freeze_bit(probe, freeze):
    p = probe(scen(target={"hw_watchdog": True}, timing={"wall_clock": False, "probe_us": 10000}))
    assert p.enter() == OK
    assert p.wr(DHCSR, DBGKEY | 3) == OK             # halt
    if freeze:
        assert p.wr(0xE0042008, 1 << 12) == OK       # DBG_IWDG_STOP (F4 DBGMCU_APB1_FZ)
    read_ok(p, DHCSR)
    p.tick(60)
    assert bool(read_ok(p, DHCSR) & S_RESET_ST) != freeze


@pytest.mark.parametrize("model,hz", [("f1", 8e6), ("f4", 16e6), ("l4", 4e6), ("h7", 64e6)])
def test_core_clock_after_reset(probe, model, hz):
    p = probe(scen(model=model))
    assert p.enter() == OK
    assert p.wr(DEMCR, 1 << 24) == OK                # TRCENA
    assert p.wr(DWT_CTRL, 1) == OK                   # CYCCNTENA
    a = read_ok(p, DWT_CYCCNT)
    p.tick(10)
    b = read_ok(p, DWT_CYCCNT)
    ms = 11 + 1                                      # 11 commands of 1 ms since a (+1 for the read itself)
    assert abs((b - a) - hz * ms / 1000) < hz * 2 / 1000, (b - a)


def test_block_transfer_time_at_slow_clock(probe):
    # T3: 46 SWCLK cycles per transfer; 256 words at 125 kHz = 94.2 ms on top of the 1 ms round trips
    p = probe(scen())
    assert p.enter() == OK
    assert p.wr(DEMCR, 1 << 24) == OK
    assert p.wr(DWT_CTRL, 1) == OK
    assert p.freq(125) == OK
    a = read_ok(p, DWT_CYCCNT)
    assert p.block(0x20000000, 256) == OK
    b = read_ok(p, DWT_CYCCNT)
    ms = (b - a) / 16e3                              # F4 HSI 16 MHz
    assert 94 < ms < 100, ms


# ------------------------------------------------------------------ low-power modes (L1..L5)

def stop_scen(mode="stop", dbg=None, model="f4", **kw):
    acts = []
    if dbg is not None:
        acts.append({"at_us": 50, "do": "dbgmcu_cr", "value": dbg})
    acts.append({"at_us": 200, "do": "sleep", "mode": mode})
    return scen(model=model, actions=acts, **kw)


@pytest.mark.parametrize("stall,codes", [("wait", [AP_WAIT, DP_WAIT, DP_WAIT]), ("fault", [AP_FAULT] * 3)])
def test_stop_without_dbg_stop_dp_answers_ap_stalls(probe, stall, codes):
    p = probe(stop_scen(options={"stall_status": stall}))
    assert p.enter() == OK
    assert p.dp(0) == (OK, 0x2BA01477)
    assert [p.rd(DHCSR)[0] for _ in range(3)] == codes


def test_stop_dp_silent_option(probe):
    p = probe(stop_scen(options={"stop_dp": "silent"}))
    assert p.enter() == IDCODE_ERROR


def test_stop_with_dbg_stop_stays_debuggable(probe):
    p = probe(stop_scen(dbg=2))
    assert p.enter() == OK
    assert read_ok(p, DHCSR) & S_SLEEP
    assert read_ok(p, 0xE000ED10) & 4                # SCB_SCR.SLEEPDEEP
    assert read_ok(p, 0x40007000) & 3 == 1           # PWR_CR: LPDS, PDDS = 0 (Stop)


def test_debugger_sets_dbg_stop_under_reset(probe):
    p = probe(stop_scen())
    assert p.nrst(0) == OK
    assert p.enter() == OK
    assert p.wr(0xE0042004, 2) == OK                 # DBG_STOP, read live by the silicon
    assert p.nrst(1) == OK
    p.tick(5)
    assert read_ok(p, DHCSR) & S_SLEEP


@pytest.mark.parametrize("option", ["silent", "answers"])
def test_standby_without_dbg_standby(probe, option):
    p = probe(stop_scen("standby", options={"standby_dp": option}))
    if option == "silent":
        assert p.enter() == IDCODE_ERROR
        return
    assert p.enter() == OK
    assert p.dp(0)[0] == OK
    assert p.rd(DHCSR)[0] == AP_WAIT


def test_standby_flag_survives_system_reset(probe):
    p = probe(stop_scen("standby"))
    assert p.nrst(0) == OK                           # connect under reset
    assert p.enter() == OK
    assert read_ok(p, 0x40007004) & 2                # PWR_CSR.SBF (F4), kept over the pin reset
    assert p.wr(0x40007000, 1 << 3) == OK            # CSBF
    assert not read_ok(p, 0x40007004) & 2


@pytest.mark.parametrize("model,option,stalls", [
    ("f4", "documented", True), ("h7", "documented", True), ("l4", "documented", False),
    ("f4", "none", False), ("l4", "all", True)])
def test_sleep_without_dbg_sleep(probe, model, option, stalls):
    p = probe(stop_scen("sleep", model=model, options={"sleep_stops_hclk": option}))
    assert p.enter() == OK
    assert p.dp(0)[0] == OK
    st, v = p.rd(DHCSR)
    if stalls:
        assert st == AP_WAIT
    else:
        assert st == OK and v & S_SLEEP


# ------------------------------------------------------------------ lockup, faults, PCSR (C1..C3, D1, D2)

@pytest.mark.parametrize("needs", [False, True])
def test_s_lockup_and_c_debugen_option(probe, needs):
    p = probe(scen(actions=[{"at_us": 100, "do": "bad_pointer", "handler": "fault"}],
                   options={"s_lockup_needs_debugen": needs}))
    assert p.enter() == OK
    assert bool(read_ok(p, DHCSR) & S_LOCKUP) != needs
    assert p.wr(DHCSR, DBGKEY | 1) == OK             # C_DEBUGEN alone does not halt
    assert read_ok(p, DHCSR) & S_LOCKUP


@pytest.mark.parametrize("option,value", [("ones", 0xFFFFFFFF), ("lockup_pc", 0xFFFFFFFE)])
def test_pcsr_of_a_locked_core(probe, option, value):
    p = probe(scen(actions=[{"at_us": 100, "do": "bad_pointer", "handler": "fault"}],
                   options={"pcsr_lockup": option}))
    assert p.enter() == OK
    assert read_ok(p, DWT_PCSR) == value


def test_pcsr_running_and_halted(probe):
    p = probe(scen())
    assert p.enter() == OK
    pc = read_ok(p, DWT_PCSR)
    assert 0x08000000 <= pc < 0x08100000
    assert p.wr(DHCSR, DBGKEY | 3) == OK
    assert read_ok(p, DWT_PCSR) == 0xFFFFFFFF


@pytest.mark.parametrize("option,ones", [("pc", False), ("ones", True)])
def test_pcsr_without_trcena_option(probe, option, ones):
    p = probe(scen(options={"pcsr_without_trcena": option}))
    assert p.enter() == OK
    assert (read_ok(p, DWT_PCSR) == 0xFFFFFFFF) == ones
    assert p.wr(DEMCR, 1 << 24) == OK                # with TRCENA the sampled PC, either way
    assert 0x08000000 <= read_ok(p, DWT_PCSR) < 0x08100000


@pytest.mark.parametrize("option,nonzero", [("absent", False), ("present", True)])
def test_pcsr_on_armv6m(probe, option, nonzero):
    p = probe(scen(model="g0", options={"pcsr_v6m": option}))
    assert p.enter() == OK
    assert (read_ok(p, DWT_PCSR) != 0) == nonzero


def test_bad_pointer_spin_sets_fault_registers(probe):
    p = probe(scen(actions=[{"at_us": 100, "do": "bad_pointer", "address": 0x60000004, "handler": "spin"}]))
    assert p.enter() == OK
    assert read_ok(p, CFSR) & ((1 << 9) | (1 << 15)) == (1 << 9) | (1 << 15)     # PRECISERR, BFARVALID
    assert read_ok(p, HFSR) & (1 << 30)                                          # FORCED
    assert read_ok(p, BFAR) == 0x60000004
    assert not read_ok(p, DHCSR) & S_LOCKUP
    assert p.wr(DHCSR, DBGKEY | 3) == OK
    assert p.reg(0x10)[1] & 0x1FF == 3                                            # IPSR HardFault


def test_armv6m_hardfault_has_no_fault_status_registers(probe):
    # C2: ARMv6-M has no CFSR/HFSR/BFAR (CMSIS core_cm0.h: SCB ends at SHCSR)
    p = probe(scen(model="g0", actions=[{"at_us": 100, "do": "bad_pointer", "handler": "spin"}]))
    assert p.enter() == OK
    assert read_ok(p, CFSR) == 0 and read_ok(p, HFSR) == 0
    assert p.wr(DHCSR, DBGKEY | 3) == OK
    assert p.reg(0x10)[1] & 0x3F == 3


@pytest.mark.parametrize("target", [{"vectors": "erased"}, {"vectors": "zero"},
                                    {"boot": "sram", "sram_contents": "zero"}])
def test_bad_vector_table_locks_up_at_reset(probe, target):
    p = probe(scen(target=target))
    assert p.enter() == OK
    assert p.wr(DHCSR, DBGKEY | 1) == OK
    assert read_ok(p, DHCSR) & S_LOCKUP
    assert p.wr(DHCSR, DBGKEY | 3) == OK
    assert p.reg(15)[1] == 0xFFFFFFFE


def test_g0_empty_flash_boots_the_rom_by_empty_check(probe):
    p = probe(scen(model="g0", target={"vectors": "erased"}))
    assert p.enter() == OK
    assert p.wr(DHCSR, DBGKEY | 1) == OK
    assert not read_ok(p, DHCSR) & S_LOCKUP
    assert p.wr(DHCSR, DBGKEY | 3) == OK
    assert 0x1FFF0000 <= p.reg(15)[1] < 0x1FFF7000


# ------------------------------------------------------------------ supply (S1..S4), reset flags (R1)

def test_brownout_resets_and_sets_bor_flag(probe):
    p = probe(scen(supply={"vdd": 1.75, "dip_v": 0.1, "dip_hz": 20}, timing={"wall_clock": False,
                                                                             "probe_us": 5000}))
    assert abs(p.volts() - 1.75) < 0.02
    while p.enter() != OK:
        p.tick()
    st, v = p.rd(0x40023874)
    for _ in range(40):
        if st == OK:
            break
        st, v = p.rd(0x40023874)
    assert p.wr(0x40023874, 1 << 24) in (OK, DP_ERROR)
    p.tick(20)                                       # 100 ms: two dips at 20 Hz
    seen = dhcsr = 0
    for _ in range(40):
        st, v = p.rd(0x40023874)
        if st == OK:
            seen |= v
        st, v = p.rd(DHCSR)
        if st == OK:
            dhcsr |= v
    assert seen & (1 << 25) and seen & (1 << 26)     # BORRSTF + PINRSTF
    assert dhcsr & S_RESET_ST


def test_fast_dips_hold_the_part_in_reset(probe):
    # a dip during the 2.6 ms reset temporization prolongs the reset: 10 kHz dips never let it go
    p = probe(scen(supply={"vdd": 1.8, "dip_v": 0.2, "dip_hz": 10000}))
    assert p.enter() == IDCODE_ERROR


def test_below_pdr_held_in_reset(probe):
    p = probe(scen(supply={"vdd": 1.5}))
    assert p.enter() == IDCODE_ERROR
    assert abs(p.volts() - 1.5) < 0.02


def test_below_pdr_option_answers_in_reset(probe):
    p = probe(scen(supply={"vdd": 1.5}, options={"below_pdr_dp": "answers_in_reset"}))
    assert p.enter() == OK
    assert read_ok(p, DHCSR) & S_RESET_ST
    assert read_ok(p, DHCSR) & S_RESET_ST


def test_l4_at_1v8_is_healthy(probe):
    p = probe(scen(model="l4", supply={"vdd": 1.8}))
    assert p.enter() == OK
    read_ok(p, DHCSR)
    p.tick(50)
    assert not read_ok(p, DHCSR) & S_RESET_ST


def test_unpowered(probe):
    p = probe(scen(supply={"vdd": 0}))
    assert p.enter() == IDCODE_ERROR
    assert p.volts() < 0.05


def test_vapp_unwired_reads_zero_while_target_answers(probe):
    p = probe(scen(supply={"vdd": 3.3, "vapp_wired": False}))
    assert p.volts() < 0.05
    assert p.enter() == OK


@pytest.mark.parametrize("model,reg,flags", [
    ("f4", 0x40023874, (1 << 28) | (1 << 26)), ("f1", 0x40021024, (1 << 28) | (1 << 26)),
    ("l4", 0x40021094, (1 << 28) | (1 << 26)), ("g0", 0x40021060, (1 << 28) | (1 << 26)),
    ("h7", 0x580244D0, (1 << 24) | (1 << 22))])
def test_software_reset_flags_and_rmvf(probe, model, reg, flags):
    rmvf = {"f4": 24, "f1": 24, "l4": 23, "g0": 23, "h7": 16}[model]
    p = probe(scen(model=model))
    assert p.enter() == OK
    assert p.wr(reg, 1 << rmvf) == OK
    assert read_ok(p, reg) == 0
    assert p.wr(0xE000ED0C, 0x05FA0004) == OK        # SYSRESETREQ
    assert read_ok(p, reg) == flags


# ------------------------------------------------------------------ pins, NRST (G1..G3, N1)

@pytest.mark.parametrize("model", ["f4", "g0", "h7", "f1"])
def test_pins_taken_answer_under_nrst_only(probe, model):
    p = probe(scen(model=model, actions=[{"at_us": 500, "do": "take_swd_pins"}]))
    assert p.enter() == IDCODE_ERROR
    assert p.nrst(0) == OK
    assert p.enter() == OK
    assert read_ok(p, DHCSR) & S_RESET_ST
    assert p.nrst(1) == OK
    assert p.dp(0)[0] == DP_ERROR                    # the application took them again within microseconds


@pytest.mark.parametrize("model", ["f4", "g0"])
@pytest.mark.parametrize("vc_corereset", [1, 0])
def test_vector_catch_halts_at_reset_vector(probe, model, vc_corereset):
    """D5: DEMCR.VC_CORERESET (b0) with DHCSR.C_DEBUGEN set under reset halts the core on leaving reset,
    with the PC at the reset vector and DFSR.VCATCH (b3) set, before any instruction: the application's
    actions (here: taking the SWD pins at 500 us) wait until the core is resumed. Without VC_CORERESET
    C_DEBUGEN alone does not halt it (C_HALT does not survive the reset)."""
    p = probe(scen(model=model, actions=[{"at_us": 500, "do": "take_swd_pins"}]))
    assert p.nrst(0) == OK
    assert p.enter() == OK
    assert p.wr(DEMCR, vc_corereset) == OK
    assert p.wr(DHCSR, DBGKEY | 1) == OK            # C_DEBUGEN
    assert p.nrst(1) == OK
    if not vc_corereset:
        p.tick(5)
        assert p.dp(0)[0] == DP_ERROR               # it ran, and took the pins
        return
    assert read_ok(p, DHCSR) & S_HALT
    assert read_ok(p, DFSR) & (1 << 3)             # VCATCH
    reset_vector = read_ok(p, 0x08000004)           # flash is aliased at 0 (boot from flash)
    st, pc = p.reg(15)
    assert st == OK and pc == reset_vector & ~1
    p.tick(20)                                      # 20 ms: the application has not run
    assert p.dp(0)[0] == OK and read_ok(p, DHCSR) & S_HALT
    assert p.wr(DEMCR, 0) == OK
    assert p.wr(DHCSR, DBGKEY | 1) == OK            # clear C_HALT: it runs
    p.tick(5)
    assert p.dp(0)[0] == DP_ERROR                   # and takes the pins 500 us later


def test_pins_taken_without_nrst_wire(probe):
    p = probe(scen(actions=[{"at_us": 500, "do": "take_swd_pins"}], wiring={"nrst": False}))
    assert p.nrst(0) == OK
    assert p.enter() == IDCODE_ERROR


@pytest.mark.parametrize("value,answers", [(2, True), (4, False), (1, True)])
def test_f1_swj_cfg(probe, value, answers):
    p = probe(scen(model="f1", actions=[{"at_us": 100, "do": "swj_cfg", "value": value}]))
    assert (p.enter() == OK) == answers
    if answers:
        assert read_ok(p, 0x40010004) >> 24 & 7 == 0  # SWJ_CFG is write-only: reads 0


@pytest.mark.parametrize("option,value", [("zero", 0), ("written", 2)])
def test_swj_cfg_read_option(probe, option, value):
    p = probe(scen(model="f1", actions=[{"at_us": 100, "do": "swj_cfg", "value": 2}],
                   options={"swj_cfg_read": option}))
    assert p.enter() == OK
    assert read_ok(p, 0x40010004) >> 24 & 7 == value


def test_held_in_reset_by_the_board(probe):
    p = probe(scen(wiring={"nrst_held_low": True}))
    assert p.enter() == OK
    assert p.nrst(1) == OK
    assert read_ok(p, DHCSR) & S_RESET_ST
    assert read_ok(p, DHCSR) & S_RESET_ST


# ------------------------------------------------------------------ protection, boot (X1, X2, B3, D4)

@pytest.mark.parametrize("option,code", [("ap_fault", AP_FAULT), ("ap_error", AP_ERROR)])
def test_rdp1_flash_read_status(probe, option, code):
    p = probe(scen(target={"rdp_level": 1}, options={"rdp1_read_status": option}))
    assert p.enter() == OK
    assert p.rd(0x08000000)[0] == code
    assert p.rd(0x20000000)[0] == OK


@pytest.mark.parametrize("option,code", [("readable", OK), ("fault", AP_FAULT)])
def test_rdp1_sram_option_f1(probe, option, code):
    p = probe(scen(model="f1", target={"rdp_level": 1}, options={"rdp1_sram": option}))
    assert p.enter() == OK
    assert p.rd(0x20000000)[0] == code


def test_rdp2_never_answers_even_under_reset(probe):
    p = probe(scen(target={"rdp_level": 2}))
    assert p.nrst(0) == OK
    assert p.enter() == IDCODE_ERROR
    assert abs(p.volts() - 3.3) < 0.05


@pytest.mark.parametrize("option,value", [("reset_value", 1), ("zero", 0)])
def test_syscfg_remap_option(probe, option, value):
    p = probe(scen(target={"boot": "sysmem"}, options={"syscfg_unclocked": option}))
    assert p.enter() == OK
    assert read_ok(p, 0x40013800) & 3 == value


@pytest.mark.parametrize("option,code", [("fault", AP_FAULT), ("readable", OK)])
def test_f7_idcode_under_reset_option(probe, option, code):
    p = probe(scen(model="f7", options={"idcode_under_reset": option}))
    assert p.nrst(0) == OK
    assert p.enter() == OK
    assert p.rd(0xE0042000)[0] == code


# ------------------------------------------------------------------ bad input

BAD = [
    ("unknown-key", {"target": {"model": "f4"}, "supply": {"volts": 3}}, ["supply.volts", "unknown key"]),
    ("wrong-type", {"target": {"model": "f4"}, "wiring": {"ground": "no"}}, ["wiring.ground", "true or false"]),
    ("range", {"target": {"model": "f4"}, "supply": {"vdd": 9}}, ["supply.vdd", "out of range"]),
    ("option", {"target": {"model": "f4"}, "options": {"stop_dp": "maybe"}}, ["options.stop_dp", "one of"]),
    ("action", {"target": {"model": "f4"}, "firmware": {"actions": [{"do": "explode"}]}}, ["do", "unknown"]),
    ("unpowered-brownout", {"target": {"model": "f4"}, "supply": {"vdd": 0, "dip_v": 0.2}},
     ["dip_v", "physically impossible"]),
    ("open-with-rate", {"target": {"model": "f4"}, "wiring": {"swdio": "open", "cable_cm": 50}},
     ["physically impossible"]),
    ("legacy-mix", {"target": {"model": "f4"}, "supply": {}, "faults": [{"type": "watchdog"}]},
     ["watchdog", "iwdg_start"]),
    ("swj-not-f1", {"target": {"model": "f4"}, "firmware": {"actions": [{"do": "swj_cfg", "value": 2}]}},
     ["swj_cfg", "only on F1"]),
    ("no-model", {"supply": {"vdd": 3.3}}, ["target.model"]),
]


@pytest.mark.parametrize("name,sc,patterns", BAD, ids=[b[0] for b in BAD])
def test_bad_physical_scenario_exits_2(tmp_path, name, sc, patterns):
    import json
    sim = require_file(STLINK_SIM, "build it: make -C testing/sim")
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(sc))
    p = subprocess.run([str(sim), "--scenario", str(path), "--port", "0", "--timeout", "5"],
                       capture_output=True, text=True, timeout=15)
    assert p.returncode == 2, p.stderr
    for pat in patterns:
        assert pat in p.stderr, (pat, p.stderr)
