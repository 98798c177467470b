// Browser search benchmark. For each query and each run, a fresh page (cold: nothing cached in
// the page) opens the archive's search.html by file:// in the system Chromium, and one of:
// - typed: the query is put into the box as one keystroke would (one input event); the page
//   requests what the words need at once and shows the results 120 ms later. Timed by the
//   runtime (Letopis.last.ms): from the start of that search to the results on the page.
// - cold: on the loaded, idle page, Letopis.searchAll runs the query with nothing loaded but
//   meta.js, so every round of script loads is in the time (start to results, not drawn).
// - address: search.html?q=... is opened (a bookmark or a link): the time from opening the
//   page to the results on it (Letopis.last.at), page load included.
// - groups: after the typed search, the group filter is focused (as a user about to choose a
//   group): the time from then to the results redrawn with a count per group (groups.js loaded
//   on first use, then every result's group counted).
// Reported: median and slowest of the runs, and the bytes of every script the query loaded
// (including search.js).
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
    let r;
    if (mode === "address") {
      await page.goto("file://" + page_ + "?q=" + encodeURIComponent(q));
      await page.waitForFunction(done, q, { timeout: 30000 });
      r = await page.evaluate(() => ({ ms: Letopis.last.at, loaded: Letopis.loaded,
        status: document.querySelector(".search-status").textContent }));
    } else {
      await page.goto("file://" + page_);
      await page.waitForFunction(() => window.Letopis && Object.values(Letopis.stores).some((s) => s.meta));
      await page.waitForTimeout(100);
      if (mode === "typed" || mode === "groups") {
        await page.fill("#q", q);
        await page.waitForFunction(done, q, { timeout: 30000 });
        r = await page.evaluate(() => ({ ms: Letopis.last.ms, loaded: Letopis.loaded,
          status: document.querySelector(".search-status").textContent }));
        if (mode === "groups") {
          const t0 = await page.evaluate(() => performance.now());
          await page.focus("#group");
          await page.waitForFunction((t) => Letopis.last.at > t, t0, { timeout: 30000 });
          r.ms = await page.evaluate((t) => Letopis.last.at - t, t0);
        }
      } else {
        r = await page.evaluate((q) => new Promise((resolve) => {
          const t0 = performance.now();
          Letopis.searchAll(Object.keys(Letopis.stores), q, { limit: 20 }, (results) => {
            resolve({ ms: performance.now() - t0, loaded: Letopis.loaded,
              status: results.map((x) => x.total + " found").join(", ") });
          });
        }), q);
      }
    }
    await ctx.close();
    return r;
  }
  const pad = (x) => x.toFixed(1).padStart(6);
  const stat = (xs) => { xs.sort((a, b) => a - b); return `${pad(xs[(xs.length - 1) >> 1])} / ${pad(xs[xs.length - 1])}`; };
  console.log(`${"query".padEnd(26)} ${"typed".padStart(15)} ${"cold".padStart(15)} ${"address".padStart(15)} ${"groups".padStart(15)}  kB loaded` +
    `\n${"".padEnd(26)} ${"median / max ms".padStart(15)} ${"median / max ms".padStart(15)} ${"median / max ms".padStart(15)} ${"median / max ms".padStart(15)}`);
  for (const q of queries) {
    const ms = { typed: [], cold: [], address: [], groups: [] };
    let last;
    for (const mode of ["groups", "cold", "address", "typed"]) {
      for (let k = 0; k < runs; k++) { last = await once(q, mode); ms[mode].push(last.ms); }
    }
    const bytes = last.loaded.reduce((s, u) => s + size(u), 0) + runtime;
    console.log(`${q.padEnd(26)} ${stat(ms.typed).padStart(15)} ${stat(ms.cold).padStart(15)} ${stat(ms.address).padStart(15)} ${stat(ms.groups).padStart(15)}  ` +
      `${(bytes / 1000).toFixed(1).padStart(6)} (${last.loaded.length} files + search.js)  ${last.status}`);
  }
  console.log(`search.js: ${(runtime / 1000).toFixed(1)} kB; ${runs} runs per query and mode`);
  await browser.close();
})().catch((e) => { console.error(String(e)); process.exit(1); });
