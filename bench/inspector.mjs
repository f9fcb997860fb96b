// A Chrome DevTools protocol session with a Worker's isolate, through
// workerd's inspector (Miniflare's `inspectorPort`), so the benchmarks can
// look inside the Worker without any route of its own: profile-gateway.mjs
// takes CPU profiles, soak.mjs reads the isolate's memory.
import WebSocket from 'ws';

/** A session with the user Worker's isolate (Miniflare lists it as
 * `core:user:<name>`, beside its own): `send(method, params)` resolves with
 * the result and rejects with the error; `on(method, listener)` hears events. */
export async function inspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const target = targets.find(({ id }) => id.startsWith('core:user:'));
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
  const pending = new Map();
  const listeners = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(data);
    if (message.method) listeners.get(message.method)?.(message.params);
    const settle = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) settle?.reject(new Error(`inspector: ${message.error.message}`));
    else settle?.resolve(message.result);
  });
  let id = 0;
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    pending.set(++id, { resolve, reject });
    socket.send(JSON.stringify({ id, method, params }));
  });
  return { send, on: (method, listener) => listeners.set(method, listener), close: () => socket.close() };
}

/** The id of the isolate's execution context, which Runtime.evaluate needs in workerd. */
export async function executionContext({ send, on }) {
  const created = new Promise((resolve) => on('Runtime.executionContextCreated', ({ context }) => resolve(context.id)));
  await send('Runtime.enable');
  return created;
}

/** A full garbage collection. workerd runs it at the isolate's next turn,
 * so `nudge` (a request to the Worker) is sent until it is done. */
async function collectGarbage(send, nudge) {
  let done = false;
  const collected = send('HeapProfiler.collectGarbage').then(() => { done = true; });
  while (!done) await Promise.race([collected, nudge().then(() => new Promise((resolve) => setTimeout(resolve, 50)))]);
}

/**
 * The isolate's live memory in bytes, after a full garbage collection: the
 * JS heap in use, and the size of every WebAssembly.Memory (wasm memory only
 * grows, so this is its high-water mark). `contextId` is executionContext's.
 */
export async function memory(session, contextId, nudge) {
  const { send } = session;
  await collectGarbage(send, nudge);
  const { usedSize } = await send('Runtime.getHeapUsage');
  const { result: prototype } = await send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', contextId, objectGroup: 'memory' });
  const { objects } = await send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId, objectGroup: 'memory' });
  const { result } = await send('Runtime.callFunctionOn', {
    objectId: objects.objectId, returnByValue: true,
    functionDeclaration: 'function () { return this.reduce((sum, memory) => sum + memory.buffer.byteLength, 0); }',
  });
  await send('Runtime.releaseObjectGroup', { objectGroup: 'memory' });
  return { heap: usedSize, wasm: result.value };
}
