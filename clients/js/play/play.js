// The page where a person plays AkkaGame in a browser, on the JavaScript client (clients/js).
// Everything it knows comes from the server: the snapshot when entering a sector, a delta each
// tick, and the answers to mine, jump and chat. Data attributes mirror what is drawn, for tests.
"use strict";

const $ = (id) => document.getElementById(id);
const canvas = $("space");
const view = { sectorId: null, width: 1000, height: 1000, ships: new Map(), asteroids: new Map(), gates: [] };
let client = null;

function socketUrl() {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
}

function me() {
  return client && client.welcome ? view.ships.get(client.welcome.playerId) : null;
}

function showError(text) {
  $("last-error").textContent = text;
}

function enterSector(snapshot) {
  view.sectorId = snapshot.sectorId;
  view.width = snapshot.width || 1000;
  view.height = snapshot.height || 1000;
  view.ships = new Map(snapshot.ships.map(s => [s.playerId, s]));
  view.asteroids = new Map(snapshot.asteroids.map(a => [a.id, a]));
  view.gates = snapshot.gates;
  $("sector").textContent = snapshot.sectorId;
  $("chat-log").replaceChildren();
  for (const line of snapshot.recentChat) addChat(line);
  draw();
}

function applyDelta(delta) {
  if (delta.sectorId !== view.sectorId) return;
  for (const s of delta.ships) view.ships.set(s.playerId, s);
  for (const id of delta.removedShips) view.ships.delete(id);
  for (const a of delta.asteroids) view.asteroids.set(a.id, a);
  draw();
}

function addChat(line) {
  const li = document.createElement("li");
  li.textContent = `${line.fromName}: ${line.text}`;
  $("chat-log").appendChild(li);
  li.scrollIntoView({ block: "nearest" });
}

function toCanvas(x, y) {
  return [x * canvas.width / view.width, y * canvas.height / view.height];
}

function draw() {
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#05070a";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = "11px sans-serif";
  for (const g of view.gates) {
    const [x, y] = toCanvas(g.x, g.y);
    ctx.strokeStyle = "#6fa8ff"; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(x, y, 14, 0, Math.PI * 2); ctx.stroke();
    ctx.fillStyle = "#6fa8ff"; ctx.fillText("gate → " + g.toSector, x - 30, y - 18);
  }
  for (const a of view.asteroids.values()) {
    const [x, y] = toCanvas(a.x, a.y);
    ctx.fillStyle = a.ore > 0 ? "#a98b6d" : "#4a4037";
    ctx.beginPath(); ctx.arc(x, y, 6 + Math.min(8, a.ore / 100), 0, Math.PI * 2); ctx.fill();
    ctx.fillStyle = "#8593a3"; ctx.fillText(String(a.ore), x + 10, y + 4);
  }
  const mine = me();
  for (const s of view.ships.values()) {
    const [x, y] = toCanvas(s.x, s.y);
    const own = mine && s.playerId === mine.playerId;
    ctx.fillStyle = own ? "#ffd966" : s.connected ? "#7ef0a0" : "#6b7a70";
    ctx.beginPath(); ctx.moveTo(x, y - 8); ctx.lineTo(x - 6, y + 6); ctx.lineTo(x + 6, y + 6); ctx.fill();
    ctx.fillText(s.name, x + 9, y + 4);
  }
  canvas.dataset.sector = view.sectorId || "";
  canvas.dataset.ships = view.ships.size;
  if (mine) {
    canvas.dataset.x = mine.x.toFixed(1);
    canvas.dataset.y = mine.y.toFixed(1);
  }
}

function nearest(items) {
  const ship = me();
  if (!ship) return null;
  let best = null, bestDistance = Infinity;
  for (const item of items) {
    const d = Math.hypot(item.x - ship.x, item.y - ship.y);
    if (d < bestDistance) { best = item; bestDistance = d; }
  }
  return best;
}

async function act(what, run) {
  showError("");
  try {
    await run();
  } catch (e) {
    showError(e.code === "OUT_OF_RANGE" ? `${what}: too far, fly closer (${e.message})` : `${what}: ${e.message}`);
  }
}

canvas.addEventListener("click", (e) => {
  if (!client || client.state !== "playing") return;
  const r = canvas.getBoundingClientRect();
  const x = (e.clientX - r.left) * view.width / r.width;
  const y = (e.clientY - r.top) * view.height / r.height;
  try { client.moveTo(x, y); } catch (err) { showError(err.message); }
});

$("mine").addEventListener("click", () => act("mine", async () => {
  const rock = nearest([...view.asteroids.values()].filter(a => a.ore > 0));
  if (!rock) throw new Error("no asteroid with ore here");
  const answer = await client.mine(rock.id);
  $("credits").textContent = answer.credits.balance;
}));

$("jump").addEventListener("click", () => act("jump", async () => {
  const gate = nearest(view.gates);
  if (!gate) throw new Error("no gate here");
  await client.jump(gate.id);
}));

$("chat-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("chat-text").value.trim();
  if (!text) return;
  $("chat-text").value = "";
  act("chat", () => client.chat(text));
});

$("login").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (client) client.close();
  client = new AkkaGame.GameClient({ urls: [socketUrl()], guestName: $("name").value.trim() });
  client.on("state", (state) => {
    $("state").textContent = state;
    $("state").className = "badge " + state;
  });
  client.on("welcome", (w) => {
    $("credits").textContent = w.credits;
    $("node").textContent = "served by " + w.node.replace(/^akka\.tcp:\/\/[^@]+@/, "");
  });
  client.on("snapshot", enterSector);
  client.on("delta", applyDelta);
  client.on("chat", addChat);
  client.on("credits", (c) => { $("credits").textContent = c.balance; });
  client.on("error", (err) => { if (err.fatal) showError(err.message); });
  try {
    await client.connect();
    $("login").hidden = true;
    $("game").hidden = false;
  } catch (err) {
    $("login-error").textContent = err.message;
  }
});
