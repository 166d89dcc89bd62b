"""Reading WARCs: every response streamed, damage reported and stepped over."""

from __future__ import annotations

from newsharvest.ingest.warc import read_warc
from newsharvest.ingest.write import ResponseInput, write_warc


def read(path):
    problems = []
    pages = list(read_warc(path, problems.append))
    return pages, problems


def test_intact_warcs_yield_every_response_in_order(archives):
    seen = []
    for warc in archives.warcs:
        pages, problems = read(warc)
        assert not problems
        seen += [(p.url, p.payload) for p in pages]
    assert sorted(seen) == sorted((r.url, r.payload) for r in archives.responses)


def test_dates_statuses_and_headers_come_through(archives):
    pages, _ = read(archives.warcs[0])
    first, expected = pages[0], archives.responses[0]
    assert first.date == expected.date and first.date.tzinfo is not None
    assert first.status == 200
    assert first.content_type == expected.headers["content-type"]
    assert first.record_id and first.record_id.startswith("<urn:uuid:")


def test_a_corrupt_gzip_member_is_reported_and_reading_resumes_after_it(archives):
    pages, problems = read(archives.damaged)
    urls = [p.url for p in pages]
    damaged_url = archives.responses[1].url
    assert damaged_url not in urls
    assert urls[-1] == archives.responses[2].url  # records after the damage are read
    kinds = [p.kind for p in problems]
    assert kinds == ["corrupt-gzip", "truncated-record"]
    corrupt = problems[0]
    assert pages[3].offset < corrupt.offset < pages[4].offset


def test_a_record_cut_short_is_reported_not_yielded(archives):
    pages, problems = read(archives.damaged)
    cut = archives.responses[3].url
    assert cut not in [p.url for p in pages]
    assert problems[-1].url == cut and "payload bytes" in problems[-1].message


def test_uncompressed_file_truncated_mid_record(tmp_path):
    path = tmp_path / "cut.warc"
    pages = [ResponseInput(f"https://example.com/{i}", b"<html><p>%d</p></html>" % i * 50)
             for i in range(3)]
    write_warc(path, pages)
    path.write_bytes(path.read_bytes()[:-200])
    got, problems = read(path)
    assert [p.url for p in got] == ["https://example.com/0", "https://example.com/1"]
    assert [p.kind for p in problems] == ["truncated-record"]


def test_damage_in_the_first_member_still_reads_the_rest(tmp_path):
    from conftest import corrupt_member

    path = tmp_path / "first.warc.gz"
    pages = [ResponseInput(f"https://example.com/{i}", b"<html><p>x</p></html>" * 40)
             for i in range(3)]
    offsets = write_warc(path, pages)
    corrupt_member(path, offsets, 0)
    got, problems = read(path)
    assert [p.url for p in got] == ["https://example.com/1", "https://example.com/2"]
    assert problems[0].kind == "corrupt-gzip" and problems[0].offset == 0


def test_damage_in_the_last_member_ends_the_file_with_a_report(tmp_path):
    from conftest import corrupt_member

    path = tmp_path / "last.warc.gz"
    pages = [ResponseInput(f"https://example.com/{i}", b"<html><p>x</p></html>" * 40)
             for i in range(2)]
    offsets = write_warc(path, pages)
    corrupt_member(path, offsets, 1)
    got, problems = read(path)
    assert [p.url for p in got] == ["https://example.com/0"]
    assert "no intact record after it" in problems[0].message


def test_memory_stays_flat_however_large_the_warc(tmp_path):
    """Records stream: Python's peak allocation stays far below the payloads' total."""
    import tracemalloc

    path = tmp_path / "big.warc.gz"
    body = b"<html><body>" + b"<p>paragraph of a long page</p>" * 1600 + b"</body></html>"
    count = 400  # 400 x 50 KB = 20 MB of payload
    write_warc(path, (ResponseInput(f"https://example.com/{i}", body) for i in range(count)))
    tracemalloc.start()
    try:
        total = sum(len(p.payload) for p in read_warc(path, lambda p: None))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == count * len(body)
    assert peak < total / 20


def test_bodies_archived_with_their_http_codings_are_decoded(tmp_path):
    import gzip
    import zlib

    html = b"<html><body>" + b"<p>an article kept as the server sent it</p>" * 40 + b"</body>"
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(html[i:i + 300]), html[i:i + 300])
                       for i in range(0, len(html), 300)) + b"0\r\n\r\n"
    cases = [
        ("gzip", gzip.compress(html), {"content-encoding": "gzip"}),
        ("deflate", zlib.compress(html), {"content-encoding": "deflate"}),
        ("raw-deflate", zlib.compress(html)[2:-4], {"content-encoding": "deflate"}),
        ("chunked", chunked, {"transfer-encoding": "chunked"}),
        ("chunked-gzip", b"%x\r\n%s\r\n0\r\n\r\n" % (len(gzip.compress(html)),
                                                     gzip.compress(html)),
         {"transfer-encoding": "chunked", "content-encoding": "gzip"}),
        ("unknown", b"zzzz", {"content-encoding": "compress"}),
    ]
    path = tmp_path / "codings.warc.gz"
    write_warc(path, [ResponseInput(f"https://example.com/{name}", body,
                                    headers={"content-type": "text/html", **headers})
                      for name, body, headers in cases])
    pages, problems = read(path)
    assert {p.url.rsplit("/", 1)[1]: p.payload for p in pages} == {
        name: html for name, _, _ in cases[:-1]}
    assert [(p.kind, p.url) for p in problems] == [("bad-encoding", "https://example.com/unknown")]
