// Progressive enhancement only: every feature works without this file.
// - "/" focuses the search box
// - ticking a facet checkbox applies the filters at once
// - a facet's filter box narrows its list while typing (Enter still asks the server)
// - empty form fields are left out of the URL
// - after a facet box applied itself, the same box has the focus again (keyboard users)
// - on a document page, "Vorheriger"/"Nächster" become buttons that scroll smoothly from mark
//   to mark (without script they are anchor links, like the numbered ones: #treffer-3)
(function () {
  "use strict";

  // The server's folding key (indexer/text/folding.py), so the list narrows as the server filters:
  // case, umlauts (ä ~ a ~ ae, Lucene's German normalisation), ß ~ ss, accents and spaces are ignored.
  var UMLAUTS = {"ä": "a", "ö": "o", "ü": "u", "ß": "ss"};

  function normalizeGerman(text) {
    var out = "", state = 0;  // 0: neutral, 1: after a vowel, 2: after a/o/u that may take an "e"
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (ch === "a" || ch === "o") { out += ch; state = 2; }
      else if (ch === "u") { out += ch; state = state === 0 ? 2 : 1; }
      else if (ch === "e") { if (state !== 2) { out += ch; } state = 1; }
      else if (ch === "i" || ch === "q" || ch === "y") { out += ch; state = 1; }
      else { out += UMLAUTS[ch] || ch; state = "äöü".indexOf(ch) >= 0 ? 1 : 0; }
    }
    return out;
  }

  function accentsOff(text) {  // accents go, the two dots of ä, ö, ü stay for normalizeGerman
    var decomposed = text.normalize("NFKD"), out = "";
    for (var i = 0; i < decomposed.length; i++) {
      var ch = decomposed[i];
      var umlaut = ch === "\u0308" && i > 0 && "aou".indexOf(decomposed[i - 1]) >= 0;
      if (umlaut || !/[\u0300-\u036f]/.test(ch)) { out += ch; }
    }
    return out.normalize("NFC");
  }

  function fold(text) {
    return normalizeGerman(accentsOff(text.toLowerCase())).replace(/\s+/g, " ").trim();
  }

  function isTyping(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function focusSearchOnSlash(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
      return;
    }
    var box = document.getElementById("q");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  }

  function dropEmptyFields(form) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.type !== "checkbox" && field.value === "") {
        field.disabled = true;
      }
    });
  }

  var FOCUS_KEY = "search-web:facet-focus";

  function rememberFocus(box) {
    try {
      window.sessionStorage.setItem(FOCUS_KEY, JSON.stringify([box.name, box.value]));
    } catch (ignored) {
      // storage may be disabled; focus then starts at the top as without script
    }
  }

  function restoreFocus(form) {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(FOCUS_KEY) || "null");
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (ignored) {
      return;
    }
    if (!saved) {
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      if (box.name === saved[0] && box.value === saved[1]) {
        box.focus();
      }
    });
  }

  function submitFilters(form, box) {
    rememberFocus(box);
    dropEmptyFields(form);
    form.submit();
  }

  function narrowList(input) {
    var list = document.getElementById("values-" + input.getAttribute("data-facet-find"));
    if (!list) {
      return;
    }
    var wanted = fold(input.value.trim());
    Array.prototype.forEach.call(list.children, function (item) {
      var text = fold(item.querySelector(".value").textContent);
      var box = item.querySelector("input");
      item.hidden = wanted !== "" && text.indexOf(wanted) === -1 && !box.checked;
    });
  }

  function enhanceFilters(form) {
    document.documentElement.classList.add("js");
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") {
        submitFilters(form, event.target);
      }
    });
    form.addEventListener("submit", function () {
      dropEmptyFields(form);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-facet-find]"), function (input) {
      input.addEventListener("input", function () {
        narrowList(input);
      });
    });
  }

  var HIT_PREFIX = "treffer-";

  function hitNumber(hash) {
    var match = /^#treffer-(\d+)$/.exec(hash || "");
    return match ? parseInt(match[1], 10) : 0;
  }

  function enhanceHitJumps(nav) {
    var count = parseInt(nav.getAttribute("data-hits"), 10) || 0;
    var position = nav.querySelector(".hit-position");
    var current = hitNumber(window.location.hash);

    function show(number, scroll) {
      var previous = document.getElementById(HIT_PREFIX + current);
      var mark = document.getElementById(HIT_PREFIX + number);
      if (!mark) {
        return;
      }
      if (previous) {
        previous.classList.remove("current");
      }
      current = number;
      mark.classList.add("current");
      position.textContent = " – Treffer " + number + " von " + count;
      if (scroll) {
        var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        mark.scrollIntoView({behavior: still ? "auto" : "smooth", block: "center"});
        window.history.replaceState(null, "", "#" + HIT_PREFIX + number);
      }
    }

    Array.prototype.forEach.call(nav.querySelectorAll("a[data-jump]"), function (link) {
      var step = parseInt(link.getAttribute("data-jump"), 10);
      var button = document.createElement("button");
      button.type = "button";
      button.className = link.className;
      button.textContent = link.textContent;
      button.title = link.title;
      button.setAttribute("data-jump", String(step));
      button.addEventListener("click", function () {
        var next = current + step;
        show(next < 1 ? count : (next > count ? 1 : next), true);
      });
      link.parentNode.replaceChild(button, link);
    });
    window.addEventListener("hashchange", function () {
      var number = hitNumber(window.location.hash);
      if (number) {
        show(number, false);
      }
    });
    if (current) {
      show(current, false);
    }
  }

  document.addEventListener("keydown", focusSearchOnSlash);
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("filters");
    if (form) {
      enhanceFilters(form);
      restoreFocus(form);
    }
    var jumps = document.querySelector("nav.hit-jumps");
    if (jumps) {
      enhanceHitJumps(jumps);
    }
    var search = document.querySelector("form.searchbox");
    if (search) {
      search.addEventListener("submit", function () {
        dropEmptyFields(search);
      });
    }
  });
  // Back/forward cache: re-enable fields disabled before leaving the page.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form [disabled]"), function (field) {
      field.disabled = false;
    });
  });
})();
