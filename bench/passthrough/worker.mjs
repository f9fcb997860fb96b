// The passthrough reference Worker for the load benchmark: every request
// forwarded to the same echo origin as the gateways', with no authentication
// at all. The ceiling: no gateway in front of that origin can serve more.
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.ORIGIN_URL + url.pathname + url.search, { method: request.method, headers: request.headers });
  },
};
