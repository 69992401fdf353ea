"""Measure an xlsx before openpyxl opens it, trusting nothing the file says about itself.

An xlsx is a zip of XML files. A zip bomb declares a huge unpacked size (refused unread by
``declared_size``), or lies in its headers and declares a small one: so every member is also
unpacked here, in bounded chunks and without keeping them, and its bytes are counted as they
come. The file is refused as soon as the count passes ``MINQING_IMPORT_MAX_MB``, when a member
unpacks to more than its header declares (a forged or damaged file), or when a worksheet holds
more than ``MINQING_IMPORT_MAX_ROWS`` rows (counted from its ``<row>`` tags and their ``r``
numbers, so neither a missing ``<dimension>`` nor one gap of a million empty rows hides them).
Only the two compression methods Excel writes (stored, deflate) are accepted: deflate is
unpacked at most ``CHUNK`` bytes at a time, which bzip2 and lzma members in Python's zipfile
are not.

Every worksheet is counted, not only the first one the importers read.
"""

import copy
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minqing.core.errors import DomainError, ErrorCode

CHUNK = 1 << 20  # bytes unpacked per read
METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# a row tag (any namespace prefix) and its attributes
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d{1,9})["']""")
CARRY_MAX = 4096  # the unfinished tag kept between chunks (a tag is short; more is no row)
# what a damaged, encrypted or forged zip raises while it is read
DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
          NotImplementedError)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int  # data rows, the header row not counted


# reasons (lazy: the message is printed in Chinese and in English)
FORGED = _("压缩包内文件的实际大小与声明不符(文件损坏或被伪造)")
BAD_METHOD = _("不支持的压缩方式(xlsx 只用 deflate)")


def _unreadable(path: Path, reason: str | Promise) -> DomainError:
    return DomainError(ErrorCode.IMPORT_FILE_UNREADABLE, path=path.name, reason=reason)


def _too_large(path: Path, limits: Limits) -> DomainError:
    return DomainError(ErrorCode.IMPORT_TOO_LARGE, path=path.name, max=limits.max_bytes // (1024 * 1024))


def _too_many_rows(path: Path, limits: Limits) -> DomainError:
    return DomainError(ErrorCode.IMPORT_TOO_MANY_ROWS, path=path.name, max=limits.max_rows)


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


class _RowCounter:
    """The rows of one worksheet as its XML streams past: the number of row tags or the highest
    row number, whichever is larger (openpyxl yields the empty rows of a gap too)."""

    def __init__(self) -> None:
        self.rows = 0
        self._tags = 0
        self._carry = b""

    def feed(self, data: bytes) -> None:
        buf = self._carry + data
        cut = buf.rfind(b">") + 1
        done, rest = buf[:cut], buf[cut:]
        self._carry = rest[-CARRY_MAX:]
        attrs = ROW_TAG.findall(done)
        if attrs:
            self._tags += len(attrs)
            last = ROW_NUMBER.search(attrs[-1])
            highest = int(last.group(1)) if last else 0
            self.rows = max(self.rows, self._tags, highest)


def _check_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits, total: int) -> int:
    """Unpack one member, counting; the running total of unpacked bytes."""
    if info.compress_type not in METHODS:
        raise _unreadable(path, BAD_METHOD)
    # open it as declaring more than allowed, so zipfile does not stop at the declared size
    probe = copy.copy(info)
    probe.file_size = limits.max_bytes + 1
    counter = _RowCounter() if _is_worksheet(info.filename) else None
    size = 0
    with z.open(probe) as member:
        while data := member.read(CHUNK):
            size += len(data)
            total += len(data)
            if total > limits.max_bytes:
                raise _too_large(path, limits)
            if size > info.file_size:
                raise _unreadable(path, FORGED)
            if counter is not None:
                counter.feed(data)
                if counter.rows - 1 > limits.max_rows:
                    raise _too_many_rows(path, limits)
    if size != info.file_size:
        raise _unreadable(path, FORGED)
    return total


def check_xlsx(path: Path, limits: Limits) -> None:
    """Refuse ``path`` (``DomainError``) when it is not a zip, unpacks past ``limits.max_bytes``
    (declared or counted), lies about a member's size, or holds a sheet past ``limits.max_rows``."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > limits.max_bytes:  # a bomb that says so: unread
                raise _too_large(path, limits)
            total = 0
            for info in infos:
                total = _check_member(z, info, path, limits, total)
    except DAMAGE as exc:
        raise _unreadable(path, str(exc)) from exc
