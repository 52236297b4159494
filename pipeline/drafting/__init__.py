"""Drafting: the Committee's own report from the merged facts, in its own voice, with the clerk's edits."""
