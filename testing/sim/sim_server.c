// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include "sim_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim_hostile.h"
#include "sim_log.h"
#include "stlink_const.h"

#define MAX_READ_DATA		SIM_SERVER_MAX_READ_DATA
#define RX_BUF_SIZE		(STLINK_TCP_USB_CMD_HDR + SIM_SERVER_MAX_WRITE_DATA)
/* a request started but not finished within this time is treated as broken */
#define PARTIAL_REQUEST_TIMEOUT	2.0
/* a client that does not drain its replies within this time is dropped */
#define SEND_TIMEOUT_MS		2000

struct sim_client {
	int fd;
	unsigned int id;
	uint8_t rx[RX_BUF_SIZE];
	size_t rx_len;
	double partial_since;
	bool opened_device;	/* ever opened one: relevant for --exit-on-disconnect */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t le32(const uint8_t *b)
{
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

int sim_server_listen(struct sim_server *s, uint16_t port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	socklen_t len = sizeof(addr);
	int one = 1;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0)
		return -1;
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(s->listen_fd, 4) ||
	    getsockname(s->listen_fd, (struct sockaddr *)&addr, &len)) {
		close(s->listen_fd);
		s->listen_fd = -1;
		return -1;
	}
	s->port = ntohs(addr.sin_port);
	s->next_connect_id = 0xC0FFEE01;
	return 0;
}

static void drop_client(struct sim_server *s, int slot, const char *why)
{
	struct sim_client *c = s->clients[slot];

	sim_log("TCP client=%u closed: %s", c->id, why);
	for (unsigned int i = 0; i < s->n_devs; i++) {
		if (s->devs[i].owner == slot) {
			s->devs[i].owner = -1;
			s->devs[i].connect_id = 0;
			sim_probe_host_closed(&s->devs[i].probe);
		}
	}
	if (c->opened_device && s->exit_on_disconnect)
		s->done = true;
	close(c->fd);
	free(c);
	s->clients[slot] = NULL;
}

/* write all of buf, waiting at most SEND_TIMEOUT_MS for the peer to make room each time */
static int send_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n > 0) {
			buf += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };

		if (poll(&pfd, 1, SEND_TIMEOUT_MS) <= 0)
			return -1;
	}
	return 0;
}

long sim_server_request_size(const uint8_t *r, size_t len, const char **why)
{
	*why = NULL;
	if (len == 0)
		return 0;
	switch (r[0]) {
	case STLINK_TCP_REFRESH_DEVICE_LIST:
		return 2;
	case STLINK_TCP_GET_NB_DEV:
		return 1;
	case STLINK_TCP_GET_DEV_INFO:
	case STLINK_TCP_OPEN_DEV:
	case STLINK_TCP_CLOSE_DEV:
		return 8;
	case STLINK_TCP_GET_SERVER_VERSION:
		return 4;
	case STLINK_TCP_SEND_USB_CMD: {
		uint32_t size;

		if (len < STLINK_TCP_USB_CMD_HDR)
			return 0;
		size = le32(r + 28);
		switch (r[24]) {
		case STLINK_TCP_REQUEST_WRITE:
			if (size > SIM_SERVER_MAX_WRITE_DATA) {
				*why = "SEND_USB_CMD write data larger than 10208 bytes";
				return -1;
			}
			return STLINK_TCP_USB_CMD_HDR + size;
		case STLINK_TCP_REQUEST_READ:
		case STLINK_TCP_REQUEST_READ_SWO:
			if (size > SIM_SERVER_MAX_READ_DATA) {
				*why = "SEND_USB_CMD read size larger than 10236 bytes";
				return -1;
			}
			return STLINK_TCP_USB_CMD_HDR;
		default:
			*why = "SEND_USB_CMD with unknown direction";
			return -1;
		}
	}
	default:
		*why = "unknown TCP command";
		return -1;
	}
}

static struct sim_device *dev_by_connect_id(struct sim_server *s, int slot, uint32_t cid)
{
	for (unsigned int i = 0; i < s->n_devs; i++)
		if (s->devs[i].owner == slot && s->devs[i].connect_id == cid)
			return &s->devs[i];
	return NULL;
}

static int handle_usb_cmd(struct sim_server *s, int slot, const uint8_t *r, uint8_t *resp, size_t *resp_len)
{
	struct sim_device *d = dev_by_connect_id(s, slot, le32(r + 4));
	uint8_t dir = r[24];
	uint32_t size = le32(r + 28);
	const uint8_t *cmd = r + 8;

	*resp_len = 4 + (dir == STLINK_TCP_REQUEST_WRITE ? 0 : size);
	memset(resp, 0, *resp_len);
	if (!d) {
		/* still answer with the full length: OpenOCD blocks until it has it */
		sim_log("TCP client=%u SEND_USB_CMD for unknown connect_id 0x%08x", s->clients[slot]->id, le32(r + 4));
		put32(resp, STLINK_TCP_SS_BAD_PARAMETER);
		return 0;
	}
	uint32_t tcp_status = STLINK_TCP_SS_OK;

	if (dir == STLINK_TCP_REQUEST_WRITE)
		sim_probe_command(&d->probe, cmd, r + STLINK_TCP_USB_CMD_HDR, size, NULL, 0);
	else if (dir == STLINK_TCP_REQUEST_READ)
		sim_probe_command(&d->probe, cmd, NULL, 0, resp + 4, size);
	else
		sim_log("TCP client=%u READ_SWO %u bytes (no trace data)", s->clients[slot]->id, size);
	/* --hostile: the payload may change, the length never does (see sim_hostile.h) */
	sim_hostile_reply(s->hostile, cmd, resp + 4, *resp_len - 4, &tcp_status);
	put32(resp, tcp_status);
	return 0;
}

static int handle_request(struct sim_server *s, int slot, const uint8_t *r, size_t len)
{
	static uint8_t resp[4 + MAX_READ_DATA];
	struct sim_client *c = s->clients[slot];
	size_t resp_len = 4;
	uint32_t status = STLINK_TCP_SS_OK;

	(void)len;
	sim_stats_count_tcp(r[0]);
	memset(resp, 0, 64);
	switch (r[0]) {
	case STLINK_TCP_GET_SERVER_VERSION:
		put32(resp, s->cfg.api);
		put32(resp + 4, s->cfg.major);
		put32(resp + 8, s->cfg.minor);
		put32(resp + 12, s->cfg.build);
		resp_len = 16;
		sim_log("TCP client=%u GET_SERVER_VERSION client_api=%u -> api %u, %u.%u.%u", c->id, r[1], s->cfg.api,
			s->cfg.major, s->cfg.minor, s->cfg.build);
		break;
	case STLINK_TCP_REFRESH_DEVICE_LIST:
		put32(resp, status);
		sim_log("TCP client=%u REFRESH_DEVICE_LIST -> 0x%x", c->id, status);
		break;
	case STLINK_TCP_GET_NB_DEV:
		put32(resp, s->n_devs);
		sim_log("TCP client=%u GET_NB_DEV -> %u", c->id, s->n_devs);
		break;
	case STLINK_TCP_GET_DEV_INFO: {
		unsigned int idx = r[1];
		struct sim_device *d = idx < s->n_devs ? &s->devs[idx] : NULL;

		resp_len = 4 + STLINK_TCP_DEV_INFO_SIZE;
		memset(resp, 0, resp_len);
		if (!d || le32(r + 4) != STLINK_TCP_DEV_INFO_SIZE) {
			status = STLINK_TCP_SS_BAD_PARAMETER;
		} else {
			bool used = d->probe.cfg.in_use || (d->owner >= 0 && d->owner != slot);

			put32(resp + 4, d->usb_id);
			memcpy(resp + 8, d->probe.cfg.serial, strnlen(d->probe.cfg.serial, 32));
			resp[40] = d->probe.cfg.vid;
			resp[41] = d->probe.cfg.vid >> 8;
			resp[42] = d->probe.cfg.pid;
			resp[43] = d->probe.cfg.pid >> 8;
			resp[44] = used;
		}
		put32(resp, status);
		sim_log("TCP client=%u GET_DEV_INFO index=%u -> 0x%x used=%u", c->id, idx, status, resp[44]);
		break;
	}
	case STLINK_TCP_OPEN_DEV: {
		uint32_t usb_id = le32(r + 4);
		struct sim_device *d = NULL;

		for (unsigned int i = 0; i < s->n_devs; i++)
			if (s->devs[i].usb_id == usb_id)
				d = &s->devs[i];
		resp_len = 8;
		if (!d) {
			status = STLINK_TCP_SS_BAD_PARAMETER;
		} else if (d->probe.cfg.in_use || (d->owner >= 0 && d->owner != slot)) {
			status = STLINK_TCP_SS_OPEN_ERR;
		} else {
			if (d->owner != slot)
				d->connect_id = s->next_connect_id++;
			d->owner = slot;
			c->opened_device = true;
			put32(resp + 4, d->connect_id);
		}
		put32(resp, status);
		sim_log("TCP client=%u OPEN_DEV id=0x%08x -> 0x%x connect_id=0x%08x", c->id, usb_id, status,
			le32(resp + 4));
		break;
	}
	case STLINK_TCP_CLOSE_DEV: {
		struct sim_device *d = dev_by_connect_id(s, slot, le32(r + 4));

		if (d) {
			d->owner = -1;
			d->connect_id = 0;
			sim_probe_host_closed(&d->probe);
		} else {
			status = STLINK_TCP_SS_BAD_PARAMETER;
		}
		put32(resp, status);
		sim_log("TCP client=%u CLOSE_DEV connect_id=0x%08x -> 0x%x", c->id, le32(r + 4), status);
		break;
	}
	case STLINK_TCP_SEND_USB_CMD:
		handle_usb_cmd(s, slot, r, resp, &resp_len);
		break;
	}
	return send_all(c->fd, resp, resp_len);
}

/* consume every complete request in the client's buffer; -1 = drop the client */
static int process_client(struct sim_server *s, int slot)
{
	struct sim_client *c = s->clients[slot];

	while (c->rx_len) {
		const char *why = NULL;
		long need = sim_server_request_size(c->rx, c->rx_len, &why);

		if (need < 0) {
			sim_warn("client %u: %s (first byte 0x%02x): closing connection", c->id, why, c->rx[0]);
			return -1;
		}
		if (need == 0 || (size_t)need > c->rx_len) {
			if (c->partial_since == 0)
				c->partial_since = now_s();
			return 0;
		}
		c->partial_since = 0;
		if (handle_request(s, slot, c->rx, need)) {
			sim_warn("client %u: cannot send reply: closing connection", c->id);
			return -1;
		}
		memmove(c->rx, c->rx + need, c->rx_len - need);
		c->rx_len -= need;
	}
	return 0;
}

static void accept_client(struct sim_server *s)
{
	static unsigned int next_id = 1;
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int one = 1;

	if (fd < 0)
		return;
	for (int i = 0; i < SIM_MAX_CLIENTS; i++) {
		if (s->clients[i])
			continue;
		s->clients[i] = calloc(1, sizeof(struct sim_client));
		if (!s->clients[i])
			break;
		s->clients[i]->fd = fd;
		s->clients[i]->id = next_id++;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		sim_log("TCP client=%u connected", s->clients[i]->id);
		return;
	}
	sim_warn("too many clients: refusing a connection");
	close(fd);
}

int sim_server_run(struct sim_server *s, double deadline, volatile sig_atomic_t *stop)
{
	while (!*stop && !s->done) {
		struct pollfd pfd[SIM_MAX_CLIENTS + 1];
		int slot_of[SIM_MAX_CLIENTS + 1];
		double now = now_s(), left = deadline - now;
		int n = 0, timeout_ms;

		if (left <= 0) {
			sim_warn("timeout reached: exiting");
			return 0;
		}
		/* short waits: the deadline and partial-request bounds are checked every round */
		timeout_ms = left > 0.2 ? 200 : (int)(left * 1000) + 1;
		pfd[n].fd = s->listen_fd;
		pfd[n].events = POLLIN;
		slot_of[n++] = -1;
		for (int i = 0; i < SIM_MAX_CLIENTS; i++) {
			struct sim_client *c = s->clients[i];

			if (!c)
				continue;
			if (c->partial_since && now - c->partial_since > PARTIAL_REQUEST_TIMEOUT) {
				sim_warn("client %u: incomplete request (%zu bytes) timed out: closing connection",
					c->id, c->rx_len);
				drop_client(s, i, "incomplete request");
				continue;
			}
			pfd[n].fd = c->fd;
			pfd[n].events = POLLIN;
			slot_of[n++] = i;
		}
		if (poll(pfd, n, timeout_ms) < 0) {
			if (errno == EINTR)
				continue;
			sim_warn("poll: %s", strerror(errno));
			return -1;
		}
		if (pfd[0].revents & POLLIN)
			accept_client(s);
		for (int k = 1; k < n; k++) {
			int slot = slot_of[k];
			struct sim_client *c = s->clients[slot];
			ssize_t got;

			if (!c || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = recv(c->fd, c->rx + c->rx_len, sizeof(c->rx) - c->rx_len, 0);
			if (got == 0) {
				drop_client(s, slot, c->rx_len ? "peer closed mid-request" : "peer closed");
				continue;
			}
			if (got < 0) {
				if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
					drop_client(s, slot, strerror(errno));
				continue;
			}
			c->rx_len += got;
			if (process_client(s, slot))
				drop_client(s, slot, "protocol error");
		}
	}
	return 0;
}

void sim_server_close(struct sim_server *s)
{
	for (int i = 0; i < SIM_MAX_CLIENTS; i++) {
		if (s->clients[i]) {
			bool keep = s->done;

			drop_client(s, i, "simulator exiting");
			s->done = keep;
		}
	}
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
}
