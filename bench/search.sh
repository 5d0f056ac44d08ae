#!/usr/bin/env bash
# Search benchmark on the shared 10k corpus (not part of CI): the portal's
# own index against Pagefind 1.6 on the same built site, in one run.
#
#   bash bench/search.sh                       # 10k corpus, 3 builds, 5 browser runs per query
#   RUNS=5 REPS=7 WORK=/dev/shm/sb bash bench/search.sh
#   GUIDES=170 DESKS=50 bash bench/search.sh   # the 1k corpus, for a quick look
#
# It reports
#  1. the site build (portal build): wall, CPU and peak RSS, median of RUNS;
#     there is no switch to build without the index, so the index's cost
#     is measured inside the same builds by bench/search/buildtime: the CPU
#     time spent in portal/generator/search (Builder.Add during rendering
#     and Builder.Write at the end) from a CPU profile, and the wall time
#     from "every page rendered" to "search index written", a span that
#     holds Write and the desk, alias, feed and sitemap writers (Write's
#     wall time is estimated from its share of that span's CPU; see
#     bench/search/summary.py);
#  2. the index on disk (ours: /search/, Pagefind: /pagefind/);
#  3. npx pagefind --site on the same output: wall, CPU, peak RSS;
#  4. bench/search/browser.mjs: bytes on the wire (gzip) and query time in
#     headless Chromium for both clients, with ratios ours/Pagefind, at
#     full CPU speed and with 4x CPU throttling (a cheap phone). Ours shows
#     the first results' titles and links before their excerpts, so it has
#     two times: "titles" (the first 5 hits in the DOM with title and link)
#     and "top 5" (the first 5 hits complete with section and highlighted
#     excerpt); Pagefind draws both at once, so its two are the same;
#     TRACE=1 adds bench/search/trace.mjs: where the time goes (request
#     timeline, main-thread time by kind, JavaScript functions);
#  5. a preview session (portal serve) on the same corpus: edit one guide
#     and time until the served index holds the edit (search-ms/op, through
#     search.Live delta files; BenchmarkSessionSearchEdit). SESSION=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${WORK:-/tmp/portal-search-bench}
RUNS=${RUNS:-3}
REPS=${REPS:-5}
GUIDES=${GUIDES:-1700}
DESKS=${DESKS:-200}
CORPUS=$WORK/corpus-$GUIDES-$DESKS
SITE=$WORK/site
mkdir -p "$WORK"

# Tools: GNU time, Chromium, node modules (playwright-core, pagefind).
need_apt=()
[ -x /usr/bin/time ] || need_apt+=(time)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
	apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
fi
if [ ! -x node_modules/.bin/pagefind ] || [ ! -d node_modules/playwright-core ]; then
	npm ci --no-audit --no-fund
fi

if [ ! -d "$CORPUS/content" ]; then
	echo "== generating the corpus ($GUIDES guides, $DESKS desks) in $CORPUS"
	python3 "${SHARED:-../shared}/bench/gencorpus.py" --out "$CORPUS" --guides "$GUIDES" --langs 6 --desks "$DESKS" --seed 1
fi

echo "== compiling"
go build -o "$WORK/portal" ./cmd/portal
go build -o "$WORK/buildtime" ./bench/search/buildtime

echo "== building the site $RUNS times (portal build, then buildtime with a CPU profile)"
for i in $(seq "$RUNS"); do
	rm -rf "$SITE"
	/usr/bin/time -v -o "$WORK/build.$i.time" "$WORK/portal" build --content "$CORPUS/content" --out "$SITE" >"$WORK/build.$i.out" 2>"$WORK/build.$i.err"
	rm -rf "$SITE"
	"$WORK/buildtime" -content "$CORPUS/content" -out "$SITE" -cpuprofile "$WORK/cpu.$i.prof" >"$WORK/marks.$i.json"
	for what in all add write; do
		case $what in
		all) focus='^portal/generator/search\.' ;;
		add) focus='search\.\(\*Builder\)\.Add' ;;
		write) focus='search\.\(\*Builder\)\.Write' ;;
		esac
		go tool pprof -top -focus="$focus" "$WORK/buildtime" "$WORK/cpu.$i.prof" 2>/dev/null | grep -E '^(Duration|Showing nodes)' >"$WORK/prof.$i.$what" || true
	done
done
du -sb "$SITE/search" | cut -f1 >"$WORK/ours.bytes"
find "$SITE/search" -type f | wc -l >"$WORK/ours.files"

echo "== pagefind $RUNS times on the same site"
for i in $(seq "$RUNS"); do
	rm -rf "$SITE/pagefind"
	/usr/bin/time -v -o "$WORK/pagefind.$i.time" node_modules/.bin/pagefind --site "$SITE" >"$WORK/pagefind.$i.out" 2>&1
done
du -sb "$SITE/pagefind" | cut -f1 >"$WORK/pf.bytes"
find "$SITE/pagefind" -type f | wc -l >"$WORK/pf.files"

python3 bench/search/summary.py "$WORK" "$RUNS"

echo
echo "== browser (headless Chromium), full CPU speed"
node bench/search/browser.mjs --site "$SITE" --reps "$REPS" --throttle 1 --json "$WORK/browser.1x.json"
echo
echo "== browser, 4x CPU throttling"
node bench/search/browser.mjs --site "$SITE" --reps "$REPS" --throttle 4 --json "$WORK/browser.4x.json"

if [ "${TRACE:-0}" != 0 ]; then
	echo
	echo "== where the time goes: Chromium traces of our client (full speed and 4x)"
	node bench/search/trace.mjs --site "$SITE" --throttle 1,4 --reps 3 --json "$WORK/trace.json"
fi

if [ "${SESSION:-1}" != 0 ]; then
	echo
	echo "== preview session: guide edit -> search index up to date (40 edits, twice)"
	PORTAL_CORPUS="$(cd "$CORPUS/content" && pwd)" go test -run '^$' -bench SessionSearchEdit -benchtime 40x -count 2 ./generator | grep -E '^Benchmark'
fi
