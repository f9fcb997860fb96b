// Generates the secrets a local edgeauth Worker reads from `.dev.vars`:
//
//   ADMIN_TOKEN_HASH    SHA-256 (hex) of a random admin bearer token
//   KEY_ENCRYPTION_KEY  32 random bytes, base64url (no padding)
//
// The admin token itself is written to its own file (mode 600), never into
// .dev.vars: the Worker only ever sees the hash.
//
// As a module (used by tests/worker/harness.mjs):
//   import { writeDevVars } from "../../scripts/dev-vars.mjs";
//   const { adminToken } = writeDevVars(devVarsPath, adminTokenPath);
//
// As a command (used by scripts/dev.sh):
//   node scripts/dev-vars.mjs DEV_VARS_PATH ADMIN_TOKEN_PATH
// It refuses to overwrite an existing DEV_VARS_PATH and exits 3 in that case.
import { createHash, randomBytes } from "node:crypto";
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
 * Writes a new .dev.vars at `devVarsPath` and the admin token at
 * `adminTokenPath` (both mode 600, parent directories created). Overwrites
 * nothing: throws if `devVarsPath` already exists.
 */
export function writeDevVars(devVarsPath, adminTokenPath) {
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
    "",
  ].join("\n");
  // "wx": fail rather than overwrite if the file appeared meanwhile.
  writeFileSync(devVarsPath, body, { mode: 0o600, flag: "wx" });
  return secrets;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [devVarsPath, adminTokenPath] = process.argv.slice(2);
  if (!devVarsPath || !adminTokenPath) {
    console.error("usage: node scripts/dev-vars.mjs DEV_VARS_PATH ADMIN_TOKEN_PATH");
    process.exit(2);
  }
  try {
    writeDevVars(devVarsPath, adminTokenPath);
  } catch (err) {
    console.error(`dev-vars: ${err.message}`);
    process.exit(err.code === "EEXIST" ? 3 : 1);
  }
}
