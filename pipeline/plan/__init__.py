"""Plan and periods: the configuration, the master tables, deadlines and reporting periods."""
