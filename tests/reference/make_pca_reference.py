# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes tests/fixtures/pca/cloud.json: a fixed random cloud and its two
# principal components by numpy's SVD, for test-pca.c. Run with Debian's
# python3 (python3-numpy): /usr/bin/python3 tests/reference/make_pca_reference.py
import json
import os

import numpy as np

rng = np.random.default_rng(3)
x = (rng.normal(size=(40, 5)) * [3.0, 1.5, 0.7, 0.3, 0.1]) @ np.linalg.qr(rng.normal(size=(5, 5)))[0]
x = x.round(6).astype(np.float32).astype(np.float64)
centred = x - x.mean(0)
_, s, vt = np.linalg.svd(centred, full_matrices=False)
components = vt[:2]
for c in components:
    if c[np.argmax(np.abs(c))] < 0:
        c *= -1
out = {
    'points': x.round(6).tolist(),
    'components': components.tolist(),
    'variance': (s[:2] ** 2 / (len(x) - 1)).tolist(),
    'projected': (centred @ components.T).tolist(),
}
path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'pca', 'cloud.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
