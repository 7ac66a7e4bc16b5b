# 10-gateway-a.sh — the seed's "IPSec Gateway on the Firewall System", with real tunnel-mode ESP.
#
#   lana 192.168.1.10 ─ eth1 [gwa: our ruleset] eth0 198.51.100.9 ══ESP══ 203.0.113.2 eth0 [gwb] eth1 ─ lanb 10.1.0.10
#
# Seed addresses mapped to documentation ones: A 206.162.148.9 -> 198.51.100.9, B 134.28.54.2 -> 203.0.113.2.
# gwa runs the ruleset compiled from tests/esp/gateway-a (2.2 syntax); gwb has no firewall.

A=198.51.100.9 B=203.0.113.2 LANA=192.168.1.0/24 LANB=10.0.0.0/8 HA=192.168.1.10 HB=10.1.0.10

gw_topology() {
	ns_clear
	ns_new lana gwa gwb lanb || return 1
	ns_wire lana eth0 gwa eth1 && ns_wire gwa eth0 gwb eth0 && ns_wire gwb eth1 lanb eth0 || return 1
	in_ns lana ip addr add $HA/24 dev eth0
	in_ns lana ip route add default via 192.168.1.1
	in_ns gwa ip addr add 192.168.1.1/24 dev eth1
	in_ns gwa ip addr add $A/24 dev eth0
	in_ns gwa ip route add $B/32 dev eth0
	in_ns gwa ip route add $LANB via $B dev eth0 onlink
	in_ns gwb ip addr add $B/24 dev eth0
	in_ns gwb ip addr add 10.0.0.1/8 dev eth1
	in_ns gwb ip route add $A/32 dev eth0
	in_ns gwb ip route add $LANA via $A dev eth0 onlink
	in_ns lanb ip addr add $HB/8 dev eth0
	in_ns lanb ip route add default via 10.0.0.1
	serve lana tcp 22
	serve lanb tcp 22
	serve gwa udp 500 bypass
}

# The SAs (keys are not configuration: they are the test's own) on both gateways. Their reqid is
# the one the zone's options name (RQ; 0 when none, as setkey's static SAs have): the kernel
# finds an outgoing SA only by the exact reqid of the policy's template.
gw_sas() {
	for n in gwa gwb; do
		sa_add $n $B $A 0x1001 tunnel $RQ || return 1
		sa_add $n $A $B 0x1002 tunnel $RQ || return 1
	done
}

# The SPD: the seed's eight setkey lines for gateway A (and their mirror on B), plus the fwd
# duplicates the seed asks for on kernels >= 2.6.10. B's is always the test's own; A's is
# `shorewall ipsec-policy`'s when the host could derive it (spd_fw), this one otherwise.
# --- the test's own SPD ---------------------------------------------------------------------------
SEL_PAIRS="$LANA,$LANB $LANA,$B/32 $A/32,$B/32 $A/32,$LANB"
gw_spd_a() {
	for pair in $SEL_PAIRS; do
		spd_add gwa tunnel $A $B $RQ ${pair%,*} ${pair#*,} || return 1
	done
}
gw_spd_b() {
	for pair in $SEL_PAIRS; do
		spd_add gwb tunnel $B $A $RQ ${pair#*,} ${pair%,*} || return 1
	done
}
# --- end of the test's own SPD -------------------------------------------------------------------

gw_spd() {      # SPD-NAME: whose `shorewall ipsec-policy` output gateway A gets
	gw_spd_b && spd_fw "$1" gw_spd_a
}

gw_setup() {    # SPD-NAME
	gw_topology && gw_sas && gw_spd "$1"
}

# Patterns over the firewall's risen rules. Chain names are Shorewall's, but the zone pair's chain
# may be folded into the interface's chain, or an interface's chain into a zone pair's, by the
# optimizer: so each pattern also accepts the rule by what it matches (the policy match's direction).
P_VPN_LOC='^-A (vpn-loc .*-j ACCEPT|vpn_frwd .*-o eth1 .*-j ACCEPT|[^ ]+ .*-o eth1 .*--dir in --pol ipsec.*-j ACCEPT)'
P_LOC_VPN='^-A (loc-vpn .*-j ACCEPT|[^ ]+ .*--dir out --pol ipsec.*-j ACCEPT)'
P_IPSEC_IN='^-A [^ ]+ .*--dir in --pol ipsec'
P_NO_DROP='!( -j (DROP|REJECT|reject)| -g reject)( |$)'
P_NOT_VPN='!^-A (vpn[-_][^ ]* |[^ ]+ .*-j vpn[-_][^ ]*( |$))'
# (the ESP packets themselves are net -> fw, so only net -> loc is forbidden for tunnel traffic)
P_NOT_NET='!^-A (net-loc |net_frwd |[^ ]+ .*-j (net-loc|net_frwd)( |$))'
P_ESP_IN='^-A [^ ]+ .*-s 203\.0\.113\.2(/32)? .*-p (50|esp) .*-j ACCEPT'
P_IKE_IN='^-A [^ ]+ .*-s 203\.0\.113\.2(/32)? .*-p udp .*--dport 500 .*-j ACCEPT'
P_NET_LOC_DROP='^-A net[-_][^ ]* .*-j DROP'

gw_tunnel_checks() {    # the checks that must pass with the SAs in place
	check vpn-to-loc-icmp yes "$P_VPN_LOC;$P_IPSEC_IN;$P_NOT_NET;$P_NO_DROP" lanb ping -c 1 -W 5 $HA
	check vpn-to-loc-tcp  yes "$P_VPN_LOC;$P_IPSEC_IN;$P_NOT_NET;$P_NO_DROP" lanb /esp/probe ask tcp $HA 22 5
	check loc-to-vpn-icmp yes "$P_LOC_VPN;$P_VPN_LOC;$P_NOT_NET;$P_NO_DROP" lana ping -c 1 -W 5 $HB
	check loc-to-vpn-tcp  yes "$P_LOC_VPN;$P_NO_DROP" lana /esp/probe ask tcp $HB 22 5
	check esp-from-b      yes "$P_ESP_IN" lanb ping -c 1 -W 5 $HA
	check ike-from-b      yes "$P_IKE_IN" gwb /esp/probe ask udp $A 500 5 bypass
}

gw_plaintext_checks() { # with no SA and no policy anywhere: B's LAN in plaintext is net, not vpn
	xfrm_flush gwa gwb
	check plain-lanb-to-loc-icmp no "$P_NET_LOC_DROP;$P_NOT_VPN" lanb ping -c 1 -W 2 $HA
	check plain-lanb-to-loc-tcp  no "$P_NET_LOC_DROP;$P_NOT_VPN" lanb /esp/probe ask tcp $HA 22 2
	check plain-gwb-to-loc-tcp   no "$P_NET_LOC_DROP;$P_NOT_VPN" gwb /esp/probe ask tcp $HA 22 2
}

RQ=0
if scenario gateway-a /esp/rules/gateway-a.restore gw_setup gateway-a; then
	gw_tunnel_checks
	gw_plaintext_checks
fi

# The zone pinned to the SAs actually in use (mode, reqid, tunnel ends): the same verdicts.
RQ=100
if scenario gateway-a-sa /esp/rules/gateway-a-sa.restore gw_setup gateway-a-sa; then
	gw_tunnel_checks
	gw_plaintext_checks
fi

# The 5.2-layout twin (tests/esp/gateway-a-52: `vpn ipv4` + `ipsec` hosts, ?FORMAT 2 interfaces, and
# an snat MASQUERADE of LAN A out of eth0): the same verdicts, plus what only real ESP can show — the
# masquerade leaves traffic that will be encrypted alone (`--pol none --dir out`), so LAN B sees LAN
# A's own address, while plaintext to the internet (203.0.113.50, on gwb's wire, outside every SA)
# is masqueraded behind A.
NET=203.0.113.50
RQ=0
if scenario gateway-a-52 /esp/rules/gateway-a-52.restore gw_setup gateway-a-52; then
	in_ns gwb ip addr add $NET/24 dev eth0
	in_ns gwa ip route add $NET/32 dev eth0
	serve gwb tcp 80
	gw_tunnel_checks
	check loc-to-vpn-not-masqueraded yes "$P_LOC_VPN;$P_NO_DROP;!-j MASQUERADE" lana /esp/probe ask tcp $HB 22 5 from=$HA
	check loc-to-net-masqueraded     yes "^-A [^ ]+ .*--dir out --pol none.*-j ACCEPT;^-A POSTROUTING .*-j MASQUERADE;$P_NO_DROP" \
		lana /esp/probe ask tcp $NET 80 5 from=$A
	gw_plaintext_checks
fi

# Negative control: the zone's options name another tunnel source and reqid. Decrypted traffic from
# B's LAN must then not be vpn — if the vpn check still passed, it would prove nothing. The kernel
# keeps the right SPD (gateway-a-sa's): only the firewall's zone options are wrong.
RQ=100
if scenario gateway-a-wrong /esp/rules/gateway-a-wrong.restore gw_setup gateway-a-sa; then
	check_fails vpn-to-loc-icmp yes "$P_VPN_LOC;$P_IPSEC_IN;$P_NOT_NET;$P_NO_DROP" lanb ping -c 1 -W 2 $HA
	check_fails vpn-to-loc-tcp  yes "$P_VPN_LOC;$P_IPSEC_IN;$P_NOT_NET;$P_NO_DROP" lanb /esp/probe ask tcp $HA 22 2
	# the encrypted packets themselves still arrived and were accepted: the SAs work, the zone does not match
	check esp-from-b no "$P_ESP_IN;!$P_VPN_LOC" lanb ping -c 1 -W 2 $HA
fi
