#!/usr/bin/env bash
# What the search index adds to the site build, for one or more revisions
# of the generator measured in the same call (machines here are shared and
# noisy: compare revisions in one call, never across calls).
#
#   bash bench/indexcost.sh                        # HEAD only, 5 rounds
#   REVS="fdf7aac HEAD" RUNS=5 WORK=/dev/shm/pb bash bench/indexcost.sh
#   SIZE=40k bash bench/indexcost.sh
#
# Each round builds the corpus with every revision, with and without the
# index (portal build / portal build -no-search); every
# revision uses this checkout's layouts/, i18n/ and static/ (-root). Prints
# per revision the medians (wall, CPU, peak RSS) with and without the index,
# what the index adds, and the ratio round by round with its median, and
# the rounds' mean ratio with a 95 % bootstrap interval. Builds run in a
# random order within each round. Needs git, go,
# python3, shuf and /usr/bin/time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${SHARED:-$repo/../shared/bench}
work=${WORK:-/tmp/portal-bench}
runs=${RUNS:-5}
size=${SIZE:-10k}
read -r -a revs <<<"${REVS:-HEAD}"
mkdir -p "$work"
# This call's output, timings and results, apart from any other call's
# sharing $work (binaries and the corpus are shared: same revision, same
# bytes).
run=$(mktemp -d "$work/indexcost.XXXXXX")
trap 'rm -rf "$run"' EXIT

case $size in
  1k) flags="--guides 170 --desks 50" ;;
  10k) flags="--guides 1700 --desks 200" ;;
  40k) flags="--guides 6700 --desks 200" ;;
  *) echo "indexcost.sh: unknown SIZE $size (1k, 10k or 40k)" >&2; exit 2 ;;
esac
corpus="$work/corpus-$size"
if [ ! -d "$corpus/content" ]; then
  echo "generating the $size corpus"
  python3 "$shared/gencorpus.py" --out "$corpus" $flags --langs 6 --seed 1 >/dev/null
fi

# One binary per revision, built from a detached worktree.
bins=()
for rev in "${revs[@]}"; do
  id=$(git -C "$repo" rev-parse --short "$rev")
  bin="$work/portal-$id"
  if [ ! -x "$bin" ] || [ "$rev" = HEAD ]; then
    echo "building $rev ($id)"
    wt=$(mktemp -d)
    git -C "$repo" worktree add -q --detach "$wt" "$id"
    (cd "$wt" && go build -o "$bin" ./cmd/portal) || { git -C "$repo" worktree remove --force "$wt"; exit 1; }
    git -C "$repo" worktree remove --force "$wt"
  fi
  bins+=("$bin")
  : >"$run/$id.full"; : >"$run/$id.nos"
done

out="$run/out"
for round in $(seq "$runs"); do
  # The round's builds in a random order: in a fixed order, a build that
  # always follows another (or the machine's periodic load) can bias one
  # side. Each revision and mode still gets one line per round.
  for job in $(for bin in "${bins[@]}"; do echo "$bin:full"; echo "$bin:nos"; done | shuf); do
    bin=${job%:*} mode=${job##*:}
    id=${bin##*/portal-}
    {
      flag=(); [ $mode = nos ] && flag=(-no-search)
      rm -rf "$out"
      /usr/bin/time -f "%e %U %S %M" -o "$run/time" "$bin" build -root "$repo" -content "$corpus/content" -out "$out" "${flag[@]}" \
        >"$run/log" 2>&1 || { cat "$run/log" >&2; exit 1; }
      read -r wall user sys rss <"$run/time"
      awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {print w, u + s, r}' >>"$run/$id.$mode"
    }
  done
  echo "round $round of $runs done"
done
rm -rf "$out"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for i in "${!bins[@]}"; do
  r=$run/${bins[$i]##*/portal-}
  fw=$(cut -d' ' -f1 "$r.full" | median); fc=$(cut -d' ' -f2 "$r.full" | median); fr=$(cut -d' ' -f3 "$r.full" | median)
  nw=$(cut -d' ' -f1 "$r.nos" | median); nc=$(cut -d' ' -f2 "$r.nos" | median); nr=$(cut -d' ' -f3 "$r.nos" | median)
  rounds=$(paste -d' ' "$r.full" "$r.nos" | awk '{printf " %+.0f%%/%+.0f%%", ($1/$4-1)*100, ($2/$5-1)*100}')
  # Each round builds with and without the index back to back: the median
  # of the rounds' own ratios is steadier than the ratio of the medians
  # when the machine's speed drifts during the call.
  pw=$(paste -d' ' "$r.full" "$r.nos" | awk '{print ($1/$4-1)*100}' | median)
  pc=$(paste -d' ' "$r.full" "$r.nos" | awk '{print ($2/$5-1)*100}' | median)
  awk -v rev="${revs[$i]}" -v size="$size" -v fw="$fw" -v fc="$fc" -v fr="$fr" -v nw="$nw" -v nc="$nc" -v nr="$nr" -v rounds="$rounds" -v pw="$pw" -v pc="$pc" 'BEGIN {
    printf "%s %s: with the index %.2fs wall %.2fs cpu %d MiB | without %.2fs wall %.2fs cpu %d MiB | the index adds %+.0f%% wall, %+.0f%% cpu (%.2fs cpu; goal < 20%%)\n",
      rev, size, fw, fc, fr / 1024, nw, nc, nr / 1024, (fw / nw - 1) * 100, (fc / nc - 1) * 100, fc - nc
    printf "%s %s: round by round, wall/cpu:%s (median %+.0f%%/%+.0f%%)\n", rev, size, rounds, pw, pc
  }'
  # The mean of the rounds' ratios with a 95 % bootstrap interval (seeded,
  # so a call's figures can be reproduced from its timings): on a noisy
  # machine a mean of a few points under the goal proves nothing unless
  # the interval's top is under it too.
  paste -d' ' "$r.full" "$r.nos" | python3 -c '
import random, statistics as st, sys
rev, rows = sys.argv[1], [list(map(float, l.split())) for l in sys.stdin if l.strip()]
random.seed(1)
out = []
for k, name in ((0, "wall"), (1, "cpu")):
    rs = [100 * (r[k] / r[k + 3] - 1) for r in rows]
    boot = sorted(st.mean(random.choices(rs, k=len(rs))) for _ in range(4000))
    out.append("%s mean %+.1f%% [95%% %+.1f, %+.1f]" % (name, st.mean(rs), boot[100], boot[3899]))
print("%s: per-round ratios, %s (%d rounds)" % (rev, "; ".join(out), len(rows)))
' "${revs[$i]} $size"
done
