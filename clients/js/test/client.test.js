// The JavaScript client against a real node: AKKAGAME_WS_URL names its WebSocket gateway
// (tests/Node.Tests/Web/JavaScriptClientTests.cs starts one and runs these with node --test).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const WebSocket = require("ws");
const { GameClient, GameError, encode, decode } = require("../src/akkagame-client.js");

const url = process.env.AKKAGAME_WS_URL;
if (!url) throw new Error("set AKKAGAME_WS_URL to a node's ws://host:port/ws");

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
function next(client, event, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${event} within ${timeoutMs} ms`)); }, timeoutMs);
    const off = client.on(event, (value) => { clearTimeout(timer); off(); resolve(value); });
  });
}

test("encodes and decodes the protocol's messages", () => {
  const bytes = encode({ seq: 7, moveTo: { x: 1.5, y: 2 } });
  assert.ok(bytes.length > 0);
  assert.throws(() => encode({ seq: "x" }));
  const server = decode(require("protobufjs/light").Root.fromJSON(require("../src/game-descriptor.js"))
    .lookupType("akkagame.v1.ServerMessage").encode({ ack: 3, credits: { balance: 40, delta: 10, reason: "mined" } }).finish());
  assert.equal(server.body, "credits");
  assert.equal(server.credits.balance, 40);
});

test("logs in, gets the sector, moves and is answered by seq", async () => {
  const client = new GameClient({ url, guestName: "js-test", WebSocket });
  const snapshot = next(client, "snapshot");
  const welcome = await client.connect();
  try {
    assert.match(welcome.playerId, /^guest-/);
    assert.equal((await snapshot).sectorId, welcome.sectorId);
    const seq = client.moveTo(100, 200);
    for (let i = 0; i < 50; i++) {
      const delta = await next(client, "delta");
      if (delta.ships.some((s) => s.playerId === welcome.playerId && s.lastInputSeq >= seq)) break;
      assert.ok(i < 49, "no delta acknowledged the move");
    }
    const pong = await client.ping();
    assert.ok(pong.pong.serverTimeUs > 0);
    const chat = await client.chat("hello from node:test");
    assert.equal(chat.chat.text, "hello from node:test");
  } finally {
    client.close();
  }
});

test("a client that predicts motion is sent its flying ship when it starts and when it stops only", async () => {
  const client = new GameClient({ url, guestName: "js-seer", WebSocket, predictsMotion: true });
  const snapshot = next(client, "snapshot");
  const welcome = await client.connect();
  try {
    const start = (await snapshot).ships.find((s) => s.playerId === welcome.playerId);
    // 800 units at this node's 4,000 a second: four ticks, of which the middle two only fly on.
    const seq = client.moveTo(start.x > 500 ? start.x - 800 : start.x + 800, start.y);
    const told = [];
    for (let i = 0; i < 40; i++) {
      const delta = await next(client, "delta");
      const own = delta.ships.find((s) => s.playerId === welcome.playerId);
      if (own && own.lastInputSeq >= seq) told.push(own);
      if (own && own.lastInputSeq >= seq && own.vx === 0 && own.vy === 0) break;
      assert.ok(i < 39, "the ship did not arrive");
    }
    assert.equal(told.length, 2, `sent ${told.length} times: ${JSON.stringify(told)}`);
    assert.ok(Math.abs(told[0].vx) > 0);
  } finally {
    client.close();
  }
});

test("an error answer rejects the request with the protocol's code, not fatal", async () => {
  const client = new GameClient({ url, guestName: "js-errors", WebSocket });
  await client.connect();
  try {
    await assert.rejects(client.mine("no-such-rock"), (e) => e instanceof GameError && e.code === "UNKNOWN_TARGET" && !e.fatal);
    assert.equal(client.state, "playing");
  } finally {
    client.close();
  }
});

test("a dropped connection resumes the same player by itself", async () => {
  const client = new GameClient({ url, guestName: "js-resume", WebSocket, reconnectDelayMs: 100 });
  const welcome = await client.connect();
  try {
    const reconnected = next(client, "reconnected");
    client._socket.terminate(); // the network drops it (no close handshake)
    const again = await reconnected;
    assert.equal(again.playerId, welcome.playerId);
    assert.equal(client.state, "playing");
  } finally {
    client.close();
  }
});

test("a session replaced elsewhere is final: no reconnect", async () => {
  const first = new GameClient({ url, guestName: "js-replaced", WebSocket, reconnectDelayMs: 100 });
  const welcome = await first.connect();
  const second = new GameClient({ url, resumeToken: welcome.resumeToken, WebSocket });
  const error = next(first, "error");
  await second.connect();
  try {
    assert.equal((await error).code, "SESSION_REPLACED");
    await wait(600);
    assert.equal(first.state, "closed");
  } finally {
    first.close();
    second.close();
  }
});

test("a refused login rejects connect with the fatal code", async () => {
  const client = new GameClient({ url, token: "v1.p.bm9wZQ.bm9wZQ.MQ.c2ln", WebSocket });
  await assert.rejects(client.connect(), (e) => e instanceof GameError && e.code === "AUTH_FAILED" && e.fatal);
  assert.equal(client.state, "closed");
});
