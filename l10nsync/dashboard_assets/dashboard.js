/*
 * l10nsync dashboard.
 *
 * Data arrives as scripts (data/summary.js, then data/locale-N.js and data/detail-N.js on
 * demand) because browsers refuse to fetch data for file:// pages. Titles, paths and commit
 * subjects come from contributors: they are inserted with textContent and setAttribute only,
 * and index.html's Content-Security-Policy forbids inline scripts and styles besides.
 * Sorting and filtering work on arrays; the table shows at most PAGE_SIZE more rows at a time.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 500;
  var summary = window.L10NSYNC_SUMMARY;
  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  var has = function (object, key) {
    return object !== undefined && object !== null &&
      Object.prototype.hasOwnProperty.call(object, key);
  };

  function byId(id) {
    return document.getElementById(id);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  // A link to the git host (only http(s) addresses; they come from the site's own remotes).
  function hostLink(text, href) {
    if (typeof href !== "string" || !/^https?:\/\//.test(href)) {
      return null;
    }
    var link = element("a", "host-link", text);
    link.setAttribute("href", href);
    link.setAttribute("rel", "noopener noreferrer");
    return link;
  }

  function localeName(entry) {
    return entry.label && entry.label !== entry.locale
      ? entry.label + " (" + entry.locale + ")" : entry.locale;
  }

  function share(count, percent) {
    return percent === null || percent === undefined
      ? String(count) : count + " (" + percent.toFixed(1) + "%)";
  }

  function notice(text) {
    var node = byId("notice");
    node.textContent = text;
    node.hidden = !text;
  }

  if (!summary) {
    notice("data/summary.js did not load: write the dashboard again with l10nsync.");
    return;
  }

  var labels = new Map();
  var ranks = new Map();
  summary.statuses.forEach(function (status, index) {
    labels.set(status.value, status.label);
    ranks.set(status.value, index);
  });
  var localesByName = new Map();
  summary.locales.forEach(function (entry) {
    localesByName.set(entry.locale, entry);
  });

  function label(status) {
    return labels.has(status) ? labels.get(status) : status;
  }

  function hashFor(locale, page) {
    var params = new URLSearchParams();
    params.set("locale", locale);
    if (page !== undefined) {
      params.set("page", page);
    }
    return "#" + params.toString();
  }

  // Setting location.hash to its current value fires no hashchange: route directly then.
  function navigate(hash) {
    if ((location.hash || "#") === hash) {
      route();
    } else {
      location.hash = hash;
    }
  }

  function dataUrl(name) {
    return "data/" + name + ".js?v=" + encodeURIComponent(summary.build);
  }

  var pendingScripts = new Map();

  function loadScript(src, done) {
    var waiting = pendingScripts.get(src);
    if (waiting) {
      waiting.push(done);
      return;
    }
    waiting = [done];
    pendingScripts.set(src, waiting);
    var script = document.createElement("script");
    var finish = function (loaded) {
      pendingScripts.delete(src);
      script.remove();
      waiting.forEach(function (callback) {
        callback(loaded);
      });
    };
    script.addEventListener("load", function () { finish(true); });
    script.addEventListener("error", function () { finish(false); });
    script.src = src;
    document.head.appendChild(script);
  }

  function loadKeyed(storeName, key, file, done) {
    if (has(window[storeName], key)) {
      done(window[storeName][key]);
      return;
    }
    loadScript(dataUrl(file), function (loaded) {
      done(loaded && has(window[storeName], key) ? window[storeName][key] : null);
    });
  }

  // Views ------------------------------------------------------------------------------------

  var VIEWS = ["overview", "locale-view", "detail"];
  var currentView = "overview";

  function show(view) {
    VIEWS.forEach(function (id) {
      byId(id).hidden = id !== view;
    });
    currentView = view;
  }

  // Header and overview ----------------------------------------------------------------------

  function renderHeader() {
    var head = summary.source.head ? summary.source.head.slice(0, 12) : "(none)";
    byId("meta").textContent = "English HEAD " + head + " in " + summary.source.root +
      " \u00b7 generated " + summary.generated_at;
    var notes = byId("notes");
    summary.notes.forEach(function (note) {
      notes.appendChild(element("li", null, note));
    });
  }

  var OTHER_LABEL = "marker or front matter problem";

  function renderOverview() {
    // The bar's statuses first, in its order, then the rarer ones the bar leaves uncovered;
    // a status no locale has gets no column, and up to date has its share column.
    var columns = summary.bar.concat(summary.statuses.map(function (status) {
      return status.value;
    }).filter(function (status) {
      return summary.bar.indexOf(status) === -1;
    })).filter(function (status) {
      return summary.columns.indexOf(status) !== -1 && status !== "up_to_date";
    });
    var legend = byId("legend");
    summary.bar.concat(["other"]).forEach(function (status) {
      var item = element("li");
      var swatch = element("span", "swatch");
      swatch.setAttribute("data-status", status);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(status === "other" ? OTHER_LABEL : label(status)));
      legend.appendChild(item);
    });

    var table = byId("locales");
    var headRow = table.tHead.rows[0];
    var english = summary.english_pages;
    var headings = [["Locale", "locale"], ["Progress", "progress"],
      ["Translated (of " + english + " English pages)", "translated number"],
      ["Up to date (of " + english + ")", "percent number"]];
    columns.forEach(function (status) {
      headings.push([label(status), "count number", status]);
    });
    headings.forEach(function (heading) {
      var th = element("th", heading[1], heading[0]);
      th.setAttribute("scope", "col");
      if (heading[2]) {
        th.setAttribute("data-status", heading[2]);
      }
      headRow.appendChild(th);
    });

    var fragment = document.createDocumentFragment();
    summary.locales.forEach(function (entry) {
      var row = element("tr");
      row.setAttribute("data-locale", entry.locale);

      var name = element("th", "locale");
      name.setAttribute("scope", "row");
      var link = element("a", "locale-link", localeName(entry));
      link.setAttribute("href", hashFor(entry.locale));
      name.appendChild(link);
      row.appendChild(name);

      var progress = element("td", "progress");
      var bar = element("div", "bar");
      var parts = [];
      var covered = 0;
      summary.bar.forEach(function (status) {
        var count = entry.counts[status] || 0;
        covered += count;
        var segment = element("span", "seg");
        segment.setAttribute("data-status", status);
        segment.setAttribute("title", label(status) + ": " + count);
        segment.setAttribute("data-count", String(count));
        // CSSOM, not a style attribute: the CSP allows the one and forbids the other.
        segment.style.width = (entry.total ? (100 * count) / entry.total : 0) + "%";
        bar.appendChild(segment);
        parts.push(label(status) + " " + count);
      });
      var others = columns.filter(function (status) {
        return summary.bar.indexOf(status) === -1 && entry.counts[status];
      }).map(function (status) {
        return label(status) + ": " + entry.counts[status];
      });
      if (others.length) {
        bar.classList.add("has-other");
        bar.setAttribute("title", others.join(", "));
        parts.push(OTHER_LABEL + " " + (entry.total - covered));
      }
      bar.setAttribute("role", "img");
      bar.setAttribute("aria-label", parts.join(", "));
      progress.appendChild(bar);
      row.appendChild(progress);

      row.appendChild(element("td", "translated number",
        share(entry.translated, entry.translated_percent)));
      row.appendChild(element("td", "percent number",
        share(entry.counts.up_to_date || 0, entry.up_to_date_percent)));
      columns.forEach(function (status) {
        var cell = element("td", "count number", entry.counts[status] || 0);
        cell.setAttribute("data-status", status);
        row.appendChild(cell);
      });
      fragment.appendChild(row);
    });
    table.tBodies[0].appendChild(fragment);
    if (!summary.locales.length) {
      notice("No translated pages were found.");
    }

    renderGrid();
    renderDictionaries();

    table.tBodies[0].addEventListener("click", function (event) {
      var row = event.target.closest("tr[data-locale]");
      if (row && !event.target.closest("a")) {
        navigate(hashFor(row.getAttribute("data-locale")));
      }
    });
  }

  // For small sites: every English page against every locale, as Lunaria users know it.
  function renderGrid() {
    var grid = summary.grid;
    var section = byId("grid-section");
    if (!grid || !grid.rows.length) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    var table = byId("grid");
    var headRow = table.tHead.rows[0];
    var corner = element("th", null, "English page");
    corner.setAttribute("scope", "col");
    headRow.appendChild(corner);
    grid.locales.forEach(function (locale) {
      var entry = localesByName.get(locale);
      var th = element("th", "grid-locale", entry ? localeName(entry) : locale);
      th.setAttribute("scope", "col");
      headRow.appendChild(th);
    });
    var fragment = document.createDocumentFragment();
    grid.rows.forEach(function (row) {
      var tr = element("tr");
      var name = element("th", "grid-page", row.source);
      name.setAttribute("scope", "row");
      tr.appendChild(name);
      row.cells.forEach(function (cell, index) {
        var td = element("td", "grid-cell");
        if (cell) {
          td.setAttribute("data-status", cell[0]);
          var link = element("a", null, label(cell[0]));
          link.setAttribute("href", hashFor(grid.locales[index], cell[1]));
          td.appendChild(link);
        }
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    });
    table.tBodies[0].appendChild(fragment);
  }

  // A row per translated dictionary file: its keys per status, or why it was not judged.
  function renderDictionaries() {
    var dictionaries = summary.dictionaries || [];
    var section = byId("dictionaries-section");
    section.hidden = !dictionaries.length;
    if (!dictionaries.length) {
      return;
    }
    var table = byId("dictionaries");
    ["Locale", "Dictionary", "Outdated", "Missing", "Extra", "Up to date", "Problem"]
      .forEach(function (heading) {
        var th = element("th", null, heading);
        th.setAttribute("scope", "col");
        table.tHead.rows[0].appendChild(th);
      });
    var fragment = document.createDocumentFragment();
    dictionaries.forEach(function (dictionary) {
      var tr = element("tr");
      var entry = localesByName.get(dictionary.locale);
      tr.appendChild(element("td", null, entry ? localeName(entry) : dictionary.locale));
      var path = element("td");
      path.appendChild(hostLink(dictionary.path, dictionary.link) ||
        document.createTextNode(dictionary.path));
      tr.appendChild(path);
      ["outdated", "missing", "extra", "up_to_date"].forEach(function (status) {
        var td = element("td", "count", String(dictionary.summary[status]));
        td.setAttribute("data-status", status);
        tr.appendChild(td);
      });
      tr.appendChild(element("td", null, dictionary.error || ""));
      fragment.appendChild(tr);
    });
    table.tBodies[0].appendChild(fragment);
  }

  // Locale view ------------------------------------------------------------------------------

  // Sortable columns and the row field each sorts on.
  var SORT_FIELDS = { title: "title", status: "rank", behind: "behind", ratio: "ratio",
    date: "time" };

  var state = null; // { entry, rows, sorted, matches, rendered, column, direction }
  var statusFilter = byId("status-filter");
  var textFilter = byId("text-filter");
  var pagesBody = byId("pages").tBodies[0];
  var showMore = element("button", null);
  showMore.id = "show-more";
  showMore.type = "button";

  function buildStatusFilter() {
    var all = element("option", null, "All statuses");
    all.value = "";
    statusFilter.appendChild(all);
    summary.statuses.forEach(function (status) {
      var option = element("option", null, status.label);
      option.value = status.value;
      statusFilter.appendChild(option);
    });
  }

  function prepareRows(pages) {
    return pages.map(function (page, index) {
      var time = page.oldest_change_date ? Date.parse(page.oldest_change_date) : NaN;
      return {
        page: page,
        index: index,
        title: page.title || page.path,
        rank: ranks.has(page.status) ? ranks.get(page.status) : ranks.size,
        behind: page.commits_behind,
        ratio: page.change_ratio,
        time: isNaN(time) ? null : time,
        haystack: ((page.title || "") + "\n" + page.path).toLowerCase()
      };
    });
  }

  function useLocale(entry, pages) {
    if (state && state.entry === entry) {
      return;
    }
    state = { entry: entry, rows: prepareRows(pages), matches: [], rendered: 0, column: null,
      direction: 1 };
    state.sorted = state.rows;
    byId("locale-title").textContent = entry.locale;
    byId("total-count").textContent = String(state.rows.length);
    statusFilter.value = "";
    textFilter.value = "";
    Array.prototype.forEach.call(statusFilter.options, function (option) {
      var count = option.value ? entry.counts[option.value] || 0 : entry.total;
      option.textContent = (option.value ? label(option.value) : "All statuses") +
        " (" + count + ")";
    });
    updateSortHeaders();
    applyFilters();
  }

  // Pages without a value (no diff, no date) stay last either way; ties keep report order.
  function compareRows(a, b, field, direction) {
    var x = a[field];
    var y = b[field];
    var xMissing = x === null || x === undefined;
    var yMissing = y === null || y === undefined;
    if (xMissing !== yMissing) {
      return xMissing ? 1 : -1;
    }
    var order = 0;
    if (!xMissing) {
      order = typeof x === "string" ? collator.compare(x, y) : x - y;
    }
    return order !== 0 ? direction * order : a.index - b.index;
  }

  function sortBy(column) {
    if (!state || !has(SORT_FIELDS, column)) {
      return;
    }
    if (state.column === column) {
      state.direction = -state.direction;
    } else {
      state.column = column;
      state.direction = 1;
    }
    var field = SORT_FIELDS[column];
    var direction = state.direction;
    state.sorted = state.rows.slice().sort(function (a, b) {
      return compareRows(a, b, field, direction);
    });
    updateSortHeaders();
    applyFilters();
  }

  function updateSortHeaders() {
    Array.prototype.forEach.call(document.querySelectorAll("#pages th[data-sort]"), function (th) {
      if (state && th.getAttribute("data-sort") === state.column) {
        th.setAttribute("aria-sort", state.direction > 0 ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  function applyFilters() {
    var status = statusFilter.value;
    var needle = textFilter.value.trim().toLowerCase();
    state.matches = status || needle
      ? state.sorted.filter(function (row) {
        return (!status || row.page.status === status) &&
          (!needle || row.haystack.indexOf(needle) !== -1);
      })
      : state.sorted;
    pagesBody.textContent = "";
    state.rendered = 0;
    renderMoreRows();
  }

  function renderMoreRows() {
    var end = Math.min(state.matches.length, state.rendered + PAGE_SIZE);
    var fragment = document.createDocumentFragment();
    for (var i = state.rendered; i < end; i += 1) {
      fragment.appendChild(pageRow(state.matches[i].page));
    }
    pagesBody.appendChild(fragment);
    state.rendered = end;

    var shown = byId("shown-count");
    shown.textContent = String(state.matches.length);
    shown.setAttribute("data-rendered", String(state.rendered));
    var remaining = state.matches.length - state.rendered;
    if (remaining > 0) {
      showMore.textContent = "Show " + Math.min(remaining, PAGE_SIZE) + " more (" + remaining +
        " not shown yet)";
      if (!showMore.isConnected) {
        byId("more").appendChild(showMore);
      }
    } else if (showMore.isConnected) {
      showMore.remove();
    }
  }

  function pageRow(page) {
    var row = element("tr");
    row.setAttribute("data-path", page.path);
    row.setAttribute("data-status", page.status);

    var first = element("td", "page");
    var link = element("a", "page-link", page.title || page.path);
    link.setAttribute("href", hashFor(state.entry.locale, page.path));
    first.appendChild(link);
    if (page.title) {
      first.appendChild(element("div", "path", page.path));
    }
    var links = page.links || {};
    [["edit on the host", links.page], ["create it", links.create],
      ["English page", links.source], ["English changes", links.compare]]
      .forEach(function (pair) {
        var host = hostLink(pair[0], pair[1]);
        if (host) {
          first.appendChild(host);
        }
      });
    row.appendChild(first);

    var status = element("td", "status", label(page.status));
    status.setAttribute("data-status", page.status);
    if (page.message) {
      status.setAttribute("title", page.message);
    }
    row.appendChild(status);
    row.appendChild(element("td", "behind number", page.commits_behind));
    var ratio = element("td", "ratio number",
      page.change_ratio === null ? null : page.change_ratio.toFixed(3));
    row.appendChild(ratio);
    var date = element("td", "date",
      page.oldest_change_date ? page.oldest_change_date.slice(0, 10) : null);
    if (page.oldest_change_date) {
      date.setAttribute("title", page.oldest_change_date);
    }
    row.appendChild(date);
    return row;
  }

  // Detail -----------------------------------------------------------------------------------

  var detailTicket = 0;
  var listScroll = 0;
  var detailPath = null;

  function fact(list, term, value) {
    if (value === null || value === undefined || value === "") {
      return;
    }
    list.appendChild(element("dt", null, term));
    list.appendChild(element("dd", null, value));
  }

  function openDetail(path) {
    var row = null;
    for (var i = 0; i < state.rows.length; i += 1) {
      if (state.rows[i].page.path === path) {
        row = state.rows[i];
        break;
      }
    }
    if (!row) {
      showLocaleView();
      notice("There is no page " + path + " in " + state.entry.locale + ".");
      return;
    }
    var page = row.page;
    if (currentView === "locale-view") {
      listScroll = window.scrollY;
    }
    detailPath = path;
    show("detail");
    document.title = (page.title || page.path) + " \u2013 Translation status";
    byId("detail-title").textContent = page.title || page.path;
    var facts = byId("detail-facts");
    facts.textContent = "";
    fact(facts, "Page", page.path);
    fact(facts, "Status", label(page.status));
    fact(facts, "Status says", page.message);
    fact(facts, "Next command", page.fix);
    fact(facts, "English source", page.source_path);
    fact(facts, "Moved to", page.moved_to);
    fact(facts, "Commits behind", page.commits_behind);
    fact(facts, "Change ratio",
      page.change_ratio === null ? null : page.change_ratio.toFixed(3));
    fact(facts, "Oldest English change", page.oldest_change_date);
    fact(facts, "Popularity", page.popularity === null || page.popularity === undefined
      ? null : String(page.popularity));
    fact(facts, "Priority", page.priority === null || page.priority === undefined
      ? null : page.priority.toFixed(4));
    if (page.drift) {
      fact(facts, "Structural drift", page.drift.score.toFixed(2));
      fact(facts, "Missing from the translation", page.drift.missing.join(", "));
      fact(facts, "Not in the English text", page.drift.extra.join(", "));
    }
    var links = page.links || {};
    var onHost = element("dd", "host-links");
    [["the translation", links.page], ["create this translation", links.create],
      ["the English page", links.source], ["English changes since the translation",
        links.compare]].forEach(function (pair) {
      var host = hostLink(pair[0], pair[1]);
      if (host) {
        onHost.appendChild(host);
      }
    });
    if (onHost.childNodes.length) {
      facts.appendChild(element("dt", null, "On the host"));
      facts.appendChild(onHost);
    }
    byId("detail-commits").textContent = "";
    byId("detail-hunks").textContent = "";
    byId("detail-changes").hidden = true;
    byId("detail-none").hidden = page.detail !== null;
    byId("detail-loading").hidden = page.detail === null;
    window.scrollTo(0, 0);
    byId("detail-title").focus({ preventScroll: true });
    if (page.detail === null) {
      return;
    }
    var ticket = ++detailTicket;
    loadKeyed("L10NSYNC_DETAIL", path, "detail-" + page.detail, function (detail) {
      if (ticket !== detailTicket) {
        return;
      }
      byId("detail-loading").hidden = true;
      if (!detail) {
        notice("The English changes of " + path + " did not load.");
        return;
      }
      renderDetail(detail);
    });
  }

  function renderDetail(detail) {
    var facts = byId("detail-facts");
    fact(facts, "English now",
      detail.current_path !== detail.source_path ? detail.current_path : null);
    fact(facts, "English commits",
      detail.source_commit.slice(0, 12) + " \u2192 " + detail.head_commit.slice(0, 12));

    var commits = byId("detail-commits");
    detail.commits.forEach(function (commit) {
      var item = element("li", commit.counted ? "counted" : "not-counted");
      var sha = element("code", "sha", commit.sha.slice(0, 12));
      var onHost = hostLink("", commit.link);
      if (onHost) {
        onHost.appendChild(sha);
        item.appendChild(onHost);
      } else {
        item.appendChild(sha);
      }
      item.appendChild(document.createTextNode(" "));
      var date = element("span", "date", commit.date.slice(0, 10));
      date.setAttribute("title", commit.date);
      item.appendChild(date);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", "subject", commit.subject));
      if (!commit.counted) {
        item.appendChild(element("span", "flag", " (not counted: cosmetic or ignored)"));
      }
      commits.appendChild(item);
    });

    var hunks = byId("detail-hunks");
    if (!detail.hunks.length) {
      hunks.appendChild(element("p", null, "The English text is the same."));
    }
    detail.hunks.forEach(function (hunk) {
      var box = element("div", "hunk");
      box.appendChild(element("div", "range", "@@ -" + hunk.old_start + "," + hunk.old_lines +
        " +" + hunk.new_start + "," + hunk.new_lines + " @@"));
      box.appendChild(element("div", "where", describeSection(hunk)));
      var pre = element("pre", "diff");
      hunk.text.split("\n").forEach(function (line, index) {
        if (index > 0) {
          pre.appendChild(document.createTextNode("\n"));
        }
        var kind = line.charAt(0) === "+" ? "add" : line.charAt(0) === "-" ? "del" : "context";
        pre.appendChild(element("span", "line " + kind, line));
      });
      box.appendChild(pre);
      hunks.appendChild(box);
    });
    byId("detail-changes").hidden = false;
  }

  function describeSection(hunk) {
    var section = hunk.translation_section;
    if (!section) {
      var best = typeof hunk.best_score === "number"
        ? " (best score " + hunk.best_score.toFixed(2) + ")" : "";
      return "In the translation: no section matched" + best;
    }
    var heading = section.heading === null ? "(before the first heading)" : section.heading;
    return "In the translation: " + heading + ", lines " + section.start_line + "-" +
      section.end_line + " (score " + section.score.toFixed(2) + ")";
  }

  // Routing ----------------------------------------------------------------------------------

  var routeTicket = 0;

  function showOverview() {
    show("overview");
    document.title = "Translation status";
  }

  function showLocaleView() {
    var fromDetail = currentView === "detail";
    show("locale-view");
    document.title = state.entry.locale + " \u2013 Translation status";
    if (fromDetail) {
      window.scrollTo(0, listScroll);
      var links = pagesBody.querySelectorAll("a.page-link");
      for (var i = 0; i < links.length; i += 1) {
        if (links[i].parentNode.parentNode.getAttribute("data-path") === detailPath) {
          links[i].focus({ preventScroll: true });
          break;
        }
      }
    }
  }

  function route() {
    notice("");
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var locale = params.get("locale");
    var page = params.get("page");
    var ticket = ++routeTicket;
    if (locale === null) {
      showOverview();
      return;
    }
    var entry = localesByName.get(locale);
    if (!entry) {
      showOverview();
      notice("This report has no locale " + locale + ".");
      return;
    }
    if (!state || state.entry !== entry) {
      // Another locale: nothing of the previous one stays on screen while this one loads.
      state = null;
      pagesBody.textContent = "";
      showMore.remove();
      byId("locale-title").textContent = entry.locale;
      byId("shown-count").textContent = "0";
      byId("total-count").textContent = "0";
      byId("locale-loading").hidden = false;
      show("locale-view");
    }
    loadKeyed("L10NSYNC_LOCALE", entry.locale, "locale-" + entry.data, function (pages) {
      if (ticket !== routeTicket) {
        return;
      }
      byId("locale-loading").hidden = true;
      if (!pages) {
        showOverview();
        notice("The pages of " + locale + " did not load.");
        return;
      }
      useLocale(entry, pages);
      if (page === null) {
        showLocaleView();
      } else {
        openDetail(page);
      }
    });
  }

  // Wiring -----------------------------------------------------------------------------------

  renderHeader();
  renderOverview();
  buildStatusFilter();

  statusFilter.addEventListener("change", function () {
    if (state) {
      applyFilters();
    }
  });
  textFilter.addEventListener("input", function () {
    if (state) {
      applyFilters();
    }
  });
  byId("pages").tHead.addEventListener("click", function (event) {
    var th = event.target.closest("th[data-sort]");
    if (th) {
      sortBy(th.getAttribute("data-sort"));
    }
  });
  showMore.addEventListener("click", function () {
    renderMoreRows();
  });
  function closeDetail() {
    navigate(state ? hashFor(state.entry.locale) : "#");
  }
  byId("detail-close").addEventListener("click", closeDetail);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && currentView === "detail") {
      closeDetail();
    }
  });
  // In-page links go through navigate(), so a link to the current hash still re-routes.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
        event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(link.getAttribute("href"));
  });
  window.addEventListener("hashchange", route);
  route();
})();
