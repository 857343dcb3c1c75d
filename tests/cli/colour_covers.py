# colour_covers.py: fixture songs whose covers the tests paint themselves
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The colour encodes features: red ↔ energy, green ↔ valence, blue ↔
# acousticness. A CNN that learns the mapping predicts those three well
# above the mean; the other features do not depend on the picture.

import os
import random
import struct
import zlib

HEADER = ("valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id,"
          "instrumentalness,key,liveness,loudness,mode,name,popularity,release_date,"
          "speechiness,tempo\n")


def colour_songs(n, seed, make_id):
    """n songs as dicts (id, artist, title, popularity, rgb, row: the CSV line)."""
    rng = random.Random(seed)
    songs = []
    for i in range(n):
        energy, valence, acoustic = rng.random(), rng.random(), rng.random()
        song = {"id": make_id(i), "artist": "Painter %d" % (i % 7),
                "title": "Colour Song %d" % i, "popularity": i % 90,
                "rgb": [round(energy * 255), round(valence * 255), round(acoustic * 255)]}
        song["row"] = ("%.3f,2000,%.3f,['%s'],0.5,200000,%.3f,0,%s,0.0,%d,0.1,-6.0,1,%s,%d,"
                       "2000-01-01,0.05,%.1f\n"
                       % (valence, acoustic, song["artist"], energy, song["id"], i % 12,
                          song["title"], song["popularity"], 90 + i))
        songs.append(song)
    return songs


def write_csv(path, songs):
    with open(path, "w") as f:
        f.write(HEADER)
        for song in songs:
            f.write(song["row"])


def write_songs_and_covers(data, covers, n, seed, id_prefix):
    """Writes n colour songs to the CSV DATA and an 8 × 8 cover for each,
    named ID.png, into the new folder COVERS; ids are ID_PREFIX and digits."""
    songs = colour_songs(n, seed, lambda i: "%s%0*d" % (id_prefix, 22 - len(id_prefix), i))
    write_csv(data, songs)
    os.makedirs(covers)
    for song in songs:
        with open(os.path.join(covers, song["id"] + ".png"), "wb") as f:
            f.write(png(8, 8, song["rgb"]))
    return songs


def png(width, height, rgb):
    """A solid-colour RGB PNG, written by hand."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height))
            + chunk(b"IEND", b""))


# The JPEG standard's luminance DC table (Annex K.3); the AC table has the
# one symbol a flat block needs: end of block.
DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_VALUES = list(range(12))
AC_BITS = [1] + [0] * 15
AC_VALUES = [0]


def huffman_codes(bits, values):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[values[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


class BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def write(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)  # byte stuffing
                self.acc = self.n = 0

    def flush(self):
        while self.n:
            self.write(1, 1)
        return bytes(self.out)


def jpeg(width, height, rgb):
    """A solid-colour baseline JPEG (4:4:4, every quantizer 1), written by hand: each
    8×8 block holds only its DC coefficient."""
    r, g, b = rgb
    ycc = [0.299 * r + 0.587 * g + 0.114 * b,
           -0.168736 * r - 0.331264 * g + 0.5 * b + 128,
           0.5 * r - 0.418688 * g - 0.081312 * b + 128]
    dcs = [max(-1024, min(1016, round(8 * (v - 128)))) for v in ycc]
    dc_codes, ac_codes = huffman_codes(DC_BITS, DC_VALUES), huffman_codes(AC_BITS, AC_VALUES)

    def segment(marker, data):
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    bits = BitWriter()
    previous = [0, 0, 0]
    for _ in range(((width + 7) // 8) * ((height + 7) // 8)):
        for c in range(3):
            diff = dcs[c] - previous[c]
            previous[c] = dcs[c]
            size = abs(diff).bit_length()
            bits.write(*dc_codes[size])
            if size:
                bits.write(diff if diff > 0 else diff + (1 << size) - 1, size)
            bits.write(*ac_codes[0])
    components = b"".join(struct.pack(">BBB", c + 1, 0x11, 0) for c in range(3))
    return (b"\xff\xd8"
            + segment(0xDB, b"\x00" + b"\x01" * 64)
            + segment(0xC0, struct.pack(">BHHB", 8, height, width, 3) + components)
            + segment(0xC4, b"\x00" + bytes(DC_BITS) + bytes(DC_VALUES))
            + segment(0xC4, b"\x10" + bytes(AC_BITS) + bytes(AC_VALUES))
            + segment(0xDA, b"\x03" + b"".join(struct.pack(">BB", c + 1, 0x00)
                                               for c in range(3)) + b"\x00\x3f\x00")
            + bits.flush() + b"\xff\xd9")
