#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads a safetensors file as the format's description says, without the
# safetensors package (not in Debian 12), and prints one line per tensor.
# Exits non-zero if the file breaks a rule of the format.
import json
import struct
import sys

path = sys.argv[1]
with open(path, "rb") as f:
    blob = f.read()
(n,) = struct.unpack("<Q", blob[:8])
assert 8 + n <= len(blob), "header longer than the file"
assert n % 8 == 0, "data not 8-byte aligned"
header = json.loads(blob[8:8 + n].decode("utf-8"))
data = blob[8 + n:]
meta = header.pop("__metadata__", {})
assert all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items())
json.loads(meta["architecture"])
end = 0
for name, t in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
    begin, stop = t["data_offsets"]
    assert begin == end, "gap or overlap"
    count = 1
    for d in t["shape"]:
        count *= d
    assert t["dtype"] == "F32" and stop - begin == 4 * count
    values = struct.unpack("<%df" % count, data[begin:stop])
    assert all(v == v for v in values), "NaN"
    print(f"{name} {t['dtype']} {t['shape']}")
    end = stop
assert end == len(data), "trailing bytes"
