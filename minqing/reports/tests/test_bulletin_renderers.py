"""The renderers: DOCX in the GB/T 9704-2012 layout (read back with python-docx), PDF through
WeasyPrint with its fonts embedded and a first page that renders, XLSX with the tables."""

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from minqing.orgs.actors import SYSTEM
from minqing.reports.bulletins.renderers import render
from minqing.reports.bulletins.renderers.docx import char_space
from minqing.reports.bulletins.renderers.pdf import render_html
from minqing.reports.bulletins.services import bulletin_generate, bulletin_publish, published_doc
from minqing.reports.tests.test_bulletin_world import AS_OF, at, isolated_metrics, make_bulletin_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics(monkeypatch):
    yield from isolated_metrics(monkeypatch)


@pytest.fixture
def doc():
    bw = make_bulletin_world()
    return bulletin_generate(actor=SYSTEM, unit=bw.u["county"], as_of=AS_OF, campaign=bw.campaign)


def mm(length: Any) -> int:
    return round(length.mm)


def pt(length: Any) -> float:
    return length.pt


def east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_docx_reads_back_in_the_official_layout(doc):
    d = docx.Document(io.BytesIO(render(doc, "docx")))
    s = d.sections[0]
    assert (mm(s.page_width), mm(s.page_height)) == (210, 297)
    margins = [mm(m) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
    assert margins == [37, 35, 28, 26]
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "集宁区第二批主题教育简报"
    assert texts[1] == ""
    assert texts[2:4] == doc.paragraphs
    assert texts[-2:] == ["集宁区", "2019年12月20日"]
    title = d.paragraphs[0].runs[0]
    assert pt(title.font.size) == 22 and east_asia(title) == "方正小标宋简体"
    body = d.paragraphs[2]
    assert pt(body.runs[0].font.size) == 16 and east_asia(body.runs[0]) == "仿宋_GB2312"
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(body.paragraph_format.line_spacing.pt - 28.9) < 0.05
    assert body.paragraph_format.first_line_indent.pt == 32
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "578"  # 28.9 pt: 22 lines fit the 225 mm type area
    assert 22 * 28.9 <= (297 - 37 - 35) / 25.4 * 72
    # 28 characters per line: pitch = 156 mm / 28 ≈ 15.79 pt, i.e. 16 pt + charSpace / 4096
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert abs(pitch * 28 - (210 - 28 - 26) / 25.4 * 72) < 0.5
    assert char_space() < 0
    normal = d.styles["Normal"]
    assert normal.font.size.pt == 16
    footer = "".join(p.text for p in s.footer.paragraphs)
    assert footer.startswith("—") and footer.endswith("—")
    assert d.core_properties.title == doc.title


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: install Debian poppler-utils (see .ci/run)")
    return path


def test_pdf_html_uses_local_fonts_only(doc):
    html = render_html(doc)
    assert "Noto Serif CJK SC" in html
    assert "http://" not in html and "https://" not in html
    assert "size: A4" in html and "37mm 26mm 35mm 28mm" in html


def test_pdf_embeds_its_fonts_and_renders(doc, tmp_path: Path):
    pdf = render(doc, "pdf")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert round(float(page.mediabox.width) * 25.4 / 72) == 210
    assert round(float(page.mediabox.height) * 25.4 / 72) == 297
    text = page.extract_text()
    assert "集宁区" in text and "2次" in text
    resources: Any = page["/Resources"]
    fonts = resources["/Font"]
    names = []
    for ref in fonts.values():
        font = ref.get_object()
        names.append(str(font["/BaseFont"]))
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    assert any("Noto" in n for n in names)

    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        [_need("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = listing.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # the "emb" column

    subprocess.run(
        [_need("pdftoppm"), "-r", "50", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    w, h = image.size
    assert abs(w - 210 / 25.4 * 50) <= 2 and abs(h - 297 / 25.4 * 50) <= 2  # A4 at 50 dpi
    hist = image.histogram()
    assert sum(hist[:128]) > 200  # not blank
    # the title sits in the top third, inside the margins: dark pixels there
    top = image.crop((int(w * 0.13), int(h * 0.12), int(w * 0.88), int(h * 0.25)))
    assert sum(top.histogram()[:100]) > 50


def test_xlsx_has_every_figure_and_the_tables(doc):
    wb = load_workbook(io.BytesIO(render(doc, "xlsx")))
    assert wb.sheetnames[0] == "全部指标"
    ws = wb["全部指标"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(("指标编号", "指标", "数值", "计数单位", "简报中写作", "定义", "写入正文"))
    figures = {r[0]: r for r in rows[header + 1 :]}
    assert figures["test.sessions"][2] == 2 and figures["test.sessions"][4] == "2"
    assert figures["test.share"][2] == 0.5 and figures["test.share"][4] == "50%"
    assert figures["test.funds"][4] == "17.75" and figures["test.funds"][6] == "是"
    assert "test" in wb.sheetnames


def _problems():
    """Three problems of the campaign and one of none, which the campaign's bulletin leaves out
    (its figures and the tables behind them count the campaign's records only)."""
    from minqing.campaigns.models import Campaign
    from minqing.ledger.enums import Action, Channel, ResolutionKind
    from minqing.ledger.services.intake import Reporter, feedback_submit
    from minqing.ledger.services.workflow import problem_transition
    from minqing.orgs.models import Unit

    town, village = Unit.objects.get(code="150902001000"), Unit.objects.get(code="150902001001")
    campaign = Campaign.objects.get()
    feedback_submit(
        actor=SYSTEM,
        channel=Channel.CALL,
        title="不属专题",
        content="不属专题",
        unit=village,
        received_at=at(1, 11),
    )
    for day, resolved in ((at(1, 10), at(5, 10)), (at(1, 12), None), (at(2, 12), at(25, 12))):
        fb = feedback_submit(
            actor=SYSTEM,
            campaign=campaign,
            channel=Channel.ONLINE,
            title="路灯不亮",
            content="路灯不亮",
            unit=village,
            received_at=day,
            reporter=Reporter(name="王大妈", phone="13900001111"),
        )
        assert fb.problem is not None
        p = problem_transition(
            actor=SYSTEM, problem=fb.problem, action=Action.ASSIGN, at=day, responsible_unit=town
        )
        if resolved is not None:
            problem_transition(
                actor=SYSTEM,
                problem=p,
                action=Action.RESOLVE,
                at=resolved,
                resolution_kind=ResolutionKind.ON_THE_SPOT,
            )


def test_xlsx_group_tables(doc):
    from minqing.reports.bulletins.document import FigureRow

    _problems()
    doc.figures += [
        FigureRow("study.reading_class.sessions", "读书班", "次", "count", 2),
        FigureRow("problems.public.count", "群众反映问题", "条", "count", 0),
    ]
    wb = load_workbook(io.BytesIO(render(doc, "xlsx")))
    study = [r for r in wb["study"].iter_rows(values_only=True)]
    row = next(r for r in study if r and r[0] == "读书班" and r[1] == "reading_class")
    assert row[3:6] == (2, 0, 0)  # 2 sessions, no roster yet
    problems = [r for r in wb["problems"].iter_rows(values_only=True)]
    header = next(r for r in problems if r and r[0] == "来源")
    assert header[1] == "已登记" and header[-1] == "合计"
    assert any(r and r[0] == "群众反映" for r in problems)
    public = next(r for r in problems if r and r[0] == "群众反映")
    states = dict(zip(header[1:], public[1:], strict=True))
    # as of 2019-12-20: one resolved on the spot, two assigned (one is resolved only on 12-25)
    assert (states["已交办"], states["已办结"], states["合计"]) == (2, 1, 3)
    total = next(r for r in problems if r and r[0] == "合计")
    assert total[-1] == 3


def test_published_bulletins_render_from_the_frozen_copy(doc):
    from minqing.campaigns.models import Campaign
    from minqing.orgs.models import Unit

    b = bulletin_publish(
        actor=SYSTEM, unit=Unit.objects.get(code="150902000000"), as_of=AS_OF, campaign=Campaign.objects.get()
    )
    frozen = published_doc(b)
    assert render(frozen, "txt").decode().splitlines()[2] == doc.paragraphs[0]
    d = docx.Document(io.BytesIO(render(frozen, "docx")))
    assert d.paragraphs[2].text == doc.paragraphs[0]
    wb = load_workbook(io.BytesIO(render(frozen, "xlsx")))
    assert "全部指标" in wb.sheetnames
