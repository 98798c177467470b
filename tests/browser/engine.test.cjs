// The browser search engine (src/search/engine.js) without a browser: `node --test`.
// Run by tests/search_engine.rs, which builds the sample archive and passes its data/search folder
// (LETOPIS_SEARCH_DIR) and the query -> order vectors the command line is tested against
// (LETOPIS_VECTORS). Without those, only the unit tests run.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const root = path.join(__dirname, "..", "..");
const E = require(path.join(root, "src/search/engine.js"));

test("an old browser is told plainly: the page says so when the engine lacks what it calls", () => {
  assert.strictEqual(E.supported, true);
  const src = fs.readFileSync(path.join(root, "src/search/engine.js"), "utf8") +
    fs.readFileSync(path.join(root, "src/search/search.js"), "utf8");
  const box = { innerHTML: "" };
  const el = (id) => ({ q: {}, "search-form": {}, "search-results": box }[id] || null);
  const ctx = vm.createContext({
    window: {}, atob: undefined, Map: undefined, Array: Array, String: String, Object: Object, Math: Math,
    document: { readyState: "complete", documentElement: { lang: "ru" }, currentScript: null, getElementById: el },
  });
  vm.runInContext(src, ctx);
  assert.match(box.innerHTML, /Этот браузер слишком старый для поиска/);
});

test("words: NFC, lowercase, ё = е, runs of letters or ASCII digits (text.rs words)", () => {
  assert.deepStrictEqual(E.words("ПК-12"), ["пк", "12"]);
  assert.deepStrictEqual(E.words("Семёнова Алёна"), ["семенова", "алена"]);
  assert.deepStrictEqual(E.words("ÄÖ straße Ǆ x² №5 «Ёж»"), ["äö", "straße", "ǆ", "x", "5", "еж"]);
  assert.deepStrictEqual(E.words("Андре\u0438\u0306"), ["андрей"]);
  assert.deepStrictEqual(E.words("  "), []);
});

test("score: forms of surnames, not of other names (engine.rs score)", () => {
  for (const q of ["смирнов", "смирнова", "смирнову", "смирновым", "смирновой"]) {
    for (const w of ["смирнов", "смирнова"]) assert.ok(E.score(q, w, true) >= E.FORM, q + " → " + w);
  }
  assert.strictEqual(E.score("петрова", "петр", true), 0);
  assert.strictEqual(E.score("петрова", "петровна", true), E.TYPO);
  assert.strictEqual(E.score("смирновский", "смирнов", true), 0);
  assert.ok(E.score("безопасности", "безопасность", false) >= E.FORM);
  assert.ok(E.score("документов", "документ", false) >= E.FORM);
  assert.strictEqual(E.score("петров", "петр", true), 0);
  assert.ok(E.score("кузнецове", "кузнецов", true) > E.score("кузнецове", "кузнецова", true));
  assert.strictEqual(E.score("пет", "петрова", true), E.PREFIX);
  assert.strictEqual(E.score("смирнва", "смирнова", true), E.TYPO);
  assert.strictEqual(E.score("0501", "05012", false), 0);
  assert.ok(E.score("белоусовой:аа", "белоусова:аа", true) >= E.FORM);
  assert.strictEqual(E.score("белоусова:ав", "белоусова:аа", true), 0);
  assert.strictEqual(E.score("белоусова", "белоусова:аа", true), 0);
  assert.ok(E.lev1("смирнова", "смирнвоа"));
  assert.ok(!E.lev1("abcd", "badc"));
});

test("parse: initials join the surname (engine.rs parse)", () => {
  for (const q of ["Белоусова А. А.", "Белоусова А.А.", "А. А. Белоусова", "а.а.белоусова"]) {
    assert.deepStrictEqual(E.parse(q).tokens, ["белоусова:аа"], q);
  }
  assert.deepStrictEqual(E.parse("Новиков В.").tokens, ["новиков:в"]);
  assert.deepStrictEqual(E.parse("Новиков В. В. ПК").tokens, ["новиков:вв", "пк"]);
  assert.strictEqual(E.parse("ЛД-2025-019").whole, "лд2025019");
  assert.strictEqual(E.parse("СНИЛС 241-532-728 42").whole, "24153272842");
  assert.strictEqual(E.parse("снилс").whole, "снилс");
  assert.strictEqual(E.parse("П. Ф. Яковлев").whole, "");
  assert.strictEqual(E.parse("ГР-0501 2025").group, "гр0501");
  assert.strictEqual(E.parse("2025 ПП-БУ-25-1").group, "ппбу251");
  assert.strictEqual(E.parse("ПК-25/001").group, "пк25001");
  assert.strictEqual(E.parse("ГР0501 2025").group, "гр0501");
  assert.strictEqual(E.parse("2025").group, "2025");
  assert.deepStrictEqual(E.parse("а б в г").tokens, ["а", "б", "в", "г"]);
});

test("shard keys: the forms of a surname share one (engine.rs key)", () => {
  for (const w of ["смирнов", "смирнова", "смирновой", "смирновым", "смирнов:аа"]) {
    assert.strictEqual(E.source(w), "смирнов", w);
  }
  assert.strictEqual(E.translit("=лд2025019"), "ld2025019");
  assert.strictEqual(E.translit(E.yearToken(2025)), "yr2025");
  assert.strictEqual(E.key("смирновой", { smi: true, smir: true }), "smirn");
});

test("rank: identity, then the group's records, then by words (engine.rs rank)", () => {
  const p = (docs, heads) => ({ docs, heads, size: docs.length });
  const terms = [{ list: [[40, p([0, 1, 5], [0, 1, 0])]], size: 3 }];
  const r = E.rank(terms, p([7], [0]), [5, 3], null);
  assert.deepStrictEqual(r, [[7, E.IDENTITY], [3, E.MEMBER], [5, E.MEMBER], [1, 50], [0, 40]]);
});

test("the shipped scripts parse as ES2017, indeed as ES5 (no \\p{} escapes, optional chaining, ...)", () => {
  const acorn = require("acorn");
  for (const f of ["src/search/engine.js", "src/search/search.js"]) {
    const src = fs.readFileSync(path.join(root, f), "utf8");
    assert.doesNotThrow(() => acorn.parse(src, { ecmaVersion: 2017 }), f);
    assert.doesNotThrow(() => acorn.parse(src, { ecmaVersion: 5 }), f + " as ES5");
  }
  assert.throws(() => acorn.parse("var a = b?.c;", { ecmaVersion: 2017 }));
  assert.throws(() => acorn.parse("var r = /\\p{L}/u;", { ecmaVersion: 2017 }));
});

/* Loads a whole browser index folder (all of it: the sample is small) as the page would. */
function loadStore(dir) {
  const s = { meta: null, splits: {}, shards: {}, groups: {}, docs: {}, rows: {} };
  const ctx = vm.createContext({
    letopisMeta(archive, meta) {
      s.meta = meta;
      (meta.splits || []).forEach((k) => { s.splits[k] = true; });
    },
    letopisShard(archive, key, entries) { s.shards[key] = entries; },
    letopisDocs(archive, n, rows) { s.docs[n] = rows; },
    letopisGroup(archive, g, list, rows) {
      s.groups[g] = list;
      (rows || []).forEach((r) => { s.rows[r[0]] = r[1]; });
    },
  });
  for (const f of fs.readdirSync(dir).sort()) {
    if (/^(meta|[sdg]-.*)\.js$/.test(f)) vm.runInContext(fs.readFileSync(path.join(dir, f), "utf8"), ctx);
  }
  return s;
}

const dir = process.env.LETOPIS_SEARCH_DIR, vectorsFile = process.env.LETOPIS_VECTORS;
test("the vectors: the same first record and order as the command line", { skip: !dir || !vectorsFile }, () => {
  const s = loadStore(dir);
  const row = (n) => (s.docs[Math.floor(n / s.meta.per)] || [])[n % s.meta.per] || s.rows[n];
  const wrong = [];
  for (const v of JSON.parse(fs.readFileSync(vectorsFile, "utf8"))) {
    const found = E.run(s, v.query, null);
    const pages = found.ranked.slice(0, 10).map((r) => row(r[0])[2]);
    if (v.first && pages[0] !== v.first) wrong.push(`${v.query}: ${v.first} must come first, got ${pages}`);
    if (JSON.stringify(pages) !== JSON.stringify(v.order)) wrong.push(`${v.query}: expected ${v.order}, got ${pages}`);
  }
  assert.deepStrictEqual(wrong, []);
});
