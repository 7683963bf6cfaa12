#!/bin/bash
# Builds (or rebuilds) advocacy-bot's virtualenv with the job image's Python, as a one-off job:
#     toolforge jobs run build-venv --command advocacy-bot/toolforge/build-venv.sh \
#         --image python3.11 --wait
# Run it again after every `git pull`. The virtualenv lives outside the checkout, in ~/venv-advocacy-bot.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
venv="$HOME/venv-advocacy-bot"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "$repo"
"$venv/bin/advocacy-bot" --version
