#!/usr/bin/env python3
"""Staff list sync: every team list of the tree in step with one roster.

The same run as `advocacy-bot staff sync`, with pywikibot's options:

    pwb staff_sync -simulate -force                             # the folder registered in user-config.py
    python pwb.py scripts/staff_sync.py -simulate -family:meta  # pywikibot's pwb.py, any folder
    python scripts/staff_sync.py -simulate -family:advocacydev  # no pwb.py: the dev wiki

-simulate shows the diffs and saves nothing; -always saves without asking.
"""

from advocacy_bot.pwb_scripts import run_script

if __name__ == "__main__":
    run_script("staff_sync", doc=__doc__)
