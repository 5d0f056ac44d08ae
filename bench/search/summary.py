"""Summarise the build and Pagefind runs of bench/search.sh.

    python3 bench/search/summary.py WORK RUNS

WORK holds build.N.time and pagefind.N.time (/usr/bin/time -v), marks.N.json
(bench/search/buildtime), prof.N.{all,add,write} (go tool pprof -top
headers) and the index sizes; medians over the N runs are printed as
Markdown tables.
"""
import json
import re
import statistics
import sys

work, runs = sys.argv[1], int(sys.argv[2])
med = statistics.median


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
    """CPU seconds of the samples pprof kept for a focus, and of all samples."""
    t = open(f'{work}/prof.{i}.{what}').read()
    total = secs(re.search(r'Total samples = (\S+)', t).group(1))
    m = re.search(r'Showing nodes accounting for (\S+), [\d.]+% of (\S+) total', t)
    return (secs(m.group(1)) if m else 0.0), total


N = range(1, runs + 1)
b = [timev(f'{work}/build.{i}.time') for i in N]
p = [timev(f'{work}/pagefind.{i}.time') for i in N]
marks = [json.load(open(f'{work}/marks.{i}.json')) for i in N]
cores = marks[0].get('cores', 2)
rows = []
for i, m in zip(N, marks):
    idx, total = prof(i, 'all')
    add, write = prof(i, 'add')[0], prof(i, 'write')[0]
    span_wall = m['index_written']['wall_s'] - m['render_done']['wall_s']
    span_cpu = m['index_written']['cpu_s'] - m['render_done']['cpu_s']
    # Write runs in the span after rendering together with the desk, alias,
    # feed and sitemap writers: its wall time is estimated as the span's
    # wall time times Write's share of the span's CPU; Add runs inside
    # rendering on every core, so it adds its CPU time over the cores.
    write_wall = span_wall * min(1.0, write / span_cpu) if span_cpu else 0.0
    idx_wall = write_wall + add / cores
    wall = m['end']['wall_s']
    rows.append(dict(idx=idx, total=total, add=add, write=write, span_wall=span_wall, span_cpu=span_cpu,
                     write_wall=write_wall, idx_wall=idx_wall, wall=wall, cpu=m['end']['cpu_s'], rss=m['max_rss_mib']))


def mr(k):
    return med(r[k] for r in rows)


bw, bc, br = med(x[0] for x in b), med(x[1] for x in b), med(x[2] for x in b)
pw, pc, pr = med(x[0] for x in p), med(x[1] for x in p), med(x[2] for x in p)
cpu_added = med(r['idx'] / (r['total'] - r['idx']) for r in rows)
wall_added = med(r['idx_wall'] / (r['wall'] - r['idx_wall']) for r in rows)
ours_b, ours_f = int(open(f'{work}/ours.bytes').read()), int(open(f'{work}/ours.files').read())
pf_b, pf_f = int(open(f'{work}/pf.bytes').read()), int(open(f'{work}/pf.files').read())
mib = 1 << 20

print(f'\nBuilds: medians of {runs} runs (portal build and pagefind timed by /usr/bin/time -v; '
      'the index rows come from the profiled buildtime runs of the same build)')
print('| what | wall s | CPU s | peak RSS MiB |')
print('|---|---|---|---|')
print(f'| portal build (site + index) | {bw:.1f} | {bc:.1f} | {br:.0f} |')
print(f'| buildtime (same build, profiled) | {mr("wall"):.1f} | {mr("cpu"):.1f} | {mr("rss"):.0f} |')
print(f'| index in the build: Builder.Add (during rendering) | ~{mr("add") / cores:.1f} (CPU/{cores} cores) | {mr("add"):.1f} | - |')
print(f'| index in the build: Builder.Write (after rendering) | ~{mr("write_wall"):.1f} (estimate) | {mr("write"):.1f} | - |')
print(f'| span render done -> index written (Write + desk/alias/feed/sitemap writers) | {mr("span_wall"):.1f} | {mr("span_cpu"):.1f} | - |')
print(f'| npx pagefind --site (same output) | {pw:.1f} | {pc:.1f} | {pr:.0f} |')
print(f'\nIndex share of the build CPU: {100 * med(r["idx"] / r["total"] for r in rows):.1f}% '
      f'(samples in portal/generator/search); the index adds {100 * cpu_added:.0f}% CPU to the rest of the build.')
print(f'Index wall time, estimated: {mr("idx_wall"):.1f} s; it adds about {100 * wall_added:.0f}% wall time to the rest of the build '
      f'(upper bound: the whole span after rendering, {100 * mr("span_wall") / mr("wall"):.0f}% of the build wall, plus Add).')
print(f'Pagefind run / portal build: wall {pw / bw:.2f}x, CPU {pc / bc:.2f}x, peak RSS {pr / br:.2f}x; '
      f'Pagefind run / our index (estimated wall): {pw / mr("idx_wall"):.1f}x')
print('\n| index | size on disk | files |')
print('|---|---|---|')
print(f'| ours /search/ | {ours_b / mib:.1f} MiB | {ours_f} |')
print(f'| Pagefind /pagefind/ | {pf_b / mib:.1f} MiB | {pf_f} |')
print(f'| ratio ours/Pagefind | {ours_b / pf_b:.2f} | {ours_f / pf_f:.2f} |')
