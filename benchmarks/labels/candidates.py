"""Labelling helper: show the candidate bio and related blocks of wcxb-dev pages, and turn
hand decisions into label lines.

    python benchmarks/labels/candidates.py show ID [ID ...]     # candidates of pages
    python benchmarks/labels/candidates.py build DECISIONS OUT  # decisions to a .jsonl

``show`` prints, per page, the ground-truth author, our parser's output (for reference only),
bio candidates ``B<n>`` (elements whose class/id names an author/bio/profile, and paragraphs
that read as prose about a person or follow an "About the author" heading) and related
candidates ``R<n>`` (elements whose class/id or heading suggests related/more/next/recommended
articles, and "Related:" / "See also:" lines), each related block with its numbered links.

A decision line, one per page (written by a person after reading the candidates)::

    ID | bio: B0 ; =a literal bio text | rel: R1 ; R2:0-3,5 | by: GT | note: free text

``bio``: candidate texts (``B1``, or one leaf of it ``B1.0``; ``B1.0 >Jane is <Learn more``
keeps the text from "Jane is" up to "Learn more"), literal texts (``=``) or a span of the
page's visible text (``V >from <to``); ``rel``: whole blocks or chosen links of a block
(``R2:0-3,5``) or literal URLs (``=``); ``by``: ``GT`` (the ground truth's author, split at
commas and "and"), names separated by ``;``, or empty. References never name our parser's
output (``P<n>`` and ``RX`` are shown for reading only): a decision does not change when the
parser does. ``build`` resolves the references, checks every bio text against the
page's visible text and every URL against its links, and writes the label file.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bio_related as B  # noqa: E402 - the benchmark folder is not a package

_BIO_ATTR = re.compile(r"author|bio|about|profile|contributor|writer|byline|person|team|staff", re.I)
_REL_ATTR = re.compile(r"relat|read-?next|more|recommend|also|similar|suggest|further|you-?may|"
                       r"next|stories|posts-list|post-list|teaser", re.I)
_REL_HEAD = re.compile(r"relat|read (?:next|more|also)|more (?:from|on|stories|in|like|news|articles|"
                       r"posts|about|to read)|you (?:may|might|'ll)|recommend|see also|also read|"
                       r"similar|further|up next|interest|don'?t miss|keep reading|"
                       r"weitere|lesen|lire|leia|te puede|leggi|więcej|también|mehr|suggest|other (?:posts|articles|stories)|"
                       r"more$", re.I)
_REL_LINE = re.compile(r"^\s*(?:related|read (?:more|also|next)|see also|also read|more|read|"
                       r"watch|listen|recommended)\s*:", re.I)
_BIO_PROSE = re.compile(r"\b(?:is|was|has been|serves as)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}?"
                        r"(?:writer|reporter|journalist|editor|author|contributor|correspondent|"
                        r"columnist|freelance\w*|producer|photographer|professor|founder|blogger|"
                        r"expert|analyst|researcher|consultant|specialist|student|graduate|"
                        r"engineer|designer|coach|doctor|lawyer|chef|developer|marketer|host)\b", re.I)
_ABOUT = re.compile(r"^\s*(?:about(?: the)? authors?|about \w+(?: \w+)?|the authors?|authors?|"
                    r"über den autor|sobre el autor|à propos de l'auteur)\s*:?\s*$", re.I)
_PERSON_LEAD = re.compile(r"^(?:I am|I'm|I’m|Hi,|Hello|[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3},?(?: [\w.]+,)? "
                          r"(?:is|was|has|holds|writes|covers|serves|joined|lives|started|co-?founded|founded|brings|"
                          r"specializes|earned|graduated|worked|works|received|leads|teaches)\b)")
_PERSON_WORDS = re.compile(r"writer|author|editor|journalist|reporter|contributor|founder|analyst|expert|"
                           r"years|degree|graduate|lives|specializ|freelance|covers|career|passion|background")
_HEAD_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "div", "header", "em")
_LEAF = ("p", "div", "span", "li", "section", "blockquote", "td", "dd")
MAX_SHOW = 600
#: Links shown per related block.
MAX_LINKS = 16
_COMMENTS = re.compile(r"comment|disqus|respond", re.I)
_MENU = re.compile(r"^(?:site-|main-|primary-|mega-?|sub-?)?(?:nav|navbar|navigation|menu|header)$", re.I)


def attrs(el) -> str:
    """An element's class and id as one string."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def text(el) -> str:
    """An element's whole text, white space normalised."""
    return B.squash(" ".join(el.itertext()))


def label_of(el) -> str:
    """A short tag/class/id label of an element."""
    return f"<{el.tag} {attrs(el)[:70]}>"


def in_menu(el) -> bool:
    """Whether ``el`` sits in the site's navigation (a nav/header element or a menu by class/id)."""
    return any(a.tag in ("nav", "header") or any(map(_MENU.match, attrs(a).split()))
               or _COMMENTS.search(attrs(a)) for a in [el, *el.iterancestors()])


def has_candidate_ancestor(el, chosen: list) -> bool:
    """Whether one of ``chosen`` contains ``el``."""
    return any(el is not c and c in el.iterancestors() for c in chosen)


# --- bio -------------------------------------------------------------------------------------

def author_names(gt: dict) -> list[str]:
    """The words of the ground-truth author (at least 3 letters), to find prose about them."""
    return [w for w in re.findall(r"\w+", gt["ground_truth"].get("author") or "") if len(w) >= 3]


def about_heading(el) -> bool:
    """Whether ``el`` is a short "About the author" / "About <name>" / "Author" heading."""
    t = text(el)
    return el.tag in _HEAD_TAGS and len(t) < 60 and bool(_ABOUT.match(t))


def is_prose_about_person(el, t: str, names: list[str]) -> bool:
    """Whether a leaf block reads as prose about a person (a bio candidate)."""
    if el.tag not in _LEAF or any(c.tag in ("p", "div") for c in el.iterdescendants()) or len(t) > 1500:
        return False
    lowered = t.lower()
    if _BIO_PROSE.search(t) or any(lowered.startswith(n) for n in names):
        return True
    return bool(_PERSON_LEAD.match(t)) and bool(_PERSON_WORDS.search(lowered))


def bio_candidates(root, gt: dict) -> list:
    """Bio candidates in page order, outermost first, none inside another."""
    names = [n.lower() for n in author_names(gt)]
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        t = text(el)
        if about_heading(el) and el.getparent() is not None and len(text(el.getparent())) < 2500:
            found.append(el.getparent())
        if not 40 <= len(t) <= 2500 or in_menu(el):
            continue
        if _BIO_ATTR.search(attrs(el)) or is_prose_about_person(el, t, names):
            found.append(el)
    unique = []
    for el in found:
        if not any(el is u for u in unique):
            unique.append(el)
    return [el for el in unique if not has_candidate_ancestor(el, unique)]


_BLOCKISH = ("p", "div", "li", "ul", "ol", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "br")


def pieces(box) -> list:
    """The leaf blocks of a bio candidate with some prose (itself when it is a leaf)."""
    out = [el for el in box.iter() if isinstance(el.tag, str) and len(text(el)) >= 25
           and not any(d.tag in _BLOCKISH for d in el.iterdescendants())]
    return [el for el in out if not has_candidate_ancestor(el, out)] or [box]


# --- related ---------------------------------------------------------------------------------

def links(block, base: str) -> list[tuple[str, str]]:
    """The distinct absolute link targets of ``block`` with their texts, in page order."""
    from urllib.parse import urljoin

    seen, out = set(), []
    for a in block.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base, href)
        if url not in seen:
            seen.add(url)
            out.append((url, text(a) or (a.find(".//img").get("alt", "") if a.find(".//img") is not None else "")))
    return out


def heading_block(el):
    """The nearest ancestor of a heading that holds at least two links (up to four levels)."""
    for anc in [el, *list(el.iterancestors())[:4]]:
        if len(list(anc.iter("a"))) >= 2:
            return anc
    return None


def related_candidates(root) -> list:
    """Related candidates in page order, none inside another."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        t = text(el)
        if _REL_ATTR.search(attrs(el)) and el.find(".//a") is not None and len(t) < 4000:
            found.append(el)
            el.set("data-why", "attr")
        elif el.tag in _HEAD_TAGS and 0 < len(t) <= 60 and _REL_HEAD.search(t) and len(el) <= 3:
            block = heading_block(el)
            if block is not None and len(text(block)) < 4000:
                found.append(block)
                block.set("data-why", t)
        elif el.tag in ("p", "li", "div") and len(t) < 300 and _REL_LINE.match(t) and el.find(".//a") is not None:
            found.append(el)
            el.set("data-why", t[:40])
    unique = []
    for el in found:
        if not any(el is u for u in unique):
            unique.append(el)
    return [el for el in unique if not has_candidate_ancestor(el, unique) and not in_menu(el)]


def extra_links(root, base: str, art) -> list[tuple[str, str]]:
    """Our parser's related links outside every candidate block (``RX``), shown for reading."""
    shown = {B.norm_url(u) for block in related_candidates(root) for u, _ in links(block, base)}
    return [(x["url"], x["text"]) for x in art.related_links if B.norm_url(x["url"]) not in shown]


def context(root, base: str, url: str) -> str:
    """Where a link to ``url`` sits: its text, the nearest class/id above it and the heading before."""
    from urllib.parse import urljoin

    for a in root.iter("a"):
        if a.get("href") and B.norm_url(urljoin(base, a.get("href").strip())) == B.norm_url(url):
            owner = next((x for x in a.iterancestors() if attrs(x)), a)
            heads = owner.xpath("preceding::*[self::h2 or self::h3 or self::h4][1]")
            head = text(heads[0])[:40] if heads else ""
            return f"{text(a)[:40]!r} in {label_of(owner)[:60]} after {head!r}"
    return "?"


def block_heading(block) -> str:
    """The first heading-like text of a block (for display)."""
    for el in block.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b"):
        if text(el):
            return text(el)[:60]
    return ""


# --- show ------------------------------------------------------------------------------------

def page(pid: str):
    """Page ``pid``: its ground truth, parsed tree and base URL."""
    gt = B.truth(B.CORPUS, pid)
    root = B.tree(B.page_html(B.CORPUS, pid))
    base = root.xpath("string(//base/@href)") or gt["url"]
    return gt, root, base


def show(pid: str) -> None:
    """Print the candidates of one page."""
    gt, root, base = page(pid)
    art = ours(pid)
    print(f"=== {pid} {gt['url']}\n  GT author: {gt['ground_truth'].get('author')!r}  title: "
          f"{(gt['ground_truth'].get('title') or '')[:70]!r}")
    print(f"  ours: byline={art.byline} bio={[b[:80] for b in art.bio]} related={len(art.related_links)}")
    for i, bio in enumerate(art.bio):
        print(f"  P{i} (ours) {bio[:MAX_SHOW]!r}")
    for i, el in enumerate(bio_candidates(root, gt)):
        parts = pieces(el)
        print(f"  B{i} {label_of(el)} {text(el)[:MAX_SHOW]!r}")
        if len(parts) > 1 or parts[0] is not el:
            for j, part in enumerate(parts):
                print(f"     B{i}.{j} {text(part)[:MAX_SHOW]!r}")
    blocks = related_candidates(root)
    extra = [u for u, _ in extra_links(root, base, art)]
    for j, url in enumerate(extra):
        print(f"  RX {j:>2} {url[:100]} | {context(root, base, url)}")
    for i, block in enumerate(blocks):
        items = links(block, base)
        print(f"  R{i} {label_of(block)} why={block.get('data-why')!r} head={block_heading(block)!r} links={len(items)}")
        for j, (url, t) in enumerate(items[:MAX_LINKS]):
            print(f"     {j:>2} {url[:100]} | {t[:50]}")


# --- build -----------------------------------------------------------------------------------

def parse_decision(line: str) -> dict:
    """One decision line as its fields."""
    pid, *parts = [p.strip() for p in line.split("|")]
    fields = {"id": pid, "bio": "", "rel": "", "by": "", "note": ""}
    for part in parts:
        key, _, value = part.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def pick(items: list, spec: str) -> list:
    """The items of a block chosen by ``0-3,5`` (all when empty)."""
    if not spec:
        return items
    chosen = []
    for piece in spec.split(","):
        lo, _, hi = piece.partition("-")
        chosen.extend(items[int(lo): int(hi or lo) + 1])
    return chosen


def _cuts(ref: str) -> tuple[str, list[str]]:
    """A bio reference and its trims: ``B0.1 >From here <Up to here`` (see :func:`trim`)."""
    ref, *cuts = re.split(r"\s+(?=[<>])", ref)
    return ref.strip(), cuts


def trim(bio: str, cuts: list[str]) -> str:
    """``bio`` from the text after ``>`` on and up to the text after ``<`` (both optional)."""
    for cut in cuts:
        mark = cut[1:].strip()
        at = bio.index(mark)
        bio = bio[at:] if cut[0] == ">" else bio[:at]
    return bio.strip()


def split_names(author: str) -> list[str]:
    """A ground-truth author string as names."""
    return [n.strip() for n in re.split(r",|\band\b|&", author or "") if n.strip()]


def ours(pid: str):
    """Our parser's article for page ``pid`` (shown for reading only)."""
    from archiver import parse_article

    return parse_article(B.page_html(B.CORPUS, pid), B.truth(B.CORPUS, pid)["url"])


def resolve(fields: dict) -> dict:
    """A decision's references resolved into a label, checked against the page."""
    pid = fields["id"]
    gt, root, base = page(pid)
    bios, related = [], []
    bio_els, rel_els = bio_candidates(root, gt), related_candidates(root)
    for ref in filter(None, (r.strip() for r in fields["bio"].split(";"))):
        ref, cuts = _cuts(ref)
        if ref.startswith("="):
            bios.append(ref[1:].strip())
        elif ref == "V":
            bios.append(B.visible_text(root))
        else:
            box, _, part = ref[1:].partition(".")
            el = bio_els[int(box)]
            bios.append(text(pieces(el)[int(part)] if part else el))
        bios[-1] = trim(bios[-1], cuts)
    for ref in filter(None, (r.strip() for r in fields["rel"].split(";"))):
        if ref.startswith("="):
            related.append(ref[1:].strip())
            continue
        block, _, spec = ref[1:].partition(":")
        for url, _t in pick(links(rel_els[int(block)], base), spec):
            if url not in related:
                related.append(url)
    by = fields["by"]
    byline = split_names(gt["ground_truth"].get("author")) if by == "GT" else [
        n.strip() for n in by.split(";") if n.strip()]
    label = {"id": pid, "url": gt["url"], "bio": bios, "related": related, "byline": byline,
             "note": fields["note"]}
    problems = check(label, root, B.squash(B.page_html(B.CORPUS, pid).decode("utf8", "replace")))
    if problems:
        raise ValueError(f"{pid}: {problems}")
    return label


def check(label: dict, root, page_text: str) -> list[str]:
    """What in ``label`` is not on its page: bio texts not in the visible text, URLs not linked,
    byline names nowhere in the page (``page_text``: the page as text, markup included)."""
    visible = B.word_line(B.visible_text(root))
    targets = B.hrefs(root, label["url"])
    problems = [f"bio not visible: {b[:60]!r}" for b in label["bio"] if B.word_line(b) not in visible]
    problems += [f"not a link: {u}" for u in label["related"] if B.norm_url(u) not in targets]
    problems += [f"byline not on the page: {n}" for n in label["byline"] if n.lower() not in page_text.lower()]
    return problems


def build(decisions: Path, out: Path) -> None:
    """Resolve every decision line of ``decisions`` into ``out`` (sorted by id)."""
    out.write_text("".join(json.dumps(lab, ensure_ascii=False) + "\n" for lab in resolve_all(decisions)), "utf8")


def resolve_all(decisions: Path) -> list[dict]:
    """Every decision line of ``decisions`` as its label, sorted by id; exit listing the lines
    whose labels are not on their pages."""
    labels, problems = [], []
    for line in decisions.read_text("utf8").splitlines():
        if line.strip() and not line.startswith("#"):
            try:
                labels.append(resolve(parse_decision(line)))
            except ValueError as error:
                problems.append(str(error))
    if problems:
        raise SystemExit("\n".join(problems))
    return sorted(labels, key=lambda lab: lab["id"])


def main(argv: list[str]) -> int:
    """Command line: ``show IDS`` or ``build DECISIONS OUT`` (``sample`` lists the selection)."""
    if argv[:1] == ["show"]:
        for pid in argv[1:]:
            show(pid)
    elif argv[:1] == ["build"]:
        build(Path(argv[1]), Path(argv[2]))
    elif argv[:1] == ["sample"]:
        print(" ".join(B.sample_ids(B.CORPUS)))
    else:
        print(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
