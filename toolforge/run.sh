#!/bin/bash
# Runs advocacy-bot in a Toolforge job, from the tool's home:
#     advocacy-bot/toolforge/run.sh [global options] COMMAND [options]
# It uses the virtualenv that build-venv.sh made, pywikibot's configuration in ~/.pywikibot, and adds
# --report-json reports/<time>.json (reports older than 30 days are removed).
set -euo pipefail
cd "$HOME"
export PYWIKIBOT_DIR="${PYWIKIBOT_DIR:-$HOME/.pywikibot}"
venv="$HOME/venv-advocacy-bot"
if [ ! -x "$venv/bin/advocacy-bot" ]; then
  echo "run.sh: no virtualenv in $venv; run the build-venv job first (README, 'Running on Toolforge')" >&2
  exit 2
fi
mkdir -p reports
find reports -name '*.json' -mtime +30 -delete
# The jobs' log files (filelog) only grow: past 20 MB one is moved to NAME.1 (the one before is dropped).
for log in "$HOME"/*.out "$HOME"/*.err; do
  if [ -f "$log" ] && [ "$(stat -c %s "$log")" -gt 20000000 ]; then mv -f "$log" "$log.1"; fi
done
exec "$venv/bin/advocacy-bot" --report-json "reports/$(date -u +%Y%m%dT%H%M%SZ).json" "$@"
