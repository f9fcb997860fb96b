// The package where users run it besides plain Node: bundled by wrangler into a
// Worker running in workerd, and installed from its tarball into a scratch project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unstable_dev } from 'wrangler';

const ROOT = new URL('../..', import.meta.url).pathname;

test('in a Worker bundled by wrangler, in workerd', async () => {
  // A configuration of its own: the repository's wrangler.toml is the edgeauth
  // Worker's, whose bindings (a Durable Object among them) this one lacks.
  const dir = mkdtempSync(join(tmpdir(), 'edgeauth-package-worker-'));
  const config = join(dir, 'wrangler.toml');
  writeFileSync(config, 'name = "edgeauth-package-test"\ncompatibility_date = "2025-12-01"\n');
  const worker = await unstable_dev(join(ROOT, 'tests/js/workerd/worker.mjs'), {
    config, ip: '127.0.0.1', compatibilityDate: '2025-12-01', logLevel: 'warn',
    experimental: { disableExperimentalWarning: true },
  });
  try {
    const response = await worker.fetch('/');
    assert.deepEqual(await response.json(), {
      sub: 'in-workerd', apiKey: true, async: ['in-workerd', 'p-521'], signedByHost: ['ES384', 'ES512', 'EdDSA'], webCrypto: true, tampered: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('installed from its tarball into a scratch project', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'edgeauth-scratch-'));
  try {
    const tarball = execFileSync('npm', ['pack', join(ROOT, 'pkg'), '--pack-destination', scratch, '--silent'], { encoding: 'utf8' }).trim();
    writeFileSync(join(scratch, 'package.json'), '{"name":"scratch","private":true,"type":"module"}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', join(scratch, tarball)], { cwd: scratch });
    const script = "import('edgeauth').then(({ Key, sign, verify }) => { const k = Key.generate('EdDSA'); " +
      "console.log(verify(sign({ ok: true }, k), k, { algorithms: ['EdDSA'], requireExp: false }).payload.ok); })";
    assert.equal(execFileSync(process.execPath, ['-e', script], { cwd: scratch, encoding: 'utf8' }).trim(), 'true');
    // Hono is an optional peer: a project that does not use edgeauth/hono does not get it.
    assert.equal(existsSync(join(scratch, 'node_modules', 'hono')), false);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
