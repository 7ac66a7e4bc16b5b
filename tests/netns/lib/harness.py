"""tests/netns/lib/harness.py — namespaces, rulesets and probes for the traffic-verdict tools (verdicts, differential).

A run builds one topology (a firewall namespace, host namespaces behind its interfaces), loads one
iptables-restore file into the firewall namespace with one backend, sends every probe of the
manifest and returns what each probe observed.  Nothing here touches the host's network: every
namespace is named swc-<pid>-<role>, every command that changes something runs inside one of them
(`ip -n NS …`, `ip netns exec NS …`), and the Cleanup registry deletes them all, whatever happens.
"""

import ipaddress
import json
import os
import random
import re
import signal
import subprocess
import threading
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
NETNS_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(NETNS_DIR))
AGENT = os.path.join(HERE, "agent.py")
PYTHON = "/usr/bin/python3"

PROTOS = ("tcp", "udp", "icmp", "esp", "ah")
RAW_PROTOS = ("esp", "ah")  # no ports: conntrack tracks them by address pair only
BACKENDS = ("legacy", "nft")
DEFAULT_TIMEOUT = 1.5

# Per-namespace sysctls.  Forwarding on the firewall only.  No ICMP rate limit anywhere: parallel
# probes make many REJECT answers per second, and a rate-limited one would look like DROP.  No
# redirects: a host told to go around the firewall would bypass the ruleset under test.  No
# reverse-path filter: the verdict must come from the ruleset alone.
SYSCTL_COMMON = {
	"net/ipv4/icmp_ratelimit": "0",
	"net/ipv4/icmp_msgs_per_sec": "100000",
	"net/ipv4/icmp_msgs_burst": "100000",
	"net/ipv4/conf/all/accept_redirects": "0",
	"net/ipv4/conf/default/accept_redirects": "0",
	"net/ipv4/conf/all/rp_filter": "0",
	"net/ipv4/conf/default/rp_filter": "0",
}
SYSCTL_FIREWALL = {
	"net/ipv4/ip_forward": "1",
	"net/ipv4/conf/all/send_redirects": "0",
	"net/ipv4/conf/default/send_redirects": "0",
}


class HarnessError(Exception):
	"""A problem with the manifest, the ruleset or the environment (not a verdict)."""


# ---- the manifest ----------------------------------------------------------------------------------
class Probe:
	FIELDS = {"from", "to", "proto", "port", "expect", "source_seen", "answered_by", "expect_difference", "note"}

	def __init__(self, index, raw, manifest):
		where = "probe %d" % (index + 1)
		if not isinstance(raw, dict):
			raise HarnessError("%s: must be a mapping" % where)
		unknown = set(raw) - self.FIELDS
		if unknown:
			raise HarnessError("%s: unknown field(s) %s" % (where, ", ".join(sorted(unknown))))
		self.index = index
		self.src = str(raw.get("from", ""))
		self.dst = str(raw.get("to", ""))
		self.proto = str(raw.get("proto", "")).lower()
		self.port = raw.get("port")
		self.note = raw.get("note")
		self.expect_difference = raw.get("expect_difference")
		if self.src != "fw" and self.src not in manifest.hosts:
			raise HarnessError("%s: unknown source (%s)" % (where, self.src))
		if self.proto not in PROTOS:
			raise HarnessError("%s: invalid proto (%s)" % (where, self.proto))
		if self.proto in ("tcp", "udp"):
			if not isinstance(self.port, int) or not 0 < self.port < 65536:
				raise HarnessError("%s: %s needs a port (1-65535), not (%s)" % (where, self.proto, self.port))
		elif self.port is not None:
			raise HarnessError("%s: %s takes no port" % (where, self.proto))
		self.dst_addr = manifest.resolve_target(self.src, self.dst, where)
		if self.src != "fw":
			mine = manifest.hosts[self.src]
			other = manifest.owner_of(self.dst_addr)
			if (other not in (None, "fw") and manifest.hosts[other]["interface"] == mine["interface"]
					and ipaddress.IPv4Address(self.dst_addr) in mine["address"].network):
				raise HarnessError("%s: %s reaches %s on its own wire, never through the firewall" % (where, self.src, other))
		self.expect = normalize_verdict(raw.get("expect"), where) if "expect" in raw else None
		self.source_seen = None
		if raw.get("source_seen") is not None:
			self.source_seen = manifest.resolve_addrs(str(raw["source_seen"]), where + " source_seen")
		self.answered_by = raw.get("answered_by")
		self.answered_by_explicit = self.answered_by is not None
		if self.answered_by is not None:
			self.answered_by = str(self.answered_by)
			if self.answered_by != "fw" and self.answered_by not in manifest.hosts:
				raise HarnessError("%s: answered_by names no host (%s)" % (where, self.answered_by))
		elif self.dst == "fw" or self.dst.startswith("fw:"):
			self.answered_by = "fw"
		elif self.dst in manifest.hosts:
			self.answered_by = self.dst
		else:
			self.answered_by = manifest.owner_of(self.dst_addr)
		self.raw_source_seen = raw.get("source_seen")

	def cell(self):
		return (self.src, self.dst, self.proto, self.port)

	def label(self):
		return "%s %s %s %s" % (self.src, self.dst, self.proto, self.port if self.port is not None else "-")

	def expected_text(self):
		if self.expect is None:
			return "-"
		text = self.expect
		if self.expect == "ACCEPT":
			if self.raw_source_seen is not None:
				text += " src=%s" % self.raw_source_seen
			if self.answered_by_explicit:
				text += " by=%s" % self.answered_by
		return text


VERDICT_RE = re.compile(r"^(ACCEPT|DROP|REJECT)(?:[ :(]\s*([a-z0-9-]+)\s*\)?)?$")


def normalize_verdict(value, where):
	"""ACCEPT, DROP, REJECT (any kind), or REJECT with a kind: `REJECT(tcp-reset)`, `REJECT tcp-reset`, `REJECT:tcp-reset`."""
	m = VERDICT_RE.match(str(value).strip())
	if not m or (m.group(2) and m.group(1) != "REJECT"):
		raise HarnessError("%s: invalid verdict (%s)" % (where, value))
	return "REJECT(%s)" % m.group(2) if m.group(2) else m.group(1)


class Manifest:
	def __init__(self, path):
		self.path = path
		try:
			with open(path) as f:
				doc = yaml.safe_load(f)
		except (OSError, yaml.YAMLError) as e:
			raise HarnessError("cannot read %s: %s" % (path, e))
		if not isinstance(doc, dict):
			raise HarnessError("%s: not a YAML mapping" % path)
		self.name = str(doc.get("name") or os.path.basename(os.path.dirname(os.path.abspath(path))))
		fw = doc.get("firewall") or {}
		ifaces = fw.get("interfaces") or {}
		if not ifaces:
			raise HarnessError("%s: firewall.interfaces is empty" % path)
		self.fw_ifaces = {}
		for name, addr in ifaces.items():
			name = str(name)
			if not re.match(r"^[A-Za-z0-9_.+-]{1,15}$", name) or name == "lo":
				raise HarnessError("%s: invalid interface name (%s)" % (path, name))
			self.fw_ifaces[name] = self.interface(addr, "firewall interface %s" % name)
		self.fw_routes = [str(r) for r in (fw.get("routes") or [])]
		self.hosts = {}
		for name, h in (doc.get("hosts") or {}).items():
			name = str(name)
			if name == "fw" or not re.match(r"^[a-z][a-z0-9_]{0,11}$", name):
				raise HarnessError("%s: invalid host name (%s): lower case, at most 12 characters, not fw" % (path, name))
			if not isinstance(h, dict) or h.get("interface") not in self.fw_ifaces:
				raise HarnessError("%s: host %s needs an interface of the firewall (one of %s)"
						   % (path, name, ", ".join(self.fw_ifaces)))
			iface = self.interface(h.get("address"), "host %s" % name)
			gateway = h.get("gateway") or str(self.fw_ifaces[h["interface"]].ip)
			self.hosts[name] = {"interface": h["interface"], "address": iface, "gateway": str(gateway)}
		owners = {}
		for name, h in self.hosts.items():
			ip = str(h["address"].ip)
			if ip in owners:
				raise HarnessError("%s: hosts %s and %s have the same address (%s)" % (path, owners[ip], name, ip))
			owners[ip] = name
		for name, i in self.fw_ifaces.items():
			if str(i.ip) in owners:
				raise HarnessError("%s: host %s has the firewall's address (%s)" % (path, owners[str(i.ip)], i.ip))
		self.timeout = float(doc.get("timeout", DEFAULT_TIMEOUT))
		# Ports listened on besides the probes' own, e.g. the port a DNAT rule rewrites to: a host
		# not listening there would answer with its own RST and fake a REJECT.
		extra = doc.get("listen") or {}
		if not isinstance(extra, dict) or set(extra) - {"tcp", "udp"}:
			raise HarnessError("%s: listen takes tcp: [ports] and udp: [ports]" % path)
		self.extra_ports = {}
		for proto in ("tcp", "udp"):
			ports = extra.get(proto) or []
			if not isinstance(ports, list) or not all(isinstance(x, int) and 0 < x < 65536 for x in ports):
				raise HarnessError("%s: listen.%s must be a list of ports (1-65535)" % (path, proto))
			self.extra_ports[proto] = ports
		raw_probes = doc.get("probes") or []
		if not raw_probes:
			raise HarnessError("%s: no probes" % path)
		try:
			self.probes = [Probe(i, p, self) for i, p in enumerate(raw_probes)]
		except HarnessError as e:
			raise HarnessError("%s: %s" % (path, e))
		seen = {}
		for p in self.probes:
			if p.cell() in seen:
				raise HarnessError("%s: probe %d repeats probe %d (%s)" % (path, p.index + 1, seen[p.cell()] + 1, p.label()))
			seen[p.cell()] = p.index

	@staticmethod
	def interface(value, what):
		try:
			iface = ipaddress.IPv4Interface(str(value))
		except ValueError:
			raise HarnessError("%s: invalid address (%s): want ADDRESS/PREFIX" % (what, value))
		if "/" not in str(value):
			raise HarnessError("%s: address needs a prefix length (%s)" % (what, value))
		return iface

	def fw_addrs(self):
		return [str(i.ip) for i in self.fw_ifaces.values()]

	def owner_of(self, addr):
		if addr in self.fw_addrs():
			return "fw"
		for name, h in self.hosts.items():
			if str(h["address"].ip) == addr:
				return name
		return None

	def resolve_target(self, src, dst, where):
		if dst == "fw":
			if src == "fw":
				raise HarnessError("%s: from fw to fw is not a probe" % where)
			return str(self.fw_ifaces[self.hosts[src]["interface"]].ip)
		if dst.startswith("fw:"):
			if dst[3:] not in self.fw_ifaces:
				raise HarnessError("%s: unknown firewall interface (%s)" % (where, dst))
			return str(self.fw_ifaces[dst[3:]].ip)
		if dst in self.hosts:
			if dst == src:
				raise HarnessError("%s: from %s to itself is not a probe" % (where, src))
			return str(self.hosts[dst]["address"].ip)
		try:
			return str(ipaddress.IPv4Address(dst))
		except ValueError:
			raise HarnessError("%s: unknown destination (%s): a host, fw, fw:IFACE or an address" % (where, dst))

	def resolve_addrs(self, value, where):
		"""The set of addresses a source_seen value stands for."""
		if value == "fw":
			return set(self.fw_addrs())
		if value.startswith("fw:") and value[3:] in self.fw_ifaces:
			return {str(self.fw_ifaces[value[3:]].ip)}
		if value in self.hosts:
			return {str(self.hosts[value]["address"].ip)}
		try:
			return {str(ipaddress.IPv4Address(value))}
		except ValueError:
			raise HarnessError("%s: names no host, fw, fw:IFACE or address (%s)" % (where, value))

	def ports(self, proto):
		return sorted({p.port for p in self.probes if p.proto == proto} | set(self.extra_ports[proto]))


# ---- obtaining a ruleset ---------------------------------------------------------------------------
def obtain_ruleset(compiler, config_dir):
	"""The iptables-restore text to judge: `shorewall` (5.2.8 via shorewall-ref), `ours` (build/shorewall compile) or a FILE."""
	if compiler == "shorewall":
		cmd = [os.path.join(NETNS_DIR, "shorewall-ref"), config_dir]
		what = "tests/netns/shorewall-ref"
	elif compiler == "ours":
		binary = os.environ.get("SHOREWALL_C", os.path.join(REPO, "build", "shorewall"))
		if not os.access(binary, os.X_OK):
			raise HarnessError("our compiler is not built (%s): run make, or set SHOREWALL_C" % binary)
		cmd = [binary, "compile", config_dir, "-"]
		what = "%s compile" % binary
	else:
		try:
			with open(compiler) as f:
				return f.read()
		except OSError as e:
			raise HarnessError("cannot read the ruleset %s: %s" % (compiler, e))
	proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
	try:
		out, err = proc.communicate()
	except BaseException:
		proc.terminate()  # shorewall-ref removes its own namespace on SIGTERM
		try:
			proc.wait(timeout=30)
		except subprocess.TimeoutExpired:
			proc.kill()
		raise
	if proc.returncode != 0:
		raise HarnessError("%s failed (exit %d):\n%s" % (what, proc.returncode, err.rstrip()))
	if "*filter" not in out:
		raise HarnessError("%s printed no filter table%s" % (what, (":\n" + err.rstrip()) if err else ""))
	return out


# ---- cleanup: every namespace and process this run made ----------------------------------------------
class Cleanup:
	"""Registry of our namespaces and agent processes; close() removes them all, once, from any path."""

	def __init__(self):
		self.lock = threading.Lock()
		self.namespaces = []
		self.procs = []
		self.closing = False
		self.prefix = "swc-%d-" % os.getpid()

	def add_netns(self, name):
		assert name.startswith(self.prefix)
		with self.lock:
			if self.closing:
				raise HarnessError("interrupted")
			self.namespaces.append(name)
			run(["ip", "netns", "add", name])

	def add_proc(self, proc):
		with self.lock:
			if self.closing:
				proc.kill()
				raise HarnessError("interrupted")
			self.procs.append(proc)

	def release(self, names, procs):
		"""Tear down part of the registry (one topology) before the end of the run."""
		for p in procs:
			stop_proc(p)
		for n in names:
			subprocess.run(["ip", "netns", "del", n], stderr=subprocess.DEVNULL)
		with self.lock:
			self.procs = [p for p in self.procs if p not in procs]
			self.namespaces = [n for n in self.namespaces if n not in names]

	def close(self):
		with self.lock:
			self.closing = True
			procs, names = list(self.procs), list(self.namespaces)
			self.procs, self.namespaces = [], []
		for p in procs:
			stop_proc(p)
		for n in names:
			subprocess.run(["ip", "netns", "del", n], stderr=subprocess.DEVNULL)
		# A namespace whose `ip netns add` was cut short may exist without being registered.
		listing = subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE, text=True).stdout
		for line in listing.splitlines():
			name = line.split()[0] if line.split() else ""
			if name.startswith(self.prefix):
				subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)


def stop_proc(p):
	if p.poll() is None:
		try:
			p.kill()  # by pid: this Popen is ours
		except ProcessLookupError:
			pass
	try:
		p.wait(timeout=5)
	except subprocess.TimeoutExpired:
		pass


class Interrupted(KeyboardInterrupt):
	def __init__(self, signum):
		super().__init__("signal %d" % signum)
		self.status = 128 + signum


def install_signal_handlers():
	"""SIGINT, SIGTERM and SIGHUP end the run through the callers' `finally`, which cleans up.

	SIGINT too, even when inherited as ignored (a background job of a script): an interrupted run
	must still remove its namespaces."""
	def handler(signum, frame):
		raise Interrupted(signum)
	for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
		signal.signal(sig, handler)


def run(cmd, input=None):
	proc = subprocess.run(cmd, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
	if proc.returncode != 0:
		raise HarnessError("%s: %s" % (" ".join(cmd), (proc.stderr or proc.stdout).strip()))
	return proc.stdout


# ---- agents: one helper process per namespace ------------------------------------------------------
class AgentProc:
	def __init__(self, netns, name, cleanup):
		self.name = name
		host_netns = str(os.stat("/proc/self/ns/net").st_ino)
		self.proc = subprocess.Popen(["ip", "netns", "exec", netns, PYTHON, "-u", AGENT, name, host_netns],
					     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
					     text=True, bufsize=1)
		cleanup.add_proc(self.proc)
		self.lock = threading.Lock()
		self.waiting = {}
		self.next_rid = 1
		self.dead = None
		self.ready = threading.Event()
		threading.Thread(target=self.read_loop, daemon=True).start()

	def read_loop(self):
		for line in self.proc.stdout:
			try:
				msg = json.loads(line)
			except ValueError:
				continue
			if msg.get("rid") == 0:
				self.ready.set()
				continue
			with self.lock:
				slot = self.waiting.pop(msg.get("rid"), None)
			if slot:
				slot[1] = msg
				slot[0].set()
		err = self.proc.stderr.read() if self.proc.stderr else ""
		self.dead = "agent %s ended%s" % (self.name, (": " + err.strip()) if err.strip() else "")
		self.ready.set()
		with self.lock:
			slots, self.waiting = list(self.waiting.values()), {}
		for slot in slots:
			slot[0].set()

	def send(self, cmd, **fields):
		"""Send a request; returns a function that waits for (and returns) its reply."""
		with self.lock:
			if self.dead:
				raise HarnessError(self.dead)
			rid = self.next_rid
			self.next_rid += 1
			slot = [threading.Event(), None]
			self.waiting[rid] = slot
			fields.update(rid=rid, cmd=cmd)
			self.proc.stdin.write(json.dumps(fields) + "\n")
			self.proc.stdin.flush()

		def wait(timeout=30):
			if not slot[0].wait(timeout):
				raise HarnessError("agent %s did not answer %s" % (self.name, cmd))
			if slot[1] is None:
				raise HarnessError(self.dead or "agent %s ended" % self.name)
			if not slot[1].get("ok"):
				raise HarnessError("agent %s: %s" % (self.name, slot[1].get("error")))
			return slot[1]
		return wait

	def call(self, cmd, **fields):
		return self.send(cmd, **fields)()

	def wait_ready(self):
		if not self.ready.wait(20) or self.dead:
			raise HarnessError(self.dead or "agent %s did not start" % self.name)

	def quit(self):
		try:
			self.send("quit")(5)
		except (HarnessError, OSError, ValueError):
			pass  # stop_proc() ends it by pid anyway


# ---- one run: topology + ruleset + probes ------------------------------------------------------------
class Topology:
	"""The namespaces of one run: swc-<pid>-<tag>-fw, -<host>, -sw<n> (a bridge when an interface has several hosts)."""

	def __init__(self, manifest, tag, cleanup):
		self.m = manifest
		self.cleanup = cleanup
		self.base = "%s%s-" % (cleanup.prefix, tag)
		self.ns = {"fw": self.base + "fw"}
		for h in manifest.hosts:
			self.ns[h] = self.base + h
		self.switches = {}
		self.agents = {}
		self.made = []

	def add(self, name):
		self.cleanup.add_netns(name)
		self.made.append(name)

	def build(self):
		m = self.m
		for name in self.ns.values():
			self.add(name)
		fw = self.ns["fw"]
		fw_batch = ["link set lo up"]
		host_batches = {h: ["link set lo up"] for h in m.hosts}
		for n, (ifname, iface) in enumerate(m.fw_ifaces.items()):
			attached = [h for h, spec in m.hosts.items() if spec["interface"] == ifname]
			if len(attached) == 1:
				# One host: a plain veth pair, firewall end and host end both named as in the config.
				run(["ip", "-n", fw, "link", "add", ifname, "type", "veth", "peer", "name", "eth0", "netns", self.ns[attached[0]]])
			else:
				# Several hosts (or none): a bridge in a switch namespace joins them to the firewall.
				sw = "%ssw%d" % (self.base, n)
				self.add(sw)
				self.switches[ifname] = sw
				run(["ip", "-n", fw, "link", "add", ifname, "type", "veth", "peer", "name", "fw", "netns", sw])
				sw_batch = ["link set lo up", "link add br0 type bridge forward_delay 0 stp_state 0", "link set fw master br0", "link set fw up"]
				for k, h in enumerate(attached):
					run(["ip", "-n", self.ns[h], "link", "add", "eth0", "type", "veth", "peer", "name", "p%d" % k, "netns", sw])
					sw_batch += ["link set p%d master br0" % k, "link set p%d up" % k]
				sw_batch.append("link set br0 up")
				run(["ip", "-n", sw, "-batch", "-"], input="\n".join(sw_batch) + "\n")
			fw_batch += ["addr add %s dev %s" % (iface.with_prefixlen, ifname), "link set %s up" % ifname]
		routes = set()
		for h, spec in m.hosts.items():
			addr, ifname = spec["address"], spec["interface"]
			fw_net = m.fw_ifaces[ifname].network
			host_batches[h] += ["addr add %s dev eth0" % addr.with_prefixlen, "link set eth0 up"]
			gw = ipaddress.IPv4Address(spec["gateway"])
			onlink = "" if gw in addr.network else " onlink"
			host_batches[h].append("route add default via %s dev eth0%s" % (gw, onlink))
			# A host outside the firewall interface's subnet is still on that wire: route it there.
			if addr.ip not in fw_net:
				routes.add("route add %s dev %s" % (addr.network, ifname))
		fw_batch += sorted(routes) + ["route add %s" % r for r in m.fw_routes]
		run(["ip", "-n", fw, "-batch", "-"], input="\n".join(fw_batch) + "\n")
		for h, batch in host_batches.items():
			run(["ip", "-n", self.ns[h], "-batch", "-"], input="\n".join(batch) + "\n")

	def start_agents(self):
		for role, ns in self.ns.items():
			self.agents[role] = AgentProc(ns, role, self.cleanup)
		waits = []
		for role, agent in self.agents.items():
			agent.wait_ready()
			settings = dict(SYSCTL_COMMON)
			if role == "fw":
				settings.update(SYSCTL_FIREWALL)
				for ifname in self.m.fw_ifaces:
					settings["net/ipv4/conf/%s/send_redirects" % ifname] = "0"
					settings["net/ipv4/conf/%s/rp_filter" % ifname] = "0"
			else:
				settings["net/ipv4/conf/eth0/accept_redirects"] = "0"
			addrs = self.m.fw_addrs() if role == "fw" else [str(self.m.hosts[role]["address"].ip)]
			waits.append(agent.send("sysctl", set=settings))
			waits.append(agent.send("listen", addrs=addrs, tcp=self.m.ports("tcp"), udp=self.m.ports("udp")))
		for w in waits:
			w()

	def load(self, ruleset, backend):
		proc = subprocess.run(["ip", "netns", "exec", self.ns["fw"], "iptables-%s-restore" % backend],
				      input=ruleset, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
		if proc.returncode != 0:
			msg = proc.stderr.rstrip()
			m = re.search(r"line:? (\d+)", msg)
			lines = ruleset.splitlines()
			if m and 0 < int(m.group(1)) <= len(lines):
				# A failed COMMIT is the kernel refusing the whole table (e.g. a match used from a
				# hook it does not allow), which iptables-legacy-restore does not explain further.
				msg += "\n(line %s: %s)" % (m.group(1), lines[int(m.group(1)) - 1])
			raise HarnessError("iptables-%s-restore rejected the ruleset:\n%s" % (backend, msg))

	def teardown(self):
		for agent in self.agents.values():
			agent.quit()
		self.cleanup.release(self.made, [a.proc for a in self.agents.values()])
		self.agents = {}
		self.made = []


def schedule(probes, manifest):
	"""Batches of probes that may run at the same time.

	TCP, UDP and ICMP probes are told apart by conntrack (ports, echo ids), so all of them go in the
	first batch.  ESP and AH are tracked by address pair alone: a probe A→B after an accepted B→A
	would be a "reply" (ESTABLISHED) and prove nothing.  So a batch holds at most one raw probe per
	protocol and address pair, and the firewall's conntrack table is emptied before each later batch."""
	batches = [[p for p in probes if p.proto not in RAW_PROTOS]]
	pending = [p for p in probes if p.proto in RAW_PROTOS]
	first = True
	while pending:
		batch = [] if not first else batches[0]
		used, rest = set(), []
		for p in pending:
			key = (p.proto, frozenset((p.src, manifest.owner_of(p.dst_addr) or p.dst_addr)))
			if key in used:
				rest.append(p)
			else:
				used.add(key)
				batch.append(p)
		if not first:
			batches.append(batch)
		first = False
		pending = rest
	return batches


def run_topology(manifest, ruleset, backend, tag, cleanup, timeout=None, log=None):
	"""Build, load, probe, tear down.  Returns {probe index: observation dict}."""
	timeout = timeout or manifest.timeout
	topo = Topology(manifest, tag, cleanup)
	t0 = time.monotonic()
	try:
		topo.build()
		topo.start_agents()
		topo.load(ruleset, backend)
		t_ready = time.monotonic()
		base = random.randrange(1, 0xF000)  # echo ids: unique per probe, different from run to run
		observations = {}
		for n, batch in enumerate(schedule(manifest.probes, manifest)):
			if n > 0:
				topo.agents["fw"].call("flush_conntrack")
			waits = []
			for p in batch:
				token = ((base + p.index) & 0xFFFF) << 16 | (p.index & 0xFFFF)
				w = topo.agents[p.src].send("probe", proto=p.proto, dst=p.dst_addr, port=p.port, token=token, timeout=timeout)
				waits.append((p, token, w))
			results = [(p, token, w(timeout + 30)["result"]) for p, token, w in waits]
			arrivals = {}
			if any(p.proto in ("icmp",) + RAW_PROTOS for p in batch):
				for role, agent in topo.agents.items():
					for a in agent.call("arrivals")["arrivals"]:
						arrivals.setdefault(a["token"], []).append((role, a))
			for p, token, r in results:
				observations[p.index] = settle(p, token, r, arrivals)
		if log:
			log("%s/%s: set up %.1fs, probes %.1fs" % (manifest.name, tag, t_ready - t0, time.monotonic() - t_ready))
		return observations
	finally:
		topo.teardown()


def settle(probe, token, result, arrivals):
	"""Turn an agent's probe result plus the arrival logs into the observation of one cell."""
	obs = {"got": result.get("got", "ERROR")}
	seen = arrivals.get(token, [])
	if probe.proto in RAW_PROTOS:
		if seen:
			if obs["got"] not in ("SENT", "DROP"):
				obs["detail"] = "arrived at %s, yet the sender saw %s" % (seen[0][0], obs["got"])
			obs["got"] = "ACCEPT"
		elif obs["got"] == "SENT":
			obs["got"] = "DROP"
	if obs["got"] == "ACCEPT":
		if probe.proto in ("tcp", "udp"):
			obs["answered_by"] = result.get("answered_by")
			obs["source_seen"] = result.get("source_seen")
		elif seen:
			obs["answered_by"] = seen[0][0]
			obs["source_seen"] = seen[0][1]["src"]
			if len(seen) > 1:
				obs["detail"] = "seen by %s" % ", ".join(r for r, _ in seen)
	for key in ("detail", "rejected_by", "ms"):
		if key in result and key not in obs:
			obs[key] = result[key]
	if obs.get("detail") == "no answer":
		del obs["detail"]  # what DROP means, and for ESP/AH the sender's normal lot
	return obs


def judge(probe, obs, manifest):
	"""(ok, got_text): does an observation meet the probe's expectations?"""
	got = obs["got"]
	ok = probe.expect is not None
	if probe.expect is not None:
		if probe.expect == "REJECT":
			ok = got.startswith("REJECT")
		else:
			ok = got == probe.expect
	text = got
	if got == "ACCEPT":
		if probe.source_seen is not None:
			text += " src=%s" % obs.get("source_seen")
			if obs.get("source_seen") not in probe.source_seen:
				ok = False
		# Who answered is always checked (by default: the host the probe was sent to), shown when
		# the manifest names it or when it is not the one expected.
		wrong = probe.answered_by is not None and obs.get("answered_by") != probe.answered_by
		if wrong or probe.answered_by_explicit:
			text += " by=%s" % obs.get("answered_by")
		if wrong:
			ok = False
	return ok, text


def cell_of(obs):
	"""What the differential compares: the verdict; for ACCEPT who answered and which source it saw;
	for an ICMP rejection who sent it (the firewall, or a host behind it)."""
	if obs["got"] == "ACCEPT":
		return (obs["got"], obs.get("answered_by"), obs.get("source_seen"))
	if obs["got"].startswith("REJECT(icmp") and obs.get("rejected_by"):
		return (obs["got"], obs["rejected_by"])
	return (obs["got"],)


def cell_text(obs):
	c = cell_of(obs)
	if len(c) == 3:
		return "%s by=%s src=%s" % c
	return c[0] if len(c) == 1 else "%s from=%s" % c


def run_parallel(jobs, cleanup):
	"""Run (key, function) jobs in threads; the main thread only waits, so Ctrl-C and SIGTERM land
	there and close the registry while the workers are stopped by their namespaces vanishing."""
	results, errors = {}, {}

	def worker(key, fn):
		try:
			results[key] = fn()
		except Exception as e:  # reported by the caller, with the others
			errors[key] = e
	threads = [threading.Thread(target=worker, args=job, daemon=True) for job in jobs]
	for t in threads:
		t.start()
	for t in threads:
		while t.is_alive():
			t.join(0.2)
	return results, errors


def yaml_dump(doc):
	return yaml.safe_dump(doc, sort_keys=False, default_flow_style=None, width=200)


def require_root():
	if os.geteuid() != 0:
		raise HarnessError("needs root (network namespaces)")
	for tool in ("ip", "iptables-legacy-restore", "iptables-nft-restore"):
		if not any(os.access(os.path.join(d, tool), os.X_OK) for d in os.environ.get("PATH", "/usr/sbin:/usr/bin").split(":") + ["/usr/sbin", "/sbin"]):
			raise HarnessError("%s is not installed" % tool)


# ---- the explain cross-check: `shorewall explain` must predict every cell the kernel decided ------
def explain_args(manifest, probe):
	"""The explain command line (after `explain CONFIG_DIR`) for one probe: the probe's addresses,
	the interface it arrives on, and what the topology tells about the firewall: its interface
	addresses (--fw-addr) and the routes to every host (--route), exactly as the topology sets them."""
	src = "fw" if probe.src == "fw" else str(manifest.hosts[probe.src]["address"].ip)
	proto = probe.proto + ("/%d" % probe.port if probe.port is not None else "")
	args = [src, probe.dst_addr, proto, "--yaml"]
	if probe.src != "fw":
		args += ["--in", manifest.hosts[probe.src]["interface"]]
	for name, iface in manifest.fw_ifaces.items():
		args += ["--fw-addr", "%s=%s" % (name, iface.with_prefixlen)]
	for h in manifest.hosts.values():
		args += ["--route", "%s/32=%s" % (h["address"].ip, h["interface"])]
	for r in manifest.fw_routes:
		# "NET via GW": the interface whose subnet holds the gateway
		parts = r.split()
		if len(parts) >= 3 and parts[1] == "via":
			gw = ipaddress.IPv4Address(parts[2])
			for name, iface in manifest.fw_ifaces.items():
				if gw in iface.network:
					args += ["--route", "%s=%s" % (parts[0], name)]
	return args


def explain_verdict(doc):
	"""explain's YAML verdict in the harness's vocabulary (a queue without a listener drops)."""
	v = doc.get("verdict")
	if v == "REJECT":
		return "REJECT(%s)" % doc.get("reject_with")
	if v == "QUEUE":
		return doc.get("without_listener", "DROP")
	return str(v)


def explain_probes(manifest, config_dir):
	"""{probe index: (verdict, decided_by text, delivered)} from `shorewall explain`, one run per probe."""
	binary = os.environ.get("SHOREWALL_C", os.path.join(REPO, "build", "shorewall"))
	out = {}
	for p in manifest.probes:
		cmd = [binary, "explain", config_dir] + explain_args(manifest, p)
		proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
		if proc.returncode != 0:
			last = (proc.stderr.strip().splitlines() or [""])[-1]
			out[p.index] = ("ERROR(explain exit %d: %s)" % (proc.returncode, last), None, {})
			continue
		try:
			doc = yaml.safe_load(proc.stdout)
		except yaml.YAMLError as e:
			out[p.index] = ("ERROR(bad YAML: %s)" % e, None, {})
			continue
		d = doc.get("decided_by") or {}
		loc = d.get("loc") or {}
		where = "%s (line %s)" % (loc.get("file"), loc.get("line")) if loc else d.get("chain")
		out[p.index] = (explain_verdict(doc), where, doc.get("delivered") or {})
	return out


def explain_cell(manifest, probe, predicted, obs):
	"""What explain predicted for one observed cell, in the observation's terms, or None when it
	agrees.  An ACCEPT must also reach the host that answered (after DNAT/REDIRECT) with the source
	address the receiver saw (after SNAT/MASQUERADE)."""
	verdict, _, delivered = predicted
	if verdict != obs["got"]:
		return verdict
	if verdict != "ACCEPT":
		return None
	to = delivered.get("dst")
	owner = "fw" if delivered.get("to") == "firewall" else manifest.owner_of(to) if to else None
	if obs.get("answered_by") is not None and owner != obs["answered_by"]:
		return "ACCEPT by=%s" % owner
	if obs.get("source_seen") is not None and delivered.get("src") != obs["source_seen"]:
		return "ACCEPT src=%s" % delivered.get("src")
	return None
