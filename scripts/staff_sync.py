#!/usr/bin/env python3
"""Staff list sync, pywikibot style: `advocacy-bot staff sync`.

    python pwb.py scripts/staff_sync.py -simulate -family:meta          # through pywikibot's pwb.py
    python scripts/staff_sync.py -simulate -family:advocacydev           # without pwb.py

Options: -simulate, -always, -family:F, -lang:L, -page:TITLE, -settings:FILE, -report:FILE, -v
(advocacy_bot/pwb_scripts.py); -help lists them.
"""

from advocacy_bot.pwb_scripts import run_script

if __name__ == "__main__":
    run_script("staff_sync")
