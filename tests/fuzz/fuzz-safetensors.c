/* fuzz-safetensors.c: model files (safetensors: the header's JSON,
 * offsets, dtypes, quantization and shapes, and the architecture in its
 * metadata against the tensors), as a sequential model and as an image
 * backbone; a backbone that loads runs once on a small blank image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "nn/ts-nn-backbone.h"
#include "nn/ts-nn-model.h"
#include "ts-fuzz.h"

/* Inputs up to this many floats are run: the corpus' tiny backbone is
 * 3 x 8 x 8, and a 224 x 224 one would take a fuzzer's time for nothing. */
#define MAX_RUN_INPUT 4096

static void
run_backbone (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsNnBackbone) backbone = ts_nn_backbone_load_bytes (bytes, "net.safetensors", &error);
  g_autofree float *image = NULL, *out = NULL;
  int c, h, w, last;

  if ((backbone == NULL) == (error == NULL))
    abort ();
  if (backbone == NULL)
    return;
  ts_nn_backbone_get_input_shape (backbone, &c, &h, &w);
  if ((gint64) c * h * w > MAX_RUN_INPUT)
    return;
  last = ts_nn_backbone_get_n_ops (backbone) - 1;
  image = g_new0 (float, (gsize) c * h * w);
  out = g_new (float, ts_nn_backbone_get_op_shape (backbone, last, NULL, NULL, NULL));
  ts_nn_backbone_forward (backbone, image, 1, &last, &out);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(TsNnTensorFile) file = NULL;
  g_autoptr(TsNnModel) model = NULL;
  g_autoptr(GHashTable) metadata = NULL;
  g_autoptr(GError) error = NULL;

  file = ts_nn_tensor_file_read_bytes (bytes, "model.safetensors", &error);
  if ((file == NULL) == (error == NULL))
    abort ();
  g_clear_error (&error);
  model = ts_nn_model_load_bytes (bytes, "model.safetensors", &metadata, &error);
  if ((model == NULL) == (error == NULL))
    abort ();
  if (model != NULL)
    g_free (ts_nn_model_to_json (model));
  g_clear_error (&error);
  run_backbone (bytes);
  return 0;
}
