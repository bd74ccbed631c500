// Open the served now-serving board (or any app served by textual-serve) in headless
// Debian chromium and answer commands on stdin, one JSON line each on stdout, so that the Python test can change the store and
// read the page in turn:
//   text        -> {"rows": [...]}   the terminal's text, row by row (xterm's buffer)
//   shot PATH   -> {"shot": PATH}    a screenshot of the page
//   type TEXT   -> {"typed": TEXT}   type into the page (the app has the keyboard)
//   press KEY   -> {"pressed": KEY}  press one key (Enter, Escape …)
//   outside     -> {"outside": [...]} requests that left 127.0.0.1 (refused)
//   quit        -> {"bye": true}     close the browser and exit
// Usage: node board.mjs URL   (CHROMIUM=/path/to/chromium, default `which chromium`)
// Never downloads a browser: playwright-core only drives the system chromium.
import { createInterface } from "node:readline";
import { launchChromium, keepLocal, say } from "./local_browser.mjs";

const [url] = process.argv.slice(2);

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const outside = await keepLocal(page);
// textual-serve keeps its xterm.js terminal to itself; hand it to the page as
// window.__fdTerm so the test can read the text the board shows (a canvas/WebGL renderer
// puts no text in the DOM).
let exposed = false;
await page.route(/\/static\/js\/textual\.js(\?.*)?$/, async (route) => {
  const response = await route.fetch();
  const source = await response.text();
  const patched = source.replace(
    /this\.terminal=new (\w+)\.Terminal\(/,
    (_, ns) => `this.terminal=window.__fdTerm=new ${ns}.Terminal(`,
  );
  exposed = patched !== source;
  await route.fulfill({ response, body: patched });
});
await page.goto(url, { waitUntil: "domcontentloaded" });
if (!exposed) {
  say({ error: "could not find the terminal in textual.js to read its text" });
  await browser.close();
  process.exit(2);
}
await page.waitForSelector("body.-first-byte", { timeout: 30000 });
await page.waitForFunction(() => window.__fdTerm !== undefined, null, { timeout: 30000 });
say({ ready: true });

async function rows() {
  return page.evaluate(() => {
    const term = window.__fdTerm;
    const buffer = term.buffer.active;
    const out = [];
    for (let y = 0; y < term.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      out.push(line ? line.translateToString(false) : "");
    }
    return out;
  });
}

// Keys go to xterm's hidden textarea; a headless page may start with nothing focused.
async function keyboardToTerminal() {
  await page.focus("textarea.xterm-helper-textarea").catch(() => undefined);
}

const input = createInterface({ input: process.stdin });
for await (const line of input) {
  const [command, ...rest] = line.trim().split(" ");
  try {
    if (command === "text") {
      say({ rows: await rows() });
    } else if (command === "shot") {
      const path = rest.join(" ");
      await page.screenshot({ path });
      say({ shot: path });
    } else if (command === "type") {
      const text = rest.join(" ");
      await keyboardToTerminal();
      await page.keyboard.type(text, { delay: 30 });
      say({ typed: text });
    } else if (command === "press") {
      await keyboardToTerminal();
      await page.keyboard.press(rest[0]);
      say({ pressed: rest[0] });
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
