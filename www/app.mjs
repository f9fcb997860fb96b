// The playground: everything runs in this page on the edgeauth package.
import { init, Key, KeySet, sign, verifyAsync, decode, generateApiKey, hashSecret, verifySecret } from '/pkg/browser.mjs';

const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const GENERATED = ['HS256', 'HS384', 'HS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const $ = (id) => document.getElementById(id);
let signingKey;

function show(element, text, good) {
  element.textContent = text;
  element.className = `badge ${good === undefined ? '' : good ? 'ok' : 'bad'}`;
}

function describe(error) {
  return error.code ? `${error.code}: ${error.message}` : String(error.message ?? error);
}

const dates = (claims) => Object.fromEntries(Object.entries(claims).map(([name, value]) =>
  ['exp', 'nbf', 'iat'].includes(name) && typeof value === 'number'
    ? [name, `${value} (${new Date(value * 1000).toISOString()})`] : [name, value]));

function showToken() {
  const token = $('token').value.trim();
  if (!token) return show($('expiry'), 'no token');
  try {
    const { header, payload } = decode(token);
    $('header').textContent = JSON.stringify(header, null, 2);
    $('claims').textContent = JSON.stringify(dates(payload), null, 2);
    const now = Date.now() / 1000;
    if (typeof payload.nbf === 'number' && payload.nbf > now) show($('expiry'), `not valid for another ${Math.round(payload.nbf - now)} s`, false);
    else if (typeof payload.exp !== 'number') show($('expiry'), 'no expiry', false);
    else if (payload.exp <= now) show($('expiry'), `expired ${Math.round(now - payload.exp)} s ago`, false);
    else show($('expiry'), `valid for ${Math.round(payload.exp - now)} s (signature not checked)`, true);
  } catch (error) {
    $('header').textContent = $('claims').textContent = '';
    show($('expiry'), describe(error), false);
  }
}

/** A secret, a PEM, a JWK or a JWK Set, as the key(s) to verify with. */
function verificationKeys(text, alg) {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return Key.fromPem(trimmed, alg);
  if (trimmed.startsWith('{')) {
    const json = JSON.parse(trimmed);
    return Array.isArray(json.keys) ? new KeySet(json) : Key.fromJwk(json);
  }
  return Key.fromSecret(trimmed, alg);
}

async function onVerify() {
  const alg = $('verify-alg').value;
  try {
    const optional = (id) => $(id).value.trim() || undefined;
    const options = { algorithms: [alg], issuer: optional('verify-iss'), audience: optional('verify-aud'), requireExp: $('verify-exp').checked };
    const { payload } = await verifyAsync($('token').value.trim(), verificationKeys($('verify-key').value, alg), options);
    show($('verify-result'), `valid: signature and claims check out (sub ${payload.sub ?? '—'})`, true);
  } catch (error) {
    show($('verify-result'), describe(error), false);
  }
}

function onGenerate() {
  const alg = $('mint-alg').value;
  signingKey = Key.generate(alg);
  const secret = signingKey.kty === 'oct';
  $('jwks').textContent = secret ? '(an HMAC secret has no public form)' : JSON.stringify(new KeySet().add(signingKey).toJwks(), null, 2);
  $('verify-alg').value = alg;
  $('verify-key').value = JSON.stringify(secret ? signingKey.toJwk(true) : { keys: [signingKey.toJwk()] });
  show($('mint-result'), `new ${alg} key ${signingKey.kid.slice(0, 12)}…`, true);
}

function onMint() {
  try {
    if (!signingKey) onGenerate();
    const claims = JSON.parse($('mint-claims').value);
    $('token').value = sign(claims, signingKey, { expiresIn: Number($('lifetime').value), jti: true });
    show($('mint-result'), 'minted', true);
    showToken();
  } catch (error) {
    show($('mint-result'), describe(error), false);
  }
}

function onApiKey() {
  try {
    const { token, keyId, hash } = generateApiKey({ prefix: $('prefix').value });
    $('apikey-out').textContent = `API key (show once): ${token}\nkey id: ${keyId}\nstore:  ${hash}`;
  } catch (error) {
    $('apikey-out').textContent = describe(error);
  }
}

function onHash() {
  try {
    $('stored-hash').value = hashSecret($('secret').value, { algorithm: $('hash-alg').value });
    show($('check-result'), 'hashed: store this, never the secret', true);
  } catch (error) {
    show($('check-result'), describe(error), false);
  }
}

function onCheck() {
  try {
    const matches = verifySecret($('secret').value, $('stored-hash').value.trim());
    show($('check-result'), matches ? 'the secret matches the hash' : 'no match', matches);
  } catch (error) {
    show($('check-result'), describe(error), false);
  }
}

await init(undefined, { p521: true });
for (const [select, names] of [['verify-alg', ALGORITHMS], ['mint-alg', GENERATED]]) {
  $(select).innerHTML = names.map((name) => `<option>${name}</option>`).join('');
}
$('mint-alg').value = 'ES256';
$('token').addEventListener('input', showToken);
$('verify').addEventListener('click', onVerify);
$('generate').addEventListener('click', onGenerate);
$('mint').addEventListener('click', onMint);
$('apikey').addEventListener('click', onApiKey);
$('hash').addEventListener('click', onHash);
$('check').addEventListener('click', onCheck);
show($('status'), 'Ready: WebAssembly loaded.', true);
document.body.dataset.ready = 'true';
