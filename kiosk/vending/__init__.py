"""Vending machines: compartments, the refill round, counts (sold and expired) and emptyings."""
