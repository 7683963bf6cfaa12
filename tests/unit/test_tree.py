import pytest

from advocacy_bot.outcomes import UsageProblem
from advocacy_bot.plan import Page
from advocacy_bot.tree import EditScope, classify, has_translate_markup, in_tree

ROOT = "Global Advocacy"
LANGS = frozenset({"en", "da", "ru", "ja", "de", "zh-hans"})


@pytest.mark.parametrize("title, inside", [
    ("Global Advocacy", True), ("Global Advocacy/FAQ", True), ("Global Advocacy/Resource Center/Copyright", True),
    ("Talk:Global Advocacy", True), ("Talk:Global Advocacy/Archive 1", True),
    ("Template:Global Advocacy/Header", True), ("Global Advocacy Extra", False),
    ("Talk:Global Advocacy Extra", False), ("Public policy", False), ("User:AdvocacyBot/Shutoff", False),
    ("Global Advocacy (old)", False), ("User talk:Global Advocacy", False),
])
def test_tree_membership(title, inside):
    assert in_tree(title, ROOT) is inside


def test_edit_scope_allows_the_tree_and_the_bots_own_pages_only():
    scope = EditScope.build(ROOT, "AdvocacyBot", ["User:AdvocacyBot/Shutoff", "Talk:Global Advocacy/Log"])
    assert scope.allows("Global Advocacy/FAQ") and scope.allows("User:AdvocacyBot/Shutoff")
    assert not scope.allows("User:AdvocacyBot/Other") and not scope.allows("Main Page")
    with pytest.raises(UsageProblem, match="outside the tree"):
        EditScope.build(ROOT, "AdvocacyBot", ["User:SomeoneElse/Shutoff"])


def test_translate_markup_inside_nowiki_does_not_count():
    assert has_translate_markup("<languages/>\n<translate>Hello</translate>")
    assert has_translate_markup("<translate nowrap>Hello</translate>")
    assert not has_translate_markup("Write <nowiki><translate></nowiki> to mark text.")


def page(title, text="text", ns=0, redirect=False, language="en"):
    return Page(title=title, namespace=ns, exists=True, text=text, redirect=redirect, language=language)


def test_classify_sorts_pages_into_kinds():
    pages = [
        page(ROOT, "<translate>Home</translate>"),
        page(f"{ROOT}/da", language="da"),
        page(f"{ROOT}/en"),
        page(f"{ROOT}/FAQ", "<translate>FAQ</translate>"),
        page(f"{ROOT}/FAQ/zh-hans", language="zh-hans"),
        page(f"{ROOT}/Notes"),  # not translatable yet: its language subpages are still translations
        page(f"{ROOT}/Notes/ru"),
        page(f"{ROOT}/Resources", "#REDIRECT [[Global Advocacy/Resource Center]]", redirect=True),
        page(f"Talk:{ROOT}", ns=1),
        page(f"Talk:{ROOT}/Archive 1", ns=1),
        page(f"Template:{ROOT}/Header", "<translate>Home</translate>", ns=10),
        page(f"Template:{ROOT}/Header/ru", ns=10, language="ru"),
        page(f"{ROOT} Extra"),
    ]
    lines = [e.line() for e in classify(pages, ROOT, LANGS, "en")]
    # sorted by title in code point order, as MediaWiki sorts titles
    assert lines == [
        "source\ten\tGlobal Advocacy",
        "source\ten\tGlobal Advocacy/FAQ",
        "translation\tzh-hans\tGlobal Advocacy/FAQ/zh-hans",
        "source\ten\tGlobal Advocacy/Notes",
        "translation\tru\tGlobal Advocacy/Notes/ru",  # by its title, marked or not
        "redirect\t-\tGlobal Advocacy/Resources",
        "translation\tda\tGlobal Advocacy/da",
        "translation\ten\tGlobal Advocacy/en",
        "talk\ten\tTalk:Global Advocacy",
        "archive\ten\tTalk:Global Advocacy/Archive 1",
        "template\ten\tTemplate:Global Advocacy/Header",
        "translation\tru\tTemplate:Global Advocacy/Header/ru",
    ]


def test_translate_list_overrides_the_markup_guess():
    pages = [page(ROOT, "no tags here"), page(f"{ROOT}/ru", language="ru")]
    entries = classify(pages, ROOT, LANGS, "en", translatable=frozenset({ROOT}))
    assert [e.kind for e in entries] == ["source", "translation"]


def test_pages_named_on_the_command_line_are_pages_of_the_tree():
    """Issue 17: `--page "Global Advocacy/Faq"` (a typo) ran, did nothing and exited 0 (`missing`)."""
    from advocacy_bot.tree import named_pages_problem

    known = ["Global Advocacy", "Global Advocacy/FAQ", "Global Advocacy/About", "Talk:Global Advocacy"]
    assert named_pages_problem(["Global Advocacy/FAQ", "Talk:Global Advocacy"], known, "Global Advocacy") is None
    assert named_pages_problem(["Global Advocacy/Faq"], known, "Global Advocacy") == (
        "--page 'Global Advocacy/Faq' is no page of the tree (did you mean 'Global Advocacy/FAQ'?)")
    assert "did you mean 'Global Advocacy/About'" in named_pages_problem(["Global Advocacy/Abuot"], known,
                                                                         "Global Advocacy")
    assert named_pages_problem(["Global Advocacy/Nothing like it"], known, "Global Advocacy").endswith("of the tree")
    both = named_pages_problem(["Main Page", "Global Advocacy#x"], known, "Global Advocacy")
    assert "'Main Page' is outside the tree" in both and "'Global Advocacy#x'" in both


def test_a_unit_translation_of_a_tree_page_bears_on_the_tree_and_one_elsewhere_does_not():
    from advocacy_bot.tree import bears_on_tree

    root = "Global Advocacy"
    assert bears_on_tree("Global Advocacy/FAQ", root) and bears_on_tree("Talk:Global Advocacy", root)
    assert bears_on_tree("Translations:Global Advocacy/FAQ/4/ja", root)
    assert bears_on_tree("Translations:Template:Global Advocacy/Header/3/ja", root)
    assert not bears_on_tree("Translations:Global Advocacy Extra/1/ja", root)
    assert not bears_on_tree("Translations:Main Page/1/ja", root) and not bears_on_tree("Main Page", root)
