/*
 * Kiosk page behaviour. Everything the pages do beyond htmx lives here
 * (no inline script: the CSP forbids it).
 *
 * - idle timer: after data-idle-seconds without touch, key or scan, a warning
 *   with a countdown (data-idle-warning-seconds), then a reset. Off during
 *   payment (data-idle="off"); "quiet" resets without a warning.
 * - forms with data-auto-submit-after="N" submit themselves after N seconds,
 *   showing the count in [data-countdown]; [data-extend] starts it again.
 * - elements with data-dismiss-after="N" (messages) go away after N seconds.
 * - forms with data-confirm="question" ask first, in the page's own dialog.
 * - Escape follows the page's [data-back] link.
 * - a tap on a [data-after-sheet] button (a meal's "Next", "One more") while
 *   the product sheet is fetching an answer (the price of a choice just
 *   made, the previous tap's quantity) waits for that answer, then taps the
 *   same button of the new sheet: neither the choice nor the tap is lost,
 *   and three quick taps on "One more" make three more.
 * - #live shows whether the page websocket is open (data-connection); a
 *   fragment it pushes for an element this page does not show (the state of
 *   an earlier customer's order) is dropped, not reported as an htmx error.
 * - a tap that gets no usable answer (no network, a server error, a timeout)
 *   shows #connection-problem until the next request goes through.
 * - after a page swap, focus moves to the new page for keyboard and
 *   screen-reader users.
 */
(function () {
  "use strict";

  var idle = { timer: null, countdown: null, remaining: 0 };

  function main() {
    return document.getElementById("main");
  }

  function idleDialog() {
    return document.getElementById("idle-warning");
  }

  function stopIdle() {
    clearTimeout(idle.timer);
    clearInterval(idle.countdown);
    idle.timer = null;
    idle.countdown = null;
  }

  function submitReset() {
    var form = document.querySelector("[data-idle-reset]");
    if (form) {
      form.requestSubmit();
    }
  }

  function showWarning(seconds) {
    var dialog = idleDialog();
    var counter = dialog.querySelector("[data-idle-countdown]");
    idle.remaining = seconds;
    counter.textContent = String(idle.remaining);
    if (!dialog.open) {
      dialog.showModal();
      dialog.querySelector("[data-idle-continue]").focus();
    }
    idle.countdown = setInterval(function () {
      idle.remaining -= 1;
      counter.textContent = String(Math.max(idle.remaining, 0));
      if (idle.remaining <= 0) {
        stopIdle();
        submitReset();
      }
    }, 1000);
  }

  function armIdle() {
    stopIdle();
    var page = main();
    if (!page) {
      return;
    }
    var mode = page.dataset.idle;
    var seconds = parseInt(page.dataset.idleSeconds, 10);
    var warning = parseInt(page.dataset.idleWarningSeconds, 10);
    if (mode === "off" || !seconds) {
      return;
    }
    idle.timer = setTimeout(function () {
      if (mode === "quiet") {
        submitReset();
      } else {
        showWarning(warning);
      }
    }, seconds * 1000);
  }

  function activity() {
    var dialog = idleDialog();
    if (dialog && dialog.open) {
      return; // only the dialog's own button continues
    }
    armIdle();
  }

  function continueOrder() {
    var dialog = idleDialog();
    if (dialog.open) {
      dialog.close();
    }
    armIdle();
  }

  // Forms that submit themselves after a delay (confirmation, failed payment).
  var autoSubmit = new WeakMap();

  function startAutoSubmit(form) {
    var state = autoSubmit.get(form) || {};
    clearInterval(state.interval);
    var remaining = parseInt(form.dataset.autoSubmitAfter, 10);
    if (!remaining && remaining !== 0) {
      return;
    }
    var display = form.querySelector("[data-countdown]");
    var show = function () {
      if (display) {
        display.textContent = String(remaining);
      }
    };
    show();
    state.interval = setInterval(function () {
      if (!form.isConnected) {
        clearInterval(state.interval);
        return;
      }
      remaining -= 1;
      show();
      if (remaining <= 0) {
        clearInterval(state.interval);
        form.requestSubmit();
      }
    }, 1000);
    autoSubmit.set(form, state);
  }

  function initAutoSubmit(root) {
    root.querySelectorAll("form[data-auto-submit-after]").forEach(startAutoSubmit);
  }

  // Messages that go away by themselves.
  function initDismiss(root) {
    root.querySelectorAll("[data-dismiss-after]").forEach(function (element) {
      var seconds = parseInt(element.dataset.dismissAfter, 10);
      if (!seconds) {
        return;
      }
      setTimeout(function () {
        var list = element.parentElement;
        element.remove();
        if (list && !list.children.length) {
          list.remove();
        }
      }, seconds * 1000);
    });
  }

  // Confirmation before submitting (e.g. "Cancel your order?").
  var pendingConfirm = null;

  function askConfirm(form, submitter) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) {
      return true;
    }
    pendingConfirm = { form: form, submitter: submitter };
    dialog.querySelector("[data-confirm-text]").textContent = form.dataset.confirm;
    dialog.showModal();
    dialog.querySelector("[data-confirm-no]").focus();
    return false;
  }

  function focusPage() {
    var active = document.activeElement;
    if (active && active !== document.body && document.body.contains(active)) {
      return;
    }
    var page = main();
    if (!page) {
      return;
    }
    var heading = page.querySelector("h1, h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    } else {
      page.focus({ preventScroll: true });
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button, a");
    if (!target) {
      return;
    }
    if (target.matches("[data-idle-continue]")) {
      continueOrder();
    } else if (target.matches("[data-extend]")) {
      startAutoSubmit(target.closest("form"));
    } else if (target.matches("[data-confirm-no]")) {
      pendingConfirm = null;
      document.getElementById("confirm-dialog").close();
    } else if (target.matches("[data-confirm-yes]")) {
      var pending = pendingConfirm;
      pendingConfirm = null;
      document.getElementById("confirm-dialog").close();
      if (pending) {
        pending.form.dataset.confirmed = "yes";
        pending.form.requestSubmit(pending.submitter || undefined);
      }
    }
  });

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form.dataset.confirm && form.dataset.confirmed !== "yes") {
        event.preventDefault();
        event.stopImmediatePropagation();
        askConfirm(form, event.submitter);
      }
    },
    true
  );

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var dialogOpen = document.querySelector("dialog[open]");
    if (dialogOpen) {
      return; // the dialog closes itself; the idle one continues
    }
    var back = document.querySelector("#main [data-back]");
    if (back) {
      event.preventDefault();
      back.click();
    }
  });

  var idleDialogElement = null;
  document.addEventListener("DOMContentLoaded", function () {
    idleDialogElement = idleDialog();
    if (idleDialogElement) {
      // Escape on the warning means "I'm still here", never a silent dismiss.
      idleDialogElement.addEventListener("cancel", function (event) {
        event.preventDefault();
        continueOrder();
      });
    }
    ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true });
    });
    // A scan pushed over the page websocket is activity too.
    document.body.addEventListener("htmx:wsAfterMessage", activity);
    function connectionProblem(isShown) {
      var notice = document.getElementById("connection-problem");
      if (notice) {
        notice.hidden = !isShown;
      }
    }
    ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
      document.body.addEventListener(name, function () {
        connectionProblem(true);
      });
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail && event.detail.successful) {
        connectionProblem(false);
      }
    });
    // Each pushed fragment replaces the element of its id (hx-swap-oob); one
    // whose element is not on this page is for another screen: drop it.
    document.body.addEventListener("htmx:wsBeforeMessage", function (event) {
      var fragment = document.createElement("template");
      fragment.innerHTML = event.detail.message;
      var pushed = Array.prototype.slice.call(fragment.content.children);
      var isForThisPage = pushed.some(function (element) {
        return !element.id || document.getElementById(element.id);
      });
      if (pushed.length && !isForThisPage) {
        event.preventDefault();
      }
    });
    // Whether the page websocket is open, on #live: scans only reach an open one.
    ["htmx:wsOpen", "htmx:wsClose"].forEach(function (name) {
      document.body.addEventListener(name, function (event) {
        var live = document.getElementById("live");
        if (live && event.target === live) {
          live.dataset.connection = name === "htmx:wsOpen" ? "open" : "closed";
        }
      });
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (event.detail && event.detail.target && event.detail.target.id === "main") {
        armIdle();
        focusPage();
      }
    });
    document.body.addEventListener("htmx:load", function (event) {
      initAutoSubmit(event.detail.elt);
      initDismiss(event.detail.elt);
    });
    document.addEventListener("click", function (event) {
      const button = event.target.closest && event.target.closest("[data-after-sheet]");
      const sheet = document.getElementById("sheet-body");
      const isBusy = sheet && (sheet.classList.contains("htmx-request") ||
        sheet.querySelector(".htmx-request") !== null);
      if (!button || !button.id || !isBusy) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      const id = button.id;
      // Once the answer is on screen and its request has let go of the
      // page's queue (just after the settle), so the tap is sent at once and
      // the next waiting tap sees it on its way.
      document.body.addEventListener("htmx:afterSettle", function () {
        window.setTimeout(function () {
          const again = document.getElementById(id);
          if (again && !again.disabled) {
            again.click();
          }
        }, 0);
      }, { once: true });
    }, true);
    document.addEventListener("contextmenu", function (event) {
      event.preventDefault();
    });
    initAutoSubmit(document);
    initDismiss(document);
    armIdle();
  });
})();
