// Big arrows beside a screen whose content is taller than the room above the action bar: the
// content scrolls (by finger, by keyboard once focused, or by the arrows), nothing hides under the bar.

export function installScrollArrows(root) {
  const main = root.querySelector("main");
  const arrows = root.querySelector(".scroll-arrows");
  const up = arrows.querySelector(".scroll-up");
  const down = arrows.querySelector(".scroll-down");
  let queued = false;
  let contentChanged = true;

  // The arrows take width, and a narrower screen may just fit: so only new content (never the
  // arrows' own coming, through a resize) takes them away again; else they would flicker.
  const update = () => {
    queued = false;
    const scrolls = main.scrollHeight > main.clientHeight + 1;
    if (scrolls) arrows.hidden = false;
    else if (contentChanged) arrows.hidden = true;
    contentChanged = false;
    if (!arrows.hidden) main.tabIndex = 0;  // a region that scrolls can be reached by keyboard
    else main.removeAttribute("tabindex");
    up.disabled = main.scrollTop <= 0;
    down.disabled = main.scrollTop + main.clientHeight >= main.scrollHeight - 1;
  };
  const later = () => {
    if (!queued) { queued = true; requestAnimationFrame(update); }
  };
  const step = (direction) => main.scrollBy({ top: direction * main.clientHeight * 0.75, behavior: "smooth" });

  up.addEventListener("click", () => step(-1));
  down.addEventListener("click", () => step(1));
  main.addEventListener("scroll", later, { passive: true });
  new ResizeObserver(later).observe(main);
  new MutationObserver(() => { contentChanged = true; later(); })
    .observe(main, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
  window.addEventListener("resize", later);
  update();
}
