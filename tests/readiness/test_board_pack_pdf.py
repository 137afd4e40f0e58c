"""The board pack PDF: tagged (PDF/UA-1), A4 with nothing past the margins, a text layer that
reads in the printed order with every question's number and text once and nothing hidden
jumbled in, "Compared with partners" when the organisation shares; a PDF cached by what it
renders. Its pages are saved as images under test-artifacts/board-pack/ to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.support.board_pack import seed_partners, seed_two_rounds
from tests.support.helpers import NOW, TODAY
from tracker import clock
from tracker.models import Milestone, Question

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "board-pack"
A4 = (595.28, 841.89)  # points


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def board_pdf(app, session, framework, make_user, sign_in, monkeypatch, tmp_path):
    from tracker.readiness import pdf as pdf_module

    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    rendered: list[str] = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda html: rendered.append(html) or real(html))
    rnd, _owner = seed_two_rounds(session, make_user)
    client = sign_in(seed_partners(session, make_user, rnd))
    response = client.get("/readiness/board-report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "board-pack.pdf"
    path.write_bytes(response.data)
    (ARTIFACTS / "board-pack.html").write_text(rendered[0])
    return path


def pdf_text(path: Path) -> str:
    """The PDF's text layer in content order (poppler's pdftotext -raw), or, where poppler is
    not installed, the text WeasyPrint laid out for the same document, in the order it draws
    it (its document model: what the text layer is written from)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        )
        return " ".join(out.stdout.split())
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure.boxes import TextBox

    from tracker.readiness.pdf import PRINT_CSS, refuse_fetch

    html = (path.parent / "board-pack.html").read_text()
    document = HTML(string=html, url_fetcher=refuse_fetch).render(
        stylesheets=[CSS(string=PRINT_CSS, url_fetcher=refuse_fetch)]
    )
    words = [
        box.text
        for page in document.pages
        for box in _descendants(page._page_box)
        if isinstance(box, TextBox)
    ]
    return " ".join(" ".join(words).split())


def pdf_objects(raw: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (WeasyPrint packs its dictionaries,
    the structure tree included, into compressed object streams)."""
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_pdf_is_tagged_and_a4(board_pdf):
    data = pdf_objects(board_pdf.read_bytes())
    assert b"/StructTreeRoot" in data and b"/MarkInfo" in data
    assert b"/Marked true" in data
    assert b"pdfuaid" in data  # the PDF/UA identification in its metadata
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes and all(abs(float(w) - A4[0]) < 1 and abs(float(h) - A4[1]) < 1 for w, h in boxes)
    assert b"/Lang (en-GB)" in data or b"/Lang" in data


def test_the_text_layer_reads_in_order_with_questions_by_number_and_text(board_pdf, session):
    text = pdf_text(board_pdf)
    headings = [
        "readiness for the next NHS IMPACT round",
        "Board report prepared 27 November 2026",
        "Summary",
        "Since the previous round (Baseline 2025",
        "Components",
        "Questions",
        "Actions by component and status",
        "Open actions at risk",
        "Compared with partners in Nottingham and Nottinghamshire ICS",
        "How these numbers are worked out",
    ]
    places = [text.find(h) for h in headings]
    assert -1 not in places, [h for h, p in zip(headings, places, strict=True) if p < 0]
    assert places == sorted(places)
    questions_part = text[text.find("Each question: level now") : text.find("Actions by component")]
    at = []
    for q in session.scalars(select(Question).order_by(Question.number)):
        words = f"{q.number}. {q.text}"
        assert questions_part.count(words) == 1, words
        at.append(questions_part.find(words))
    assert at == sorted(at)  # in question order, nothing hidden jumbled in
    assert "Q12" not in text and "None" not in text
    # the phone layout's column labels are not in print
    assert "Level now Level now" not in text and "Status Status" not in text
    assert "Target met" in text
    partners = text[text.find("Compared with partners") : text.find("How these numbers")]
    assert "Nottinghamshire Healthcare (RHA)" in partners
    assert re.search(r"Sherwood Community Trust \(RX9\) Not shared Not shared", partners)
    assert "below" in partners  # the partner is higher on components 1-2


def test_the_pdf_pages_saved_as_images(board_pdf):
    """Pages as PNG images (for people to look at, and kept by CI with the other artifacts)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    for old in ARTIFACTS.glob("board-pack-page-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(board_pdf), str(ARTIFACTS / "board-pack-page")],
        check=True,
    )
    pages = sorted(ARTIFACTS.glob("board-pack-page-*.png"))
    assert pages and all(p.stat().st_size > 5_000 for p in pages)


def test_nothing_reaches_past_the_page_margins(app, session, framework, make_user, sign_in):
    """Laid out by WeasyPrint as for the PDF: no box is wider than the A4 page's content."""
    from weasyprint import CSS, HTML

    from tracker.readiness.pdf import PRINT_CSS, refuse_fetch

    rnd, _ = seed_two_rounds(session, make_user)
    client = sign_in(seed_partners(session, make_user, rnd))
    html = client.get("/readiness/board-report").get_data(as_text=True)
    html = html.split("<main", 1)[0] + "<main" + html.split("<main", 1)[1]
    document = HTML(string=html, url_fetcher=refuse_fetch).render(
        stylesheets=[CSS(string=PRINT_CSS, url_fetcher=refuse_fetch)]
    )
    widest = 0.0
    for page in document.pages:
        page_width = page.width
        for box in _descendants(page._page_box):
            right = box.position_x + box.margin_width()
            widest = max(widest, right - page_width)
    assert widest <= 0.5


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def test_a_new_snapshot_the_same_day_gives_a_new_pdf(
    app, session, framework, make_user, sign_in, monkeypatch, tmp_path
):
    from tracker.readiness import pdf as pdf_module

    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    renders = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda html: renders.append(1) or real(html))
    seed_two_rounds(session, make_user)
    client = sign_in(make_user("viewer"))
    first = client.get("/readiness/board-report.pdf").data
    assert client.get("/readiness/board-report.pdf").data == first and len(renders) == 1
    milestone = session.scalars(select(Milestone).where(Milestone.done_at.is_(None))).first()
    milestone.done_at = NOW
    session.commit()
    assert (
        app.test_cli_runner()
        .invoke(args=["readiness", "recompute", "--as-of", TODAY.isoformat()])
        .exit_code
        == 0
    )
    second = client.get("/readiness/board-report.pdf").data
    assert second != first and len(renders) == 2
    assert len(list((tmp_path / "board-reports").glob("board-report-*.pdf"))) == 2
