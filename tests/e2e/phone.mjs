// The visitor's ticket page (`frontdesk serve web`, /t/{token}) on a phone-sized headless
// Debian chromium, answering commands on stdin with one JSON line each on stdout, so the
// Python test can move the ticket along in the store and read the page in turn:
//   state          -> {"phase", "headline", "detail", "number", "overflow"}  what the page says
//   shot PATH      -> {"shot": PATH}     a screenshot of the page
//   width N        -> {"width": N}       the viewport's width (a narrower phone)
//   rate N TEXT    -> {"rated": N}       answer "how was your visit?" and send it
//   open PATH      -> {"opened": PATH, "text": ...}  go to another page of the server
//   outside        -> {"outside": [...], "violations": [...]}  requests that left 127.0.0.1,
//                                        and Content-Security-Policy violations
//   quit           -> {"bye": true}
// Usage: node phone.mjs URL   (CHROMIUM=/path/to/chromium, default `which chromium`)
// Never downloads a browser: playwright-core only drives the system chromium.
import { createInterface } from "node:readline";
import { launchChromium, keepLocal, say } from "./local_browser.mjs";

const [url] = process.argv.slice(2);

const browser = await launchChromium();
// An iPhone 12/13/14-sized screen: 390 × 844 CSS pixels, touch, twice the pixels.
const context = await browser.newContext({
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
});
const page = await context.newPage();
const violations = [];
// Anything not asked of this server is recorded and refused: a public face loads nothing
// from outside (kiosks and phones in a basement may have no Internet at all).
const outside = await keepLocal(page);
page.on("console", (message) => {
  if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
    violations.push(message.text());
  }
});
await page.goto(url, { waitUntil: "load" });
say({ ready: true });

async function state() {
  // The page reloads itself when the ticket moves on (by design): a question asked
  // mid-reload is asked again once the new page has loaded.
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 5 || !/context was destroyed|navigat/i.test(String(error))) throw error;
      await page.waitForLoadState("load");
    }
  }
}

async function read() {
  return page.evaluate(() => {
    const main = document.querySelector("main");
    const text = (selector) => document.querySelector(selector)?.textContent ?? "";
    return {
      phase: main?.getAttribute("data-phase") ?? "",
      headline: text("#headline"),
      detail: text("#detail"),
      number: text(".number"),
      survey: document.querySelector("form.survey") !== null,
      thanks: text(".thanks"),
      overflow: document.documentElement.scrollWidth > window.innerWidth,
    };
  });
}

const input = createInterface({ input: process.stdin });
for await (const line of input) {
  const [command, ...rest] = line.trim().split(" ");
  try {
    if (command === "state") {
      say(await state());
    } else if (command === "shot") {
      const path = rest.join(" ");
      await page.screenshot({ path, fullPage: true });
      say({ shot: path });
    } else if (command === "width") {
      const width = Number(rest[0]);
      await page.setViewportSize({ width, height: 844 });
      say({ width });
    } else if (command === "rate") {
      const [score, ...words] = rest;
      await page.locator(`input[name=rating][value="${score}"]`).check();
      if (words.length) await page.locator("#comment").fill(words.join(" "));
      await Promise.all([page.waitForNavigation(), page.locator("form.survey button").tap()]);
      say({ rated: Number(score) });
    } else if (command === "open") {
      // Another page of the same server (the council website's /centres, say).
      const path = rest.join(" ");
      await page.goto(new URL(path, url).href, { waitUntil: "load" });
      say({ opened: path, text: await page.evaluate(() => document.body.innerText) });
    } else if (command === "outside") {
      say({ outside, violations });
    } else if (command === "quit") {
      break;
    } else {
      say({ error: `unknown command ${command}` });
    }
  } catch (error) {
    say({ error: String(error) });
  }
}
input.close();
await browser.close();
say({ bye: true });
process.exit(0); // stdin may still be open: do not wait for it
