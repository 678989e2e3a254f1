// AkkaGame dashboard: plain JavaScript, live over server-sent events from this node.
// The overview (members, game nodes, sectors) arrives every second; the watched sector five
// times a second. State a test (or a curious person) can read is also kept in data-* attributes.
"use strict";

const $ = (id) => document.getElementById(id);
const nodeColours = new Map();
let overview = null;
let watched = null;        // sector id being watched
let sectorSource = null;   // its EventSource
const firstSeen = new Map(); // playerId -> first position seen, to tell that ships move

function colourOf(node) {
  if (!nodeColours.has(node)) {
    const hue = (nodeColours.size * 137 + 200) % 360;
    nodeColours.set(node, `hsl(${hue} 65% 60%)`);
  }
  return nodeColours.get(node);
}

function short(address) {
  return address.replace(/^akka\.tcp:\/\/[^@]+@/, "");
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.appendChild(c); else td.textContent = c;
    tr.appendChild(td);
  }
  return tr;
}

function swatch(node) {
  const s = document.createElement("span");
  s.textContent = "■ " + short(node);
  s.style.color = colourOf(node);
  return s;
}

function renderOverview(o) {
  overview = o;
  $("self").textContent = "this node: " + short(o.self);
  const status = $("status");
  status.textContent = `live · ${new Date(o.time).toLocaleTimeString()}`;
  status.className = "badge live";

  const members = $("members").tBodies[0];
  members.replaceChildren(...o.members.map(m => row([short(m.address), m.status, m.roles.join(", "), m.reachable ? "yes" : "NO"])));
  $("members").dataset.count = o.members.length;
  $("members").dataset.up = o.members.filter(m => m.status === "Up").length;

  const nodes = $("nodes").tBodies[0];
  nodes.replaceChildren(...o.nodes.map(n => row([
    swatch(n.node), n.connections, n.sectors.length, n.sectors.reduce((a, s) => a + s.connectedShips, 0),
    n.messagesInPerSecond.toFixed(0), n.messagesOutPerSecond.toFixed(0), (n.bytesOutPerSecond / 1024).toFixed(1),
    n.loginsPerSecond.toFixed(1), Math.max(0, ...n.sectors.map(s => s.tickMillisP99)).toFixed(2) + " ms"])));
  const silent = $("silent");
  silent.hidden = o.silent.length === 0;
  silent.textContent = o.silent.length ? "not answering: " + o.silent.map(short).join(", ") : "";

  renderWorld(o);
  if (!watched) {
    const busiest = o.nodes.flatMap(n => n.sectors).sort((a, b) => b.connectedShips - a.connectedShips)[0];
    if (busiest && busiest.connectedShips > 0) watch(busiest.sectorId);
  }
}

function renderWorld(o) {
  const world = $("world");
  world.style.gridTemplateColumns = `repeat(${o.world.sectorsX}, 1fr)`;
  const hosts = new Map();
  for (const n of o.nodes) for (const s of n.sectors) hosts.set(s.sectorId, { node: n.node, load: s });
  const cells = [];
  for (let y = 0; y < o.world.sectorsY; y++) {
    for (let x = 0; x < o.world.sectorsX; x++) {
      const id = `s-${x}-${y}`;
      const cell = document.createElement("div");
      cell.className = "cell";
      cell.dataset.sector = id;
      const host = hosts.get(id);
      const label = document.createElement("span");
      const idLabel = document.createElement("span");
      idLabel.className = "id";
      idLabel.textContent = id;
      const tick = document.createElement("span");
      tick.className = "id";
      if (host) {
        cell.style.background = colourOf(host.node);
        cell.dataset.node = host.node;
        cell.dataset.players = host.load.connectedShips;
        label.textContent = host.load.connectedShips;
        tick.textContent = host.load.tickMillisP99.toFixed(1) + " ms";
        cell.title = `${id} on ${short(host.node)}: ${host.load.connectedShips} players, ${host.load.ships} ships, tick p99 ${host.load.tickMillisP99.toFixed(2)} ms`;
        cell.onclick = () => watch(id);
      } else {
        cell.classList.add("idle");
        cell.title = `${id}: not running`;
      }
      if (id === watched) cell.classList.add("selected");
      cell.append(label, idLabel);
      if (host) cell.append(tick);
      cells.push(cell);
    }
  }
  world.replaceChildren(...cells);
  world.dataset.running = hosts.size;
}

function watch(id) {
  if (sectorSource) sectorSource.close();
  watched = id;
  firstSeen.clear();
  const canvas = $("spectator");
  canvas.dataset.sector = id;
  canvas.dataset.frames = "0";
  canvas.dataset.moved = "false";
  $("spectated").textContent = id;
  if (overview) renderWorld(overview);
  sectorSource = new EventSource(`api/sectors/${encodeURIComponent(id)}/stream`);
  sectorSource.addEventListener("sector", e => renderSector(JSON.parse(e.data)));
}

function renderSector(view) {
  const canvas = $("spectator");
  const info = $("spectator-info");
  if (!view) {
    info.textContent = "not running";
    canvas.dataset.ships = "0";
    return;
  }
  canvas.dataset.frames = String(Number(canvas.dataset.frames) + 1);
  canvas.dataset.tick = view.tick;
  canvas.dataset.ships = view.ships.length;
  info.textContent = `on ${short(view.node)} · tick ${view.tick} · ${view.ships.length} ships`;
  let moved = canvas.dataset.moved === "true";
  for (const s of view.ships) {
    const first = firstSeen.get(s.playerId);
    if (!first) firstSeen.set(s.playerId, { x: s.x, y: s.y });
    else if (Math.hypot(first.x - s.x, first.y - s.y) > 0.5) moved = true;
  }
  canvas.dataset.moved = String(moved);

  const ctx = canvas.getContext("2d");
  const sx = canvas.width / view.width, sy = canvas.height / view.height;
  ctx.fillStyle = "#0a0d12";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const g of view.gates) {
    ctx.strokeStyle = "#6fa8ff";
    ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(g.x * sx, g.y * sy, 10, 0, Math.PI * 2); ctx.stroke();
    ctx.fillStyle = "#6fa8ff"; ctx.font = "10px sans-serif";
    ctx.fillText("→ " + g.toSector, g.x * sx + 12, g.y * sy + 4);
  }
  for (const a of view.asteroids) {
    ctx.fillStyle = a.ore > 0 ? "#a98b6d" : "#4a4037";
    ctx.beginPath(); ctx.arc(a.x * sx, a.y * sy, 4 + Math.min(6, a.ore / 100), 0, Math.PI * 2); ctx.fill();
  }
  for (const s of view.ships) {
    ctx.fillStyle = s.connected ? "#7ef0a0" : "#6b7a70";
    ctx.beginPath(); ctx.moveTo(s.x * sx, s.y * sy - 6); ctx.lineTo(s.x * sx - 5, s.y * sy + 5); ctx.lineTo(s.x * sx + 5, s.y * sy + 5); ctx.fill();
    ctx.font = "10px sans-serif";
    ctx.fillText(s.name, s.x * sx + 8, s.y * sy + 3);
  }
  const list = $("ships");
  list.replaceChildren(...view.ships.slice(0, 40).map(s => {
    const li = document.createElement("li");
    li.dataset.player = s.playerId;
    li.textContent = `${s.name} (${s.x.toFixed(0)}, ${s.y.toFixed(0)})${s.connected ? "" : " · away"}`;
    return li;
  }));
}

function start() {
  const source = new EventSource("api/overview/stream");
  source.addEventListener("overview", e => renderOverview(JSON.parse(e.data)));
  source.onerror = () => {
    const status = $("status");
    status.textContent = "reconnecting…";
    status.className = "badge down";
  };
}

start();
