/* tunescope-core.h: everything the app, the CLI and the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-types.h"
#include "ts-error.h"
#include "ts-dataset.h"
#include "ts-group-table.h"
#include "net/ts-http.h"
#include "net/ts-kaggle.h"
#include "ts-image.h"
#include "net/ts-spotify.h"
#include "net/ts-art-cache.h"
#include "net/ts-secret.h"
#include "ts-relay.h"
#include "ts-stats.h"
#include "charts/ts-axis.h"
#include "charts/ts-palette.h"
#include "charts/ts-density.h"
#include "charts/ts-chart.h"
#include "ts-space.h"
#include "ts-knn.h"
#include "ts-pca.h"
#include "ts-similar.h"
#include "ts-playlist.h"
#include "ts-suggest.h"
#include "nn/ts-nn.h"
#include "nn/ts-nn-model.h"
#include "nn/ts-nn-backbone.h"
#include "ts-models.h"
#include "ts-cnn.h"
#include "ts-covers.h"
#include "ts-cover-genres.h"
#include "net/ts-musicbrainz.h"
