// Take a ticket at the served kiosk by touch (mouse clicks) in headless Debian chromium.
// Usage: node kiosk.mjs URL SCREENSHOT_DIR   (CHROMIUM=/path/to/chromium, default `which`)
// Never downloads a browser: playwright-core only drives the system chromium.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, keepLocal } from "./local_browser.mjs";

const [url, shots = "screenshots"] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const outside = await keepLocal(page);
await page.goto(url, { waitUntil: "domcontentloaded" });
await page.waitForSelector("body.-first-byte", { timeout: 30000 });
await page.waitForTimeout(1500);
// A touch on an empty part of the screen gives the terminal the browser's focus (a headless
// page may start without it, and Textual only draws the focus ring in a focused app).
async function wake() {
  await page.mouse.click(640, 760);
  await page.waitForTimeout(300);
}
await wake();

// The focused choice has the accent border (#ffb000): find its box in a screenshot.
async function focusedBox() {
  const png = (await page.screenshot()).toString("base64");
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const { data: px } = ctx.getImageData(0, 0, img.width, img.height);
    let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const i = (y * img.width + x) * 4;
        if (Math.abs(px[i] - 0xff) < 12 && Math.abs(px[i + 1] - 0xb0) < 16 && px[i + 2] < 30) {
          x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
        }
      }
    }
    return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }, png);
}

async function tap(step, rowsDown = 0) {
  let box = null;
  for (let i = 0; i < 80 && !box; i++) {
    box = await focusedBox();
    if (!box) {
      if (i % 10 === 9) await wake();
      await page.waitForTimeout(250);
    }
  }
  if (!box) {
    await page.screenshot({ path: join(shots, `${step}-failed.png`) });
    throw new Error(`no focused choice on screen before ${step}`);
  }
  await page.screenshot({ path: join(shots, `${step}.png`) });
  // Buttons in one column are one box height apart (grid rows of equal height here).
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2 + rowsDown * box.height;
  await page.mouse.click(x, y);
  await page.waitForTimeout(1200);
}

await tap("1-welcome"); // English
await tap("2-services"); // General enquiries
await tap("3-topics"); // A quick question
await tap("4-needs", 2); // Continue: third row, first column
await tap("5-estimate"); // Take a ticket
await page.waitForTimeout(2500); // the slip prints in the background
await page.screenshot({ path: join(shots, "6-ticket.png") });
await browser.close();
if (outside.length) {
  console.error(`the kiosk page asked for things outside this server: ${outside.join(", ")}`);
  process.exit(1);
}
console.log("ok");
