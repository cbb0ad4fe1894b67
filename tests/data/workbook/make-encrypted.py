#!/usr/bin/env python3
# make-encrypted.py OUT: an OLE2 compound file (CFB version 3) as Excel writes a workbook saved
# with a password: streams EncryptionInfo (an agile-encryption descriptor) and EncryptedPackage
# (its size, then the encrypted zip).  The package here is random bytes: kpr refuses the file by
# its EncryptedPackage stream and never decrypts.
import os
import struct
import sys

SECTOR = 512
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD

info_xml = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
            b'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
            b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
            b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
            b'<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
            b'<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
            b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/>'
            b'</keyEncryptor></keyEncryptors></encryption>')
# version 4.4, flags 0x40 (agile), then the XML; padded past the mini-stream cutoff (4096)
info = struct.pack("<HHI", 4, 4, 0x40) + info_xml
info += b" " * (4096 - len(info))
payload = os.urandom(8192)
package = struct.pack("<Q", 6000) + payload

streams = [("EncryptionInfo", info), ("EncryptedPackage", package)]
sectors = []			# the data sectors after FAT (0) and directory (1)
starts = []
fat = [FATSECT, END]
for _, data in streams:
    n = (len(data) + SECTOR - 1) // SECTOR
    first = 2 + len(sectors)
    starts.append(first)
    for i in range(n):
        sectors.append(data[i * SECTOR:(i + 1) * SECTOR].ljust(SECTOR, b"\0"))
        fat.append(first + i + 1 if i + 1 < n else END)
assert len(fat) <= SECTOR // 4
fat += [FREE] * (SECTOR // 4 - len(fat))

def entry(name, kind, left, right, child, start, size):
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    return struct.pack("<64sHBBIII16sIQQIQ", raw.ljust(64, b"\0"), len(raw), kind, 1 if name else 0,
                       left, right, child, b"\0" * 16, 0, 0, 0, start, size)

NONE = FREE
directory = (entry("Root Entry", 5, NONE, NONE, 1, END, 0) +
             entry("EncryptionInfo", 2, NONE, 2, NONE, starts[0], len(info)) +
             entry("EncryptedPackage", 2, NONE, NONE, NONE, starts[1], len(package)) +
             entry("", 0, NONE, NONE, NONE, 0, 0))
header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b"\0" * 16, 0x3E, 3, 0xFFFE,
                     9, 6, b"\0" * 6, 0, 1, 1, 0, 0x1000, END, 0, END, 0)
header += struct.pack("<I", 0) + struct.pack("<108I", *([FREE] * 108))
assert len(header) == SECTOR
with open(sys.argv[1], "wb") as f:
    f.write(header + struct.pack("<128I", *fat) + directory + b"".join(sectors))
