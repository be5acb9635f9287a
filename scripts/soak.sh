#!/usr/bin/env bash
# Soak (issue 14): 4 conntest instances on the own stack (TAPs on a bridge) and 4 on kernel sockets, every pair
# connected both ways (the pair rule keeps one connection per pair), latency probes all the time and paced bandwidth
# tests on two pairs of each mesh, for MINUTES minutes. Every minute (by the wall clock) it samples each instance's
# RSS and thread count (/proc/PID/status), open file descriptors (/proc/PID/fd), heap in use and old generation in
# use (one jstat -gc per instance: a JVM start each, so a sample takes seconds on a loaded machine) into a CSV with
# the seconds since the first sample, and prints a table (first, last, min, max per instance) at the end.
#
#   scripts/soak.sh [MINUTES] [OUTDIR]      # default 60 minutes, docs/soak
#
# Network safety: everything runs in a private network namespace created here (a bridge with 10.0.0.1/24 and four
# TAPs; the kernel instances on its own loopback), with no route out, removed on exit also on failure or Ctrl-C.
# Every loop is bounded by MINUTES. Instances run under `nice -n 10` with a 128 MiB heap each.
set -euo pipefail
minutes=${1:-60}
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
out=${2:-$root/docs/soak}
jar="$root/cli/target/conntest.jar"
[ "$(id -u)" = 0 ] || { echo "soak: needs root (network namespaces)" >&2; exit 1; }
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -ge 1 ] && [ "$minutes" -le 1440 ] \
    || { echo "soak: MINUTES must be 1..1440" >&2; exit 2; }
[ -f "$jar" ] || { echo "soak: build the jar first: mvn -o -q -pl cli -am package -DskipTests" >&2; exit 1; }
java="$(readlink -f "$(command -v java)")"
jbin="$(dirname "$java")"

ns="ct-soak-$$"
stamp="$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$out"
csv="$out/soak-$stamp.csv"
table="$out/soak-$stamp.md"
logs="$(mktemp -d /tmp/ct-soak.XXXXXX)"
pids=()

. "$root/scripts/lib/netns-lab.sh"
cleanup() {
    stop_pids "${pids[@]}"
    ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_up "$ns" tap100 tap101 tap102 tap103

names=(s0 s1 s2 s3 k0 k1 k2 k3)
host() { # the address instance $1 listens on
    local i=$1
    if [ "$i" -lt 4 ]; then echo "10.0.0.$((2 + i))"; else echo 127.0.0.1; fi
}
tcp_port() { if [ "$1" -lt 4 ]; then echo 1234; else echo $((2000 + 2 * ($1 - 4))); fi; }
udp_port() { if [ "$1" -lt 4 ]; then echo 1235; else echo $((2001 + 2 * ($1 - 4))); fi; }

start_instance() {
    local i=$1 base=$(( $1 < 4 ? 0 : 4 )) args=()
    args+=(--name "${names[$i]}" --ui json --interval 60s --logfile "$logs/${names[$i]}.jsonl")
    if [ "$i" -lt 4 ]; then
        args+=(--tap "tap10$i" --ipv4 "$(host "$i")/24" --listen tcp:1234 --listen udp:1235)
    else
        args+=(--listen "tcp:127.0.0.1:$(tcp_port "$i")" --listen "udp:127.0.0.1:$(udp_port "$i")")
    fi
    for j in $(seq $base $((base + 3))); do
        [ "$j" = "$i" ] && continue
        local a=$((i - base)) b=$((j - base)) proto query="latency-interval=200ms"
        # Pairs {0,1} and {2,3} over TCP with paced bandwidth tests, the other four pairs over reliable UDP.
        if [ $((a / 2)) = $((b / 2)) ]; then
            proto=tcp
            query="$query&monitor-bandwidth&rate=20M&bandwidth-duration=1s"
        else
            proto=udp
        fi
        local port; if [ $proto = tcp ]; then port=$(tcp_port "$j"); else port=$(udp_port "$j"); fi
        args+=(--connect "$proto://$(host "$j"):$port?$query")
    done
    ip netns exec "$ns" nice -n 10 "$java" -Xmx128m -XX:+UseSerialGC -jar "$jar" "${args[@]}" \
        2> "$logs/${names[$i]}.err" &
    pids+=($!)
}

for i in 0 1 2 3 4 5 6 7; do start_instance "$i"; done
echo "soak: namespace $ns, 8 instances (pids ${pids[*]}), $minutes min, logs in $logs" >&2

echo "minute,elapsed_s,instance,stack,rss_kib,threads,fds,heap_used_kib,old_used_kib" > "$csv"
sample() {
    local minute=$1 i pid rss threads fds gc elapsed
    for i in 0 1 2 3 4 5 6 7; do
        pid=${pids[$i]}
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "soak: instance ${names[$i]} (pid $pid) ended early; stderr:" >&2
            cat "$logs/${names[$i]}.err" >&2
            exit 1
        fi
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
        threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
        fds=$(ls "/proc/$pid/fd" | wc -l)
        # jstat -gc: S0U S1U EU OU are columns 3, 4, 6, 8 (KiB); OU is what survived into the old generation.
        gc=$("$jbin/jstat" -J-XX:TieredStopAtLevel=1 -gc "$pid" | awk 'NR == 2 {printf "%d,%d", $3 + $4 + $6 + $8, $8}')
        elapsed=$(( $(date +%s) - first ))
        echo "$minute,$elapsed,${names[$i]},$([ "$i" -lt 4 ] && echo tap || echo kernel),$rss,$threads,$fds,$gc" >> "$csv"
    done
}

sleep 30 # let every pair connect and the JIT settle before the first sample
# Attach once before the first sample: the JVM's attach listener is one thread more for good, not growth.
for pid in "${pids[@]}"; do "$jbin/jcmd" "$pid" VM.version > /dev/null; done
first=$(date +%s)
for m in $(seq 0 "$minutes"); do
    # Sample at minute m by the wall clock (a late sample is not made up for: the loop stays bounded).
    while [ $(( $(date +%s) - first )) -lt $((60 * m)) ]; do sleep 1; done
    sample "$m"
done

# Events over the whole run, from each instance's JSON lines.
count() { grep -c "\"event\":\"$2\"" "$logs/$1.jsonl" || true; }
{
    echo "Soak of $minutes min started $stamp: 4 instances on the own stack (TAPs on a bridge), 4 on kernel sockets,"
    echo "each connecting to the 3 others of its stack (TCP pairs with a 20 Mbit/s bandwidth test after each round of"
    echo "probes, reliable-UDP pairs with probes only), probes every 200 ms; samples every minute."
    echo
    echo "| instance | stack | RSS KiB first / last (min - max) | old gen in use KiB first / last (min - max) | heap in use KiB max | threads first / last (max) | fds first / last (max) | connected | closed | bandwidth results |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for name in "${names[@]}"; do
        awk -F, -v n="$name" '$3 == n {
            if (!seen) { r0 = $5; t0 = $6; f0 = $7; l0 = $9; rmin = rmax = $5; lmin = lmax = $9; tmax = $6; fmax = $7; hmax = $8; seen = 1 }
            r1 = $5; t1 = $6; f1 = $7; l1 = $9; st = $4
            if ($5 < rmin) rmin = $5; if ($5 > rmax) rmax = $5
            if ($9 < lmin) lmin = $9; if ($9 > lmax) lmax = $9
            if ($6 > tmax) tmax = $6; if ($7 > fmax) fmax = $7; if ($8 > hmax) hmax = $8
        } END { printf "| %s | %s | %d / %d (%d - %d) | %d / %d (%d - %d) | %d | %d / %d (%d) | %d / %d (%d) ", n, st, r0, r1, rmin, rmax, l0, l1, lmin, lmax, hmax, t0, t1, tmax, f0, f1, fmax }' "$csv"
        echo "| $(count "$name" connected) | $(count "$name" closed) | $(count "$name" bandwidth_result) |"
    done
} > "$table"
cat "$table"
echo "soak: CSV $csv, table $table" >&2
