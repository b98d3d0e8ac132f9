"""Every string a publicity worker reads, in zh-CN and English: one catalogue, one lookup.

Every entry has one shape, {language: (text, hint)}, and lives in a per-domain
module. Messages (diagnostics, CLI output, progress lines, the preview's
overlay) are looked up by `format_message`, which fills their arguments with
`str.format` (a `suggestion` argument also fills `{did_you_mean}`); labels
(labels.py: template words, month names) by `label`, which returns them
unfilled. The two are separate namespaces so a content value shown through
`|label` can never become a message, but a name in both would mislead a reader:
merging refuses a key defined twice, within or across the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from exhibit.i18n import assets, authoring, cli, devserver, kiosk, labels, model, publish, read, render
from exhibit.i18n.entry import DEFAULT_LANGUAGE, LANGUAGES, Entry

__all__ = ["DEFAULT_LANGUAGE", "LABELS", "LANGUAGES", "MESSAGES", "CatalogueError", "check_apart", "format_message",
           "label", "merge", "normalise_language"]

MESSAGE_MODULES = (cli, read, model, render, kiosk, assets, authoring, devserver, publish)

SHARED_KEYS = frozenset({"screen_resolution"})
"""Names that are both a message code and a label key, from before the catalogue was one; add none.

Renaming the message code would change `check --format json`; renaming the label
would change templates/kiosk/ and so every screen's runtime fingerprint.
"""


class CatalogueError(ValueError):
    """A key defined twice, or an entry not of the one shape: a mistake in the catalogue's source."""


def merge(parts: Iterable[tuple[str, Mapping[str, Entry]]]) -> dict[str, Entry]:
    """One namespace from (module name, entries) parts, refusing a key defined twice or a misshapen entry.

    A plain dict merge would let the later definition silently replace the first.
    """
    merged: dict[str, Entry] = {}
    defined_in: dict[str, str] = {}
    for where, entries in parts:
        for key, entry in entries.items():
            if key in merged:
                raise CatalogueError(f"{key!r} is defined in both {defined_in[key]} and {where}")
            _check_shape(key, entry, where)
            merged[key] = entry
            defined_in[key] = where
    return merged


def check_apart(messages: Mapping[str, Entry], labels: Mapping[str, Entry],
                shared: frozenset[str] = SHARED_KEYS) -> None:
    """Refuse a name that is both a message code and a label key (other than the known `shared` ones)."""
    clash = sorted((messages.keys() & labels.keys()) - shared)
    if clash:
        raise CatalogueError(f"{', '.join(clash)}: both a message code and a label key; rename the new one")


def _check_shape(key: str, entry: object, where: str) -> None:
    if not isinstance(entry, dict) or set(entry) != set(LANGUAGES):
        raise CatalogueError(f"{where}: {key!r} must map each of {', '.join(LANGUAGES)} to (text, hint)")
    for lang, text in entry.items():
        if not (isinstance(text, tuple) and len(text) == 2 and isinstance(text[0], str) and text[0]
                and (text[1] is None or isinstance(text[1], str))):
            raise CatalogueError(f"{where}: {key!r} in {lang} must be (text, hint or None)")


MESSAGES: dict[str, Entry] = merge((module.__name__, module.MESSAGES) for module in MESSAGE_MODULES)
LABELS: dict[str, Entry] = merge([(labels.__name__, labels.LABELS)])
check_apart(MESSAGES, LABELS)  # at import, so a clash stops every run and every test


def normalise_language(lang: str | None) -> str:
    """Map loose spellings (zh, zh_CN, EN) to a catalogue language."""
    if not lang:
        return DEFAULT_LANGUAGE
    lowered = lang.replace("_", "-").lower()
    if lowered.startswith("zh"):
        return "zh-CN"
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def format_message(code: str, lang: str, args: Mapping[str, object]) -> tuple[str, str | None]:
    """Return (message, hint) for a code in a language, filled with its arguments."""
    entry = MESSAGES[code]
    message, hint = entry.get(normalise_language(lang), entry["en"])
    values = dict(args)
    suggestion = values.get("suggestion")
    did_you_mean = ""
    if suggestion:
        did_you_mean = MESSAGES["did_you_mean"][normalise_language(lang)][0].format(suggestion=suggestion)
    values.setdefault("did_you_mean", did_you_mean)
    return message.format(**values), (hint.format(**values) if hint else None)


def label(key: object, lang: str) -> str:
    """The label for a key, unfilled; an unknown key is shown as written (never an error)."""
    name = str(key)
    return _labels_in(lang).get(name, name)


@lru_cache(maxsize=16)
def _labels_in(lang: str) -> dict[str, str]:
    """Every label's text in one language: templates ask `t()` 25 times a page (29,000 calls in a cold 1,000-item
    build), and finding the language each time took longer than the lookup."""
    language = normalise_language(lang)
    return {key: entry[language][0] for key, entry in LABELS.items()}
