/* fuzz-safetensors.c: model files (safetensors: the header's JSON,
 * offsets, dtypes and shapes, and the architecture in its metadata
 * against the tensors)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "nn/ts-nn-model.h"
#include "ts-fuzz.h"

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
  return 0;
}
