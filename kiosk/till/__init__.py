"""The till blueprint: the care users' touch screens, pictograms, photos and health."""

from kiosk.till import pages, screens
from kiosk.till.blueprint import bp

__all__ = ["bp", "pages", "screens"]
