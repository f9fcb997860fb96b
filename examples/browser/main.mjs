// The browser example's script: init() once, then the package as anywhere
// else. verifyAsync checks ES256 with the browser's WebCrypto; the engine
// still parses the token, checks alg, picks the key and validates claims.
import { init, Key, KeySet, sign, verifyAsync } from 'edgeauth';

await init();

const key = Key.generate('ES256');
const token = sign({ sub: 'browser-user', scope: 'read' }, key, { issuer: 'https://auth.example.test', audience: 'web', expiresIn: 300 });
// What a page would fetch from its issuer's /.well-known/jwks.json: public keys only.
const jwks = new KeySet(new KeySet().add(key).toJwks());
const options = { algorithms: ['ES256'], issuer: 'https://auth.example.test', audience: 'web' };

const { payload } = await verifyAsync(token, jwks, options);
const at = token.lastIndexOf('.') + 10;
const tampered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
const refusal = await verifyAsync(tampered, jwks, options).then(() => 'accepted', (error) => error.code);

document.getElementById('token').textContent = `${token.slice(0, 40)}…`;
document.getElementById('claims').textContent = JSON.stringify(payload);
document.getElementById('tampered').textContent = refusal;
document.body.dataset.result = JSON.stringify({ sub: payload.sub, tampered: refusal });
