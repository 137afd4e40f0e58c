"""The importer fed random files: it either imports or raises InvalidInput; it never crashes."""

from __future__ import annotations

import csv
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.helpers import SAMPLE
from tracker.domain.errors import InvalidInput
from tracker.domain.rounds.importing import parse_round_file

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MAX_BYTES = 256 * 1024
LEVELS = ["Starting", "Developing", "starting ", "STARTING", "Embedding", "", "=1+1", "Spreading"]
HEADERS = ["Question", "Score", "Component", "Level", "Definition", "", "question no."]
hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60
) | st.sampled_from(
    ["=cmd|'/c calc'!A1", "<script>alert(1)</script>", "'; DROP TABLE score; --", "\u202e", "\x00"]
)


def parse(session, data: bytes) -> None:
    try:
        parse_round_file(session, data, max_bytes=MAX_BYTES)
    except InvalidInput as error:
        assert error.problems, "InvalidInput must say what is wrong"
        assert str(error)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(session, framework, data):
    parse(session, data)


@FUZZ
@given(prefix=st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"%PDF", b""]), rest=st.binary())
def test_random_bytes_behind_magic_numbers(session, framework, prefix, rest):
    parse(session, prefix + rest)


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS) | hostile_text, min_size=0, max_size=6),
    rows=st.lists(
        st.lists(st.integers(-3, 30).map(str) | st.sampled_from(LEVELS) | hostile_text, max_size=6),
        max_size=30,
    ),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_random_csv(session, framework, header, rows, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    parse(session, buffer.getvalue().encode("utf-8", "surrogatepass"))


@FUZZ
@given(cut=st.integers(0, 10_000), noise=st.binary(max_size=64))
def test_mangled_sample_document(session, framework, cut, noise):
    sample = SAMPLE.read_bytes()
    cut = cut % (len(sample) + 1)
    parse(session, sample[:cut] + noise + sample[cut:])


@FUZZ
@given(name=st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "x"]), body=st.binary())
def test_broken_xlsx(session, framework, name, body):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, body)
    parse(session, buffer.getvalue())


def test_the_sample_itself_parses(session, framework):
    _, matched = parse_round_file(session, SAMPLE.read_bytes(), max_bytes=MAX_BYTES)
    assert len(matched) == 22
