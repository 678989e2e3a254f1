// AkkaGame JavaScript client: the game protocol (docs/PROTOCOL.md) over WebSocket, one binary
// message per protobuf ClientMessage/ServerMessage, with pings, request/answer by seq/ack, and
// reconnect-and-resume as the .NET GameClient does it. Works in browsers (plain <script> tags:
// vendor/protobuf.light.min.js, src/game-descriptor.js, then this file) and in Node.js
// (require("@akkagame/client"), with a WebSocket implementation such as the "ws" package).
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("protobufjs/light"), require("./game-descriptor.js"));
  } else {
    root.AkkaGame = factory(root.protobuf, root.AkkaGameDescriptor);
  }
})(typeof self !== "undefined" ? self : this, function (protobuf, descriptor) {
  "use strict";

  const PROTOCOL_VERSION = 1;
  const proto = protobuf.Root.fromJSON(descriptor).lookup("akkagame.v1");
  const ClientMessage = proto.lookupType("ClientMessage");
  const ServerMessage = proto.lookupType("ServerMessage");
  const ErrorCode = proto.lookupEnum("ErrorCode").values;

  /** Fatal codes after which logging in again by itself would be wrong (as GameClient). */
  const FINAL = new Set(["SESSION_REPLACED", "AUTH_FAILED", "NOT_AUTHENTICATED", "UNSUPPORTED_VERSION"]);
  const MAX_BACKOFF_MS = 5000;

  /** A protocol error answered by the server: code (e.g. "RATE_LIMITED"), message, fatal. */
  class GameError extends Error {
    constructor(error) {
      super(`${error.code}: ${error.message}`);
      this.name = "GameError";
      this.code = error.code;
      this.fatal = !!error.fatal;
    }
  }

  /** Bytes of one ClientMessage (for tests and tools that speak the protocol by hand). */
  function encode(message) {
    const err = ClientMessage.verify(message);
    if (err) throw new TypeError("not a ClientMessage: " + err);
    return ClientMessage.encode(ClientMessage.fromObject(message)).finish();
  }

  /** One ServerMessage from bytes, as a plain object: enums as names, 64-bit numbers as Number. */
  function decode(bytes) {
    const message = ServerMessage.decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    return ServerMessage.toObject(message, { longs: Number, enums: String, defaults: true, oneofs: true });
  }

  /**
   * A player's connection to AkkaGame, surviving disconnects:
   *   const client = new AkkaGame.GameClient({ urls: ["ws://127.0.0.1:7780/ws"], guestName: "ann" });
   *   client.on("delta", d => ...); const welcome = await client.connect();
   *   await client.request({ mine: { asteroidId: "a-1" } }); // resolves with the Credits answer
   * Events: welcome, snapshot, delta, chat, credits, jumped, pong, notice, error (GameError),
   * message (every ServerMessage), state ("connecting", "playing", "reconnecting", "closed").
   */
  class GameClient {
    constructor(options) {
      if (!options || !(options.urls || options.url)) throw new TypeError("options.urls (or url) is required");
      this.urls = options.urls || [options.url];
      this.guestName = options.guestName || "";
      this.token = options.token || "";
      this.resumeToken = options.resumeToken || "";
      // Hello.predicts_motion (PROTOCOL.md, Motion prediction): deltas then leave out ships that
      // only flew on; the client must move each ship by its velocity between deltas itself.
      this.predictsMotion = options.predictsMotion === true;
      this.autoReconnect = options.autoReconnect !== false;
      this.pingIntervalMs = options.pingIntervalMs ?? 5000;
      this.requestTimeoutMs = options.requestTimeoutMs ?? 10000;
      this.reconnectDelayMs = options.reconnectDelayMs ?? 250;
      this.WebSocket = options.WebSocket || (typeof WebSocket !== "undefined" ? WebSocket : null);
      if (!this.WebSocket) throw new TypeError("no WebSocket implementation: pass options.WebSocket (e.g. require('ws'))");
      this.welcome = null;
      this.state = "closed";
      this._handlers = new Map();
      this._pending = new Map(); // seq -> { resolve, reject, timer }
      this._seq = 0;
      this._urlIndex = 0;
      this._socket = null;
      this._closedByUser = false;
      this._pinger = null;
      this._backoffMs = this.reconnectDelayMs;
    }

    on(event, handler) {
      if (!this._handlers.has(event)) this._handlers.set(event, new Set());
      this._handlers.get(event).add(handler);
      return () => this._handlers.get(event).delete(handler);
    }

    /** Connects and logs in; resolves with the Welcome, rejects with a GameError (or a connection failure). */
    connect() {
      this._closedByUser = false;
      return this._open();
    }

    /** Sends a message; returns its seq. Throws when not connected. */
    send(message) {
      if (!this._socket || this._socket.readyState !== 1) throw new Error("not connected");
      const seq = ++this._seq;
      this._socket.send(encode({ ...message, seq }));
      return seq;
    }

    /** Sends and resolves with the server's answer to it (the message whose ack is its seq); an Error answer rejects. */
    request(message, timeoutMs = this.requestTimeoutMs) {
      return new Promise((resolve, reject) => {
        let seq;
        try { seq = this.send(message); } catch (e) { reject(e); return; }
        const timer = setTimeout(() => {
          this._pending.delete(seq);
          reject(new Error(`no answer to seq ${seq} within ${timeoutMs} ms`));
        }, timeoutMs);
        this._pending.set(seq, { resolve, reject, timer });
      });
    }

    moveTo(x, y) { return this.send({ moveTo: { x, y } }); }
    chat(text) { return this.request({ chat: { text } }); }
    mine(asteroidId) { return this.request({ mine: { asteroidId } }); }
    jump(gateId) { return this.request({ jump: { gateId } }); }
    ping() { return this.request({ ping: { clientTimeUs: Date.now() * 1000 } }); }

    /** Leaves the game (the ship is removed) and closes; no reconnect. */
    async leave() {
      try { this.send({ leave: {} }); } catch { /* already gone */ }
      this.close();
    }

    /** Closes without leaving: the ship stays for the reconnect grace, resumable with resumeToken. */
    close() {
      this._closedByUser = true;
      this._teardown();
      this._setState("closed");
    }

    _emit(event, value) {
      const handlers = this._handlers.get(event);
      if (handlers) for (const h of [...handlers]) {
        try { h(value); } catch (e) { setTimeout(() => { throw e; }); }
      }
    }

    _setState(state) {
      if (this.state !== state) {
        this.state = state;
        this._emit("state", state);
      }
    }

    _open() {
      this._lastFatal = null;
      this._setState(this.welcome ? "reconnecting" : "connecting");
      const url = this.urls[this._urlIndex % this.urls.length];
      return new Promise((resolve, reject) => {
        let settled = false;
        const socket = new this.WebSocket(url);
        socket.binaryType = "arraybuffer";
        this._socket = socket;
        this._seq = 0;
        const hello = { protocolVersion: PROTOCOL_VERSION };
        if (this.predictsMotion) hello.predictsMotion = true;
        this._resuming = !!this.resumeToken;
        if (this.resumeToken) hello.resumeToken = this.resumeToken;
        else if (this.token) hello.token = this.token;
        else hello.guestName = this.guestName;

        socket.onopen = () => {
          const seq = this.send({ hello });
          this._pending.set(seq, {
            resolve: (m) => {
              settled = true;
              resolve(m.welcome);
            },
            reject: (e) => {
              settled = true;
              // Refused before ever playing: nothing to resume, the client is done.
              if (!this.welcome) this._setState("closed");
              reject(e);
            },
            timer: null,
          });
        };
        socket.onmessage = (event) => this._receive(decode(event.data));
        socket.onerror = () => { /* the close that follows says what happened */ };
        socket.onclose = () => {
          if (this._socket !== socket) return;
          this._teardown();
          if (!settled) {
            settled = true;
            reject(this._lastFatal || new Error(`connection to ${url} closed before Welcome`));
          }
          // Never logged in: connect() has its answer; nothing to resume.
          if (!this.welcome) {
            this._setState("closed");
            return;
          }
          this._afterClose();
        };
      });
    }

    _receive(m) {
      this._emit("message", m);
      if (m.welcome) {
        this.welcome = m.welcome;
        if (m.welcome.resumeToken) this.resumeToken = m.welcome.resumeToken;
        this._backoffMs = this.reconnectDelayMs;
        this._lastFatal = null;
        this._setState("playing");
        this._startPings();
      }
      const body = m.body;
      if (body === "error") {
        const error = new GameError(m.error);
        if (error.fatal) this._lastFatal = error;
        this._emit("error", error);
      } else if (body) {
        this._emit(body, m[body]);
      }
      if (m.ack && this._pending.has(m.ack) && body !== "snapshot") {
        const pending = this._pending.get(m.ack);
        this._pending.delete(m.ack);
        clearTimeout(pending.timer);
        if (body === "error") pending.reject(new GameError(m.error));
        else pending.resolve(m);
      }
      if (body === "notice" && m.notice.reconnectAfterMs) this._noticeDelayMs = m.notice.reconnectAfterMs;
    }

    _startPings() {
      clearInterval(this._pinger);
      if (this.pingIntervalMs > 0) {
        this._pinger = setInterval(() => {
          try { this.send({ ping: { clientTimeUs: Date.now() * 1000 } }); } catch { /* reconnecting */ }
        }, this.pingIntervalMs);
      }
    }

    _teardown() {
      clearInterval(this._pinger);
      this._pinger = null;
      for (const [, pending] of this._pending) {
        clearTimeout(pending.timer);
        pending.reject(this._lastFatal || new Error("connection closed"));
      }
      this._pending.clear();
      const socket = this._socket;
      this._socket = null;
      if (socket && socket.readyState <= 1) {
        try { socket.close(1000); } catch { /* closing anyway */ }
      }
    }

    /** After a drop: resume on the next endpoint with the resume token, backing off with jitter. */
    _afterClose() {
      const fatal = this._lastFatal;
      this._emit("disconnected", fatal);
      if (this._closedByUser || !this.autoReconnect || this._isFinal(fatal)) {
        this._setState("closed");
        return;
      }
      this._setState("reconnecting");
      this._urlIndex++;
      const base = this._noticeDelayMs || this._backoffMs;
      this._noticeDelayMs = 0;
      const wait = base + Math.random() * base / 4;
      this._backoffMs = Math.min(MAX_BACKOFF_MS, this._backoffMs * 2);
      setTimeout(() => {
        // Each attempt that fails closes its socket, which comes back here.
        if (!this._closedByUser) this._open().then((welcome) => this._emit("reconnected", welcome), () => {});
      }, wait);
    }

    /** Whether a fatal error ends the client: a final code, unless it only refused a resume token (then log in afresh). */
    _isFinal(fatal) {
      if (!fatal || !FINAL.has(fatal.code)) return false;
      if (fatal.code === "AUTH_FAILED" && this._resuming && (this.token || this.guestName)) {
        this.resumeToken = "";
        return false;
      }
      return true;
    }
  }

  return { GameClient, GameError, encode, decode, ErrorCode, PROTOCOL_VERSION };
});
