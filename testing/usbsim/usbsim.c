// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libstlink-usbsim.so: the libusb-1.0 calls OpenOCD makes, implemented over
 * simulated ST-LINKs (the probe and target model of testing/sim). Preload it:
 *
 *   STLINK_USBSIM_SCENARIO=testing/scenarios/usb-two-probes.json \
 *   LD_PRELOAD=testing/usbsim/libstlink-usbsim.so openocd -f interface/stlink.cfg ...
 *
 * The USB part of a scenario (section "usb", README.md) lists the devices and
 * their USB faults. Every wait is bounded: a transfer that times out waits the
 * caller's timeout scaled by STLINK_USBSIM_TIME_SCALE (default 0.01, at most
 * 1 s) and completes with LIBUSB_TRANSFER_TIMED_OUT, so OpenOCD never hangs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libusb.h>

#include "sim_log.h"
#include "sim_scenario.h"
#include "stlink_const.h"

#define USBSIM_MAX_DEVS		8
#define USBSIM_MAX_PORTS	7
#define USBSIM_CMD_SIZE		16
#define USBSIM_MAX_OUT		(64 * 1024)
#define USBSIM_IFACE_CLASS	0xFF

enum usbsim_open_error { OPEN_OK, OPEN_ACCESS };

struct usbsim_dev {
	struct sim_probe probe;
	struct sim_target target;
	struct sim_faults faults;
	uint16_t vid, pid;
	char serial[33];
	bool serial_binary;	/* old V2: 12 raw bytes in the string descriptor, not 24 UTF-16 hex digits */
	uint8_t bus, address;
	uint8_t ports[USBSIM_MAX_PORTS];
	int n_ports;
	enum usbsim_open_error open_error;
	bool claim_busy;	/* another program holds the interface */
	bool loader;		/* does not speak the ST-LINK protocol: every bulk transfer stalls */
	bool dfu_stuck;		/* DFU_EXIT re-enumerates into DFU again: the handle dies */
	long firmware_vid, firmware_pid;	/* VID:PID in GET_VERSION when it differs from the descriptor (-1) */
	long unplug_after;	/* unplugged after this many ST-LINK commands (-1: never) */
	long timeout_after;	/* transfers time out after this many commands (-1: never) */
	long commands;
	bool unplugged;
	unsigned int gen;	/* bumped by a re-enumeration: older handles are dead */
};

struct libusb_device {
	struct usbsim_dev *dev;
};

struct libusb_device_handle {
	struct libusb_device *udev;
	unsigned int gen;
	bool claimed;
	/* a 16-byte command waiting for its data phase (or for the next command) */
	bool pending;
	uint8_t cmd[USBSIM_CMD_SIZE];
};

struct libusb_context {
	int refs;
};

static struct usbsim_dev devs[USBSIM_MAX_DEVS];
static struct libusb_device udevs[USBSIM_MAX_DEVS];
static unsigned int n_devs;
static bool loaded;
static double time_scale = 0.01;
static struct libusb_context default_ctx;

/* completed asynchronous transfers, delivered by libusb_handle_events*() */
#define USBSIM_QUEUE	64
static struct libusb_transfer *queue[USBSIM_QUEUE];
static unsigned int queue_len;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("stlink-usbsim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	/* a bad scenario must not look like a USB problem to the program under test */
	_exit(2);
}

/* ---- scenario ------------------------------------------------------------- */

static long get_int(const char *path, json_t *o, const char *key, long def, long lo, long hi)
{
	json_t *v = json_object_get(o, key);
	long n;

	if (!v)
		return def;
	if (json_is_integer(v))
		n = (long)json_integer_value(v);
	else if (json_is_string(v))
		n = strtol(json_string_value(v), NULL, 0);
	else
		die("scenario %s: usb.devices: %s must be an integer", path, key);
	if (n < lo || n > hi)
		die("scenario %s: usb.devices: %s = %ld out of range %ld..%ld", path, key, n, lo, hi);
	return n;
}

static bool get_bool(const char *path, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return false;
	if (!json_is_boolean(v))
		die("scenario %s: usb.devices: %s must be true or false", path, key);
	return json_is_true(v);
}

static const char *get_str(const char *path, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return NULL;
	if (!json_is_string(v))
		die("scenario %s: usb.devices: %s must be a string", path, key);
	return json_string_value(v);
}

static const char *const device_keys[] = {
	"pid", "vid", "serial", "serial_binary", "firmware", "mode", "bus", "ports", "address", "open_error",
	"claim_error", "loader", "dfu_stuck", "unplug_after", "timeout_after", "firmware_vid", "firmware_pid",
	"description", NULL
};

static void check_keys(const char *path, json_t *o)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		unsigned int i = 0;

		while (device_keys[i] && strcmp(device_keys[i], key))
			i++;
		if (!device_keys[i])
			die("scenario %s: usb.devices: unknown key '%s'", path, key);
	}
}

static void device_defaults(struct usbsim_dev *d, const struct sim_probe_config *pc, unsigned int i)
{
	d->vid = pc->vid;
	d->pid = pc->pid;
	snprintf(d->serial, sizeof(d->serial), "%s", pc->serial);
	/* several probes of the same kind differ in the last serial digit, as in the TCP simulator */
	size_t len = strlen(d->serial);
	if (i && len)
		d->serial[len - 1] = "0123456789ABCDEF"[(strtoul(d->serial + len - 1, NULL, 16) + i) & 0xF];
	d->bus = 1;
	d->address = 4 + i;
	d->ports[0] = 1 + i;
	d->n_ports = 1;
	d->unplug_after = -1;
	d->timeout_after = -1;
	d->firmware_vid = -1;
	d->firmware_pid = -1;
}

static void device_model(struct usbsim_dev *d, const struct sim_scenario *sc, struct sim_probe_config *pc,
		unsigned int i)
{
	if (sim_target_init(&d->target, &sc->target))
		die("out of memory building the target model");
	sim_prng_seed(&d->faults.prng, sc->seed + i);
	d->faults.count = sc->n_faults;
	for (unsigned int k = 0; k < sc->n_faults; k++) {
		sim_fault_init(&d->faults.list[k], sc->faults[k].type, &d->faults.prng);
		memcpy(d->faults.list[k].param, sc->faults[k].param, sizeof(sc->faults[k].param));
	}
	pc->vid = d->firmware_vid >= 0 ? d->firmware_vid : d->vid;
	pc->pid = d->firmware_pid >= 0 ? d->firmware_pid : d->pid;
	snprintf(pc->serial, sizeof(pc->serial), "%s", d->serial);
	sim_probe_init(&d->probe, pc, &d->target, &d->faults, i);
}

static void parse_device(const char *path, json_t *o, struct usbsim_dev *d, struct sim_probe_config *pc)
{
	static const char *const modes[] = { "dfu", "mass", "debug", "swim", "bootloader", NULL };
	const char *s;
	json_t *ports;

	if (!json_is_object(o))
		die("scenario %s: usb.devices: each device must be an object", path);
	check_keys(path, o);
	d->vid = get_int(path, o, "vid", d->vid, 0, 0xFFFF);
	d->pid = get_int(path, o, "pid", d->pid, 0, 0xFFFF);
	s = get_str(path, o, "serial");
	if (s) {
		if (strlen(s) >= sizeof(d->serial))
			die("scenario %s: usb.devices: serial longer than 32 characters", path);
		snprintf(d->serial, sizeof(d->serial), "%s", s);
	}
	d->serial_binary = get_bool(path, o, "serial_binary");
	if (d->serial_binary && strlen(d->serial) != 24)
		die("scenario %s: usb.devices: serial_binary needs a serial of 24 hex digits", path);
	s = get_str(path, o, "firmware");
	if (s && sim_probe_parse_firmware(pc, s))
		die("scenario %s: usb.devices: firmware '%s' is not like V2J37M26", path, s);
	s = get_str(path, o, "mode");
	if (s) {
		unsigned int m = 0;

		while (modes[m] && strcmp(modes[m], s))
			m++;
		if (!modes[m])
			die("scenario %s: usb.devices: mode '%s' (dfu, mass, debug, swim, bootloader)", path, s);
		pc->mode_at_start = m;
	}
	d->bus = get_int(path, o, "bus", d->bus, 1, 255);
	d->address = get_int(path, o, "address", d->address, 1, 127);
	ports = json_object_get(o, "ports");
	if (ports) {
		if (!json_is_array(ports) || json_array_size(ports) < 1 || json_array_size(ports) > USBSIM_MAX_PORTS)
			die("scenario %s: usb.devices: ports must be a list of 1..7 port numbers", path);
		d->n_ports = json_array_size(ports);
		for (int k = 0; k < d->n_ports; k++) {
			json_t *p = json_array_get(ports, k);
			if (!json_is_integer(p) || json_integer_value(p) < 1 || json_integer_value(p) > 255)
				die("scenario %s: usb.devices: port numbers are 1..255", path);
			d->ports[k] = json_integer_value(p);
		}
	}
	s = get_str(path, o, "open_error");
	if (s) {
		if (strcmp(s, "access"))
			die("scenario %s: usb.devices: open_error must be \"access\"", path);
		d->open_error = OPEN_ACCESS;
	}
	s = get_str(path, o, "claim_error");
	if (s) {
		if (strcmp(s, "busy"))
			die("scenario %s: usb.devices: claim_error must be \"busy\"", path);
		d->claim_busy = true;
	}
	d->loader = get_bool(path, o, "loader");
	d->dfu_stuck = get_bool(path, o, "dfu_stuck");
	d->unplug_after = get_int(path, o, "unplug_after", -1, 0, 1L << 30);
	d->timeout_after = get_int(path, o, "timeout_after", -1, 0, 1L << 30);
	d->firmware_vid = get_int(path, o, "firmware_vid", -1, 0, 0xFFFF);
	d->firmware_pid = get_int(path, o, "firmware_pid", -1, 0, 0xFFFF);
}

static void load(void)
{
	static struct sim_scenario sc;
	const char *path = getenv("STLINK_USBSIM_SCENARIO");
	const char *scale = getenv("STLINK_USBSIM_TIME_SCALE");
	const char *log = getenv("STLINK_USBSIM_LOG");
	char err[1024];

	if (loaded)
		return;
	loaded = true;
	if (scale) {
		time_scale = strtod(scale, NULL);
		if (time_scale < 0 || time_scale > 1)
			die("STLINK_USBSIM_TIME_SCALE must be in 0..1");
	}
	if (log && sim_log_open(log))
		die("cannot open log file %s", log);
	if (path) {
		if (sim_scenario_load(path, &sc, err, sizeof(err)))
			die("%s", err);
	} else {
		sim_scenario_defaults(&sc);
		path = "(default)";
	}

	json_t *root = NULL, *list = NULL;
	if (strcmp(path, "(default)")) {
		root = json_load_file(path, 0, NULL);
		json_t *usb = json_object_get(root, "usb");
		if (usb) {
			const char *key;
			json_t *v;
			json_object_foreach(usb, key, v) {
				if (strcmp(key, "devices") && strcmp(key, "description"))
					die("scenario %s: usb: unknown key '%s' (known: devices)", path, key);
			}
			list = json_object_get(usb, "devices");
			if (list && (!json_is_array(list) || json_array_size(list) > USBSIM_MAX_DEVS))
				die("scenario %s: usb.devices must be a list of at most %d devices", path,
					USBSIM_MAX_DEVS);
		}
	}
	n_devs = list ? json_array_size(list) : sc.server.num_probes;
	for (unsigned int i = 0; i < n_devs; i++) {
		struct sim_probe_config pc = sc.probe;

		device_defaults(&devs[i], &sc.probe, i);
		if (list)
			parse_device(path, json_array_get(list, i), &devs[i], &pc);
		device_model(&devs[i], &sc, &pc, i);
		udevs[i].dev = &devs[i];
	}
	json_decref(root);
	sim_log("START usbsim scenario=%s devices=%u", path, n_devs);
}

/* ---- transfers ------------------------------------------------------------ */

static void scaled_sleep(unsigned int timeout_ms)
{
	double s = (timeout_ms ? timeout_ms : 1000) / 1000.0 * time_scale;

	if (s > 1.0)
		s = 1.0;
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9) };
	nanosleep(&ts, NULL);
}

static bool is_out_data_command(const uint8_t *cmd)
{
	if (cmd[0] != STLINK_DEBUG_COMMAND)
		return false;
	switch (cmd[1]) {
	case STLINK_DEBUG_WRITEMEM_32BIT:
	case STLINK_DEBUG_WRITEMEM_8BIT:
	case STLINK_DEBUG_APIV2_WRITEMEM_16BIT:
	case STLINK_DEBUG_WRITEMEM_32BIT_NO_ADDR_INC:
	case STLINK_DEBUG_APIV2_RW_MISC_OUT:
		return true;
	default:
		return false;
	}
}

static bool handle_dead(const struct libusb_device_handle *h)
{
	return h->udev->dev->unplugged || h->gen != h->udev->dev->gen;
}

/* Run the pending command with its data phase; returns a LIBUSB_TRANSFER_* status. */
static int execute(struct libusb_device_handle *h, const uint8_t *out, size_t out_len, uint8_t *in, size_t in_len)
{
	struct usbsim_dev *d = h->udev->dev;

	h->pending = false;
	if (d->unplug_after >= 0 && d->commands >= d->unplug_after) {
		if (!d->unplugged)
			sim_log("FAULT usb unplugged dev=%u after %ld commands", d->probe.index, d->commands);
		d->unplugged = true;
		return LIBUSB_TRANSFER_NO_DEVICE;
	}
	if (d->timeout_after >= 0 && d->commands >= d->timeout_after) {
		sim_log("FAULT usb transfer timed out dev=%u", d->probe.index);
		return LIBUSB_TRANSFER_TIMED_OUT;
	}
	d->commands++;
	/* the model logs and counts the command itself */
	sim_probe_command(&d->probe, h->cmd, out, out_len, in, in_len);
	if (d->dfu_stuck && h->cmd[0] == STLINK_DFU_COMMAND && h->cmd[1] == STLINK_DFU_EXIT) {
		/* the probe re-enumerates and comes back in DFU: this handle is gone */
		d->probe.mode = STLINK_DEV_DFU_MODE;
		d->gen++;
		sim_log("FAULT usb dfu_stuck dev=%u re-enumerated in DFU mode", d->probe.index);
	}
	return LIBUSB_TRANSFER_COMPLETED;
}

static int flush_pending(struct libusb_device_handle *h)
{
	if (!h->pending)
		return LIBUSB_TRANSFER_COMPLETED;
	return execute(h, NULL, 0, NULL, 0);
}

/* One bulk transfer; returns a LIBUSB_TRANSFER_* status and the bytes moved. */
static int bulk(struct libusb_device_handle *h, unsigned char ep, unsigned char *buf, int len, int *actual,
		unsigned int timeout)
{
	struct usbsim_dev *d = h->udev->dev;
	int st;

	*actual = 0;
	if (handle_dead(h))
		return LIBUSB_TRANSFER_NO_DEVICE;
	if (d->loader) {
		sim_log("FAULT usb loader dev=%u stalls ep 0x%02x", d->probe.index, ep);
		return LIBUSB_TRANSFER_STALL;
	}
	if (!(ep & LIBUSB_ENDPOINT_IN)) {
		if (h->pending && is_out_data_command(h->cmd)) {
			st = execute(h, buf, len, NULL, 0);
		} else {
			st = flush_pending(h);
			if (st == LIBUSB_TRANSFER_COMPLETED) {
				memset(h->cmd, 0, sizeof(h->cmd));
				memcpy(h->cmd, buf, len < USBSIM_CMD_SIZE ? len : USBSIM_CMD_SIZE);
				h->pending = true;
			}
		}
	} else if (ep != 0x81) {
		/* trace endpoint: the model produces no SWO data */
		st = LIBUSB_TRANSFER_TIMED_OUT;
	} else if (!h->pending) {
		st = LIBUSB_TRANSFER_TIMED_OUT;	/* nothing to answer */
	} else {
		st = execute(h, NULL, 0, buf, len);
	}
	if (st == LIBUSB_TRANSFER_TIMED_OUT)
		scaled_sleep(timeout);
	else if (st == LIBUSB_TRANSFER_COMPLETED)
		*actual = len;
	return st;
}

static int transfer_error(int status)
{
	switch (status) {
	case LIBUSB_TRANSFER_COMPLETED:
		return LIBUSB_SUCCESS;
	case LIBUSB_TRANSFER_TIMED_OUT:
		return LIBUSB_ERROR_TIMEOUT;
	case LIBUSB_TRANSFER_STALL:
		return LIBUSB_ERROR_PIPE;
	case LIBUSB_TRANSFER_NO_DEVICE:
		return LIBUSB_ERROR_NO_DEVICE;
	default:
		return LIBUSB_ERROR_IO;
	}
}

/* ---- libusb API ----------------------------------------------------------- */

int libusb_init(libusb_context **ctx)
{
	load();
	if (ctx) {
		*ctx = calloc(1, sizeof(**ctx));
		if (!*ctx)
			return LIBUSB_ERROR_NO_MEM;
	}
	return LIBUSB_SUCCESS;
}

void libusb_exit(libusb_context *ctx)
{
	if (ctx != &default_ctx)
		free(ctx);
}

int libusb_set_option(libusb_context *ctx, enum libusb_option option, ...)
{
	(void)ctx;
	(void)option;
	return LIBUSB_SUCCESS;
}

ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	unsigned int n = 0;

	(void)ctx;
	load();
	*list = calloc(n_devs + 1, sizeof(**list));
	if (!*list)
		return LIBUSB_ERROR_NO_MEM;
	for (unsigned int i = 0; i < n_devs; i++)
		if (!devs[i].unplugged)
			(*list)[n++] = &udevs[i];
	return n;
}

void libusb_free_device_list(libusb_device **list, int unref)
{
	(void)unref;
	free(list);
}

libusb_device *libusb_ref_device(libusb_device *dev)
{
	return dev;
}

void libusb_unref_device(libusb_device *dev)
{
	(void)dev;
}

int libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *desc)
{
	memset(desc, 0, sizeof(*desc));
	desc->bLength = LIBUSB_DT_DEVICE_SIZE;
	desc->bDescriptorType = LIBUSB_DT_DEVICE;
	desc->bcdUSB = 0x0200;
	desc->bMaxPacketSize0 = 64;
	desc->idVendor = dev->dev->vid;
	desc->idProduct = dev->dev->pid;
	desc->bcdDevice = 0x0100;
	desc->iManufacturer = 1;
	desc->iProduct = 2;
	desc->iSerialNumber = 3;
	desc->bNumConfigurations = 1;
	return LIBUSB_SUCCESS;
}

uint8_t libusb_get_bus_number(libusb_device *dev)
{
	return dev->dev->bus;
}

uint8_t libusb_get_device_address(libusb_device *dev)
{
	return dev->dev->address;
}

uint8_t libusb_get_port_number(libusb_device *dev)
{
	return dev->dev->ports[dev->dev->n_ports - 1];
}

int libusb_get_port_numbers(libusb_device *dev, uint8_t *port_numbers, int len)
{
	if (len < dev->dev->n_ports)
		return LIBUSB_ERROR_OVERFLOW;
	memcpy(port_numbers, dev->dev->ports, dev->dev->n_ports);
	return dev->dev->n_ports;
}

int libusb_get_device_speed(libusb_device *dev)
{
	(void)dev;
	return LIBUSB_SPEED_FULL;
}

int libusb_open(libusb_device *dev, libusb_device_handle **handle)
{
	struct usbsim_dev *d = dev->dev;

	if (d->unplugged)
		return LIBUSB_ERROR_NO_DEVICE;
	if (d->open_error == OPEN_ACCESS) {
		sim_log("FAULT usb open dev=%u -> LIBUSB_ERROR_ACCESS", d->probe.index);
		return LIBUSB_ERROR_ACCESS;
	}
	*handle = calloc(1, sizeof(**handle));
	if (!*handle)
		return LIBUSB_ERROR_NO_MEM;
	(*handle)->udev = dev;
	(*handle)->gen = d->gen;
	sim_log("USB open dev=%u", d->probe.index);
	return LIBUSB_SUCCESS;
}

void libusb_close(libusb_device_handle *h)
{
	if (!h)
		return;
	if (!handle_dead(h)) {
		flush_pending(h);
		sim_probe_host_closed(&h->udev->dev->probe);
	}
	sim_log("USB close dev=%u", h->udev->dev->probe.index);
	free(h);
}

libusb_device *libusb_get_device(libusb_device_handle *h)
{
	return h->udev;
}

int libusb_get_configuration(libusb_device_handle *h, int *config)
{
	if (handle_dead(h))
		return LIBUSB_ERROR_NO_DEVICE;
	*config = 1;
	return LIBUSB_SUCCESS;
}

int libusb_set_configuration(libusb_device_handle *h, int config)
{
	(void)config;
	return handle_dead(h) ? LIBUSB_ERROR_NO_DEVICE : LIBUSB_SUCCESS;
}

/* one interface, vendor class, bulk EP 0x81 IN + 0x01/0x02 OUT (+ trace IN) */
int libusb_get_config_descriptor(libusb_device *dev, uint8_t index, struct libusb_config_descriptor **config)
{
	struct libusb_config_descriptor *c;
	struct libusb_interface *itf;
	struct libusb_interface_descriptor *alt;
	struct libusb_endpoint_descriptor *ep;
	bool v2 = dev->dev->probe.cfg.hw == 2 && dev->dev->pid == 0x3748;

	if (index != 0)
		return LIBUSB_ERROR_NOT_FOUND;
	c = calloc(1, sizeof(*c));
	itf = calloc(1, sizeof(*itf));
	alt = calloc(1, sizeof(*alt));
	ep = calloc(3, sizeof(*ep));
	if (!c || !itf || !alt || !ep) {
		free(c);
		free(itf);
		free(alt);
		free(ep);
		return LIBUSB_ERROR_NO_MEM;
	}
	ep[0] = (struct libusb_endpoint_descriptor){ .bLength = 7, .bDescriptorType = LIBUSB_DT_ENDPOINT,
		.bEndpointAddress = 0x81, .bmAttributes = LIBUSB_TRANSFER_TYPE_BULK, .wMaxPacketSize = 64 };
	ep[1] = ep[0];
	ep[1].bEndpointAddress = v2 ? 0x02 : 0x01;
	ep[2] = ep[0];
	ep[2].bEndpointAddress = v2 ? 0x83 : 0x82;
	alt->bLength = 9;
	alt->bDescriptorType = LIBUSB_DT_INTERFACE;
	alt->bNumEndpoints = 3;
	alt->bInterfaceClass = USBSIM_IFACE_CLASS;
	alt->bInterfaceSubClass = USBSIM_IFACE_CLASS;
	alt->bInterfaceProtocol = USBSIM_IFACE_CLASS;
	alt->endpoint = ep;
	itf->altsetting = alt;
	itf->num_altsetting = 1;
	c->bLength = 9;
	c->bDescriptorType = LIBUSB_DT_CONFIG;
	c->bNumInterfaces = 1;
	c->bConfigurationValue = 1;
	c->MaxPower = 150;
	c->interface = itf;
	*config = c;
	return LIBUSB_SUCCESS;
}

int libusb_get_active_config_descriptor(libusb_device *dev, struct libusb_config_descriptor **config)
{
	return libusb_get_config_descriptor(dev, 0, config);
}

void libusb_free_config_descriptor(struct libusb_config_descriptor *c)
{
	if (!c)
		return;
	free((void *)c->interface->altsetting->endpoint);
	free((void *)c->interface->altsetting);
	free((void *)c->interface);
	free(c);
}

int libusb_claim_interface(libusb_device_handle *h, int iface)
{
	if (handle_dead(h))
		return LIBUSB_ERROR_NO_DEVICE;
	if (iface != 0)
		return LIBUSB_ERROR_NOT_FOUND;
	if (h->udev->dev->claim_busy) {
		sim_log("FAULT usb claim dev=%u -> LIBUSB_ERROR_BUSY", h->udev->dev->probe.index);
		return LIBUSB_ERROR_BUSY;
	}
	h->claimed = true;
	return LIBUSB_SUCCESS;
}

int libusb_release_interface(libusb_device_handle *h, int iface)
{
	(void)iface;
	if (handle_dead(h))
		return LIBUSB_ERROR_NO_DEVICE;
	h->claimed = false;
	return LIBUSB_SUCCESS;
}

int libusb_set_interface_alt_setting(libusb_device_handle *h, int iface, int alt)
{
	(void)iface;
	(void)alt;
	return handle_dead(h) ? LIBUSB_ERROR_NO_DEVICE : LIBUSB_SUCCESS;
}

int libusb_detach_kernel_driver(libusb_device_handle *h, int iface)
{
	(void)h;
	(void)iface;
	return LIBUSB_ERROR_NOT_FOUND;
}

int libusb_kernel_driver_active(libusb_device_handle *h, int iface)
{
	(void)h;
	(void)iface;
	return 0;
}

int libusb_set_auto_detach_kernel_driver(libusb_device_handle *h, int enable)
{
	(void)h;
	(void)enable;
	return LIBUSB_SUCCESS;
}

int libusb_clear_halt(libusb_device_handle *h, unsigned char endpoint)
{
	(void)endpoint;
	return handle_dead(h) ? LIBUSB_ERROR_NO_DEVICE : LIBUSB_SUCCESS;
}

int libusb_reset_device(libusb_device_handle *h)
{
	struct usbsim_dev *d = h->udev->dev;

	if (handle_dead(h))
		return LIBUSB_ERROR_NOT_FOUND;
	h->pending = false;
	sim_log("USB reset dev=%u", d->probe.index);
	return LIBUSB_SUCCESS;
}

static const char *const strings[] = { NULL, "STMicroelectronics", "STM32 STLink" };

/* the string descriptor as the device sends it: bLength, bDescriptorType, UTF-16LE */
static int string_descriptor(struct usbsim_dev *d, uint8_t index, unsigned char *buf, int len)
{
	unsigned char desc[2 + 2 * 64];
	int n = 0;

	if (index == 0) {
		desc[2] = 0x09;
		desc[3] = 0x04;	/* English (US) */
		n = 4;
	} else if (index == 3 && d->serial_binary) {
		/* old V2 firmware: the 12 serial bytes themselves, one per UTF-16 unit
		 * (OpenOCD 0.12.0 stlink_usb.c, stlink_usb_get_alternate_serial()) */
		for (int i = 0; i < 12; i++) {
			char hex[3] = { d->serial[2 * i], d->serial[2 * i + 1], 0 };
			desc[2 + 2 * i] = (unsigned char)strtoul(hex, NULL, 16);
			desc[3 + 2 * i] = 0;
		}
		n = 2 + 24;
	} else if (index == 3 || (index < 3 && strings[index])) {
		const char *s = index == 3 ? d->serial : strings[index];
		size_t l = strlen(s);

		for (size_t i = 0; i < l && i < 64; i++) {
			desc[2 + 2 * i] = s[i];
			desc[3 + 2 * i] = 0;
		}
		n = 2 + 2 * (l < 64 ? l : 64);
	} else {
		return LIBUSB_ERROR_PIPE;
	}
	desc[0] = n;
	desc[1] = LIBUSB_DT_STRING;
	if (n > len)
		n = len;
	memcpy(buf, desc, n);
	return n;
}

int libusb_control_transfer(libusb_device_handle *h, uint8_t request_type, uint8_t request, uint16_t value,
		uint16_t index, unsigned char *data, uint16_t length, unsigned int timeout)
{
	(void)index;
	(void)timeout;
	if (handle_dead(h))
		return LIBUSB_ERROR_NO_DEVICE;
	if ((request_type & LIBUSB_ENDPOINT_IN) && request == LIBUSB_REQUEST_GET_DESCRIPTOR &&
			(value >> 8) == LIBUSB_DT_STRING)
		return string_descriptor(h->udev->dev, value & 0xFF, data, length);
	return LIBUSB_ERROR_PIPE;
}

int libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t index, unsigned char *data, int length)
{
	unsigned char desc[256];
	int n, di = 0;

	if (handle_dead(h))
		return LIBUSB_ERROR_NO_DEVICE;
	if (index == 0)
		return LIBUSB_ERROR_INVALID_PARAM;
	n = string_descriptor(h->udev->dev, index, desc, sizeof(desc));
	if (n < 0)
		return n;
	/* like libusb: UTF-16 units outside ASCII become '?' */
	for (int si = 2; si + 1 < n && di < length - 1; si += 2)
		data[di++] = (desc[si] & 0x80) || desc[si + 1] ? '?' : desc[si];
	data[di] = 0;
	return di;
}

int libusb_bulk_transfer(libusb_device_handle *h, unsigned char endpoint, unsigned char *data, int length,
		int *transferred, unsigned int timeout)
{
	int actual;
	int st = bulk(h, endpoint, data, length, &actual, timeout);

	if (transferred)
		*transferred = actual;
	return transfer_error(st);
}

struct libusb_transfer *libusb_alloc_transfer(int iso_packets)
{
	return calloc(1, sizeof(struct libusb_transfer) + iso_packets * sizeof(struct libusb_iso_packet_descriptor));
}

void libusb_free_transfer(struct libusb_transfer *t)
{
	if (!t)
		return;
	for (unsigned int i = 0; i < queue_len; i++)
		if (queue[i] == t) {
			memmove(&queue[i], &queue[i + 1], (queue_len - i - 1) * sizeof(queue[0]));
			queue_len--;
			break;
		}
	if (t->flags & LIBUSB_TRANSFER_FREE_BUFFER)
		free(t->buffer);
	free(t);
}

/* The transfer runs now; its callback runs in the next libusb_handle_events*(), as with real libusb. */
int libusb_submit_transfer(struct libusb_transfer *t)
{
	if (handle_dead(t->dev_handle))
		return LIBUSB_ERROR_NO_DEVICE;
	if (t->type != LIBUSB_TRANSFER_TYPE_BULK)
		return LIBUSB_ERROR_NOT_SUPPORTED;
	if (queue_len == USBSIM_QUEUE)
		return LIBUSB_ERROR_BUSY;
	t->status = bulk(t->dev_handle, t->endpoint, t->buffer, t->length, &t->actual_length, t->timeout);
	queue[queue_len++] = t;
	return LIBUSB_SUCCESS;
}

int libusb_cancel_transfer(struct libusb_transfer *t)
{
	(void)t;
	return LIBUSB_ERROR_NOT_FOUND;	/* every transfer has already completed */
}

static int deliver(int *completed)
{
	/* callbacks may free transfers (and so edit the queue): take one at a time */
	while (queue_len && !(completed && *completed)) {
		struct libusb_transfer *t = queue[0];

		memmove(&queue[0], &queue[1], (queue_len - 1) * sizeof(queue[0]));
		queue_len--;
		if (t->callback)
			t->callback(t);
	}
	return LIBUSB_SUCCESS;
}

int libusb_handle_events_completed(libusb_context *ctx, int *completed)
{
	(void)ctx;
	return deliver(completed);
}

int libusb_handle_events_timeout_completed(libusb_context *ctx, struct timeval *tv, int *completed)
{
	(void)ctx;
	(void)tv;
	return deliver(completed);
}

int libusb_handle_events_timeout(libusb_context *ctx, struct timeval *tv)
{
	return libusb_handle_events_timeout_completed(ctx, tv, NULL);
}

int libusb_handle_events(libusb_context *ctx)
{
	return libusb_handle_events_completed(ctx, NULL);
}

static const struct {
	int code;
	const char *name, *text;
} errors[] = {
	{ LIBUSB_SUCCESS, "LIBUSB_SUCCESS", "Success" },
	{ LIBUSB_ERROR_IO, "LIBUSB_ERROR_IO", "Input/Output Error" },
	{ LIBUSB_ERROR_INVALID_PARAM, "LIBUSB_ERROR_INVALID_PARAM", "Invalid parameter" },
	{ LIBUSB_ERROR_ACCESS, "LIBUSB_ERROR_ACCESS", "Access denied (insufficient permissions)" },
	{ LIBUSB_ERROR_NO_DEVICE, "LIBUSB_ERROR_NO_DEVICE", "No such device (it may have been disconnected)" },
	{ LIBUSB_ERROR_NOT_FOUND, "LIBUSB_ERROR_NOT_FOUND", "Entity not found" },
	{ LIBUSB_ERROR_BUSY, "LIBUSB_ERROR_BUSY", "Resource busy" },
	{ LIBUSB_ERROR_TIMEOUT, "LIBUSB_ERROR_TIMEOUT", "Operation timed out" },
	{ LIBUSB_ERROR_OVERFLOW, "LIBUSB_ERROR_OVERFLOW", "Overflow" },
	{ LIBUSB_ERROR_PIPE, "LIBUSB_ERROR_PIPE", "Pipe error" },
	{ LIBUSB_ERROR_INTERRUPTED, "LIBUSB_ERROR_INTERRUPTED", "System call interrupted (perhaps due to signal)" },
	{ LIBUSB_ERROR_NO_MEM, "LIBUSB_ERROR_NO_MEM", "Insufficient memory" },
	{ LIBUSB_ERROR_NOT_SUPPORTED, "LIBUSB_ERROR_NOT_SUPPORTED", "Operation not supported or unimplemented" },
	{ LIBUSB_ERROR_OTHER, "LIBUSB_ERROR_OTHER", "Other error" },
};

const char *libusb_error_name(int code)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].code == code)
			return errors[i].name;
	return "**UNKNOWN**";
}

const char *libusb_strerror(int code)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].code == code)
			return errors[i].text;
	return "Unknown error";
}

const struct libusb_version *libusb_get_version(void)
{
	static const struct libusb_version v = { 1, 0, 26, 0, "", "stlink-usbsim" };

	return &v;
}
