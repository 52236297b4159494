"""Archive: atomic writes and manifests, the output folder rules, the period records."""
