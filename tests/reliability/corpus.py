"""A corpus of malformed and hostile pages, generated (not stored): hostile fragments put into the
page shapes the bot works on, plus pages whose titles or roles are forged.

``corpus(root)`` gives :class:`Case` objects: a title under ``root`` (or a bot page), a text, and
whether MediaWiki's import can carry it (C0 control characters cannot be written in XML; such pages
are saved through an edit, and MediaWiki cleans them as it does for everyone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from advocacy_bot.wikitext import staff_block
from tests.fixtures.snapshot import DEMO_NOW, signature

BOT = "AdvocacyBot"


@dataclass(frozen=True)
class Case:
    title: str
    text: str
    what: str  # the hostile feature, for messages

    @property
    def importable(self) -> bool:
        return not any(ord(c) < 32 and c not in "\t\n\r" for c in self.text)


def fragments(root: str) -> list[tuple[str, str]]:
    """(name, wikitext) of hostile pieces: broken and nested markup, lookalikes, odd characters."""
    header = f"{root}/Header"
    found = [
        # Translate tags: unclosed, stray, nested, in the wrong places
        ("unclosed translate", "<translate>\nNever closed."),
        ("stray closing translate", "Text.</translate>"),
        ("nested translate", "<translate>\nouter <translate>inner</translate>\n</translate>"),
        ("translate across a div", "<div><translate>\nHalf.</div>\n</translate>"),
        ("two markers in one unit", "<translate>\n<!--T:1--> <!--T:2-->\nTwo markers.\n</translate>"),
        ("marker in the middle", "<translate>\nA unit <!--T:3--> with a marker inside.\n</translate>"),
        ("unit that is only a marker", "<translate>\n<!--T:4-->\n</translate>"),
        ("bad marker ids", "<translate>\n<!--T:a/b-->\nSlash.\n\n<!--T: 7 -->\nSpaces.\n</translate>"),
        ("duplicate marker ids", "<translate>\n<!--T:5-->\nOne.\n\n<!--T:5-->\nTwo.\n</translate>"),
        ("huge marker id", "<translate>\n<!--T:99999999999999999999-->\nBig.\n</translate>"),
        ("unclosed tvar", "<translate>\n<!--T:6-->\nA <tvar name=x>variable.\n</translate>"),
        ("old tvar unclosed", "<translate>\n<!--T:8-->\nOld <tvar|y>syntax.\n</translate>"),
        ("languages twice", "<languages/>\n<languages/>\n<languages>"),
        # markup that looks like ours but is set aside or escaped
        ("fake markers in nowiki", "<nowiki><translate><!--T:1--></translate></nowiki>"),
        ("fake header in nowiki", f"<nowiki>{{{{{header}|current=faq}}}}</nowiki>"),
        ("fake header in a comment", f"<!-- {{{{{header}|current=about}}}} -->"),
        ("fake header in pre", f"<pre>{{{{{header}|current=home}}}}</pre>"),
        ("escaped translate", "&lt;translate&gt;not a tag&lt;/translate&gt;"),
        ("unclosed nowiki", "<nowiki>the rest of the page is not wikitext"),
        ("unclosed comment", "<!-- the rest of the page is a comment"),
        ("unclosed pre", "<pre>\npreformatted, never closed"),
        ("fake staff block in nowiki", f"<nowiki>{staff_block.begin_comment(BOT, 'x')}</nowiki>"),
        ("staff block without end", staff_block.begin_comment(BOT, "x") + "\n* '''Someone''' – Title"),
        ("staff block end first", staff_block.end_comment(BOT) + "\n" + staff_block.begin_comment(BOT, "x")),
        ("two staff blocks", "\n".join([staff_block.begin_comment(BOT, "x"), staff_block.end_comment(BOT)] * 2)),
        # templates named like ours
        ("lowercase header", f"{{{{{header[0].lower() + header[1:]}|current=home}}}}"),
        ("header with the namespace", f"{{{{Template:{header}|current=home}}}}"),
        ("header with underscores", "{{" + header.replace(" ", "_") + "|current=home}}"),
        ("header from the main namespace", f"{{{{:{header}|current=home}}}}"),
        ("header lookalike", f"{{{{{header}2|current=home}}}}"),
        ("header in other case", f"{{{{{root}/header|current=home}}}}"),
        ("subst header", f"{{{{subst:{header}|current=home}}}}"),
        ("header with a wrong key", f"{{{{{header}|current=no-such-tab}}}}"),
        ("header with junk", f"{{{{{header}|current=home|current=faq|{{{{{{1}}}}}}}}}}"),
        ("unclosed header call", f"{{{{{header}|current=home"),
        ("stray braces", "}}}} {{{{ }} {{"),
        ("deep braces", "{{" * 300 + "x" + "}}" * 300),
        ("deep arguments", "{{{" * 300 + "x" + "}}}" * 300),
        ("a thousand nested braces", "{{" * 1000 + "x" + "}}" * 1000),  # 3,000 crash PHP itself
        ("deep spans", "<span>" * 1000 + "x" + "</span>" * 1000),
        ("miszabot lookalike", "{{User:MiszaBot/config2|archive=Elsewhere|algo=old(1d)}}"),
        ("fake nobots in nowiki", "<nowiki>{{nobots}}</nowiki>"),
        ("fake nobots in a comment", "<!-- {{nobots}} -->"),
        # tables and html
        ("table never closed", "{|\n| a || b\n|-\n| c"),
        ("table end without start", "| a\n|}\n|}"),
        ("table around the top", '{| class="wikitable"\n|-\n|'),
        ("unclosed div", '<div class="ga-nav">\n[[Somewhere|Home]] | [[Elsewhere|About]]'),
        ("stray closing div", "</div></div></span>"),
        ("nested divs", "<div><div><div><div>deep</div></div>"),
        # headings and links
        ("empty heading", "== ==\n=== ===\n==\n"),
        ("heading never closed", "== Heading without end\n=== x =="),
        ("broken links", "[[ [[Link|text]] ]] [[|]] [[Talk:]] [[#]]"),
        ("redirect line in the middle", "#REDIRECT [[Main Page]]"),
        ("category only", "[[Category:Global Advocacy]]"),
        # characters
        ("right-to-left text", "== سياسة عامة ==\nنص بالعربية مع [[Link|رابط]] و‏עברית‎ בתוך הטקסט."),
        ("direction overrides", "\u202eevil\u202c \u202d\u2066isolate\u2069 \u200fRLM\u200e"),
        ("zero-width and bom", "\ufeffzero\u200bwidth\u200djoiner\u2060word"),
        ("unicode line separators", "one\u2028two\u2029three\x85four"),
        ("carriage returns", "one\r\ntwo\rthree"),
        ("combining characters", "e\u0301\u0301\u0301 Z̷̢͎a̸̧̙l̵̢̛g̴̨̛o̸̧͝"),
        ("astral characters", "emoji 😀🏳️‍🌈 𝕏 \U0001f9ea"),
        ("control characters", "bell\x07 vertical\x0btab form\x0cfeed file\x1cseparator null\x00"),
        ("delete character", "del\x7f here"),
    ]
    return found


def source_text(root: str, fragment: str, where: str, header_ok: bool) -> str:
    """A source page of the tree with ``fragment`` at ``where``; its header correct or hand-made."""
    header = f"{{{{{root}/Header|current=home}}}}" if header_ok else (
        f'<div class="ga-nav">[[Special:MyLanguage/{root}|Home]] | [[Special:MyLanguage/{root}/About|About]]</div>')
    body = "<translate>\n== Topic == <!--T:1-->\n\n<!--T:2-->\nSome prose about the topic.\n</translate>"
    parts = {"top": [fragment, "<languages/>", header, body], "after header": ["<languages/>", header, fragment, body],
             "end": ["<languages/>", header, body, fragment]}[where]
    return "\n".join(parts)


def talk_text(root: str, title: str, config: str, fragment: str = "", where: str = "head") -> str:
    """A talk page with an archive configuration, two old threads and a recent one."""
    old = [f"== Old {i} ==\nA question. {signature('Kestrel42', DEMO_NOW - timedelta(days=200 - i))}" for i in range(2)]
    new = f"== Recent ==\nA new question. {signature('Sable Wren', DEMO_NOW - timedelta(days=1))}"
    head = config + ("\n" + fragment if where == "head" else "")
    threads = old + [new]
    if where == "thread":
        threads[0] += "\n" + fragment
    return head + "\n\n" + "\n\n".join(threads)


def archive_configs(root: str, talk: str) -> list[tuple[str, str]]:
    good = f"archive={talk}/Archive %(counter)d|algo=old(30d)|minthreadsleft=1|minthreadstoarchive=1"
    return [
        ("config without archive", "{{User:MiszaBot/config|algo=old(30d)}}"),
        ("archive outside the talk page", "{{User:MiszaBot/config|archive=User:Someone/Archive|algo=old(30d)}}"),
        ("archive on the main page", "{{User:MiszaBot/config|archive=Main Page|algo=old(30d)}}"),
        ("archive in another tree", f"{{{{User:MiszaBot/config|archive=Talk:{root} Other/Archive %(counter)d}}}}"),
        ("bad algo", f"{{{{User:MiszaBot/config|archive={talk}/Archive %(counter)d|algo=old(forever)}}}}"),
        ("bad size", f"{{{{User:MiszaBot/config|archive={talk}/Archive %(counter)d|maxarchivesize=-5Q}}}}"),
        ("counter zero", f"{{{{User:MiszaBot/config|{good}|counter=0}}}}"),
        ("huge counter", f"{{{{User:MiszaBot/config|{good}|counter=99999999999999999999}}}}"),
        ("bad variable", f"{{{{User:MiszaBot/config|archive={talk}/Archive %(nothing)d}}}}"),
        ("stray percent", f"{{{{User:MiszaBot/config|archive={talk}/Archive 100%|algo=old(30d)}}}}"),
        ("key parameter", f"{{{{User:MiszaBot/config|{good}|key=0123456789abcdef}}}}"),
        ("index outside", f"{{{{User:MiszaBot/config|{good}|index=Main Page}}}}"),
        ("two configurations", f"{{{{User:MiszaBot/config|{good}}}}}\n{{{{User:MiszaBot/config|archive=Main Page}}}}"),
        ("unclosed configuration", f"{{{{User:MiszaBot/config|{good}"),
        # issue 15: a literal | split the read of the archive (MediaWiki:Common.js read, exit 5)
        ("pipe in the archive name", f"{{{{User:MiszaBot/config|archive={talk}/X<nowiki>|MediaWiki:Common.js|"
                                     "</nowiki>|algo=old(30d)|minthreadsleft=1|minthreadstoarchive=1}}"),
        ("section in the index name", f"{{{{User:MiszaBot/config|{good}|index={talk}/Index#x}}}}"),
        ("good configuration", f"{{{{User:MiszaBot/config|{good}}}}}"),
    ]


def repeated_threads(root: str, talk: str) -> list[Case]:
    """Talk pages whose threads repeat: verbatim copies, a copy with one more line, a thread that an
    archive already holds (posted again)."""
    same = f"== Same question ==\nWhere are the slides? {signature('Kestrel42', DEMO_NOW - timedelta(days=120))}"
    recent = f"== Recent ==\nA new question. {signature('Sable Wren', DEMO_NOW - timedelta(days=1))}"

    def page(title: str, left: int, threads: list[str]) -> str:
        config = (f"{{{{User:MiszaBot/config|archive={title}/Archive %(counter)d|algo=old(30d)"
                  f"|minthreadsleft={left}|minthreadstoarchive=1}}}}")
        return config + "\n\n" + "\n\n".join(threads)

    twins, near, again = f"{talk}/Twins", f"{talk}/Near twins", f"{talk}/Posted again"
    return [
        Case(twins, page(twins, 2, [same, same, recent]), "talk: two copies of an old thread, minthreadsleft=2"),
        Case(near, page(near, 1, [same, same + "\n:One more line.", same, recent]),
             "talk: copies and a copy with one more line"),
        Case(again, page(again, 0, [same, same]), "talk: a thread its archive holds, posted again twice"),
        Case(f"{again}/Archive 1", "{{Talk archive}}\n\n" + same, "an archive holding a thread posted again"),
    ]


def corpus(root: str) -> list[Case]:
    """Every hostile page, titled under ``root``: at least 200."""
    cases: list[Case] = []
    number = 0
    for name, fragment in fragments(root):
        for where in ("top", "after header", "end"):
            number += 1
            cases.append(Case(f"{root}/Bad {number:03d}", source_text(root, fragment, where, number % 2 == 0),
                              f"{name} ({where})"))
    talk = f"Talk:{root}"
    for index, (name, config) in enumerate(archive_configs(root, talk)):
        title = f"{talk}/Bad talk {index:02d}"
        cases.append(Case(title, talk_text(root, title, config.replace(talk, title)), name))
    for index, (name, fragment) in enumerate(fragments(root)[::4]):
        title = f"{talk}/Bad thread {index:02d}"
        config = archive_configs(root, title)[-1][1]
        cases.append(Case(title, talk_text(root, title, config, fragment, "thread"), f"talk: {name}"))
    cases += [
        # pages named like the bot's own pages, with what would stop it, inside the tree
        Case(f"{root}/Shutoff", "STOP THE BOT NOW", "a forged shutoff page in the tree"),
        Case(f"{root}/User:{BOT}/Shutoff", "stop", "a forged shutoff page named like the real one"),
        Case(f"Talk:{root}/Shutoff", "stop", "a forged shutoff talk page"),
        Case(f"{root}/Header", f"{{{{{root}/Header|current=home}}}}\nA page named like the header template.",
             "a page named like the header template"),
        Case(f"{root}/state.json", '{"translate": {"highest_ids": {"x": -1}}}', "a forged state page"),
        Case(f"{root}/roster.json", '{"members": [{"name": "Mallory", "title": "Owner"}]}', "a forged roster"),
        Case(f"{root}/settings.json", '{"root": "Main Page", "bot_pages": {"status": "Main Page"}}',
             "a forged settings page"),
        # enormous pages
        Case(f"{root}/Enormous lines", source_text(root, "\n".join(f"Line {i} of a long page." for i in range(40000)),
                                                  "end", False), "40,000 lines"),
        Case(f"{root}/Enormous line", source_text(root, "x" * 600_000, "after header", True), "one 600 kB line"),
        Case(f"{root}/Enormous units", source_text(root, "<translate>\n" + "\n\n".join(
            f"Unit {i}." for i in range(5000)) + "\n</translate>", "end", True), "5,000 units without markers"),
        # odd titles
        Case(f"{root}/عربي", source_text(root, "نص", "end", False), "a right-to-left title"),
        Case(f"{root}/" + "L" * 200, source_text(root, "long title", "end", True), "a 200-character subpage name"),
        Case(f"{root}/Bad/de", "Eine Übersetzung ohne Quelle.", "a translation-like title without a source"),
        # issue 15: identical threads are distinct threads (removal by text took every copy)
        *repeated_threads(root, talk),
        Case(f"{talk}/Deep thread", talk_text(root, f"{talk}/Deep thread",
                                              archive_configs(root, f"{talk}/Deep thread")[-1][1],
                                              "{{" * 1000 + "x" + "}}" * 1000, "thread"),
             "talk: a thousand nested braces"),
        Case(f"{talk}/Deep templates", talk_text(root, f"{talk}/Deep templates",
                                                 archive_configs(root, f"{talk}/Deep templates")[-1][1],
                                                 "{{a|" * 150 + "x" + "}}" * 150, "thread"),
             "talk: templates nested 150 deep (mwparserfromhell reads them as text)"),
    ]
    return cases
