"""tests/kernel/continuity.d/traffic.py — the traffic of tests/kernel/continuity: an echo server, and a client
that keeps one long-lived TCP connection busy (a 16-byte message every 20 ms, echoed back) while it opens a
steady stream of new connections (200/s), until a stop file appears; it then prints what went wrong.

  traffic.py server ADDR PORT
  traffic.py client ADDR PORT READYFILE STOPFILE

The client writes READYFILE once the long connection is up, and on STOPFILE prints one line of counts:
  long_sent= long_lost= long_delayed= long_stalled= long_max_ms= new_ok= new_failed= new_max_ms=
A long-connection message is lost when its echo never comes back (the connection broke or stayed silent
for LONG_TIMEOUT), delayed when the echo took longer than DELAY_LIMIT, stalled when it took longer than
STALL_LIMIT (what a single dropped and retransmitted segment costs at least). A new connection fails when the
three-way handshake plus one echoed byte does not finish within NEW_TIMEOUT: one dropped SYN is enough,
since the kernel's first SYN retransmission comes only after a second."""
import socket
import socketserver
import sys
import threading
import time

DELAY_LIMIT = 1.0     # seconds: an echo slower than this counts as delayed
STALL_LIMIT = 0.15    # seconds: below TCP's minimum retransmission timeout (200 ms), so one dropped segment shows
LONG_TIMEOUT = 3.0    # seconds of silence on the long connection that count its message lost
NEW_TIMEOUT = 0.9     # seconds for a new connection: less than the first SYN retransmission (1 s)
LONG_PERIOD = 0.020   # one message every 20 ms
NEW_PERIOD = 0.005    # 200 new connections per second: a gap of a few milliseconds catches some


class Echo(socketserver.BaseRequestHandler):
	def handle(self):
		s = self.request
		try:
			while True:
				data = s.recv(4096)
				if not data:
					return
				s.sendall(data)
		except OSError:
			return


class Server(socketserver.ThreadingTCPServer):
	allow_reuse_address = True
	daemon_threads = True
	request_queue_size = 256


def recv_exact(s, n):
	buf = b""
	while len(buf) < n:
		chunk = s.recv(n - len(buf))
		if not chunk:
			raise OSError("connection closed")
		buf += chunk
	return buf


class Counts:
	def __init__(self):
		self.lock = threading.Lock()
		self.long_sent = self.long_lost = self.long_delayed = self.long_stalled = 0
		self.long_max = 0.0
		self.new_ok = self.new_failed = 0
		self.new_max = 0.0


def long_conn(sock, stop, counts):
	"""One message every LONG_PERIOD, each echo awaited; a broken connection loses every later message."""
	sock.settimeout(LONG_TIMEOUT)
	seq = 0
	broken = False
	next_at = time.monotonic()
	while not stop.is_set():
		next_at += LONG_PERIOD
		seq += 1
		msg = b"%016d" % seq
		counts.long_sent += 1
		if broken:
			counts.long_lost += 1
		else:
			t0 = time.monotonic()
			try:
				sock.sendall(msg)
				if recv_exact(sock, len(msg)) != msg:
					raise OSError("echo garbled")
				rtt = time.monotonic() - t0
				counts.long_max = max(counts.long_max, rtt)
				if rtt > DELAY_LIMIT:
					counts.long_delayed += 1
				if rtt > STALL_LIMIT:
					counts.long_stalled += 1
			except OSError:
				counts.long_lost += 1
				broken = True
		delay = next_at - time.monotonic()
		if delay > 0:
			time.sleep(delay)
		else:
			next_at = time.monotonic()


def one_new(addr, port, counts):
	t0 = time.monotonic()
	ok = False
	try:
		with socket.create_connection((addr, port), timeout=NEW_TIMEOUT) as s:
			s.settimeout(max(0.05, NEW_TIMEOUT - (time.monotonic() - t0)))
			s.sendall(b"x")
			ok = recv_exact(s, 1) == b"x"
	except OSError:
		ok = False
	took = time.monotonic() - t0
	with counts.lock:
		if ok:
			counts.new_ok += 1
			counts.new_max = max(counts.new_max, took)
		else:
			counts.new_failed += 1


def new_stream(addr, port, stop, counts, workers):
	"""Starts a connection every NEW_PERIOD on its own thread, so one that hangs does not slow the stream."""
	next_at = time.monotonic()
	while not stop.is_set():
		t = threading.Thread(target=one_new, args=(addr, port, counts), daemon=True)
		t.start()
		workers.append(t)
		next_at += NEW_PERIOD
		delay = next_at - time.monotonic()
		if delay > 0:
			time.sleep(delay)
		else:
			next_at = time.monotonic()


def client(addr, port, ready, stopfile):
	import os
	counts = Counts()
	stop = threading.Event()
	sock = socket.create_connection((addr, port), timeout=5)
	sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
	workers = []
	threads = [threading.Thread(target=long_conn, args=(sock, stop, counts)),
		   threading.Thread(target=new_stream, args=(addr, port, stop, counts, workers))]
	for t in threads:
		t.start()
	with open(ready, "w") as f:
		f.write("ready\n")
	while not os.path.exists(stopfile):
		time.sleep(0.02)
	stop.set()
	for t in threads + workers:
		t.join()
	sock.close()
	print("long_sent=%d long_lost=%d long_delayed=%d long_stalled=%d long_max_ms=%d new_ok=%d new_failed=%d new_max_ms=%d" % (
		counts.long_sent, counts.long_lost, counts.long_delayed, counts.long_stalled, counts.long_max * 1000,
		counts.new_ok, counts.new_failed, counts.new_max * 1000), flush=True)


def main():
	if len(sys.argv) == 4 and sys.argv[1] == "server":
		srv = Server((sys.argv[2], int(sys.argv[3])), Echo)
		srv.serve_forever()
	elif len(sys.argv) == 6 and sys.argv[1] == "client":
		client(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
	else:
		sys.exit("usage: traffic.py server ADDR PORT | client ADDR PORT READYFILE STOPFILE")


if __name__ == "__main__":
	main()
