/* ts-window-private.h: the window's state, shared by its source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-dataset-page.h"
#include "ts-discover-page.h"
#include "ts-explore-page.h"
#include "ts-image-page.h"
#include "ts-window.h"

G_BEGIN_DECLS

struct _TsWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  TsDataset            *dataset;
  /* Cancels the running load or download; replaced for each new one and
   * cancelled when the window closes. */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  gboolean              busy;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  TsDatasetPage        *dataset_page;
  AdwViewStackPage     *explore_stack_page;
  TsExplorePage        *explore_page;
  AdwViewStackPage     *discover_stack_page;
  TsDiscoverPage       *discover_page;
  AdwViewStackPage     *image_stack_page;
  TsImagePage          *image_page;
};

void     _ts_window_init_dnd    (TsWindow     *self);
/* What a drop on the window does with @value (a file list, a file or a
 * texture): an image goes to the Image page, another file is opened as
 * the dataset. */
gboolean _ts_window_handle_drop (TsWindow     *self,
                                 const GValue *value);
void     _ts_window_toast       (TsWindow     *self,
                                 const char   *message);

G_END_DECLS
