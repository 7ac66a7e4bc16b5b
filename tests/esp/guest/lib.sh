# lib.sh — helpers the ESP scenarios use inside the VM (busybox sh): namespaces, SAs, counter checks.
#
# Every verdict is one console line that tests/esp/run collects:
#   ESP-RESULT PASS|FAIL|SKIP <scenario>/<check>: <why>
# A check runs one probe between two snapshots of the firewall's counters (iptables-legacy-save -c)
# and judges three things: did the reply come back as expected, did at least one rule matching each
# wanted pattern count the probe, and did no rule matching a forbidden pattern count it.

SCEN=setup
# busybox sh runs its own applets before searching PATH, and its `ip` knows no netns or xfrm
ip() { /sbin/ip "$@"; }
FW=gwa                          # the namespace holding our compiled ruleset (set by each scenario)
KEY_ENC=0x0123456789abcdef0123456789abcdef
KEY_AUTH=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

result() {      # STATUS CHECK WHY...
	st=$1 name=$2; shift 2
	echo "ESP-RESULT $st $SCEN/$name: $*"
}

in_ns() {       # NS CMD... — run a command inside a namespace
	_ns=$1; shift
	ip netns exec "$_ns" "$@"
}

ns_new() {      # NS... — fresh namespaces with lo up and forwarding on
	for n in "$@"; do
		ip netns add "$n" || return 1
		in_ns "$n" ip link set lo up
		in_ns "$n" sysctl -qw net.ipv4.ip_forward=1
	done
}

ns_wire() {     # NS1 IF1 NS2 IF2 — a veth pair between two namespaces, both ends up
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
	in_ns "$1" ip link set "$2" up
	in_ns "$3" ip link set "$4" up
}

ns_clear() {    # remove every namespace (and with it every veth, SA and policy) between scenarios
	for n in $(ip netns list | cut -d' ' -f1); do
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$n"
	done
}

# One ESP SA (cbc(aes) + hmac(sha256), both ways the same keys): NS SRC DST SPI MODE REQID
sa_add() {
	in_ns "$1" ip xfrm state add src "$2" dst "$3" proto esp spi "$4" reqid "$6" mode "$5" \
		enc 'cbc(aes)' "$KEY_ENC" auth-trunc 'hmac(sha256)' "$KEY_AUTH" 128
}

# One host's policies for the traffic between LOCAL and REMOTE through the ESP SAs ME <-> PEER: out,
# in, and (tunnel mode: traffic forwarded to and from the LAN behind) fwd. REQID 0: none asked for.
spd_add() {     # NS MODE ME PEER REQID LOCAL REMOTE
	_dirs="in"; [ "$2" = tunnel ] && _dirs="in fwd"
	in_ns "$1" ip xfrm policy add src "$6" dst "$7" dir out tmpl src "$3" dst "$4" proto esp mode "$2" reqid "$5" level required || return 1
	for _d in $_dirs; do
		in_ns "$1" ip xfrm policy add src "$7" dst "$6" dir $_d tmpl src "$4" dst "$3" proto esp mode "$2" reqid "$5" level required || return 1
	done
}

xfrm_flush() {  # NS... — no SAs and no policies left: the traffic that follows is plaintext
	for n in "$@"; do
		in_ns "$n" ip xfrm policy flush
		in_ns "$n" ip xfrm state flush
	done
}

# Load a compiled ruleset into the firewall namespace; a failed load is a FAIL of the scenario.
fw_load() {     # RESTORE-FILE
	if out=$(in_ns "$FW" iptables-legacy-restore <"$1" 2>&1); then
		result PASS load "$(basename "$1") loaded by iptables-legacy-restore"
		return 0
	fi
	result FAIL load "$(basename "$1"): $out"
	# find the first rule the kernel refuses, one rule at a time, for a message worth reading
	in_ns "$FW" sh -c 'sed -n "s/^:\([^ ]*\) - .*/\1/p" "$1" | while read -r c; do iptables-legacy -N "$c"; done
		grep "^-A" "$1" | while read -r r; do eval "iptables-legacy $r" 2>&1 | sed "s|^|[$r] |"; done' sh "$1" 2>&1 |
		head -3 | sed 's/^/ESP-LOG   /'
	dmesg | tail -3 | sed 's/^/ESP-LOG   dmesg: /'
	return 1
}

# Rules of every table whose packet counter rose since the last fw_snap, as "-A chain … (+N)"
# (the ruleset does not change between the two snapshots, so their lines pair up one to one).
fw_snap() {
	in_ns "$FW" iptables-legacy-save -c >/tmp/esp.before
}
fw_rose() {
	in_ns "$FW" iptables-legacy-save -c >/tmp/esp.after
	awk 'NR == FNR { if ($1 ~ /^\[/) { split(substr($1, 2), c, ":"); b[FNR] = c[1] } next }
	     $1 ~ /^\[/ { split(substr($1, 2), c, ":"); d = c[1] - b[FNR]
			  if (d > 0) { $1 = ""; sub(/^ /, ""); print $0 " (+" d ")" } }' \
		/tmp/esp.before /tmp/esp.after
}

# Probes that must be answered wait up to 5 s (they return at once when answered: the margin is for
# a loaded host slowing the emulator); probes meant to go unanswered wait 2 s.
# check [-quiet] NAME REPLY PATTERNS NS CMD...
#   REPLY     yes | no: whether CMD (run in NS) must succeed (a reply came back)
#   PATTERNS  ';'-separated extended regexps over the risen rules: each plain one must match at
#             least one of them, each one written !RE must match none
# Prints the verdict line unless -quiet; returns 0 on PASS, 1 on FAIL.
check() {
	quiet=0
	[ "$1" = -quiet ] && { quiet=1; shift; }
	name=$1 want=$2 pats=$3 ns=$4; shift 4
	fw_snap
	if in_ns "$ns" "$@" >/dev/null 2>&1; then got=yes; else got=no; fi
	rose=$(fw_rose)
	why=""
	[ "$got" = "$want" ] || why="reply: got $got, wanted $want; "
	oldifs=$IFS; IFS=';'; set -f
	for p in $pats; do
		IFS=$oldifs
		case $p in
		!*)	hit=$(printf '%s\n' "$rose" | grep -E -e "${p#!}" | head -1)
			[ -n "$hit" ] && why="${why}counted by forbidden [$hit]; " ;;
		*)	printf '%s\n' "$rose" | grep -qE -e "$p" || why="${why}no rule matching /$p/ counted it; " ;;
		esac
	done
	IFS=$oldifs; set +f
	if [ -z "$why" ]; then
		[ $quiet = 1 ] || result PASS "$name" "reply $got; counted by: $(printf '%s\n' "$rose" | grep -E -e "$(echo "$pats" | tr ';' '\n' | grep -v '^!' | paste -sd'|')" | head -3 | paste -sd'|')"
		return 0
	fi
	if [ $quiet = 0 ]; then
		result FAIL "$name" "$why"
		printf '%s\n' "$rose" | sed 's/^/ESP-LOG   rose: /'
	fi
	CHECK_WHY=$why
	return 1
}

# check_fails NAME REPLY PATTERNS NS CMD… — the negative control: the same check must FAIL here.
check_fails() {
	name=$1; shift
	if check -quiet "$name" "$@"; then
		result FAIL "$name" "negative control passed: the vpn check cannot tell a wrong SA from the right one"
		return 1
	fi
	result PASS "$name" "negative control: the check failed as it must (${CHECK_WHY% })"
	return 0
}

# The firewall's SPD: the one `shorewall ipsec-policy --format ip-xfrm` derived from the scenario's
# configuration when tests/esp/run could make it (/esp/spd/NAME.ipxfrm), else the test's own, from
# the scenario's STATIC function. Either way the outcome is a verdict line: PASS (generated SPD in
# use), FAIL (generated but refused by the kernel: the static one is used instead), SKIP (none).
spd_fw() {      # NAME STATIC-FUNCTION
	f=/esp/spd/$1.ipxfrm
	if [ -s "$f" ]; then
		cnt=0 bad=""
		while read -r line; do
			case $line in ''|'#'*) continue ;; esac
			if in_ns "$FW" $line 2>/tmp/esp.spd.err; then cnt=$((cnt + 1)); else bad="$line: $(cat /tmp/esp.spd.err)"; break; fi
		done <"$f"
		if [ -z "$bad" ] && [ $cnt -gt 0 ]; then
			result PASS spd "$FW's SPD is shorewall ipsec-policy's ($cnt policies from $1)"
			return 0
		fi
		result FAIL spd "shorewall ipsec-policy's SPD for $1 refused (${bad:-no policy in it}); the test's own SPD is used"
		in_ns "$FW" ip xfrm policy flush
	else
		result SKIP spd "$(cat /esp/spd/why 2>/dev/null || echo "no SPD from shorewall ipsec-policy for $1"); the test's own SPD is used"
	fi
	$2
}

# The start of a scenario: SCEN=NAME, CMD… (topology, SAs, SPD), then the firewall's ruleset loaded.
# False, reported as a FAIL of the setup, when either goes wrong.
scenario() {    # NAME RESTORE-FILE CMD...
	SCEN=$1 _restore=$2; shift 2
	"$@" && fw_load "$_restore" && return 0
	result FAIL setup "topology, SAs or SPD could not be built"
	return 1
}

# Background servers in a namespace, killed with the namespace by ns_clear.
serve() {       # NS tcp|udp PORT [bypass]
	n=$1; shift
	ip netns exec "$n" /esp/probe serve "$@" </dev/null >/dev/null 2>&1 &
}
