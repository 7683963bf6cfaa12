#!/usr/bin/env python3
"""Talk-page archiving: old and resolved threads moved to their archives, nothing lost.

The same run as `advocacy-bot archive`, with pywikibot's options:

    pwb archive -simulate -page:"Talk:Global Advocacy"       # the folder registered in user-config.py
    python pwb.py scripts/archive.py -simulate -family:meta  # pywikibot's pwb.py, any folder
    python scripts/archive.py -simulate -family:advocacydev  # no pwb.py: the dev wiki

-simulate shows the diffs and saves nothing; -always saves without asking.
"""

from advocacy_bot.pwb_scripts import run_script

if __name__ == "__main__":
    run_script("archive", doc=__doc__)
