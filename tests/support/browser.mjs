// Pages in headless Chromium for the browser tests (the playground, the
// browser example): Debian's Chromium driven by playwright-core, and a page
// directory served with the built package by scripts/serve-www.mjs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chromium } from 'playwright-core';

const ROOT = new URL('../..', import.meta.url).pathname;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Serves `dir` (relative to the repository) and pkg/ on a free loopback port: `{ server, url }`. */
export async function serve(dir = 'www') {
  const server = spawn(process.execPath, ['scripts/serve-www.mjs', dir], { cwd: ROOT, env: { ...process.env, PORT: '0' } });
  const [line] = await once(server.stdout, 'data');
  return { server, url: String(line).match(/http:\/\/[\d.:]+\//)[0] };
}

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
