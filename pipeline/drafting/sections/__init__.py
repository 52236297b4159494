"""The body of the report, one module per section (I–VI) and the appendix summaries; each names its rules."""
