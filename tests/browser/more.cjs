// Opens a search page by file:// with ?q=… in the system Chromium, waits for the results, clicks
// «Показать ещё» until every result is shown, focuses the year filter (which asks for the counts
// per year), and prints as JSON: the status before and after, the shown results (text, href,
// snippet), the year choices' labels and the page errors.
// Usage: node more.cjs <file:// URL of search.html?q=…>
const { chromium } = require("playwright-core");

(async () => {
  const [url] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(url);
    await page.waitForFunction(() => window.Letopis && Letopis.last && document.querySelector(".search-status"),
      null, { timeout: 15000 });
    const first = await page.evaluate(() => document.querySelector(".search-status").textContent);
    let clicks = 0;
    while (await page.$(".search-more")) {
      const before = await page.evaluate(() => Letopis.last.at);
      await page.click(".search-more");
      await page.waitForFunction((t) => Letopis.last.at > t, before, { timeout: 15000 });
      clicks++;
      if (clicks > 100) throw new Error("«Показать ещё» never ends");
    }
    const at = await page.evaluate(() => Letopis.last.at);
    await page.focus("#year");
    await page.waitForFunction((t) => Letopis.last.at > t, at, { timeout: 15000 });
    const out = await page.evaluate(() => ({
      status: document.querySelector(".search-status").textContent,
      years: [...document.querySelectorAll("#year option")].map((o) => o.textContent),
      hits: [...document.querySelectorAll(".search-hit")].map((li) => ({
        text: li.textContent,
        href: li.querySelector("a").href,
        snippet: (li.querySelector(".search-snippet") || { textContent: "" }).textContent,
      })),
    }));
    out.first = first;
    out.clicks = clicks;
    out.errors = errors;
    console.log(JSON.stringify(out));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(String(e)); process.exit(1); });
