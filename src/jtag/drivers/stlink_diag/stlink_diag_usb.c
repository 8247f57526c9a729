// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * `stlink_probe list`: enumerate every ST-LINK on USB.
 *
 * A probe is looked at without disturbing anybody: the one OpenOCD (or
 * stlink_diag) has open is reported from what is known, never reopened; any
 * other is opened, and only when its interface can be claimed (nobody else
 * uses it) does it get GET_VERSION (+ GET_VERSION_EX on a V3) and
 * GET_CURRENT_MODE, after which it is released: 2 or 3 round trips per free
 * probe, none for a busy one. Who holds a busy probe is found in
 * /proc/<pid>/fd, the links to its device node.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <stdarg.h>
#include <libusb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <helper/command.h>
#include <helper/log.h>
#include <jtag/hla/hla_transport.h>
#include <jtag/hla/hla_interface.h>

#include "stlink_diag_iface.h"
#include "stlink_diag_probe_models.h"
#include "stlink_diag_protocol.h"
#include "stlink_diag_session.h"
#include "stlink_diag_status.h"
#include "stlink_diag_usb.h"
#include "stlink_diag_usb_format.h"
#include "stlink_diag_version.h"

#define USB_MAX_PORTS		7	/* USB 3.0: at most 7 tiers */
#define USB_TIMEOUT_MS		1000	/* a free probe answers GET_VERSION within a few ms */
#define USB_RX_EP		0x81
#define USB_TX_EP		0x01	/* a PID the probe-model table does not know: as V2-1 and V3 */
#define USB_CMD_SIZE		16
/* bounds for the /proc scan, so a huge process table cannot stall the list */
#define PROC_MAX_PIDS		32768
#define PROC_MAX_FDS		4096

struct holder {
	long pid;
	char comm[64];
	char cmdline[256];
};

/* Is there a process with an fd on /dev/bus/usb/BBB/DDD? Matched on the path's
 * tail, which is the device node's identity wherever devtmpfs is mounted. */
static bool find_holder(uint8_t bus, uint8_t address, struct holder *h)
{
	char tail[32];
	DIR *proc = opendir("/proc");
	struct dirent *de;
	unsigned int pids = 0;
	bool found = false;

	if (!proc)
		return false;
	snprintf(tail, sizeof(tail), "/bus/usb/%03u/%03u", bus, address);
	while (!found && (de = readdir(proc)) && pids++ < PROC_MAX_PIDS) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == getpid())
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
		DIR *fds = opendir(path);
		if (!fds)
			continue;
		struct dirent *fe;
		unsigned int nfd = 0;
		while ((fe = readdir(fds)) && nfd++ < PROC_MAX_FDS) {
			char link[300], target[512];
			snprintf(link, sizeof(link), "/proc/%ld/fd/%s", pid, fe->d_name);
			ssize_t n = readlink(link, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			size_t tl = strlen(tail);
			if ((size_t)n >= tl && !strcmp(target + n - tl, tail)) {
				found = true;
				break;
			}
		}
		closedir(fds);
		if (!found)
			continue;
		h->pid = pid;
		h->comm[0] = h->cmdline[0] = '\0';
		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
		FILE *f = fopen(path, "r");
		if (f) {
			if (fgets(h->comm, sizeof(h->comm), f))
				h->comm[strcspn(h->comm, "\n")] = '\0';
			fclose(f);
		}
		snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
		f = fopen(path, "r");
		if (f) {
			size_t n = fread(h->cmdline, 1, sizeof(h->cmdline) - 1, f);
			fclose(f);
			for (size_t i = 0; i < n; i++)
				if (!h->cmdline[i])
					h->cmdline[i] = ' ';
			h->cmdline[n] = '\0';
			while (n && h->cmdline[n - 1] == ' ')
				h->cmdline[--n] = '\0';
		}
	}
	closedir(proc);
	return found;
}

/* ---- Tcl dict building ---------------------------------------------------- */

static void put(Jim_Interp *interp, Jim_Obj *d, const char *key, const char *fmt, ...)
	__attribute__ ((format (PRINTF_ATTRIBUTE_FORMAT, 4, 5)));
static void put(Jim_Interp *interp, Jim_Obj *d, const char *key, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	Jim_DictAddElement(interp, d, Jim_NewStringObj(interp, key, -1), Jim_NewStringObj(interp, buf, -1));
}

/* ---- one device ------------------------------------------------------------ */

static int xfer_in(struct libusb_device_handle *h, uint8_t tx_ep, uint8_t b0, uint8_t *reply, int len)
{
	uint8_t cmd[USB_CMD_SIZE] = { b0 };
	int n = 0;
	int r = libusb_bulk_transfer(h, tx_ep, cmd, sizeof(cmd), &n, USB_TIMEOUT_MS);

	if (r == 0 && n != (int)sizeof(cmd))
		r = LIBUSB_ERROR_IO;
	if (r == 0)
		r = libusb_bulk_transfer(h, USB_RX_EP, reply, len, &n, USB_TIMEOUT_MS);
	if (r == 0 && n != len)
		r = LIBUSB_ERROR_IO;
	return r;
}

/* GET_VERSION (+EX) and GET_CURRENT_MODE on a claimed probe. */
static void ask_probe(Jim_Interp *interp, Jim_Obj *d, struct libusb_device_handle *h, uint16_t pid)
{
	const struct stlink_diag_probe_model *model = stlink_diag_probe_model_lookup(pid);
	uint8_t tx = model ? model->tx_ep : USB_TX_EP;
	uint8_t reply[STLINK_DIAG_VERSION_EX_REPLY_SIZE];
	struct stlink_diag_version v;
	char fw[STLINK_DIAG_VERSION_STRING_SIZE];
	int r;

	r = xfer_in(h, tx, STLINK_DIAG_GET_VERSION, reply, STLINK_DIAG_VERSION_REPLY_SIZE);
	if (r == 0 && stlink_diag_version_decode(reply, STLINK_DIAG_VERSION_REPLY_SIZE, &v) == 0 && v.needs_ex) {
		r = xfer_in(h, tx, STLINK_DIAG_GET_VERSION_EX, reply, STLINK_DIAG_VERSION_EX_REPLY_SIZE);
		if (r == 0 && stlink_diag_version_decode_ex(reply, STLINK_DIAG_VERSION_EX_REPLY_SIZE, &v))
			r = LIBUSB_ERROR_OTHER;
	}
	if (r == 0) {
		stlink_diag_version_string(&v, fw, sizeof(fw));
		put(interp, d, "firmware", "%s", fw);
		put(interp, d, "stm8_only", "%d", v.stm8_only);
		put(interp, d, "version_error", "%s", "");
	} else {
		put(interp, d, "firmware", "%s", "");
		put(interp, d, "version_error", "GET_VERSION not answered: %s", libusb_error_name(r));
	}

	r = xfer_in(h, tx, STLINK_DIAG_GET_CURRENT_MODE, reply, STLINK_DIAG_MODE_REPLY_SIZE);
	const struct stlink_diag_mode *m = r == 0 ? stlink_diag_mode_lookup(reply[0]) : NULL;
	put(interp, d, "mode", "%s", m ? m->name : "unknown");
	put(interp, d, "mode_code", "%d", r == 0 ? reply[0] : -1);
}

static bool same_device(libusb_device *a, libusb_device *b)
{
	uint8_t pa[USB_MAX_PORTS], pb[USB_MAX_PORTS];
	int na, nb;

	if (!a || !b || libusb_get_bus_number(a) != libusb_get_bus_number(b) ||
			libusb_get_device_address(a) != libusb_get_device_address(b))
		return false;
	na = libusb_get_port_numbers(a, pa, sizeof(pa));
	nb = libusb_get_port_numbers(b, pb, sizeof(pb));
	return na == nb && (na <= 0 || !memcmp(pa, pb, na));
}

/* The probe this OpenOCD holds (OpenOCD's connection or stlink_diag's own), or NULL. */
static libusb_device *device_in_use_here(void)
{
	struct stlink_diag_session *s = stlink_diag_session();
	void *handle = stlink_diag_session_is_open(s) ? s->handle : stlink_diag_if_live_handle();
	struct libusb_device_handle *usb = handle ? stlink_diag_if_usb_handle(handle) : NULL;

	return usb ? libusb_get_device(usb) : NULL;
}

static bool pid_listed(const struct hl_interface_param_s *param, uint16_t vid, uint16_t pid)
{
	if (!param)
		return false;
	for (unsigned int i = 0; i < HLA_MAX_USB_IDS && param->vid[i]; i++)
		if (param->vid[i] == vid && param->pid[i] == pid)
			return true;
	return false;
}

static Jim_Obj *describe(Jim_Interp *interp, libusb_device *dev, const struct libusb_device_descriptor *desc,
		const struct stlink_diag_probe_model *model, libusb_device *here)
{
	Jim_Obj *d = Jim_NewDictObj(interp, NULL, 0);
	uint8_t ports[USB_MAX_PORTS];
	int n_ports = libusb_get_port_numbers(dev, ports, sizeof(ports));
	uint8_t bus = libusb_get_bus_number(dev), address = libusb_get_device_address(dev);
	char loc[64];

	stlink_diag_usb_location(bus, ports, n_ports > 0 ? n_ports : 0, loc, sizeof(loc));
	put(interp, d, "vid", "0x%04x", desc->idVendor);
	put(interp, d, "pid", "0x%04x", desc->idProduct);
	put(interp, d, "model", "%s", model->model);
	put(interp, d, "hw", "%u", model->hw);
	put(interp, d, "known_to_openocd", "%d", model->known_to_openocd_0_12);
	put(interp, d, "listed", "%d", pid_listed(stlink_diag_session_params(), desc->idVendor, desc->idProduct));
	put(interp, d, "location", "%s", loc);
	put(interp, d, "devnode", "/dev/bus/usb/%03u/%03u", bus, address);

	if (here && same_device(dev, here)) {
		/* reopening it would disturb the session that holds it: report what is known */
		struct libusb_device_handle *usb = stlink_diag_if_usb_handle(stlink_diag_session_is_open(
			stlink_diag_session()) ? stlink_diag_session()->handle : stlink_diag_if_live_handle());
		char serial[64] = "";
		if (usb && desc->iSerialNumber)
			libusb_get_string_descriptor_ascii(usb, desc->iSerialNumber, (unsigned char *)serial,
				sizeof(serial));
		put(interp, d, "serial", "%s", serial);
		put(interp, d, "adapter_serial", "%s", serial);
		put(interp, d, "state", "%s", "this_openocd");
		put(interp, d, "can_open", "%d", 1);
		put(interp, d, "can_claim", "%d", 1);
		put(interp, d, "firmware", "%s", "");
		put(interp, d, "mode", "%s", "in use by this OpenOCD");
		return d;
	}

	struct libusb_device_handle *h = NULL;
	int r = libusb_open(dev, &h);
	if (r) {
		put(interp, d, "serial", "%s", "");
		put(interp, d, "adapter_serial", "%s", "");
		put(interp, d, "state", "%s", r == LIBUSB_ERROR_ACCESS ? "no_permission" : "cannot_open");
		put(interp, d, "can_open", "%d", 0);
		put(interp, d, "open_error", "%s", libusb_error_name(r));
		put(interp, d, "can_claim", "%d", 0);
		put(interp, d, "firmware", "%s", "");
		put(interp, d, "mode", "%s", "unknown");
		return d;
	}
	put(interp, d, "can_open", "%d", 1);

	/* serial: as text (libusb's ASCII reading) and as `adapter serial` matches it */
	char serial[64] = "", alt[STLINK_DIAG_SERIAL_HEX_LEN + 1] = "";
	uint8_t raw[2 + 2 * 32];
	if (desc->iSerialNumber) {
		if (libusb_get_string_descriptor_ascii(h, desc->iSerialNumber, (unsigned char *)serial,
				sizeof(serial)) < 0)
			serial[0] = '\0';
		int n = libusb_get_string_descriptor(h, desc->iSerialNumber, 0x0409, raw, sizeof(raw));
		if (n > 0 && stlink_diag_usb_binary_serial(raw, n, alt, sizeof(alt)) == 0) {
			put(interp, d, "serial_binary", "%d", 1);
		} else {
			put(interp, d, "serial_binary", "%d", 0);
			snprintf(alt, sizeof(alt), "%s", serial);
		}
	}
	/* a binary serial read as text holds control characters: show them escaped */
	char shown[4 * sizeof(serial)];
	stlink_diag_usb_escape_serial(serial, shown, sizeof(shown));
	put(interp, d, "serial", "%s", shown);
	put(interp, d, "adapter_serial", "%s", alt[0] ? alt : serial);

	r = libusb_claim_interface(h, 0);
	if (r) {
		struct holder who;
		put(interp, d, "state", "%s", r == LIBUSB_ERROR_BUSY ? "busy" : "cannot_claim");
		put(interp, d, "can_claim", "%d", 0);
		put(interp, d, "claim_error", "%s", libusb_error_name(r));
		if (r == LIBUSB_ERROR_BUSY && find_holder(bus, address, &who)) {
			put(interp, d, "holder_pid", "%ld", who.pid);
			put(interp, d, "holder_name", "%s", who.comm);
			put(interp, d, "holder_cmdline", "%s", who.cmdline);
		}
		put(interp, d, "firmware", "%s", "");
		put(interp, d, "mode", "%s", "unknown");
		libusb_close(h);
		return d;
	}
	put(interp, d, "state", "%s", "free");
	put(interp, d, "can_claim", "%d", 1);
	ask_probe(interp, d, h, desc->idProduct);
	libusb_release_interface(h, 0);
	libusb_close(h);
	return d;
}

COMMAND_HANDLER(handle_stlink_probe_list)
{
	if (CMD_ARGC != 0)
		return ERROR_COMMAND_SYNTAX_ERROR;

	Jim_Interp *interp = CMD_CTX->interp;
	Jim_Obj *list = Jim_NewListObj(interp, NULL, 0);
	libusb_context *ctx = NULL;
	libusb_device **devs = NULL;

	Jim_IncrRefCount(list);
	if (libusb_init(&ctx) == 0) {
		ssize_t n = libusb_get_device_list(ctx, &devs);
		libusb_device *here = device_in_use_here();
		for (ssize_t i = 0; i < n; i++) {
			struct libusb_device_descriptor desc;
			if (libusb_get_device_descriptor(devs[i], &desc) || desc.idVendor != STLINK_DIAG_ST_VID)
				continue;
			const struct stlink_diag_probe_model *model = stlink_diag_probe_model_lookup(desc.idProduct);
			if (!model)
				continue;	/* another ST device (a Nucleo's target USB, a DFU-mode STM32, ...) */
			Jim_ListAppendElement(interp, list, describe(interp, devs[i], &desc, model, here));
		}
		if (n >= 0)
			libusb_free_device_list(devs, 1);
		libusb_exit(ctx);
	} else {
		LOG_WARNING("stlink_probe list: libusb_init failed, no USB device can be listed");
	}
	command_print(CMD, "%s", Jim_String(list));
	Jim_DecrRefCount(interp, list);
	return ERROR_OK;
}

const struct command_registration stlink_diag_usb_subcommand_handlers[] = {
	{ .name = "list", .handler = handle_stlink_probe_list, .mode = COMMAND_ANY, .usage = "",
	  .help = "every ST-LINK on USB: model, serial, location, firmware, mode, permission, busy (list of dicts)" },
	COMMAND_REGISTRATION_DONE
};
