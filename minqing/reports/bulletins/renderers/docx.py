"""DOCX in the official-document layout of GB/T 9704-2012 (党政机关公文格式), via python-docx.

- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a type area of
  156 × 225 mm;
- title: 2号 (22 pt) 方正小标宋简体, centred, then one empty line;
- body: 3号 (16 pt) 仿宋_GB2312, first line indented two characters, 22 lines of 28 characters:
  a document grid of lines and characters, line pitch and exact line spacing 28.9 pt
  (22 × 28.9 pt fits the 225 mm type area), character pitch 156 mm / 28;
- the issuing unit and the date right-aligned, four characters from the right edge;
- page numbers 4号 (14 pt) 宋体 as “— 1 —” at the foot.

Fonts are named (with the East Asian slot ``w:eastAsia`` set); Word substitutes what a machine
lacks. Nothing in the file refers to anything outside it.
"""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from minqing.reports.bulletins.document import BulletinDoc

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE_PITCH_PT = 28.9
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
PAGE = {"width": 210, "height": 297}
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
MM_PER_PT = 25.4 / 72


def type_width_pt() -> float:
    return (PAGE["width"] - MARGINS_MM["left"] - MARGINS_MM["right"]) / MM_PER_PT


def char_space() -> int:
    """``w:charSpace``: the character pitch minus the font size, in 1/4096 pt (negative: tighter)."""
    pitch = type_width_pt() / CHARS_PER_LINE
    return round((pitch - BODY_SIZE.pt) * 4096)


def _set_fonts(rpr_owner: Run | object, name: str) -> None:
    """Set every font slot, East Asian included, on a run or a style."""
    element = rpr_owner._element if isinstance(rpr_owner, Run) else rpr_owner.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    for hint in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(hint), None)


def _exact(paragraph: Paragraph) -> None:
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def _run(paragraph: Paragraph, text: str, font: str, size: Pt) -> Run:
    run = paragraph.add_run(text)
    run.font.size = size
    _set_fonts(run, font)
    return run


def _grid(section_element: object) -> None:
    sect_pr = section_element
    grid = sect_pr.find(qn("w:docGrid"))  # type: ignore[attr-defined]
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)  # type: ignore[attr-defined]
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(char_space()))


def _page_number(paragraph: Paragraph) -> None:
    """“— PAGE —” with a PAGE field."""
    _run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = _run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)
    _run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def render_docx(doc: BulletinDoc) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    _grid(section._sectPr)

    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_fonts(normal, BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)

    props = document.core_properties
    props.title = doc.title
    props.author = doc.unit_name
    props.subject = doc.campaign_name
    props.language = "zh-CN"

    for line in doc.title.splitlines() or [""]:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact(p)
        _run(p, line, TITLE_FONT, TITLE_SIZE)
    _exact(document.add_paragraph())  # one empty line below the title

    for text in doc.paragraphs:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _exact(p)
        p.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
        _run(p, text, BODY_FONT, BODY_SIZE)

    _exact(document.add_paragraph())
    for text in (doc.unit_name, doc.as_of_text):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _exact(p)
        p.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)
        _run(p, text, BODY_FONT, BODY_SIZE)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
