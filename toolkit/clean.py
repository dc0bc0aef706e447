"""Clean stage: take out what scrapers leave in news text, record every removal, and rebuild paragraphs.

All the rules live in `DEFAULT_RULES`, one readable regular expression each. Add your own:

    rules = [*toolkit.clean.DEFAULT_RULES, Rule("newsletter", r"^Sign up for our newsletter.*$")]
    articles = toolkit.clean(articles, rules=rules)

A rule removes exactly what it matches; cleaning only ever removes rule matches and whitespace, so the
cleaned text plus `removed` accounts for every other character of the input.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

# Labels of page widgets that scrapers keep as text, on their own line or glued onto the next sentence.
WIDGET_LABELS = [
    "Impact Shorts", "More Shorts", "Also Read", "Read More", "Advertisement",
    "Story continues below advertisement", "Continue reading below",
]
_LABELS = "|".join(re.escape(label) for label in WIDGET_LABELS)


@dataclass(frozen=True)
class Rule:
    """A named regular expression (multi-line mode) whose every match is boilerplate."""

    name: str
    pattern: str
    flags: re.RegexFlag = re.MULTILINE

    def __post_init__(self) -> None:
        try:
            self.compiled()
        except (re.error, TypeError) as error:
            raise ValueError(f"Rule {self.name!r}: pattern must be a valid regular expression; {self.pattern!r} "
                             f"is not ({error})") from None

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags | re.MULTILINE)


CONTROL_RULE = "control characters"
# Control codes (bar tab and newlines) and the zero-width space: never text, and may stand between words.
CONTROL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b]+"
# Characters that join or hyphenate inside a word without showing: soft hyphen, zero-width non-joiner
# and joiner, word joiner, zero-width no-break space. Removed without a trace ("Ber\u200dlin" -> "Berlin").
INVISIBLE_JOINERS = r"[\u00ad\u200c\u200d\u2060\ufeff]+"
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(CONTROL_RULE, CONTROL_CHARS),
    Rule("invisible joiners", INVISIBLE_JOINERS),
    Rule("widget label line", rf"^[ \t]*(?:{_LABELS})[ \t]*$", re.IGNORECASE),
    Rule("widget label glued to a sentence", rf"^[ \t]*(?:{_LABELS})(?=[A-Z\"'\u201c\u2018])"),
    Rule("agency credit", r"^[ \t]*\(?(?:with )?(?:inputs|input) from (?:[\w.&-]+[ \t]*){1,4}\)?\.?[ \t]*$",
         re.IGNORECASE),
    Rule("lone punctuation line", r"^[ \t]*[^\w\s]{1,5}[ \t]*$"),
    Rule("stray letter line", r"^[ \t]*[a-z][ \t]*$"),
    Rule("wire signature", r"(?<![^\s])REUTER\b(?:\.{3}|\^M|\s)*\Z", re.IGNORECASE),
)

_TABLE_GAP = re.compile(r"\S\s{3,}\S")
_INDENT = re.compile(r"^[ \t]{2,}\S")
_SPACE_RUN = re.compile(r"\s+")
_NEWLINES = re.compile(r"\r\n?")
_MAX_WRAPPED_LINE = 100


@dataclass
class Cleaned:
    """One article's cleaned text and what was removed, in the order it stood in the input."""

    text: str
    removed: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def _combined(rules: Sequence[Rule]) -> re.Pattern[str]:
    parts = []
    for index, rule in enumerate(rules):
        inline = "".join(flag for flag, bit in (("i", re.IGNORECASE), ("s", re.DOTALL)) if rule.flags & bit)
        body = f"(?{inline}:{rule.pattern})" if inline else f"(?:{rule.pattern})"
        parts.append(f"(?P<rule{index}>{body})")
    return re.compile("|".join(parts), re.MULTILINE)


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Wire copy wraps lines at ~70 characters, breaking sentences mid-way; web text does not."""
    content = [line for line in lines if line.strip()]
    if len(content) < 3 or any(len(line) > _MAX_WRAPPED_LINE for line in content):
        return False
    return any(
        re.search(r"[a-z,]$", before) and re.match(r"\s*[a-z]", after)
        for before, after in itertools.pairwise(content)
    )


def paragraphs(text: str) -> list[str]:
    """Rebuild paragraphs: join hard-wrapped lines, start one at an indent or blank line, keep table rows."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    wrapped = _is_hard_wrapped(lines)
    found: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            starts_new, standalone = True, False
        else:
            standalone = bool(_TABLE_GAP.search(line.strip()))
            starts_new = not wrapped or standalone or bool(_INDENT.match(line))
        if starts_new and current:
            found.append(current)
            current = []
        if line.strip():
            current.append(line)
            if standalone:
                found.append(current)
                current = []
    if current:
        found.append(current)
    return [_SPACE_RUN.sub(" ", " ".join(group)).strip() for group in found]


def clean_text(text: str, *, rules: Sequence[Rule] = DEFAULT_RULES) -> Cleaned:
    """Remove every rule match from `text` (recording it), then rebuild paragraphs separated by a blank line."""
    pattern = _combined(rules)
    text = _NEWLINES.sub("\n", text)  # the rules' ^ and $ know only "\n"
    removed: list[str] = []
    names: list[str] = []

    def take(match: re.Match[str]) -> str:
        rule = rules[int(str(match.lastgroup).removeprefix("rule"))]
        found = match.group(0)
        if found.strip():
            removed.append(found.strip())
            names.append(rule.name)
        # A control character may be all that separates two words: leave a space in its place.
        return " " if rule.name == CONTROL_RULE else ""

    stripped = pattern.sub(take, text)
    return Cleaned("\n\n".join(p for p in paragraphs(stripped) if p), removed, names)


def clean(articles: pd.DataFrame, *, rules: Sequence[Rule] = DEFAULT_RULES) -> pd.DataFrame:
    """Clean stage: fill `text` (cleaned) and `removed` (boilerplate taken out) from `raw_text`."""
    results = [clean_text(raw, rules=rules) for raw in articles["raw_text"]]
    return articles.assign(
        text=pd.array([r.text for r in results], dtype="string"),
        removed=pd.Series([r.removed for r in results], index=articles.index, dtype="object"),
    )
