// The search page itself, in the system Chromium by file://: each query of a vectors file
// (tests/search_acceptance.rs writes it: query, first, order = the command line's first ten) is
// typed into the search box at once (as pasted); the first ten results shown must be the order.
// Usage: node vectors.cjs <file:// URL of search.html> <vectors.json>
const { launch } = require("./chromium.cjs");
const fs = require("fs");

(async () => {
  const [url, file] = process.argv.slice(2);
  const vectors = JSON.parse(fs.readFileSync(file, "utf8"));
  const browser = await launch();
  const wrong = [], errors = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    let current = "";
    page.on("requestfailed", (r) => errors.push(`${current}: ${r.url()} did not load`));
    await page.goto(url);
    for (const v of vectors) {
      current = v.query;
      await page.fill("#q", v.query);
      await page.waitForFunction(
        (q) => window.Letopis && Letopis.last && Letopis.last.query === q &&
          document.querySelector(".search-status"),
        v.query, { timeout: 15000 });
      const base = url.replace(/search\.html.*$/, "");
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll(".search-hit a")].slice(0, 10)
          .map((a) => a.href.replace(/#?:~:.*$/, "")));
      const pages = shown.map((h) => decodeURI(h).replace(decodeURI(base), ""));
      if (v.first && pages[0] !== v.first) wrong.push(`${v.query}: ${v.first} must come first, got ${pages.slice(0, 3)}`);
      if (JSON.stringify(pages) !== JSON.stringify(v.order)) {
        wrong.push(`${v.query}: expected ${v.order}, got ${pages}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ queries: vectors.length, wrong, errors }, null, 1));
  if (wrong.length || errors.length) process.exit(1);
})().catch((e) => { console.error(String(e)); process.exit(1); });
