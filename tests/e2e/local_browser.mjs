// What every browser test script shares: Debian's chromium driven by playwright-core
// (never a downloaded browser), and a page that may reach this machine only.
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

// One JSON line on stdout per answer: the Python side reads them in turn.
export const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

export async function launchChromium() {
  const executablePath =
    process.env.CHROMIUM || execFileSync("which", ["chromium"]).toString().trim();
  return chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// Anything not asked of this server is recorded and refused: a kiosk, a board or a phone
// (and CI) may have no Internet, and a public face must not need it. Returns the list of
// what was asked for, for the test to check is empty.
export async function keepLocal(page) {
  const outside = [];
  await page.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host !== "127.0.0.1" && host !== "localhost") {
      outside.push(route.request().url());
      return route.abort();
    }
    return route.continue();
  });
  return outside;
}
