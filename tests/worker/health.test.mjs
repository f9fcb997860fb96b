// The Worker's liveness probe and its JSON 404, end to end in workerd.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startWorker } from "./harness.mjs";

describe("worker: health and unknown routes", () => {
  let worker;

  before(async () => {
    worker = await startWorker();
  });

  after(async () => {
    await worker?.stop();
  });

  test("GET /health answers 200 {status: ok} as JSON", async () => {
    const res = await fetch(`${worker.url}/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(await res.json(), { status: "ok" });
  });

  test("an unknown path answers 404 with a JSON error", async () => {
    const res = await fetch(`${worker.url}/no/such/route`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const body = await res.json();
    assert.equal(body.error, "not_found");
    assert.equal(typeof body.message, "string");
  });

  test("a non-GET /health is 405 with Allow: GET", async () => {
    const res = await fetch(`${worker.url}/health`, { method: "POST", body: "{}" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET");
    assert.equal((await res.json()).error, "method_not_allowed");
  });
});
