"""Managers' figures: day figures, dashboard, charts, settlement, the meal-turnover watch."""
