/* ts-fuzz.h: what the libFuzzer harnesses share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

/* libFuzzer's entry points: ts-fuzz.c defines the first for every
 * harness (which keeps what it needs across inputs in statics made on
 * the first input), each harness the second. */
int       LLVMFuzzerInitialize   (int            *argc,
                                  char         ***argv);
int       LLVMFuzzerTestOneInput (const uint8_t  *data,
                                  size_t          size);

/* A small dataset of eight songs by the artists A, B, C and D (ids
 * 0aaaaaaaaaaaaaaaaaaaa1 to …8), the one tests/fixtures/playlist/tracks.csv
 * holds, loaded from memory. */
#define TS_FUZZ_TRACKS_CSV \
  "valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id," \
  "instrumentalness,key,liveness,loudness,mode,name,popularity,release_date,speechiness,tempo\n" \
  "0.5,1990,0.1,['A'],0.6,200000,0.7,0," \
    "0aaaaaaaaaaaaaaaaaaaa1,0.0,5,0.1,-5.0,1,One,50,1990,0.05,120\n" \
  "0.5,1991,0.1,['A'],0.6,200000,0.7,0," \
    "0aaaaaaaaaaaaaaaaaaaa2,0.0,5,0.1,-5.0,1,One,40,1991,0.05,120\n" \
  "0.6,1992,0.2,['A'],0.5,180000,0.6,0," \
    "0aaaaaaaaaaaaaaaaaaaa3,0.1,3,0.2,-7.5,0,Two,60,1992,0.04,100\n" \
  "0.4,2001,0.3,['B'],0.4,210000,0.5,1," \
    "0aaaaaaaaaaaaaaaaaaaa4,0.2,7,0.3,-6.0,1,Three,45,2001,0.06,101\n" \
  "0.9,2010,0.9,['B'],0.9,100000,0.1,0," \
    "0aaaaaaaaaaaaaaaaaaaa5,0.9,1,0.9,-20,0,Four,10,2010,0.5,60\n" \
  "0.1,1960,0.5,['C'],0.2,300000,0.9,0," \
    "0aaaaaaaaaaaaaaaaaaaa6,0.5,9,0.5,-3,1,Five,80,1960,0.1,180\n" \
  "0.55,1990,0.15,['C'],0.55,190000,0.65,0," \
    "0aaaaaaaaaaaaaaaaaaaa7,0.05,4,0.15,-6,1,Six,55,1990,0.05,110\n" \
  "0.5,1995,0.1,\"['A', 'D']\",0.6,200000,0.7,0," \
    "0aaaaaaaaaaaaaaaaaaaa8,0.0,5,0.1,-5.0,1,One,90,1995,0.05,120\n"

/* A new copy of the dataset above. */
TsDataset *ts_fuzz_load_tracks   (void);

G_END_DECLS
