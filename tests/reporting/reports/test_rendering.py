"""The report PDFs read back with pypdf: the figures printed are the measure functions' values
for the same data, Danish letters survive, pages are numbered "side X af Y", the PDF is tagged
(PDF/UA) with title and language, and user-entered text is escaped with nothing fetched."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from pypdf import PdfReader

from reporting import measures
from reporting.measures import BY_SLUG, Population
from reporting.reports import caseload, monthly, results
from reporting.reports.models import ReportType
from reporting.reports.params import Params
from reporting.reports.rendering import ReportNotAvailable, render
from substitution.pdf import restricted_fetcher
from tests.reporting.reports.conftest import NOV, Office, line_with, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def params(office: Office, kind: str, team: bool = True, **kwargs: object) -> Params:
    return Params(
        kind,
        office.unit.pk,
        office.north.pk if team else None,
        NOV,
        **kwargs,  # type: ignore[arg-type]
    )


def test_caseload_report_prints_each_staff_members_measures(office: Office) -> None:
    rendered = render(params(office, ReportType.SAGSSTAMME))
    pages = pdf_pages(rendered.pdf)
    assert rendered.pages == len(pages)
    text = "\n".join(pages)
    assert "Sagsstammerapport: Team Nørrebro, november 2026" in text
    # One section per jobformidler of the team, each starting on its own page.
    soeren = next(p for p in pages if "Søren Ærø" in p)
    aase = next(p for p in pages if "Åse Østergård" in p)
    assert soeren != aase
    for staff, page in ((office.jf_north, soeren), (office.jf_north_2, aase)):
        population = Population(office.unit.pk, (office.north.pk,), jobformidler_id=staff.pk)
        figures = measures.compute(population, NOV, caseload.FIGURES)
        for slug in ("caseload", "contact_cadence", "ordinary_hours", "overdue_follow_ups"):
            line = line_with(page, BY_SLUG[slug].label)
            assert figures[slug].display in line, (slug, line, figures[slug])
    # Søren's caseload: Anna (trin 3, a paid placement) and Bjørn (trin 2? no goal: trin 1).
    assert line_with(soeren, "Aktiv sagsstamme").split()[2] == "2"
    assert line_with(soeren, "Trin 3 – Virksomhedsforløb").endswith(" 1")
    assert "Anna Æ." in soeren and "Bjørn Å." in soeren
    # The other team's citizens are nowhere.
    assert "Dorte" not in text and "Erik" not in text


def test_results_statement_rows_and_filter(office: Office) -> None:
    every = render(params(office, ReportType.RESULTATOPGOERELSE))
    paid = render(params(office, ReportType.RESULTATOPGOERELSE, paid_only=True))
    every_text, paid_text = pdf_text(every.pdf), pdf_text(paid.pdf)
    # Anna's paid job (still employed) is in both; Bjørn's unpaid praktik only in every forløb.
    assert "Anna Æ." in every_text and "Anna Æ." in paid_text
    assert "Bjørn Å." in every_text and "Bjørn Å." not in paid_text
    assert "stadig ansat" in paid_text
    assert "Æblegården ApS" in paid_text and "Pakning af æbler" in paid_text
    assert "Lagerarbejde" in paid_text  # the competences (job goal)
    # Never a CPR number, never the full last name.
    for c in results.placements(Population(office.unit.pk, (office.north.pk,)), NOV, False):
        assert c.citizen.cpr not in every_text
        assert c.citizen.last_name not in every_text
    statement = results.statement(Population(office.unit.pk, (office.north.pk,)), NOV, True)
    (row,) = statement.rows
    # Started 2 March 2026, employed to the period's end: 9 whole months (2.3.–30.11.) less a day.
    assert row.ends_on is None
    assert row.still_after == {3: True, 6: True, 12: None}
    # 40 hours on the November payslip; 9.0 months in the placement.
    assert row.months == pytest.approx(9.0, abs=0.05)
    assert "Kun lønnede job" in paid_text


def test_monthly_status_figures_equal_the_measures(office: Office) -> None:
    rendered = render(params(office, ReportType.MAANEDLIG_STATUS, team=False))
    text = pdf_text(rendered.pdf)
    base = Population(office.unit.pk)
    totals = measures.compute(base, NOV, monthly.KEY + monthly.EXITS + monthly.FSM)
    for slug in ("caseload", "exits", "exits_job", "virksomhedsforloeb", "ordinary_hours", "cv"):
        figure = totals[slug]
        cells = [figure.display, str(figure.numerator), "–"]
        if figure.denominator is not None:
            cells[2] = str(figure.denominator)
        assert line_with(text, BY_SLUG[slug].label) == " ".join([BY_SLUG[slug].label, *cells])
    assert totals["exits_job"].numerator == 1  # Dorte, in the other team: pooled
    # Teams side by side: each team's figure and the pooled total.
    per_team = {
        t.pk: measures.compute(base.with_teams([t.pk]), NOV, ["caseload"])["caseload"]
        for t in (office.north, office.south)
    }
    row = line_with(text.split("Teams side om side", 1)[1], "Aktiv sagsstamme")
    assert row.split()[2:] == [
        per_team[office.north.pk].display,
        per_team[office.south.pk].display,
        totals["caseload"].display,
    ]
    assert "Team Nørrebro Team Søndermark I alt" in text
    assert "Median og spænd mellem teams" in text
    # 13 months of trend, the last the report's month.
    assert "dec.\u00a02025" in text or "dec. 2025" in text
    assert "Der er ingen måltal for måneden." in text and "Ingen åbne handleplaner." in text
    assert "Ingen afsluttet fidelitetsmåling" in text


def test_pages_are_numbered_side_x_af_y_and_the_pdf_is_tagged(office: Office) -> None:
    rendered = render(params(office, ReportType.SAGSSTAMME))
    pages = pdf_pages(rendered.pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"side {number} af {len(pages)}" in page
        # The running header: unit, team, period and generation time on every page.
        assert "Jobcenter Test, Team Nørrebro" in page
        assert "november 2026" in page
        assert "Dannet 02.12.2026 kl. 10:00" in page
    reader = PdfReader(io.BytesIO(rendered.pdf))
    root: Any = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "da"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title == "Sagsstammerapport: Team Nørrebro, november 2026"
    # PDF/UA-1 is declared in the XMP metadata.
    xmp = reader.xmp_metadata
    assert xmp is not None and b"pdfuaid" in xmp.stream.get_data()
    # The embedded font is the vendored DejaVu Sans (Danish letters), a subset.
    resources: list[Any] = [page["/Resources"] for page in reader.pages]
    fonts = {
        str(font.get_object()["/BaseFont"]) for res in resources for font in res["/Font"].values()
    }
    assert fonts and all("Report-Sans" in f or "ReportSans" in f or "DejaVu" in f for f in fonts), (
        fonts
    )
    text = "\n".join(pages)
    for word in ("Søren Ærø", "Åse Østergård", "Nørrebro", "ordinære"):
        assert word in text


def test_a_repeated_table_header_on_every_page_of_a_long_table(office: Office) -> None:
    from tests.reporting.reports.conftest import fill

    fill(office, extra=60)  # 60 more citizens for Søren: his citizen table spans pages
    pages = pdf_pages(render(params(office, ReportType.SAGSSTAMME)).pdf)
    with_rows = [p for p in pages if "Ekstra" in p]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert "Borger Trin Seneste samtale Næste opfølgning" in page


HOSTILE = (
    'Se <img src="http://127.0.0.1:9/x"> og <link rel=stylesheet href="http://127.0.0.1:9/s.css">'
    " samt <script>alert('ø')</script> – æøå"
)


def test_a_user_note_is_text_and_nothing_is_fetched(office: Office) -> None:
    record: list[str] = []
    rendered = render(
        params(office, ReportType.SAGSSTAMME, note=HOSTILE), fetcher=restricted_fetcher(record)
    )
    text = pdf_text(rendered.pdf)
    # Compared without white space: a long line wraps where the PDF's text has a break.
    flat = "".join(text.split())
    for markup in (
        '<img src="http://127.0.0.1:9/x">',
        '<link rel=stylesheet href="http://127.0.0.1:9/s.css">',
        "<script>alert('ø')</script>",
    ):
        assert "".join(markup.split()) in flat, markup
    assert "<" in rendered.html and "&lt;img" in rendered.html and "<img" not in rendered.html
    # Only the project's own static files were asked for: the stylesheet and the two fonts.
    static = "file://" + str(Path(settings.BASE_DIR).resolve()) + "/static/"
    assert record, "the fetcher recorded nothing: the stylesheet was not loaded through it"
    assert all(url.startswith(static) for url in record), record
    assert not any("127.0.0.1" in url for url in record)
    assert sorted({url.rsplit("/", 1)[1] for url in record}) == [
        "DejaVuSans-Bold.ttf",
        "DejaVuSans.ttf",
        "reports-pdf.css",
    ]


def test_the_fetcher_refuses_every_address_but_static_files() -> None:
    from substitution.pdf import FetchRefused

    record: list[str] = []
    fetcher = restricted_fetcher(record)
    base = "file://" + str(Path(settings.BASE_DIR).resolve()) + "/"
    for url in (
        "http://127.0.0.1:9/x",
        "https://example.org/a.css",
        "file:///etc/passwd",
        base + "manage.py",
        base + "static/../manage.py",
        "data:text/css,body{}",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    served = fetcher.fetch(base + "static/css/reports-pdf.css")
    assert served.read().startswith(b"/*")
    assert len(record) == 7


def test_the_caseload_report_needs_a_team_and_fidelity_a_round(office: Office) -> None:
    with pytest.raises(ReportNotAvailable):
        render(params(office, ReportType.SAGSSTAMME, team=False))
    with pytest.raises(ReportNotAvailable):
        render(params(office, ReportType.FIDELITET))


def test_the_summary_alone_counts_as_the_statement(office: Office) -> None:
    from tests.reporting.reports.conftest import fill

    fill(office, extra=2)
    for team_ids in ((), (office.north.pk,)):
        population = Population(office.unit.pk, team_ids)
        every, paid = results.summaries(population, NOV)
        assert every == results.statement(population, NOV, False).summary
        assert paid == results.statement(population, NOV, True).summary
        assert every.forloeb > paid.forloeb > 0


def test_a_results_statement_too_large_for_a_pdf_is_refused(office: Office, settings: Any) -> None:
    settings.REPORT_MAX_ROWS = 1
    with pytest.raises(ReportNotAvailable, match="Resultatopgørelsen har 2 forløb"):
        render(params(office, ReportType.RESULTATOPGOERELSE))
    assert render(params(office, ReportType.RESULTATOPGOERELSE, paid_only=True)).pages == 1
