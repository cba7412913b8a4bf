"""Vending machines (/admin/vending): the machines, their compartments, and adding a machine."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from admin.blueprint import bp, get_or_404, manager_required
from admin.fields import parse_euro
from admin.forms import ConfirmForm
from admin.saving import save_form
from admin.stock_fields import chosen
from admin.vending_forms import CompartmentForm, MachineForm
from kiosk.api.documents import pictogram_url
from kiosk.models import PointOfSale, Product, VendingCompartment
from kiosk.money import format_euro
from kiosk.vending.machines import add_machine, remove_compartment, save_compartment
from kiosk.vending.queries import (
    MACHINE_KIND,
    get_compartments,
    get_last_emptying,
    get_machine_location,
    get_machines,
)


@bp.context_processor
def vending_pictures() -> dict[str, Any]:
    """Give the back-office templates a product's picture, as the till shows it."""
    return {"product_picture": lambda product: pictogram_url(product.pictogram, product.photo)}


def get_machine_or_404(machine_id: int) -> PointOfSale:
    """Return the vending machine a URL names, or answer 404."""
    machine = get_or_404(PointOfSale, machine_id)
    if machine.kind != MACHINE_KIND:
        abort(404)
    return machine


@bp.get("/vending")
def vending_list() -> ResponseReturnValue:
    """List the machines with their compartments' fill and their latest emptying."""
    machines = get_machines()
    compartments = get_compartments([machine.id for machine in machines])
    return render_template(
        "admin/vending/list.html",
        machines=machines,
        compartments={
            machine.id: [c for c in compartments if c.point_of_sale_id == machine.id]
            for machine in machines
        },
        last_emptying={machine.id: get_last_emptying(machine) for machine in machines},
    )


@bp.route("/vending/new", methods=["GET", "POST"])
@manager_required
def vending_machine_new() -> ResponseReturnValue:
    """Add a machine: a point of sale of kind "automaat", its stock location and its till."""
    form = MachineForm()
    if form.validate_on_submit():
        machine = save_form(form, lambda: add_machine(form.code.data, form.name.data))
        if machine is not None:
            flash(_("De automaat is toegevoegd. Voeg nu zijn vakken toe."), "success")
            return redirect(url_for("admin.vending_machine", machine_id=machine.id))
    return render_template("admin/vending/machine_form.html", form=form)


@bp.get("/vending/<int:machine_id>")
def vending_machine(machine_id: int) -> ResponseReturnValue:
    """Show a machine's compartments: product, price, capacity, inside and best-before."""
    machine = get_machine_or_404(machine_id)
    return render_template(
        "admin/vending/machine.html",
        machine=machine,
        location=get_machine_location(machine),
        compartments=get_compartments([machine.id]),
        remove_form=ConfirmForm(),
    )


@bp.route("/vending/<int:machine_id>/compartments/new", methods=["GET", "POST"])
def vending_compartment_new(machine_id: int) -> ResponseReturnValue:
    """Add a compartment to a machine."""
    machine = get_machine_or_404(machine_id)
    taken = [c.number for c in get_compartments([machine.id])]
    form = CompartmentForm(number=max(taken, default=0) + 1)
    return compartment_page(form, machine, None)


@bp.route("/vending/compartments/<int:compartment_id>", methods=["GET", "POST"])
def vending_compartment_edit(compartment_id: int) -> ResponseReturnValue:
    """Change a compartment's number, product, capacity or price."""
    compartment = get_or_404(VendingCompartment, compartment_id)
    form = CompartmentForm(
        data={
            "number": compartment.number,
            "product": str(compartment.product_id),
            "capacity": compartment.capacity,
            "price": format_euro(compartment.price_cents),
        }
    )
    return compartment_page(form, compartment.machine, compartment)


def compartment_page(
    form: CompartmentForm, machine: PointOfSale, compartment: VendingCompartment | None
) -> ResponseReturnValue:
    """Save a valid compartment form and go back to the machine, else show the form."""
    if form.validate_on_submit():
        number, capacity = form.number.data or 0, form.capacity.data or 0
        product = chosen(Product, form.product)
        price = parse_euro(form.price.data) if (form.price.data or "").strip() else None
        if product is None:
            form.product.errors = [_("Kies een product.")]
        elif save_form(
            form,
            lambda: save_compartment(compartment, machine, number, product, capacity, price),
        ):
            flash(_("Het vak is bewaard."), "success")
            return redirect(url_for("admin.vending_machine", machine_id=machine.id))
    return render_template(
        "admin/vending/compartment_form.html", form=form, machine=machine, compartment=compartment
    )


@bp.post("/vending/compartments/<int:compartment_id>/remove")
def vending_compartment_remove(compartment_id: int) -> ResponseReturnValue:
    """Remove an empty compartment."""
    compartment = get_or_404(VendingCompartment, compartment_id)
    machine_id = compartment.point_of_sale_id
    form = ConfirmForm()
    if form.validate_on_submit() and save_form(form, lambda: remove_compartment(compartment)):
        flash(_("Het vak is weggenomen."), "success")
    return redirect(url_for("admin.vending_machine", machine_id=machine_id))
