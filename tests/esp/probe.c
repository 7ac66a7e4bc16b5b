/* probe.c — the tiny TCP/UDP client and server the ESP VM test runs inside its namespaces. */
/*
 * busybox has ping and a TCP-only nc; the scenarios also need UDP (IKE on port 500) and, like an
 * IKE daemon, a socket that bypasses the SPD so that the gateways' own policies (which encrypt
 * gateway-to-gateway traffic, as the seed's eight setkey lines do) leave IKE in the clear.
 *
 *   probe serve tcp|udp PORT [bypass]
 *       answer every connection or datagram with "ok SOURCE\n", SOURCE the address it came from
 *   probe ask tcp|udp ADDR PORT SECS [bypass] [from=SOURCE]
 *       exit 0 when "ok" comes back within SECS (and, with from=, the server saw that source:
 *       how the test tells masqueraded traffic from traffic that kept its address), else 1
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* An ALLOW per-socket policy in both directions: the socket's packets skip the SPD, which is
 * what racoon and strongSwan do for their IKE sockets. */
static int probe_bypass(int fd)
{
	struct xfrm_userpolicy_info pol;
	int dir;

	for (dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		memset(&pol, 0, sizeof pol);
		pol.sel.family = AF_INET;	/* the kernel refuses a selector of no family */
		pol.action = XFRM_POLICY_ALLOW;
		pol.dir = (unsigned char)dir;
		pol.lft.soft_byte_limit = XFRM_INF;
		pol.lft.hard_byte_limit = XFRM_INF;
		pol.lft.soft_packet_limit = XFRM_INF;
		pol.lft.hard_packet_limit = XFRM_INF;
		if (setsockopt(fd, IPPROTO_IP, IP_XFRM_POLICY, &pol, sizeof pol) < 0) {
			perror("probe: IP_XFRM_POLICY");
			return -1;
		}
	}
	return 0;
}

static int probe_socket(int type, int bypass)
{
	int fd = socket(AF_INET, type, 0);
	int one = 1;

	if (fd < 0) {
		perror("probe: socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bypass && probe_bypass(fd) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* "ok 192.0.2.1\n": the answer names the source the server saw. */
static int probe_answer(char *msg, size_t len, const struct sockaddr_in *from)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &from->sin_addr, a, sizeof a);
	return snprintf(msg, len, "ok %s\n", a);
}

static int probe_serve(int type, int port, int bypass)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int fd = probe_socket(type, bypass);

	if (fd < 0)
		return 1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || (type == SOCK_STREAM && listen(fd, 8) < 0)) {
		perror("probe: bind/listen");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		char msg[32];
		int n;

		if (type == SOCK_STREAM) {
			int c = accept(fd, (struct sockaddr *)&from, &len);

			if (c < 0)
				continue;
			n = probe_answer(msg, sizeof msg, &from);
			if (write(c, msg, (size_t)n) < 0)
				perror("probe: write");
			close(c);
		} else {
			char buf[64];

			if (recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len) < 0)
				continue;
			n = probe_answer(msg, sizeof msg, &from);
			sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&from, len);
		}
	}
}

static int probe_ask(int type, const char *addr, int port, int secs, int bypass, const char *want_src)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	struct pollfd p;
	char buf[32];
	ssize_t n;
	int fd;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "probe: bad address %s\n", addr);
		return 2;
	}
	fd = probe_socket(type, bypass);
	if (fd < 0)
		return 2;
	p.fd = fd;
	if (type == SOCK_STREAM) {
		/* a non-blocking connect, so that a DROP costs SECS and not the kernel's SYN retries */
		struct timeval tv = { .tv_sec = secs };

		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
			return 1;
	} else if (sendto(fd, "hello\n", 6, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
		return 1;
	}
	p.events = POLLIN;
	if (poll(&p, 1, secs * 1000) != 1)
		return 1;
	n = recv(fd, buf, sizeof buf - 1, 0);
	close(fd);
	if (n < 2 || memcmp(buf, "ok", 2) != 0)
		return 1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s\n", buf);
	if (want_src && strcmp(buf + 2 + (buf[2] == ' '), want_src) != 0) {
		fprintf(stderr, "probe: the server saw %s, not %s\n", buf + 3, want_src);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *want_src = NULL;
	int type, bypass = 0, i;

	if (argc < 4)
		goto usage;
	if (strcmp(argv[2], "tcp") == 0)
		type = SOCK_STREAM;
	else if (strcmp(argv[2], "udp") == 0)
		type = SOCK_DGRAM;
	else
		goto usage;
	if (strcmp(argv[1], "serve") == 0) {
		bypass = argc > 4 && strcmp(argv[4], "bypass") == 0;
		return probe_serve(type, atoi(argv[3]), bypass);
	}
	if (strcmp(argv[1], "ask") == 0 && argc >= 6) {
		for (i = 6; i < argc; i++) {
			if (strcmp(argv[i], "bypass") == 0)
				bypass = 1;
			else if (strncmp(argv[i], "from=", 5) == 0)
				want_src = argv[i] + 5;
			else
				goto usage;
		}
		return probe_ask(type, argv[3], atoi(argv[4]), atoi(argv[5]), bypass, want_src);
	}
usage:
	fprintf(stderr, "usage: probe serve tcp|udp PORT [bypass] | probe ask tcp|udp ADDR PORT SECS [bypass] [from=SOURCE]\n");
	return 2;
}
