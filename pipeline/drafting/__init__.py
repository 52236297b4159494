"""Merge and drafting: the status of each task at the cut-off, and the Committee's own report drafted from it
(in its own voice, from the phrasebook, with the clerk's edits), down to the one context both renderers take."""
