/* ts-drop.c: what a drop or a paste brings, and where it goes
 *
 * A drop anywhere on the window and a paste on the Image page share this:
 * an image (a file whose content type is an image type, or image data) goes to
 * the Image page; any other file is opened as a dataset, whose loader
 * reports what is wrong with it. Deciding by content type rather than by
 * the exact extension keeps "cover.JPG" and "photo.jpeg" images, and a
 * data.csv a dataset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-drop"

#include "config.h"

#include "ts-drop.h"

const GType *
ts_drop_get_types (guint *n_types)
{
  static GType types[3];

  g_return_val_if_fail (n_types != NULL, NULL);

  /* Files first: a file manager offers both a file list and, for
   * images, a texture; the file keeps its name for messages. */
  if (types[0] == 0)
    {
      types[0] = GDK_TYPE_FILE_LIST;
      types[1] = G_TYPE_FILE;
      types[2] = GDK_TYPE_TEXTURE;
    }
  *n_types = G_N_ELEMENTS (types);
  return types;
}

static char *
guess_content_type (GFile *file)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = NULL;

  g_assert (G_IS_FILE (file));

  /* GIO guesses from the name and sniffs the data only when the name is
   * not enough: a local query is quick. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL && g_file_info_get_content_type (info) != NULL)
    return g_strdup (g_file_info_get_content_type (info));
  name = g_file_get_basename (file);
  return g_content_type_guess (name, NULL, 0, NULL);
}

gboolean
ts_drop_file_is_image (GFile *file)
{
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  type = guess_content_type (file);
  mime = type != NULL ? g_content_type_get_mime_type (type) : NULL;
  return mime != NULL && g_str_has_prefix (mime, "image/");
}

TsDropKind
ts_drop_classify (const GValue  *value,
                  GFile        **file,
                  GdkTexture   **texture)
{
  GFile *found = NULL;

  g_return_val_if_fail (G_IS_VALUE (value), TS_DROP_NOTHING);
  g_return_val_if_fail (file != NULL && *file == NULL, TS_DROP_NOTHING);
  g_return_val_if_fail (texture != NULL && *texture == NULL, TS_DROP_NOTHING);

  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      GdkTexture *data = g_value_get_object (value);

      if (data == NULL)
        return TS_DROP_NOTHING;
      *texture = g_object_ref (data);
      return TS_DROP_IMAGE;
    }
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      found = files != NULL ? files->data : NULL;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    found = g_value_get_object (value);
  if (found == NULL)
    return TS_DROP_NOTHING;

  *file = g_object_ref (found);
  return ts_drop_file_is_image (found) ? TS_DROP_IMAGE : TS_DROP_DATASET;
}
