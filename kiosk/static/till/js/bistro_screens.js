// Drawing how a table pays: all together, per person (what each had) or in equal parts; then the
// shop till's own payment screens (paying.js) for that part, and after it what is left to pay.
// The BistroTill (bistro.js) decides; this module shows.

import { TabScreens } from "./tab_screens.js";
import { el, fill, picture } from "./ui.js";

const PEOPLE = [2, 3, 4, 5, 6, 7, 8];

export class BistroScreens extends TabScreens {
  // -- how the table pays -------------------------------------------------------------------
  splitChoice() {
    this.show("split", "pay");
    const screen = this.$("#screen-split");
    screen.querySelector(".rest").textContent = fill(this.texts.rest, { amount: this.euro(this.till.view().unpaid) });
    for (const button of screen.querySelectorAll("[data-split]")) {
      button.onclick = () => this.till.chooseSplit(button.dataset.split);
    }
  }

  items() {
    this.show("items", "pay");
    this.firstPage("screen-items");
    this.paged(this.$("#screen-items"), this.till.view().open, (item) => el("button", {
      type: "button", class: "tile product pick",
      "aria-pressed": String(this.till.chosen.has(item.key)), dataset: { key: item.key },
      onclick: () => this.till.toggleChosen(item),
    }, picture(this.till.products.get(item.productId)?.pictogram_url ?? this.root.dataset.productPicture),
    el("span", { class: "tile-name" }, item.name),
    el("span", { class: "tile-price" }, this.euro(item.amount)),
    el("span", { class: "pressed-mark", "aria-hidden": "true" }, "")));
    this.renderItems();
  }

  // What this person had: marked in place, the tiles stay where they are.
  renderItems() {
    for (const tile of this.root.querySelectorAll("#screen-items .tiles .tile")) {
      const chosen = this.till.chosen.has(tile.dataset.key);
      tile.setAttribute("aria-pressed", String(chosen));
      tile.querySelector(".pressed-mark").textContent = chosen ? "✔" : "";
    }
    const items = this.till.chosenItems();
    const amount = items.reduce((sum, item) => sum + item.amount, 0);
    this.$("#screen-items .part-total").textContent = fill(this.texts.person_total, { amount: this.euro(amount) });
    this.$("#pay").disabled = items.length === 0;
    this.$("#done-why").textContent = items.length ? "" : this.texts.choose_items;
  }

  equal() {
    this.show("equal", "pay");
    this.$("#screen-equal .tiles").replaceChildren(...PEOPLE.map((count) => el("button", {
      type: "button", class: "tile people", dataset: { count },
      onclick: () => this.till.chooseParts(count),
    }, el("span", { class: "people-pictures" }, Array.from({ length: count }, () => picture(this.pictures.person, 32))),
    el("span", { class: "tile-name" }, fill(this.texts.people, { count })),
    el("span", { class: "pressed-mark", "aria-hidden": "true" }, ""))));
    this.renderEqual();
  }

  renderEqual() {
    const { split } = this.till;
    const started = split && split.part > 1;
    for (const tile of this.root.querySelectorAll("#screen-equal .tiles .tile")) {
      const chosen = Number(tile.dataset.count) === split?.parts;
      tile.setAttribute("aria-pressed", String(chosen));
      tile.disabled = Boolean(started && !chosen);
      tile.querySelector(".pressed-mark").textContent = chosen ? "✔" : "";
    }
    const status = this.$("#screen-equal .part-total");
    status.textContent = split ? fill(this.texts.part_of, {
      part: split.part, parts: split.parts, amount: this.euro(this.till.partAmount()),
    }) : "";
    this.$("#pay").disabled = !split;
    this.$("#done-why").textContent = split ? "" : this.texts.choose_people;
  }

  summaryItems() {
    const { paying } = this.till;
    if (!paying) return [];
    if (paying.split.kind === "equal") {
      const { part, parts } = paying.split;
      return [{ pictureUrl: this.pictures.person, text: fill(this.texts.part_short, { part, parts }) }];
    }
    return paying.items.map((item) => ({
      pictureUrl: this.till.products.get(item.productId)?.pictogram_url ?? this.root.dataset.productPicture,
      text: item.name,
    }));
  }

  change(changeCents) {
    super.change(changeCents);
    this.renderRest();
  }

  // After a part: what the table still has to pay, or that it is all paid.
  renderRest() {
    const view = this.till.view();
    const rest = this.$("#screen-change .tab-rest");
    rest.hidden = false;
    rest.classList.toggle("ok", view.unpaid === 0);
    rest.querySelector("span").textContent = view.unpaid > 0 ? fill(this.texts.rest, { amount: this.euro(view.unpaid) })
      : `✔ ${fill(this.texts.all_paid, { table: this.till.tableName(view.tableId) })}`;
  }
}
