"""Statuses at the cut-off: each task judged from the merged answers, their vocabulary, and the comparison of two periods."""
