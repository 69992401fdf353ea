"""Hostile spreadsheets for the upload caps (no tests here): a real xlsx of many rows written as
sheet XML straight into the zip, a zip bomb that declares its unpacked size, and one whose zip
headers lie about it. Used by ``test_upload_entry_points`` (small sizes, lowered caps) and by
``benchmarks/upload_probe.py`` (1,000,000 rows, > 1 GB unpacked)."""

import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

HEADERS = ("单位代码", "名称", "数量")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
SHEET = "xl/worksheets/sheet1.xml"


def _cell(ref: str, value: str | int) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(n: int, values: tuple[str | int, ...]) -> str:
    cells = "".join(_cell(f"{col}{n}", v) for col, v in zip("ABC", values, strict=False))
    return f'<row r="{n}">{cells}</row>'


def _data_rows(rows: int, start: int = 2, *, thin: bool = False) -> Iterator[bytes]:
    """The data rows in blocks of 10,000, each row a code, a name and a number (``thin``: the
    number alone)."""
    block: list[str] = []
    for n in range(start, start + rows):
        block.append(_row(n, (n,) if thin else (f"1509{n:08d}", f"单位{n}", n)))
        if len(block) == 10_000:
            yield "".join(block).encode()
            block = []
    if block:
        yield "".join(block).encode()


def _skeleton(z: zipfile.ZipFile) -> None:
    z.writestr("[Content_Types].xml", CONTENT_TYPES)
    z.writestr("_rels/.rels", ROOT_RELS)
    z.writestr("xl/workbook.xml", WORKBOOK)
    z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)


def rows_xlsx(path: Path, rows: int, *, dimension: bool = True, thin: bool = False) -> Path:
    """A real xlsx of a header and ``rows`` data rows (openpyxl reads it); ``dimension=False``
    leaves out the ``<dimension>`` that tells a reader the row count up front; ``thin`` rows hold
    one number each (1,000,000 of them fit in a 10 MB upload)."""
    dim = f'<dimension ref="A1:C{rows + 1}"/>' if dimension else ""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _skeleton(z)
        with z.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write((SHEET_HEAD.format(dimension=dim) + _row(1, HEADERS)).encode())
            for block in _data_rows(rows, thin=thin):
                sheet.write(block)
            sheet.write(SHEET_TAIL.encode())
    return path


def bomb_xlsx(
    path: Path, unpacked_mb: int, *, lie: bool = False, compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    """A small xlsx whose sheet unpacks to about ``unpacked_mb`` MB (blanks between its header
    row and the end of the sheet, which deflate packs about 1,000 to 1). ``lie=True`` rewrites the
    zip headers (local and central) to declare the sheet as 1,000 bytes, so only counting while
    unpacking finds it out. ``compression=zipfile.ZIP_LZMA`` packs it as Excel never does."""
    filler = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        _skeleton(z)
        with z.open(SHEET, "w") as sheet:
            sheet.write((SHEET_HEAD.format(dimension="") + _row(1, HEADERS)).encode())
            written = 0
            while written < unpacked_mb * 1024 * 1024:
                sheet.write(filler)
                written += len(filler)
            sheet.write(SHEET_TAIL.encode())
    if lie:
        _declare_size(path, SHEET, 1000)
    return path


def _declare_size(path: Path, name: str, size: int) -> None:
    """Overwrite the uncompressed size of ``name`` in its local header and its central directory
    entry (32-bit sizes: the member must not use zip64)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, size)
    encoded = name.encode()
    central = -1
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len] == encoded:
            central = pos
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    assert central != -1, name
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))
