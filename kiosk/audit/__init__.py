"""The audit log: writing who did what and when, and reading it back."""
