#!/usr/bin/python3
"""tests/netns/lib/agent.py — the verdict harness's helper inside one namespace: listeners, probes, arrival log.

Started by the harness as `ip netns exec NS /usr/bin/python3 agent.py NAME INODE`; it talks JSON lines on
stdin/stdout (one request, one reply, matched by "rid"; probes run in their own threads, so their
replies come back in any order).  It refuses to run in the harness's own network namespace (INODE):
everything it changes (sysctls, the conntrack table) must belong to a namespace the harness made.

Requests:
  {"rid": n, "cmd": "sysctl", "set": {"net/ipv4/ip_forward": "1", ...}}
  {"rid": n, "cmd": "listen", "addrs": [...], "tcp": [ports], "udp": [ports]}
  {"rid": n, "cmd": "probe", "proto": "tcp|udp|icmp|esp|ah", "dst": addr, "port": p, "token": t, "timeout": s}
  {"rid": n, "cmd": "arrivals"}          -> the ICMP echo / ESP / AH packets seen, by token
  {"rid": n, "cmd": "flush_conntrack"}   -> empties this namespace's conntrack table (ctnetlink)
  {"rid": n, "cmd": "quit"}
"""

import errno
import json
import os
import select
import socket
import struct
import sys
import threading
import time

MARK = b"SWC"
IPPROTO_ESP = 50
IPPROTO_AH = 51
IP_RECVERR = 11  # not exported by Python's socket module
MSG_ERRQUEUE = 0x2000
SO_EE_ORIGIN_ICMP = 2
RAW_PROTOS = {"icmp": socket.IPPROTO_ICMP, "esp": IPPROTO_ESP, "ah": IPPROTO_AH}

# The names iptables gives to --reject-with values, by ICMP destination-unreachable code.
UNREACH_KIND = {
	0: "icmp-net-unreachable", 1: "icmp-host-unreachable", 2: "icmp-proto-unreachable",
	3: "icmp-port-unreachable", 9: "icmp-net-prohibited", 10: "icmp-host-prohibited",
	13: "icmp-admin-prohibited",
}


def icmp_kind(icmp_type, code):
	if icmp_type == 3:
		return UNREACH_KIND.get(code, "icmp-unreachable-code%d" % code)
	return "icmp-type%d-code%d" % (icmp_type, code)


def checksum(data):
	if len(data) % 2:
		data += b"\0"
	s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
	while s >> 16:
		s = (s & 0xFFFF) + (s >> 16)
	return ~s & 0xFFFF


def token_bytes(token):
	return MARK + b"%08x" % token


def ip_payload(packet):
	"""(src, dst, proto, payload) of a raw IPv4 packet as a raw socket hands it over."""
	ihl = (packet[0] & 0x0F) * 4
	return (socket.inet_ntoa(packet[12:16]), socket.inet_ntoa(packet[16:20]), packet[9], packet[ihl:])


def raw_token(proto, payload):
	"""The probe token carried by an ICMP echo request, ESP or AH packet of ours, or None.

	The token sits in the first 8 bytes after the IP header (what an ICMP error quotes back):
	echo id+sequence, the ESP SPI, the AH SPI."""
	if proto == socket.IPPROTO_ICMP:
		if len(payload) < 8 or payload[0] != 8 or MARK not in payload[8:]:
			return None
		ident, seq = struct.unpack("!HH", payload[4:8])
		return ident << 16 | seq
	if proto == IPPROTO_ESP and len(payload) >= 8 and MARK in payload[8:]:
		return struct.unpack("!I", payload[0:4])[0]
	if proto == IPPROTO_AH and len(payload) >= 12 and MARK in payload[12:]:
		return struct.unpack("!I", payload[4:8])[0]
	return None


def quoted_token(proto, quoted):
	"""The token in the first 8 payload bytes quoted by an ICMP error (no marker there)."""
	if len(quoted) < 8:
		return None
	if proto == socket.IPPROTO_ICMP:
		ident, seq = struct.unpack("!HH", quoted[4:8])
		return ident << 16 | seq
	if proto == IPPROTO_ESP:
		return struct.unpack("!I", quoted[0:4])[0]
	if proto == IPPROTO_AH:
		return struct.unpack("!I", quoted[4:8])[0]
	return None


def read_errqueue(sock):
	"""The ICMP error queued on a socket with IP_RECVERR, as (kind, offender) or None."""
	try:
		_, anc, _, _ = sock.recvmsg(512, 512, MSG_ERRQUEUE | socket.MSG_DONTWAIT)
	except OSError:
		return None
	for level, ctype, data in anc:
		if level != socket.IPPROTO_IP or ctype != IP_RECVERR or len(data) < 16:
			continue
		_, origin, etype, code, _, _, _ = struct.unpack("=IBBBBII", data[:16])
		if origin != SO_EE_ORIGIN_ICMP:
			continue
		offender = socket.inet_ntoa(data[20:24]) if len(data) >= 24 else None
		return icmp_kind(etype, code), offender
	return None


class Agent:
	def __init__(self, name):
		self.name = name
		self.out_lock = threading.Lock()
		self.log_lock = threading.Lock()
		self.arrivals = []
		self.listeners = []

	# ---- protocol -------------------------------------------------------------------------------
	def reply(self, rid, **fields):
		fields["rid"] = rid
		line = json.dumps(fields) + "\n"
		with self.out_lock:
			sys.stdout.write(line)
			sys.stdout.flush()

	def serve(self):
		self.reply(0, ok=True, name=self.name, pid=os.getpid())
		for line in sys.stdin:
			if not line.strip():
				continue
			req = json.loads(line)
			rid, cmd = req.get("rid"), req.get("cmd")
			try:
				if cmd == "probe":
					threading.Thread(target=self.probe_thread, args=(req,), daemon=True).start()
				elif cmd == "sysctl":
					self.reply(rid, ok=True, set=self.sysctl(req["set"]))
				elif cmd == "listen":
					self.listen(req.get("addrs", []), req.get("tcp", []), req.get("udp", []))
					self.reply(rid, ok=True)
				elif cmd == "arrivals":
					with self.log_lock:
						self.reply(rid, ok=True, arrivals=list(self.arrivals))
				elif cmd == "flush_conntrack":
					self.reply(rid, ok=True, result=flush_conntrack())
				elif cmd == "quit":
					self.reply(rid, ok=True)
					return
				else:
					self.reply(rid, ok=False, error="unknown command %r" % cmd)
			except Exception as e:  # report, keep serving: the harness decides what is fatal
				self.reply(rid, ok=False, error="%s: %s" % (type(e).__name__, e))

	# ---- namespace settings ---------------------------------------------------------------------
	def sysctl(self, settings):
		done = {}
		for key, value in settings.items():
			path = "/proc/sys/" + key.replace(".", "/")
			if not os.path.exists(path):
				done[key] = None  # not per-namespace (or not in this kernel): left alone
				continue
			with open(path, "w") as f:
				f.write(str(value))
			done[key] = str(value)
		return done

	# ---- listeners ------------------------------------------------------------------------------
	def listen(self, addrs, tcp_ports, udp_ports):
		socks = []
		for port in tcp_ports:
			s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
			s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
			s.bind(("0.0.0.0", port))
			s.listen(128)
			s.setblocking(False)
			socks.append(("tcp", s))
		# One UDP socket per local address, so that every answer leaves from the address asked.
		for port in udp_ports:
			for addr in addrs:
				s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
				s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
				s.bind((addr, port))
				s.setblocking(False)
				socks.append(("udp", s))
		for proto in RAW_PROTOS.values():
			s = socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
			s.setblocking(False)
			socks.append(("raw", s))
		self.listeners.extend(socks)
		threading.Thread(target=self.listen_loop, args=(socks,), daemon=True).start()

	def banner(self, peer):
		return ("SWC %s %s %d\n" % (self.name, peer[0], peer[1])).encode()

	def listen_loop(self, socks):
		kinds = {s.fileno(): (kind, s) for kind, s in socks}
		poller = select.poll()
		for fd in kinds:
			poller.register(fd, select.POLLIN)
		while True:
			for fd, _ in poller.poll():
				kind, s = kinds[fd]
				try:
					if kind == "tcp":
						conn, peer = s.accept()
						conn.setblocking(True)
						conn.settimeout(1.0)
						try:
							conn.sendall(self.banner(peer))
						finally:
							conn.close()
					elif kind == "udp":
						data, peer = s.recvfrom(2048)
						if data.startswith(MARK):
							s.sendto(self.banner(peer), peer)
					else:
						packet = s.recv(65535)
						self.log_raw(packet)
				except OSError:
					pass  # a peer that went away; the probe side reports what it saw

	def log_raw(self, packet):
		src, dst, proto, payload = ip_payload(packet)
		token = raw_token(proto, payload)
		if token is None:
			return
		name = {socket.IPPROTO_ICMP: "icmp", IPPROTO_ESP: "esp", IPPROTO_AH: "ah"}[proto]
		with self.log_lock:
			self.arrivals.append({"proto": name, "token": token, "src": src, "dst": dst})

	# ---- probes ---------------------------------------------------------------------------------
	def probe_thread(self, req):
		started = time.monotonic()
		try:
			result = getattr(self, "probe_" + req["proto"])(req["dst"], req.get("port"), req["token"],
									 float(req["timeout"]))
		except Exception as e:
			result = {"got": "ERROR", "detail": "%s: %s" % (type(e).__name__, e)}
		result["ms"] = int((time.monotonic() - started) * 1000)
		self.reply(req["rid"], ok=True, result=result)

	@staticmethod
	def parse_banner(data):
		parts = data.decode(errors="replace").split()
		if len(parts) == 4 and parts[0] == "SWC":
			return {"answered_by": parts[1], "source_seen": parts[2]}
		return {"detail": "unexpected answer %r" % data[:40]}

	def probe_tcp(self, dst, port, token, timeout):
		deadline = time.monotonic() + timeout
		s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
		try:
			s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
			s.setblocking(False)
			err = s.connect_ex((dst, port))
			if err == errno.EPERM:
				return {"got": "DROP", "detail": "EPERM: dropped on the way out"}
			if err not in (0, errno.EINPROGRESS):
				return self.refused(s, err)
			_, writable, _ = select.select([], [s], [], max(0.0, deadline - time.monotonic()))
			if not writable:
				icmp = read_errqueue(s)
				if icmp:
					return {"got": "REJECT(%s)" % icmp[0], "rejected_by": icmp[1]}
				return {"got": "DROP", "detail": "no answer"}
			err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
			if err:
				return self.refused(s, err)
			data = b""
			while not data.endswith(b"\n"):
				left = deadline - time.monotonic()
				readable, _, _ = select.select([s], [], [], max(0.0, left))
				if not readable:
					break
				chunk = s.recv(256)
				if not chunk:
					break
				data += chunk
			result = {"got": "ACCEPT"}
			result.update(self.parse_banner(data) if data else {"detail": "connected, no banner"})
			return result
		finally:
			s.close()

	@staticmethod
	def refused(s, err):
		icmp = read_errqueue(s)
		if icmp:
			return {"got": "REJECT(%s)" % icmp[0], "rejected_by": icmp[1], "detail": errno.errorcode.get(err, str(err))}
		if err == errno.ECONNREFUSED:
			return {"got": "REJECT(tcp-reset)"}
		if err == errno.EPERM:
			return {"got": "DROP", "detail": "EPERM: dropped on the way out"}
		return {"got": "ERROR", "detail": "connect: %s" % errno.errorcode.get(err, str(err))}

	def probe_udp(self, dst, port, token, timeout):
		deadline = time.monotonic() + timeout
		s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		try:
			s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
			s.connect((dst, port))
			# A packet of the firewall's own that OUTPUT drops or rejects fails with EPERM; a
			# REJECT still sends its ICMP error to us, so keep listening either way.
			silence = "no answer"
			try:
				s.send(token_bytes(token) + b"\n")
			except PermissionError:
				silence = "EPERM: dropped on the way out"
			while True:
				left = deadline - time.monotonic()
				if left <= 0:
					return {"got": "DROP", "detail": silence}
				readable, _, _ = select.select([s], [], [], left)
				if not readable:
					continue
				try:
					data = s.recv(2048)
				except OSError as e:
					icmp = read_errqueue(s)
					if icmp:
						return {"got": "REJECT(%s)" % icmp[0], "rejected_by": icmp[1]}
					if e.errno == errno.EPERM:
						return {"got": "DROP", "detail": "EPERM: dropped on the way out"}
					return {"got": "ERROR", "detail": "recv: %s" % e}
				result = {"got": "ACCEPT"}
				result.update(self.parse_banner(data))
				return result
		finally:
			s.close()

	def probe_icmp(self, dst, port, token, timeout):
		body = token_bytes(token) + b"\0" * 21
		header = struct.pack("!BBHHH", 8, 0, 0, token >> 16, token & 0xFFFF)
		packet = struct.pack("!BBHHH", 8, 0, checksum(header + body), token >> 16, token & 0xFFFF) + body
		return self.raw_probe(socket.IPPROTO_ICMP, packet, dst, token, timeout)

	def probe_esp(self, dst, port, token, timeout):
		packet = struct.pack("!II", token, 1) + token_bytes(token) + b"\0" * 13
		return self.raw_probe(IPPROTO_ESP, packet, dst, token, timeout)

	def probe_ah(self, dst, port, token, timeout):
		# next header 59 (none), length 4 (24 bytes: 12 of header, 12 of "ICV" carrying the mark)
		packet = struct.pack("!BBHII", 59, 4, 0, token, 1) + token_bytes(token) + b"\0"
		return self.raw_probe(IPPROTO_AH, packet, dst, token, timeout)

	def raw_probe(self, proto, packet, dst, token, timeout):
		"""Send one raw packet; watch every incoming ICMP packet for the answer or an error.

		An echo reply settles an ICMP probe; ESP and AH get no answer, so they wait the whole
		timeout for an error and the harness learns from the arrival logs whether they got through."""
		deadline = time.monotonic() + timeout
		watch = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
		sender = watch if proto == socket.IPPROTO_ICMP else socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
		try:
			silence, outcome = "no answer", "DROP" if proto == socket.IPPROTO_ICMP else "SENT"
			try:
				sender.sendto(packet, (dst, 0))
			except PermissionError:  # OUTPUT dropped or rejected it: wait for a REJECT's error
				silence, outcome = "EPERM: dropped on the way out", "DROP"
			while True:
				left = deadline - time.monotonic()
				if left <= 0:
					return {"got": outcome, "detail": silence}
				readable, _, _ = select.select([watch], [], [], left)
				if not readable:
					continue
				src, _, _, icmp = ip_payload(watch.recv(65535))
				if len(icmp) < 8:
					continue
				itype, code = icmp[0], icmp[1]
				if proto == socket.IPPROTO_ICMP and itype == 0:
					ident, seq = struct.unpack("!HH", icmp[4:8])
					if ident << 16 | seq == token:
						return {"got": "ACCEPT", "replied_from": src}
					continue
				if itype not in (3, 4, 5, 11, 12) or len(icmp) < 28:
					continue
				_, qdst, qproto, quoted = ip_payload(icmp[8:])
				if qproto == proto and qdst == dst and quoted_token(proto, quoted) == token:
					return {"got": "REJECT(%s)" % icmp_kind(itype, code), "rejected_by": src}
		finally:
			if sender is not watch:
				sender.close()
			watch.close()


def flush_conntrack():
	"""Delete every conntrack entry of this namespace (ctnetlink IPCTNL_MSG_CT_DELETE, no tuple)."""
	nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)  # NETLINK_NETFILTER
	try:
		nl.settimeout(2.0)
		body = struct.pack("=BBH", socket.AF_INET, 0, 0)  # nfgenmsg: family, version 0, res_id
		msg_type = (1 << 8) | 2  # NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE
		nl.send(struct.pack("=IHHII", 16 + len(body), msg_type, 1 | 4, 1, 0) + body)  # REQUEST|ACK
		ack = nl.recv(4096)
		if len(ack) >= 20 and struct.unpack("=H", ack[4:6])[0] == 2:  # NLMSG_ERROR carries the status
			status = struct.unpack("=i", ack[16:20])[0]
			if status not in (0, -errno.ENOENT):
				return "error %d" % status
		return "flushed"
	finally:
		nl.close()


def main():
	if len(sys.argv) != 3:
		print("usage: agent.py NAME HOST_NETNS_INODE (started by tests/netns/verdicts)", file=sys.stderr)
		return 2
	# The harness's namespaces only: never the network namespace the harness itself runs in.
	if os.stat("/proc/self/ns/net").st_ino == int(sys.argv[2]):
		print("agent.py: refusing to run in the harness's own network namespace", file=sys.stderr)
		return 2
	Agent(sys.argv[1]).serve()
	return 0


if __name__ == "__main__":
	sys.exit(main())
