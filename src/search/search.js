/* Letopis archive search. Classic script, works from file:// (no fetch, no modules, no workers):
 * the index is split into small scripts (search/s-*.js, d-*.js, g-*.js, meta.js) that this runtime
 * adds to the page on demand; each calls a global function with its data.
 * Normalisation and matching follow src/search/text.rs: lowercase, ё = е, runs of letters or
 * digits; a query word finds an indexed word when equal, when it is another case form of it (it
 * starts with the word's Snowball stem and adds at most 4 letters), when it is a prefix of it (as
 * you type), or, for names, when one letter differs. */
(function () {
  "use strict";
  var MAX_ENDING = 4, MIN_PREFIX = 3, LIMIT = 20;
  var TR = {"а":"a","б":"b","в":"v","г":"g","д":"d","е":"e","ё":"e","э":"e","ж":"zh","з":"z",
    "и":"i","й":"i","к":"k","л":"l","м":"m","н":"n","о":"o","п":"p","р":"r","с":"s","т":"t",
    "у":"u","ф":"f","х":"kh","ц":"ts","ч":"ch","ш":"sh","щ":"shch","ъ":"","ь":"","ы":"y",
    "ю":"iu","я":"ia"};
  var WORD = /[\p{L}\p{M}]+|\p{N}+/gu;

  function norm(w) { return w.toLowerCase().replace(/ё/g, "е"); }
  function words(s) {
    var m = String(s).match(WORD) || [], out = [];
    for (var i = 0; i < m.length; i++) out.push(norm(m[i]));
    return out;
  }
  /* The same transliteration as model::slug. */
  function slug(s) {
    var out = "", dash = false, chars = Array.from(String(s).toLowerCase());
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (Object.prototype.hasOwnProperty.call(TR, c)) {
        if (TR[c]) { out += TR[c]; dash = false; }
      } else if (/[a-z0-9]/.test(c)) { out += c; dash = false; }
      else if (!dash && out) { out += "-"; dash = true; }
    }
    out = out.replace(/-+$/, "");
    return out || "_";
  }
  /* The shard of a word: the first 3 letters of its transliteration, one more while that shard
   * was split (meta.splits), as src/search/browser.rs shard_key. */
  function shardKey(w, splits) {
    var t = slug(w), n = Math.min(3, t.length);
    while (splits[t.slice(0, n)] && t.length > n) n++;
    return t.slice(0, n);
  }
  function len(s) { return Array.from(s).length; }
  function lev1(a, b) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > 1) return false;
    var p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    var ra = a.slice(p).join(""), rb = b.slice(p).join("");
    var A = Array.from(ra), B = Array.from(rb);
    if (A.slice(1).join("") === B.slice(1).join("")) return true;
    if (A.slice(1).join("") === rb || ra === B.slice(1).join("")) return true;
    return A.length >= 2 && B.length >= 2 && A[0] === B[1] && A[1] === B[0] &&
      A.slice(2).join("") === B.slice(2).join("");
  }
  /* How well query word q finds indexed word w (stem keeps stemLen letters): 0 = not at all. */
  function score(q, w, stemLen, inName) {
    if (q === w) return 4;
    var ql = len(q);
    if (/^\p{N}+$/u.test(q)) return 0;
    if (stemLen >= MIN_PREFIX && ql >= stemLen && ql - stemLen <= MAX_ENDING &&
        q.indexOf(Array.from(w).slice(0, stemLen).join("")) === 0) {
      /* The longer the stem shared, the closer the form: смирновой is nearer смирнова than смирнов. */
      return 3 + (MAX_ENDING - (ql - stemLen)) / 10;
    }
    if (ql >= MIN_PREFIX && w.indexOf(q) === 0) return 2;
    if (inName && ql >= 4 && lev1(q, w)) return 1;
    return 0;
  }

  /* ---- loading scripts ---- */
  var stores = {};          /* base URL of a search/ folder -> its data */
  var requested = {};       /* script URL -> [callbacks] or true when done */
  var L = window.Letopis = { loaded: [], words: words, slug: slug, score: score, stores: stores };

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
  /* Postings: gap * 2 + (1 when the word is in the doc's title or names), or a base64 bitmap
   * over all documents (common words; no title flag). Decoded into lists, or kept as the
   * bitmap's bytes and tested bit by bit: a common word is only ever looked up for the documents
   * that the query's rarest word found, never listed whole unless it is the rarest. */
  function decode(postings) {
    if (typeof postings === "string") {
      var bin = atob(postings), count = 0;
      for (var b = 0; b < bin.length; b++) {
        for (var byte = bin.charCodeAt(b); byte; byte &= byte - 1) count++;
      }
      return { bits: bin, size: count };
    }
    var docs = new Array(postings.length), heads = new Array(postings.length), v = 0;
    for (var i = 0; i < postings.length; i++) {
      v += postings[i] >> 1; docs[i] = v; heads[i] = postings[i] & 1;
    }
    return { docs: docs, heads: heads, size: postings.length };
  }
  /* 1 + the title flag when postings p hold doc, else 0. */
  function holds(p, doc) {
    if (p.bits !== undefined) {
      var byte = doc >> 3;
      return byte < p.bits.length && (p.bits.charCodeAt(byte) >> (doc & 7)) & 1 ? 1 : 0;
    }
    var lo = 0, hi = p.docs.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, d = p.docs[mid];
      if (d === doc) return 1 + p.heads[mid];
      if (d < doc) lo = mid + 1; else hi = mid - 1;
    }
    return 0;
  }
  /* The docs and title flags of postings p as lists, in increasing doc order (a bitmap's are
   * listed once, when needed). */
  function listed(p) {
    if (p.docs) return p;
    var docs = [], heads = [];
    for (var b = 0; b < p.bits.length; b++) {
      for (var byte = p.bits.charCodeAt(b), bit = 0; byte; bit++, byte >>= 1) {
        if (byte & 1) { docs.push(b * 8 + bit); heads.push(0); }
      }
    }
    p.docs = docs; p.heads = heads;
    return p;
  }

  function uniqueWords(query) {
    var seen = {};
    return words(query).filter(function (q) { if (seen[q]) return false; seen[q] = true; return true; });
  }
  /* Loads what query words qs need from the archive at `base` (meta.js, the shard of each word,
   * the file of group gslug and of a group whose code a word is), then calls cb(shard keys).
   * `settled` loads only the shards a longer word would still use (no short or split key): the
   * page calls it on every keystroke, so that the search that follows finds them loaded. */
  function fetchWords(base, qs, gslug, settled, cb) {
    var s = store(base);
    load(base + "meta.js", function () {
      var splits = s.splits, short = s.short, urls = [], keys = [], i;
      for (i = 0; i < qs.length; i++) {
        var key = shardKey(qs[i], splits);
        keys.push(key);
        /* Keys shorter than three letters have a shard only when meta.short lists them. */
        if (short && key.length < 3 && !short[key]) continue;
        if (settled && (key.length < 3 || splits[key])) continue;
        urls.push(base + "s-" + key + ".js");
      }
      if (gslug) urls.push(base + "g-" + gslug + ".js");
      loadAll(urls, function () {
        /* A query word that is the code of one group (shard entries name it): that group's file
         * holds the rows of its scattered records, which such a query mostly finds. */
        var more = [];
        for (var k = 0; k < qs.length; k++) {
          var entries = s.shards[keys[k]] || [];
          for (var e = 0; e < entries.length; e++) {
            if (entries[e][0] === qs[k] && entries[e][4] && !s.groups[entries[e][4]]) more.push(base + "g-" + entries[e][4] + ".js");
          }
        }
        loadAll(more, function () { cb(keys); });
      });
    });
  }
  /* What the page does on every keystroke: requests the shards of the words typed so far and,
   * once every word's shard is there, runs the search without showing it, which loads the rows
   * of its first results. The search that follows the last keystroke then finds its files
   * loaded (a word typed on finds the same shard and mostly the same rows). */
  L.prefetch = function (bases, query, opts) {
    var qs = uniqueWords(query);
    bases.forEach(function (base) {
      fetchWords(base, qs, null, true, function (keys) {
        var s = store(base);
        if (qs.length && keys.every(function (k) { return s.shards[k]; })) searchArchive(base, query, opts, function () {});
      });
    });
  };

  /* Searches the archive whose search/ folder is at `base`. opts: year, group, limit.
   * Calls back with {archive, period, title, total, hits: [{kind, title, url, groups, years, snippet,
   * score}], matched: {normalised word: true}}. */
  function searchArchive(base, query, opts, cb) {
    var qs = uniqueWords(query), s = store(base), gslug = opts.group ? slug(opts.group) : null;
    fetchWords(base, qs, gslug, false, collect);
    function collect(keys) {
      var result = { archive: s.archive, period: s.meta ? s.meta.period : "", title: s.meta ? s.meta.title || s.meta.period : "",
        total: 0, hits: [], matched: {} };
      if (!qs.length || !s.meta) { cb(result); return; }
      /* Each query word's matching index words: [score, postings]. */
      var terms = [];
      for (var k = 0; k < qs.length; k++) {
        var q = qs[k], entries = s.shards[keys[k]] || [], list = [], size = 0;
        for (var e = 0; e < entries.length; e++) {
          var en = entries[e], sc = score(q, en[0], en[1], en[2]);
          if (!sc) continue;
          result.matched[en[0]] = true;
          /* Decoded once per shard entry: the search after the keystrokes reuses it. */
          var p = en.postings || (en.postings = decode(en[3]));
          list.push([sc, p]);
          size += p.size;
        }
        if (!list.length) { cb(result); return; }
        terms.push({ list: list, size: size });
      }
      /* Every word must match: start from the rarest word's documents (the best score among its
       * matching words, plus one when in the title), then keep those every other word holds. */
      terms.sort(function (a, b) { return a.size - b.size; });
      var found, found0, i2, first = terms[0].list;
      if (first.length === 1) {
        var one = listed(first[0][1]);
        found = one.docs;
        found0 = one.heads.map(function (h) { return first[0][0] + h; });
      } else {
        var best0 = new Map();
        first.forEach(function (t) {
          var l = listed(t[1]);
          for (var d = 0; d < l.docs.length; d++) {
            var v = t[0] + l.heads[d], had = best0.get(l.docs[d]);
            if (!(had >= v)) best0.set(l.docs[d], v);
          }
        });
        found = Array.from(best0.keys()).sort(function (a, b) { return a - b; });
        found0 = found.map(function (d) { return best0.get(d); });
      }
      var inGroup = null;
      if (gslug) {
        inGroup = {};
        var glist = s.groups[gslug] || [];
        for (i2 = 0; i2 < glist.length; i2++) inGroup[glist[i2]] = true;
      }
      /* Best first; equal scores in document order (kind, then who): one bucket per score. */
      var buckets = {}, scores = [];
      for (var f = 0; f < found.length; f++) {
        var doc = found[f], sum = found0[f];
        if (inGroup && !inGroup[doc]) continue;
        for (var t = 1; t < terms.length && sum; t++) {
          var best = 0, tl = terms[t].list;
          for (var j = 0; j < tl.length; j++) {
            var h = holds(tl[j][1], doc);
            if (h && tl[j][0] + h - 1 > best) best = tl[j][0] + h - 1;
          }
          sum = best ? sum + best : 0;
        }
        if (!sum) continue;
        if (!buckets[sum]) { buckets[sum] = []; scores.push(sum); }
        buckets[sum].push(doc);
      }
      scores.sort(function (a, b) { return b - a; });
      var ranked = [], rankedScore = [];
      for (i2 = 0; i2 < scores.length; i2++) {
        var bucket = buckets[scores[i2]];
        for (var r = 0; r < bucket.length; r++) { ranked.push(bucket[r]); rankedScore.push(scores[i2]); }
      }
      var limit = opts.limit || LIMIT, per = s.meta.per, pos = 0;
      function rowOf(n) {
        var rows = s.docs[Math.floor(n / per)];
        return (rows && rows[n % per]) || s.rows[n];
      }
      function more() {
        /* Only the rows still wanted (twice as many when a year filter may skip some). */
        var want = {}, batch = [], wanted = (limit - result.hits.length) * (opts.year ? 2 : 1);
        var end = Math.min(ranked.length, pos + wanted);
        for (var j = pos; j < end; j++) {
          var f = Math.floor(ranked[j] / per);
          if (!want[f] && !s.docs[f] && !s.rows[ranked[j]]) { want[f] = true; batch.push(base + "d-" + f + ".js"); }
        }
        loadAll(batch, function () {
          for (; pos < end && result.hits.length < limit; pos++) {
            var n = ranked[pos];
            var row = rowOf(n);
            if (!row) continue;
            if (opts.year && (", " + row[4] + ", ").indexOf(", " + opts.year + ", ") < 0) continue;
            result.hits.push({ kind: row[0], title: row[1], url: dataBase(base) + row[2],
              groups: row[3], years: row[4], snippet: row[5], score: rankedScore[pos] });
          }
          if (result.hits.length < limit && pos < ranked.length) { more(); return; }
          result.total = opts.year ? result.hits.length + (ranked.length - pos) : ranked.length;
          cb(result);
        });
      }
      more();
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
  var T = EN ? { found: "Found", nothing: "Nothing found.", group: "group", year: "year", more: "more results not shown; refine the query" }
    : { found: "Найдено", nothing: "Ничего не найдено.", group: "группа", year: "год", more: "результатов не показано; уточните запрос" };

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  /* Escapes text and wraps the words that matched in <mark>. */
  function highlight(text, matched) {
    var out = "", last = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      out += esc(text.slice(last, m.index));
      out += matched[norm(m[0])] ? "<mark>" + esc(m[0]) + "</mark>" : esc(m[0]);
      last = m.index + m[0].length;
    }
    return out + esc(text.slice(last));
  }
  L.highlight = highlight;

  /* About 120 characters of the snippet, starting a little before its first matched word. */
  function around(text, matched) {
    var chars = Array.from(text), max = 120;
    if (chars.length <= max) return text;
    var m, first = -1;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      if (matched[norm(m[0])]) { first = Array.from(text.slice(0, m.index)).length; break; }
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
        html += "<li class=\"search-hit\"><a href=\"" + esc(h.url) + "\">" + highlight(h.title, r.matched) +
          "</a> <span class=\"search-kind\">" + esc(KIND[h.kind] || h.kind) + "</span>" +
          (h.groups ? " · " + T.group + " " + esc(h.groups) : "") +
          (h.years ? " · " + T.year + " " + esc(h.years) : "") +
          (h.snippet ? "<br><span class=\"search-snippet\">" + highlight(around(h.snippet, r.matched), r.matched) + "</span>" : "") +
          "</li>";
      }
      html += "</ol>";
    }
    var status = count ? T.found + ": " + total + (total > count ? " (" + (total - count) + " " + T.more + ")" : "")
      : T.nothing;
    box.innerHTML = "<p class=\"search-status\" data-ms=\"" + ms.toFixed(1) + "\">" + esc(status) + "</p>" + html;
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
    /* A medium's index.html lists the search/ folders of its archives, newest first. */
    var bases = (window.LETOPIS_ARCHIVES || [ownBase]).map(function (b) {
      var a = document.createElement("a"); a.href = b; return a.href;
    });
    var p = params(), seq = 0, timer = null;
    if (p.q) input.value = p.q;
    function selected(sel) { return sel && sel.value ? sel.value : ""; }
    function options() { return { year: selected(yearSel), group: selected(groupSel), limit: LIMIT }; }
    function run() {
      var q = input.value, id = ++seq, t0 = performance.now();
      if (!words(q).length) { box.innerHTML = ""; return; }
      searchAll(bases, q, options(), function (results) {
        if (id !== seq) return;
        render(box, results, performance.now() - t0);
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
    if (yearSel) yearSel.addEventListener("change", run);
    if (groupSel) groupSel.addEventListener("change", run);
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
