#!/usr/bin/env bash
# Writes fixtures/errors/: files each reader must refuse with its own
# sentinel error (pipeline/errors_test.go). Needs qpdf and python3.
#   encrypted.pdf  106 (wkhtmltopdf) encrypted with AES-256 and a user password
#   encrypted.doc  101 (LibreOffice .doc) with the FIB's fEncrypted flag set
#   word6.doc      the same with the FIB's nFib of Word 6/95 (0x0065)
#   notword.doc    the same with the FIB's magic number broken (an OLE file of another program)
#   scan.pdf       one page that draws a line and no text (what a scan looks like to a text reader)
#   badpred.pdf    one page of text whose FlateDecode predictor has 999999999 columns (damaged)
#   reflen.pdf     one page of text whose /Length points at an object that does not exist (readable)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fixtures/errors
qpdf --encrypt secret owner 256 -- fixtures/106-tab-text-2021-wkhtmltopdf.pdf fixtures/errors/encrypted.pdf
python3 - <<'PY'
import struct
src = open("fixtures/101-gbk-portal-2022-lo.doc", "rb").read()
fib = src.find(b"\xec\xa5")  # wIdent of the Word FIB, at the WordDocument stream's start
assert fib > 0
enc = bytearray(src)
flags = struct.unpack_from("<H", enc, fib + 0x0A)[0]
struct.pack_into("<H", enc, fib + 0x0A, flags | 0x0100)
open("fixtures/errors/encrypted.doc", "wb").write(enc)
old = bytearray(src)
struct.pack_into("<H", old, fib + 0x02, 0x0065)
open("fixtures/errors/word6.doc", "wb").write(old)
bad = bytearray(src)
bad[fib:fib + 2] = b"\0\0"
open("fixtures/errors/notword.doc", "wb").write(bad)

import zlib
def onepage(content, dict_extra=b"", length=None):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length " + (length or b"%d" % len(content)) + b" " + dict_extra + b">>\nstream\n" + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)
text = b"BT /F1 12 Tf 100 700 Td (2023 Report) Tj ET"
open("fixtures/errors/scan.pdf", "wb").write(onepage(b"0 0 m 100 100 l S"))
open("fixtures/errors/badpred.pdf", "wb").write(onepage(zlib.compress(text), b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 999999999 >> "))
open("fixtures/errors/reflen.pdf", "wb").write(onepage(text, length=b"9 0 R"))
PY
