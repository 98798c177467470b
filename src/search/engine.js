/* Letopis search engine: the matching and ranking rules of src/search/engine.rs, function by
 * function, for the browser. Pure functions over a loaded index (no page, no loading), so that
 * `node --test tests/browser/engine.test.cjs` checks them without a browser, against the same
 * query -> order vectors as the command line (tests/fixtures/search_vectors.json).
 * ES5 syntax on purpose (no \p{} escapes, no arrow functions, no for-of): an archive is opened
 * for decades in whatever browser an inspector has; a browser that lacks what it calls (Map,
 * String.prototype.normalize, Array.from) is told so by the page (LetopisEngine.supported).
 * Shipped in front of search.js as one classic script. */
var LetopisEngine = (function () {
  "use strict";
  var MIN_PREFIX = 3;
  var ENDINGS = ["ами", "ями", "ыми", "ими", "ого", "его", "ому", "ему", "ом", "ем", "ой", "ей", "ою", "ею",
    "ам", "ям", "ах", "ях", "ым", "им", "ых", "их", "ую", "юю", "ая", "яя", "ое", "ее", "ые",
    "ие", "ий", "ый", "ия", "ию", "ии", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й"];
  var NOUN_ENDINGS = ["ов", "ев"];
  var NOMINATIVE = [["ой", "а"], ["ою", "а"], ["ей", "я"], ["ым", ""], ["им", ""], ["ом", ""], ["ем", ""],
    ["ого", ""], ["ому", ""], ["ым", "ий"], ["ому", "ий"], ["ы", "а"]];
  var NAME_NOMINATIVE = [["е", ""]];
  var LABELS = ["снилс", "рег", "номер"];
  var EXACT = 40, FORM = 30, PREFIX = 20, TYPO = 10, HEAD = 10, MEMBER = 10000, IDENTITY = 100000;
  var LETTER_GAPS = [[0xD7, 0xD7], [0xF7, 0xF7], [0x2000, 0x2BFF], [0x2E00, 0x2E7F], [0x3000, 0x303F],
    [0xD800, 0xF8FF], [0xFE10, 0xFE6F], [0xFF00, 0xFF0F], [0xFF1A, 0xFF20], [0xFF3B, 0xFF40],
    [0xFF5B, 0xFF65], [0xFFF0, 0xFFFF], [0x1F000, 0x1FFFF], [0xE0000, 0x10FFFF]];
  var TR = {"а":"a","б":"b","в":"v","г":"g","д":"d","е":"e","ё":"e","э":"e","ж":"zh","з":"z",
    "и":"i","й":"i","к":"k","л":"l","м":"m","н":"n","о":"o","п":"p","р":"r","с":"s","т":"t",
    "у":"u","ф":"f","х":"kh","ц":"ts","ч":"ch","ш":"sh","щ":"shch","ъ":"","ь":"","ы":"y",
    "ю":"iu","я":"ia"};

  /* The character (one or two UTF-16 units) at `at` of s. */
  function codePoint(s, at) {
    var c = s.charCodeAt(at);
    if (c >= 0xD800 && c <= 0xDBFF && at + 1 < s.length) {
      var d = s.charCodeAt(at + 1);
      if (d >= 0xDC00 && d <= 0xDFFF) return s.slice(at, at + 2);
    }
    return s.charAt(at);
  }
  /* text.rs is_letter */
  function isLetter(ch) {
    var u = ch.length === 2 ? (ch.charCodeAt(0) - 0xD800) * 0x400 + ch.charCodeAt(1) - 0xDC00 + 0x10000 : ch.charCodeAt(0);
    if (u < 0xC0) return (u >= 65 && u <= 90) || (u >= 97 && u <= 122);
    for (var i = 0; i < LETTER_GAPS.length; i++) {
      if (u >= LETTER_GAPS[i][0] && u <= LETTER_GAPS[i][1]) return false;
    }
    return true;
  }
  function isDigit(ch) { return ch >= "0" && ch <= "9" && ch.length === 1; }
  function lower(ch) {
    if (ch === "ё" || ch === "Ё") return "е";
    return ch.toLowerCase().replace(/ё/g, "е");
  }
  /* text.rs words: NFC, lowercase, ё = е, runs of letters or of ASCII digits. With `spans`, the
   * [start, end) offsets of each word in the NFC text too. */
  function scan(s) {
    var text = String(s);
    if (text.normalize) text = text.normalize("NFC");
    var out = [], spans = [], cur = "", curDigit = false, start = 0, pos = 0;
    for (var at = 0; at < text.length; at += ch.length) {
      var ch = codePoint(text, at);
      var kind = isDigit(ch) ? 1 : isLetter(ch) ? 2 : 0;
      if (kind) {
        var digit = kind === 1;
        if (cur && digit !== curDigit) { out.push(cur); spans.push([start, pos]); cur = ""; }
        if (!cur) start = pos;
        curDigit = digit;
        cur += digit ? ch : lower(ch);
      } else if (cur) { out.push(cur); spans.push([start, pos]); cur = ""; }
      pos = at + ch.length;
    }
    if (cur) { out.push(cur); spans.push([start, pos]); }
    return { words: out, spans: spans, text: text };
  }
  function words(s) { return scan(s).words; }
  function chars(s) { return Array.from(s); }
  function len(s) { return chars(s).length; }
  function letters(w) {
    if (!w) return false;
    for (var at = 0, ch; at < w.length; at += ch.length) {
      ch = codePoint(w, at);
      if (!isLetter(ch)) return false;
    }
    return true;
  }
  function isEnding(e, inName) {
    return e === "" || ENDINGS.indexOf(e) >= 0 || (!inName && NOUN_ENDINGS.indexOf(e) >= 0);
  }
  function forms(q, w, inName) {
    var qc = chars(q), from = Math.max(qc.length - 3, MIN_PREFIX);
    for (var cut = qc.length; cut >= from; cut--) {
      var e1 = qc.slice(cut).join("");
      if (!isEnding(e1, inName)) continue;
      var base = qc.slice(0, cut).join("");
      if (w.indexOf(base) === 0 && isEnding(w.slice(base.length), inName)) return [e1, w.slice(base.length)];
    }
    return null;
  }
  function nominative(e, inName) {
    for (var i = 0; i < NOMINATIVE.length; i++) if (NOMINATIVE[i][0] === e[0] && NOMINATIVE[i][1] === e[1]) return true;
    for (var j = 0; inName && j < NAME_NOMINATIVE.length; j++) {
      if (NAME_NOMINATIVE[j][0] === e[0] && NAME_NOMINATIVE[j][1] === e[1]) return true;
    }
    return false;
  }
  function lev1(a, b) {
    a = chars(a); b = chars(b);
    if (Math.abs(a.length - b.length) > 1) return false;
    var p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    var ra = a.slice(p), rb = b.slice(p);
    var j = function (x) { return x.join("\u0000"); };
    return (ra.length <= 1 && rb.length <= 1) || j(ra.slice(1)) === j(rb.slice(1)) ||
      j(ra.slice(1)) === j(rb) || j(ra) === j(rb.slice(1)) ||
      (ra.length >= 2 && rb.length >= 2 && ra[0] === rb[1] && ra[1] === rb[0] && j(ra.slice(2)) === j(rb.slice(2)));
  }
  function initials(t) {
    var i = t.indexOf(":");
    return i < 0 ? null : [t.slice(0, i), t.slice(i + 1)];
  }
  /* How well query token q finds indexed word w (inName: w is in a title or name somewhere). */
  function score(q, w, inName) {
    if (q === w) return EXACT;
    var qi = initials(q), wi = initials(w);
    if (qi && wi) return qi[1] === wi[1] ? score(qi[0], wi[0], true) : 0;
    if (qi || wi) return 0;
    if (!letters(q) || w.charAt(0) === "=") return 0;
    var ql = len(q), wl = len(w);
    var f = letters(w) ? forms(q, w, inName) : null;
    /* The nominative of the form first, then the closer in length. */
    if (f) return nominative(f, inName) ? FORM + 4 : FORM + 3 - Math.min(Math.abs(ql - wl), 3);
    if (ql >= MIN_PREFIX && w.indexOf(q) === 0) return PREFIX;
    if (inName && letters(w) && ql >= 4 && lev1(q, w)) return TYPO;
    return 0;
  }
  /* engine.rs is_year */
  function isYear(w) { return /^(19|20)[0-9][0-9]$/.test(w); }
  /* engine.rs parse: tokens (initials joined to the surname beside them) and the whole query. */
  function parse(query) {
    var ws = words(query), used = [], tokens = [], i = 0;
    var named = ws.filter(function (w) { return LABELS.indexOf(w) < 0; });
    /* engine.rs parse: several words without a digit are no identifier or code. */
    var coded = ws.length <= 1 || ws.some(function (w) { return /[0-9]/.test(w); });
    var whole = coded ? (named.length ? named : ws).join("") : "";
    for (i = 0; i < ws.length; i++) used.push(false);
    function single(w) { return w !== undefined && len(w) === 1 && letters(w); }
    function surname(w) { return w !== undefined && len(w) >= 2 && letters(w); }
    i = 0;
    while (i < ws.length) {
      if (single(ws[i]) && !used[i]) {
        var end = i + 1;
        while (end < ws.length && single(ws[end])) end++;
        if (end - i <= 2) {
          var run = ws.slice(i, end).join(""), at = -1;
          if (i > 0 && !used[i - 1] && surname(ws[i - 1])) at = i - 1;
          else if (surname(ws[end])) at = end;
          if (at >= 0) {
            used[at] = true;
            for (var k = i; k < end; k++) used[k] = true;
            tokens.push(ws[at] + ":" + run);
          }
        }
        i = end;
      } else i++;
    }
    var out = [], seen = {}, next = 0;
    for (var n = 0; n < ws.length; n++) {
      var t = null;
      if (!used[n]) t = ws[n];
      else if (surname(ws[n])) t = tokens[next++];
      if (t !== null && t !== undefined && !seen[t]) { seen[t] = true; out.push(t); }
    }
    /* engine.rs Query.group: the whole query without a year at its start or end. */
    var group = whole;
    if (ws.length > 1 && isYear(ws[0])) group = ws.slice(1).join("");
    else if (ws.length > 1 && isYear(ws[ws.length - 1])) group = ws.slice(0, ws.length - 1).join("");
    return { tokens: out, whole: whole, group: group };
  }
  /* model::slug */
  function slug(s) {
    var out = "", dash = false, cs = chars(String(s).toLowerCase());
    for (var i = 0; i < cs.length; i++) {
      var c = cs[i];
      if (Object.prototype.hasOwnProperty.call(TR, c)) {
        if (TR[c]) { out += TR[c]; dash = false; }
      } else if (/^[a-z0-9]$/.test(c)) { out += c; dash = false; }
      else if (!dash && out) { out += "-"; dash = true; }
    }
    out = out.replace(/-+$/, "");
    return out || "_";
  }
  function source(w) {
    var ini = initials(w);
    if (ini) return source(ini[0]);
    if (!letters(w)) return w;
    var n = len(w);
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (w.length > e.length && w.slice(w.length - e.length) === e && n - len(e) >= MIN_PREFIX) {
        return w.slice(0, w.length - e.length);
      }
    }
    return w;
  }
  function translit(w) { return w.charAt(0) === "~" ? "yr" + slug(w.slice(1)) : slug(source(w)); }
  /* The shard of a word; splits: {key: true} of the split keys. */
  function keyOf(t, splits) {
    var n = Math.min(3, t.length);
    while (splits[t.slice(0, n)] && t.length > n) n++;
    return t.slice(0, n);
  }
  function key(w, splits) { return keyOf(translit(w), splits); }
  function idToken(whole) { return "=" + whole; }
  function yearToken(y) { return "~" + y; }

  /* ---- postings ----
   * gap * 2 + (1 when in the doc's title or names), or a base64 bitmap over all documents (its
   * title flags, when any, in a second postings). Decoded once per entry; a bitmap is tested bit
   * by bit and listed only when it is the rarest word's. */
  function decodeOne(postings) {
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
  /* An entry [word, inName, postings, group, heads?] decoded. */
  function decode(en) {
    if (en.postings) return en.postings;
    var p = decodeOne(en[2]);
    if (p.bits !== undefined && en[4] !== undefined) p.head = decodeOne(en[4]);
    en.postings = p;
    return p;
  }
  /* 0: not in doc; 1: in doc; 2: in doc's title or names. */
  function holds(p, doc) {
    if (p.bits !== undefined) {
      var byte = doc >> 3;
      if (!(byte < p.bits.length && (p.bits.charCodeAt(byte) >> (doc & 7)) & 1)) return 0;
      return p.head && holds(p.head, doc) ? 2 : 1;
    }
    var lo = 0, hi = p.docs.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, d = p.docs[mid];
      if (d === doc) return 1 + p.heads[mid];
      if (d < doc) lo = mid + 1; else hi = mid - 1;
    }
    return 0;
  }
  function listed(p) {
    if (p.docs) return p;
    var docs = [], heads = [];
    for (var b = 0; b < p.bits.length; b++) {
      for (var byte = p.bits.charCodeAt(b), bit = 0; byte; bit++, byte >>= 1) {
        if (byte & 1) {
          var d = b * 8 + bit;
          docs.push(d); heads.push(p.head && holds(p.head, d) ? 1 : 0);
        }
      }
    }
    p.docs = docs; p.heads = heads;
    return p;
  }

  /* engine.rs rank. terms: per token {list: [[score, postings]], size}; identity: postings or
   * null; members: doc numbers or null; keep: doc -> bool or null. Returns [[doc, score]], best
   * first, equal scores in document order. Matching starts from the rarest token; every other
   * token is looked up for those documents only. */
  function rank(terms, identity, members, keep) {
    var scores = new Map();
    if (terms.length) {
      var order = terms.slice().sort(function (a, b) { return a.size - b.size; });
      var first = new Map();
      order[0].list.forEach(function (t) {
        var l = listed(t[1]);
        for (var i = 0; i < l.docs.length; i++) {
          var v = t[0] + (l.heads[i] ? HEAD : 0), had = first.get(l.docs[i]);
          if (!(had >= v)) first.set(l.docs[i], v);
        }
      });
      first.forEach(function (v, doc) {
        var sum = v;
        for (var k = 1; k < order.length; k++) {
          var best = 0, list = order[k].list;
          for (var j = 0; j < list.length; j++) {
            var h = holds(list[j][1], doc);
            if (h) {
              var s = list[j][0] + (h === 2 ? HEAD : 0);
              if (s > best) best = s;
            }
          }
          if (!best) return;
          sum += best;
        }
        scores.set(doc, sum);
      });
    }
    if (members) members.forEach(function (d) { scores.set(d, MEMBER); });
    if (identity) {
      var ids = listed(identity).docs;
      for (var i = 0; i < ids.length; i++) scores.set(ids[i], (scores.get(ids[i]) || 0) + IDENTITY);
    }
    var out = [];
    scores.forEach(function (s, d) { if (!keep || keep(d)) out.push([d, s]); });
    out.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return out;
  }

  /* ---- one archive's loaded index ----
   * store: {splits: {key: true}, shards: {key: entries}, groups: {slug: [docs]}}. */
  /* The shard keys a query needs: its tokens', its identifier's and its whole word's. */
  function plan(store, query) {
    var q = typeof query === "string" ? parse(query) : query, keys = [], seen = {};
    function add(k) { if (!seen[k]) { seen[k] = true; keys.push(k); } }
    q.tokens.forEach(function (t) { add(key(t, store.splits)); });
    if (q.whole) { add(key(idToken(q.whole), store.splits)); add(key(q.whole, store.splits)); }
    if (q.group && q.group !== q.whole) { add(key(idToken(q.group), store.splits)); add(key(q.group, store.splits)); }
    return { query: q, keys: keys };
  }
  function entry(store, word) {
    var entries = store.shards[key(word, store.splits)] || [];
    for (var i = 0; i < entries.length; i++) if (entries[i][0] === word) return entries[i];
    return null;
  }
  /* The slug of the group whose code the whole query is (its g-*.js is needed), or null. */
  function groupOf(store, q) {
    var en = q.group ? entry(store, q.group) : null;
    return en && en[3] ? en[3] : null;
  }
  /* Runs a query on a store holding its shards (and the file of groupOf, and of the group
   * filter `only`, a slug). Returns {ranked: [[doc, score]], matched: {word: true}}. */
  function run(store, query, only) {
    var q = typeof query === "string" ? parse(query) : query, matched = {}, terms = [];
    for (var k = 0; k < q.tokens.length; k++) {
      var t = q.tokens[k], entries = store.shards[key(t, store.splits)] || [], list = [], size = 0;
      for (var e = 0; e < entries.length; e++) {
        var en = entries[e], sc = score(t, en[0], en[1] === 1);
        if (!sc) continue;
        list.push([sc, en]);
      }
      /* engine.rs no_typos_beside_better */
      if (list.some(function (x) { return x[0] > TYPO; })) list = list.filter(function (x) { return x[0] > TYPO; });
      for (var m = 0; m < list.length; m++) {
        var ini = initials(list[m][1][0]);
        matched[ini ? ini[0] : list[m][1][0]] = true;
        list[m][1] = decode(list[m][1]);
        size += list[m][1].size;
      }
      terms.push({ list: list, size: size });
    }
    var any = terms.every(function (t) { return t.list.length > 0; });
    var id = q.whole ? entry(store, idToken(q.whole)) : null;
    var g = groupOf(store, q);
    var members = g ? store.groups[g] || [] : null;
    /* engine.rs: `ГР-0501 2025` identifies the group's own page. */
    if (!id && g && q.group !== q.whole) id = entry(store, idToken(q.group));
    var keep = null;
    if (only) {
      var set = {}, glist = store.groups[only] || [];
      for (var i = 0; i < glist.length; i++) set[glist[i]] = true;
      keep = function (d) { return set[d] === true; };
    }
    var ranked = rank(any ? terms : [], id ? decode(id) : null, members, keep);
    return { ranked: ranked, matched: matched };
  }

  /* What the engine calls beyond ES5. */
  var supported = typeof Map === "function" && typeof Array.from === "function" &&
    typeof String.prototype.normalize === "function" && typeof atob === "function";
  var E = { supported: supported, MIN_PREFIX: MIN_PREFIX, ENDINGS: ENDINGS, EXACT: EXACT, FORM: FORM, PREFIX: PREFIX, TYPO: TYPO,
    HEAD: HEAD, MEMBER: MEMBER, IDENTITY: IDENTITY, isLetter: isLetter, scan: scan, words: words,
    letters: letters, forms: forms, lev1: lev1, score: score, parse: parse, slug: slug, source: source,
    translit: translit, keyOf: keyOf, key: key, idToken: idToken, yearToken: yearToken, entry: entry, decode: decode, holds: holds,
    listed: listed, rank: rank, plan: plan, groupOf: groupOf, run: run };
  if (typeof module === "object" && module.exports) module.exports = E;
  return E;
})();
