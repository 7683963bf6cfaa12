#!/bin/bash
# Builds (or rebuilds) advocacy-bot's virtualenv with the job image's Python, as a one-off job:
#     toolforge jobs run build-venv --command advocacy-bot/toolforge/build-venv.sh \
#         --image python3.11 --wait --filelog
# Run it again after every `git pull`. Each build goes into a folder of its own beside the tool's home
# (~/venv-advocacy-bot.<time>), with the versions pinned in constraints.txt; only once it installs and
# answers `--version` does the link ~/venv-advocacy-bot move to it, in one step. A failed build, or a
# scheduled run during a build, keeps the working virtualenv; a run already started keeps its own (the
# previous build is kept, older ones are removed).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
link="$HOME/venv-advocacy-bot"
new="$link.$(date -u +%Y%m%dT%H%M%SZ).$$"
trap 'rm -rf "$new"' ERR
python3 -m venv "$new"
"$new/bin/python" -m pip install --quiet --upgrade pip
"$new/bin/python" -m pip install --quiet -c "$repo/constraints.txt" "$repo"
"$new/bin/advocacy-bot" --version
trap - ERR
previous="$(readlink -f "$link" 2>/dev/null || true)"
if [ -d "$link" ] && [ ! -L "$link" ]; then
  rm -rf "$link"  # a virtualenv of an older build-venv.sh, made in place: replaced by the link once
fi
ln -s "$new" "$link.swap" && mv -T "$link.swap" "$link"  # rename(2): the link changes in one step
for old in "$link".*; do
  case "$old" in "$new"|"$previous"|"$link.swap") ;; *) [ -d "$old" ] && rm -rf "$old" ;; esac
done
echo "build-venv: $link -> $new"
