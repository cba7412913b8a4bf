"""The cash drawer per till and business day: float, cash in and out, the count, X and Z reports."""
