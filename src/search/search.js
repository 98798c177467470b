/* Letopis archive search, the page code. Classic script, works from file:// (no fetch, no
 * modules, no workers): the index is split into small scripts (search/s-*.js, d-*.js, g-*.js,
 * meta.js) that this code adds to the page on demand; each calls a global function with its data.
 * Matching and ranking are LetopisEngine's (engine.js, in front of this file in search.js): the
 * rules of src/search/engine.rs. ES5 syntax, like the engine. */
(function () {
  "use strict";
  var E = LetopisEngine, LIMIT = 20, words = E.words, slug = E.slug;

  /* ---- loading scripts ---- */
  var stores = {};          /* base URL of a search/ folder -> its data */
  var requested = {};       /* script URL -> [callbacks] or true when done */
  var L = window.Letopis = { loaded: [], words: words, slug: slug, score: E.score, stores: stores, engine: E };

  function store(base) {
    return stores[base] || (stores[base] = { meta: null, archive: "", splits: {}, short: null, shards: {}, docs: {}, groups: {}, rows: {} });
  }
  function currentBase() {
    var s = document.currentScript && document.currentScript.src;
    return s ? s.slice(0, s.lastIndexOf("/") + 1) : "";
  }
  window.letopisMeta = function (archive, meta) {
    var base = currentBase(), s = store(base), url = base + "meta.js";
    s.archive = archive; s.meta = meta;
    /* Sets of the split shard keys and of the short keys that have a shard (null: all may). */
    s.splits = {};
    (meta.splits || []).forEach(function (k) { s.splits[k] = true; });
    s.short = meta.short ? {} : null;
    (meta.short || []).forEach(function (k) { s.short[k] = true; });
    /* A page may load meta.js with its own <script> tag, so that a search can start at once. */
    if (!requested[url]) { requested[url] = true; L.loaded.push(url); }
  };
  window.letopisShard = function (archive, key, entries) { store(currentBase()).shards[key] = entries; };
  window.letopisDocs = function (archive, n, rows) { store(currentBase()).docs[n] = rows; };
  /* A group: its document numbers, and the display rows of those of its documents that sit
   * scattered among the d-*.js files ([[n, row], ...]), so that a query for the group's code
   * needs no d-*.js file for them. */
  window.letopisGroup = function (archive, g, list, rows) {
    var s = store(currentBase());
    s.groups[g] = list;
    for (var i = 0; rows && i < rows.length; i++) s.rows[rows[i][0]] = rows[i][1];
  };
  /* The group of every document (groups.js, for the counts of the group filter): `width`
   * base64 digits per document, 0 for none, else 1 + the index of its first group in `slugs`;
   * `more` lists [doc, index + 1, ...] of the documents of several groups. */
  window.letopisGroupsOf = function (archive, slugs, width, packed, more) {
    var extra = {};
    for (var i = 0; i < more.length; i++) extra[more[i][0]] = more[i].slice(1);
    store(currentBase()).groupsOf = { slugs: slugs, width: width, packed: packed, more: extra };
  };
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  /* The slugs of the groups of document n. */
  function groupsOfDoc(of, n) {
    var v = 0, out = [];
    for (var k = 0; k < of.width; k++) v = v * 64 + DIGITS.indexOf(of.packed.charAt(n * of.width + k));
    if (v) out.push(of.slugs[v - 1]);
    var extra = of.more[n] || [];
    for (var j = 0; j < extra.length; j++) out.push(of.slugs[extra[j] - 1]);
    return out;
  }

  function load(url, done) {
    if (requested[url] === true) { done(); return; }
    if (requested[url]) { requested[url].push(done); return; }
    requested[url] = [done];
    L.loaded.push(url);
    var el = document.createElement("script");
    el.src = url;
    el.async = true;
    el.onload = el.onerror = function () {
      var cbs = requested[url]; requested[url] = true;
      for (var i = 0; i < cbs.length; i++) cbs[i]();
    };
    document.head.appendChild(el);
  }
  function loadAll(urls, done) {
    var left = urls.length;
    if (!left) { done(); return; }
    for (var i = 0; i < urls.length; i++) load(urls[i], function () { if (--left === 0) done(); });
  }

  /* ---- searching one archive ---- */
  /* The archive's data/ folder: the parent of its search/ folder. */
  function dataBase(base) {
    return /search\/$/.test(base) ? base.slice(0, base.length - "search/".length) : base + "../";
  }
  /* The shard keys a search needs: the query's (E.plan) and the year token's of the year filter,
   * or of every year when the counts per year are asked for (opts.counts). */
  function keysOf(s, q, opts) {
    var keys = E.plan(s, q).keys.slice(), years = opts.year ? [opts.year] : opts.counts ? (s.meta.years || []) : [];
    for (var i = 0; i < years.length; i++) {
      var k = E.key(E.yearToken(years[i]), s.splits);
      if (keys.indexOf(k) < 0) keys.push(k);
    }
    return keys;
  }
  /* Loads what query q (parsed) needs from the archive at `base` (meta.js, the shards of its
   * tokens, identifier, whole word and years, the file of group gslug and of a group whose code
   * the query is), then calls cb(). `settled` loads only the shards a longer word would still
   * use (no short or split key): the page calls it on every keystroke, so that the search that
   * follows finds them loaded. */
  function fetchWords(base, q, opts, settled, cb) {
    var s = store(base), gslug = opts.group ? slug(opts.group) : null;
    load(base + "meta.js", function () {
      if (!s.meta) { cb(); return; }
      var splits = s.splits, short = s.short, urls = [], keys = keysOf(s, q, opts);
      for (var i = 0; i < keys.length; i++) {
        var key = keys[i];
        /* Keys shorter than three letters have a shard only when meta.short lists them. */
        if (short && key.length < 3 && !short[key]) continue;
        if (settled && (key.length < 3 || splits[key])) continue;
        urls.push(base + "s-" + key + ".js");
      }
      if (gslug) urls.push(base + "g-" + gslug + ".js");
      if (opts.groupCounts) urls.push(base + "groups.js");
      loadAll(urls, function () {
        /* The whole query is the code of one group: that group's file lists its records and
         * holds the rows of its scattered ones. */
        var g = E.groupOf(s, q);
        loadAll(g && !s.groups[g] ? [base + "g-" + g + ".js"] : [], cb);
      });
    });
  }
  /* What the page does on every keystroke: requests the shards of the words typed so far and,
   * once every word's shard is there, runs the search without showing it, which loads the rows
   * of its first results. The search that follows the last keystroke then finds its files
   * loaded (a word typed on finds the same shard and mostly the same rows). */
  L.prefetch = function (bases, query, opts) {
    var q = E.parse(query);
    if (!q.tokens.length) return;
    bases.forEach(function (base) {
      fetchWords(base, q, opts, true, function () {
        var s = store(base);
        if (s.meta && keysOf(s, q, opts).every(function (k) { return s.shards[k] || (s.short && k.length < 3 && !s.short[k]); })) {
          searchArchive(base, query, opts, function () {});
        }
      });
    });
  };

  /* The part of a record's text about what was searched: of its segments (separated by " · "),
   * the one with the most matched words, as the command line's snippet. */
  function bestSegment(text, matched) {
    var segs = String(text).split(" · "), best = null, hits = 0;
    for (var i = 0; i < segs.length; i++) {
      var n = 0, ws = words(segs[i]);
      for (var j = 0; j < ws.length; j++) if (matched[ws[j]]) n++;
      if (n > hits) { hits = n; best = segs[i]; }
    }
    return best === null ? segs[0] : best;
  }

  /* Searches the archive whose search/ folder is at `base`. opts: year, group, limit, counts
   * (per year), groupCounts. Calls back with {archive, period, title, total, years: {year:
   * count}, groups: {slug: count}, hits: [{kind, title, url, groups, years, snippet, score}],
   * matched: {normalised word: true}}. The counts per year are of the chosen group's results,
   * those per group of the chosen year's. */
  function searchArchive(base, query, opts, cb) {
    var q = E.parse(query), s = store(base);
    fetchWords(base, q, opts, false, collect);
    function collect() {
      var result = { archive: s.archive, period: s.meta ? s.meta.period : "", title: s.meta ? s.meta.title || s.meta.period : "",
        total: 0, years: {}, groups: {}, hits: [], matched: {} };
      if (!q.tokens.length || !s.meta) { cb(result); return; }
      var found = E.run(s, q, null);
      result.matched = found.matched;
      var gslug = opts.group ? slug(opts.group) : null, inGroup = found.ranked, inYear = found.ranked;
      if (gslug) {
        var member = {}, list = s.groups[gslug] || [];
        for (var m = 0; m < list.length; m++) member[list[m]] = true;
        inGroup = found.ranked.filter(function (r) { return member[r[0]] === true; });
      }
      if (opts.year) {
        var ey = E.entry(s, E.yearToken(opts.year)), py = ey ? E.decode(ey) : null;
        inYear = found.ranked.filter(function (r) { return py && E.holds(py, r[0]); });
      }
      /* Counts per year of the group's results (the years whose shard is loaded). */
      (s.meta.years || []).forEach(function (y) {
        var k = E.key(E.yearToken(y), s.splits), en = s.shards[k] ? E.entry(s, E.yearToken(y)) : null, n = 0;
        if (!s.shards[k]) return;
        var p = en ? E.decode(en) : null;
        for (var i = 0; p && i < inGroup.length; i++) if (E.holds(p, inGroup[i][0])) n++;
        result.years[y] = n;
      });
      /* Counts per group of the year's results, once groups.js is loaded. */
      if (s.groupsOf) {
        for (var c = 0; c < inYear.length; c++) {
          var gs = groupsOfDoc(s.groupsOf, inYear[c][0]);
          for (var x = 0; x < gs.length; x++) result.groups[gs[x]] = (result.groups[gs[x]] || 0) + 1;
        }
      }
      var ranked = opts.year ? inGroup.filter(function (r) { return py && E.holds(py, r[0]); }) : inGroup;
      result.total = ranked.length;
      var limit = opts.limit || LIMIT, per = s.meta.per, end = Math.min(limit, ranked.length);
      function rowOf(n) {
        var rows = s.docs[Math.floor(n / per)];
        return (rows && rows[n % per]) || s.rows[n];
      }
      /* The rows of the results to show that no loaded file holds. */
      var want = {}, batch = [];
      for (var j = 0; j < end; j++) {
        var f = Math.floor(ranked[j][0] / per);
        if (!want[f] && !s.docs[f] && !s.rows[ranked[j][0]]) { want[f] = true; batch.push(base + "d-" + f + ".js"); }
      }
      loadAll(batch, function () {
        for (var k = 0; k < end; k++) {
          var row = rowOf(ranked[k][0]);
          /* A row whose file failed to load is left out. */
          if (!row) continue;
          result.hits.push({ kind: row[0], title: row[1], url: dataBase(base) + row[2],
            groups: row[3], years: row[4], snippet: bestSegment(row[5], result.matched), score: ranked[k][1] });
        }
        cb(result);
      });
    }
  }
  L.searchArchive = searchArchive;

  /* Searches several archives (newest first) one after another. */
  function searchAll(bases, query, opts, cb) {
    var out = [], i = 0;
    (function next() {
      if (i >= bases.length) { cb(out); return; }
      searchArchive(bases[i++], query, opts, function (r) { out.push(r); next(); });
    })();
  }
  L.searchAll = searchAll;

  /* ---- the page ---- */
  var EN = (document.documentElement.lang || "").slice(0, 2) === "en";
  var KIND = EN ? { learner: "learner", group: "group", programme: "programme", certificate: "certificate",
      order: "order", protocol: "protocol", transfer: "credit transfer", lesson: "lesson", document: "document",
      attachment: "file" }
    : { learner: "слушатель", group: "группа", programme: "программа", certificate: "документ об обучении",
      order: "приказ", protocol: "протокол", transfer: "зачёт результатов", lesson: "занятие",
      document: "документ", attachment: "файл" };
  var T = EN ? { found: "Found", nothing: "Nothing found.", group: "group", year: "year", shown: "shown", more: "Show more",
      old: "This browser is too old for the search. Records are reached through the archive's contents; a current browser searches." }
    : { found: "Найдено", nothing: "Ничего не найдено.", group: "группа", year: "год", shown: "показано", more: "Показать ещё",
      old: "Этот браузер слишком старый для поиска. Записи открываются по оглавлению архива; в современном браузере поиск работает." };

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  /* Escapes text and wraps the words that matched in <mark>. */
  function highlight(text, matched) {
    var sc = E.scan(text), t = sc.text, out = "", last = 0;
    for (var i = 0; i < sc.words.length; i++) {
      var a = sc.spans[i][0], b = sc.spans[i][1];
      out += esc(t.slice(last, a));
      out += matched[sc.words[i]] ? "<mark>" + esc(t.slice(a, b)) + "</mark>" : esc(t.slice(a, b));
      last = b;
    }
    return out + esc(t.slice(last));
  }
  L.highlight = highlight;

  /* The link to a result with a text fragment (`#anchor:~:text=Смирнова&text=…`) naming the
   * matched words as the record writes them: browsers that know text fragments scroll to them and
   * highlight them on the page that opens; others open the page (and anchor) as before. */
  function landing(url, texts, matched) {
    var seen = {}, parts = [];
    for (var t = 0; t < texts.length; t++) {
      var sc = E.scan(texts[t]);
      for (var i = 0; i < sc.words.length && parts.length < 3; i++) {
        var w = sc.text.slice(sc.spans[i][0], sc.spans[i][1]);
        if (!matched[sc.words[i]] || seen[w]) continue;
        seen[w] = true;
        parts.push("text=" + encodeURIComponent(w).replace(/-/g, "%2D"));
      }
    }
    if (!parts.length) return url;
    return url + (url.indexOf("#") < 0 ? "#" : "") + ":~:" + parts.join("&");
  }
  L.landing = landing;

  /* About 120 characters of the snippet, starting a little before its first matched word. */
  function around(text, matched) {
    var chars = Array.from(text), max = 120;
    if (chars.length <= max) return text;
    var sc = E.scan(text), first = -1;
    text = sc.text; chars = Array.from(text);
    for (var i = 0; i < sc.words.length; i++) {
      if (matched[sc.words[i]]) { first = Array.from(text.slice(0, sc.spans[i][0])).length; break; }
    }
    var start = first < 0 ? 0 : Math.max(0, Math.min(first - 40, chars.length - max));
    while (start > 0 && !/\s/.test(chars[start - 1])) start--;
    var end = Math.min(chars.length, start + max);
    return (start > 0 ? "…" : "") + chars.slice(start, end).join("") + (end < chars.length ? "…" : "");
  }

  function render(box, results, ms) {
    var html = "", count = 0, total = 0;
    for (var i = 0; i < results.length; i++) {
      var r = results[i];
      total += r.total;
      if (!r.hits.length) continue;
      /* On a medium's index, each period's results under its title and archive name. */
      if (results.length > 1) html += "<h2>" + esc(r.title) + " <span class=\"search-archive\">" + esc(r.archive) + "</span></h2>";
      html += "<ol class=\"search-hits\">";
      for (var j = 0; j < r.hits.length; j++) {
        var h = r.hits[j];
        count++;
        html += "<li class=\"search-hit\"><a href=\"" + esc(landing(h.url, [h.title, h.snippet], r.matched)) + "\">" + highlight(h.title, r.matched) +
          "</a> <span class=\"search-kind\">" + esc(KIND[h.kind] || h.kind) + "</span>" +
          (h.groups ? " · " + T.group + " " + esc(h.groups) : "") +
          (h.years ? " · " + T.year + " " + esc(h.years) : "") +
          (h.snippet ? "<br><span class=\"search-snippet\">" + highlight(around(h.snippet, r.matched), r.matched) + "</span>" : "") +
          "</li>";
      }
      html += "</ol>";
    }
    var status = count ? T.found + ": " + total + (total > count ? ", " + T.shown + " " + count : "") : T.nothing;
    if (total > count) html += "<p><button type=\"button\" class=\"search-more\">" + esc(T.more) + "</button></p>";
    box.innerHTML = "<p class=\"search-status\" data-ms=\"" + ms.toFixed(1) + "\" data-shown=\"" + count + "\" data-total=\"" + total +
      "\">" + esc(status) + "</p>" + html;
    return total > count;
  }
  /* The group filter's choices with the number of results of each group (all archives), once
   * groups.js is loaded (results[i].groups not empty for an archive with groups). */
  function groupCounts(sel, results) {
    if (!sel) return;
    var counts = null;
    for (var i = 0; results && i < results.length; i++) {
      var g = results[i].groups || {};
      for (var k in g) { counts = counts || {}; counts[k] = (counts[k] || 0) + g[k]; }
    }
    for (var j = 0; j < sel.options.length; j++) {
      var o = sel.options[j];
      if (!o.value) continue;
      o.textContent = o.value + (counts ? " (" + (counts[slug(o.value)] || 0) + ")" : "");
    }
  }
  /* The year filter's choices with the number of results of each year (all archives). */
  function yearCounts(sel, results) {
    if (!sel) return;
    var counts = null;
    for (var i = 0; results && i < results.length; i++) {
      var y = results[i].years || {};
      for (var k in y) { counts = counts || {}; counts[k] = (counts[k] || 0) + y[k]; }
    }
    for (var j = 0; j < sel.options.length; j++) {
      var o = sel.options[j];
      if (!o.value) continue;
      o.textContent = o.value + (counts ? " (" + (counts[o.value] || 0) + ")" : "");
    }
  }

  function params() {
    var out = {}, q = location.search.replace(/^\?/, "").split("&");
    for (var i = 0; i < q.length; i++) {
      if (!q[i]) continue;
      var kv = q[i].split("="), k = decodeURIComponent(kv[0]);
      try { out[k] = decodeURIComponent((kv[1] || "").replace(/\+/g, " ")); } catch (e) { out[k] = ""; }
    }
    return out;
  }

  var ownBase = currentBase();
  function init() {
    var form = document.getElementById("search-form"), input = document.getElementById("q");
    var box = document.getElementById("search-results");
    if (!form || !input || !box) return;
    var yearSel = document.getElementById("year"), groupSel = document.getElementById("group");
    /* A browser too old for the search says so, instead of a box that does nothing. */
    if (!E.supported) {
      box.innerHTML = "<p class=\"search-status\">" + esc(T.old) + "</p>";
      return;
    }
    /* A medium's index.html lists the search/ folders of its archives, newest first. */
    var bases = (window.LETOPIS_ARCHIVES || [ownBase]).map(function (b) {
      var a = document.createElement("a"); a.href = b; return a.href;
    });
    var p = params(), seq = 0, timer = null, limit = LIMIT, shownFor = "";
    if (p.q) input.value = p.q;
    function selected(sel) { return sel && sel.value ? sel.value : ""; }
    var counts = false, groupsCounted = false;
    function options() {
      return { year: selected(yearSel), group: selected(groupSel), limit: limit, counts: counts, groupCounts: groupsCounted };
    }
    function run() {
      var q = input.value, id = ++seq, t0 = performance.now();
      /* A new query or filter starts from the first results again. */
      var what = q + "\u0000" + selected(yearSel) + "\u0000" + selected(groupSel);
      if (what !== shownFor) { limit = LIMIT; shownFor = what; }
      if (!words(q).length) { box.innerHTML = ""; yearCounts(yearSel, null); groupCounts(groupSel, null); return; }
      searchAll(bases, q, options(), function (results) {
        if (id !== seq) return;
        if (render(box, results, performance.now() - t0)) {
          box.querySelector(".search-more").addEventListener("click", function () { limit += LIMIT; run(); });
        }
        yearCounts(yearSel, results);
        if (groupsCounted) groupCounts(groupSel, results);
        /* For tests and benchmarks: the time from the start of the search to the results on
         * the page, and when that was (ms since the page was opened). */
        var now = performance.now();
        L.last = { query: q, ms: now - t0, at: now, results: results };
      });
    }
    /* Results 120 ms after the last keystroke; what they need is requested at once
     * (L.prefetch), so it is usually loaded by then. */
    function later() { clearTimeout(timer); timer = setTimeout(run, 120); L.prefetch(bases, input.value, options()); }
    input.addEventListener("input", later);
    if (yearSel) {
      yearSel.addEventListener("change", run);
      /* The counts per year need the years' shard: loaded when the year filter is first used. */
      var wantCounts = function () { if (!counts) { counts = true; if (words(input.value).length) run(); } };
      yearSel.addEventListener("focus", wantCounts);
      yearSel.addEventListener("mousedown", wantCounts);
    }
    if (groupSel) {
      groupSel.addEventListener("change", run);
      /* The counts per group need groups.js: loaded when the group filter is first used. */
      var wantGroupCounts = function () { if (!groupsCounted) { groupsCounted = true; if (words(input.value).length) run(); } };
      groupSel.addEventListener("focus", wantGroupCounts);
      groupSel.addEventListener("mousedown", wantGroupCounts);
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      try {
        var qs = "?q=" + encodeURIComponent(input.value);
        if (selected(yearSel)) qs += "&year=" + encodeURIComponent(selected(yearSel));
        if (selected(groupSel)) qs += "&group=" + encodeURIComponent(selected(groupSel));
        history.replaceState(null, "", qs);
      } catch (e) { /* some browsers refuse history changes on file:// */ }
      run();
    });
    /* Year choices from the indexes when the page has none. */
    loadAll(bases.map(function (b) { return b + "meta.js"; }), function () {
      if (yearSel && yearSel.options.length <= 1) {
        var years = {};
        bases.forEach(function (b) {
          var meta = store(b).meta;
          if (meta) meta.years.forEach(function (y) { years[y] = true; });
        });
        Object.keys(years).sort().reverse().forEach(function (y) {
          var o = document.createElement("option");
          o.value = o.textContent = y;
          yearSel.appendChild(o);
        });
      }
      if (yearSel && p.year) yearSel.value = p.year;
      if (groupSel && p.group) groupSel.value = p.group;
      if (input.value) run();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
