"""`make bench`: the benchmark of every stage (outside the product package)."""
