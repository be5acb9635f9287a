# Sourced by the long-run scripts (soak, restarts, storms): the private-namespace lab they share and the bounded
# stop of the processes they started. Nothing here touches the root namespace.

# lab_up NS TAP...: a namespace NS with lo up, a bridge "service" with 10.0.0.1/24 (the kernel's side), and one TAP
# per name attached to it; fails when the namespace has a route out.
lab_up() {
    local ns=$1; shift
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" link add service type bridge
    ip -n "$ns" addr add 10.0.0.1/24 dev service
    ip -n "$ns" link set service up
    local tap
    for tap in "$@"; do
        ip -n "$ns" tuntap add "$tap" mode tap
        ip -n "$ns" link set "$tap" master service
        ip -n "$ns" link set "$tap" up
    done
    # No route out: only the bridge's /24 and loopback exist in the namespace.
    [ -z "$(ip -n "$ns" route show default)" ] || { echo "$ns: namespace has a default route" >&2; return 1; }
}

# stop_pids PID...: SIGTERM to each, up to 5 s for each to end, then SIGKILL; only the PIDs given (ours).
stop_pids() {
    local p
    for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "$@"; do
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null || true
    done
}
