// The edgeauth package in a Node script: an issuer publishing its keys on a
// real HTTP server (127.0.0.1), and a client verifying its tokens through a
// RemoteKeySet, the way a service checks an identity provider's tokens; then
// an API key made, stored as a hash and checked. Run: node examples/node/issue-and-verify.mjs
import { createServer } from 'node:http';
import { Key, KeySet, RemoteKeySet, StoredSecrets, generateApiKey, sign } from 'edgeauth';

/** The issuer: a signing key, and its public JWK Set served at /.well-known/jwks.json. */
async function startIssuer() {
  const signing = Key.generate('ES256');
  const jwks = JSON.stringify(new KeySet().add(signing).toJwks());
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(jwks);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const issue = (sub) => sign({ sub }, signing, { issuer: url, audience: 'orders', expiresIn: 300 });
  return { url, kid: signing.kid, issue, close: () => server.close() };
}

const issuer = await startIssuer();
try {
  // The client: keys fetched once, cached as Cache-Control says, refetched for an unknown kid.
  const remote = new RemoteKeySet(`${issuer.url}/.well-known/jwks.json`);
  const options = { algorithms: ['ES256'], issuer: issuer.url, audience: 'orders' };
  const { payload } = await remote.verify(issuer.issue('alice'), options);
  console.log(`verified: ${payload.sub}`);
  // Another key under the issuer's kid: the signature gives it away.
  const forged = sign({ sub: 'mallory' }, Key.generate('ES256', issuer.kid), { issuer: issuer.url, audience: 'orders', expiresIn: 300 });
  console.log(`forged: ${await remote.verify(forged, options).then(() => 'accepted', (error) => error.code)}`);

  // An API key: the client gets the token once; only its hash is stored.
  const apiKey = generateApiKey({ prefix: 'demo' });
  const stored = new StoredSecrets({ clients: [apiKey.hash] });
  console.log(`api key: ${await stored.verify('clients', apiKey.token)}, wrong key: ${await stored.verify('clients', `${apiKey.token}x`)}`);
} finally {
  issuer.close();
}
