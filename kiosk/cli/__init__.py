"""The `pluskassa` command: one module per command group, thin wrappers around plain functions."""
