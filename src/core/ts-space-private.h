/* ts-space-private.h: the fields of a TsSpace, for the search loops of ts-knn.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-space.h"

G_BEGIN_DECLS

struct _TsSpace
{
  gatomicrefcount  ref_count;
  char            *name;
  guint            n;
  guint            d;
  const float     *data;
  float           *owned;
  TsDataset       *dataset;
  float           *norms;  /* n norms, n squared norms, n inverse norms (0 for 0) */
};

G_END_DECLS
