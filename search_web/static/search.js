// Progressive enhancement only: every feature works without this file.
// - "/" focuses the search box
// - ticking a facet checkbox applies the filters at once
// - a facet's filter box searches all the facet's values while typing (Enter still submits)
// - on a phone the filters open in a drawer from the "Filter" button (without script: #filter)
// - empty form fields are left out of the URL
// - after a facet box applied itself, the same box has the focus again (keyboard users)
// - on a document page, "Vorheriger"/"Nächster" become buttons that scroll smoothly from mark
//   to mark (without script they are anchor links, like the numbered ones: #treffer-3)
(function () {
  "use strict";

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
        setDrawer(true, false);  // a box ticked in the drawer: the drawer stays open on a phone
        box.focus();
      }
    });
  }

  function submitFilters(form, box) {
    rememberFocus(box);
    dropEmptyFields(form);
    form.submit();
  }

  // A facet's filter box asks the server, which searches all the facet's values (not only the
  // ones on the page) and answers with the list rendered as on the page.
  var FIND_DELAY_MS = 250;

  function findParams(form) {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.value === "" || (field.type === "checkbox" && !field.checked)) {
        return;
      }
      params.append(field.name, field.value);
    });
    return params;
  }

  function enhanceFindBox(form, input) {
    var body = document.getElementById("body-" + input.getAttribute("data-facet-find"));
    var timer = null, controller = null, asked = 0;
    if (!body || !window.fetch || !window.AbortController) {
      return;
    }
    function ask() {
      var number = ++asked;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var url = input.getAttribute("data-facet-url") + "?" + findParams(form).toString();
      fetch(url, {headers: {"Accept": "application/json"}, signal: controller.signal})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && number === asked) {
            body.innerHTML = data.html;  // rendered and escaped by the server's template
            window.history.replaceState(null, "", data.links.html + window.location.hash);
          }
        })
        .catch(function () { /* aborted or offline: Enter still asks the server */ });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, FIND_DELAY_MS);
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
      enhanceFindBox(form, input);
    });
  }

  // The filter drawer on a phone: the "Filter" button opens it over the results, "Schließen"
  // or Escape closes it; while open, the page behind is inert. On a wide screen the filters
  // are always shown and the button is hidden, so nothing here applies.
  var PHONE = window.matchMedia("(max-width: 760px)");

  function drawerParts() {
    return {drawer: document.getElementById("filter"), toggle: document.getElementById("filter-toggle"),
            behind: document.querySelectorAll("header.site, #results, footer.site, a.skip")};
  }

  function setDrawer(open, focus) {
    var parts = drawerParts();
    if (!parts.drawer || !parts.toggle) {
      return;
    }
    open = open && PHONE.matches;
    parts.drawer.classList.toggle("open", open);
    document.documentElement.classList.toggle("drawer-open", open);
    parts.toggle.setAttribute("aria-expanded", String(open));
    Array.prototype.forEach.call(parts.behind, function (element) {
      element.inert = open;
    });
    if (focus) {
      (open ? parts.drawer : parts.toggle).focus();
    }
  }

  function drawerIsOpen() {
    var drawer = document.getElementById("filter");
    return Boolean(drawer && drawer.classList.contains("open"));
  }

  function enhanceDrawer() {
    var parts = drawerParts();
    if (!parts.drawer || !parts.toggle) {
      return;
    }
    parts.toggle.setAttribute("role", "button");
    parts.toggle.setAttribute("aria-expanded", "false");
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href='#filter'], a.drawer-close");
      if (!link || !PHONE.matches) {
        return;  // on a wide screen "Zu den Filtern" is an ordinary skip link
      }
      event.preventDefault();
      setDrawer(!link.classList.contains("drawer-close"), true);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawerIsOpen()) {
        setDrawer(false, true);
      }
    });
    PHONE.addEventListener("change", function () {
      setDrawer(false, false);
    });
    // a year, "alle anzeigen" or the form sent from the open drawer: it opens again on the next page
    parts.drawer.addEventListener("click", function (event) {
      if (drawerIsOpen() && event.target.closest("a[href]:not(.drawer-close)")) {
        rememberDrawer();
      }
    });
    parts.drawer.addEventListener("submit", function () {
      if (drawerIsOpen()) {
        rememberDrawer();
      }
    });
    if (window.location.hash === "#filter" || takeDrawerMemory()) {
      setDrawer(true, window.location.hash === "#filter");
    }
  }

  var DRAWER_KEY = "search-web:drawer-open";

  function rememberDrawer() {
    try {
      window.sessionStorage.setItem(DRAWER_KEY, "1");
    } catch (ignored) {
      // storage may be disabled: the drawer then starts closed, as without script
    }
  }

  function takeDrawerMemory() {
    try {
      var open = window.sessionStorage.getItem(DRAWER_KEY) === "1";
      window.sessionStorage.removeItem(DRAWER_KEY);
      return open;
    } catch (ignored) {
      return false;
    }
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
    enhanceDrawer();
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
