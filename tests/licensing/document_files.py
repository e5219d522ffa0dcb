"""Real, minimal files of every accepted format (and a few hostile ones), built in memory."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 1x1 white pixel.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
    + _png_chunk(b"IEND", b"")
)

# Start of image, a JFIF header, end of image: what a JPEG opens with is what the sniffer reads.
JPEG = b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"

# The DOS header of a Windows executable.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _content_types(part: str, content_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )


DOCX = _zip(
    {
        "[Content_Types].xml": _content_types(
            "word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        ),
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    }
)
XLSX = _zip(
    {
        "[Content_Types].xml": _content_types(
            "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        ),
        "_rels/.rels": "<Relationships/>",
        "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    }
)
# A Word document with macros (.docm) keeps its macro-enabled main type even when renamed .docx.
DOCM = _zip(
    {
        "[Content_Types].xml": _content_types(
            "word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"
        ),
        "word/document.xml": "<w:document/>",
        "word/vbaProject.bin": "macro",
    }
)
PLAIN_ZIP = _zip({"notes.txt": "not a document"})
