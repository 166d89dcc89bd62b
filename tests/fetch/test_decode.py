"""Tests for newsharvest.fetch.decode: browser-style decoding and HTML sniffing."""

from __future__ import annotations

import codecs

import pytest

from newsharvest.fetch.decode import (
    MAX_ERROR_SHARE,
    Decoded,
    canonical_encoding,
    decode_html,
    is_html_response,
)

# 镕 and 喆 exist in GBK but not in GB2312; 㗎 and 喆 exist in Big5-HKSCS but not in Big5.
ZH_BODY = "<p>国务院总理朱镕基今天会见了张喆，双方就经济合作交换了意见。</p>\n" * 20
HK_BODY = "<p>香港立法會今日開會，議員張喆話：「唔係㗎，我哋會繼續討論財政預算案。」</p>\n" * 20
EN_BODY = "<p>The minister said on Tuesday that talks would continue.</p>\n" * 20


def page(body: str, head: str = "", title: str = "新闻") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


def assert_clean(result: Decoded, must_contain: str) -> None:
    assert "\ufffd" not in result.text
    assert must_contain in result.text


def test_utf8_with_header() -> None:
    result = decode_html(page(ZH_BODY).encode("utf-8"), "text/html; charset=UTF-8")
    assert (result.encoding, result.rule) == ("utf-8", "header")
    assert_clean(result, "朱镕基")


def test_utf8_without_any_declaration_is_detected() -> None:
    result = decode_html(page(ZH_BODY).encode("utf-8"), "text/html")
    assert (result.encoding, result.rule) == ("utf-8", "detected")
    assert_clean(result, "张喆")


def test_utf8_meta_only() -> None:
    result = decode_html(page(ZH_BODY, '<meta charset="utf-8">').encode("utf-8"), None)
    assert (result.encoding, result.rule) == ("utf-8", "meta")


def test_gbk_bytes_with_gb2312_meta_keep_gbk_only_characters() -> None:
    content = page(ZH_BODY, '<meta charset="gb2312">').encode("gbk")
    result = decode_html(content, "text/html")
    assert (result.encoding, result.rule) == ("gb18030", "meta")
    assert_clean(result, "朱镕基今天会见了张喆")


def test_gb2312_header_on_gbk_bytes_keeps_gbk_only_characters() -> None:
    result = decode_html(page(ZH_BODY).encode("gbk"), "text/html; charset=gb2312")
    assert (result.encoding, result.rule) == ("gb18030", "header")
    assert_clean(result, "镕")


def test_big5_header_decodes_hkscs_characters() -> None:
    content = page(HK_BODY, title="新聞").encode("big5hkscs")
    with pytest.raises(UnicodeDecodeError):
        content.decode("big5")  # the test is meaningful: plain Big5 cannot do this
    result = decode_html(content, 'text/html; charset="big5"')
    assert (result.encoding, result.rule) == ("big5hkscs", "header")
    assert_clean(result, "唔係㗎")
    assert "張喆" in result.text


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_bom_wins_over_header_and_meta(bom: bytes, codec: str, name: str) -> None:
    content = bom + page(ZH_BODY, '<meta charset="gbk">').encode(codec)
    result = decode_html(content, "text/html; charset=gbk")
    assert (result.encoding, result.rule) == (name, "bom")
    assert not result.text.startswith("\ufeff")
    assert_clean(result, "朱镕基")


def test_lying_utf8_header_on_gbk_bytes_falls_through_to_meta() -> None:
    content = page(ZH_BODY, '<meta http-equiv="Content-Type" content="text/html; charset=gbk">')
    result = decode_html(content.encode("gbk"), "text/html; charset=utf-8")
    assert (result.encoding, result.rule) == ("gb18030", "meta")
    assert_clean(result, "朱镕基")


def test_lying_utf8_header_on_gbk_bytes_without_meta_is_detected() -> None:
    result = decode_html(page(ZH_BODY).encode("gbk"), "text/html; charset=utf-8")
    assert (result.encoding, result.rule) == ("gb18030", "detected")
    assert_clean(result, "朱镕基今天会见了张喆")


def test_stale_gb2312_meta_on_utf8_bytes_is_overridden() -> None:
    content = page(ZH_BODY, '<meta charset="gb2312">').encode("utf-8")
    result = decode_html(content, "text/html; charset=gb2312")
    assert (result.encoding, result.rule) == ("utf-8", "detected")
    assert_clean(result, "朱镕基")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "<meta content='text/html;charset=GBK' http-equiv='content-type'>",
        "<META HTTP-EQUIV=Content-Type CONTENT=\"text/html; charset=gb2312\">",
        "<meta charset=gbk>",
        '<meta name="viewport" content="width=device-width"/><meta charset = "GB2312" />',
    ],
)
def test_meta_variants_attribute_order_and_quotes(meta: str) -> None:
    result = decode_html(page(ZH_BODY, meta).encode("gbk"), None)
    assert (result.encoding, result.rule) == ("gb18030", "meta")
    assert_clean(result, "镕")


def test_content_charset_without_http_equiv_is_ignored() -> None:
    # WHATWG: the content attribute counts only with http-equiv=content-type.
    content = page(EN_BODY, '<meta name="x" content="charset=big5">', "News").encode("ascii")
    assert decode_html(content, None).rule == "default"


def test_meta_after_long_script_beyond_1024_bytes_is_found() -> None:
    script = "<script>var config = {" + "a: 1, " * 600 + "};</script>"
    head = script + '<meta charset="gbk">'
    content = page(ZH_BODY, head).encode("gbk")
    assert content.index(b"<meta") > 3000
    result = decode_html(content, None)
    assert (result.encoding, result.rule) == ("gb18030", "meta")
    assert_clean(result, "镕")


def test_meta_inside_comment_is_ignored() -> None:
    head = '<!-- <meta charset="big5"> --><meta charset="gbk">'
    assert decode_html(page(ZH_BODY, head).encode("gbk"), None).rule == "meta"
    assert decode_html(page(ZH_BODY, head).encode("gbk"), None).encoding == "gb18030"


def test_unknown_labels_are_ignored() -> None:
    content = page(ZH_BODY, '<meta charset="no-such-charset"><meta charset="gbk">').encode("gbk")
    result = decode_html(content, "text/html; charset=utf-7")  # utf-7 is not a web encoding
    assert (result.encoding, result.rule) == ("gb18030", "meta")


def test_windows_1252_page_declared_latin1() -> None:
    text = "<p>\u201cCaf\u00e9 cr\u00e8me\u201d costs \u20ac5 \u2014 na\u00efve fa\u00e7ade.</p>" * 10
    result = decode_html(page(text, title="News").encode("cp1252"), "text/html; charset=ISO-8859-1")
    assert (result.encoding, result.rule) == ("cp1252", "header")
    assert_clean(result, "\u201cCaf\u00e9 cr\u00e8me\u201d costs \u20ac5")


def test_undeclared_windows_1252_page_is_detected() -> None:
    text = ("<p>Le gar\u00e7on a mang\u00e9 une cr\u00eape \u00e0 la cr\u00e8me br\u00fbl\u00e9e."
            " \u201cC'est d\u00e9licieux\u201d, dit-il.</p>\n") * 20
    result = decode_html(page(text, title="News").encode("cp1252"), "text/html")
    assert (result.encoding, result.rule) == ("cp1252", "detected")
    assert_clean(result, "\u201cC'est d\u00e9licieux\u201d")


def test_lone_cp1252_byte_under_utf8_header_is_not_accepted_as_utf8() -> None:
    content = page(EN_BODY + "<p>It\u2019s here</p>", title="News").encode("cp1252")
    result = decode_html(content, "text/html; charset=utf-8")
    assert result.encoding == "cp1252"
    assert_clean(result, "It\u2019s here")


def test_one_broken_byte_on_a_long_gbk_page_keeps_the_declaration() -> None:
    content = page(ZH_BODY * 3).encode("gbk")
    broken = content.replace("合作".encode("gbk"), b"\xff\xff", 1)
    result = decode_html(broken, "text/html; charset=gbk")
    assert (result.encoding, result.rule) == ("gb18030", "header")
    assert 0 < result.text.count("\ufffd") <= 2
    assert "朱镕基" in result.text


def test_one_broken_byte_on_a_long_utf8_page_keeps_utf8() -> None:
    content = page(ZH_BODY * 3).encode("utf-8")
    broken = content[:2000] + b"\xe4\xb8" + content[2000:]  # a truncated character
    result = decode_html(broken, "text/html; charset=utf-8")
    assert (result.encoding, result.rule) == ("utf-8", "header")
    assert result.text.count("\ufffd") == 1


def test_error_share_threshold_is_small() -> None:
    assert 0 < MAX_ERROR_SHARE <= 0.02


def test_ascii_page_without_declaration_uses_default() -> None:
    result = decode_html(page(EN_BODY, title="News").encode("ascii"), None)
    assert result == Decoded(result.text, "utf-8", "default")
    assert "The minister said" in result.text


def test_utf16_header_without_nul_bytes_is_ignored() -> None:
    result = decode_html(page(ZH_BODY).encode("utf-8"), "text/html; charset=utf-16")
    assert result.encoding == "utf-8"
    assert_clean(result, "朱镕基")


def test_garbage_never_raises() -> None:
    blob = bytes(range(256)) * 50
    for content_type in (None, "text/html; charset=utf-8", "text/html; charset=big5"):
        result = decode_html(blob, content_type)
        assert isinstance(result.text, str) and result.text
    assert decode_html(b"", None) == Decoded("", "utf-8", "default")


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("cp936", "gb18030"),
        ("big5", "big5hkscs"), ("Big5-HKSCS", "big5hkscs"), ("cp950", "big5hkscs"),
        ("iso-8859-1", "cp1252"), ("latin1", "cp1252"), ("ascii", "cp1252"),
        ("US-ASCII", "cp1252"), ("utf8", "utf-8"), ('"UTF-8"', "utf-8"),
        ("shift_jis", "cp932"), ("euc-kr", "cp949"), ("windows-1251", "cp1251"),
        ("utf-7", None), ("rot13", None), ("base64", None), ("bogus", None), ("", None),
    ],
)
def test_canonical_encoding(label: str, expected: str | None) -> None:
    assert canonical_encoding(label) == expected


HTML = b"<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>"
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'


@pytest.mark.parametrize(
    ("content_type", "content", "expected"),
    [
        ("text/html; charset=utf-8", HTML, True),
        ("application/xhtml+xml", b'<?xml version="1.0"?><html xmlns="x"></html>', True),
        ("TEXT/HTML", b"", True),
        (None, HTML, True),
        ("", b"\xef\xbb\xbf\n  <html><body>x</body></html>", True),
        ("application/octet-stream", b"<html><body>x</body></html>", True),
        (None, b"<!-- generated --><div>x</div>", True),
        (None, b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', True),
        (None, codecs.BOM_UTF16_LE + "<html><body>x</body></html>".encode("utf-16-le"), True),
        ("application/pdf", b"%PDF-1.7 ...", False),
        ("text/html", b"%PDF-1.7 mislabelled download", False),
        ("image/png", b"\x89PNG\r\n\x1a\n", False),
        (None, b"\x89PNG\r\n\x1a\n\x00\x00", False),
        ("application/zip", b"PK\x03\x04", False),
        ("application/octet-stream", b"PK\x03\x04 <html>", False),
        (None, b"\xff\xd8\xff\xe0 JFIF", False),
        ("application/json", b'{"html": "<p>"}', False),
        (None, RSS, False),
        ("text/plain", b"just words, then <p>a tag</p>", False),
        (None, b"\x00\x01\x02<html>", False),
    ],
)
def test_is_html_response(content_type: str | None, content: bytes, expected: bool) -> None:
    assert is_html_response(content_type, content) is expected


def test_double_encoded_gbk_page_is_repaired():
    """GBK bytes read as Latin-1 and saved again as UTF-8, still declaring GBK."""
    original = ("<html><head><meta charset=\"gbk\"></head><body><p>"
                + "意大利游轮运营商首席执行官认定船长人为失误导致游轮搁浅。" * 5 + "</p></body></html>")
    doubled = original.encode("gbk").decode("latin-1").encode("utf-8")
    decoded = decode_html(doubled, "text/html")
    assert decoded.rule == "repaired"
    assert "意大利游轮运营商" in decoded.text


def test_real_utf8_page_with_stale_gbk_meta_is_not_repaired():
    page = "<meta charset=\"gb2312\"><p>" + "Café crème brûlée à la carte. " * 20 + "</p>"
    decoded = decode_html(page.encode("utf-8"), None)
    assert decoded.rule == "detected" and "crème brûlée" in decoded.text
