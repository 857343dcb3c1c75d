/* ts-nn-flatten.c: (N, C, H, W) to (N, C*H*W)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NCHW is already sample-major, so flattening only copies; it exists as a
 * layer so that a model's shapes read as in Keras and PyTorch.
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <string.h>

#include "ts-nn.h"

void
ts_nn_flatten_forward (float       *out,
                       const float *inp,
                       int N, int D)
{
  memcpy (out, inp, sizeof (float) * (gsize) N * D);
}

void
ts_nn_flatten_backward (float       *dinp,
                        const float *dout,
                        int N, int D)
{
  gsize total = (gsize) N * D;

  for (gsize i = 0; i < total; i++)
    dinp[i] += dout[i];
}
