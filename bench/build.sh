#!/usr/bin/env bash
# Build benchmark on the shared corpus, against the floor program measured
# in the same run (machines here are shared and noisy: compare ratios).
#
#   bash bench/build.sh [SIZES...]     sizes: 1k 10k 40k (default: 1k 10k)
#   RUNS=5 bash bench/build.sh 10k     runs per program (median reported)
#   WORK=/dev/shm/pb bash bench/build.sh 10k
#                                      build on tmpfs: both programs skip the
#                                      disk journal, whose contention with other
#                                      jobs on a shared machine makes system
#                                      time swing from run to run
#   bash bench/build.sh 40k            also reports the 40k/10k cost ratio
#                                      when 10k ran in the same call
#   INDEX=1 bash bench/build.sh 10k    also builds without the search index
#                                      (portal build -no-search), interleaved,
#                                      and reports that build against the
#                                      floor (run by run too) and what the
#                                      index adds
#
# Prints, per size: wall and cpu ratios portal/floor, pages written per
# second, and peak RSS of both. Needs python3, awk and /usr/bin/time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${SHARED:-$repo/../shared/bench}
work=${WORK:-/tmp/portal-bench}
runs=${RUNS:-3}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1k 10k)
mkdir -p "$work"

echo "building floor and portal"
(cd "$shared/floor" && go build -o "$work/floor" .)
(cd "$repo" && go build -o "$work/portal" ./cmd/portal)

flags() {
  case $1 in
    1k) echo "--guides 170 --desks 50" ;;
    10k) echo "--guides 1700 --desks 200" ;;
    40k) echo "--guides 6700 --desks 200" ;;
    *) echo "unknown size $1" >&2; exit 2 ;;
  esac
}

# measure CMD...: prints "wall cpu maxrss_kb" of one run
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  read -r wall user sys rss <"$work/time.txt"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {print w, u + s, r}'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: >"$work/scaling.txt" # the 40k/10k ratio compares sizes measured in this call only
for size in "${sizes[@]}"; do
  corpus="$work/corpus-$size"
  if [ ! -d "$corpus/content" ]; then
    echo "generating the $size corpus"
    python3 "$shared/gencorpus.py" --out "$corpus" $(flags "$size") --langs 6 --seed 1 >/dev/null
  fi
  : >"$work/floor.txt"; : >"$work/portal.txt"; : >"$work/nosearch.txt"
  for ((i = 0; i < runs; i++)); do
    # interleave the programs; each writes into a fresh folder
    rm -rf "$work/out-floor" "$work/out-portal"
    measure "$work/floor" "$corpus/content" "$work/out-floor" >>"$work/floor.txt"
    if [ -n "${INDEX:-}" ]; then
      # the same build without the search index, for the index's cost
      measure "$work/portal" build -no-search --content "$corpus/content" --out "$work/out-portal" --root "$repo" >>"$work/nosearch.txt"
      rm -rf "$work/out-portal"
    fi
    measure "$work/portal" build --content "$corpus/content" --out "$work/out-portal" --root "$repo" >>"$work/portal.txt"
  done
  pages=$(grep -o 'built [0-9]* pages' "$work/out.txt" | grep -o '[0-9]*')
  fw=$(awk '{print $1}' "$work/floor.txt" | median); fc=$(awk '{print $2}' "$work/floor.txt" | median); fr=$(awk '{print $3}' "$work/floor.txt" | median)
  pw=$(awk '{print $1}' "$work/portal.txt" | median); pc=$(awk '{print $2}' "$work/portal.txt" | median); pr=$(awk '{print $3}' "$work/portal.txt" | median)
  files=$(find "$work/out-portal" -type f | wc -l)
  printf '%s: floor %.2fs wall %.2fs cpu %d MiB | portal %.2fs wall %.2fs cpu %d MiB | wall ratio %.2f, cpu ratio %.2f | %d pages (%d files), %.0f pages/s\n' \
    "$size" "$fw" "$fc" $((fr / 1024)) "$pw" "$pc" $((pr / 1024)) \
    "$(awk -v a="$pw" -v b="$fw" 'BEGIN {print a / b}')" "$(awk -v a="$pc" -v b="$fc" 'BEGIN {print a / b}')" "$pages" "$files" "$(awk -v a="$pages" -v b="$pw" 'BEGIN {print a / b}')"
  if [ -s "$work/nosearch.txt" ]; then
    nw=$(awk '{print $1}' "$work/nosearch.txt" | median); nc=$(awk '{print $2}' "$work/nosearch.txt" | median)
    printf '%s: without the search index %.2fs wall %.2fs cpu | wall ratio %.2f, cpu ratio %.2f | the index adds %.0f%% wall, %.0f%% cpu (goal < 20%%)\n' "$size" "$nw" "$nc" \
      "$(awk -v a="$nw" -v b="$fw" 'BEGIN {print a / b}')" "$(awk -v a="$nc" -v b="$fc" 'BEGIN {print a / b}')" \
      "$(awk -v a="$pw" -v b="$nw" 'BEGIN {print (a / b - 1) * 100}')" "$(awk -v a="$pc" -v b="$nc" 'BEGIN {print (a / b - 1) * 100}')"
    # Run by run (each run's builds are neighbours in time, so they share
    # the machine's mood): the ratio of each build without the index to
    # the floor, and what the index added to each.
    printf '%s: run by run: without the index / floor wall %s | index adds wall %s\n' "$size" \
      "$(paste "$work/nosearch.txt" "$work/floor.txt" | awk '{printf "%.2f ", $1 / $4}')" \
      "$(paste "$work/portal.txt" "$work/nosearch.txt" | awk '{printf "%.0f%% ", ($1 / $4 - 1) * 100}')"
  fi
  echo "$size $pw" >>"$work/scaling.txt"
done
if grep -q '^10k ' "$work/scaling.txt" 2>/dev/null && grep -q '^40k ' "$work/scaling.txt"; then
  t10=$(grep '^10k ' "$work/scaling.txt" | tail -1 | cut -d' ' -f2); t40=$(grep '^40k ' "$work/scaling.txt" | tail -1 | cut -d' ' -f2)
  printf '40k/10k wall ratio: %.2f (goal <= 4.5)\n' "$(awk -v a="$t40" -v b="$t10" 'BEGIN {print a / b}')"
fi
