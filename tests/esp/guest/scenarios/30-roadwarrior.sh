# 30-roadwarrior.sh — the seed's "Mobile System (Road Warrior)", system A, with a real SA.
#
#   lana 192.168.1.10 ─ eth1 [gwa: our ruleset] eth0 198.51.100.9 ══ESP══ 203.0.113.77 [rw: the laptop]
#
# gwa runs the ruleset compiled from tests/esp/roadwarrior (`ipsec net 0.0.0.0/0 vpn`, vpn =
# eth0:0.0.0.0/0 ipsec): the laptop's address is written nowhere in the configuration. The SPD is
# the one racoon's generate_policy would install once the laptop has negotiated.

RW=203.0.113.77

rw_setup() {
	ns_clear
	ns_new lana gwa rw || return 1
	ns_wire lana eth0 gwa eth1 && ns_wire gwa eth0 rw eth0 || return 1
	in_ns lana ip addr add $HA/24 dev eth0
	in_ns lana ip route add default via 192.168.1.1
	in_ns gwa ip addr add 192.168.1.1/24 dev eth1
	in_ns gwa ip addr add $A/24 dev eth0
	in_ns gwa ip route add $RW/32 dev eth0
	in_ns rw ip addr add $RW/24 dev eth0
	in_ns rw ip route add $A/32 dev eth0
	in_ns rw ip route add $LANA via $A dev eth0 onlink
	for n in gwa rw; do
		sa_add $n $RW $A 0x3001 tunnel 0 || return 1
		sa_add $n $A $RW 0x3002 tunnel 0 || return 1
	done
	spd_add gwa tunnel $A $RW 0 $LANA $RW/32 || return 1
	in_ns rw ip xfrm policy add src $RW/32 dst $LANA dir out tmpl src $RW dst $A proto esp mode tunnel level required &&
	in_ns rw ip xfrm policy add src $LANA dst $RW/32 dir in tmpl src $A dst $RW proto esp mode tunnel level required || return 1
	serve lana tcp 22
	serve rw tcp 22
	serve gwa udp 500 bypass
}

# inbound: the zone -> fw chain (or eth0's input chain), never fw -> net's rule for our own ESP
P_RW_ESP='^-A ([^ ]+-fw|eth0_in) .*-p (50|esp) .*-j ACCEPT'
P_RW_IKE='^-A ([^ ]+-fw|eth0_in) .*-p udp .*--dport 500 .*-j ACCEPT'

if scenario roadwarrior /esp/rules/roadwarrior.restore rw_setup; then
	check vpn-to-loc-icmp yes "$P_VPN_LOC;$P_IPSEC_IN;$P_NOT_NET;$P_NO_DROP" rw ping -c 1 -W 5 $HA
	check vpn-to-loc-tcp  yes "$P_VPN_LOC;$P_IPSEC_IN;$P_NOT_NET;$P_NO_DROP" rw /esp/probe ask tcp $HA 22 5
	check loc-to-vpn-tcp  yes "$P_LOC_VPN;$P_NO_DROP" lana /esp/probe ask tcp $RW 22 5
	check esp-from-rw     yes "$P_RW_ESP" rw ping -c 1 -W 5 $HA
	check ike-from-rw     yes "$P_RW_IKE" rw /esp/probe ask udp $A 500 5 bypass
	xfrm_flush gwa rw
	check plain-rw-to-loc-icmp no "$P_NET_LOC_DROP;$P_NOT_VPN" rw ping -c 1 -W 2 $HA
	check plain-rw-to-loc-tcp  no "$P_NET_LOC_DROP;$P_NOT_VPN" rw /esp/probe ask tcp $HA 22 2
fi
