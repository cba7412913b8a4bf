"""Orders to producers: reorder suggestions, purchase orders and what they print and mail."""
