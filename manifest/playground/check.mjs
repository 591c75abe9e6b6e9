// Drive the Microsoft 365 Agents Playground's web UI like a person: send "hjælp" to naervaer
// and wait for the help card. Proves that `naervaer demo` and the Playground talk to each other.
//
// Usage:
//   node check.mjs <persona> "<expected card title>" <screenshot.png>
//   persona: employee (Alex Wilber) | leader (Megan Bowen) | english (Adele Vance)
//   e.g. node manifest/playground/check.mjs employee "naervaer — det kan jeg" /tmp/playground-employee.png
//        node manifest/playground/check.mjs english "naervaer — what I can do" /tmp/playground-english.png
//
// Needs: the demo bot and the Playground already running as that persona (see README.md here),
// a Chromium (Debian: `apt-get install -y chromium`) and playwright-core, pinned in
// package-lock.json here and installed by `make install` (NODE_PATH still points elsewhere).
// Environment: PLAYGROUND_URL (default http://127.0.0.1:56150), CHROMIUM (default
// /usr/bin/chromium), MESSAGE (default "hjælp"), TIMEOUT_MS (default 30000).
//
// After the card it clicks the card's first button (Danish "Jeg er syg") and prints the bot's
// answer; that screenshot goes next to the first one as <name>-button.png. It also prints the
// locale the Playground put in the message activity (read from the Playground's log panel).
// Exit codes: 0 card seen; 1 the card never appeared; 2 usage or setup problem (Playground not
// reachable, or running as another persona).

import { createRequire } from 'node:module';

const PERSONAS = { employee: 'Alex Wilber', leader: 'Megan Bowen', english: 'Adele Vance' };
const [persona, title, screenshot] = process.argv.slice(2);
if (!PERSONAS[persona] || !title || !screenshot) {
  console.error('usage: node check.mjs <employee|leader|english> "<card title>" <screenshot.png>');
  process.exit(2);
}

// ES modules ignore NODE_PATH; a CommonJS require honours it.
let chromium;
try {
  ({ chromium } = createRequire(import.meta.url)('playwright-core'));
} catch {
  console.error('playwright-core not found: run `make install` (or set NODE_PATH to a node_modules that has it)');
  process.exit(2);
}
const url = process.env.PLAYGROUND_URL || 'http://127.0.0.1:56150';
const message = process.env.MESSAGE || 'hjælp';
const timeout = Number(process.env.TIMEOUT_MS || 30000);
const buttonShot = screenshot.replace(/(\.png)?$/i, '-button.png');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every bot message in the chat, in order: its text and whether it holds an Adaptive Card.
const botMessages = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.fai-OutputCard')].map((e) => ({
      text: e.innerText.trim(),
      card: e.querySelector('.ac-adaptiveCard') ? e.querySelector('.ac-adaptiveCard').innerText.trim() : null,
    })),
  );

async function settle(page) {
  // The Playground sends installationUpdate + conversationUpdate on load; let the welcome land.
  let last = -1;
  let stableSince = Date.now();
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const n = (await botMessages(page)).length;
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 2500) {
      return n;
    }
    await sleep(250);
  }
  return last;
}

async function waitForNew(page, from, predicate) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const fresh = (await botMessages(page)).slice(from);
    const hit = fresh.find(predicate);
    if (hit) return { hit, fresh };
    await sleep(250);
  }
  return { hit: null, fresh: (await botMessages(page)).slice(from) };
}

async function sentLocale(page) {
  // Open the last "message 202" (Playground -> bot) item of the log panel and read its JSON.
  try {
    const item = page.getByText(/^message 202$/).last();
    await item.click({ timeout: 5000 });
    await sleep(500);
    // The log panel itself is the first such box; the item's payload is the last one.
    const detail = await page.locator('[contenteditable=true][spellcheck=false]').last().innerText();
    const m = detail.match(/"locale":\s*"([^"]+)"/);
    return m ? m[1] : 'not found';
  } catch (error) {
    return `unknown (${error.message.split('\n')[0]})`;
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
let code = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
  } catch (error) {
    console.error(`Playground not reachable at ${url}: ${error.message.split('\n')[0]}`);
    process.exitCode = 2;
    throw error;
  }
  const box = page.locator('[role=textbox][contenteditable=true]').first();
  await box.waitFor({ timeout });
  const shown = (await page.locator('button[title="Toggle Log Panel"] ~ div .fui-Text').first().innerText()).trim();
  console.log(`playground user: ${shown}`);
  // Let the welcome land even on a mismatch: closing the page mid-turn makes the Playground's
  // connector answer the bot's reply with 500 "WebSocket is not open".
  const before = await settle(page);
  if (shown !== PERSONAS[persona]) {
    console.error(`the Playground runs as "${shown}", not ${PERSONAS[persona]}: start it from manifest/playground/${persona}`);
    code = 2;
  } else {
    for (const m of await botMessages(page)) console.log(`on open, bot: ${m.text.split('\n')[0]}`);

    await box.click();
    await page.keyboard.type(message);
    await page.getByRole('button', { name: 'Send Message' }).click();
    const { hit, fresh } = await waitForNew(page, before, (m) => m.card && m.card.startsWith(title));
    await sleep(500);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);
    console.log(`locale sent by the Playground: ${await sentLocale(page)}`);
    if (!hit) {
      console.error(`FAIL: no card titled "${title}" within ${timeout} ms after "${message}"`);
      for (const m of fresh) console.error(`  bot said: ${m.text.split('\n')[0]}`);
      code = 1;
    } else {
      console.log(`OK: card "${title}" after "${message}"`);
      // Click the first button of the newest such card and report the answer.
      const count = (await botMessages(page)).length;
      const cards = page.locator('.fai-OutputCard .ac-adaptiveCard', { hasText: title });
      const button = cards.last().locator('.ac-actionSet button').first();
      const label = (await button.innerText()).trim();
      await button.click();
      const after = await waitForNew(page, count, () => true);
      await sleep(500);
      await page.screenshot({ path: buttonShot, fullPage: true });
      console.log(`button "${label}" -> bot: ${after.hit ? after.hit.text.replace(/\s+/g, ' ') : '(no answer)'}`);
      console.log(`screenshot: ${buttonShot}`);
    }
  }
} catch (error) {
  if (!process.exitCode) console.error(error);
  code = process.exitCode || 2;
} finally {
  await browser.close();
}
process.exit(code);
