// Generates the secrets a local edgeauth Worker reads from `.dev.vars`:
//
//   ADMIN_TOKEN_HASH    SHA-256 (hex) of a random admin bearer token
//   KEY_ENCRYPTION_KEY  32 random bytes, base64url (no padding)
// and, for `make dev` (--dashboard), what its dashboard routes need:
//   SESSION_SECRET      48 random alphanumerics (as Kure's chart makes)
//   SERVICE_TOKEN_HASH  the hash of a fresh service token of the same
//                       kind, which is printed once and stored nowhere
//
// The admin token itself is written to its own file (mode 600), never into
// .dev.vars: the Worker only ever sees the hash.
//
// As a module (used by tests/worker/harness.mjs):
//   import { writeDevVars } from "../../scripts/dev-vars.mjs";
//   const { adminToken } = writeDevVars(devVarsPath, adminTokenPath);
//
// As a command (used by scripts/dev.sh):
//   node scripts/dev-vars.mjs DEV_VARS_PATH ADMIN_TOKEN_PATH [--dashboard]
// It refuses to overwrite an existing DEV_VARS_PATH and exits 3 in that case.
import { createHash, createHmac, randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Returns fresh { adminToken, adminTokenHash, keyEncryptionKey }. */
export function generateDevSecrets() {
  const adminToken = randomBytes(32).toString("base64url");
  const adminTokenHash = createHash("sha256").update(adminToken, "utf8").digest("hex");
  const keyEncryptionKey = randomBytes(32).toString("base64url");
  return { adminToken, adminTokenHash, keyEncryptionKey };
}

/**
 * `make dev`'s gateway: wrangler.toml's routes, plus a dashboard behind
 * sessions (GET needs `read`, writes `write`, /dashboard/admin/ `admin`)
 * and its machine ingest behind the service token.
 */
const DASHBOARD_POLICY = [
  { prefix: "/api/", auth: ["jwt", "api_key"] },
  { prefix: "/public/", auth: "public" },
  { prefix: "/dashboard/ingest/", auth: ["service_token"] },
  { prefix: "/dashboard/admin/", auth: ["session"], role: "admin" },
  { prefix: "/dashboard/", auth: ["session"] },
];

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `length` random alphanumerics, as Helm's randAlphaNum. */
export function randomAlphanumeric(length = 48) {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");
}

const phcB64 = (bytes) => bytes.toString("base64").replace(/=+$/, "");

/** `$hmac-sha256$<salt>$<mac>`: HMAC-SHA256 keyed by a random salt over the secret (for generated secrets). */
export function hmacSha256Hash(secret) {
  const salt = randomBytes(16);
  return `$hmac-sha256$${phcB64(salt)}$${phcB64(createHmac("sha256", salt).update(secret).digest())}`;
}

/**
 * Writes a new .dev.vars at `devVarsPath` and the admin token at
 * `adminTokenPath` (both mode 600, parent directories created). Overwrites
 * nothing: throws if `devVarsPath` already exists. With `dashboard`, also a
 * session secret and a service token's hash; the token is returned (as
 * `serviceToken`) and written nowhere.
 */
export function writeDevVars(devVarsPath, adminTokenPath, { dashboard = false } = {}) {
  if (existsSync(devVarsPath)) {
    const err = new Error(`${devVarsPath} already exists; not overwriting it`);
    err.code = "EEXIST";
    throw err;
  }
  const secrets = generateDevSecrets();
  mkdirSync(dirname(adminTokenPath), { recursive: true, mode: 0o700 });
  mkdirSync(dirname(devVarsPath), { recursive: true, mode: 0o700 });
  writeFileSync(adminTokenPath, `${secrets.adminToken}\n`, { mode: 0o600 });
  const body = [
    "# Local secrets for `wrangler dev` (generated; never commit this file).",
    `# The admin bearer token is in ${adminTokenPath}; only its SHA-256 is here.`,
    `ADMIN_TOKEN_HASH="${secrets.adminTokenHash}"`,
    `KEY_ENCRYPTION_KEY="${secrets.keyEncryptionKey}"`,
    "# Local development only: make a first signing key in the local KV, and",
    "# answer gateway routes with the built-in echo origin (no ORIGIN_URL).",
    'BOOTSTRAP_DEV_SIGNING_KEY="true"',
    'ECHO_ORIGIN="true"',
  ];
  if (dashboard) {
    secrets.serviceToken = randomAlphanumeric();
    body.push(
      "# The dashboard routes: sessions, and the machine traffic's service token (its hash only).",
      `SESSION_SECRET="${randomAlphanumeric()}"`,
      `SERVICE_TOKEN_HASH="${hmacSha256Hash(secrets.serviceToken)}"`,
      `GATEWAY_POLICY='${JSON.stringify(DASHBOARD_POLICY)}'`,
    );
  }
  body.push("");
  // "wx": fail rather than overwrite if the file appeared meanwhile.
  writeFileSync(devVarsPath, body.join("\n"), { mode: 0o600, flag: "wx" });
  return secrets;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [devVarsPath, adminTokenPath, flag] = process.argv.slice(2);
  if (!devVarsPath || !adminTokenPath || (flag !== undefined && flag !== "--dashboard")) {
    console.error("usage: node scripts/dev-vars.mjs DEV_VARS_PATH ADMIN_TOKEN_PATH [--dashboard]");
    process.exit(2);
  }
  try {
    const { serviceToken } = writeDevVars(devVarsPath, adminTokenPath, { dashboard: flag === "--dashboard" });
    if (serviceToken) console.log(`[dev] service token (X-Service-Token on /dashboard/ingest/; shown once, only its hash is kept): ${serviceToken}`);
  } catch (err) {
    console.error(`dev-vars: ${err.message}`);
    process.exit(err.code === "EEXIST" ? 3 : 1);
  }
}
