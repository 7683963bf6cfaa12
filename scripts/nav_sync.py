#!/usr/bin/env python3
"""Navigation header sync: one tab bar, from the settings, on every source page of the tree.

The same run as `advocacy-bot nav sync`, with pywikibot's options:

    pwb nav_sync -simulate -page:"Global Advocacy/FAQ"        # the folder registered in user-config.py
    python pwb.py scripts/nav_sync.py -simulate -family:meta  # pywikibot's pwb.py, any folder
    python scripts/nav_sync.py -simulate -family:advocacydev  # no pwb.py: the dev wiki

-simulate shows the diffs and saves nothing; -always saves without asking.
"""

from advocacy_bot.pwb_scripts import run_script

if __name__ == "__main__":
    run_script("nav_sync", doc=__doc__)
