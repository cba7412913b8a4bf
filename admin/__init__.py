"""The back office (/admin): server-rendered pages for staff and managers."""

from admin import auth, home, organisation, printers, sales, tills, users
from admin.blueprint import bp

__all__ = ["auth", "bp", "home", "organisation", "printers", "sales", "tills", "users"]
