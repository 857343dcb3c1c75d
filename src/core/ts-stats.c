/* ts-stats.c: Pearson, Spearman and Kendall tau-b matrices on every core
 *
 * Each column is sorted once (an LSD radix sort on the doubles' bits) into
 * dense ranks; Spearman correlates the average ranks, Kendall runs Knight's
 * algorithm per pair: a counting sort by x's rank of the rows already in
 * y's order gives the (x, y) order in O(n), and a merge sort of the y ranks
 * counts the discordant pairs in O(n log n). Columns, then pairs, are
 * shared among threads through an atomic counter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-stats"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ts-dataset.h"
#include "ts-stats.h"

#define RADIX_BITS    11
#define RADIX_SIZE    (1u << RADIX_BITS)
#define RADIX_PASSES  6        /* 6 x 11 bits cover the 64 of a double */
#define INSERTION_RUN 16       /* merge sort: runs this long start by insertion */
#define GRAM_BLOCK    8192     /* rows per Gram task: a block of every column fits in L2 */

/* What one column needs for every pair it is in. */
typedef struct
{
  gboolean  usable;     /* no NaN, not constant, two rows or more */
  guint32  *rank;       /* n: dense rank of each row, 0 .. n_distinct - 1 */
  guint32  *order;      /* n: rows by ascending value, ties by row */
  guint32  *starts;     /* n_distinct + 1: first position of each rank in order */
  guint32   n_distinct;
  gint64    ties;       /* sum over tied groups of t (t - 1) / 2 */
  double   *centred;    /* n: Pearson/Spearman values minus their mean, in Job.centred */
  double    norm;       /* sqrt of the sum of squares of centred */
} Column;

typedef struct
{
  const double * const *columns;
  guint                 n_columns;
  gsize                 n_rows;
  TsCorrMethod          method;
  Column               *prep;       /* n_columns */
  double               *centred;    /* n_rows x n_columns, column-major (not Kendall) */
  double               *gram;       /* per row block, the n_columns^2 partial dot products */
  guint                *pair_a;     /* n_pairs */
  guint                *pair_b;
  double               *values;     /* n_columns x n_columns */
  gboolean             *defined;
} Job;

typedef void (*TaskFunc) (Job      *job,
                          guint     task,
                          gpointer *scratch);

typedef struct
{
  Job      *job;
  TaskFunc  func;
  guint     n_tasks;
  gint     *next;
} Worker;

const char *
ts_corr_method_get_name (TsCorrMethod method)
{
  static const char * const names[] = { "pearson", "spearman", "kendall" };

  g_return_val_if_fail (method < TS_N_CORR_METHODS, NULL);

  return names[method];
}

gboolean
ts_corr_method_from_name (const char   *name,
                          TsCorrMethod *method)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint m = 0; m < TS_N_CORR_METHODS; m++)
    if (g_ascii_strcasecmp (name, ts_corr_method_get_name (m)) == 0)
      {
        if (method != NULL)
          *method = m;
        return TRUE;
      }
  return FALSE;
}

/* ---- running tasks on every core ---- */

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  gpointer scratch = NULL;

  for (;;)
    {
      guint task = (guint) g_atomic_int_add (worker->next, 1);

      if (task >= worker->n_tasks)
        break;
      worker->func (worker->job, task, &scratch);
    }
  g_free (scratch);
  return NULL;
}

static void
run_tasks (Job      *job,
           TaskFunc  func,
           guint     n_tasks,
           guint     n_threads)
{
  gint next = 0;
  Worker worker = { job, func, n_tasks, &next };
  g_autofree GThread **threads = NULL;
  guint extra;

  g_assert (n_threads >= 1);

  /* Small inputs are not worth a thread. */
  extra = (job->n_rows < 4096 || n_tasks < 2) ? 0 : MIN (n_threads, n_tasks) - 1;
  threads = g_new0 (GThread *, extra + 1);
  for (guint t = 0; t < extra; t++)
    threads[t] = g_thread_new ("ts-corr", worker_run, &worker);
  worker_run (&worker);
  for (guint t = 0; t < extra; t++)
    g_thread_join (threads[t]);
}

/* ---- sorting a column ---- */

/* The bits of @value as an unsigned integer with the same order. */
static inline guint64
sortable_bits (double value)
{
  guint64 bits;

  if (value == 0.0)
    value = 0.0;  /* -0.0 ties with 0.0 */
  memcpy (&bits, &value, sizeof bits);
  return (bits & G_GUINT64_CONSTANT (0x8000000000000000)) ? ~bits
                                                         : bits | G_GUINT64_CONSTANT (0x8000000000000000);
}

/* Stable LSD radix sort of @n row indices by their column's value. */
static guint32 *
radix_order (const double *values,
             gsize         n)
{
  g_autofree guint64 *keys = g_new (guint64, n);
  g_autofree guint64 *keys_tmp = g_new (guint64, n);
  g_autofree guint32 *idx_tmp = g_new (guint32, n);
  guint32 *idx = g_new (guint32, n);
  g_autofree guint32 *counts = g_new0 (guint32, RADIX_PASSES * RADIX_SIZE);

  for (gsize i = 0; i < n; i++)
    {
      keys[i] = sortable_bits (values[i]);
      idx[i] = (guint32) i;
      for (guint p = 0; p < RADIX_PASSES; p++)
        counts[p * RADIX_SIZE + ((keys[i] >> (p * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
    }

  for (guint p = 0; p < RADIX_PASSES; p++)
    {
      guint32 *count = counts + p * RADIX_SIZE;
      guint shift = p * RADIX_BITS;
      guint32 sum = 0;

      if (count[(keys[0] >> shift) & (RADIX_SIZE - 1)] == n)
        continue;  /* every key has the same digit here */
      for (guint d = 0; d < RADIX_SIZE; d++)
        {
          guint32 c = count[d];

          count[d] = sum;
          sum += c;
        }
      for (gsize i = 0; i < n; i++)
        {
          guint32 at = count[(keys[i] >> shift) & (RADIX_SIZE - 1)]++;

          keys_tmp[at] = keys[i];
          idx_tmp[at] = idx[i];
        }
      {
        guint64 *k = keys; guint32 *x = idx;

        keys = keys_tmp; keys_tmp = k;
        idx = idx_tmp; idx_tmp = x;
      }
    }
  return idx;
}

static void
column_rank (Column       *col,
             const double *values,
             gsize         n)
{
  guint32 r = 0;
  gsize run = 1;

  g_assert (n > 0);

  col->order = radix_order (values, n);
  col->rank = g_new (guint32, n);
  col->starts = g_new (guint32, n + 1);
  col->starts[0] = 0;
  col->rank[col->order[0]] = 0;
  for (gsize p = 1; p < n; p++)
    {
      if (values[col->order[p]] != values[col->order[p - 1]])
        {
          col->ties += (gint64) run * (gint64) (run - 1) / 2;
          run = 0;
          col->starts[++r] = (guint32) p;
        }
      run++;
      col->rank[col->order[p]] = r;
    }
  col->ties += (gint64) run * (gint64) (run - 1) / 2;
  col->n_distinct = r + 1;
  col->starts[col->n_distinct] = (guint32) n;
}

/* Centres @values (or the average ranks, for Spearman) for Pearson. */
static void
column_centre (Column       *col,
               const double *values,
               gsize         n,
               gboolean      use_ranks)
{
  double sum = 0.0, mean, ss = 0.0;

  g_assert (col->centred != NULL);

  if (use_ranks)
    for (guint32 r = 0; r < col->n_distinct; r++)
      {
        /* 1-based positions starts[r] + 1 .. starts[r + 1] share their mean. */
        double avg = ((double) col->starts[r] + 1.0 + (double) col->starts[r + 1]) / 2.0;

        for (guint32 p = col->starts[r]; p < col->starts[r + 1]; p++)
          col->centred[col->order[p]] = avg;
      }
  else
    memcpy (col->centred, values, n * sizeof (double));

  for (gsize i = 0; i < n; i++)
    sum += col->centred[i];
  mean = sum / (double) n;
  for (gsize i = 0; i < n; i++)
    {
      col->centred[i] -= mean;
      ss += col->centred[i] * col->centred[i];
    }
  col->norm = sqrt (ss);
}

static gboolean
column_is_usable (const double *values,
                  gsize         n)
{
  gboolean varies = FALSE;

  if (n < 2)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (values[i]))
        return FALSE;
      varies |= values[i] != values[0];
    }
  return varies;
}

static void
prepare_column (Job      *job,
                guint     task,
                gpointer *scratch)
{
  Column *col = &job->prep[task];
  const double *values = job->columns[task];
  gsize n = job->n_rows;

  col->usable = column_is_usable (values, n);
  if (!col->usable)
    return;
  if (job->method != TS_CORR_PEARSON)
    column_rank (col, values, n);
  if (job->method != TS_CORR_KENDALL)
    {
      col->centred = job->centred + (gsize) task * n;
      column_centre (col, values, n, job->method == TS_CORR_SPEARMAN);
    }
}

static void
column_clear (Column *col)
{
  g_free (col->rank);
  g_free (col->order);
  g_free (col->starts);
}

/* ---- one pair ---- */

static double
dot (const double *a,
     const double *b,
     gsize         n)
{
  /* Four sums keep the adds independent. */
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  gsize i = 0;

  for (; i + 4 <= n; i += 4)
    {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
  for (; i < n; i++)
    s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

/* The dot products of every pair of centred columns over one block of
 * rows. (BLAS's dsyrk would do, but OpenBLAS's threads keep spinning
 * afterwards and slow the Kendall work down.) */
static void
gram_block (Job      *job,
            guint     task,
            gpointer *scratch)
{
  guint k = job->n_columns;
  gsize lo = (gsize) task * GRAM_BLOCK, len = MIN (GRAM_BLOCK, job->n_rows - lo);
  double *out = job->gram + (gsize) task * k * k;

  for (guint a = 0; a < k; a++)
    for (guint b = a + 1; b < k; b++)
      out[a * k + b] = dot (job->centred + a * job->n_rows + lo,
                            job->centred + b * job->n_rows + lo, len);
}

/* Sorts @a ascending and returns the number of pairs i < j with
 * a[i] > a[j]. Equal values are not inversions. */
static gint64
count_inversions (guint32 *a,
                  guint32 *tmp,
                  gsize    n)
{
  gint64 swaps = 0;
  guint32 *src = a, *dst = tmp;

  for (gsize lo = 0; lo < n; lo += INSERTION_RUN)
    {
      gsize hi = MIN (lo + INSERTION_RUN, n);

      for (gsize i = lo + 1; i < hi; i++)
        {
          guint32 v = a[i];
          gsize j = i;

          for (; j > lo && a[j - 1] > v; j--)
            a[j] = a[j - 1];
          swaps += (gint64) (i - j);
          a[j] = v;
        }
    }

  for (gsize width = INSERTION_RUN; width < n; width *= 2)
    {
      for (gsize lo = 0; lo < n; lo += 2 * width)
        {
          gsize mid = MIN (lo + width, n), hi = MIN (lo + 2 * width, n);
          gsize i = lo, j = mid, k = lo;

          while (i < mid && j < hi)
            {
              if (src[j] < src[i])
                {
                  swaps += (gint64) (mid - i);
                  dst[k++] = src[j++];
                }
              else
                dst[k++] = src[i++];
            }
          memcpy (dst + k, src + i, (mid - i) * sizeof *src);
          k += mid - i;
          memcpy (dst + k, src + j, (hi - j) * sizeof *src);
        }
      {
        guint32 *t = src;

        src = dst;
        dst = t;
      }
    }
  return swaps;
}

static double
kendall_pair (const Column *x,
              const Column *y,
              gsize         n,
              gpointer     *scratch)
{
  guint32 *seq, *tmp, *pos;
  gint64 total = (gint64) n * (gint64) (n - 1) / 2;
  gint64 joint = 0, swaps, num;

  if (*scratch == NULL)
    *scratch = g_new (guint32, 3 * n + 1);
  seq = *scratch;
  tmp = seq + n;
  pos = tmp + n;

  /* Rows in y order, placed stably by x rank: the (x, y) order. */
  memcpy (pos, x->starts, x->n_distinct * sizeof *pos);
  for (gsize p = 0; p < n; p++)
    {
      guint32 row = y->order[p];

      seq[pos[x->rank[row]]++] = y->rank[row];
    }

  /* Joint ties: equal runs of y rank within one x rank. */
  for (guint32 r = 0; r < x->n_distinct; r++)
    {
      gint64 run = 1;

      for (guint32 p = x->starts[r] + 1; p < x->starts[r + 1]; p++)
        {
          if (seq[p] == seq[p - 1])
            run++;
          else
            {
              joint += run * (run - 1) / 2;
              run = 1;
            }
        }
      joint += run * (run - 1) / 2;
    }

  swaps = count_inversions (seq, tmp, n);
  num = total - x->ties - y->ties + joint - 2 * swaps;
  return (double) num / sqrt ((double) (total - x->ties)) / sqrt ((double) (total - y->ties));
}

static void
compute_pair (Job      *job,
              guint     task,
              gpointer *scratch)
{
  guint a = job->pair_a[task], b = job->pair_b[task];
  const Column *x = &job->prep[a], *y = &job->prep[b];
  guint k = job->n_columns;
  double r;

  if (!x->usable || !y->usable)
    {
      job->values[a * k + b] = job->values[b * k + a] = 0.0;
      job->defined[a * k + b] = job->defined[b * k + a] = FALSE;
      return;
    }
  if (a == b)
    r = 1.0;
  else if (job->method == TS_CORR_KENDALL)
    r = kendall_pair (x, y, job->n_rows, scratch);
  else  /* the dot products of the centred columns are already in values */
    r = job->values[a * k + b] / (x->norm * y->norm);
  r = CLAMP (r, -1.0, 1.0);
  job->values[a * k + b] = job->values[b * k + a] = r;
  job->defined[a * k + b] = job->defined[b * k + a] = TRUE;
}

void
ts_corr_compute (const double * const *columns,
                 guint                 n_columns,
                 gsize                 n_rows,
                 TsCorrMethod          method,
                 guint                 n_threads,
                 double               *values,
                 gboolean             *defined)
{
  g_autofree double *own_values = NULL;
  g_autofree gboolean *own_defined = NULL;
  guint n_pairs = n_columns * (n_columns + 1) / 2, p = 0;
  Job job = { columns, n_columns, n_rows, method };

  g_return_if_fail (columns != NULL || n_columns == 0);
  g_return_if_fail (method < TS_N_CORR_METHODS);
  g_return_if_fail (n_rows < G_MAXUINT32);

  if (n_columns == 0)
    return;
  if (values == NULL)
    values = own_values = g_new (double, n_columns * n_columns);
  if (defined == NULL)
    defined = own_defined = g_new (gboolean, n_columns * n_columns);
  if (n_threads == 0)
    n_threads = MAX (1, g_get_num_processors ());

  job.values = values;
  job.defined = defined;
  job.prep = g_new0 (Column, n_columns);
  job.pair_a = g_new (guint, n_pairs);
  job.pair_b = g_new (guint, n_pairs);
  for (guint a = 0; a < n_columns; a++)
    for (guint b = a; b < n_columns; b++, p++)
      {
        job.pair_a[p] = a;
        job.pair_b[p] = b;
      }

  if (method != TS_CORR_KENDALL)
    job.centred = g_new0 (double, n_rows * n_columns);
  run_tasks (&job, prepare_column, n_columns, n_threads);
  if (method != TS_CORR_KENDALL)
    {
      guint n_blocks = (guint) ((n_rows + GRAM_BLOCK - 1) / GRAM_BLOCK);

      /* Partial sums per block, added in block order: the same result
       * whatever the number of threads. */
      job.gram = g_new0 (double, (gsize) n_blocks * n_columns * n_columns);
      run_tasks (&job, gram_block, n_blocks, n_threads);
      for (guint e = 0; e < n_columns * n_columns; e++)
        {
          double sum = 0.0;

          for (guint blk = 0; blk < n_blocks; blk++)
            sum += job.gram[(gsize) blk * n_columns * n_columns + e];
          values[e] = sum;
        }
      g_clear_pointer (&job.gram, g_free);
      g_clear_pointer (&job.centred, g_free);
    }
  run_tasks (&job, compute_pair, n_pairs, n_threads);

  for (guint c = 0; c < n_columns; c++)
    column_clear (&job.prep[c]);
  g_free (job.prep);
  g_free (job.pair_a);
  g_free (job.pair_b);
}

/* ---- TsCorrMatrix ---- */

struct _TsCorrMatrix
{
  TsCorrMethod  method;
  gsize         n_rows;
  guint         size;
  TsFeature    *features;
  double       *values;
  gboolean     *defined;
};

G_DEFINE_BOXED_TYPE (TsCorrMatrix, ts_corr_matrix, ts_corr_matrix_ref, ts_corr_matrix_unref)

static TsCorrMatrix *
corr_matrix_alloc (TsCorrMethod     method,
                   gsize            n_rows,
                   const TsFeature *features,
                   guint            n_features)
{
  TsCorrMatrix *self = g_atomic_rc_box_new0 (TsCorrMatrix);

  self->method = method;
  self->n_rows = n_rows;
  self->size = n_features;
  self->features = g_new (TsFeature, n_features);
  for (guint f = 0; f < n_features; f++)
    self->features[f] = features ? features[f] : (TsFeature) f;
  self->values = g_new0 (double, n_features * n_features);
  self->defined = g_new0 (gboolean, n_features * n_features);
  return self;
}

static gboolean
features_valid (const TsFeature *features,
                guint            n_features)
{
  for (guint f = 0; features != NULL && f < n_features; f++)
    if ((guint) features[f] >= TS_N_FEATURES)
      return FALSE;
  return TRUE;
}

TsCorrMatrix *
ts_corr_matrix_new (TsDataset       *dataset,
                    TsCorrMethod     method,
                    const TsFeature *features,
                    guint            n_features,
                    guint            n_threads)
{
  TsCorrMatrix *self;
  const double *columns[TS_N_FEATURES];

  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (method < TS_N_CORR_METHODS, NULL);
  g_return_val_if_fail (features != NULL || n_features == 0, NULL);
  g_return_val_if_fail (n_features <= TS_N_FEATURES, NULL);
  g_return_val_if_fail (features_valid (features, n_features), NULL);

  if (features == NULL)
    n_features = TS_N_FEATURES;
  self = corr_matrix_alloc (method, ts_dataset_get_n_rows (dataset), features, n_features);
  for (guint f = 0; f < n_features; f++)
    columns[f] = ts_dataset_get_column (dataset, self->features[f]);
  ts_corr_compute (columns, n_features, self->n_rows, method, n_threads,
                   self->values, self->defined);
  return self;
}

TsCorrMatrix *
ts_corr_matrix_new_from_values (TsCorrMethod     method,
                                gsize            n_rows,
                                const TsFeature *features,
                                guint            n_features,
                                const double    *values,
                                const gboolean  *defined)
{
  TsCorrMatrix *self;

  g_return_val_if_fail (method < TS_N_CORR_METHODS, NULL);
  g_return_val_if_fail (features != NULL && features_valid (features, n_features), NULL);
  g_return_val_if_fail (values != NULL, NULL);

  self = corr_matrix_alloc (method, n_rows, features, n_features);
  for (guint i = 0; i < n_features * n_features; i++)
    {
      gboolean ok = (defined == NULL || defined[i]) && isfinite (values[i]);

      self->defined[i] = ok;
      self->values[i] = ok ? CLAMP (values[i], -1.0, 1.0) : 0.0;
    }
  return self;
}

static void
ts_corr_matrix_finalize (gpointer data)
{
  TsCorrMatrix *self = data;

  g_free (self->features);
  g_free (self->values);
  g_free (self->defined);
}

TsCorrMatrix *
ts_corr_matrix_ref (TsCorrMatrix *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
ts_corr_matrix_unref (TsCorrMatrix *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, ts_corr_matrix_finalize);
}

TsCorrMethod
ts_corr_matrix_get_method (TsCorrMatrix *self)
{
  g_return_val_if_fail (self != NULL, TS_CORR_PEARSON);

  return self->method;
}

gsize
ts_corr_matrix_get_n_rows (TsCorrMatrix *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rows;
}

guint
ts_corr_matrix_get_size (TsCorrMatrix *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

TsFeature
ts_corr_matrix_get_feature (TsCorrMatrix *self,
                            guint         index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (index < self->size, 0);

  return self->features[index];
}

double
ts_corr_matrix_get (TsCorrMatrix *self,
                    guint         row,
                    guint         col)
{
  g_return_val_if_fail (self != NULL, 0.0);
  g_return_val_if_fail (row < self->size && col < self->size, 0.0);

  return self->values[row * self->size + col];
}

gboolean
ts_corr_matrix_is_defined (TsCorrMatrix *self,
                           guint         row,
                           guint         col)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (row < self->size && col < self->size, FALSE);

  return self->defined[row * self->size + col];
}

gboolean
ts_corr_matrix_get_strongest (TsCorrMatrix *self,
                              guint        *row,
                              guint        *col)
{
  double best = -1.0;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->size; i++)
    for (guint j = i + 1; j < self->size; j++)
      if (self->defined[i * self->size + j] && fabs (self->values[i * self->size + j]) > best)
        {
          best = fabs (self->values[i * self->size + j]);
          if (row != NULL)
            *row = i;
          if (col != NULL)
            *col = j;
        }
  return best >= 0.0;
}

/* ---- TsGroupSelection ---- */

TsGroupSelection *
ts_group_selection_new (TsGroupTable       *table,
                        const char * const *group_names,
                        const TsFeature    *features,
                        guint               n_features,
                        GPtrArray         **unknown)
{
  TsGroupSelection *self;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (group_names != NULL, NULL);
  g_return_val_if_fail (features != NULL || n_features == 0, NULL);
  g_return_val_if_fail (features_valid (features, n_features), NULL);

  if (unknown != NULL)
    *unknown = g_ptr_array_new_with_free_func (g_free);
  for (guint g = 0; group_names[g] != NULL; g++)
    {
      int row = ts_group_table_lookup (table, group_names[g]);

      if (row < 0)
        {
          if (unknown != NULL)
            g_ptr_array_add (*unknown, g_strdup (group_names[g]));
          continue;
        }
      g_array_append_val (rows, row);
      g_ptr_array_add (names, g_strdup (ts_group_table_get_name (table, (guint) row)));
    }
  g_ptr_array_add (names, NULL);

  self = g_new0 (TsGroupSelection, 1);
  self->n_groups = rows->len;
  self->n_features = n_features;
  self->names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  self->counts = g_new (double, MAX (1, rows->len));
  self->features = g_memdup2 (features, MAX (1, n_features) * sizeof (TsFeature));
  self->means = g_new (double, MAX (1, rows->len * n_features));
  for (guint g = 0; g < rows->len; g++)
    {
      guint row = g_array_index (rows, guint, g);

      self->counts[g] = ts_group_table_get_count (table, row);
      for (guint f = 0; f < n_features; f++)
        self->means[g * n_features + f] = ts_group_table_get_mean (table, row, features[f]);
    }
  return self;
}

void
ts_group_selection_free (TsGroupSelection *self)
{
  g_return_if_fail (self != NULL);

  g_strfreev (self->names);
  g_free (self->counts);
  g_free (self->features);
  g_free (self->means);
  g_free (self);
}
