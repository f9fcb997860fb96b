// A Worker that uses the package as users would: bundled by wrangler, run in workerd.
import { Key, sign, verify, generateApiKey, verifySecret } from 'edgeauth';

export default {
  async fetch() {
    const key = Key.generate('ES256');
    const token = sign({ sub: 'in-workerd' }, key, { expiresIn: 60 });
    const { payload } = verify(token, Key.fromJwk(key.toJwk()), { algorithms: ['ES256'] });
    const apiKey = generateApiKey();
    return Response.json({ sub: payload.sub, apiKey: verifySecret(apiKey.token, apiKey.hash) });
  },
};
