#!/usr/bin/env bash
# Instructions per request, counted by valgrind (callgrind), for one server: a figure that does
# not move with the machine's load, unlike CPU time. Not part of `npm run bench` (it needs
# valgrind: apt-get install valgrind, and takes minutes); docs/performance.md says how it is used.
#
#   bench/instructions.sh kit|bare [plain|tls|h2] [warm-up requests] [measured requests]
#
# Starts the server under callgrind with counting off, sends the warm-up requests (the JIT tiers
# up as it does without valgrind), turns counting on, sends the measured ones with the load client
# of the CPU part, and prints the instructions the server's process ran per measured request, in
# user space (JavaScript, node, OpenSSL; not the kernel): on the main thread, where the requests
# are handled, and on all threads (V8's compiler and collector threads too, whose share moves
# from run to run with where their work falls). Needs `npm run build` first.
set -euo pipefail
kind=${1:?kit or bare}
mode=${2:-plain}
warm=${3:-3000}
measured=${4:-3000}
cd "$(dirname "$0")/.."
node=node_modules/node/bin/node
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
args=("$kind")
[ "$mode" = plain ] || args+=("$mode")
valgrind --tool=callgrind --separate-threads=yes --smc-check=all-non-file --dump-instr=no \
  --instr-atstart=no \
  --callgrind-out-file="$work/out.%p" "$node" bench/instructions-server.ts "${args[@]}" \
  >"$work/url" 2>"$work/valgrind.log" &
server=$!
for _ in $(seq 1 300); do [ -s "$work/url" ] && break; sleep 1; done
url=$(cat "$work/url")
"$node" bench/instructions-load.ts "$url" "$warm" "$mode"
callgrind_control -i on "$server" >/dev/null
"$node" bench/instructions-load.ts "$url" "$measured" "$mode"
callgrind_control -d "$server" >/dev/null
kill -INT "$server"
wait "$server" || true
server=
count() { grep -h '^summary:' "$@" | awk '{ sum += $2 } END { print sum }'; }
main=$(count "$work"/out.*.1-01)
all=$(count "$work"/out.*.1-*)
echo "$kind $mode: $((main / measured)) instructions per request on the main thread, $((all / measured)) on all ($measured requests after $warm)"
