#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Measures Tunescope against its Python peers in one run and prints the
# README's benchmark rows. Needs ../shared/data/spotify.
# Usage: tests/bench/run-bench.sh [REPEAT]
#        tests/bench/run-bench.sh --cnn   (only the CNN rows, against PyTorch)
#        tests/bench/run-bench.sh --art   (only the cover rows, against a local server)
#        tests/bench/run-bench.sh --image (only the image search on the pretrained backbone:
#                                          speed against PyTorch, quality on real covers)
#        tests/bench/run-bench.sh --catalogues (the 170k, 600k and 1.2M-song files side by
#                                          side: load, memory, query, typing, training, the
#                                          map, Kendall; the bigger two generated once by
#                                          tests/data/make-catalogue.py)
set -eu
cd "$(dirname "$0")/../.."

build-aux/ensure-deps.sh bench
[ -f _build-bench/build.ninja ] || meson setup _build-bench -Dbuildtype=release -Dgui_tests=false
ninja -C _build-bench tests/bench/bench-load tests/bench/bench-corr tests/bench/bench-train \
  tests/bench/bench-knn tests/bench/bench-art tests/bench/bench-image \
  tests/bench/bench-catalogue src/cli/tunescope-cli

# A real cover, decoded as the app would: the first of the sabinabains covers.
cover_dir=../shared/data/spotify/extras/cover-art-sabinabains/album_art_resized
cover=$(find "$cover_dir" -name '[!.]*.jpg' 2>/dev/null | LC_ALL=C sort | head -n 1)
[ -n "$cover" ] || { echo "run-bench: no cover in $cover_dir" >&2; exit 1; }
threads=$(nproc)

cnn_rows() {
  /usr/bin/python3 - "$1" "$2" "$3" "$4" <<'PY'
import json, sys
oc, pc, of, pf = (json.loads(a) for a in sys.argv[1:5])
assert (oc["image_size"], oc["batch"]) == (pc["image_size"], pc["batch"]), (oc, pc)
print(f"| train the default CNN (3 conv blocks 16/32/64, Dense 64) on {oc['image_size']}×"
      f"{oc['image_size']} RGB, batch {oc['batch']} | {oc['images_per_s']:.0f} images/s | "
      f"PyTorch {pc['images_per_s']:.0f} images/s | "
      f"{oc['images_per_s'] / pc['images_per_s']:.2f}x | >= 0.5x |")
print(f"| CNN inference, one image | {oc['infer_ms']:.2f} ms | PyTorch {pc['infer_ms']:.2f} ms | "
      f"{pc['infer_ms'] / oc['infer_ms']:.1f}x faster | < 10 ms |")
print(f"| CNN inference on one cover JPEG, decode included | {of['decode_infer_ms']:.2f} ms | "
      f"PyTorch + Pillow {pf['decode_infer_ms']:.2f} ms | "
      f"{pf['decode_infer_ms'] / of['decode_infer_ms']:.1f}x faster | < 20 ms |")
PY
}

# Covers from a local server 10 ms away (the target's case), then 25 ms away.
art_rows() {
  ours_art=$(_build-bench/tests/bench/bench-art --latency-ms 10)
  ours_art_far=$(_build-bench/tests/bench/bench-art --latency-ms 25 --lookups 200)
  /usr/bin/python3 - "$ours_art" "$ours_art_far" <<'PY'
import json, sys
art, art_far = (json.loads(a) for a in sys.argv[1:3])
for a in (art, art_far):
    # Connections must be kept alive, one per connection allowed.
    assert a["many"]["connections"] <= a["connections"] and a["one"]["connections"] == 1, a
    # HTTP/1.1 carries one request at a time per connection, two per cover.
    a["ceiling"] = a["connections"] / (2 * a["latency_ms"] / 1000)
    print(f"art fetch: {a['covers']} covers of {a['cover_bytes'] / 1000:.0f} KB, server "
          f"{a['latency_ms']} ms away (ceiling {a['ceiling']:.0f} covers/s with "
          f"{a['connections']} connections)")
    m, o = a["many"], a["one"]
    print(f"  {a['connections']} connections: {m['covers_per_s']:.0f} covers/s "
          f"({m['connections']} opened); 1 connection: {o['covers_per_s']:.1f} covers/s; "
          f"{m['covers_per_s'] / o['covers_per_s']:.1f}x"
          + (" (target >= 300/s, >= 4x)" if a is art else " (latency-bound)"))
    print(f"  RSS after 500 covers {m['rss_kib_at_500'] / 1024:.1f} MiB, after "
          f"{a['covers']} {m['rss_kib_at_end'] / 1024:.1f} MiB (peak {m['hwm_kib_at_end'] / 1024:.1f})")
    print(f"  warm lookup + decode of a 300 px cover: {a['lookup_median_ms']:.2f} ms median "
          f"(decode alone {a['decode_median_ms']:.2f} ms; target < 2 ms)")
print()
for a, target in ((art, ">= 300/s, >= 4x"),
                  (art_far, f"latency-bound: at most {art_far['ceiling']:.0f}/s")):
    m, o = a["many"], a["one"]
    print(f"| fetch {a['covers']:,} covers, {a['connections']} connections, server "
          f"{a['latency_ms']} ms away | {m['covers_per_s']:.0f} covers/s | 1 connection "
          f"{o['covers_per_s']:.1f} covers/s | {m['covers_per_s'] / o['covers_per_s']:.1f}x | {target} |")
m = art["many"]
print(f"| RSS while fetching: after 500 covers → after {art['covers']:,} | "
      f"{m['rss_kib_at_500'] / 1024:.1f} → {m['rss_kib_at_end'] / 1024:.1f} MiB | | "
      f"{(m['rss_kib_at_end'] / m['rss_kib_at_500'] - 1) * 100:+.0f} % | flat |")
print(f"| warm-cache lookup + decode, 300 px cover | {art['lookup_median_ms']:.2f} ms | | | < 2 ms |")
PY
}

# The image search: a real cover enlarged to 640 × 640 (the size Spotify
# serves; the shared covers are 256 × 256) through the backbone, ours and
# PyTorch's on the same converted network; then its quality on real covers.
image_rows() {
  big=$(mktemp -d)
  /usr/bin/python3 - "$big/cover640.jpg" <<'PY'
import sys
from PIL import Image
with Image.open("../shared/data/spotify/extras/cover-art-sabinabains/album_art_256/Addicted_Rock.jpg") as im:
    im.convert("RGB").resize((640, 640), Image.BICUBIC).save(sys.argv[1], quality=90)
PY
  ours_image=$(_build-bench/tests/bench/bench-image infer "$big/cover640.jpg" "$threads")
  peer_image=$(/usr/bin/python3 tests/bench/torch_mobilenet.py "$big/cover640.jpg" "$threads")
  rm -rf "$big"
  quality=$(/usr/bin/python3 tests/bench/image_quality.py _build-bench/src/cli/tunescope-cli \
            ../shared/data/spotify)
  scratch=$(/usr/bin/python3 tests/bench/image_quality.py _build-bench/src/cli/tunescope-cli \
            ../shared/data/spotify --backbone none)
  /usr/bin/python3 - "$ours_image" "$peer_image" "$quality" "$scratch" <<'PY'
import json, sys
o, p, q, s = (json.loads(a) for a in sys.argv[1:5])
r = q["mse_ratio"]
print(f"| image → features, 640×640 JPEG, decode included (MobileNetV2 to block 10, "
      f"{o['macs'] / 1e6:.0f} M multiply-adds) | {o['decode_infer_ms']:.1f} ms | PyTorch + Pillow "
      f"{p['decode_infer_ms']:.1f} ms | {p['decode_infer_ms'] / o['decode_infer_ms']:.1f}x faster "
      f"| < 30 ms |")
print(f"| heads' training on {q['heads_covers']:,} covers, features cached | "
      f"{q['heads_train_s']:.1f} s (train cnn {q['warm_train_cnn_s']:.1f} s) | | | < 60 s |")
print(f"| genre share of `similar --image` top 10, {q['held_out_queries']} held-out covers | "
      f"{q['genre_precision']:.3f} | base rate {q['genre_base_rate']:.3f}; CNN from scratch "
      f"{s['genre_precision']:.3f} | +{q['genre_precision'] - q['genre_base_rate']:.3f} | "
      f">= 0.22 and base + 0.04 |")
print(f"| overlap of two covers' top 10 (Jaccard, {q['jaccard_covers']} covers) | "
      f"{q['jaccard']:.3f} | CNN from scratch {s['jaccard']:.3f} | | < 0.3 |")
print(f"| validation MSE / the mean's: energy, acousticness, valence | {r['energy']:.3f}, "
      f"{r['acousticness']:.3f}, {r['valence']:.3f} | | | < 0.9 each |")
print(f"| genre head accuracy, {q['genre_val_images']} held-out covers, 10 genres | "
      f"{q['genre_accuracy']:.3f} | most common genre {q['genre_baseline_accuracy']:.3f} | "
      f"{q['genre_accuracy'] / q['genre_baseline_accuracy']:.2f}x | better than the baseline |")
PY
}

# One size of catalogue: every measure, ours and the peer's, as JSON lines.
catalogue_measures() {
  file=$1; repeat=$2
  echo "load $(_build-bench/tests/bench/bench-load "$file" --repeat "$repeat")"
  echo "rss $(_build-bench/tests/bench/bench-load "$file" --repeat 1)"
  echo "pandas $(/usr/bin/python3 tests/bench/pandas_load.py "$file" "$repeat")"
  echo "app $(_build-bench/tests/bench/bench-catalogue "$file" --repeat "$repeat")"
  echo "knn $(_build-bench/tests/bench/bench-knn "$file" --repeat 100 --batch 100)"
  echo "sklearn $(/usr/bin/python3 tests/bench/sklearn_knn.py "$file" 100 100)"
  echo "corr $(_build-bench/tests/bench/bench-corr "$file" --repeat 3)"
  echo "pandas_corr $(/usr/bin/python3 tests/bench/pandas_corr.py "$file" 1 1)"
  if head -n 1 "$file" | grep -q popularity; then
    echo "mlp $(_build-bench/tests/bench/bench-train mlp "$file" "$threads")"
  fi
}

catalogue_rows() {
  shared=../shared/data/spotify
  out=_build-bench/catalogues
  /usr/bin/python3 tests/data/make-catalogue.py --schema 600k --out "$out/600k" --shared "$shared"
  /usr/bin/python3 tests/data/make-catalogue.py --schema 1.2m --out "$out/1.2m" --shared "$shared"
  catalogue_measures "$shared/synthetic/data-170k.csv" 5 > "$out/170k.txt"
  catalogue_measures "$out/600k/tracks.csv" 3 > "$out/600k.txt"
  catalogue_measures "$out/1.2m/tracks_features.csv" 3 > "$out/1.2m.txt"
  /usr/bin/python3 - "$out/170k.txt" "$out/600k.txt" "$out/1.2m.txt" <<'PY'
import json, math, sys
sizes = []
for path in sys.argv[1:]:
    with open(path) as f:
        sizes.append({k: json.loads(v) for k, v in (line.split(" ", 1) for line in f)})
for m in sizes:
    # The same neighbours, or the comparison means nothing.
    assert m["knn"]["row_sum"] == m["sklearn"]["row_sum"], (m["knn"], m["sklearn"])
    assert m["load"]["rows"] == m["pandas"]["rows"], (m["load"], m["pandas"])

def cells(f):
    return " | ".join(f(m) for m in sizes)

def slope(key):
    """How the cost grows: the exponent of rows between 170k and 1.2M."""
    a, b = sizes[0], sizes[-1]
    return math.log(key(b) / key(a)) / math.log(b["load"]["rows"] / a["load"]["rows"])

print("| work | 170k (data-170k.csv) | 600k (tracks.csv) | 1.2M (tracks_features.csv) "
      "| target at 1.2M | grows as rows^ |")
print("|---|---|---|---|---|---|")
print(f"| load to ready (companions and search index) | "
      + cells(lambda m: f"{m['app']['ready_ms']:.0f} ms")
      + f" | < 1 s | {slope(lambda m: m['app']['ready_ms']):.2f} |")
print(f"| load alone, against pandas.read_csv | "
      + cells(lambda m: f"{m['load']['median_ms']:.0f} ms, pandas {m['pandas']['median_ms']:.0f} ms "
                        f"({m['pandas']['median_ms'] / m['load']['median_ms']:.1f}x)")
      + f" | >= 5x pandas | {slope(lambda m: m['load']['median_ms']):.2f} |")
print(f"| peak RSS of the load | "
      + cells(lambda m: f"{m['rss']['peak_rss_kib'] / 1024:.0f} MiB "
                        f"({m['rss']['peak_rss_kib'] * 1024 / m['rss']['file_bytes']:.2f}x the file)")
      + f" | <= 2.5x the file | {slope(lambda m: m['rss']['peak_rss_kib']):.2f} |")
print(f"| one top-10 query, base space, cosine | "
      + cells(lambda m: f"{m['knn']['single_median_ms']:.2f} ms, sklearn brute "
                        f"{m['sklearn']['single_median_ms']:.1f} ms "
                        f"({m['sklearn']['single_median_ms'] / m['knn']['single_median_ms']:.0f}x)")
      + f" | < 5 ms, >= 10x sklearn | {slope(lambda m: m['knn']['single_median_ms']):.2f} |")
print(f"| search-as-you-type, a keystroke (median / worst) | "
      + cells(lambda m: f"{m['app']['keystroke_ms']:.2f} / {m['app']['keystroke_worst_ms']:.1f} ms")
      + f" | < 16 ms | {slope(lambda m: m['app']['keystroke_ms']):.2f} |")
print(f"| train the predictor, one epoch | "
      + cells(lambda m: f"{m['mlp']['epoch_s'] * 1e3:.0f} ms" if "mlp" in m else "– (no popularity)")
      + " | < 1 s (600k) | |")
print(f"| map: first frame / a zoom step (worst) | "
      + cells(lambda m: f"{m['app']['map_first_ms']:.0f} ms / {m['app']['map_zoom_ms']:.1f} "
                        f"({m['app']['map_zoom_worst_ms']:.1f}) ms")
      + f" | < 300 ms / < 16 ms | {slope(lambda m: m['app']['map_first_ms']):.2f} |")
print(f"| Kendall, all features | "
      + cells(lambda m: f"{m['corr']['kendall']['median_ms'] / 1e3:.2f} s "
                        f"({m['corr']['features']}×{m['corr']['features']}), pandas "
                        f"{m['pandas_corr']['kendall']['median_ms'] / 1e3:.1f} s")
      + f" | < 4 s | {slope(lambda m: m['corr']['kendall']['median_ms']):.2f} |")
PY
}

if [ "${1:-}" = "--catalogues" ]; then
  catalogue_rows
  exit 0
fi

if [ "${1:-}" = "--image" ]; then
  image_rows
  exit 0
fi

if [ "${1:-}" = "--art" ]; then
  art_rows
  exit 0
fi

if [ "${1:-}" = "--cnn" ]; then
  ours_cnn=$(_build-bench/tests/bench/bench-train cnn "$threads")
  peer_cnn=$(/usr/bin/python3 tests/bench/torch_train.py cnn "$threads")
  ours_file=$(_build-bench/tests/bench/bench-train cnn-file "$cover" "$threads")
  peer_file=$(/usr/bin/python3 tests/bench/torch_train.py cnn-file "$cover" "$threads")
  cnn_rows "$ours_cnn" "$peer_cnn" "$ours_file" "$peer_file"
art_rows
  exit 0
fi

repeat=${1:-7}
data=../shared/data/spotify/synthetic/data-170k.csv
[ -f "$data" ] || { echo "run-bench: $data is missing" >&2; exit 1; }

ours=$(_build-bench/tests/bench/bench-load "$data" --repeat "$repeat")
ours_rss=$(_build-bench/tests/bench/bench-load "$data" --repeat 1)
peer=$(/usr/bin/python3 tests/bench/pandas_load.py "$data" "$repeat")
ours_corr=$(_build-bench/tests/bench/bench-corr "$data" --repeat "$repeat")
peer_corr=$(/usr/bin/python3 tests/bench/pandas_corr.py "$data" "$repeat")
# training: the same thread count for both (all cores)
ours_mlp=$(_build-bench/tests/bench/bench-train mlp "$data" "$threads")
peer_mlp=$(/usr/bin/python3 tests/bench/torch_train.py mlp "$data" "$threads")
ours_cnn=$(_build-bench/tests/bench/bench-train cnn "$threads")
peer_cnn=$(/usr/bin/python3 tests/bench/torch_train.py cnn "$threads")
ours_file=$(_build-bench/tests/bench/bench-train cnn-file "$cover" "$threads")
peer_file=$(/usr/bin/python3 tests/bench/torch_train.py cnn-file "$cover" "$threads")
ours_knn=$(_build-bench/tests/bench/bench-knn "$data" --repeat 200 --batch 1000)
peer_knn=$(/usr/bin/python3 tests/bench/sklearn_knn.py "$data" 200 1000)

/usr/bin/python3 - "$ours" "$ours_rss" "$peer" "$ours_corr" "$peer_corr" "$ours_mlp" "$peer_mlp" \
  "$ours_cnn" "$peer_cnn" "$ours_knn" "$peer_knn" <<'PY'
import json, sys
ours, ours_rss, peer, ours_corr, peer_corr = (json.loads(a) for a in sys.argv[1:6])
om, pm, oc, pc = (json.loads(a) for a in sys.argv[6:10])
ok, pk = (json.loads(a) for a in sys.argv[10:12])
# The same neighbours, or the comparison means nothing.
assert ok["row_sum"] == pk["row_sum"], (ok["row_sum"], pk["row_sum"])
print(f"similar: top-10 cosine over {ok['rows']} songs (13 scaled features)")
print(f"  tunescope: one query {ok['single_median_ms']:.3f} ms median, "
      f"{ok['batch']} queries {ok['batch_median_ms']:.0f} ms")
print(f"  scikit-learn {pk['sklearn']} NearestNeighbors(brute): one query "
      f"{pk['single_median_ms']:.3f} ms median, {pk['batch']} queries {pk['batch_median_ms']:.0f} ms")
print(f"  speed-up: {pk['single_median_ms'] / ok['single_median_ms']:.1f}x one query "
      f"(target >= 10x, < 2 ms), {pk['batch_median_ms'] / ok['batch_median_ms']:.1f}x batch "
      f"(target >= 5x)")
print()
assert ours_corr["rows"] == peer_corr["rows"], (ours_corr["rows"], peer_corr["rows"])
for method in ("pearson", "spearman", "kendall"):
    o, p = ours_corr[method], peer_corr[method]
    print(f"corr --method {method} (13 x 13, {ours_corr['rows']} rows)")
    print(f"  tunescope: {o['median_ms']} ms median (best {o['best_ms']} ms)")
    print(f"  pandas {peer_corr['pandas']} DataFrame.corr: {p['median_ms']} ms median "
          f"(best {p['best_ms']} ms)")
    print(f"  speed-up: {p['median_ms'] / o['median_ms']:.1f}x (target >= 5x"
          + ("; < 1000 ms)" if method == "kendall" else ")"))
print()
assert ours["rows"] == peer["rows"], (ours["rows"], peer["rows"])
ratio = peer["median_ms"] / ours["median_ms"]
rss_ratio = ours_rss["peak_rss_kib"] * 1024 / ours["file_bytes"]
print(f"load data-170k.csv ({ours['rows']} rows, {ours['file_bytes'] / 1e6:.1f} MB)")
print(f"  tunescope: {ours['median_ms']} ms median (best {ours['best_ms']} ms), "
      f"peak RSS {ours_rss['peak_rss_kib'] / 1024:.1f} MiB = {rss_ratio:.2f}x the file")
print(f"  pandas {peer['pandas']} read_csv: {peer['median_ms']} ms median (best {peer['best_ms']} ms)")
print(f"  speed-up: {ratio:.1f}x (target >= 5x); RSS {rss_ratio:.2f}x file (target <= 3x)")
print()
print("| benchmark | Tunescope | peer | ratio | target |")
print("|---|---|---|---|---|")
print(f"| load 170k rows (synthetic data-170k.csv) | {ours['median_ms']:.0f} ms | "
      f"pandas.read_csv {peer['median_ms']:.0f} ms | {ratio:.1f}x faster | >= 5x |")
print(f"| peak RSS of that load | {ours_rss['peak_rss_kib'] / 1024:.0f} MiB | file "
      f"{ours['file_bytes'] / 2**20:.0f} MiB | {rss_ratio:.2f}x the file | <= 3x |")
print(f"| train 12→64→32→1, batch 256, Adam, per epoch | {om['epoch_s'] * 1e3:.0f} ms | "
      f"PyTorch {pm['epoch_s'] * 1e3:.0f} ms | {pm['epoch_s'] / om['epoch_s']:.1f}x faster | >= 8x |")
print(f"| its validation MSE after 5 epochs | {om['val_mse']:.5f} | PyTorch {pm['val_mse']:.5f} | "
      f"{(om['val_mse'] / pm['val_mse'] - 1) * 100:+.1f} % | within 5 % |")
print(f"| top-10 cosine, one query, 170k songs | {ok['single_median_ms']:.2f} ms | "
      f"sklearn brute {pk['single_median_ms']:.2f} ms | "
      f"{pk['single_median_ms'] / ok['single_median_ms']:.1f}x faster | >= 10x, < 2 ms |")
print(f"| top-10 cosine, {ok['batch']} queries in a batch | {ok['batch_median_ms']:.0f} ms | "
      f"sklearn brute {pk['batch_median_ms']:.0f} ms | "
      f"{pk['batch_median_ms'] / ok['batch_median_ms']:.1f}x faster | >= 5x |")
for method in ("pearson", "spearman", "kendall"):
    o, p = ours_corr[method]["median_ms"], peer_corr[method]["median_ms"]
    target = ">= 5x, < 1 s" if method == "kendall" else ">= 5x"
    print(f"| {method} 13x13 on 170k rows | {o:.0f} ms | DataFrame.corr {p:.0f} ms | "
          f"{p / o:.1f}x faster | {target} |")
PY
cnn_rows "$ours_cnn" "$peer_cnn" "$ours_file" "$peer_file"
art_rows
