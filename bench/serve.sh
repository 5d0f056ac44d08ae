#!/bin/sh
# Benchmark of "portal serve" on the shared corpus (issue 6).
#
#   bench/serve.sh [EDITS]          (default 5 edits; run from anywhere)
#
# Environment: CORPUS (default /tmp/portal-corpus-10k), GENCORPUS (default
# /work/shared/bench/gencorpus.py), GUIDES (default 1700), DESKS (default 200).
#
# It prints, all measured in this run on the same content:
#   1. a full "portal build": wall time and peak RSS (/usr/bin/time);
#   2. "portal serve" as a separate process: time from launch to the first
#      build served (/__portal/status), and its RSS and peak RSS then;
#   3. BenchmarkServeEdit: time from saving one guide to the reload event
#      (median and p90 over EDITS edits), start-up and memory in process, and
#      the ratios to a full build.
set -eu
EDITS=${1:-5}
REPO=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-/tmp/portal-corpus-10k}
GENCORPUS=${GENCORPUS:-/work/shared/bench/gencorpus.py}
GUIDES=${GUIDES:-1700}
DESKS=${DESKS:-200}
WORK=$(mktemp -d /tmp/portal-bench-serve.XXXXXX)
SERVE_PID=
cleanup() {
	if [ -n "$SERVE_PID" ]; then kill -INT "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if [ ! -d "$CORPUS/content" ]; then
	echo "== generating the corpus in $CORPUS"
	python3 "$GENCORPUS" --out "$CORPUS" --guides "$GUIDES" --langs 6 --desks "$DESKS" --seed 1
fi
echo "== corpus: $(find "$CORPUS/content" -name '*.md' | wc -l) source files"

cd "$REPO"
go build -o "$WORK/portal" ./cmd/portal

echo "== full build"
/usr/bin/time -f "build_wall_s=%e build_peak_rss_kb=%M" \
	"$WORK/portal" build --root "$REPO" --content "$CORPUS/content" --out "$WORK/public" \
	2>"$WORK/build.err" >"$WORK/build.out" || { tail -20 "$WORK/build.err"; exit 1; }
cat "$WORK/build.out"
BUILD_LINE=$(tail -1 "$WORK/build.err")
echo "$BUILD_LINE"
BUILD_S=$(echo "$BUILD_LINE" | sed 's/.*build_wall_s=\([0-9.]*\).*/\1/')

echo "== portal serve start-up (separate process)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
START=$(date +%s.%N)
"$WORK/portal" serve --root "$REPO" --content "$CORPUS/content" --port "$PORT" >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVE_PID=$!
until curl -sf "http://127.0.0.1:$PORT/__portal/status" 2>/dev/null | grep -q '"goodBuilds": 1'; do
	if ! kill -0 "$SERVE_PID" 2>/dev/null; then tail -20 "$WORK/serve.err"; exit 1; fi
	sleep 0.05
done
END=$(date +%s.%N)
RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVE_PID/status")
HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVE_PID/status")
STARTUP_S=$(echo "$END $START" | awk '{printf "%.2f", $1-$2}')
echo "serve_startup_s=$STARTUP_S serve_rss_kb=$RSS serve_peak_rss_kb=$HWM"
echo "startup/build=$(echo "$STARTUP_S $BUILD_S" | awk '{printf "%.2f", $1/$2}')"
kill -INT "$SERVE_PID"; wait "$SERVE_PID" || true; SERVE_PID=

echo "== edits ($EDITS), in process"
PORTAL_BENCH_CONTENT="$CORPUS/content" go test ./generator/devserver/ -run '^$' -bench BenchmarkServeEdit \
	-benchtime "${EDITS}x" -timeout 120m
