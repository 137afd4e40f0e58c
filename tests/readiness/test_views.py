"""The readiness page, board report, PDF and exports agree with the JSON to the number."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.support.board_pack import assert_board_agrees
from tests.support.helpers import TODAY
from tests.support.readiness import seed_forecast
from tracker import clock


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def cell(html: str, row_attr: str, column: int) -> str:
    row = re.search(rf"<tr {row_attr}[^>]*>(.*?)</tr>", html, re.S).group(1)
    row = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", row)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return re.sub(r"<[^>]+>", "", cells[column]).strip()


def figure(text: str) -> str:
    """The number of a cell that shows a level with its words ("1.74 — between ...")."""
    return text.split(" — ")[0]


def show_json(app, organisation: str | None = None) -> dict:
    chosen = ["--organisation", organisation] if organisation else []
    result = app.test_cli_runner().invoke(
        args=["readiness", "show", "--json", "--as-of", TODAY.isoformat(), *chosen]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_page_board_report_json_and_export_agree(app, session, framework, make_user, sign_in):
    _, _, _owner, _, _ = seed_forecast(session, make_user)
    data = show_json(app)
    client = sign_in(make_user("viewer"))
    page = client.get("/readiness").get_data(as_text=True)
    board = client.get("/readiness/board-report").get_data(as_text=True)
    export = client.get("/readiness/export.csv")
    assert export.status_code == 200
    lines = export.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert_board_agrees(board, data, cell)
    for html in (page,):
        assert figure(cell(html, 'data-scope="overall"', 2)) == f"{data['overall']['expected']:.2f}"
        assert figure(cell(html, 'data-scope="overall"', 3)) == f"{data['overall']['assured']:.2f}"
        for c in data["components"]:
            assert (
                figure(cell(html, f'data-scope="component-{c["position"]}"', 2))
                == f"{c['expected']:.2f}"
            )
        for q in data["questions"]:
            attr = f'data-question="{q["number"]}"'
            assert figure(cell(html, attr, 4)) == f"{q['expected']:.2f}"
            assert figure(cell(html, attr, 5)) == f"{q['assured']:.2f}"
            assert cell(html, attr, 6) == q["status"]
    overall_row = next(csv.reader(lines[1:2]))
    assert overall_row[0] == "Overall"
    assert float(overall_row[10]) == data["overall"]["expected"]
    assert overall_row[14] == data["overall"]["status"]
    q1 = next(line for line in lines if line.startswith("Question,") and ",1," in line)
    assert str(data["questions"][0]["expected"]) in q1
    # the model's numbers for question 1: rate (1+2)/(1+4) = 0.6 ... see test_compute
    assert data["questions"][0]["status"] in page


def test_page_shows_risks_movers_charts_and_method(app, session, framework, make_user, sign_in):
    _, _, owner, _a1, a2 = seed_forecast(session, make_user)
    client = sign_in(owner)
    response = client.get("/readiness")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<a href="/actions/{a2.id}">Staff survey</a>' in html
    assert "1 overdue milestone; Evidence rejected" in html
    assert "No owner; No milestones" in html
    assert html.count('class="app-chart" role="img"') == 2 and '<desc id="radar-desc">' in html
    assert "Board sign-off" in html.split('id="movers"')[1]
    assert "(1 + 2) ÷ (2 + 4) = 0.50" in " ".join(html.split())  # one on time, one overdue
    assert "style=" not in html and "<script>" not in html


def test_export_xlsx_is_formula_safe(app, session, framework, make_user, sign_in):
    _rnd, _, _, _, _ = seed_forecast(session, make_user)
    from tests.support.factories import question

    question(session, 3).text = '=HYPERLINK("http://evil")'
    session.commit()
    client = sign_in(make_user("director"))
    response = client.get("/readiness/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    texts = [row[3] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in texts


def test_owner_may_not_export(app, session, framework, make_user, sign_in):
    seed_forecast(session, make_user)
    client = sign_in(make_user("owner"))
    assert client.get("/readiness/export.csv").status_code == 403
    assert "Download CSV" not in client.get("/readiness").get_data(as_text=True)


def test_unknown_export_format_is_404(app, session, framework, make_user, sign_in):
    seed_forecast(session, make_user)
    client = sign_in(make_user("viewer"))
    assert client.get("/readiness/export.pdf").status_code == 404


def test_pdf_download(app, session, framework, make_user, sign_in):
    seed_forecast(session, make_user)
    client = sign_in(make_user("viewer"))
    response = client.get("/readiness/board-report.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]


def test_signed_out_is_sent_to_sign_in(app, client, session, framework):
    assert client.get("/readiness").status_code in (302, 401)


def test_empty_state(app, session, framework, make_user, sign_in):
    client = sign_in(make_user("viewer"))
    html = client.get("/readiness").get_data(as_text=True)
    assert "There is no assessment round yet" in html


def test_trend_appears_after_two_days_of_snapshots(app, session, framework, make_user, sign_in):
    seed_forecast(session, make_user)
    runner = app.test_cli_runner()
    for day in ("2026-11-20", "2026-11-27"):
        assert runner.invoke(args=["readiness", "recompute", "--as-of", day]).exit_code == 0
    client = sign_in(make_user("viewer"))
    html = client.get("/readiness").get_data(as_text=True)
    assert 'id="trend-title"' in html
    assert "Expected level by component over time" in html
    assert "20 Nov 2026" in html and "27 Nov 2026" in html


def test_pdf_is_rendered_once_per_report_and_then_served_from_the_cache(
    app, session, framework, make_user, sign_in, monkeypatch, tmp_path
):
    from tracker.readiness import pdf as pdf_module

    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    renders = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda html: renders.append(1) or real(html))
    seed_forecast(session, make_user)
    client = sign_in(make_user("viewer"))
    first = client.get("/readiness/board-report.pdf")
    second = client.get("/readiness/board-report.pdf")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.data.startswith(b"%PDF")
    assert len(renders) == 1
    cached = list((tmp_path / "board-reports").iterdir())
    assert len(cached) == 1 and oct(cached[0].stat().st_mode & 0o777) == "0o600"


def visible(html: str) -> str:
    """The text a sighted reader sees: no visually hidden spans, no tags, spaces collapsed."""
    html = re.sub(r'<span class="nhsuk-u-visually-hidden">.*?</span>', "", html, flags=re.S)
    html = re.sub(r"<(desc|title)[^>]*>.*?</\1>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_questions_and_components_by_name_with_level_words(
    app, session, framework, make_user, sign_in
):
    from tests.support.factories import question

    seed_forecast(session, make_user)
    q1, q9 = question(session, 1), question(session, 9)
    q9.text = "A question long enough to be shortened on the readiness page: " + "words " * 12
    session.commit()
    data = show_json(app)
    html = sign_in(make_user("viewer")).get("/readiness").get_data(as_text=True)
    seen = visible(html)
    questions = html.split('id="question-table"')[1].split("</table>")[0]
    assert f"1. {q1.text}" in visible(questions)
    # A long text is shortened, the whole of it in a details element on the page.
    row = re.search(r'<tr data-question="9".*?</tr>', questions, re.S).group(0)
    assert "<details" in row and q9.text.strip() in " ".join(row.split())
    assert "9. A question long enough" in visible(row) and "…" in row
    # At risk and movers name their questions too.
    at_risk = visible(html.split('id="at-risk"')[1].split("</table>")[0])
    assert f"2. {question(session, 2).text}" in at_risk
    assert f"1. {q1.text}" in visible(html.split('id="movers"')[1].split("</table>")[0])
    # The radar names the components, never "Component 1".
    radar = html.split('id="radar-title"')[1].split("</svg>")[0]
    assert "1. Building a shared" in radar and "Component 1" not in html
    # Level names beside every figure of the summary.
    overall = data["overall"]
    expected = overall["expected"]
    assert cell(html, 'data-scope="overall"', 2).startswith(f"{expected:.2f} — ")
    assert "between Starting and Developing" in cell(html, 'data-scope="overall"', 2)
    assert f"Overall expected level by the next round: {expected:.2f} — " in seen


def test_movers_due_by_the_next_round_come_first(app, session, framework, make_user, sign_in):
    seed_forecast(session, make_user)  # "After the round" is due after the next round
    html = sign_in(make_user("viewer")).get("/readiness").get_data(as_text=True)
    before, after = html.index('id="movers"'), html.index('id="movers-after"')
    assert before < after
    assert "Board sign-off" in html[before:after] and "Overdue survey" in html[before:after]
    assert "After the round" not in html[before:after]
    assert "After the round" in html[after:].split("</table>")[0]


def test_every_status_on_the_page_follows_the_rule_on_its_figures(
    app, session, framework, make_user, sign_in
):
    from tests.readiness.test_status_rule import stated_rule

    seed_forecast(session, make_user)
    data = show_json(app)
    html = sign_in(make_user("viewer")).get("/readiness").get_data(as_text=True)
    rows = re.findall(r'<tr (data-scope="[^"]+")', html)
    assert len(rows) == 6  # overall and five components
    for attr in rows:
        now, expected, target = (Decimal(figure(cell(html, attr, column))) for column in (1, 2, 4))
        assert cell(html, attr, 5) == stated_rule(now, target, expected)
    for q in data["questions"]:
        attr = f'data-question="{q["number"]}"'
        expected = Decimal(figure(cell(html, attr, 4)))
        rule = stated_rule(Decimal(f"{q['baseline']:.2f}"), Decimal(f"{q['target']:.2f}"), expected)
        assert cell(html, attr, 6) == rule
