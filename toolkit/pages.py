"""Saved web pages: tell HTML from text, and take a page's main text, title, date and URL out of it.

The extraction is trafilatura's (main text, title, canonical URL, site name) and htmldate's (the
publication date, from JSON-LD, meta tags, the URL or the text); both work offline on the page alone.
`load` calls `extract_page` for `.html`/`.htm` files and for any text that `looks_like_html`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A document that opens as HTML, after an optional XML declaration and comments.
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
# Tags of page structure; text that merely mentions one or two of them is still text.
_PAGE_TAG = re.compile(
    r"</?(?:p|div|span|a|br|script|style|li|ul|ol|h[1-6]|article|section|table|tr|td|em|strong|img|meta|link|"
    r"nav|header|footer|figure|figcaption|blockquote|iframe|noscript|aside|main|time|button|form)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
_MIN_TAGS = 5
_SNIFF = 200_000  # characters looked at to decide
_HIDDEN = "//script|//style|//noscript|//template|//svg"


@dataclass(frozen=True)
class Page:
    """What a saved web page gives: its main text and whatever metadata it carries (None when absent)."""

    text: str
    title: str | None
    published: str | None
    url: str | None
    site: str | None
    page_characters: int  # visible text of the whole page, scripts and styles excluded

    @property
    def dropped_characters(self) -> int:
        return max(self.page_characters - len(self.text), 0)


def looks_like_html(text: str) -> bool:
    """True for an HTML document, or text carrying page markup (5 or more structural tags, one a closing tag)."""
    head = text[:_SNIFF]
    if _HTML_START.match(head):
        return True
    tags = _PAGE_TAG.findall(head)
    return len(tags) >= _MIN_TAGS and any(tag.startswith("</") for tag in tags)


def _visible_characters(html: str) -> int:
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html)
    for hidden in tree.xpath(_HIDDEN):
        hidden.drop_tree()
    return len(" ".join(tree.text_content().split()))


def extract_page(html: str) -> Page:
    """The main text of a page (paragraphs on their own lines, the headline line dropped) and its metadata.

    Raises ValueError when the page holds no main text.
    """
    import trafilatura
    from htmldate import find_date
    from lxml.etree import LxmlError

    try:
        document = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False,
            output_format="python",
        )
        published = find_date(html, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S")
        page_characters = _visible_characters(html)
    except (LxmlError, ValueError, TypeError) as error:
        raise ValueError(f"web page could not be parsed ({error})") from None
    if document is None:
        found = {}
    else:  # a Document, unless trafilatura's deprecated as_dict=True made it a dict already
        found = document if isinstance(document, dict) else document.as_dict()
    text = (found.get("text") or "").strip()
    title = (found.get("title") or "").strip() or None
    lines = text.split("\n")
    if title and len(lines) > 1 and lines[0].strip() == title:
        text = "\n".join(lines[1:]).strip()
    if not text:
        raise ValueError("web page without main text")
    # Paragraphs one a line: a blank line between them, as the clean stage expects of web text.
    text = "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
    return Page(text=text, title=title, published=published or found.get("date"), url=found.get("url"),
                site=found.get("sitename"), page_characters=page_characters)
