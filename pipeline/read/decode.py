"""Bytes of a text export -> str, refusing what is not text."""

from __future__ import annotations

import unicodedata

from pipeline.errors import InputError


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """The text and the encoding it was read with (UTF-8, else Windows-1252)."""
    if not data.strip():
        raise InputError(source, "file is empty")
    if b"\x00" in data[:65536]:
        raise InputError(source, "not a text file (binary content); give a .txt export or a .pdf")
    if data.startswith(b"%PDF-"):
        raise InputError(source, "a PDF file with a text extension; rename it to .pdf")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            raise InputError(source, f"not UTF-8 or Windows-1252 text (byte {exc.start})") from None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise InputError(source, "not a text file (control characters); give a .txt export or a .pdf")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")), encoding
