// Test harness for the edgeauth Worker: runs the already built Worker
// (build/worker/, made by `make worker`; `make test` builds it first) in
// workerd through `wrangler dev`, on a free loopback port, with its own
// throwaway state and secrets, and stops it afterwards.
//
//   import { startWorker } from "./harness.mjs";
//   const worker = await startWorker();   // waits until GET /health answers
//   const res = await fetch(`${worker.url}/health`);
//   await worker.stop();                  // kills wrangler + workerd
//
// How the instance is isolated from the developer's `make dev`:
// * a temporary directory holds a copy of wrangler.toml with the [build]
//   section removed (so wrangler builds nothing) and `main` made absolute,
//   plus a freshly generated .dev.vars next to it (wrangler reads .dev.vars
//   from the config's directory), so the repo's own .dev.vars is never used;
// * KV and other local state go to <tmp>/state (--persist-to);
// * ISSUER is overridden to the instance's own URL (--var).
// It is ready when its health check (HEALTH_PATH, default /health) answers.
// The instance's admin token is `worker.adminToken` (its SHA-256 is the
// ADMIN_TOKEN_HASH the Worker sees).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeDevVars } from "../../scripts/dev-vars.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built Worker (`make worker`), and its test build with the panic probe. */
export const WORKER_MAIN = join(ROOT, "build", "worker", "index.js");
export const PROBE_MAIN = join(ROOT, "build", "worker-probe", "index.js");
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/** Asks the kernel for a free TCP port on 127.0.0.1 (bind port 0, close). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** `config` (default the repository's wrangler.toml) without its [build] section and with `main` as given. */
export function testConfig(main, config = join(ROOT, "wrangler.toml")) {
  const src = readFileSync(config, "utf8");
  const out = [];
  let inBuild = false;
  for (const line of src.split("\n")) {
    const header = line.match(/^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?/);
    if (header) inBuild = header[1] === "build" || header[1].startsWith("build.");
    if (inBuild) continue;
    if (/^\s*main\s*=/.test(line)) {
      out.push(`main = ${JSON.stringify(main)}`);
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}

/** Writes a test wrangler.toml and fresh secrets into `dir`. */
function freshInstance(dir, main, config) {
  writeFileSync(join(dir, "wrangler.toml"), testConfig(main, config));
  return writeDevVars(join(dir, ".dev.vars"), join(dir, "admin-token"));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the Worker. Options:
 *   timeoutMs  how long to wait for GET /health to answer (default 60 s)
 *   vars       extra plain-text vars, { NAME: "value" } (passed with --var)
 *   dir        the directory of an earlier instance: restart on its KV state
 *              and secrets (that instance must have been started with keep)
 *   keep       leave the directory (state, secrets) in place on stop()
 *   main       the Worker's entry module (default WORKER_MAIN)
 *   configure  (toml) => toml: changes the test wrangler.toml (also on a
 *              restart with `dir`), e.g. to bind an object that is not there
 *   state      the local state directory (default <dir>/state): another
 *              running instance's, to share its KV
 *   port       the port to listen on (default a free one); with `dir`, the
 *              earlier instance's port keeps its URL, and so its ISSUER
 *   scheduled  start with --test-scheduled: GET /__scheduled?cron=... then
 *              runs the cron trigger (`worker.scheduled()` does, and
 *              resolves once it has finished)
 *   config     the wrangler.toml to start from (default the repository's):
 *              another Worker, such as one of examples/
 *   readyPath  what must answer 200 first (default HEALTH_PATH or /health)
 * Resolves to { url, port, adminToken, dir, output(), stop(), scheduled() }.
 */
export async function startWorker({ timeoutMs = 60_000, vars = {}, dir: earlier, keep = false, main = WORKER_MAIN, configure, state, port: wanted, scheduled = false, config, readyPath = vars.HEALTH_PATH ?? "/health" } = {}) {
  if (!existsSync(main)) {
    throw new Error(`${main} not found: build the Worker first (make worker, or make test)`);
  }
  if (!existsSync(WRANGLER)) {
    throw new Error(`${WRANGLER} not found: install node_modules first (make deps)`);
  }

  const dir = earlier ?? mkdtempSync(join(tmpdir(), "edgeauth-worker-"));
  const adminToken = earlier
    ? readFileSync(join(dir, "admin-token"), "utf8").trim()
    : freshInstance(dir, main, config).adminToken;
  if (configure) writeFileSync(join(dir, 'wrangler.toml'), configure(testConfig(main, config)));

  const port = wanted ?? (await freePort());
  const inspectorPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    WRANGLER, "dev",
    "--config", join(dir, "wrangler.toml"),
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--inspector-port", String(inspectorPort),
    "--persist-to", state ?? join(dir, "state"),
    "--var", `ISSUER:${url}`,
  ];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  if (scheduled) args.push("--test-scheduled");

  let log = "";
  const child = spawn(process.execPath, args, {
    cwd: dir,
    // Own process group, so stop() can kill wrangler and workerd together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  let exited = null;
  const exitPromise = new Promise((r) =>
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      r();
    }),
  );

  // If the test process exits without calling stop(), take wrangler along.
  const onExit = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  process.on("exit", onExit);

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    process.off("exit", onExit);
    if (exited === null) {
      const killGroup = (sig) => {
        try {
          process.kill(-child.pid, sig);
        } catch {
          /* already gone */
        }
      };
      killGroup("SIGTERM");
      let timer;
      const timedOut = await Promise.race([
        exitPromise.then(() => false),
        new Promise((r) => (timer = setTimeout(r, 10_000, true))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        killGroup("SIGKILL");
        await exitPromise;
      }
    }
    // workerd may still be releasing the group's last children for a moment.
    if (!keep) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }

  const deadline = Date.now() + timeoutMs;
  let lastError = "no answer yet";
  while (true) {
    // wrangler dev keeps running after a failed bundle; do not wait it out.
    if (exited === null && /Build failed/.test(log)) {
      await stop();
      throw new Error(`wrangler dev could not load the Worker. Its output:\n${log}`);
    }
    if (exited !== null) {
      await stop();
      throw new Error(
        `wrangler dev exited early (${JSON.stringify(exited)}). Its output:\n${log}`,
      );
    }
    try {
      const res = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
      lastError = `GET ${readyPath} answered ${res.status}`;
    } catch (err) {
      lastError = String(err?.cause?.code ?? err?.message ?? err);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `Worker did not answer GET ${readyPath} within ${timeoutMs} ms (${lastError}). wrangler output:\n${log}`,
      );
    }
    await sleep(250);
  }

  /** Runs the cron trigger (needs `scheduled: true`); resolves to wrangler's answer. */
  async function runScheduled(cron = "17 * * * *") {
    const res = await fetch(`${url}/__scheduled?cron=${encodeURIComponent(cron)}`);
    return { status: res.status, text: await res.text() };
  }

  return { url, port, adminToken, dir, output: () => log, stop, scheduled: runScheduled };
}

/**
 * Runs `wrangler kv <args...>` on the local KV of a stopped instance (one
 * started with `keep`): the namespace `wrangler dev` used (the preview one),
 * under its --persist-to directory. Returns what wrangler printed.
 *   localKv(dir, "key", "get", "signing:index", "--text")
 */
export function localKv(dir, ...args) {
  const where = ["--local", "--preview", "--binding", "EDGEAUTH_KV", "--persist-to", join(dir, "state"), "--config", join(dir, "wrangler.toml")];
  return execFileSync(process.execPath, [WRANGLER, "kv", ...args, ...where], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
  });
}
