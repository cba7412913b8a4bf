"""Exports: one spreadsheet writer (CSV and XLSX), the accountant's files, daily files and jobs."""
