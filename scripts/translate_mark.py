#!/usr/bin/env python3
"""Translation markers: unit markers kept valid, pages marked for translation.

The same run as `advocacy-bot translate mark`, with pywikibot's options:

    pwb translate_mark -simulate                                    # the folder registered in user-config.py
    python pwb.py scripts/translate_mark.py -simulate -family:meta  # pywikibot's pwb.py, any folder
    python scripts/translate_mark.py -simulate -family:advocacydev  # no pwb.py: the dev wiki

-simulate shows the diffs and saves nothing; -always saves without asking.
"""

from advocacy_bot.pwb_scripts import run_script

if __name__ == "__main__":
    run_script("translate_mark", doc=__doc__)
