/* test-toast-guard.c: toasts dismissed while they slide in (ts_toast_add),
 * on a real display (Xvfb): the animations run on the frame clock
 *
 * libadwaita 1.2 frees a toast's bookkeeping while its show animation still
 * runs when the toast, shown in place of another, is dismissed within its
 * first 200 ms; the animation's end then reads freed memory (a crash under
 * the sanitizers or meson's MALLOC_PERTURB_, found by the monkey test).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ts-app-util.h"

#define ROUNDS 8

/* Runs the main loop for @ms milliseconds of wall time. */
static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* The toasts on screen: the overlay's children but its own child; with
 * @targetable, only those not hiding (a hiding toast takes no clicks). */
static guint
count_toasts (GtkWidget *overlay,
              gboolean   targetable)
{
  GtkWidget *content = adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay));
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child != content && (!targetable || gtk_widget_get_can_target (child)))
        n++;
    }
  return n;
}

static void
test_dismissed_while_replacing (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), gtk_label_new ("content"));
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 400);
  gtk_window_present (GTK_WINDOW (window));
  run_for (500);
  g_assert_true (gtk_widget_get_mapped (overlay));

  for (int round = 0; round < ROUNDS; round++)
    {
      AdwToast *first = ts_toast_new ("First", 5);
      AdwToast *second = ts_toast_new ("Second", 5);

      g_object_ref (second);
      ts_toast_add (overlay, first);
      run_for (400);
      ts_toast_add (overlay, second); /* queued behind the first */
      run_for (700);
      g_assert_cmpuint (count_toasts (overlay, TRUE), ==, 1);

      /* The second slides in (500 ms) as the first slides out (300 ms)... */
      adw_toast_dismiss (first);
      run_for (50);
      /* ...and is dismissed at once: it stays until it has settled. */
      adw_toast_dismiss (second);
      run_for (100);
      g_assert_cmpuint (count_toasts (overlay, TRUE), ==, 1);

      /* Then it goes: nothing left, and nothing read freed memory. */
      run_for (1500);
      g_assert_cmpuint (count_toasts (overlay, FALSE), ==, 0);
      g_object_unref (second);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  run_for (100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/Ts/Toast/dismissed-while-replacing", test_dismissed_while_replacing);
  return g_test_run ();
}
