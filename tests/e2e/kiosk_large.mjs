// "Larger text" at the served kiosk really enlarges the text in the browser: the
// terminal's glyphs are measured before, after "+" and after "+" again.
// Usage: node kiosk_large.mjs URL SCREENSHOT_DIR   (CHROMIUM=/path/to/chromium, default `which`)
// Prints one JSON line: {"before", "large", "after"}, each {"glyph": {width, height}, "cols", "rows"}.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, keepLocal } from "./local_browser.mjs";

const [url, shots = "screenshots"] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await keepLocal(page);
await page.goto(url, { waitUntil: "domcontentloaded" });
await page.waitForSelector("body.-first-byte", { timeout: 30000 });

// One character cell as the browser lays it out (the drawn screen element's size over the
// grid it holds), and the grid the app is given.
async function measure() {
  return page.evaluate(() => {
    const textual = window.frontdeskTerminal;
    const screen = document.querySelector(".xterm-screen");
    if (!textual || !screen) return { glyph: { width: 0, height: 0 }, cols: null, rows: null };
    const box = screen.getBoundingClientRect();
    const { cols, rows } = textual.terminal;
    return { glyph: { width: box.width / cols, height: box.height / rows }, cols, rows };
  });
}

async function until(check, what) {
  for (let i = 0; i < 120; i++) {
    const now = await measure();
    if (check(now)) return now;
    await page.waitForTimeout(250);
  }
  await page.screenshot({ path: join(shots, "large-failed.png") });
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await measure())}`);
}

// Wait for the welcome screen to be drawn and give the terminal the page's focus.
await page.waitForTimeout(1500);
await page.mouse.click(640, 760);
await page.waitForTimeout(300);
const before = await until((m) => m.rows && m.glyph.height > 0, "the terminal");
await page.screenshot({ path: join(shots, "large-0-before.png") });
await page.keyboard.press("+");
const large = await until((m) => m.glyph.height > before.glyph.height, "larger text");
await page.waitForTimeout(1500); // the app lays itself out in the larger cells
await page.screenshot({ path: join(shots, "large-1-on.png") });
await page.keyboard.press("+");
const after = await until((m) => m.glyph.height < large.glyph.height, "the usual size again");
await page.screenshot({ path: join(shots, "large-2-off.png") });
await browser.close();
console.log(JSON.stringify({ before, large, after }));
