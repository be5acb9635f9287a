#!/usr/bin/env python3
"""Captures real frames from the Linux kernel for the wire-format fixtures (run as root; rarely needed).

Creates two private network namespaces joined by a veth pair (no route out, nothing in the root namespace),
makes the kernel in one ARP, ping (small and fragmented) and send UDP to the other (to an open and a closed
port), captures every frame on the second with an AF_PACKET socket, and writes one frame per line as
"<name> <hex>" to frames.hex. The namespaces are removed afterwards, also on failure.
"""
import os, random, socket, subprocess, sys, threading, time

SUFFIX = '%06x' % random.randrange(1 << 24)
NS_A, NS_B = 'ct-stack-a' + SUFFIX, 'ct-stack-b' + SUFFIX
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'frames.hex')


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True)


def in_ns(ns, *args, check=True):
    return sh('ip', 'netns', 'exec', ns, *args, check=check)


def setup():
    sh('ip', 'netns', 'add', NS_A)
    sh('ip', 'netns', 'add', NS_B)
    in_ns(NS_A, 'ip', 'link', 'add', 'ct0', 'type', 'veth', 'peer', 'name', 'ct1')
    in_ns(NS_A, 'ip', 'link', 'set', 'ct1', 'netns', NS_B)
    in_ns(NS_A, 'ip', 'link', 'set', 'ct0', 'address', '02:00:00:00:0a:01')
    in_ns(NS_B, 'ip', 'link', 'set', 'ct1', 'address', '02:00:00:00:0a:02')
    in_ns(NS_A, 'ip', 'addr', 'add', '10.9.0.1/24', 'dev', 'ct0')
    in_ns(NS_B, 'ip', 'addr', 'add', '10.9.0.2/24', 'dev', 'ct1')
    for ns, dev in ((NS_A, 'ct0'), (NS_B, 'ct1')):
        # veth offloads UDP checksums (frames would carry only the pseudo-header sum): turn that off, as ethtool
        # -K DEV tx off would (ETHTOOL_STXCSUM through SIOCETHTOOL), so every captured checksum is complete.
        in_ns(ns, sys.executable, '-c', TX_CSUM_OFF, dev)
        in_ns(ns, 'ip', 'link', 'set', 'lo', 'up')
        in_ns(ns, 'ip', 'link', 'set', dev, 'up')
        in_ns(ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1')


def cleanup():
    for ns in (NS_A, NS_B):
        sh('ip', 'netns', 'del', ns, check=False)


def main():
    try:
        setup()
        # The capturer runs in NS_B: a child python with AF_PACKET bound to ct1, for a bounded time.
        capturer = subprocess.Popen(
            ['ip', 'netns', 'exec', NS_B, sys.executable, '-c', CAPTURER], stdout=subprocess.PIPE, text=True)
        # A UDP server in NS_B on 5000 that echoes (so the kernel sends UDP both ways); port 5001 stays closed.
        echo = subprocess.Popen(['ip', 'netns', 'exec', NS_B, sys.executable, '-c', ECHO])
        time.sleep(1.0)
        in_ns(NS_A, 'ping', '-c', '1', '-W', '1', '10.9.0.2')
        in_ns(NS_A, 'ping', '-c', '1', '-W', '1', '-s', '3000', '10.9.0.2')
        in_ns(NS_A, 'ping', '-c', '1', '-W', '1', '-R', '10.9.0.2')  # IPv4 options (record route, RFC 791)
        in_ns(NS_A, sys.executable, '-c', SENDER)
        time.sleep(1.0)
        echo.kill()
        out, _ = capturer.communicate(timeout=20)
        with open(OUT, 'w') as f:
            f.write(out)
        print('wrote', OUT, len(out.splitlines()), 'frames')
    finally:
        cleanup()


TX_CSUM_OFF = r'''
import array, fcntl, socket, struct, sys
value = array.array("B", struct.pack("II", 0x17, 0))
ifreq = struct.pack("16sP", sys.argv[1].encode(), value.buffer_info()[0]).ljust(40, b"\0")
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(sock.fileno(), 0x8946, ifreq)
'''

CAPTURER = r'''
import socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind(("ct1", 0))
s.settimeout(0.5)
end = time.time() + 6
while time.time() < end:
    try:
        data, addr = s.recvfrom(70000)
    except socket.timeout:
        continue
    kind = "out" if addr[2] == socket.PACKET_OUTGOING else "in"
    print(kind, data.hex(), flush=True)
'''

ECHO = r'''
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.9.0.2", 5000))
s.settimeout(5)
while True:
    data, peer = s.recvfrom(70000)
    s.sendto(data, peer)
'''

SENDER = r'''
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.9.0.1", 40000))
s.settimeout(1)
s.sendto(b"hello conntest", ("10.9.0.2", 5000))
print(s.recvfrom(100))
s.sendto(bytes(range(256)) * 8, ("10.9.0.2", 5000))
print(len(s.recvfrom(5000)[0]))
s.sendto(b"closed?", ("10.9.0.2", 5001))
try:
    s.recvfrom(100)
except OSError as e:
    print("closed port:", e)
'''

if __name__ == '__main__':
    main()
