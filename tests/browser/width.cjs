// Opens pages by file:// in the system Chromium at a phone's width (390 px) and prints, as JSON,
// how wide each page's content is and the first elements that stick out to the right.
// Usage: node width.cjs <file:// URL>...
const { launch } = require("./chromium.cjs");

(async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const out = [];
    for (const url of process.argv.slice(2)) {
      await page.goto(url);
      out.push(await page.evaluate((u) => ({
        url: u,
        width: document.documentElement.scrollWidth,
        outside: [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 5)
          .map((e) => e.tagName.toLowerCase() + " " + (e.textContent || "").trim().slice(0, 40)),
      }), url));
    }
    console.log(JSON.stringify(out));
  } finally {
    await browser.close();
  }
})();
