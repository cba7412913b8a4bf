// Small DOM helpers for the till: build elements, show one screen, give instant feedback.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function picture(src, size = 96) {
  return el("img", { src, alt: "", width: size, height: size, loading: "lazy", draggable: "false" });
}

export function showScreen(root, name) {
  if (root.dataset.screen !== name) settle(root);
  for (const screen of root.querySelectorAll(".screen")) {
    screen.hidden = screen.id !== `screen-${name}`;
  }
  root.dataset.screen = name;
}

// A double tap's second tap lands on whatever the first one brought up ("Volgende klant" where
// "Klaar" was, a product where a person was). Right after a screen or its tiles change, the new
// controls ignore taps for a moment: aria-busy, and the CSS turns their pointer events off.
// A busy tablet may handle a tap late, after that moment is over, and then on controls the finger
// never saw: so a tap is judged by when it happened (its event time), not by when the page got
// round to it. The tap that brings a change is handled before the change, so it always counts.
const SETTLE_MS = 500;
let settleTimer = null;
let settledFrom = 0;

export function settle(root) {
  root.setAttribute("aria-busy", "true");
  settledFrom = performance.now();
  clearTimeout(settleTimer);
  settleTimer = setTimeout(() => root.removeAttribute("aria-busy"), SETTLE_MS);
}

function tooSoon(event) {
  return event.timeStamp < settledFrom + SETTLE_MS;
}

export function setStep(root, step) {
  for (const item of root.querySelectorAll(".steps li")) {
    const current = item.dataset.step === step;
    item.classList.toggle("current", current);
    if (current) item.setAttribute("aria-current", "step");
    else item.removeAttribute("aria-current");
  }
}

// Every tap shows at once that it was seen: a class set on pointerdown, before any work.
export function installTapFeedback(root) {
  // Capturing, so a tap that came too soon after a change never reaches a control's own handler.
  for (const type of ["pointerdown", "click"]) {
    root.addEventListener(type, (event) => {
      if (!tooSoon(event)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
    }, { capture: true });
  }
  root.addEventListener("pointerdown", (event) => {
    const target = event.target.closest("button");
    if (!target || target.disabled) return;
    target.classList.add("tapped");
    setTimeout(() => target.classList.remove("tapped"), 180);
  });
}

export function fill(text, values) {
  return Object.entries(values).reduce(
    (result, [name, value]) => result.replaceAll(`%(${name})s`, value), text,
  );
}

// Names that always fit (README, "The till"): a tile's or a line's name keeps its whole words at
// the largest size (down to MIN_TEXT_PX) where it fits in at most three lines; only when no size
// fits does it break inside words (syllables where the browser knows Dutch, `hyphens: auto`).
const FITTED = ".tile-name, .line-name";
const MIN_TEXT_PX = 12;  // still read on a 120 px tile, where 14 px would break "Notitieboekje"

export function fitText(container) {
  const names = container.matches?.(FITTED) ? [container] : container.querySelectorAll(FITTED);
  for (const name of names) {
    name.style.fontSize = "";
    name.classList.remove("squeezed");
    if (!name.isConnected || !name.clientWidth) continue;  // not shown: fitted when it is
    let size = parseFloat(getComputedStyle(name).fontSize);
    while (overflows(name) && size > MIN_TEXT_PX) {
      size -= 1;
      name.style.fontSize = `${size}px`;
    }
    if (overflows(name)) name.classList.add("squeezed");
  }
}

function overflows(element) {
  return element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight + 1;
}

// Fit every name the till shows, whenever tiles or lines are drawn and when the tablet turns.
export function installTextFit(root) {
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) fitText(node);
    }
  }).observe(root, { childList: true, subtree: true });
  new MutationObserver(() => fitText(root)).observe(root, { attributes: true, subtree: true, attributeFilter: ["hidden"] });
  window.addEventListener("resize", () => fitText(root));
}

// Register the service worker for this tablet's role ("shop", "bistro" or "kitchen"): it stores
// what that role needs to start without the server (kiosk/static/till/js/sw.js).
export function registerServiceWorker(root, role) {
  if (!("serviceWorker" in navigator)) return;
  const url = new URL(root.dataset.swUrl, window.location.href);
  url.searchParams.set("role", role);
  navigator.serviceWorker.register(url.pathname + url.search, { scope: "/till" }).catch(() => {});
}
