"""Navigation headers at the top of a page: finding them, and putting the one template call in their place.

A page's header is ``{{<template>|current=<key>}}`` on its own line at the very top, or right after a
leading ``<languages/>`` line, outside any ``<translate>`` block. :func:`place_header` makes a page so:

- **Calls** of the header template anywhere on the page (outside comments and ``<nowiki>``) are found.
  A correct call at the top is kept as written (odd spacing or a comment inside is no reason for an
  edit); every other call goes: a wrong or missing ``current``, extra parameters, duplicates, a call
  inside ``<translate>``.
- **Legacy bars**: a block at the top of the page, before any heading or prose, that holds at least
  three links to tab targets or to pages under a legacy root, and nothing else but link labels,
  separators and the markup that lays them out (a div, a table, a list, bold...). Links to other pages
  of the tree may sit among them (a renamed tab that still links to its old title, now a redirect).
- A removal that empties a translation unit takes the unit's marker with it (Translate refuses a unit
  that is only a marker); a block left without units goes entirely.
- Everything else stays byte for byte. A top block that links to three or more tab pages but is not a
  pure bar is **ambiguous**: removing it could lose content and putting the call above it would show two
  tab bars, so the page is left for a human (``ambiguous-header``). So is a page whose Translate markup is
  already broken where something must be removed, and any edit that would break it.

Why a raw-text scanner for the top of the page: the rule is about lines and blocks (what comes first,
what sits on its own line, where a unit starts), which a wikitext tree does not keep. Each block's
*content* is judged on mwparserfromhell's tree, where links, labels, tags and templates are told apart
properly. Translate's units come from :mod:`advocacy_bot.wikitext.translate_markup`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mwparserfromhell import nodes as mw

from ..tree import in_tree
from .parsing import TooDeeplyNested, parse
from .titles import has_namespace, normalize_title
from .translate_markup import parse as parse_translate

__all__ = ["MIN_BAR_LINKS", "HeaderSpec", "HeaderFix", "Call", "Bar", "HeaderScan", "call_name", "header_call",
           "link_target", "place_header", "scan"]

MIN_BAR_LINKS = 3
# A call that MediaWiki replaces by the template's text when the page is saved (by anyone, the bot too).
_SUBST = re.compile(r"^\s*(?:safe)?subst\s*:\s*", re.I)

# Comments are invisible (and include Translate's unit markers); <nowiki> and the like are visible text
# that is no markup. Both are masked (same length) so that the scanner sees structure only.
_HIDDEN, _OPAQUE = "\x01", "\x02"
_MASKED = re.compile(r"(?P<comment><!--.*?(?:-->|\Z))"
                     r"|(?P<opaque><(?P<tag>nowiki|pre|syntaxhighlight|source|math)(?:\s[^<>]*?)?(?<!/)>"
                     r".*?</(?P=tag)\s*>)", re.S | re.I)
# What the top-of-page scan steps over: whitespace, comments and markers, Translate's tags, the language bar.
_TRANSPARENT = re.compile(r"(?:[ \t\r\n\x01]+|<translate>|<translate nowrap>|</translate>|<languages\s*/>)+")
_TRANSLATE_TAG = re.compile(r"<translate>|<translate nowrap>|</translate>")
_LANGUAGES_LINE = re.compile(r"[ \t\x01]*<languages\s*/>[ \t\x01]*")
_ELEMENTS = ("div", "table", "center", "span", "small", "big", "p", "ul", "ol", "dl", "nav", "font", "b",
             "i", "strong", "em")
_ELEMENT_OPEN = re.compile(r"<(" + "|".join(_ELEMENTS) + r")(?=[\s>/])[^<>]*>", re.I)
_LAYOUT_TAGS = frozenset(_ELEMENTS) | {"tr", "td", "th", "li", "dt", "dd", "br", "hr", "translate"}
_BEHAVIOUR_SWITCH = re.compile(r"__[A-Z]+__")
# Templates that only draw a separator, as hand-made bars use them ({{·}}, {{!}}, {{dot}}).
_SEPARATOR_TEMPLATES = frozenset({"·", "•", "!", "-", "dot", "middot", "bull", "bullet", "pipe", "spaces",
                                  "nbsp", "ndash", "mdash", "sep", "separator"})
_NOT_TAB_LINKS = ("File:", "Image:", "Media:", "Category:")


@dataclass(frozen=True)
class HeaderSpec:
    """What counts as a header: the template, the tabs' targets, the tree and the legacy roots."""

    template: str  # full title, e.g. "Template:Global Advocacy/Header"
    tab_targets: frozenset[str]
    root: str
    legacy_roots: tuple[str, ...] = ()

    def is_header_link(self, target: str) -> bool:
        return target in self.tab_targets or any(in_tree(target, legacy) for legacy in self.legacy_roots)


@dataclass(frozen=True)
class Call:
    """A call of the header template; ``start``/``end`` span it in the page text."""

    start: int
    end: int
    current: str | None  # the current= value (stripped, comments removed), None when absent
    canonical: bool  # no parameter besides current=, not substituted
    in_translate: bool = False
    substituted: bool = False  # {{subst:...}}: the next save would paste a second header into the page

    def correct_for(self, key: str | None) -> bool:
        return self.canonical and self.current == key


@dataclass(frozen=True)
class Bar:
    """A hand-made tab bar at the top of the page."""

    start: int
    end: int
    links: int


@dataclass(frozen=True)
class HeaderScan:
    calls: tuple[Call, ...]
    bars: tuple[Bar, ...]
    ambiguous: str | None  # why the top of the page cannot be told from content


@dataclass(frozen=True)
class HeaderFix:
    """The page with its one correct header; ``notes`` say what changed, for the edit summary."""

    text: str
    notes: tuple[str, ...]
    ambiguous: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.notes)


# -- titles and calls -----------------------------------------------------------------------------

def call_name(template: str) -> str:
    """How a page calls ``template``: ``Global Advocacy/Header`` for ``Template:Global Advocacy/Header``."""
    prefix, colon, rest = template.partition(":")
    if colon and prefix == "Template":
        return rest
    return template if has_namespace(template) else f":{template}"


def header_call(template: str, key: str | None) -> str:
    """The canonical call: ``{{Global Advocacy/Header|current=faq}}`` (no parameter without a tab)."""
    return "{{" + call_name(template) + (f"|current={key}" if key is not None else "") + "}}"


def _called_title(name: str) -> str:
    """The page a template call with this name transcludes (or substitutes: ``subst:``)."""
    name = _SUBST.sub("", re.sub(r"[\s_\x01]+", " ", name).strip())
    if name.startswith(":"):
        return normalize_title(name[1:])
    if has_namespace(name):
        return normalize_title(name)
    return normalize_title("Template:" + name)


def link_target(raw: str, page_title: str) -> str:
    """The page a wikilink points to: relative links resolved, ``Special:MyLanguage/`` and fragments dropped."""
    target = re.sub(r"<!--.*?-->", "", raw, flags=re.S).replace("_", " ").strip()
    if target.startswith("/"):
        target = page_title + target.rstrip("/")
    elif target.startswith("../"):
        base = page_title
        while target.startswith("../"):
            base, target = base.rpartition("/")[0], target[3:]
        target = f"{base}/{target}".rstrip("/") if target else base
    target = normalize_title(target.partition("#")[0])
    if target.lower().startswith("special:mylanguage/"):
        target = normalize_title(target[len("special:mylanguage/"):])
    return target


# -- masking and blocks ---------------------------------------------------------------------------

def _mask(text: str) -> str:
    """``text`` with comments and <nowiki>-like spans replaced by filler of the same length."""
    def fill(match: re.Match) -> str:
        return (_HIDDEN if match.group("comment") else _OPAQUE) * len(match.group())
    return _MASKED.sub(fill, text)


def _line_end(masked: str, pos: int) -> int:
    end = masked.find("\n", pos)
    return len(masked) if end < 0 else end


def _line_start(masked: str, pos: int) -> int:
    return masked.rfind("\n", 0, pos) + 1


def _cut_at_translate_tag(masked: str, start: int, end: int) -> int:
    tag = _TRANSLATE_TAG.search(masked, start, end)
    return tag.start() if tag else end


def _braces_end(masked: str, start: int) -> int | None:
    """End of the ``{{...}}`` that starts at ``start`` (nesting counted), or None when unclosed."""
    depth, i = 0, start
    while i < len(masked):
        if masked.startswith("{{", i):
            depth, i = depth + 1, i + 2
        elif masked.startswith("}}", i):
            depth, i = depth - 1, i + 2
            if depth == 0:
                return i
        else:
            i += 1
    return None


def _element_end(masked: str, start: int, name: str) -> int | None:
    """End of the HTML element opened at ``start`` (same-name nesting counted), or None when unclosed."""
    tags = re.compile(r"<(/?)" + re.escape(name) + r"(?=[\s>/])[^<>]*>", re.I)
    depth = 0
    for tag in tags.finditer(masked, start):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return tag.end()
        elif not tag.group().endswith("/>"):
            depth += 1
    return None


def _table_end(masked: str, start: int) -> int | None:
    depth, pos = 0, start
    while pos < len(masked):
        end = _line_end(masked, pos)
        line = masked[pos:end].lstrip(" \t\x01")
        if line.startswith("{|"):
            depth += 1
        elif line.startswith("|}"):
            depth -= 1
            if depth == 0:
                return end
        pos = end + 1
    return None


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\r\x01")


def _plain_lines_end(masked: str, start: int) -> int:
    """A run of plain lines: to a blank line, a line that starts other markup, or a Translate tag."""
    end = _cut_at_translate_tag(masked, start, _line_end(masked, start))
    while end < len(masked) and masked[end] == "\n":
        nxt = end + 1
        line = masked[nxt:_line_end(masked, nxt)]
        if _is_blank(line) or line[:1] in "<{=*#:;|!-" or _TRANSLATE_TAG.search(line):
            break
        end = _line_end(masked, nxt)
    return end


def _block_end(masked: str, pos: int) -> tuple[str, int | None]:
    """The kind of block that starts at ``pos`` and where it ends (None: it never closes)."""
    line = masked[pos:_line_end(masked, pos)]
    bare = line.replace(_HIDDEN, "").strip()
    if bare.startswith("=") and bare.endswith("=") and len(bare) > 1:
        return "heading", None
    if line.startswith("{|"):
        return "table", _table_end(masked, pos)
    element = _ELEMENT_OPEN.match(masked, pos)
    if element and not element.group().endswith("/>"):
        end = _element_end(masked, pos, element.group(1))
        return "element", end if end is None else _cut_at_translate_tag(masked, end, _line_end(masked, end))
    if line.startswith("{{"):
        end = _braces_end(masked, pos)
        return "template", end if end is None else _cut_at_translate_tag(masked, end, _line_end(masked, end))
    if line[:1] in "*#:;":
        end = _line_end(masked, pos)
        while end + 1 < len(masked) and masked[end + 1:end + 2] in ("*", "#", ":", ";"):
            end = _line_end(masked, end + 1)
        return "list", end
    return "lines", _plain_lines_end(masked, pos)


# -- judging a block ------------------------------------------------------------------------------

@dataclass
class _Contents:
    header_links: int = 0
    other_links: int = 0  # links outside the tree and the legacy roots: no bar
    other_markup: bool = False  # templates, external links, images...: no bar
    prose: bool = False  # letters or digits outside link labels
    heading: bool = False


def _judge(raw: str, page_title: str, spec: HeaderSpec) -> _Contents:
    contents = _Contents()
    _walk(parse(raw).nodes, page_title, spec, contents)
    return contents


def _walk(nodes: Iterable, page_title: str, spec: HeaderSpec, out: _Contents) -> None:
    for node in nodes:
        if isinstance(node, mw.Wikilink):
            target = link_target(str(node.title), page_title)
            if target.startswith(_NOT_TAB_LINKS):
                out.other_markup = True
            elif spec.is_header_link(target):
                out.header_links += 1
            elif not in_tree(target, spec.root):
                out.other_links += 1
        elif isinstance(node, mw.Text):
            if any(ch.isalnum() for ch in _BEHAVIOUR_SWITCH.sub("", str(node))):
                out.prose = True
        elif isinstance(node, mw.HTMLEntity):
            if any(ch.isalnum() for ch in node.normalize()):
                out.prose = True
        elif isinstance(node, mw.Tag):
            if str(node.tag).strip().lower() not in _LAYOUT_TAGS:
                out.other_markup = True
            if node.contents is not None:
                _walk(node.contents.nodes, page_title, spec, out)
        elif isinstance(node, mw.Template):
            if _template_name(node).lower() not in _SEPARATOR_TEMPLATES:
                out.other_markup = True
        elif isinstance(node, mw.Heading):
            out.heading = True
        elif not isinstance(node, mw.Comment):
            out.other_markup = True  # external links, arguments, ...


def _template_name(template: mw.Template) -> str:
    return re.sub(r"<!--.*?-->", "", str(template.name), flags=re.S).strip()


# -- scanning -------------------------------------------------------------------------------------

def _find_calls(text: str, masked: str, spec: HeaderSpec) -> list[Call]:
    blocks = parse_translate(text).blocks
    wanted = normalize_title(spec.template)
    calls = []
    for opening in re.finditer(r"\{\{([^{}|]*)", masked):
        start = opening.start()
        if masked.startswith("{{{", start) or _called_title(opening.group(1)) != wanted:
            continue
        end = _braces_end(masked, start)
        if end is None:
            continue
        parsed = parse(text[start:end]).nodes
        if len(parsed) != 1 or not isinstance(parsed[0], mw.Template):
            continue
        params = parsed[0].params
        current = None
        for param in params:
            if str(param.name).strip() == "current":
                current = re.sub(r"<!--.*?-->", "", str(param.value), flags=re.S).strip()
        substituted = bool(_SUBST.match(opening.group(1)))
        canonical = (all(str(param.name).strip() == "current" for param in params) and len(params) <= 1
                     and not substituted)
        in_translate = any(b.content_start <= start and end <= b.content_end for b in blocks)
        calls.append(Call(start, end, current, canonical, in_translate, substituted))
    return calls


def _scan_top(text: str, masked: str, page_title: str, spec: HeaderSpec) -> tuple[list[Bar], str | None]:
    """Legacy bars among the blocks before the first heading or prose; or why the top is ambiguous."""
    bars: list[Bar] = []
    pos = 0
    while True:
        skip = _TRANSPARENT.match(masked, pos)
        if skip:
            pos = skip.end()
        if pos >= len(masked):
            return bars, None
        kind, end = _block_end(masked, pos)
        if kind == "heading":
            return bars, None
        line_no = text.count("\n", 0, pos) + 1
        if end is None:
            # An element that never closes wraps the rest of the page: content, unless it holds a bar.
            rest = _judge(text[pos:], page_title, spec)
            if rest.header_links >= MIN_BAR_LINKS:
                return bars, f"the {kind} at line {line_no} holds tab links but never closes"
            return bars, None
        contents = _judge(text[pos:end], page_title, spec)
        pure = not (contents.prose or contents.heading or contents.other_markup or contents.other_links)
        if contents.header_links >= MIN_BAR_LINKS:
            if not pure:
                return bars, (f"the block at line {line_no} links to {contents.header_links} tab pages but "
                              "also holds other content; it cannot be told from a hand-made tab bar")
            bars.append(Bar(pos, end, contents.header_links))
        elif contents.prose or contents.heading:
            return bars, None
        pos = max(end, pos + 1)


def scan(text: str, page_title: str, spec: HeaderSpec) -> HeaderScan:
    """Every header template call on the page and every legacy bar at its top."""
    return _scan(text, page_title, spec)[1]


def _scan(text: str, page_title: str, spec: HeaderSpec) -> tuple[str, HeaderScan]:
    """The masked text, and :func:`scan`'s answer (a page too deep to read is ambiguous)."""
    masked = _mask(text)
    try:
        bars, ambiguous = _scan_top(text, masked, page_title, spec)
        return masked, HeaderScan(tuple(_find_calls(text, masked, spec)), tuple(bars), ambiguous)
    except TooDeeplyNested as error:
        return masked, HeaderScan((), (), str(error))


# -- replacing ------------------------------------------------------------------------------------

def _top_position(masked: str) -> int:
    """Where the header goes: the very top, or after a leading <languages/> line."""
    first = masked[:_line_end(masked, 0)]
    if _LANGUAGES_LINE.fullmatch(first):
        return min(len(first) + 1, len(masked))
    return 0


def _own_line_at_top(masked: str, call: Call) -> bool:
    start = _line_start(masked, call.start)
    rest = masked[call.end:_line_end(masked, call.end)]
    return (start == call.start and start in (0, _top_position(masked)) and _is_blank(rest))


def _expand_to_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """A removal that leaves only whitespace on its lines takes the lines (and one blank line next to it)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return start, end
    if line_end == len(text):
        return max(line_start - 1, 0), line_end
    start, end = line_start, line_end + 1
    previous_blank = start == 0 or not text[text.rfind("\n", 0, start - 1) + 1:start - 1].strip()
    next_end = text.find("\n", end)
    if previous_blank and next_end >= 0 and not text[end:next_end].strip():
        end = next_end + 1
    return start, end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _removal_spans(text: str, removals: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[str], str | None]:
    """Spans to delete for ``removals``, the ids of units they empty, or why they cannot be made safely."""
    page = parse_translate(text)
    if page.problems and removals:
        first = page.problems[0]
        return [], [], f"its Translate markup is already invalid (line {first.line}: {first.rule}); fix that first"
    plain: list[tuple[int, int]] = []
    inside: dict[tuple[int, int], list[tuple[int, int]]] = {}  # (block, unit) index -> spans in that unit
    for start, end in removals:
        for b, block in enumerate(page.blocks):
            if block.end <= start or end <= block.start or (start <= block.start and block.end <= end):
                continue
            index = next((u for u, unit in enumerate(block.units) if unit.start <= start and end <= unit.end), None)
            if index is None:
                return [], [], f"a header at line {text.count(chr(10), 0, start) + 1} crosses a translation unit"
            inside.setdefault((b, index), []).append((start, end))
            break
        else:
            plain.append((start, end))
    emptied: dict[int, set[int]] = {}
    for (b, u), spans in inside.items():
        unit = page.blocks[b].units[u]
        left = [(unit.marker.start, unit.marker.end)] if unit.marker else []
        kept = _without(text[unit.start:unit.end], [(s - unit.start, e - unit.start) for s, e in spans + left])
        if kept.strip():
            plain.extend(spans)
        else:
            emptied.setdefault(b, set()).add(u)
    spans = [_expand_to_lines(text, s, e) for s, e in plain]
    ids: list[str] = []
    for b, removed in emptied.items():
        block = page.blocks[b]
        ids.extend(unit_id for u in sorted(removed) if (unit_id := block.units[u].id))
        if len(removed) == len(block.units):
            spans.append(_expand_to_lines(text, block.start, block.end))
            continue
        for u in removed:
            later = [k for k in range(u + 1, len(block.units)) if k not in removed]
            unit = block.units[u]
            if later:
                spans.append((unit.start, block.units[later[0]].start))
            else:
                spans.append((block.units[u - 1].end, unit.end))
    return _merge(spans), ids, None


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in _merge(spans):
        out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


def _call_note(call: Call, key: str | None, keeper: Call | None) -> str:
    if call.substituted:
        return "removed a substituted header call"
    if call.in_translate:
        return "moved the header call out of <translate>"
    if call.current != key:
        return f"fixed current tab (was {call.current or 'missing'})"
    if not call.canonical:
        return "removed extra header parameters"
    return "removed a duplicate header call" if keeper else "moved the header call to the top"


def place_header(text: str, page_title: str, spec: HeaderSpec, key: str | None,
                 line: str | None = None) -> HeaderFix:
    """``text`` with exactly one correct header call at its top and no other header (see the module doc).

    ``key`` is the page's current tab (None: the call gets no ``current``). Applying it to its own
    result changes nothing. With ``line``, that line takes the top instead of the call, and every call
    goes (a stand-in header while the template does not render; not idempotent: a line that is a bar
    is replaced again).
    """
    masked, found = _scan(text, page_title, spec)
    if found.ambiguous:
        return HeaderFix(text, (), found.ambiguous)
    bars, calls = found.bars, found.calls
    keeper = None if line is not None else next(
        (c for c in calls if c.correct_for(key) and _own_line_at_top(masked, c)), None)
    removed_calls = [c for c in calls if c is not keeper]
    if keeper and not removed_calls and not bars:
        return HeaderFix(text, ())
    notes = []
    if bars:
        notes.append("replaced hand-copied tab bar" + ("s" if len(bars) > 1 else ""))
    for call in removed_calls:
        note = _call_note(call, key, keeper)
        if note not in notes:
            notes.append(note)
    if not notes:
        notes.append("added header")
    spans, emptied, problem = _removal_spans(text, [(b.start, b.end) for b in bars]
                                             + [(c.start, c.end) for c in removed_calls])
    if problem:
        return HeaderFix(text, (), problem)
    if emptied:
        notes.append("removed emptied translation unit" + ("s " if len(emptied) > 1 else " ")
                     + ", ".join(f"T:{ident}" for ident in emptied))
    new = _without(text, spans)
    if keeper is None:
        at = _top_position(_mask(new))
        if at == len(new) and new and not new.endswith("\n"):
            new, at = new + "\n", at + 1
        new = new[:at] + (header_call(spec.template, key) if line is None else line) + "\n" + new[at:]
    before, after = parse_translate(text).problems, parse_translate(new).problems
    if len(after) > len(before):
        return HeaderFix(text, (), f"removing the header would break Translate markup ({after[0].rule})")
    return HeaderFix(new, tuple(notes))
