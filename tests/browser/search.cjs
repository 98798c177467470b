// Opens an archive's search page by file:// in the system Chromium, types a query into the
// search box (optionally choosing a group and a year first), waits for the results, prints them
// as JSON, then follows the first result's link and reports the page it opened.
// Usage: node search.cjs <file:// URL of search.html> <query> [group] [year] [paste]
// With `paste` the query arrives in one input event, as when pasted, instead of key by key (what
// a search loads while keys are typed depends on how fast they come).
const { launch, watchErrors } = require("./chromium.cjs");

(async () => {
  const [url, query, group, year, how] = process.argv.slice(2);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    watchErrors(page, errors);
    await page.goto(url);
    if (group) await page.selectOption("#group", group);
    if (year) await page.selectOption("#year", year);
    await page.click("#q");
    if (how === "paste") await page.fill("#q", query);
    else await page.keyboard.type(query, { delay: 20 });
    await page.waitForFunction(
      (q) => window.Letopis && Letopis.last && Letopis.last.query === q &&
        document.querySelector(".search-status"),
      query, { timeout: 15000 });
    const out = await page.evaluate(() => ({
      status: document.querySelector(".search-status").textContent,
      ms: Letopis.last.ms,
      loaded: Letopis.loaded,
      hits: [...document.querySelectorAll(".search-hit")].map((li) => ({
        text: li.textContent,
        /* The link without its text fragment (`#anchor:~:text=…`), which is reported apart. */
        href: li.querySelector("a").href.replace(/#?:~:.*$/, ""),
        fragment: (li.querySelector("a").href.match(/:~:(.*)$/) || ["", ""])[1],
        marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
      })),
    }));
    if (out.hits.length) {
      await Promise.all([page.waitForEvent("load"), page.click(".search-hit a")]);
      out.opened = { url: page.url().replace(/#?:~:.*$/, ""), title: await page.title() };
    }
    out.errors = errors;
    console.log(JSON.stringify(out));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(String(e)); process.exit(1); });
