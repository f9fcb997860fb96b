// The playground in headless Chromium (Debian's, driven by playwright-core):
// load the page, mint a token through the UI, verify it (with and without the
// right audience, and with ES512), make an API key, hash it and check it against its hash,
// and save a screenshot to build/www-screenshot.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium, serve } from '../support/browser.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;

test('mint and verify a token through the page', async () => {
  const { server, url } = await serve();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    await page.selectOption('#mint-alg', 'ES256');
    await page.click('#generate');
    await page.click('#mint');
    assert.match(await page.inputValue('#token'), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(await page.textContent('#expiry'), /^valid for/);
    assert.match(await page.textContent('#claims'), /"sub": "user-1"/);
    const verified = async (expected) => {
      await page.click('#verify');
      await page.waitForFunction((pattern) => new RegExp(pattern).test(document.getElementById('verify-result').textContent), expected.source);
    };
    await verified(/^valid/);
    await page.fill('#verify-aud', 'someone-else');
    await verified(/^ERR_JWT_CLAIM_VALIDATION_FAILED: "aud" claim is missing$/);
    await page.fill('#verify-aud', '');
    await page.fill('#verify-key', 'a different secret that is long enough!!');
    await page.selectOption('#verify-alg', 'HS256');
    // The token is ES256 and only HS256 is allowed: refused before any key is tried.
    await verified(/^ERR_JOSE_ALG_NOT_ALLOWED: /);
    // ES512: the key made by the separate P-521 module (the browser's own P-521 is asynchronous).
    await page.selectOption('#mint-alg', 'ES512');
    await page.click('#generate');
    await page.click('#mint');
    assert.match(await page.inputValue('#token'), /^eyJhbGciOiJFUzUxMi/);
    await verified(/^valid/);
    await page.click('#apikey');
    const apiKey = (await page.textContent('#apikey-out')).match(/API key \(show once\): (eak_\w+)/)[1];
    await page.fill('#secret', apiKey);
    await page.click('#hash');
    assert.match(await page.inputValue('#stored-hash'), /^\$hmac-sha256\$/);
    await page.click('#check');
    assert.equal(await page.textContent('#check-result'), 'the secret matches the hash');
    await page.fill('#secret', `${apiKey}x`);
    await page.click('#check');
    assert.equal(await page.textContent('#check-result'), 'no match');
    mkdirSync(`${ROOT}/build`, { recursive: true });
    await page.screenshot({ path: `${ROOT}/build/www-screenshot.png`, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.kill();
  }
});
