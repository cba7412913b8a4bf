"""Stock: the ledger of moves (deliveries, sales, waste, transfers, counts), levels, valuation."""
