/*
 * On-screen keypads (phone number, PIN): the page renders the keys, this
 * script types them into the field named by [data-keypad-for], so fast taps
 * are never lost between requests. Only the finished number is posted.
 * - A field with data-masked-by="<output id>" is shown masked in that output
 *   (every digit but the last four hidden); [data-reveal] shows it for 5 s.
 * - Digit keys, Backspace and Delete of a keyboard press the on-screen keys.
 */
(function () {
  "use strict";

  function keypad() {
    return document.querySelector("#main [data-keypad-for]");
  }

  function field(pad) {
    return document.getElementById(pad.dataset.keypadFor);
  }

  function showMasked(input) {
    var output = input.dataset.maskedBy && document.getElementById(input.dataset.maskedBy);
    if (!output) {
      return;
    }
    var digits = input.value;
    // An app's one-time code is shown as typed; a phone number is masked.
    var hidden = "shownPlain" in input.dataset ? 0 : Math.max(0, digits.length - 4);
    output.querySelector("[data-masked]").textContent =
      digits ? "•".repeat(hidden) + digits.slice(hidden) : "–";
    output.querySelector("[data-clear]").textContent = digits;
  }

  function press(pad, key) {
    var input = field(pad);
    var limit = input.maxLength > 0 ? input.maxLength : 32;
    if (key === "delete") {
      input.value = input.value.slice(0, -1);
    } else if (key === "clear") {
      input.value = "";
    } else if (/^[0-9]$/.test(key) && input.value.length < limit) {
      input.value += key;
    }
    showMasked(input);
  }

  document.addEventListener("click", function (event) {
    var key = event.target.closest("[data-keypad-for] [data-key]");
    if (key) {
      press(key.closest("[data-keypad-for]"), key.dataset.key);
      return;
    }
    var reveal = event.target.closest("[data-reveal]");
    if (reveal) {
      var display = reveal.parentElement;
      var masked = display.querySelector("[data-masked]");
      var clear = display.querySelector("[data-clear]");
      masked.hidden = true;
      clear.hidden = false;
      setTimeout(function () {
        masked.hidden = false;
        clear.hidden = true;
      }, 5000);
    }
  });

  document.addEventListener("keydown", function (event) {
    var pad = keypad();
    if (!pad || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var active = document.activeElement;
    if (active && (active.tagName === "SELECT" || active.tagName === "A")) {
      return;
    }
    var key = null;
    if (/^[0-9]$/.test(event.key)) {
      key = event.key;
    } else if (event.key === "Backspace") {
      key = "delete";
    } else if (event.key === "Delete") {
      key = "clear";
    }
    if (key) {
      event.preventDefault();
      press(pad, key);
    }
  });
})();
