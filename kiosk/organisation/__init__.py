"""People and places: users, tills, points of sale, locations, and limits on guessing PINs."""
