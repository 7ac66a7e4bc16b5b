# 20-transport.sh — the seed's "Transport Mode": hosts on one segment, ESP in transport mode.
#
#   h20 192.168.20.20 ══ESP (transport)══ eth0 192.168.20.10 [h10: our ruleset]
#
# h10 runs the ruleset compiled from tests/esp/transport (the seed's 2.2 files: `loc Yes
# mode=transport` in ipsec, loc = eth0:192.168.20.0/24 inside net, `ipsec:noah net 192.168.20.0/24 loc`).

T10=192.168.20.10 T20=192.168.20.20

# The seed's setkey lines for the pair .10 <-> .20 on h10 (the firewall: replaced by `shorewall
# ipsec-policy`'s SPD when the host could derive it) and their mirror on h20.
tr_spd_h10() {
	spd_add h10 transport $T10 $T20 0 $T10/32 $T20/32
}
tr_spd_h20() {
	spd_add h20 transport $T20 $T10 0 $T20/32 $T10/32
}

tr_setup() {    # SPD-NAME
	ns_clear
	ns_new h10 h20 || return 1
	ns_wire h10 eth0 h20 eth0 || return 1
	in_ns h10 ip addr add $T10/24 dev eth0
	in_ns h20 ip addr add $T20/24 dev eth0
	for n in h10 h20; do
		sa_add $n $T20 $T10 0x2001 transport 0 || return 1
		sa_add $n $T10 $T20 0x2002 transport 0 || return 1
	done
	tr_spd_h20 && spd_fw "$1" tr_spd_h10 || return 1
	serve h10 tcp 22
	serve h10 udp 500 bypass
	serve h20 tcp 22
}

P_LOC_FW='^-A (loc-fw .*-j ACCEPT|[^ ]+ .*--dir in --pol ipsec.*-j ACCEPT)'
P_FW_LOC='^-A (fw-loc .*-j ACCEPT|[^ ]+ .*--dir out --pol ipsec.*-j ACCEPT)'
P_NET_FW_DROP='^-A net[-_][^ ]* .*-j DROP'
P_NOT_LOC='!^-A (loc-fw |[^ ]+ .*-j loc-fw( |$))'
P_T_ESP='^-A [^ ]+ .*-s 192\.168\.20\.0/24 .*-p (50|esp) .*-j ACCEPT'
P_T_IKE='^-A [^ ]+ .*-s 192\.168\.20\.0/24 .*-p udp .*--dport 500 .*-j ACCEPT'

FW=h10
if scenario transport /esp/rules/transport.restore tr_setup transport; then
	check loc-to-fw-icmp yes "$P_LOC_FW;$P_NO_DROP" h20 ping -c 1 -W 5 $T10
	check loc-to-fw-tcp  yes "$P_LOC_FW;$P_NO_DROP" h20 /esp/probe ask tcp $T10 22 5
	check fw-to-loc-tcp  yes "$P_FW_LOC;$P_NO_DROP" h10 /esp/probe ask tcp $T20 22 5
	check esp-from-loc   yes "$P_T_ESP" h20 ping -c 1 -W 5 $T10
	check ike-from-loc   yes "$P_T_IKE" h20 /esp/probe ask udp $T10 500 5 bypass
	xfrm_flush h10 h20
	check plain-to-fw-icmp no "$P_NET_FW_DROP;$P_NOT_LOC" h20 ping -c 1 -W 2 $T10
	check plain-to-fw-tcp  no "$P_NET_FW_DROP;$P_NOT_LOC" h20 /esp/probe ask tcp $T10 22 2
fi

# Negative control: the same SAs and SPD, a zone that asks for mode=tunnel.
if scenario transport-wrong /esp/rules/transport-wrong.restore tr_setup transport; then
	check_fails loc-to-fw-icmp yes "$P_LOC_FW;$P_NO_DROP" h20 ping -c 1 -W 2 $T10
	check_fails loc-to-fw-tcp  yes "$P_LOC_FW;$P_NO_DROP" h20 /esp/probe ask tcp $T10 22 2
fi
FW=gwa
