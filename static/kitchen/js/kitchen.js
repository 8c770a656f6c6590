/*
 * Kitchen screens: a station, the expo view and the customers' board.
 * (No inline script: the CSP forbids it.)
 *
 * - The websocket sends the screen's whole live fragment (#kitchen-live) when
 *   it connects and after every change; a lost connection shows on screen
 *   (#connection) and reconnects, and the first fragment after it catches up.
 * - Station: tap a ticket to select it, an item to bump it, "Bump" to bump
 *   the ticket. Bump bar keys: 1-9 select a ticket, Enter bumps it (the
 *   oldest when none is selected), R recalls the last bumped. Each bump has
 *   an id of its own: sent again after a network error, it counts once.
 * - Ages count up each second and turn amber, then red, against the
 *   station's target time.
 * - Expo: "Ready" and "Handed over" per order.
 * - Board: the newest ready number is highlighted with a short chime; the
 *   board reloads its numbers every data-refresh seconds (numbers leave by time).
 */
(function () {
  "use strict";

  var body = document.body;
  var selectedTicket = null;
  var socket = null;
  var retryDelay = 500;
  var lastNewest = null;
  var audio = null;

  function live() {
    return document.getElementById("kitchen-live");
  }

  function csrfToken() {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  function newBumpId() {
    var random = Math.random().toString(36).slice(2, 12);
    return "b-" + Date.now().toString(36) + "-" + random;
  }

  function swap(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var incoming = template.content.getElementById("kitchen-live");
    var current = live();
    if (!incoming || !current) {
      return;
    }
    current.replaceWith(incoming);
    afterSwap();
  }

  function setConnection(state) {
    var indicator = document.getElementById("connection");
    indicator.dataset.state = state;
    body.dataset.connection = state;
  }

  function connect() {
    if (socket || !navigator.onLine) {
      return;
    }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var current = new WebSocket(scheme + location.host + body.dataset.ws);
    socket = current;
    current.addEventListener("open", function () {
      retryDelay = 500;
      setConnection("open");
    });
    current.addEventListener("message", function (event) {
      if (socket === current) {
        swap(event.data);
      }
    });
    current.addEventListener("close", function () {
      if (socket !== current) {
        return;
      }
      socket = null;
      setConnection("closed");
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 5000);
    });
  }

  // The browser knows its network went: say so at once, and come back (with
  // the whole state, sent on connect) as soon as it returns.
  function goneOffline() {
    var current = socket;
    socket = null;
    setConnection("closed");
    if (current) {
      current.close();
    }
  }

  function showMessage(text) {
    var message = document.getElementById("kitchen-message");
    message.textContent = text;
    message.hidden = !text;
    if (text) {
      setTimeout(function () {
        message.hidden = true;
      }, 4000);
    }
  }

  function post(url, fields, attempt) {
    var form = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      body: form,
      credentials: "same-origin",
    })
      .then(function (response) {
        var header = response.headers.get("X-Kitchen-Message");
        var message = header ? decodeURIComponent(header) : "";
        showMessage(message || (response.ok || response.status === 409 ? "" : "Refused."));
        return response.ok || response.status === 409 ? response.text() : "";
      })
      .then(function (html) {
        if (html) {
          swap(html);
        }
      })
      .catch(function () {
        // Not answered: the same request again, with the same bump id.
        if ((attempt || 0) < 3) {
          setTimeout(function () {
            post(url, fields, (attempt || 0) + 1);
          }, 1000);
        } else {
          showMessage("Not sent: check the connection.");
        }
      });
  }

  /* Ages and colours */

  function formatAge(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var root = live();
    if (!root) {
      return;
    }
    var target = parseInt(root.dataset.target || "0", 10);
    var warn = parseInt(root.dataset.warn || "0", 10);
    var now = Date.now() / 1000;
    root.querySelectorAll("[data-since]").forEach(function (card) {
      var age = Math.max(0, Math.floor(now - parseInt(card.dataset.since, 10)));
      var label = card.querySelector("[data-age]");
      if (label) {
        label.textContent = formatAge(age);
      }
      if (target) {
        card.classList.toggle("age-warn", age >= warn && age < target);
        card.classList.toggle("age-late", age >= target);
      }
    });
  }

  /* Station */

  function tickets() {
    return Array.prototype.slice.call(document.querySelectorAll(".ticket[data-ticket]"));
  }

  function select(ticketId) {
    selectedTicket = ticketId;
    tickets().forEach(function (card) {
      card.classList.toggle("is-selected", card.dataset.ticket === ticketId);
    });
  }

  function bumpUrl() {
    var controls = document.getElementById("station-controls");
    return controls ? controls.dataset.bumpUrl : "";
  }

  function bumpTicket(ticketId) {
    post(bumpUrl(), { action: "ticket", ticket: ticketId, bump_id: newBumpId() });
  }

  function bumpItem(ticketId, itemId) {
    post(bumpUrl(), {
      action: "item",
      ticket: ticketId,
      item: itemId,
      bump_id: newBumpId(),
    });
  }

  function recall() {
    post(bumpUrl(), { action: "recall", bump_id: newBumpId() });
  }

  function onStationClick(event) {
    if (event.target.closest("[data-recall]")) {
      recall();
      return;
    }
    var card = event.target.closest(".ticket[data-ticket]");
    if (!card) {
      return;
    }
    var item = event.target.closest("[data-item]");
    if (item) {
      bumpItem(card.dataset.ticket, item.dataset.item);
    } else if (event.target.closest("[data-bump]")) {
      bumpTicket(card.dataset.ticket);
    } else {
      select(card.dataset.ticket);
    }
  }

  function onStationKey(event) {
    if (event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    if (/^[1-9]$/.test(event.key)) {
      var card = document.querySelector('.ticket[data-key="' + event.key + '"]');
      if (card) {
        select(card.dataset.ticket);
      }
    } else if (event.key === "Enter") {
      event.preventDefault();
      var all = tickets();
      var chosen = all.filter(function (c) {
        return c.dataset.ticket === selectedTicket;
      })[0] || all[0];
      if (chosen) {
        bumpTicket(chosen.dataset.ticket);
      }
    } else if (event.key === "r" || event.key === "R") {
      recall();
    }
  }

  /* Expo */

  function onExpoClick(event) {
    var button = event.target.closest("[data-expo-action]");
    if (!button) {
      return;
    }
    button.disabled = true;
    var url = body.dataset.screenUrl + "orders/" + button.dataset.order + "/" +
      button.dataset.expoAction + "/";
    post(url, {});
  }

  /* Board */

  function chime() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return;
    }
    audio = audio || new Context();
    [0, 0.18].forEach(function (delay, index) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = index ? 1318.5 : 987.8;
      gain.gain.setValueAtTime(0.0001, audio.currentTime + delay);
      gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + delay + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + delay + 0.5);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + delay);
      oscillator.stop(audio.currentTime + delay + 0.55);
    });
  }

  function boardChanged() {
    var root = live();
    var newest = root ? root.dataset.newest : "";
    if (newest && lastNewest !== null && newest !== lastNewest) {
      body.dataset.chimed = newest;
      try {
        chime();
      } catch (error) {
        // A browser that refuses sound still shows the number.
      }
    }
    lastNewest = newest || "";
  }

  function refreshBoard() {
    fetch(body.dataset.screenUrl + "?fragment=1", { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (html) {
          swap(html);
        }
      })
      .catch(function () {});
  }

  function afterSwap() {
    if (body.dataset.kind === "station" && selectedTicket) {
      select(selectedTicket);
    }
    if (body.dataset.kind === "board") {
      boardChanged();
    }
    tick();
  }

  function main() {
    if (body.dataset.kind === "station") {
      document.addEventListener("click", onStationClick);
      document.addEventListener("keydown", onStationKey);
    } else if (body.dataset.kind === "expo") {
      document.addEventListener("click", onExpoClick);
    } else if (body.dataset.kind === "board") {
      var root = live();
      var seconds = parseInt((root && root.dataset.refresh) || "30", 10);
      setInterval(refreshBoard, seconds * 1000);
    }
    afterSwap();
    setInterval(tick, 1000);
    window.addEventListener("offline", goneOffline);
    window.addEventListener("online", function () {
      retryDelay = 500;
      connect();
    });
    connect();
  }

  main();
})();
