// Drive `frontdesk demo --serve` in headless Debian chromium: its front page (plain HTML)
// and the apps' pages (textual-serve), across the navigations the demo's keys make.
// One command on stdin, one JSON line on stdout:
//   links       -> {"links": [{"text", "href"}], "text": "..."}  the front page
//   click TEXT  -> {"url": ...}        follow the link called TEXT
//   text        -> {"url", "rows": [...]}  the terminal's rows ([] while a page is loading)
//   press KEY   -> {"pressed": KEY}    one key to the app (Control+k …)
//   shot PATH   -> {"shot": PATH}      a screenshot of the page
//   outside     -> {"outside": [...]}  requests that left 127.0.0.1 (refused)
//   quit        -> {"bye": true}
// Usage: node demo.mjs URL   (CHROMIUM=/path/to/chromium, default `which chromium`)
// Never downloads a browser: playwright-core only drives the system chromium.
import { createInterface } from "node:readline";
import { launchChromium, keepLocal, say } from "./local_browser.mjs";

const [url] = process.argv.slice(2);

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const outside = await keepLocal(page);
// Hand textual-serve's xterm.js terminal to the page as window.__fdTerm on every app page
// (a canvas/WebGL renderer puts no text in the DOM).
await page.route(/\/static\/js\/textual\.js(\?.*)?$/, async (route) => {
  const response = await route.fetch();
  const source = await response.text();
  const patched = source.replace(
    /this\.terminal=new (\w+)\.Terminal\(/,
    (_, ns) => `this.terminal=window.__fdTerm=new ${ns}.Terminal(`,
  );
  await route.fulfill({ response, body: patched });
});
await page.goto(url, { waitUntil: "domcontentloaded" });
say({ ready: true });

async function rows() {
  return page.evaluate(() => {
    const term = window.__fdTerm;
    if (term === undefined || !document.body.classList.contains("-first-byte")) return [];
    const buffer = term.buffer.active;
    const out = [];
    for (let y = 0; y < term.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      out.push(line ? line.translateToString(false) : "");
    }
    return out;
  });
}

const input = createInterface({ input: process.stdin });
for await (const line of input) {
  const [command, ...rest] = line.trim().split(" ");
  try {
    if (command === "links") {
      // [] while the tab is still on its way here (the demo's keys navigate).
      const read = async () => ({
        links: await page.$$eval("a", (as) =>
          as.map((a) => ({ text: a.textContent, href: a.getAttribute("href") })),
        ),
        text: await page.innerText("body"),
      });
      say(await read().catch(() => ({ links: [], text: "" })));
    } else if (command === "click") {
      await Promise.all([
        page.waitForNavigation({ waitUntil: "domcontentloaded" }),
        page.click(`a:text-is("${rest.join(" ")}")`),
      ]);
      say({ url: page.url() });
    } else if (command === "text") {
      // A page being replaced (the demo's keys navigate) has no terminal for a moment.
      const read = await rows().catch(() => []);
      say({ url: page.url(), rows: read });
    } else if (command === "press") {
      await page.focus("textarea.xterm-helper-textarea").catch(() => undefined);
      await page.keyboard.press(rest[0]);
      say({ pressed: rest[0] });
    } else if (command === "shot") {
      const path = rest.join(" ");
      await page.screenshot({ path });
      say({ shot: path });
    } else if (command === "outside") {
      say({ outside });
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
