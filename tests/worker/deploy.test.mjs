// The built Worker as `wrangler deploy` would upload it, checked offline
// (--dry-run): the configuration with its Durable Object binding and
// migration is accepted, and the bundle exports the objects' classes and the
// cron trigger's `scheduled` handler. The dry run prints no triggers, so the
// cron trigger is read as wrangler reads it for a deploy (unstable_readConfig).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unstable_readConfig } from 'wrangler';
import { ROOT, WORKER_MAIN, testConfig } from './harness.mjs';

test('wrangler deploy --dry-run accepts the Worker, its KV, its Durable Objects and its cron trigger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgeauth-deploy-'));
  try {
    writeFileSync(join(dir, 'wrangler.toml'), testConfig(WORKER_MAIN));
    const output = execFileSync(process.execPath, [join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--outdir', join(dir, 'out'), '--config', join(dir, 'wrangler.toml')], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    });
    assert.match(output, /env\.ACCOUNTS \(AccountsObject\)\s+Durable Object/);
    assert.match(output, /env\.KEY_STATUS \(KeyStatusObject\)\s+Durable Object/);
    assert.match(output, /env\.EDGEAUTH_KV/);
    const gzip = Number(output.match(/gzip: ([\d.]+) KiB/)?.[1]);
    assert.ok(gzip > 0 && gzip < 1024, `upload ${gzip} KiB gzip, budget 1024`);
    const bundle = readFileSync(join(dir, 'out', 'index.js'), 'utf8');
    assert.match(bundle, /export \{[^}]*AccountsObject[^}]*\}/);
    assert.match(bundle, /export \{[^}]*KeyStatusObject[^}]*\}/);
    assert.ok(readdirSync(join(dir, 'out')).some((name) => name.endsWith('.wasm')));
    assert.match(bundle, /scheduled\(/, 'the entry exports the cron trigger\'s handler');
    const { triggers } = unstable_readConfig({ config: join(dir, 'wrangler.toml') });
    assert.equal(triggers.crons.length, 1, 'one cron trigger, for signing-key rotation');
    assert.match(triggers.crons[0], /^(\S+ ){4}\S+$/, 'a five-field cron expression');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
