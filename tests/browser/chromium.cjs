// The system Chromium for the browser scripts of the tests (playwright-core drives it; no browser
// is downloaded): the flags a closed, rootful machine needs, as tests/common/chromium.rs has them
// for the command line.
const { chromium } = require("playwright-core");

/// Starts the system Chromium, headless.
function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

/// Collects the page's script errors and console errors into `errors`.
function watchErrors(page, errors) {
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
}

module.exports = { launch, watchErrors };
