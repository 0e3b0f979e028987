"""English is the portal's second language: every text of the source has its translation."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def source_messages() -> set[str | tuple[str, ...]]:
    """What `make translations-update` extracts, read with the same babel.cfg and keywords."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = DEFAULT_KEYWORDS | {"_l": None}
    wanted = {"portal", "templates"}
    messages = extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords,
        directory_filter=lambda path: Path(path).relative_to(ROOT).parts[0] in wanted,
    )
    return {message for _, _, message, _, _ in messages}


def _key(message) -> str:
    return message[0] if isinstance(message, tuple) else message


def test_every_source_text_has_an_english_translation():
    with open(CATALOGUE, "rb") as po:
        catalogue = read_po(po)
    translated = {
        _key(m.id) for m in catalogue if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(_key(m) for m in source_messages() if _key(m) not in translated)
    assert missing == [], f"{len(missing)} texts without English translation, e.g. {missing[:5]}"


def test_plural_texts_have_both_english_forms():
    with open(CATALOGUE, "rb") as po:
        catalogue = read_po(po)
    plurals = [m for m in catalogue if m.id and isinstance(m.id, tuple)]
    assert plurals, "the catalogue has no plural texts"
    for message in plurals:
        assert len(message.string) == 2 and all(message.string), message.id
