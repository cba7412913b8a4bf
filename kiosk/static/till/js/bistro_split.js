// Splitting a table's bill in equal parts, the way the server does (kiosk/operations/tab_payments.py):
// with M parts left and R cents unpaid, the next part pays R // M cents, plus one cent while the
// leftover cents last (the earliest parts take them), and the last part pays what is left. Parts
// are paid in order on the tablet, so this part is always the first of those left.

// What part `part` of `parts` pays on a tab view (tab_view.js) whose earlier parts are paid.
export function equalPart(view, parts, part) {
  const left = parts - part + 1;
  if (left <= 1) return view.unpaid;
  return Math.floor(view.unpaid / left) + (view.unpaid % left > 0 ? 1 : 0);
}
