"""The bistro: tables, open tabs, kitchen and bar tickets, and paying a tab (whole, items, part)."""
