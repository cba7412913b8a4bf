// What every till screen shares: the action bar in fixed places, pages of tiles, keypads,
// money pictures, feedback. The shop till (screens.js) and the bistro (bistro.js) build on it.

import { formatEuro, pieceFile, pieceLabel } from "./money.js";
import { click, speak } from "./speech.js";
import { el, fitText, picture, setStep, settle, showScreen } from "./ui.js";
import { amountInWords } from "./words.js";

export const PER_PAGE = 12;

// Which action-bar buttons each screen shows; the rest are hidden, never moved.
const BAR = {
  loading: [],
  operator: ["back"],
  pin: ["back"],
  choose: ["back", "undo", "pay"],
  weigh: ["back", "undo"],
  method: ["back", "undo"],
  card: ["back", "undo"],
  cash: ["back", "undo", "done"],
  change: ["back", "next-customer"],
};
// Screens whose shown buttons are not all enabled: the ones that are.
const ENABLED = { operator: [], change: ["next-customer"], method: ["back"], card: ["back"] };
const OFF_SHIFT = ["operator", "pin", "loading"];

export class ScreenBase {
  constructor(till) {
    this.till = till;
    window.addEventListener("resize", () => this.repage?.());  // a tablet turned: fit the tiles again
    this.root = till.root;
    this.texts = till.texts;
    this.moneyUrl = this.root.dataset.moneyUrl;
    this.page = 0;
    this.bars = { ...BAR };
    this.enabledOn = { ...ENABLED };
  }

  euro(cents) {
    return `${formatEuro(cents)} €`;
  }

  words(cents) {
    return amountInWords(cents);
  }

  say(text) {
    click(this.till.operator?.sound);
    speak(text, this.till.operator?.speech);
  }

  flash(message) {
    const why = this.root.querySelector("#done-why");
    why.textContent = message;
    setTimeout(() => { if (why.textContent === message) why.textContent = ""; }, 4000);
  }

  show(name, step) {
    showScreen(this.root, name);
    setStep(this.root, step);
    const visible = this.bars[name];
    const enabled = this.enabledOn[name];
    for (const button of this.root.querySelectorAll(".actionbar > button")) {
      button.hidden = !visible.includes(button.id);
      button.disabled = enabled ? !enabled.includes(button.id) : false;
    }
    this.root.querySelector(".actionbar").dataset.screen = name;
    this.root.querySelector("#done-why").textContent = "";
    const inShift = !OFF_SHIFT.includes(name);
    this.root.querySelector("#stop").hidden = !inShift;
    const operatorButton = this.root.querySelector("#operator-button");
    operatorButton.hidden = !inShift || !this.till.operator;
    if (this.till.operator) {
      operatorButton.querySelector("img").src = this.till.operator.photo_url;
      operatorButton.querySelector("span").textContent = this.till.operator.name;
    }
    this.till.refunds?.shown(name);
    this.till.refused?.shown(name);
  }

  keypad(container, onKey, withOk = false) {
    const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", withOk ? "ok" : null];
    container.replaceChildren(...keys.filter(Boolean).map((key) => {
      const label = key === "back" ? this.texts.delete_digit : key === "ok" ? "OK" : key;
      const symbol = key === "back" ? "⌫" : key === "ok" ? "✔" : key;
      return el("button", { type: "button", class: `key key-${key}`, "aria-label": label, onclick: () => onKey(key) },
        el("span", { "aria-hidden": "true" }, symbol));
    }));
  }

  // A staff member's PIN on big number keys, shown as dots; OK hands the digits to `onPin`.
  pinEntry(screen, onPin) {
    const dots = screen.querySelector(".pin-dots");
    let digits = "";
    const redraw = () => { dots.textContent = "●".repeat(digits.length) || "\u00a0"; };
    redraw();
    this.keypad(screen.querySelector(".pin-keypad"), (key) => {
      if (key === "ok") {
        if (digits) onPin(digits);
        digits = "";
      } else if (key === "back") digits = digits.slice(0, -1);
      else if (digits.length < 6) digits += key;
      redraw();
    }, true);
  }

  // At most 12 tiles a page, and a row less while a full page (or its page arrows) would fall off
  // the screen (big tiles, a short landscape screen): nothing on a till screen needs scrolling.
  paged(screen, items, makeTile, perPage = this.fitPage(screen, items, makeTile)) {
    const tiles = screen.querySelector(".tiles");
    const previous = screen.querySelector(".page-prev");
    const next = screen.querySelector(".page-next");
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    this.page = Math.min(this.page, pages - 1);
    settle(this.root);
    tiles.replaceChildren(...items.slice(this.page * perPage, (this.page + 1) * perPage).map(makeTile));
    fitText(tiles);
    pageArrows(previous, next, this.page, pages, (page) => { this.page = page; this.paged(screen, items, makeTile, perPage); });
    this.repage = () => this.paged(screen, items, makeTile);
  }

  fitPage(screen, items, makeTile) {
    const tiles = screen.querySelector(".tiles");
    const next = screen.querySelector(".page-next");
    const columns = getComputedStyle(tiles).gridTemplateColumns.split(" ").length;
    let perPage = PER_PAGE;
    for (; perPage > columns; perPage -= columns) {
      const paging = items.length > perPage;
      tiles.replaceChildren(...items.slice(0, perPage).map(makeTile));
      fitText(tiles);
      next.hidden = !paging;
      if (fitsOnScreen(paging ? next : tiles)) break;
    }
    return perPage;
  }

  pieces(pieces, size) {
    return pieces.map(({ value, count }) => el("span", { class: "piece" },
      picture(this.moneyUrl + pieceFile(value), size),
      el("span", { class: "piece-count" }, `× ${count}`),
      el("span", { class: "piece-label" }, pieceLabel(value, this.texts))));
  }
}

// Big page arrows: shown when there is more than one page, each disabled at its end.
export function pageArrows(previous, next, page, pages, turnTo) {
  previous.hidden = next.hidden = pages <= 1;
  previous.disabled = page === 0;
  next.disabled = page >= pages - 1;
  previous.onclick = () => turnTo(page - 1);
  next.onclick = () => turnTo(page + 1);
}

function fitsOnScreen(element) {
  const main = element.closest("main");
  const bottom = element.getBoundingClientRect().bottom - main.getBoundingClientRect().top + main.scrollTop;
  return bottom <= main.clientHeight - parseFloat(getComputedStyle(main).paddingBottom);
}
