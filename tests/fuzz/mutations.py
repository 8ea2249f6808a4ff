"""Hypothesis strategies that damage real files the way uploads and hand edits do.

A seed file is taken whole, then changed a few times: a byte flipped, the text cut short, a line
repeated or dropped, or a hostile piece (YAML syntax, markup, control and direction characters,
huge numbers, odd digits, bad UTF-8) inserted. Free-form bytes and text are drawn besides.
"""

from __future__ import annotations

from hypothesis import strategies as st

HOSTILE = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",  # a UTF-8-encoded surrogate: not valid UTF-8
    b"\xe2\x80\xae",  # right-to-left override
    b"\xef\xbf\xbf",  # U+FFFF
    b"\r\n",
    b"\t",
    b"\n---\n",
    b"\n...\n",
    b"%YAML 1.1\n",
    b"&a [*a, *a]",
    b"*undefined",
    b"!!python/object/apply:os.system ['true']",
    b"!!binary aGVsbG8=",
    b"? [complex, key]\n: value\n",
    b"{",
    b"]",
    b": ",
    b"- ",
    b"'",
    b'"',
    b"<script>alert(1)</script>",
    b"[x](javascript:alert(1))",
    b"9" * 400,
    b"1e308",
    b"-1e309",
    b".nan",
    b".inf",
    b"~",
    b"null",
    b"2024-13-45",
    b"2024.5",
    "²①０٣".encode(),
    "长".encode() * 600,
    b'=HYPERLINK("http://evil")',
    b"../../etc/passwd",
    b"%2e%2e%2f",
]


@st.composite
def mutated(draw, seeds: list[bytes], max_ops: int = 4) -> bytes:
    """One seed, changed one to `max_ops` times."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["flip", "truncate", "repeat_line", "drop_line", "insert", "insert", "swap_lines"]))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[at:]
        elif op in ("repeat_line", "drop_line", "swap_lines"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "repeat_line":
                lines.insert(i, lines[i])
            elif op == "drop_line":
                del lines[i]
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            piece = draw(st.sampled_from(HOSTILE) | st.binary(max_size=40))
            data[at:at] = piece
    return bytes(data)


def inputs(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    """Mostly damaged seeds (half of them kept valid UTF-8, so the damage reaches the parsing); sometimes free-form bytes or text."""
    return st.one_of(
        mutated(seeds),
        mutated(seeds).map(lambda raw: raw.decode("utf-8", "replace").encode("utf-8")),
        mutated(seeds).map(lambda raw: raw.decode("utf-8", "replace").encode("utf-8")),
        mutated(seeds),
        st.binary(max_size=2000),
        st.text(max_size=2000).map(lambda text: text.encode("utf-8", "surrogatepass")),
    )


def hostile_text(seeds: list[str] = ()) -> st.SearchStrategy[str]:
    """Text for string parsers: free-form, hostile pieces, and damaged seeds."""
    pieces = [piece.decode("utf-8", "replace") for piece in HOSTILE]
    parts = st.sampled_from(pieces) | st.text(max_size=30)
    options = [st.text(max_size=300), st.lists(parts, max_size=8).map("".join)]
    if seeds:
        options.append(mutated([seed.encode() for seed in seeds]).map(lambda raw: raw.decode("utf-8", "replace")))
    return st.one_of(*options)
