#!/usr/bin/env python3
"""Talk-page archiving, pywikibot style: `advocacy-bot archive`.

    python pwb.py scripts/archive.py -simulate -family:meta          # through pywikibot's pwb.py
    python scripts/archive.py -simulate -family:advocacydev           # without pwb.py

Options: -simulate, -always, -family:F, -lang:L, -page:TITLE, -settings:FILE, -report:FILE, -v
(advocacy_bot/pwb_scripts.py); -help lists them.
"""

from advocacy_bot.pwb_scripts import run_script

if __name__ == "__main__":
    run_script("archive")
