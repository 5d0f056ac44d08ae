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
#     from "every page rendered" to "search index written" (an upper bound
#     on Write's wall time: the desk, alias, feed and sitemap writers run
#     in that span too);
#  2. the index on disk (ours: /search/, Pagefind: /pagefind/);
#  3. npx pagefind --site on the same output: wall, CPU, peak RSS;
#  4. bench/search/browser.mjs: bytes on the wire (gzip) and query time in
#     headless Chromium for both clients, with ratios ours/Pagefind, at
#     full CPU speed and with 4x CPU throttling (a cheap phone).
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

python3 - "$WORK" "$RUNS" <<'EOF'
import json, re, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])

def timev(path):
    t = open(path).read()
    def f(label):
        return re.search(re.escape(label) + r': (.*)', t).group(1).strip()
    wall = f('Elapsed (wall clock) time (h:mm:ss or m:ss)').split(':')
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
    cpu = float(f('User time (seconds)')) + float(f('System time (seconds)'))
    return secs, cpu, int(f('Maximum resident set size (kbytes)')) / 1024

def secs(s):
    m = re.match(r'([\d.]+)(ms|s|min|h)', s)
    return float(m.group(1)) * {'ms': 0.001, 's': 1, 'min': 60, 'h': 3600}[m.group(2)]

def prof(i, what):
    t = open(f'{work}/prof.{i}.{what}').read()
    total = secs(re.search(r'Total samples = (\S+)', t).group(1))
    m = re.search(r'Showing nodes accounting for (\S+), [\d.]+% of (\S+) total', t)
    return (secs(m.group(1)) if m else 0.0), total

med = statistics.median
b = [timev(f'{work}/build.{i}.time') for i in range(1, runs + 1)]
p = [timev(f'{work}/pagefind.{i}.time') for i in range(1, runs + 1)]
marks = [json.load(open(f'{work}/marks.{i}.json')) for i in range(1, runs + 1)]
pa = [prof(i, 'all') for i in range(1, runs + 1)]
padd = [prof(i, 'add')[0] for i in range(1, runs + 1)]
pw = [prof(i, 'write')[0] for i in range(1, runs + 1)]
post = [m['index_written']['wall_s'] - m['render_done']['wall_s'] for m in marks]
postcpu = [m['index_written']['cpu_s'] - m['render_done']['cpu_s'] for m in marks]
bw, bc, br = med(x[0] for x in b), med(x[1] for x in b), med(x[2] for x in b)
pw_, pc, pr = med(x[0] for x in p), med(x[1] for x in p), med(x[2] for x in p)
share = med(a / t for a, t in pa)
ours_b, ours_f = int(open(f'{work}/ours.bytes').read()), int(open(f'{work}/ours.files').read())
pf_b, pf_f = int(open(f'{work}/pf.bytes').read()), int(open(f'{work}/pf.files').read())
mib = 1 << 20

print(f'\nBuilds: medians of {runs} runs (wall and CPU from /usr/bin/time -v; index CPU from CPU profiles of buildtime runs)')
print('| what | wall s | CPU s | peak RSS MiB |')
print('|---|---|---|---|')
print(f'| portal build (site + index) | {bw:.1f} | {bc:.1f} | {br:.0f} |')
print(f'| buildtime (same build, profiled) | {med(m["end"]["wall_s"] for m in marks):.1f} | {med(m["end"]["cpu_s"] for m in marks):.1f} | {med(m["max_rss_mib"] for m in marks):.0f} |')
print(f'| index CPU in the build: Builder.Add {med(padd):.1f} s + Builder.Write {med(pw):.1f} s | - | {med(a for a, _ in pa):.1f} | - |')
print(f'| render done -> index written (Write + desk/alias/feed/sitemap writers) | {med(post):.1f} | {med(postcpu):.1f} | - |')
print(f'| npx pagefind --site (same output) | {pw_:.1f} | {pc:.1f} | {pr:.0f} |')
print(f'\nIndex CPU share of the build: {100 * share:.1f}% (search package samples / all samples).')
print(f'Index wall share, upper bound: {100 * med(post) / bw:.1f}% of the build wall for the span that holds Write, plus Add inside rendering ({med(padd):.1f} s CPU over the cores).')
print(f'Pagefind run / portal build: wall {pw_ / bw:.2f}x, CPU {pc / bc:.2f}x, RSS {pr / br:.2f}x')
print('\n| index | bytes on disk | files |')
print('|---|---|---|')
print(f'| ours /search/ | {ours_b / mib:.1f} MiB | {ours_f} |')
print(f'| Pagefind /pagefind/ | {pf_b / mib:.1f} MiB | {pf_f} |')
print(f'| ratio ours/Pagefind | {ours_b / pf_b:.2f} | {ours_f / pf_f:.2f} |')
EOF

echo
echo "== browser (headless Chromium), full CPU speed"
node bench/search/browser.mjs --site "$SITE" --reps "$REPS" --throttle 1 --json "$WORK/browser.1x.json"
echo
echo "== browser, 4x CPU throttling"
node bench/search/browser.mjs --site "$SITE" --reps "$REPS" --throttle 4 --json "$WORK/browser.4x.json"
