// Browser search benchmark. For each query and each run, a fresh page (cold: nothing cached in
// the page) opens the archive's search.html by file:// in the system Chromium, then:
// - typed: the query is put into the box as one keystroke would (one input event); the page
//   requests the words' shards at once and searches 120 ms later;
// - address: search.html?q=... is opened (a bookmark or a link), nothing loaded before.
// Reported, median and slowest of the runs: for typed, the runtime's own timing (Letopis.last.ms:
// from the start of the search to the results on the page); for address, the time from opening
// the page to the results on it (Letopis.last.at), page load included. And the bytes of every
// script the query loaded (including search.js).
// Usage: node benches/search_browser.cjs /path/to/data/search.html [--runs N] [query...]
const { chromium } = require("../tests/browser/node_modules/playwright-core");
const fs = require("fs");

(async () => {
  const args = process.argv.slice(2);
  let runs = 5;
  const i = args.indexOf("--runs");
  if (i >= 0) { runs = Number(args[i + 1]); args.splice(i, 2); }
  const [page_, ...qs] = args;
  const queries = qs.length ? qs : ["Смирнова", "Смирновой", "Иванову Анну", "безопасности", "пк"];
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const runtime = fs.statSync(page_.replace(/search\.html$/, "search/search.js")).size;
  const size = (u) => { try { return fs.statSync(decodeURIComponent(u.replace("file://", ""))).size; } catch (e) { return 0; } };
  const done = (q) => window.Letopis && Letopis.last && Letopis.last.query === q;
  async function once(q, mode) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    if (mode === "typed") {
      await page.goto("file://" + page_);
      await page.waitForFunction(() => window.Letopis && Object.values(Letopis.stores).some((s) => s.meta));
      await page.fill("#q", q);
    } else {
      await page.goto("file://" + page_ + "?q=" + encodeURIComponent(q));
    }
    await page.waitForFunction(done, q, { timeout: 30000 });
    const r = await page.evaluate((mode) => ({ ms: mode === "typed" ? Letopis.last.ms : Letopis.last.at, loaded: Letopis.loaded,
      status: document.querySelector(".search-status").textContent }), mode);
    await ctx.close();
    return r;
  }
  const pad = (x) => x.toFixed(1).padStart(6);
  console.log(`${"query".padEnd(26)} ${"typed: median / max ms".padStart(22)} ${"address, page opened to results".padStart(24)}  kB loaded`);
  for (const q of queries) {
    const out = {};
    let last;
    for (const mode of ["typed", "address"]) {
      const ms = [];
      for (let k = 0; k < runs; k++) { last = await once(q, mode); ms.push(last.ms); }
      ms.sort((a, b) => a - b);
      out[mode] = `${pad(ms[(ms.length - 1) >> 1])} / ${pad(ms[ms.length - 1])}`;
    }
    const bytes = last.loaded.reduce((s, u) => s + size(u), 0) + runtime;
    console.log(`${q.padEnd(26)} ${out.typed.padStart(22)} ${out.address.padStart(24)}  ${(bytes / 1000).toFixed(1).padStart(6)} ` +
      `(${last.loaded.length} files + search.js)  ${last.status}`);
  }
  console.log(`search.js: ${(runtime / 1000).toFixed(1)} kB; ${runs} runs per query and mode`);
  await browser.close();
})().catch((e) => { console.error(String(e)); process.exit(1); });
