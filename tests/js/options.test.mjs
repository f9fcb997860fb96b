// No option fails open: every option of verify, verifyAsync and Verifier,
// given each value that could read as "not set" (null, undefined in an
// array, an empty allow-list or string, NaN, the infinities, a negative
// number), either throws a TypeError naming the option or makes the token
// fail. None ever turns a refusal into an acceptance. sign's options too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Key, Verifier, sign, verify, verifyAsync, EdgeAuthError, generateApiKey, hashSecret } from 'edgeauth';

const NOW = Math.floor(Date.now() / 1000);
const NON_FINITE = [NaN, Infinity, -Infinity];

/** Values that must never stand for "no check", by option. */
const INVALID = {
  algorithms: [null, [], [undefined], [null], ['HS256', undefined], [, 'HS256'], 'HS256'],
  issuer: [null, [], '', [''], [undefined], [null], ['https://evil.example', undefined], [, 'https://evil.example'], ...NON_FINITE],
  audience: [null, [], '', [''], [undefined], [null], ['someone-else', null], [, 'someone-else'], ...NON_FINITE],
  subject: [null, '', [], ['mallory'], ...NON_FINITE],
  typ: [null, '', ['JWT'], ...NON_FINITE],
  maxTokenAge: [null, ...NON_FINITE, -1, -0.5, '60', [60]],
  clockTolerance: [null, ...NON_FINITE, -1, '5', [5]],
  currentDate: [null, ...NON_FINITE, -1, new Date(NaN), '2030-01-01', [NOW]],
  maxTokenSize: [null, ...NON_FINITE, -1, '20', [20]],
  requiredClaims: [null, [undefined], [null], ['jti', undefined], 'jti', ...NON_FINITE],
  requireExp: [null, 0, 'false', NaN],
};

/** For each option, valid options with it that refuse the token (adding an invalid value to them must keep it refused). */
const REFUSING = {
  issuer: { issuer: 'https://good.example' },
  audience: { audience: ['me', 'us'] },
  subject: { subject: 'alice' },
  typ: { typ: 'at+jwt' },
  maxTokenAge: { maxTokenAge: 60 },
  clockTolerance: { clockTolerance: 10, currentDate: NOW + 3600 },
  currentDate: { currentDate: NOW + 3600 },
  maxTokenSize: { maxTokenSize: 20 },
  requiredClaims: { requiredClaims: ['jti'] },
  requireExp: { requireExp: true }, // for a token without exp
};

const KEYS = {
  HS256: Key.fromSecret(new Uint8Array(32), 'HS256'),
  ES256: Key.generate('ES256'),
};

/** The token of the issue: accepted by `{ algorithms }` alone, refused by each REFUSING value. */
function tokenFor(alg, { exp = true } = {}) {
  const claims = { iss: 'https://evil.example', aud: 'someone-else', sub: 'mallory', iat: NOW - 3600, ...(exp ? { exp: NOW + 300 } : {}) };
  return sign(claims, KEYS[alg], { iat: false });
}

/** The three ways to verify, each giving 'accepted', 'refused' or 'TypeError: <message>'. */
const WAYS = {
  verify: (token, key, options) => settle(() => verify(token, key, options)),
  verifyAsync: (token, key, options) => settle(() => verifyAsync(token, key, options)),
  Verifier: (token, key, options) => settle(() => new Verifier(key, options).verify(token)),
};

async function settle(run) {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    if (error instanceof TypeError) return `TypeError: ${error.message}`;
    if (error instanceof EdgeAuthError) return 'refused';
    throw error;
  }
}

function describe(value) {
  if (Array.isArray(value)) return `[${Array.from(value, describe).join(', ')}]`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([name, inner]) => `${name}: ${describe(inner)}`).join(', ')}}`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function assertNeverAccepted(outcome, option, label) {
  assert.notEqual(outcome, 'accepted', label);
  if (outcome.startsWith('TypeError')) assert.match(outcome, new RegExp(`options\\.${option}\\b`), `${label}: the TypeError names the option`);
}

test('the token is accepted without options and refused by each refusing value', async () => {
  for (const alg of Object.keys(KEYS)) {
    for (const [way, run] of Object.entries(WAYS)) {
      assert.equal(await run(tokenFor(alg), KEYS[alg], { algorithms: [alg] }), 'accepted', `${way} ${alg}`);
      for (const [option, refusing] of Object.entries(REFUSING)) {
        const token = tokenFor(alg, { exp: option !== 'requireExp' });
        assert.equal(await run(token, KEYS[alg], { algorithms: [alg], ...refusing }), 'refused', `${way} ${alg} ${option}`);
      }
    }
  }
});

test('an invalid value alone throws a TypeError naming the option or fails the token', async () => {
  for (const alg of Object.keys(KEYS)) {
    for (const [way, run] of Object.entries(WAYS)) {
      for (const [option, values] of Object.entries(INVALID)) {
        for (const value of values) {
          const options = option === 'algorithms' ? { algorithms: value } : { algorithms: [alg], [option]: value };
          const token = tokenFor(alg, { exp: option !== 'requireExp' });
          assertNeverAccepted(await run(token, KEYS[alg], options), option, `${way} ${alg} ${option}: ${describe(value)}`);
        }
      }
    }
  }
});

test('an invalid value added to refusing options never turns the refusal into an acceptance', async () => {
  const alg = 'HS256';
  for (const [way, run] of Object.entries(WAYS)) {
    for (const [refusing, options] of Object.entries(REFUSING)) {
      const token = tokenFor(alg, { exp: refusing !== 'requireExp' });
      for (const [option, values] of Object.entries(INVALID)) {
        if (option === 'algorithms') continue;
        for (const value of values) {
          const outcome = await run(token, KEYS[alg], { algorithms: [alg], ...options, [option]: value });
          assertNeverAccepted(outcome, option, `${way}: ${refusing} refused, then ${option}: ${describe(value)}`);
        }
      }
    }
  }
});

test('the examples of the issue are TypeErrors', () => {
  const token = tokenFor('HS256');
  const key = KEYS.HS256;
  for (const [option, value] of [['issuer', []], ['audience', []], ['issuer', null], ['maxTokenAge', NaN], ['maxTokenAge', Infinity],
    ['maxTokenAge', -Infinity], ['maxTokenAge', null], ['currentDate', null]]) {
    assert.throws(() => verify(token, key, { algorithms: ['HS256'], [option]: value }),
      (error) => error instanceof TypeError && error.message.startsWith(`options.${option} `), `${option}: ${describe(value)}`);
  }
  // Checked before JSON, which would turn them into null.
  for (const value of NON_FINITE) {
    assert.throws(() => verify(token, key, { algorithms: ['HS256'], maxTokenAge: value }), { name: 'TypeError', message: 'options.maxTokenAge must be a finite number' });
  }
  assert.throws(() => verify(token, key, { algorithms: ['HS256'], audience: ['a', undefined] }), { name: 'TypeError', message: 'options.audience[1] is undefined' });
});

test('undefined alone is an absent option, as in jose', () => {
  const token = tokenFor('HS256');
  for (const option of Object.keys(REFUSING)) {
    assert.equal(verify(token, KEYS.HS256, { algorithms: ['HS256'], [option]: undefined }).payload.sub, 'mallory', option);
  }
});

test('sign refuses what would mint a claim other than the one asked for', () => {
  const key = KEYS.HS256;
  const invalid = {
    expiresIn: [null, ...NON_FINITE, -1],
    notBefore: [null, ...NON_FINITE],
    currentDate: [null, ...NON_FINITE, -1, new Date(NaN)],
    audience: [null, [], '', [undefined], [, 'a']],
    issuer: [null], subject: [null], kid: [null], typ: [null], jti: [null, NaN], iat: [null],
    header: [null, { x: NaN }, { x: [undefined] }],
  };
  for (const [option, values] of Object.entries(invalid)) {
    for (const value of values) {
      assert.throws(() => sign({}, key, { [option]: value }),
        (error) => error instanceof TypeError && error.message.startsWith(`options.${option}`), `${option}: ${describe(value)}`);
    }
  }
  for (const payload of [{ exp: NaN }, { exp: Infinity }, { aud: ['a', undefined] }, { nested: { at: -Infinity } }]) {
    assert.throws(() => sign(payload, key, {}), (error) => error instanceof TypeError && error.message.startsWith('payload'), describe(payload));
  }
});

test('the other options objects refuse null too', () => {
  assert.throws(() => generateApiKey({ prefix: null }), { name: 'TypeError', message: 'options.prefix must be a string' });
  assert.throws(() => hashSecret('pw', { algorithm: null }), { name: 'TypeError', message: 'options.algorithm must be a string' });
  assert.throws(() => hashSecret('pw', { iterations: NaN }), TypeError);
});
