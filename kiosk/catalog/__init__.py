"""The catalogue: products, categories, producers, pictograms, the products file and labels."""
