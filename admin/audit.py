"""The audit log for managers (/admin/audit): filter by when, who, what; nothing can be changed."""

from __future__ import annotations
