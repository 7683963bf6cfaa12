#!/usr/bin/env python3
"""Every task in one run (the main job): header, staff lists, translation, archiving, status.

The same run as `advocacy-bot run-all`, with pywikibot's options:

    pwb run_all -simulate -skip:staff                        # the folder registered in user-config.py
    python pwb.py scripts/run_all.py -simulate -family:meta  # pywikibot's pwb.py, any folder
    python scripts/run_all.py -simulate -family:advocacydev  # no pwb.py: the dev wiki

-simulate shows the diffs and saves nothing; -always saves without asking.
"""

from advocacy_bot.pwb_scripts import run_script

if __name__ == "__main__":
    run_script("run_all", doc=__doc__)
