"""Long lists in the back office: search (`q`), sort (`sort`) and pages (`page`) on the server.

Every list reads its query string the same way: `q` is a search text (at most 80 characters,
invisible control characters dropped), `sort` names a column (`-` before it for high to low)
and `page` counts from 1. A sort the list does not know falls back to the list's default, a
page that is no number to the first, a page beyond the end to the last: bad parameters never
break a page. The pager and the sort links are rendered by admin/_listing.html.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from flask import request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from admin.forms import CONTROL_CHARACTERS
from kiosk.database import AnySelect
from kiosk.extensions import db
from kiosk.periods import in_report_years, read_day

PAGE_SIZE = 50
SEARCH_LENGTH = 80

Row = TypeVar("Row")
#: a column a list orders by: a model's attribute or an expression
Sortable = ColumnElement[Any] | InstrumentedAttribute[Any]
#: a list's sort keys and the columns each orders by (a tie-breaker is added after them)
Sorts = Mapping[str, Sequence[Sortable]]


@dataclass(frozen=True)
class ListRequest:
    """What the query string asks of a list: search text, sort key and direction, page."""

    search: str
    sort: str
    descending: bool
    page: int


def read_list_request(sorts: Sorts, default: str) -> ListRequest:
    """Read `q`, `sort` and `page` from the query string; anything unknown takes the default."""
    wanted = request.args.get("sort", "")
    key = wanted.removeprefix("-")
    if key not in sorts:
        wanted, key = default, default.removeprefix("-")
    page = request.args.get("page", "")
    number = int(page) if page.isascii() and page.isdigit() and len(page) < 7 else 1
    return ListRequest(read_search(), key, wanted.startswith("-"), max(number, 1))


def read_search() -> str:
    """Return the search text `q` of the query string, cut to length, without control characters."""
    return CONTROL_CHARACTERS.sub("", request.args.get("q", "")).strip()[:SEARCH_LENGTH]


def read_day_arg(name: str) -> date | None:
    """Return the day a query string parameter names (2026-11-27 or 27-11-2026), else None."""
    day = read_day(request.args.get(name, "")[:10], belgian=True)
    return day if day is not None and in_report_years(day) else None


def read_period() -> tuple[date | None, date | None]:
    """Return the first and last business day a list is limited to (`first_day`, `last_day`)."""
    return read_day_arg("first_day"), read_day_arg("last_day")


def read_id_arg(name: str) -> int | None:
    """Return the row id a query string parameter names, else None."""
    text = request.args.get(name, "")
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 10 else None


@dataclass(frozen=True)
class ListPage(Generic[Row]):
    """One page of a list, with what the pager and the sort links need."""

    rows: list[Row]
    total: int
    number: int
    sort: str
    descending: bool
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        """Return how many pages the list has (at least one, even when it is empty)."""
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """Return the place of the page's first row in the whole list (0 when it is empty)."""
        return min(self.total, (self.number - 1) * self.size + 1)

    @property
    def last(self) -> int:
        """Return the place of the page's last row in the whole list."""
        return min(self.total, self.number * self.size)

    def count_text(self) -> str:
        """Return "1–50 van 2.000": which rows this page shows, in the reader's number format."""
        return _(
            "%(first)s–%(last)s van %(total)s",
            first=format_decimal(self.first),
            last=format_decimal(self.last),
            total=format_decimal(self.total),
        )

    def url(self, **changes: Any) -> str:
        """Return this list's address with the same query string except for `changes`."""
        return query_url(request.endpoint or "", **(request.view_args or {}), **changes)

    def page_url(self, number: int) -> str:
        """Return the address of another page of the list."""
        return self.url(page=number if number > 1 else None)

    def sort_url(self, key: str) -> str:
        """Return the address that sorts by `key` (again: the other way round), from page one."""
        descending = key == self.sort and not self.descending
        return self.url(sort=f"-{key}" if descending else key, page=None)


def query_args(**changes: Any) -> dict[str, Any]:
    """Return this request's query string as url_for takes it, `changes` made (None drops one)."""
    # url_for reads "endpoint" and names starting with "_" (_external, _scheme) itself
    args: dict[str, Any] = {
        key: value
        for key, value in request.args.items()
        if not key.startswith("_") and key != "endpoint"
    }
    args.update(changes)
    return {key: value for key, value in args.items() if value not in (None, "")}


def query_url(endpoint: str, **changes: Any) -> str:
    """Return an address with this request's query string, `changes` made (None drops one)."""
    return url_for(endpoint, **query_args(**changes))


def page_rows(
    query: AnySelect,
    wanted: ListRequest,
    sorts: Sorts,
    tie: Sortable,
    *,
    count: AnySelect | None = None,
    size: int = PAGE_SIZE,
) -> ListPage[Any]:
    """Count a query's rows (or `count`'s, a lighter query with as many) and fetch a page."""
    counted = (query if count is None else count).order_by(None).subquery()
    total = int(db.session.scalar(select(func.count()).select_from(counted)) or 0)
    number = min(wanted.page, max(1, -(-total // size)))
    order = [
        (column.desc() if wanted.descending else column.asc()).nulls_last()
        for column in sorts[wanted.sort]
    ]
    ordered = query.order_by(None).order_by(*order, tie.desc() if wanted.descending else tie)
    result = db.session.execute(ordered.limit(size).offset((number - 1) * size))
    rows = list(result.scalars() if len(query.column_descriptions) == 1 else result.all())
    return ListPage(rows, total, number, wanted.sort, wanted.descending, size)


def list_page(query: AnySelect, sorts: Sorts, default: str, tie: Sortable) -> ListPage[Any]:
    """Read the list's `q`, `sort` and `page` and return the asked page of `query`."""
    return page_rows(query, read_list_request(sorts, default), sorts, tie)
