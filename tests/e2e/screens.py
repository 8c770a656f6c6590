"""What a screen must never show, checked in the browser on the page as drawn.

- clipped text: a block holding text that is wider than its box
  (`scrollWidth > clientWidth`), so words are cut off or spill out;
- overlapping controls: two buttons, links or inputs whose boxes, as far as
  their scrolling containers show them, intersect (one finger, two targets);
- empty boxes: a control or heading with nothing drawn in it (no text, no
  image, no icon, no accessible name), or a replacement glyph (U+FFFD, □) in
  the text, which is what a font lacking a character draws.

Used by `tests/e2e/walk_screenshots.py` (`make screenshots`) on every screen,
and by `tests/e2e/test_screens.py` on a few of them.
"""

from __future__ import annotations

from playwright.sync_api import Page

_PROBLEMS_SCRIPT = """
() => {
  const problems = [];
  const name = e => e.id ? '#' + e.id
    : e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
        ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const label = e => name(e) + ' "' + (e.innerText || e.value || '').trim().slice(0, 40) + '"';
  const visible = e => {
    if (!e.getClientRects().length) return false;
    // Inside a closed <details>, or otherwise not rendered.
    if (e.checkVisibility && !e.checkVisibility({contentVisibilityAuto: true})) return false;
    const style = getComputedStyle(e);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0
      && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
  };
  const inDialogClosed = e => { const d = e.closest('dialog'); return d && !d.open; };
  const root = document.body;

  // Clipped text: block boxes with text of their own, wider inside than out.
  for (const e of root.querySelectorAll('*')) {
    if (!visible(e) || inDialogClosed(e)) continue;
    if (e.closest('.visually-hidden, [hidden], iframe, .simulator')) continue;
    const style = getComputedStyle(e);
    if (style.display.startsWith('inline') && style.display !== 'inline-block'
        && style.display !== 'inline-flex' && style.display !== 'inline-grid') continue;
    const ownText = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) continue;
    if (e.scrollWidth > e.clientWidth + 1) problems.push('clipped text: ' + label(e));
  }

  // Controls, each cut to what its scrolling boxes show of it (a card
  // scrolled under the cart bar is hidden by its list, not overlapping).
  const shown = e => {
    let box = e.getBoundingClientRect();
    let r = {left: box.left, top: box.top, right: box.right, bottom: box.bottom};
    for (let a = e.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const c = a.getBoundingClientRect();
      r = {left: Math.max(r.left, c.left), top: Math.max(r.top, c.top),
           right: Math.min(r.right, c.right), bottom: Math.min(r.bottom, c.bottom)};
    }
    return r;
  };
  const controls = [...root.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [role=button], summary')]
    .filter(e => visible(e) && !inDialogClosed(e) && !e.closest('[hidden]'))
    .map(e => [e, shown(e)])
    .filter(([e, r]) => r.right - r.left > 2 && r.bottom - r.top > 2)
    // Scrolled under a sticky bar of its own list (the sheet's footer): hidden.
    .filter(([e, r]) => {
      const top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
      if (!top || top === e || e.contains(top) || top.contains(e)) return true;
      let a = top;
      while (a && getComputedStyle(a).position !== 'sticky') a = a.parentElement;
      return !(a && !a.contains(e));
    });
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      const [a, p] = controls[i], [b, q] = controls[j];
      if (a.contains(b) || b.contains(a)) continue;
      // A radio or box inside its own option card is part of that card.
      if (a.closest('label') && a.closest('label') === b.closest('label')) continue;
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 2 && h > 2) problems.push('overlapping controls: ' + label(a) + ' and ' + label(b));
    }
  }

  // Empty boxes: nothing drawn, nothing said.
  const drawn = e => (e.innerText || '').trim() || e.value
    || e.querySelector('img, svg, video, canvas, input, [class*="icon"], [class*="choice-icon"]')
    || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
  for (const e of root.querySelectorAll('a[href], button, h1, h2, h3, label, th, td, dt, dd, .badge, .product-name, .option-name')) {
    if (!visible(e) || inDialogClosed(e) || e.closest('[hidden], .visually-hidden')) continue;
    if (!drawn(e)) problems.push('empty box: ' + name(e));
  }
  const text = root.innerText || '';
  for (const glyph of ['\\ufffd', '\\u25a1', '\\u25af']) {
    if (text.includes(glyph)) problems.push('missing glyph: U+' + glyph.charCodeAt(0).toString(16).toUpperCase());
  }
  return [...new Set(problems)];
}
"""


def screen_problems(page: Page) -> list[str]:
    """The clipped texts, overlapping controls and empty boxes of the page as drawn."""
    problems: list[str] = page.evaluate(_PROBLEMS_SCRIPT)
    return problems
