/*
 * The attract screen's slides, one after the other:
 * - a [data-attract-slides] section holds figures, all but one hidden;
 * - every data-slide-seconds seconds the next one is shown;
 * - the rotation stops by itself once the section left the page (htmx swap).
 */
(function () {
  "use strict";

  function rotate(section) {
    if (section.dataset.rotating) {
      return;
    }
    var slides = Array.prototype.slice.call(section.querySelectorAll(".attract-slide"));
    if (slides.length < 2) {
      return;
    }
    section.dataset.rotating = "true";
    var seconds = parseInt(section.dataset.slideSeconds, 10) || 6;
    var current = 0;
    var timer = setInterval(function () {
      if (!document.body.contains(section)) {
        clearInterval(timer);
        return;
      }
      slides[current].hidden = true;
      current = (current + 1) % slides.length;
      slides[current].hidden = false;
      section.dataset.current = String(current);
    }, seconds * 1000);
  }

  function init(root) {
    root.querySelectorAll("[data-attract-slides]").forEach(rotate);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    document.body.addEventListener("htmx:load", function (event) {
      init(event.detail.elt);
    });
  });
})();
