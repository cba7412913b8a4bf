"""Sales: recording a sale, refunds and voids, reading sales back, and their receipts."""
