"""The till blueprint: the care users' touch screens, pictograms, photos and health."""

from kiosk.till import kitchen, pages, screens
from kiosk.till.blueprint import bp

__all__ = ["bp", "kitchen", "pages", "screens"]
