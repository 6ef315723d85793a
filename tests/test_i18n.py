"""Every string exists in both languages; t() never crashes on a bad language or key."""

import re

from lossviz import i18n


def test_every_key_exists_in_both_languages():
    assert i18n.missing_keys() == {"en": [], "zh": []}


def test_no_empty_strings():
    for lang in i18n.LANGS:
        empty = [k for k, v in i18n.catalog(lang).items() if not v.strip()]
        assert empty == [], f"{lang}: empty strings {empty}"


def test_placeholders_match_between_languages():
    placeholder = re.compile(r"\{(\w+)\}")
    en, zh = i18n.catalog("en"), i18n.catalog("zh")
    for key in en:
        assert set(placeholder.findall(en[key])) == set(placeholder.findall(zh[key])), key


def test_chinese_strings_are_chinese():
    zh = i18n.catalog("zh")
    assert re.search(r"[\u4e00-\u9fff]", zh["explorer.title"])
    assert zh["explorer.title"] != i18n.catalog("en")["explorer.title"]


def test_unknown_language_falls_back_to_english():
    assert i18n.t("nav.home", "xx") == i18n.t("nav.home", "en")
    assert i18n.normalize_lang("<script>") == "en"
    assert i18n.normalize_lang(None) == "en"


def test_unknown_key_is_shown_not_raised():
    assert i18n.t("no.such.key", "zh") == "no.such.key"


def test_every_page_key_used_in_code_exists():
    """Keys written literally in pages/ and ui/ (tr("...")) must exist in the catalog."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    used = set()
    for path in [*root.glob("app_pages/*.py"), *root.glob("ui/*.py"), root / "app.py"]:
        used |= set(re.findall(r"""\b(?:tr|t)\(\s*["']([\w.]+)["']\s*[,)]""", path.read_text()))
    assert used, "no literal keys found: the pattern is wrong"
    missing = sorted(k for k in used if k not in i18n.catalog("en"))
    assert missing == []
