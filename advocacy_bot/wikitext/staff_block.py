"""The staff list block: the one part of a target page the bot owns, and hand-written team lists.

A target page carries one block between two comments that explain themselves to editors::

    <!-- BEGIN STAFF LIST (kept by AdvocacyBot): ... -->
    ...entries...
    <!-- END STAFF LIST (kept by AdvocacyBot) -->

The block sits outside any ``<translate>`` block; inside it, each job title is an inline unit of its
own (``<translate><!--T:9--> Public Policy Director</translate>``), names are never translated, and each
entry carries its member's key (``data-staff="twielgosz"``) so that a unit's marker stays with its
member when the list is reordered or a title changes (the changed unit then shows as outdated in the
translations). Unit ids that leave the list are kept in the block as bare markers, outside any unit,
so that numbering which reads the text never hands them out again.

Reading entries is deliberately forgiving: the same reader takes the bot's own blocks and the lists
people wrote by hand (bullets, ``'''Name''' – Title`` lines, ``Region – Name, Title`` lines, definition
lists, ``<br />`` pairs, tables with or without a header, templates with ``name``/``title``). Tables and
templates are read with mwparserfromhell; line-shaped lists with a small raw-text scanner, since a
list item is a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import mwparserfromhell

from . import translate_markup
from .parsing import TooDeeplyNested, parse
from .translate_markup import MARKER, TRANSLATE_TAG, UNIT_START_MARKER, id_order, inline_unit, retired_ids, unwrap_tvars

FORMS = ("cards", "contacts")
BEGIN_LABEL = "BEGIN STAFF LIST"
END_LABEL = "END STAFF LIST"

_BEGIN = re.compile(r"<!--\s*BEGIN STAFF LIST\b(?:(?!-->).)*-->", re.S)
_END = re.compile(r"<!--\s*END STAFF LIST\b(?:(?!-->).)*-->", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_UNIT = re.compile(r"<translate(?:\s+nowrap)?\s*>(.*?)</translate\s*>", re.S | re.I)
_NOWIKI = re.compile(r"<nowiki\s*>.*?</nowiki\s*>", re.S | re.I)
_KEY_ATTR = re.compile(r"""data-staff\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>|]+))""", re.I)
_USER_LINK = re.compile(r"\[\[\s*:?\s*(?:user|benutzer)\s*:\s*([^|\]#/]+?)\s*(?:\|([^\]]*))?\]\]", re.I)
_MAILTO = re.compile(r"\[mailto:([^\s\]]+)(?:\s+[^\]]*)?\]", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BOLD = re.compile(r"'''(?!')(.+?)'''")
_BR = re.compile(r"<br\s*/?\s*>", re.I)
_LIST_PREFIX = re.compile(r"^[*#:;]+\s*")
_DASH = re.compile(r"\s+[–—-]\s+|\s*[–—]\s*")
_SEPARATORS = " ,:;–—-"
_NAME_SLOT = "\ue001"
_TITLE_SLOT = "\ue000"

# Columns of the contacts table: key, label; header words people use for each.
COLUMNS = (("name", "Name"), ("title", "Title"), ("region", "Region"), ("user", "User"), ("email", "Email"))
_COLUMN_WORDS = {
    "name": ("name", "person", "staff", "member", "who"),
    "title": ("title", "job title", "role", "position", "job"),
    "region": ("region", "area", "regions", "focus"),
    "user": ("user", "username", "user name", "account", "wiki account", "user page", "on-wiki"),
    "email": ("email", "e-mail", "mail", "contact"),
}
COLUMN_KEY_PREFIX = "column:"  # data-staff of a header cell; member keys cannot hold a colon


class BlockProblem(ValueError):
    """The page's staff block is malformed (say, two BEGIN markers); the page is left to a human."""


@dataclass(frozen=True)
class BlockSpan:
    start: int  # the BEGIN comment
    end: int  # just after the END comment
    content_start: int
    content_end: int


@dataclass(frozen=True)
class Entry:
    """One person as a list shows them; ``unit_id`` is the marker of the title's inline unit."""

    name: str
    title: str
    key: str | None = None
    region: str | None = None
    username: str | None = None
    email: str | None = None
    unit_id: str | None = None


@dataclass(frozen=True)
class StaffList:
    entries: tuple[Entry, ...]
    column_ids: dict[str, str] = field(default_factory=dict)  # contacts header: column -> unit id


@dataclass(frozen=True)
class Card:
    """What the block shows of one member (the task maps roster members to cards)."""

    key: str
    name: str
    title: str
    region: str | None = None
    username: str | None = None
    email: str | None = None
    unit_id: str | None = None  # None: a new unit, written without a marker


# -- the block ----------------------------------------------------------------------------------

def begin_comment(bot_user: str, roster_hint: str) -> str:
    return (f"<!-- {BEGIN_LABEL} (kept by {bot_user}): this list is generated from {roster_hint}. "
            f"Edits between {BEGIN_LABEL} and {END_LABEL} are replaced at the bot's next run, so change "
            "the roster instead. Text outside these two comments is never touched by the bot. -->")


def end_comment(bot_user: str) -> str:
    return f"<!-- {END_LABEL} (kept by {bot_user}) -->"


def retired_line(ids: Iterable[str]) -> str:
    """Bare markers of unit ids the list no longer uses, so that no numbering reuses them."""
    return retired_ids(ids, "Unit ids this list once used; kept here so they are never given to new text:")


def find_block(text: str) -> BlockSpan | None:
    """The managed block of ``text``, None if there is none; :class:`BlockProblem` if it is malformed."""
    begins = list(_BEGIN.finditer(text))
    ends = list(_END.finditer(text))
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1:
        raise BlockProblem(f"the page has {len(begins)} '{BEGIN_LABEL}' and {len(ends)} '{END_LABEL}' comments; "
                           "exactly one of each is needed")
    begin, end = begins[0], ends[0]
    if end.start() < begin.end():
        raise BlockProblem(f"'{END_LABEL}' comes before '{BEGIN_LABEL}'")
    return BlockSpan(begin.start(), end.end(), begin.end(), end.start())


def block_in_translate(text: str, span: BlockSpan) -> bool:
    """True when the block sits inside (or across) a ``<translate>`` block: it must stay outside.

    Read from the raw tags, as Translate reads them (``<nowiki>`` set aside), so that a block inside
    ``<translate>`` is found even where its own inline units make the nesting unreadable. The block's
    own units open and close within it.
    """
    def tags(part: str) -> list[bool]:  # True for an opening tag
        return [not m.group().startswith("</") for m in TRANSLATE_TAG.finditer(_NOWIKI.sub("", part))]

    before = tags(text[:span.start])
    inside = tags(text[span.content_start:span.content_end])
    balanced = inside == [True, False] * (len(inside) // 2)
    return bool(before and before[-1]) or not balanced


def unit_ids(text: str) -> set[str]:
    return {match.group(1) for match in MARKER.finditer(text)}


def render_block(cards: Sequence[Card], form: str, bot_user: str, roster_hint: str,
                 column_ids: dict[str, str] | None = None, retired: Iterable[str] = ()) -> str:
    """The whole block, BEGIN to END comment; deterministic, so a second run changes nothing."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    lines = [begin_comment(bot_user, roster_hint)]
    retired_text = retired_line(retired)
    if retired_text:
        lines.append(retired_text)
    lines.extend(_cards(cards) if form == "cards" else _contacts(cards, column_ids or {}))
    lines.append(end_comment(bot_user))
    return "\n".join(lines)


def replace_block(text: str, span: BlockSpan, block: str) -> str:
    return text[:span.start] + block + text[span.end:]


_QUOTES = re.compile(r"'{2,}|^'|'$")
_TILDES = re.compile(r"~{3,}")
_UNDERSCORES = re.compile(r"_{2,}")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_PROTOCOL = re.compile(r":(?=//)")


def inert(text: str) -> str:
    """Roster text as it is, never as markup: quote runs (bold, italics, and an apostrophe beside the
    bold quotes the bot puts around a name), ~~~ (a signature, new at every save), __WORD__ (magic
    words that change the whole page), entity-looking text and bare URLs are written as character
    references, which show the same characters. Brackets, braces, pipes and tags are refused by the
    roster (roster.py)."""
    text = _ENTITY.sub("&amp;", text)  # first: the references below are the bot's own
    text = _QUOTES.sub(lambda m: "&#39;" * len(m.group(0)), text)
    text = _TILDES.sub(lambda m: "&#126;" * len(m.group(0)), text)
    text = _UNDERSCORES.sub(lambda m: "&#95;" * len(m.group(0)), text)
    return _PROTOCOL.sub("&#58;", text)


def _unit(text: str, unit_id: str | None) -> str:
    """An inline translation unit; a new one has no marker (the translation-markers work numbers it)."""
    text = inert(text)
    return inline_unit(text, unit_id)


def _cards(cards: Sequence[Card]) -> list[str]:
    lines = ['<div class="ga-staff-cards" style="display:flex; flex-wrap:wrap; gap:0.75em 1.5em;">']
    for card in cards:
        lines.append(f'<div class="ga-staff-card" data-staff="{card.key}" style="flex:0 1 16em;">'
                     f"'''{inert(card.name)}'''<br />{_unit(card.title, card.unit_id)}</div>")
    lines.append("</div>")
    return lines


def _contacts(cards: Sequence[Card], column_ids: dict[str, str]) -> list[str]:
    lines = ['{| class="wikitable sortable ga-staff-contacts"']
    for column, label in COLUMNS:
        lines.append(f'! data-staff="{COLUMN_KEY_PREFIX}{column}" | {_unit(label, column_ids.get(column))}')
    for card in cards:
        user = f"[[User:{card.username}|{card.username}]]" if card.username else ""
        email = f"[mailto:{card.email} {inert(card.email)}]" if card.email else ""
        cells = [f"'''{inert(card.name)}'''", _unit(card.title, card.unit_id), inert(card.region or ""),
                 user, email]
        lines.append(f'|- data-staff="{card.key}"')
        lines.append(("| " + " || ".join(cells)).rstrip())  # no trailing blanks after empty cells
    lines.append("|}")
    return lines


# -- reading entries (the bot's blocks and hand-written lists) ----------------------------------

def read_entries(wikitext: str) -> StaffList:
    """Every person a list shows, in order, with the unit ids of their titles and of table headers."""
    entries: list[Entry] = []
    column_ids: dict[str, str] = {}
    for kind, chunk in _chunks(wikitext):
        if kind == "table":
            table_entries, table_columns = _table_entries(chunk)
            entries.extend(table_entries)
            for column, ident in table_columns.items():
                column_ids.setdefault(column, ident)
        else:
            entries.extend(_line_entries(chunk.split("\n")))
    return StaffList(tuple(entries), column_ids)


def _chunks(wikitext: str) -> list[tuple[str, str]]:
    """Split into ("table", text) and ("lines", text) pieces; tables (at any depth) found by mwparserfromhell."""
    tables = [str(tag) for tag in mwparserfromhell.parse(wikitext).filter_tags(recursive=True)
              if str(tag.tag).lower() == "table" and tag.wiki_markup]
    chunks: list[tuple[str, str]] = []
    pos = 0
    for table in tables:
        found = wikitext.find(table, pos)
        if found < 0:  # a table inside a table already taken
            continue
        chunks.append(("lines", wikitext[pos:found]))
        chunks.append(("table", table))
        pos = found + len(table)
    chunks.append(("lines", wikitext[pos:]))
    return chunks


def _line_entries(lines: list[str]) -> list[Entry]:
    entries = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        # A definition list: "; Name" then ": Title".
        if line.startswith(";") and _colon_outside_links(line[1:]) is None and index < len(lines) \
                and lines[index].lstrip().startswith(":"):
            line = f"{line} – {_LIST_PREFIX.sub('', lines[index].strip())}"
            index += 1
        entry = line_entry(line)
        if entry is not None:
            entries.append(entry)
    return entries


def line_entry(line: str) -> Entry | None:
    """The person on one line of a list, or None when the line shows no name and title."""
    body = _LIST_PREFIX.sub("", line.strip())
    if body.startswith(";"):
        body = body[1:]
    if not body or body.startswith(("{|", "|", "!", "==")):
        return None
    template = _template_entry(body)
    if template is not None:
        return template
    key = _key_attr(body)
    # Definition list on one line: "; Name : Title".
    if line.lstrip().startswith(";"):
        cut = _colon_outside_links(body)
        if cut is not None:
            body = body[:cut] + " – " + body[cut + 1:]
    title, unit_id = None, None
    unit = _UNIT.search(body)
    if unit:
        title, unit_id = _unit_text(unit.group(1))
        body = body[:unit.start()] + _TITLE_SLOT + _UNIT.sub(" ", body[unit.end():])
    username, email, body = _contacts_in(body)
    name = None
    bold = _BOLD.search(body)
    if bold and _TITLE_SLOT not in bold.group(1):
        name = plain(bold.group(1))
        body = body[:bold.start()] + _NAME_SLOT + body[bold.end():]
    body = _BR.sub(" – ", body)
    segments = [s for s in (seg.strip(_SEPARATORS) for seg in _DASH.split(plain(body))) if s]
    if not name and not title and not (line.lstrip()[:1] in "*#;:" or key or _BR.search(line) or len(segments) > 1):
        return None  # a plain line with nothing that marks it as a name/title pair
    region = None
    if name is not None and title is not None:
        rest = [s.replace(_NAME_SLOT, "").replace(_TITLE_SLOT, "").strip(_SEPARATORS) for s in segments]
        region = " – ".join(r for r in rest if r) or None
    elif name is not None:
        before, pre, post, after = _around(segments, _NAME_SLOT)
        title = " – ".join(after) if after else post or None  # "'''Name''' – Title", "'''Name''', Title"
        region = " – ".join([b for b in before + [pre] if b] + ([post] if after and post else [])) or None
    elif title is not None:
        before, pre, post, after = _around(segments, _TITLE_SLOT)
        before, after = [b for b in before + [pre] if b], [a for a in [post] + after if a]
        if before:  # "Name – <translate>Title</translate>", "Region – Name, <translate>Title</translate>"
            name, region = before[-1], " – ".join(before[:-1] + after) or None
        elif after:  # "<translate>Title</translate> – Name"
            name, region = after[0], " – ".join(after[1:]) or None
    else:
        name, title, region = _split_plain(segments)
    if not name or not title or not _looks_like_name(name):
        return None
    if region and region.startswith("(") and region.endswith(")"):
        region = region[1:-1].strip() or None  # a bold name followed by "(Europe)"
    return Entry(name, title.strip(), key, region, username, email, unit_id)


def _around(segments: list[str], slot: str) -> tuple[list[str], str, str, list[str]]:
    """Segments before the one holding ``slot``, that segment's text before and after it, the rest."""
    index = next((i for i, segment in enumerate(segments) if slot in segment), None)
    if index is None:
        return segments, "", "", []
    pre, _, post = segments[index].partition(slot)
    return segments[:index], pre.strip(_SEPARATORS), post.strip(_SEPARATORS), segments[index + 1:]


def _split_plain(segments: list[str]) -> tuple[str | None, str | None, str | None]:
    """Name, title, region from text without markup: ``Name – Title``, ``Region – Name, Title``, ``Name, Title``."""
    if len(segments) == 1:
        for separator in (", ", ": "):
            if separator in segments[0]:
                name, title = segments[0].split(separator, 1)
                return name.strip(), title.strip(), None
        return None, None, None
    if len(segments) == 2:
        first, second = segments
        if ", " in second and ", " not in first:
            name, title = second.split(", ", 1)
            return name.strip(), title.strip(), first
        return first, second, None
    if len(segments) >= 3:
        return segments[0], segments[1], " – ".join(segments[2:])
    return None, None, None


def _looks_like_name(name: str) -> bool:
    return bool(re.search(r"[^\W\d_]", name)) and len(name) <= 80 and name.count(" ") <= 6


def _template_entry(body: str) -> Entry | None:
    for template in mwparserfromhell.parse(body).filter_templates(recursive=False):
        params = {str(p.name).strip().lower(): str(p.value).strip() for p in template.params}
        if params.get("name") and params.get("title"):
            title, unit_id = params["title"], None
            unit = _UNIT.search(title)
            if unit:
                title, unit_id = _unit_text(unit.group(1))
            username = params.get("username") or params.get("user")
            return Entry(plain(params["name"]), plain(title), params.get("key") or _key_attr(body),
                         plain(params.get("region", "")) or None,
                         username or None, params.get("email") or None, unit_id)
    return None


def _table_entries(table: str) -> tuple[list[Entry], dict[str, str]]:
    node = mwparserfromhell.parse(table).nodes[0]
    if not isinstance(node, mwparserfromhell.nodes.Tag):  # the caller found a {| ... |} table here
        return [], {}
    rows: list[tuple[dict[str, str], list]] = []
    loose: list = []
    for child in node.contents.nodes:
        if not isinstance(child, mwparserfromhell.nodes.Tag):
            continue
        tag = str(child.tag).lower()
        if tag in ("th", "td"):
            loose.append(child)  # cells before the first |- form the first row
        elif tag == "tr":
            if loose:
                rows.append(({}, loose))
                loose = []
            cells = [c for c in child.contents.nodes
                     if isinstance(c, mwparserfromhell.nodes.Tag) and str(c.tag).lower() in ("th", "td")]
            rows.append((_attributes(child), cells))
    if loose:
        rows.append(({}, loose))
    columns: list[str | None] = [column for column, _ in COLUMNS]
    column_ids: dict[str, str] = {}
    entries: list[Entry] = []
    for attributes, cells in rows:
        if cells and all(str(c.tag).lower() == "th" for c in cells):
            columns = []
            for cell in cells:
                raw = str(cell.contents)
                key = _attributes(cell).get("data-staff", "")
                column = key[len(COLUMN_KEY_PREFIX):] if key.startswith(COLUMN_KEY_PREFIX) else _column_of(raw)
                columns.append(column)
                unit = _UNIT.search(raw)
                if column and unit:
                    ident = _unit_text(unit.group(1))[1]
                    if ident:
                        column_ids[column] = ident
            continue
        entry = _row_entry(attributes, [str(c.contents) for c in cells], columns)
        if entry is not None:
            entries.append(entry)
    return entries, column_ids


def _row_entry(attributes: dict[str, str], cells: list[str], columns: list[str | None]) -> Entry | None:
    values: dict[str, str] = {}
    for column, raw in zip(columns, cells, strict=False):  # a short row leaves columns empty
        if column and column not in values:
            values[column] = raw
    name_raw = values.get("name", "")
    if not name_raw.strip():
        return None
    title, unit_id = "", None
    title_raw = values.get("title", "")
    unit = _UNIT.search(title_raw)
    if unit:
        title, unit_id = _unit_text(unit.group(1))
    else:
        title = plain(title_raw)
    username = None
    for raw in (values.get("user", ""), name_raw):
        link = _USER_LINK.search(raw)
        if link:
            username = link.group(1).strip()
            break
    if username is None and plain(values.get("user", "")):
        username = plain(values["user"])
    email_raw = values.get("email", "")
    mail = _MAILTO.search(email_raw)
    bare = _EMAIL.search(email_raw)
    email = mail.group(1) if mail else (bare.group(0) if bare else None)
    name = plain(name_raw)
    if not name or not title or not _looks_like_name(name):
        return None
    return Entry(name, title, attributes.get("data-staff") or None, plain(values.get("region", "")) or None,
                 username, email, unit_id)


def _column_of(header: str) -> str | None:
    words = plain(header).casefold()
    for column, names in _COLUMN_WORDS.items():
        if words in names:
            return column
    return None


def _attributes(tag) -> dict[str, str]:
    return {str(a.name).strip().lower(): str(a.value).strip() for a in tag.attributes}


def _unit_text(inner: str) -> tuple[str, str | None]:
    """The text and marker id of an inline unit's content."""
    marker = UNIT_START_MARKER.match(inner)
    ident = marker.group(1) if marker else None
    if marker:
        inner = inner[marker.end():]
    return plain(inner), (ident if ident and ident != translate_markup.NEW_UNIT_ID else None)


def _key_attr(text: str) -> str | None:
    match = _KEY_ATTR.search(text)
    if not match:
        return None
    key = next(group for group in match.groups() if group is not None)
    return None if key.startswith(COLUMN_KEY_PREFIX) else key or None


def _contacts_in(body: str) -> tuple[str | None, str | None, str]:
    """Take the user link and e-mail out of an item; a link whose text is the name stays as the name."""
    link = _USER_LINK.search(body)
    username = link.group(1).strip() if link else None

    def drop_user_link(match: re.Match) -> str:
        label = (match.group(2) or "").strip()
        shown = plain(label)
        if not label or shown == match.group(1).strip() or shown.casefold() in ("talk", "user page", "contribs"):
            return ""
        return label

    body = _USER_LINK.sub(drop_user_link, body)
    email = None
    mail = _MAILTO.search(body)
    if mail:
        email = mail.group(1)
        body = body[:mail.start()] + body[mail.end():]
    else:
        bare = _EMAIL.search(body)
        if bare:
            email = bare.group(0)
            body = body[:bare.start()] + body[bare.end():]
    body = re.sub(r"\(\s*\)", "", body)
    return username, email, body


def _colon_outside_links(text: str) -> int | None:
    depth = 0
    for index, char in enumerate(text):
        if text.startswith("[[", index) or char == "<":
            depth += 1
        elif text.startswith("]]", index) or char == ">":
            depth = max(0, depth - 1)
        elif char == ":" and depth == 0:
            return index
    return None


def plain(wikitext: str) -> str:
    """Visible text of a bit of wikitext, whitespace collapsed (slots of the line reader survive)."""
    text = _COMMENT.sub("", unwrap_tvars(TRANSLATE_TAG.sub("", wikitext)))
    text = _BR.sub(" ", text)
    stripped = mwparserfromhell.parse(text).strip_code(normalize=True, collapse=True)
    return " ".join(stripped.replace("\xa0", " ").split())


# -- sections and adoption ----------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    heading: str
    start: int  # start of the heading line
    body_start: int  # after the heading line's newline
    end: int  # start of the next heading of the same or a higher level, or the end of the text


def heading_text(raw: str) -> str:
    return " ".join(plain(raw).casefold().split())


def sections(text: str) -> list[Section]:
    """Every heading's section (a section runs to the next heading of the same or a higher level).

    Headings are the parser's: one inside a comment, ``<pre>`` or ``<nowiki>`` is text, one inside
    ``<translate>`` (or another element) is a heading. A page too deeply nested to parse has none.
    """
    try:
        code = parse(text)
    except TooDeeplyNested:
        return []
    found: list[tuple[int, int, int, str]] = []
    for start, heading in _headings(code, 0):
        line_end = text.find("\n", start + len(str(heading)))
        body_start = len(text) if line_end < 0 else line_end + 1
        found.append((start, body_start, heading.level, str(heading.title)))
    result = []
    for index, (start, body_start, level, raw) in enumerate(found):
        end = next((s for s, _, lvl, _ in found[index + 1:] if lvl <= level), len(text))
        result.append(Section(plain(raw), start, body_start, end))
    return result


def _headings(code, offset: int) -> Iterator[tuple[int, mwparserfromhell.nodes.Heading]]:
    """The headings of ``code`` with their offsets in the text (``code`` starts at ``offset``),
    including those inside elements; not inside templates, links or comments."""
    for node in code.nodes:
        if isinstance(node, mwparserfromhell.nodes.Heading):
            yield offset, node
        elif isinstance(node, mwparserfromhell.nodes.Tag) and node.contents is not None and not node.self_closing:
            yield from _headings(node.contents, offset + _opening_length(node))
        offset += len(str(node))


def _opening_length(tag: mwparserfromhell.nodes.Tag) -> int:
    """How much of the tag's text comes before its contents (mirrors ``Tag.__str__``)."""
    attributes = "".join(str(attribute) for attribute in tag.attributes)
    if tag.wiki_markup:
        return len(tag.wiki_markup + attributes + (tag.padding or "") + (tag.wiki_style_separator or ""))
    return len(("</" if tag.invalid else "<") + str(tag.tag) + attributes + (tag.padding or "") + ">")


def find_section(text: str, heading: str) -> Section | None:
    wanted = heading_text(heading)
    return next((s for s in sections(text) if heading_text(s.heading) == wanted), None)


@dataclass(frozen=True)
class ListSpan:
    start: int  # start of the first line
    end: int  # end of the last line, its newline excluded


def find_list(text: str, section: Section) -> ListSpan | None:
    """The first list in a section: a table, or a run of lines that each show a person."""
    offset = section.body_start
    lines = text[section.body_start:section.end].split("\n")
    run_start: int | None = None
    run_end = 0
    after_term = False  # the line before was a definition list's "; Name"
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("{|") and run_start is None:
            depth, last = 0, index
            for last in range(index, len(lines)):
                depth += lines[last].strip().startswith("{|") - lines[last].strip().startswith("|}")
                if depth == 0:
                    break
            end = offset + sum(len(line) + 1 for line in lines[index:last + 1]) - 1
            if read_entries(text[offset:end]).entries:
                return ListSpan(offset, end)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (after_term and stripped.startswith(":")) or _is_list_line(line, following):
            if run_start is None:
                run_start = offset
            run_end = offset + len(line)
        elif run_start is not None:
            break
        after_term = stripped.startswith(";")
        offset += len(line) + 1
    if run_start is None:
        return None
    return ListSpan(run_start, run_end)


def _is_list_line(line: str, following: str) -> bool:
    stripped = line.strip()
    if not stripped or TRANSLATE_TAG.fullmatch(stripped) or MARKER.fullmatch(stripped):
        return False
    if stripped.startswith(";") and following.lstrip().startswith(":"):
        return True
    entry = line_entry(stripped)
    if entry is None:
        return False
    if stripped[:1] in "*#;" or _KEY_ATTR.search(stripped) or "{{" in stripped:
        return True
    # A plain "Name – Title" line: short, not a sentence.
    return len(stripped) <= 200 and not stripped.endswith(".")


@dataclass(frozen=True)
class Adoption:
    """What ``staff adopt`` found in a section, and the text that wraps its list in the block."""

    entries: tuple[Entry, ...]
    new_text: str | None  # None when the section already holds the block
    retired: tuple[str, ...] = ()
    inside_translate: bool = False


class AdoptProblem(ValueError):
    """The section cannot be adopted (not found, no list, list across a <translate> tag)."""


def adopt(text: str, heading: str, bot_user: str, roster_hint: str) -> Adoption:
    """Wrap the hand-written list of the section ``heading`` in the managed block; nothing else changes
    but what the block needs: a ``<translate>`` around the list is closed before the block and reopened
    after it, and the ids of the units the list was part of are retired (kept as bare markers)."""
    section = find_section(text, heading)
    if section is None:
        headings = ", ".join(repr(s.heading) for s in sections(text)) or "none"
        raise AdoptProblem(f"no section {heading!r} (headings: {headings})")
    span = find_block(text)
    if span is not None and section.start <= span.start < section.end:
        return Adoption(read_entries(text[span.content_start:span.content_end]).entries, None)
    if span is not None:
        raise AdoptProblem("the page already has a staff block in another section; a page holds one block")
    found = find_list(text, section)
    if found is None:
        raise AdoptProblem(f"section {section.heading!r} has no list of names and titles")
    entries = read_entries(text[found.start:found.end]).entries
    if not entries:
        raise AdoptProblem(f"section {section.heading!r} has no list of names and titles")
    parsed = translate_markup.parse(text)
    # Blocks that hold or cut the list (inline units inside its lines are part of the list).
    around = [b for b in parsed.blocks if b.start < found.end and found.start < b.end
              and not (found.start <= b.start and b.end <= found.end)]
    begin, end = begin_comment(bot_user, roster_hint), end_comment(bot_user)
    if not around:
        block = "\n".join([begin, text[found.start:found.end], end])
        return Adoption(entries, text[:found.start] + block + text[found.end:])
    block_of = around[0]
    if parsed.problems:
        raise AdoptProblem("the page's Translate markup is invalid, so the list cannot be moved out of "
                           f"<translate>: {parsed.problems[0].rule}: {parsed.problems[0].message}")
    if len(around) > 1 or not (block_of.content_start <= found.start and found.end <= block_of.content_end):
        raise AdoptProblem("the list crosses a <translate> tag; move the tag to before or after the list first")
    overlapping = [u for u in block_of.units if u.start < found.end and found.start < u.end]
    retired = tuple(sorted({u.marker.id for u in overlapping if u.marker is not None}, key=id_order))
    cuts = [_marker_cut(text, u, u.marker) for u in overlapping if u.marker is not None]
    before = _cut(text, block_of.content_start, found.start, cuts)
    after = _cut(text, found.end, block_of.content_end, cuts)
    moved = unwrap_tvars(_cut(text, found.start, found.end, cuts))
    block = "\n".join([begin] + ([retired_line(retired)] if retired else []) + [moved, end])
    if before.strip():
        head = text[:block_of.content_start] + before + ("" if before.endswith("\n") else "\n") + "</translate>\n"
    else:
        head = text[:block_of.start]
    if after.strip():
        tail = "\n<translate>" + after + text[block_of.content_end:]
    else:
        tail = text[block_of.end:]
    return Adoption(entries, head + block + tail, retired, True)


def _marker_cut(text: str, unit: translate_markup.Unit, marker: translate_markup.Marker) -> tuple[int, int]:
    """The span to delete to take a unit's ``marker`` out, with the space or newline that goes with it."""
    if marker.start == unit.start and marker.end < len(text) and text[marker.end] in " \n":
        return marker.start, marker.end + 1
    start = marker.start
    while start > unit.start and text[start - 1] in " \t":
        start -= 1
    return start, marker.end


def _cut(text: str, lo: int, hi: int, cuts: Iterable[tuple[int, int]]) -> str:
    """``text[lo:hi]`` without the ``cuts`` spans."""
    out, pos = [], lo
    for a, b in sorted(cuts):
        if b <= pos or a >= hi:
            continue
        out.append(text[pos:max(a, pos)])
        pos = min(b, hi)
    out.append(text[pos:hi])
    return "".join(out)
