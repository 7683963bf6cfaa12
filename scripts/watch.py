#!/usr/bin/env python3
"""run-all again and again until SIGTERM or Ctrl-C, each run reading only what changed (watch mode).

The same loop as `advocacy-bot watch`, with pywikibot's options:

    pwb watch -always -interval:30 -stream:auto              # Meta-Wiki, following its EventStreams
    python scripts/watch.py -family:advocacydev -interval:5  # no pwb.py: the dev wiki, polling

-simulate makes every pass a dry run (diffs, nothing saved, the whole tree read each time: a dry run
keeps no state); -always saves without asking.
"""

from advocacy_bot.pwb_scripts import run_script

if __name__ == "__main__":
    run_script("watch", doc=__doc__)
