#!/usr/bin/env bash
# Installs the peers and tools the tests use that a fresh Debian machine lacks: ping (iputils-ping), nft (nftables),
# tshark, iperf3, nmap, hping3 (SYN flood interop test), socat, netcat, prometheus with promtool (the --metrics
# test scrapes with a Prometheus it starts itself in a private namespace; on a machine with systemd the package
# also enables its own prometheus.service, which no test needs), chromium (headless, renders the page of `conntest
# report` to a screenshot in ReportChromiumTest), dnsmasq (dnsmasq-base: the binary without a system service; the DHCP
# server of DhcpDnsmasqInteropTest and the router advertiser of Ipv6SlaacKernelInteropTest, each run in a private
# namespace). Does nothing for tools already present; needs root and apt-get otherwise.
set -euo pipefail
need=()
command -v ping    >/dev/null 2>&1 || need+=(iputils-ping)
command -v nft     >/dev/null 2>&1 || need+=(nftables)
command -v tshark  >/dev/null 2>&1 || need+=(tshark)
command -v iperf3  >/dev/null 2>&1 || need+=(iperf3)
command -v nmap    >/dev/null 2>&1 || need+=(nmap)
command -v hping3  >/dev/null 2>&1 || need+=(hping3)
command -v socat   >/dev/null 2>&1 || need+=(socat)
command -v ip      >/dev/null 2>&1 || need+=(iproute2)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# dnsmasq-base: the binary alone (the dnsmasq package would start a DNS/DHCP service in the root namespace)
command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools: missing ${need[*]} and cannot install them (needs root and apt-get);" \
       "tests that use them will be skipped" >&2
  exit 0
fi
echo "install-test-tools: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; iperf3 whether to start a daemon: answer both "no".
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
echo "iperf3 iperf3/start_daemon boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
