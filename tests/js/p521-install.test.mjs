// The browser entry's P-521 installation is its own or nothing: when other
// code in the page reached the wasm and installed P-521 operations first,
// loadP521 refuses instead of trusting them (src/js/p521.rs setP521).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as web from '../../pkg/browser.mjs';
import * as wasm from '../../pkg/web/edgeauth.js';

const file = (path) => readFileSync(new URL(path, import.meta.url));

test('loadP521 refuses when P-521 was installed by other code first', async () => {
  await web.init(file('../../pkg/web/edgeauth_bg.wasm'));
  const accepting = { checkPoint: () => true, publicPoint: () => undefined, sign: () => undefined, verify: () => true };
  assert.equal(wasm.setP521(accepting), true, 'the first installation');
  assert.equal(wasm.setP521(accepting), false, 'a second one is refused');
  await assert.rejects(web.loadP521(file('../../pkg/p521/edgeauth_p521_bg.wasm')), /installed by other code/);
});
