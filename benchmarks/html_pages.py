"""How well `toolkit.load` reads saved web pages: text F1 against the article body, title and date accuracy.

The pages are made on the fly from the open-news corpus (163 Wikinews articles, CC BY 2.5, see
`/work/shared/corpora/open-news/ATTRIBUTION.md`): each article is wrapped in one of seven page
templates modelled on real news sites, with navigation, cookie banners, scripts, styles, share
widgets, related-link lists, newsletter boxes, reader comments and footers, and its date given the
way such sites give it (JSON-LD, meta tags, a <time> element, the URL, or only the visible byline).
Nothing is written to the project; the pages live in a temporary folder.

    .venv/bin/python benchmarks/html_pages.py            # the table for benchmarks/README.md
    .venv/bin/python benchmarks/html_pages.py --worst 5  # also the five pages read worst, per template

Text F1 is token-level (lower-cased word tokens, multiset overlap) between the `raw_text` the loader
gives and the article body; "before" is what the loader gave until now: the page source as text.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from toolkit.load import load_with_problems  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "open-news" / "wikinews_gum_meantime.jsonl.gz"
SITES = ["The Daily Planet", "Metro Ledger", "Northern Courier", "Global Wire Today", "Harbour Times"]
COMMENTS = [
    "Great reporting, thanks for covering this.", "I don't believe a word of it. Follow the money!",
    "My cousin lives there and says it is much worse than described.", "First!",
    "Why is nobody talking about the cost to taxpayers?", "Well said. Shared with my family.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def articles() -> list[dict[str, str]]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def paragraphs(text: str) -> list[str]:
    """The article's paragraphs; one long paragraph (MEANTIME) is cut every three sentences, as sites do."""
    found = [p.strip() for p in text.split("\n\n") if p.strip()]
    if len(found) > 1:
        return found
    sentences = re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"])", text.strip())
    return [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


def _long_date(day: str) -> str:
    year, month, dom = day.split("-")
    return f"{MONTHS[int(month) - 1]} {int(dom)}, {year}"


def _body(paras: list[str], rng: random.Random, *, inline: bool = False) -> str:
    out = []
    for para in paras:
        text = html.escape(para)
        if inline and rng.random() < 0.4:  # a linked or emphasised phrase inside the paragraph
            words = text.split(" ")
            at = rng.randrange(len(words))
            words[at] = f'<a href="/topic/{rng.randrange(999)}">{words[at]}</a>'
            text = " ".join(words)
        out.append(f"<p>{text}</p>")
        if inline and rng.random() < 0.15:
            out.append('<div class="ad-slot"><span>Advertisement</span><script>loadAd("mid")</script></div>')
    return "\n".join(out)


def _related(titles: list[str]) -> str:
    items = "".join(f'<li><a href="/news/{_slug(t)}">{html.escape(t)}</a></li>' for t in titles)
    return f'<aside class="related"><h3>Related stories</h3><ul>{items}</ul></aside>'


def _comments(rng: random.Random) -> str:
    picked = rng.sample(COMMENTS, 3)
    items = "".join(f'<li class="comment"><b>reader{rng.randrange(99)}</b><p>{html.escape(c)}</p></li>' for c in picked)
    return f'<section id="comments"><h3>{len(picked)} comments</h3><ul>{items}</ul></section>'


COMMON_HEAD = """<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/site.css"><style>.nav a{{margin:0 4px}} .cookie{{position:fixed;bottom:0}}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}};gtag('js',new Date());</script>"""
NAV = """<header><div class="logo">{site}</div><nav class="nav"><a href="/">Home</a><a href="/world">World</a>
<a href="/politics">Politics</a><a href="/business">Business</a><a href="/science">Science</a><a href="/sport">Sport</a></nav></header>"""
COOKIE = """<div class="cookie" id="cookie-consent">We use cookies to personalise content and ads and to analyse our
traffic. By clicking "Accept all" you agree to our use of cookies. <button>Accept all</button> <button>Manage</button></div>"""
SHARE = """<div class="share"><span>Share this article:</span> <a href="#">Facebook</a> <a href="#">X</a>
<a href="#">WhatsApp</a> <a href="#">Email</a></div>"""
NEWSLETTER = """<div class="newsletter"><h4>Sign up for our morning briefing</h4><p>The day's top stories in your
inbox, every weekday.</p><form><input type="email" placeholder="Your email"><button>Subscribe</button></form></div>"""
FOOTER = """<footer><p>© {year} {site}. All rights reserved.</p><a href="/about">About us</a> <a href="/privacy">Privacy
policy</a> <a href="/terms">Terms of use</a> <a href="/contact">Contact</a></footer>
<script src="/static/app.js"></script><script>gtag('config','UA-000000-1');</script>"""


def page(article: dict[str, str], template: int, related: list[str], rng: random.Random) -> str:
    """One saved page for `article`, in template `template` (0-6)."""
    title, day, site = article["title"], article["published"], SITES[template % len(SITES)]
    paras = paragraphs(article["text"])
    url = f"https://www.{_slug(site)}.example/{day.replace('-', '/')}/{_slug(title)}"
    esc = html.escape(title)
    parts = {"site": site, "year": day[:4]}
    nav, footer = NAV.format(**parts), FOOTER.format(**parts)
    stamp = f"{day}T{rng.randrange(6, 22):02d}:{rng.randrange(60):02d}:00Z"
    if template == 0:  # a big news site: JSON-LD, <article>, share bar, related, comments
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                         "datePublished": stamp, "author": {"@type": "Person", "name": "Staff reporter"}})
        return (f"<!DOCTYPE html><html lang='en'><head>{COMMON_HEAD.format()}<title>{esc} | {site}</title>"
                f"<link rel='canonical' href='{url}'><script type='application/ld+json'>{ld}</script></head><body>"
                f"{nav}{COOKIE}<main><article><h1>{esc}</h1><p class='byline'>By Staff reporter</p>{SHARE}"
                f"{_body(paras, rng, inline=True)}{SHARE}</article>{_related(related)}{_comments(rng)}</main>{footer}"
                "</body></html>")
    if template == 1:  # a blog-like page: Open Graph and article:published_time, a sidebar, a newsletter box
        return (f"<!DOCTYPE html><html><head>{COMMON_HEAD.format()}<title>{esc} - {site}</title>"
                f"<meta property='og:title' content='{esc}'><meta property='og:url' content='{url}'>"
                f"<meta property='article:published_time' content='{stamp}'></head><body>{nav}"
                f"<div class='container'><div class='post'><h2 class='entry-title'>{esc}</h2>"
                f"<div class='entry-content'>{_body(paras, rng)}</div>{NEWSLETTER}</div>"
                f"<div class='sidebar'><h4>Tags</h4><a href='/t/1'>news</a> <a href='/t/2'>world</a>"
                f"{_related(related)}</div></div>{footer}</body></html>")
    if template == 2:  # div soup without <article>, ads between paragraphs, the date only in the byline
        return (f"<html><head>{COMMON_HEAD.format()}<title>{esc}</title></head><body>{COOKIE}{nav}"
                f"<div id='content'><div class='story-header'><h1 class='headline'>{esc}</h1>"
                f"<div class='dateline'>Published {_long_date(day)}</div></div><div class='story-body'>"
                f"{_body(paras, rng, inline=True)}</div>{SHARE}<div class='more'>{_related(related)}</div></div>"
                f"{footer}</body></html>")
    if template == 3:  # a <time datetime> element and Twitter cards, comments before the footer
        return (f"<!doctype html><html lang='en-GB'><head>{COMMON_HEAD.format()}<title>{esc} — {site}</title>"
                f"<meta name='twitter:title' content='{esc}'><meta name='twitter:card' content='summary'>"
                f"<link rel='canonical' href='{url}'></head><body>{nav}<main id='main'><article class='story'>"
                f"<header><h1>{esc}</h1><time datetime='{stamp}'>{_long_date(day)}</time></header>"
                f"<section class='article-body'>{_body(paras, rng)}</section></article>{_comments(rng)}</main>"
                f"{NEWSLETTER}{footer}</body></html>")
    if template == 4:  # an old table layout; the date only in the canonical URL
        rows = "".join(f"<tr><td class='text'>{p}</td></tr>" for p in _body(paras, rng).split("\n"))
        return (f"<html><head><title>{site}: {esc}</title><link rel='canonical' href='{url}'></head>"
                f"<body bgcolor='#ffffff'><table width='100%'><tr><td colspan='2'>{nav}</td></tr><tr>"
                f"<td width='20%' valign='top'>{_related(related)}</td><td valign='top'><h2>{esc}</h2>"
                f"<table>{rows}</table></td></tr><tr><td colspan='2'>{footer}</td></tr></table></body></html>")
    if template == 5:  # a pull quote, a captioned figure, meta name=date, a live-updates teaser
        quote = html.escape(paras[0].split(". ")[0])
        return (f"<!DOCTYPE html><html><head>{COMMON_HEAD.format()}<meta name='date' content='{day}'>"
                f"<title>{esc} | {site}</title></head><body>{nav}{COOKIE}<div class='live'>LIVE: Follow our rolling "
                f"coverage of the markets</div><article><h1>{esc}</h1><figure><img src='/img/{rng.randrange(999)}.jpg'>"
                f"<figcaption>File photo. Image: Wire service.</figcaption></figure>"
                f"{_body(paras[:2], rng)}<blockquote class='pullquote'>{quote}</blockquote>"
                f"{_body(paras[2:], rng, inline=True)}</article>{SHARE}{_related(related)}{footer}</body></html>")
    # template 6: a minimal printer-friendly page: paragraphs broken with <br>, the date in a meta tag
    body = "<br><br>\n".join(html.escape(p) for p in paras)
    return (f"<html><head><title>{esc} (print version)</title><meta name='pubdate' content='{day.replace('-', '')}'>"
            f"</head><body><div class='print-header'>{site} — printed from {url}</div><h3>{esc}</h3>"
            f"<div class='print-body'>{body}</div><div class='print-footer'>© {day[:4]} {site}</div></body></html>")


def _tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def f1(predicted: str, gold: str) -> tuple[float, float, float]:
    """Token precision, recall and F1 (multiset overlap of lower-cased word tokens)."""
    got, want = _tokens(predicted), _tokens(gold)
    overlap = sum((got & want).values())
    precision = overlap / max(sum(got.values()), 1)
    recall = overlap / max(sum(want.values()), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


TEMPLATES = ["news site, JSON-LD", "blog, Open Graph", "div soup, byline date", "<time> element",
             "table layout, date in URL", "pull quote and figure", "print version, <br>"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worst", type=int, default=0, help="list the N pages read worst")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"open-news corpus not found at {CORPUS}")
        return 1
    items = articles()
    rng = random.Random(10)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for at, article in enumerate(items):
            related = [other["title"] for other in rng.sample(items, 4) if other is not article][:3]
            source = page(article, at % len(TEMPLATES), related, rng)
            (Path(folder) / f"page{at:03d}.html").write_text(source, encoding="utf-8")
        started = time.perf_counter()
        loaded, problems = load_with_problems(folder)
        seconds = time.perf_counter() - started
        loaded = loaded.set_index("article_id")
        for at, article in enumerate(items):
            name = f"page{at:03d}"
            source = (Path(folder) / f"{name}.html").read_text(encoding="utf-8")
            gold = "\n\n".join(paragraphs(article["text"]))
            got = loaded.loc[name] if name in loaded.index else None
            text = got["raw_text"] if got is not None else ""
            rows.append({
                "page": name, "template": TEMPLATES[at % len(TEMPLATES)],
                **dict(zip(("P", "R", "F1"), f1(text, gold))),
                "before_F1": f1(source, gold)[2],
                "title_ok": got is not None and got["title"] == article["title"],
                "date_ok": got is not None and pd.notna(got["published"])
                and got["published"].strftime("%Y-%m-%d") == article["published"],
            })
    table = pd.DataFrame(rows)
    summary = table.groupby("template", sort=False).agg(
        pages=("page", "size"), P=("P", "mean"), R=("R", "mean"), F1=("F1", "mean"), before_F1=("before_F1", "mean"),
        title=("title_ok", "mean"), date=("date_ok", "mean"))
    summary.loc["all pages"] = [len(table), table["P"].mean(), table["R"].mean(), table["F1"].mean(),
                                table["before_F1"].mean(), table["title_ok"].mean(), table["date_ok"].mean()]
    print(f"{len(table)} pages, loaded in {seconds:.1f} s ({len(problems)} problem rows)\n")
    print("| template | pages | text P | text R | **text F1** | F1 before (page as text) | title right | date right |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, row in summary.iterrows():
        print(f"| {name} | {row.pages:.0f} | {row.P:.3f} | {row.R:.3f} | **{row.F1:.3f}** | {row.before_F1:.3f} | "
              f"{row.title:.0%} | {row.date:.0%} |")
    if args.worst:
        print()
        for row in table.nsmallest(args.worst, "F1").itertuples():
            print(f"{row.page} ({row.template}): P {row.P:.3f} R {row.R:.3f} F1 {row.F1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
