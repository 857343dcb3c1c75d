# SPDX-License-Identifier: GPL-3.0-or-later
"""The peers' view of a catalogue: the 13 features as Tunescope reads them
from any of its schemas. The 600k set's tracks.csv has no year column (it
comes from release_date, as Tunescope takes it); the 1.2M set has no
popularity, which is left out (Tunescope scales it to 0 everywhere, which
changes no distance and no correlation it shows)."""

import pandas as pd

FEATURES = ["valence", "year", "acousticness", "danceability", "duration_ms", "energy",
            "instrumentalness", "key", "liveness", "loudness", "popularity", "speechiness",
            "tempo"]


def features_frame(path):
    header = pd.read_csv(path, nrows=0).columns
    wanted = [f for f in FEATURES if f in header]
    year_from_date = "year" not in header
    columns = wanted + (["release_date"] if year_from_date else [])
    frame = pd.read_csv(path, usecols=columns)
    if year_from_date:
        frame["year"] = frame.pop("release_date").str[:4].astype("int64")
    return frame[[f for f in FEATURES if f in frame.columns]].astype("float64")
