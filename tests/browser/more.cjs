// Opens a search page by file:// with ?q=… in the system Chromium, waits for the results, clicks
// «Показать ещё» until every result is shown, focuses the year filter (which asks for the counts
// per year), then the group filter (the counts per group) and chooses the group with the most,
// and prints as JSON: the status before and after, the shown results (text, href, snippet), the
// year and group choices' labels, the chosen group with its status, and the page errors.
// Usage: node more.cjs <file:// URL of search.html?q=…>
const { launch, watchErrors } = require("./chromium.cjs");

(async () => {
  const [url] = process.argv.slice(2);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    watchErrors(page, errors);
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
        /* The link without its text fragment (`#anchor:~:text=…`), which is reported apart. */
        href: li.querySelector("a").href.replace(/#?:~:.*$/, ""),
        fragment: (li.querySelector("a").href.match(/:~:(.*)$/) || ["", ""])[1],
        snippet: (li.querySelector(".search-snippet") || { textContent: "" }).textContent,
      })),
    }));
    /* The group filter, focused, counts the results of each group; the group with the most is
     * then chosen, and the page's status reported with it. */
    const at2 = await page.evaluate(() => Letopis.last.at);
    await page.focus("#group");
    await page.waitForFunction((t) => Letopis.last.at > t, at2, { timeout: 15000 });
    out.groups = await page.evaluate(() => [...document.querySelectorAll("#group option")].map((o) => o.textContent));
    const best = await page.evaluate(() => {
      let top = null, n = -1;
      for (const o of document.querySelectorAll("#group option")) {
        const m = o.textContent.match(/\((\d+)\)$/);
        if (o.value && m && +m[1] > n) { n = +m[1]; top = o.value; }
      }
      return { value: top, count: n };
    });
    if (best.value) {
      const at3 = await page.evaluate(() => Letopis.last.at);
      await page.selectOption("#group", best.value);
      await page.waitForFunction((t) => Letopis.last.at > t, at3, { timeout: 15000 });
      out.chosen = { group: best.value, count: best.count,
        status: await page.evaluate(() => document.querySelector(".search-status").textContent) };
    }
    out.first = first;
    out.clicks = clicks;
    out.errors = errors;
    console.log(JSON.stringify(out));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(String(e)); process.exit(1); });
