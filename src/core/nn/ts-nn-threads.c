/* ts-nn-threads.c: how the engine shares work among cores, the same answer on any count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OpenBLAS splits a product among its threads by ranges whose edges depend
 * on the thread count, and a row at the edge of a range goes through
 * another micro-kernel, which sums in another order: the same embedding
 * came out different in the sixth digit with one BLAS thread and with two,
 * so a query's distances, and near-ties in its ranking, depended on the
 * machine. Hence the rule, for the whole process:
 *
 * - OpenBLAS always runs on one thread (ts_nn_blas_init (), called on
 *   first use by every function of ours that reaches BLAS; it also
 *   overrides OPENBLAS_NUM_THREADS).
 * - Work is shared among cores by Tunescope itself (ts_nn_parallel_for ()):
 *   cut into pieces whose edges depend on the size of the work only, each
 *   piece computed the same way whichever thread takes it, and the
 *   pieces' results combined in a fixed order. ts_nn_set_num_threads ()
 *   (or TUNESCOPE_NUM_THREADS) then changes how fast an answer comes,
 *   never the answer.
 *
 * Across machines (another CPU, another OPENBLAS_CORETYPE kernel) results
 * may still differ by float rounding: tests that compare across kernels
 * say their tolerance (tests/cli/test-cli-machines.py).
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <cblas.h>

#include "ts-nn.h"

void
ts_nn_blas_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      openblas_set_num_threads (1);
      g_once_init_leave (&done, 1);
    }
}

/* The threads ts_nn_parallel_for () shares pieces among; 0: the default,
 * TUNESCOPE_NUM_THREADS if set (the tests run with 1 and 2), else every
 * core. */
static int engine_threads;

static int
default_threads (void)
{
  static gsize threads;

  if (g_once_init_enter (&threads))
    {
      const char *env = g_getenv ("TUNESCOPE_NUM_THREADS");
      gint64 n = env != NULL ? g_ascii_strtoll (env, NULL, 10) : 0;

      g_once_init_leave (&threads, n > 0 ? (gsize) MIN (n, 256) : g_get_num_processors ());
    }
  return (int) threads;
}

int
ts_nn_set_num_threads (int n_threads)
{
  int cores = (int) g_get_num_processors ();

  ts_nn_blas_init ();
  if (n_threads <= 0 || n_threads > cores)
    n_threads = cores;
  g_atomic_int_set (&engine_threads, n_threads);
  return n_threads;
}

int
ts_nn_get_num_threads (void)
{
  int n_threads = g_atomic_int_get (&engine_threads);

  return n_threads > 0 ? n_threads : default_threads ();
}

int
ts_nn_parallel_get_n_workers (int n_pieces)
{
  return CLAMP (ts_nn_get_num_threads (), 1, MAX (n_pieces, 1));
}

typedef struct
{
  TsNnPieceFunc  func;
  gpointer       data;
  int            n_pieces;
  int            next;    /* atomic: the next piece nobody has taken */
} ParallelJob;

typedef struct
{
  ParallelJob   *job;
  int            worker;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  ParallelJob *job = w->job;
  int piece;

  ts_nn_blas_init ();
  while ((piece = g_atomic_int_add (&job->next, 1)) < job->n_pieces)
    job->func (piece, w->worker, job->data);
  return NULL;
}

void
ts_nn_parallel_for (int            n_pieces,
                    TsNnPieceFunc  func,
                    gpointer       data)
{
  ParallelJob job = { .func = func, .data = data, .n_pieces = n_pieces, .next = 0 };
  int n_workers;
  g_autofree Worker *workers = NULL;
  g_autofree GThread **threads = NULL;

  g_return_if_fail (func != NULL);
  g_return_if_fail (n_pieces >= 0);

  n_workers = ts_nn_parallel_get_n_workers (n_pieces);
  workers = g_new (Worker, n_workers);
  threads = g_new0 (GThread *, n_workers);
  for (int w = 0; w < n_workers; w++)
    workers[w] = (Worker) { &job, w };
  /* Worker 0 is the caller's own thread. */
  for (int w = 1; w < n_workers; w++)
    threads[w] = g_thread_new ("ts-nn-worker", worker_run, &workers[w]);
  worker_run (&workers[0]);
  for (int w = 1; w < n_workers; w++)
    g_thread_join (threads[w]);
}
