// The same as search.cjs, in the system Firefox ESR (/usr/bin/firefox-esr) instead of Chromium:
// opens an archive's search page by file://, types a query into the search box (optionally
// choosing a group and a year first), waits for the results, prints them as JSON, then follows
// the first result's link and reports the page it opened.
// Usage: node firefox.cjs <file:// URL of search.html> <query> [group] [year]
// An empty query types nothing: the page runs the query of its address (search.html?q=...).
// Driven by puppeteer-core over WebDriver BiDi, which stock Firefox speaks itself (no geckodriver,
// no patched browser build); a fresh temporary profile, no network.
const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require("puppeteer-core");

const FIREFOX = process.env.LETOPIS_FIREFOX || "/usr/bin/firefox-esr";

// Preferences of the temporary profile: nothing that reaches for the network, no first-run pages.
const PREFS = {
  "app.update.enabled": false,
  "app.update.auto": false,
  "browser.shell.checkDefaultBrowser": false,
  "browser.startup.homepage_override.mstone": "ignore",
  "browser.aboutwelcome.enabled": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "browser.safebrowsing.downloads.enabled": false,
  "browser.safebrowsing.downloads.remote.enabled": false,
  "browser.safebrowsing.provider.mozilla.updateURL": "",
  "browser.search.update": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "datareporting.healthreport.uploadEnabled": false,
  "toolkit.telemetry.enabled": false,
  "extensions.update.enabled": false,
  "extensions.getAddons.cache.enabled": false,
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "network.dns.disablePrefetch": true,
  "network.prefetch-next": false,
  "services.settings.server": "",
  "media.gmp-manager.url": "",
};

(async () => {
  const [url, query, group, year] = process.argv.slice(2);
  if (!url) throw new Error("usage: node firefox.cjs <file:// URL> <query> [group] [year]");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "letopis-firefox-"));
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: FIREFOX,
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: PREFS,
      // Firefox takes about 5 s to start here, longer while the other tests use both cores.
      timeout: 90000,
    });
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e && e.message ? e.message : e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    // Firefox puts no line in the console for a script file that is not there (Chromium logs
    // net::ERR_FILE_NOT_FOUND), and WebDriver BiDi reports no requests for file:// URLs: the
    // page itself notes every script that failed to load (error events do not bubble; capture).
    await page.evaluateOnNewDocument(() => {
      window.__notLoaded = [];
      window.addEventListener("error", (e) => {
        if (e.target && e.target.tagName === "SCRIPT") window.__notLoaded.push(e.target.src);
      }, true);
    });
    await page.goto(url, { waitUntil: "load" });
    if (group) await page.select("#group", group);
    if (year) await page.select("#year", year);
    const expected = query || await page.$eval("#q", (q) => q.value);
    if (query) {
      await page.click("#q");
      await page.keyboard.type(query, { delay: 20 });
    }
    await page.waitForFunction(
      (q) => window.Letopis && Letopis.last && Letopis.last.query === q &&
        document.querySelector(".search-status"),
      { timeout: 30000 }, expected);
    const out = await page.evaluate(() => ({
      form: {
        q: document.querySelector("#q").value,
        group: document.querySelector("#group") ? document.querySelector("#group").value : "",
        year: document.querySelector("#year") ? document.querySelector("#year").value : "",
      },
      headings: [...document.querySelectorAll("#search-results h2")].map((h) => h.textContent),
      notLoaded: window.__notLoaded || [],
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
    out.query = expected;
    for (const src of out.notLoaded) errors.push("script not loaded: " + src);
    delete out.notLoaded;
    if (out.hits.length) {
      await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: 30000 }), page.click(".search-hit a")]);
      out.opened = { url: page.url().replace(/#?:~:.*$/, ""), title: await page.title() };
    }
    out.errors = errors;
    out.browser = await browser.version();
    console.log(JSON.stringify(out));
  } finally {
    if (browser) await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((e) => { console.error(String(e && e.stack ? e.stack : e)); process.exit(1); });
