#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into fuzz/corpus/<target>/, cut from the repo's fixtures.

Run by scripts/fuzz.sh before fuzzing. Every seed is small (well under 100 KB) so that runs are
fast; the real archives are cut down to a few entries and rebuilt as small ZIPs, tars and tar.gz
files of each flavour the readers handle. Output is deterministic, and a seed is rewritten under
the same name each time, so what libFuzzer added to a corpus stays.

Usage: fuzz/seeds.py [CORPUS_DIR]   (default: fuzz/corpus next to this script)
"""

import gzip
import hashlib
import io
import json
import sys
import tarfile
import warnings
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_ZIP = ROOT / "crates/archive/tests/data/mastodon-export.zip"
REAL_TAR = ROOT / "crates/archive/tests/data/mastodon-export.tar"
REAL_TARGZ = ROOT / "crates/archive/tests/data/mastodon-export.tar.gz"
DEALINGWITH = ROOT / "crates/model/tests/data/dealingwith"
SMALL_OUTBOX = ROOT / "crates/index/tests/data/small_outbox.json"
QUERIES = ROOT / "crates/index/tests/data/queries.txt"
E2E = ROOT / "tests/e2e/data"

MAX_SEED = 96 << 10
MTIME = 1_700_000_000


class Corpus:
    def __init__(self, base: Path):
        self.base = base
        self.counts = {}

    def add(self, target: str, name: str, data: bytes):
        assert len(data) <= MAX_SEED, f"{target}/{name}: {len(data)} bytes"
        folder = self.base / target
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"seed-{name}"
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        self.counts[target] = self.counts.get(target, 0) + 1


def real_zip_files():
    with zipfile.ZipFile(REAL_ZIP) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def real_tar_files():
    files = {}
    with tarfile.open(REAL_TAR) as t:
        for member in t.getmembers():
            if member.isfile():
                files[member.name] = t.extractfile(member).read()
    return files


def outbox_items(raw: bytes):
    doc = json.loads(raw)
    return doc, doc.get("orderedItems", [])


def outbox_with(doc, items, indent=None):
    wrapper = {k: v for k, v in doc.items() if k != "orderedItems"}
    wrapper["totalItems"] = len(items)
    wrapper["orderedItems"] = items
    separators = (",", ":") if indent is None else None
    return json.dumps(wrapper, ensure_ascii=False, indent=indent, separators=separators).encode()


def fit(chunks, limit):
    """The longest prefix of `chunks` (a list of items) whose outbox stays under `limit`."""
    out = []
    for item in chunks:
        out.append(item)
        if len(json.dumps(out, ensure_ascii=False)) > limit:
            out.pop()
            break
    return out


def html_of(value):
    """The HTML strings of an outbox item or actor: content, contentMap, summary, field values."""
    found = []

    def walk(v, key=None):
        if isinstance(v, dict):
            for k, w in v.items():
                walk(w, k)
        elif isinstance(v, list):
            for w in v:
                walk(w, key)
        elif isinstance(v, str) and key in ("content", "summary", "value", "en", "de", "fr"):
            if "<" in v or "&" in v:
                found.append(v)

    walk(value)
    return found


def small_media(data: bytes, size: int) -> bytes:
    return data[:size]


def make_zip(files, compression=zipfile.ZIP_DEFLATED, zip64=False, comment=b"", dirs=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        z.comment = comment
        for d in dirs:
            z.writestr(zipfile.ZipInfo(d, date_time=(2023, 5, 1, 0, 0, 0)), b"")
        for name, data, *method in files:
            info = zipfile.ZipInfo(name, date_time=(2023, 5, 1, 0, 0, 0))
            info.compress_type = method[0] if method else compression
            with z.open(info, "w", force_zip64=zip64) as f:
                f.write(data)
    return buf.getvalue()


def make_tar(files, fmt=tarfile.GNU_FORMAT, dirs=()):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for d in dirs:
            info = tarfile.TarInfo(d)
            info.type = tarfile.DIRTYPE
            info.mtime = MTIME
            t.addfile(info)
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = MTIME
            info.mode = 0o444
            info.uname = info.gname = "wheel"
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def gz(data: bytes, level=6, name="archive.tar") -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, compresslevel=level, mtime=MTIME) as f:
        f.write(data)
    return buf.getvalue()


def main():
    warnings.simplefilter("ignore")  # zipfile warns about the duplicate name we write on purpose
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fuzz/corpus"
    corpus = Corpus(base)
    zfiles = real_zip_files()
    tfiles = real_tar_files()
    dw = {p.name: p.read_bytes() for p in DEALINGWITH.iterdir()}

    # outbox: the small outboxes whole, the large ones cut to a few items, pretty and minified.
    corpus.add("outbox", "small_outbox.json", SMALL_OUTBOX.read_bytes())
    corpus.add("outbox", "zip-outbox.json", zfiles["outbox.json"])
    sources = [
        ("zip", outbox_items(zfiles["outbox.json"])),
        ("targz", outbox_items(tfiles["outbox.json"])),
        ("dealingwith", outbox_items(dw["outbox.json"])),
        ("small", outbox_items(SMALL_OUTBOX.read_bytes())),
    ]
    for label, (doc, items) in sources:
        for start in range(0, min(len(items), 60), 6):
            part = fit(items[start : start + 6], 24 << 10)
            if part:
                corpus.add("outbox", f"{label}-{start}.json", outbox_with(doc, part))
        corpus.add("outbox", f"{label}-pretty.json", outbox_with(doc, fit(items, 16 << 10), indent=2))
        corpus.add("outbox", f"{label}-empty.json", outbox_with(doc, []))
    # A file cut off mid-item, and 4.2.10's empty list before the real one.
    corpus.add("outbox", "cut.json", zfiles["outbox.json"][:9000])
    doc, items = sources[0][1]
    corpus.add(
        "outbox",
        "doubled.json",
        b'{"orderedItems":[],' + outbox_with(doc, items[:3])[1:],
    )

    # actor, collection: the real files.
    corpus.add("actor", "zip.json", zfiles["actor.json"])
    corpus.add("actor", "targz.json", tfiles["actor.json"])
    corpus.add("actor", "dealingwith.json", dw["actor.json"])
    for name in ("likes.json", "bookmarks.json"):
        corpus.add("collection", f"zip-{name}", zfiles[name])
        corpus.add("collection", f"targz-{name}", tfiles[name])
        corpus.add("collection", f"dealingwith-{name}", dw[name][:MAX_SEED])
    uris = json.loads(zfiles["likes.json"]).get("orderedItems", [])
    corpus.add("collection", "bare-array.json", json.dumps(uris).encode())
    corpus.add(
        "collection",
        "items.json",
        json.dumps({"type": "Collection", "items": uris + [{"id": "https://ex.social/1"}, 7]}).encode(),
    )

    # html: every HTML string of the posts and profiles, and a few shapes they rarely have.
    htmls = []
    for _, (_, items) in sources:
        for item in items[:400]:
            htmls.extend(html_of(item))
    for actor in (zfiles["actor.json"], tfiles["actor.json"], dw["actor.json"]):
        htmls.extend(html_of(json.loads(actor)))
    htmls += [
        '<p>a<br>b<a href="javascript:alert(1)">x</a><a href="mailto:a@b.c">m</a></p>',
        "<blockquote><ul><li>one<ol><li>two</li></ol></li></ul></blockquote><pre><code>x &lt; y</code></pre>",
        "<h1>T</h1><p><em>e<strong>s<del>d</del></strong></em> <code>c</code> &amp;&#39;&#x1F600;&nbsp;</p>",
        '<p><span class="h-card"><a href="https://ex.social/@a" class="u-url mention">@<span>a</span></a></span>'
        ' <a href="https://ex.social/tags/t" class="mention hashtag" rel="tag">#<span>t</span></a></p>',
        "<script>alert(1)</script><style>p{}</style><p>after",
    ]
    seen = set()
    for h in htmls:
        data = h.encode()[:MAX_SEED]
        digest = hashlib.sha1(data).hexdigest()[:12]
        if digest not in seen and len(seen) < 300:
            seen.add(digest)
            corpus.add("html", digest, data)

    # csv: the real exports (cut), and one file of each kind as Mastodon and others write it.
    following = (E2E / "following_accounts.csv").read_bytes()
    corpus.add("csv", "following_accounts.csv", b"\n".join(following.split(b"\n")[:30]))
    corpus.add("csv", "blocked_accounts.csv", (E2E / "blocked_accounts.csv").read_bytes())
    for name, text in [
        ("following-header.csv", "Account address,Show boosts,Notify on new posts,Languages\r\n@a@ex.social,true,false,en\r\nb@ex.org,false,true,\r\n"),
        ("lists.csv", "Friends,a@ex.social\nWork,b@ex.org\n"),
        ("lists-header.csv", "List name,Account address\nFriends,a@ex.social\n"),
        ("mutes.csv", "Account address,Hide notifications\na@ex.social,true\n"),
        ("domain-blocks.csv", "#domain,#severity,#reject_media\nspam.example,suspend,true\nbad.example\n"),
        ("bookmarks.csv", "https://ex.social/users/a/statuses/1\ntag:ex.org,2023:objectId=1\n"),
        ("bom.csv", "\ufeffa@ex.social, true\n\"q,uoted\"@ex.org,\"x\"\"y\"\n"),
        ("friendica.csv", "a@ex.social, true\nb@ex.org, false\n"),
        ("gotosocial-followers.csv", "Account address,Show boosts\nc@ex.social,true\n"),
    ]:
        corpus.add("csv", name, text.encode())

    # query: the left side of every case of the index's query tests.
    for n, line in enumerate(QUERIES.read_text().splitlines()):
        if not line.strip() or line.startswith("#") or line.startswith("@"):
            continue
        query = line.split(" => ")[0]
        corpus.add("query", f"{n:03}", query.encode())

    # Containers: a few entries of the real archives (JSON cut, media cut), in every flavour.
    doc, items = outbox_items(zfiles["outbox.json"])
    mini_outbox = outbox_with(doc, items[:2])
    jpg = next(v for k, v in zfiles.items() if k.endswith(".jpg"))
    png = zfiles["avatar.png"]
    entries = [
        ("outbox.json", mini_outbox),
        ("media_attachments/files/110/285/480/112/204/631/original/adc294faa4f49e38.jpg", small_media(jpg, 1500)),
        ("likes.json", zfiles["likes.json"]),
        ("actor.json", zfiles["actor.json"][:1200]),
        ("avatar.png", small_media(png, 600)),
    ]
    stored = [(n, d, zipfile.ZIP_STORED) for n, d in entries[:2]] + [
        (n, d, zipfile.ZIP_DEFLATED) for n, d in entries[2:]
    ]
    plain_zip = make_zip(entries)
    corpus.add("zip", "deflated.zip", plain_zip)
    corpus.add("zip", "stored.zip", make_zip(stored))
    corpus.add("zip", "zip64.zip", make_zip(entries[:3], zip64=True))
    corpus.add("zip", "prefixed.zip", b"MZ self-extractor stub " * 20 + plain_zip)
    corpus.add("zip", "dirs.zip", make_zip(entries[:2], dirs=["media_attachments/", "archive/"], comment=b"export"))
    corpus.add(
        "zip",
        "names.zip",
        make_zip([("./archive\\outbox.json", mini_outbox), ("/actor.json", b"{}"), ("a//b/./c.png", b"x" * 40)]),
    )
    corpus.add("zip", "shadowed.zip", make_zip([("outbox.json", b"{}"), ("outbox.json", mini_outbox)]))
    corpus.add("zip", "empty.zip", make_zip([]))
    real = REAL_ZIP.read_bytes()
    corpus.add("zip", "real-tail.zip", real[-4096:])

    tar_entries = [(n, d) for n, d in entries]
    mastodon_tar = make_tar(tar_entries, fmt=tarfile.USTAR_FORMAT)
    long_name = "media_attachments/files/000/146/459/" + "x" * 90 + "/original/f59eb11efe5d8172.jpg"
    tars = {
        "ustar.tar": mastodon_tar,
        "gnu.tar": make_tar(tar_entries[:3] + [(long_name, b"y" * 700)], fmt=tarfile.GNU_FORMAT),
        "pax.tar": make_tar(tar_entries[:2] + [(long_name, b"z" * 10), ("caf\u00e9.json", b"{}")], fmt=tarfile.PAX_FORMAT),
        "prefix.tar": make_tar([(long_name[:150], b"p" * 100), ("outbox.json", mini_outbox)], fmt=tarfile.USTAR_FORMAT),
        "absolute.tar": make_tar(
            [("/home/mastodon/live/public/system/media_attachments/files/1/original/a.jpg", b"j" * 300), ("./outbox.json", mini_outbox)],
            dirs=["media_attachments", "./"],
        ),
        "empty.tar": make_tar([]),
    }
    for name, data in tars.items():
        corpus.add("tar", name, data)
    corpus.add("tar", "real-head.tar", REAL_TAR.read_bytes()[:8192])

    # tar.gz: the tars gzipped, and one with enough incompressible data for several access
    # points (the target records one every KiB).
    for name, data in tars.items():
        corpus.add("targz", name + ".gz", gz(data))
    big = make_tar([(entries[1][0], small_media(jpg, 24 << 10)), ("outbox.json", mini_outbox), ("avatar.png", small_media(png, 8 << 10))])
    corpus.add("targz", "points.tar.gz", gz(big, level=9))
    corpus.add("targz", "points-fast.tar.gz", gz(big, level=1))
    corpus.add("targz", "multi-member.tar.gz", gz(mastodon_tar[:1024], name="") + gz(mastodon_tar[1024:], name=""))
    corpus.add("targz", "real-head.tar.gz", REAL_TARGZ.read_bytes()[:4096])

    counts = ", ".join(f"{t} {n}" for t, n in sorted(corpus.counts.items()))
    print(f"seeds: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
