#!/usr/bin/env bash
# The seed's bridge + TAP network setup, inside a private network namespace so nothing touches the host's own
# network: a bridge "service" with 10.0.0.1/24 for the kernel side, and TAP devices tap100, tap101, ... attached to
# it, ready for conntest instances with their own stacks (--tap tap100 --ipv4 10.0.0.2/24). The namespace has no
# route out. Usage:
#   scripts/netns-bridge.sh up [NAMESPACE] [TAPS]     # default namespace conntest, 2 TAPs
#   ip netns exec conntest ./conntest --name a --tap tap100 --ipv4 10.0.0.2/24 --listen 'udp:7?service=echo'
#   scripts/netns-bridge.sh down [NAMESPACE]
set -euo pipefail
action=${1:-up}
ns=${2:-conntest}
taps=${3:-2}
[ "$(id -u)" = 0 ] || { echo "netns-bridge: needs root (CAP_NET_ADMIN)" >&2; exit 1; }
case "$action" in
  up)
    ip netns add "$ns"
    trap 'ip netns del "$ns" 2>/dev/null' ERR
    ip -n "$ns" link set lo up
    ip -n "$ns" link add service type bridge
    ip -n "$ns" addr add 10.0.0.1/24 dev service
    ip -n "$ns" link set service up
    for i in $(seq 0 $((taps - 1))); do
      tap=tap$((100 + i))
      ip -n "$ns" tuntap add "$tap" mode tap
      ip -n "$ns" link set "$tap" master service
      ip -n "$ns" link set "$tap" up
    done
    echo "namespace $ns: bridge service 10.0.0.1/24, TAPs: $(ip -n "$ns" -o link show type tun | awk -F': ' '{printf "%s ", $2}')"
    ;;
  down)
    ip netns del "$ns"
    ;;
  *)
    echo "usage: $0 up|down [NAMESPACE] [TAPS]" >&2; exit 2 ;;
esac
