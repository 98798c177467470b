// Browser search benchmark: for each query, a fresh page (cold: nothing cached in the page) opens
// the archive's search.html by file:// in the system Chromium, the query is typed, and the
// runtime's own timing (Letopis.last.ms: from the last keystroke's search to results) and the
// bytes of every script it loaded are reported.
// Usage: node benches/search_browser.cjs /path/to/data/search.html [query...]
const { chromium } = require("../tests/browser/node_modules/playwright-core");
const fs = require("fs");

(async () => {
  const [page_, ...qs] = process.argv.slice(2);
  const queries = qs.length ? qs : ["Смирнова", "Смирновой", "Иванову Анну", "безопасности", "пк"];
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  for (const q of queries) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto("file://" + page_);
    await page.fill("#q", q);
    await page.dispatchEvent("#q", "input");
    await page.waitForFunction((q) => window.Letopis && Letopis.last && Letopis.last.query === q, q,
      { timeout: 30000 });
    const r = await page.evaluate(() => ({ ms: Letopis.last.ms, loaded: Letopis.loaded,
      hits: document.querySelectorAll(".search-hit").length,
      status: document.querySelector(".search-status").textContent }));
    const size = (u) => { try { return fs.statSync(decodeURIComponent(u.replace("file://", ""))).size; } catch (e) { return 0; } };
    const bytes = r.loaded.reduce((s, u) => s + size(u), 0);
    const runtime = fs.statSync(page_.replace(/search\.html$/, "search/search.js")).size;
    console.log(`${q.padEnd(28)} ${r.ms.toFixed(1).padStart(7)} ms  ${((bytes + runtime) / 1000).toFixed(1).padStart(7)} kB` +
      ` (${r.loaded.length} shards + search.js ${(runtime / 1000).toFixed(1)} kB)  ${r.status}`);
    await ctx.close();
  }
  await browser.close();
})().catch((e) => { console.error(String(e)); process.exit(1); });
