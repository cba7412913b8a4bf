"""Backups: archives of the database and photos, the daily schedule, and restore."""
