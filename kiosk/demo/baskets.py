"""What the customers of a generated history buy and how they pay, per point of sale.

Pure functions over plain values and a seeded `random.Random`: the same seed makes the same
baskets. Amounts, VAT and cash settlement use the rules of kiosk/money.py, as a real sale does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from kiosk import money
from kiosk.errors import OperationError
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import Consumption, PaymentMethod, Unit, VatClass

DRINK_CLASSES = frozenset({VatClass.SOFT_DRINK, VatClass.ALCOHOL})
MEAL_CLASSES = frozenset({VatClass.FOOD, VatClass.TAKEAWAY_MEAL})
#: share of the bistro's guests who take their order away
TAKEAWAY_SHARE = 0.2
CASH_SHARE = 0.42
MIXED_SHARE = 0.05
NOTES = (500, 1000, 2000, 5000, 10000)


@dataclass(frozen=True)
class Article:
    """A product as the history sells it."""

    id: int
    name: str
    unit: str
    price_cents: int
    vat_class: str


class BasketLine(NamedTuple):
    """One line of a sale: the SaleLine columns after `sale_id`, in table order."""

    position: int
    product_id: int
    description: str
    unit: str
    quantity_milli: int
    unit_price_cents: int
    amount_cents: int
    vat_class: str
    vat_rate_basis_points: int


@dataclass
class Basket:
    """One sale's lines and how it was paid."""

    lines: list[BasketLine]
    total_cents: int
    payments: dict[str, int] = field(default_factory=dict)
    rounding_cents: int = 0
    change_cents: int = 0

    def vat_totals(self) -> list[tuple[int, int, int]]:
        """Return (rate in basis points, gross, VAT) per rate, as the receipt computes them."""
        gross: dict[int, int] = {}
        for line in self.lines:
            rate = line.vat_rate_basis_points
            gross[rate] = gross.get(rate, 0) + line.amount_cents
        return [(rate, amount, vat_in(amount, rate)) for rate, amount in sorted(gross.items())]


@lru_cache(maxsize=65536)
def vat_in(gross_cents: int, rate_basis_points: int) -> int:
    """Return the VAT in a VAT-inclusive amount (the receipt's rule, remembered per amount)."""
    return money.vat_included_cents(gross_cents, basis_points_to_rate(rate_basis_points))


@dataclass
class Shelf:
    """Articles with their popularity, ready for weighted picks."""

    articles: list[Article]
    cum_weights: list[float]

    @classmethod
    def of(cls, articles: list[Article], rng: random.Random) -> Shelf:
        """Give the articles a popularity: a few favourites, cheap things more often."""
        ranks = list(range(len(articles)))
        rng.shuffle(ranks)
        weights = [
            1 / (rank + 1) ** 0.5 * 100 / article.price_cents
            for rank, article in zip(ranks, articles, strict=True)
        ]
        return cls(articles, list(accumulate(weights)))

    def pick(self, rng: random.Random, count: int = 1) -> list[Article]:
        """Pick articles by popularity (the same one may come twice)."""
        if not self.articles:
            return []
        return rng.choices(self.articles, cum_weights=self.cum_weights, k=count)


@dataclass
class SalesProfile:
    """How a point of sale sells: its shelf, its guests' habits and the methods it takes."""

    shelf: Shelf
    drinks: Shelf
    meals: Shelf
    default_consumption: str
    methods: list[str]
    mean_lines: float

    @classmethod
    def for_point_of_sale(
        cls,
        articles: list[Article],
        default_consumption: str,
        methods: list[str],
        rng: random.Random,
    ) -> SalesProfile:
        """Derive a profile from a point of sale's products."""
        return cls(
            shelf=Shelf.of(articles, rng),
            drinks=Shelf.of([a for a in articles if a.vat_class in DRINK_CLASSES], rng),
            meals=Shelf.of([a for a in articles if a.vat_class in MEAL_CLASSES], rng),
            default_consumption=default_consumption,
            methods=methods or ["cash"],
            # groceries fill a basket, gifts come one or two at a time
            mean_lines=1.2
            + 2.5 * sum(a.vat_class != VatClass.NON_FOOD for a in articles) / len(articles),
        )

    @property
    def serves_meals(self) -> bool:
        """Return whether guests sit down for food and drinks here (the bistro)."""
        return (
            self.default_consumption == Consumption.EAT_IN
            and bool(self.drinks.articles)
            and bool(self.meals.articles)
        )

    def consumption(self, rng: random.Random) -> str:
        """Return where this sale's customer consumes."""
        if self.default_consumption == Consumption.EAT_IN and rng.random() < TAKEAWAY_SHARE:
            return Consumption.TAKEAWAY
        return self.default_consumption

    def picks(self, rng: random.Random, consumption: str) -> list[tuple[Article, int]]:
        """Return what one customer takes: a table's drinks and meals, or a shopping basket."""
        chosen: list[Article] = []
        if self.serves_meals and consumption == Consumption.EAT_IN:
            guests = rng.choices((1, 2, 3, 4, 5, 6), weights=(30, 38, 12, 12, 4, 4))[0]
            for _guest in range(guests):
                chosen += self.drinks.pick(rng, 1 + (rng.random() < 0.2))
                if rng.random() < 0.6:
                    chosen += self.meals.pick(rng)
        elif self.serves_meals:
            chosen = self.shelf.pick(rng, rng.choice((1, 1, 2)))
        else:
            count = 1
            keep_going = 1 - 1 / self.mean_lines
            while count < 8 and rng.random() < keep_going:
                count += 1
            chosen = self.shelf.pick(rng, count)
        quantities: dict[int, tuple[Article, int]] = {}
        for article in chosen:
            _same, before = quantities.get(article.id, (article, 0))
            quantities[article.id] = (article, before + quantity_milli(rng, article))
        return list(quantities.values())

    def basket(
        self, rng: random.Random, consumption: str, rates: dict[tuple[str, str], int]
    ) -> Basket:
        """Make one sale's lines at the VAT rates of its day and consumption."""
        lines = []
        for position, (article, quantity) in enumerate(self.picks(rng, consumption), start=1):
            rate = rates.get((article.vat_class, consumption))
            if rate is None:
                raise OperationError(
                    422,
                    "vat_rate_missing",
                    _l("Er is geen btw-tarief voor %(article)s.", article=article.name),
                )
            lines.append(
                BasketLine(
                    position,
                    article.id,
                    article.name,
                    article.unit,
                    quantity,
                    article.price_cents,
                    line_amount(article.price_cents, quantity),
                    article.vat_class,
                    rate,
                )
            )
        return Basket(lines, sum(line.amount_cents for line in lines))


def quantity_milli(rng: random.Random, article: Article) -> int:
    """Return a plausible quantity: mostly one piece, or a few hundred grams to a few kg."""
    if article.unit == Unit.KG:
        wanted_cents = rng.randint(250, 1200)
        return min(3000, max(100, round(wanted_cents * 1000 / article.price_cents)))
    draw = rng.random()  # one piece 80 %, two 14 %, three 4 %, four 2 %
    return 1000 if draw < 0.8 else 2000 if draw < 0.94 else 3000 if draw < 0.98 else 4000


def line_amount(unit_price_cents: int, quantity_milli: int) -> int:
    """Price a line as the till does (half up to the cent for weighed goods)."""
    if quantity_milli % 1000 == 0:
        return unit_price_cents * (quantity_milli // 1000)
    return money.line_amount_cents(unit_price_cents, Decimal(quantity_milli).scaleb(-3))


def settle_basket(
    rng: random.Random, basket: Basket, methods: list[str], cash_limit: int | None
) -> None:
    """Pay the basket in cash, by card or both, with cash rounding and change as the till does."""
    total = basket.total_cents
    # a generated QR payment would have no staff confirmation nor reference: card stands in
    electronic = [
        method
        for method in methods
        if method not in money.CASH_METHODS and method != PaymentMethod.QR
    ]
    takes_cash = any(method in money.CASH_METHODS for method in methods)
    draw = rng.random()
    over_limit = cash_limit is not None and money.cash_round(total) > cash_limit
    payments: dict[str, int]
    if takes_cash and (not electronic or (draw < CASH_SHARE and not over_limit)):
        payments = {"cash": cash_tendered(rng, total)}
    elif takes_cash and draw < CASH_SHARE + MIXED_SHARE and total >= 400 and not over_limit:
        card = rng.randrange(total // 4, total * 3 // 4)
        payments = {electronic[0]: card, "cash": cash_tendered(rng, total - card)}
    else:
        payments = {(electronic or methods)[0]: total}
    settlement = money.settle(total, payments)
    basket.payments = payments
    basket.rounding_cents = settlement.rounding_cents
    basket.change_cents = settlement.change_cents


def cash_tendered(rng: random.Random, due_cents: int) -> int:
    """Return what a customer hands over: the exact rounded amount, or the next note or two."""
    rounded = money.cash_round(due_cents)
    if rng.random() < 0.35:
        return rounded
    notes = [note for note in NOTES if note >= rounded]
    if not notes:
        return -(-rounded // 5000) * 5000
    return rng.choice(notes[:2])
