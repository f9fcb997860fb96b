// edgeauth (the package's browser entry: wasm, WebCrypto for the async calls)
// beside jose's browser build in one headless Chromium page, on the rows every
// host runs (rows.mjs), timed in the page by the loop Node uses (timing.mjs).
// The page is bench/library-chromium/, served with the repository on
// 127.0.0.1 by the playground tests' machinery (tests/support/browser.mjs).
// Run by `make bench` after `make pkg`; `BENCH_SMOKE=1` for a quick pass.
import { readFileSync } from 'node:fs';
import { launchChromium, serve } from '../tests/support/browser.mjs';
import { BUDGET_MS, report } from './harness.mjs';

const RSA_PEM = readFileSync(new URL('../tests/data/rsa2048.pkcs8.pem', import.meta.url), 'utf8');

/** The rows measured in the page, and the browser's version. */
async function runInChromium() {
  const { server, url } = await serve('.');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(`${url}bench/library-chromium/index.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 }).catch((error) => {
      throw errors.length ? errors[0] : error;
    });
    const rows = await page.evaluate((config) => window.runBench(config), { rsaPem: RSA_PEM, budgetMs: BUDGET_MS });
    return { rows, version: browser.version() };
  } finally {
    await browser.close();
    server.kill();
  }
}

const { rows, version } = await runInChromium();
report('library-chromium', `edgeauth (wasm, WebCrypto) vs jose, ops/s, one headless Chromium ${version} page`, rows,
  ['edgeauth', 'jose', 'edgeauth/jose', 'note']);
