#!/usr/bin/env bash
# Browser checks for issue 8, called from .ci/run: installs what is missing
# (Debian chromium, python3-aiosmtpd and a Java runtime with apt; the npm
# devDependencies with npm ci), then runs
#   1. the browser suite (node --test e2e/): phone journeys in it and ar,
#      axe on every page type, print layout; screenshots in test-artifacts/
#   2. the weight budget (go test ./generator/budget/), with the figures
#   3. Lighthouse 12 mobile on a guide in it and ar (scores printed)
#   4. the Nu HTML checker over every built page and the stylesheets.
# Every step runs even if an earlier one failed; the exit status is non-zero
# if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need_apt+=(python3-aiosmtpd)
command -v java >/dev/null || need_apt+=(default-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null || {
    echo "browser.sh: could not install ${need_apt[*]}" >&2; exit 1; }
fi
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/lighthouse ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  log "npm ci"
  npm ci --no-audit --no-fund || { echo "browser.sh: npm ci failed" >&2; exit 1; }
fi

failed=()

log "browser suite: node --test e2e/"
node --test e2e/ || failed+=("browser suite")
echo "screenshots: $(ls test-artifacts/screenshots/*.png 2>/dev/null | wc -l) in test-artifacts/screenshots/"

log "weight budget (HTML + CSS, gzip, per page type)"
go test -count=1 -v -run 'TestSiteWeight|TestMeasure' ./generator/budget/ 2>&1 | grep -v '^=== RUN' || failed+=("weight budget")

log "Lighthouse 12, mobile"
node e2e/lighthouse.js || failed+=("lighthouse")

log "Nu HTML checker (vnu) over every built page"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if go run ./cmd/portal build --out "$tmp/site" --base-url https://portale.example.org >/dev/null; then
  n=$(find "$tmp/site" -name '*.html' | wc -l)
  if find "$tmp/site" -name '*.html' -print0 | xargs -0 java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --format gnu \
     && java -jar node_modules/vnu-jar/build/dist/vnu.jar --css --errors-only --format gnu static/css/*.css; then
    echo "vnu: $n pages and the stylesheets, 0 errors"
  else
    failed+=("vnu")
  fi
else
  failed+=("build for vnu")
fi

if [ ${#failed[@]} -gt 0 ]; then
  printf '\nbrowser.sh: FAILED: %s\n' "${failed[*]}"
  exit 1
fi
printf '\nbrowser.sh: all browser checks passed\n'
