"""Files past the row or size cap are refused before they are read into memory (issue 16, #6)."""

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from minqing.core.errors import DomainError, ErrorCode
from minqing.core.tabular import read_table


def _csv(path: Path, rows: int) -> Path:
    path.write_text("a,b\n" + "".join(f"{i},x\n" for i in range(rows)), encoding="utf-8")
    return path


def _xlsx(path: Path, rows: int) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["a", "b"])
    for i in range(rows):
        ws.append([i, "x"])
    wb.save(path)
    return path


@pytest.mark.parametrize("make", [_csv, _xlsx])
def test_a_file_at_the_row_cap_is_read_and_one_past_it_is_refused(settings, tmp_path, make):
    settings.MINQING_IMPORT_MAX_ROWS = 20
    suffix = ".csv" if make is _csv else ".xlsx"
    assert len(read_table(make(tmp_path / f"ok{suffix}", 20)).rows) == 20
    with pytest.raises(DomainError) as err:
        read_table(make(tmp_path / f"big{suffix}", 21))
    assert err.value.code == ErrorCode.IMPORT_TOO_MANY_ROWS
    assert "20" in err.value.message


def test_blank_rows_count_towards_the_cap(settings, tmp_path):
    settings.MINQING_IMPORT_MAX_ROWS = 5
    path = tmp_path / "blank.csv"
    path.write_text("a,b\n1,x\n" + ",\n" * 10, encoding="utf-8")
    with pytest.raises(DomainError) as err:
        read_table(path)
    assert err.value.code == ErrorCode.IMPORT_TOO_MANY_ROWS


def _bomb(tmp_path: Path) -> Path:
    """Small on disk, 3 MB unpacked."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    assert path.stat().st_size < 64 * 1024
    return path


def _large_csv(tmp_path: Path) -> Path:
    path = tmp_path / "large.csv"
    path.write_text("a,b\n" + ("1," + "x" * 1000 + "\n") * 1100, encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [_bomb, _large_csv])
def test_a_file_over_the_size_cap_is_refused_unread(settings, tmp_path, make):
    """A zip bomb by its unpacked size, without unpacking it; a CSV by its size."""
    settings.MINQING_IMPORT_MAX_MB = 1
    with pytest.raises(DomainError) as err:
        read_table(make(tmp_path))
    assert err.value.code == ErrorCode.IMPORT_TOO_LARGE


def test_a_damaged_xlsx_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(DomainError) as err:
        read_table(path)
    assert err.value.code == ErrorCode.IMPORT_FILE_UNREADABLE
