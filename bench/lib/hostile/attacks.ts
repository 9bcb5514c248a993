import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Packr } from 'msgpackr';
import { encodeBody } from '../../../protocol';
import { sleep } from '../stats';
import { HostileConnection, frameOf, header, type Outcome } from './wire';

/** Where an attack runs: the engine's endpoint and token, a private scratch folder, and how long to keep at it. */
export interface AttackTarget {
  endpoint: string;
  token: string;
  scratch: string;
  durationMs: number;
}

/** What an attack reports: the engine's answers, and anything it obtained that it should not have. */
export interface AttackReport extends Outcome {
  findings: string[];
}

export interface Attack {
  name: string;
  /** What the client does, as a user would describe it. */
  row: string;
  run(target: AttackTarget): Promise<AttackReport>;
}

const MIB = 2 ** 20;
/** Bytes an attacker writes at a time when it trickles a frame in. */
const TRICKLE_BYTES = 64 * 1024;

function report(connections: HostileConnection[], findings: string[] = []): AttackReport {
  const errors = connections.flatMap((c) => c.outcome.errors);
  const cut = connections.find((c) => c.outcome.disconnected);
  return {
    errors,
    disconnected: cut !== undefined,
    ...(cut?.outcome.reason !== undefined ? { reason: cut.outcome.reason } : {}),
    longestErrorBytes: Math.max(0, ...connections.map((c) => c.outcome.longestErrorBytes)),
    findings,
  };
}

/** A visible HUD of the attacker's own, `side` square; its id. */
async function ownHud(c: HostileConnection, side = 200): Promise<string> {
  const reply = await c.request('createHud', { width: side, height: side, placement: { x: 0, y: 0 } });
  const id = (reply.result as { id?: string } | undefined)?.id;
  if (!id) throw new Error(`createHud refused: ${JSON.stringify(reply.error)}`);
  c.send('show', { surface: id });
  return id;
}

/** Send one command per `everyMs` until the attack's time is up or the engine cuts the connection. */
async function repeatUntil(target: AttackTarget, c: HostileConnection, everyMs: number, each: (i: number) => void): Promise<void> {
  const until = Date.now() + target.durationMs;
  for (let i = 0; Date.now() < until && !c.outcome.disconnected; i++) {
    each(i);
    await sleep(everyMs);
  }
}

function pngBytes(side: number): Buffer {
  const canvas = createCanvas(side, side);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ff0000';
  ctx.fillRect(0, 0, side, side);
  return canvas.toBuffer('image/png');
}

/** The snapshot of a surface, as bytes, to compare before and after an attempt. */
async function snapshot(c: HostileConnection, surface: string): Promise<string> {
  const reply = await c.request('snapshot', { surface });
  return JSON.stringify(reply.result ?? reply.error);
}

/** Name files by path: the engine must neither read them nor tell whether they exist. */
async function namePaths(target: AttackTarget, paths: string[]): Promise<AttackReport> {
  const c = await HostileConnection.authenticated(target.endpoint, target.token);
  const hud = await ownHud(c);
  await c.request('sync');
  const before = await snapshot(c, hud);
  await repeatUntil(target, c, 50, (i) => c.send('setImage', { surface: hud, key: `img${i % 4}`, x: 0, y: 0, path: paths[i % paths.length] }));
  await c.request('sync');
  const findings: string[] = [];
  if ((await snapshot(c, hud)) !== before) findings.push("a file named by path was drawn on the attacker's surface");
  const messages = new Set(c.outcome.errors.map((e) => e.message.replace(/"[^"]*"/g, '""')));
  if (messages.size > 1) findings.push(`error messages differ between paths: ${[...messages].join(' | ')}`);
  c.close();
  return report([c], findings);
}

export const ATTACKS: Attack[] = [
  {
    name: 'devZero',
    row: 'setImage with path "/dev/zero"',
    run: (t) => namePaths(t, ['/dev/zero']),
  },
  {
    name: 'fifos',
    row: 'setImage with the paths of four FIFOs',
    async run(t) {
      const fifos = [0, 1, 2, 3].map((i) => path.join(t.scratch, `fifo${i}`));
      for (const f of fifos) execFileSync('mkfifo', [f]);
      return namePaths(t, fifos);
    },
  },
  {
    name: 'files',
    row: 'setImage with readable paths: a 0600 PNG, a relative path, a missing file, /etc/shadow',
    async run(t) {
      const secret = path.join(t.scratch, 'secret.png');
      fs.writeFileSync(secret, pngBytes(64), { mode: 0o600 });
      return namePaths(t, [secret, 'package.json', path.join(t.scratch, 'missing.png'), '/etc/shadow']);
    },
  },
  {
    name: 'nonReader',
    row: 'status requests sent without pause by a client that never reads its socket',
    async run(t) {
      const c = await HostileConnection.authenticated(t.endpoint, t.token);
      c.socket.pause();
      const until = Date.now() + t.durationMs;
      const burst = Buffer.concat(Array.from({ length: 1000 }, () => frameOf(encodeBody({ op: 'status', seq: c.nextSeq() }))));
      while (Date.now() < until && (await c.write(burst)));
      // Read what is left, to see whether and why the engine cut the connection.
      c.socket.resume();
      await Promise.race([c.closed, sleep(3_000)]);
      c.close();
      return report([c]);
    },
  },
  {
    name: 'heavyDraw',
    row: 'setDraw: 40 polylines × 20,000 points, width 40, round joins, then 1-pixel changes',
    async run(t) {
      const c = await HostileConnection.authenticated(t.endpoint, t.token);
      const hud = await ownHud(c, 1000);
      const polyline = (shift: number) => ({
        type: 'polyline',
        points: Array.from({ length: 20_000 }, (_, i) => ((i * 7919 + shift) % 1000) + (i % 2) * 0.5),
        stroke: '#00ff00',
        strokeWidth: 40,
        lineJoin: 'round',
      });
      await repeatUntil(t, c, 100, (i) =>
        c.send('setDraw', { surface: hud, key: 'art', ops: Array.from({ length: 40 }, (_, k) => polyline(k === 0 ? i : k)) }),
      );
      c.close();
      return report([c]);
    },
  },
  {
    name: 'trickledFrame',
    row: 'three 16 MiB frames, each arriving in 64 KiB reads',
    async run(t) {
      const c = await HostileConnection.authenticated(t.endpoint, t.token);
      const frame = frameOf(encodeBody({ op: 'status', seq: c.nextSeq(), pad: Buffer.alloc(16 * MIB - 64) }));
      for (let sent = 0; sent < 3; sent++) {
        for (let at = 0; at < frame.length; at += TRICKLE_BYTES) if (!(await c.write(frame.subarray(at, at + TRICKLE_BYTES)))) break;
        if (c.outcome.disconnected) break;
      }
      await sleep(200);
      c.close();
      return report([c]);
    },
  },
  {
    name: 'preAuth',
    row: '20 connections without a token, each sending a 16 MiB partial frame',
    async run(t) {
      const conns = await Promise.all(Array.from({ length: 20 }, () => HostileConnection.open(t.endpoint)));
      const chunk = Buffer.alloc(TRICKLE_BYTES, 0x61);
      await Promise.all(
        conns.map(async (c) => {
          if (!(await c.write(header(16 * MIB)))) return;
          for (let sent = 0; sent < 16 * MIB - TRICKLE_BYTES && (await c.write(chunk)); sent += TRICKLE_BYTES);
        }),
      );
      await Promise.race([Promise.all(conns.map((c) => c.closed)), sleep(t.durationMs)]);
      for (const c of conns) c.close();
      return report(conns);
    },
  },
  {
    name: 'lengthPrefix',
    row: 'a length prefix of 2^32 − 1 after the handshake',
    async run(t) {
      const c = await HostileConnection.authenticated(t.endpoint, t.token);
      await c.write(Buffer.concat([header(0xffffffff), Buffer.alloc(TRICKLE_BYTES)]));
      const until = Date.now() + t.durationMs;
      while (Date.now() < until && (await c.write(Buffer.alloc(TRICKLE_BYTES))));
      c.close();
      return report([c]);
    },
  },
  {
    name: 'bigSurfaces',
    row: '30 surfaces of 4096×4096, then 30 of the largest a surface may be (4096×2048), each drawn and shown',
    async run(t) {
      const c = await HostileConnection.authenticated(t.endpoint, t.token);
      for (let i = 0; i < 60 && !c.outcome.disconnected; i++) {
        const reply = await c.request('createHud', { width: 4096, height: i < 30 ? 4096 : 2048, placement: { x: 0, y: 0 } });
        const id = (reply.result as { id?: string } | undefined)?.id;
        if (!id) continue;
        c.send('setRect', { surface: id, key: 'bg', x: 0, y: 0, width: 4096, height: 2048, fill: '#10203040' });
        c.send('show', { surface: id });
        await c.request('sync');
      }
      await sleep(t.durationMs / 2);
      c.close();
      return report([c]);
    },
  },
  {
    name: 'recordShapes',
    row: 'msgpack record shapes: one of 300,000 keys, then thousands of distinct ones',
    async run(t) {
      const c = await HostileConnection.authenticated(t.endpoint, t.token);
      // The engine decodes the command stream as sequential records: this codec's shapes become the engine's.
      const codec = new Packr({ sequential: true, mapsAsObjects: true, bundleStrings: false });
      const huge: Record<string, unknown> = { op: 'status', seq: c.nextSeq() };
      for (let k = 0; k < 300_000; k++) huge[`k${k}`] = 0;
      await c.write(frameOf(codec.pack(huge)));
      const until = Date.now() + t.durationMs;
      for (let i = 0; Date.now() < until && !c.outcome.disconnected; i++) {
        await c.write(frameOf(codec.pack({ op: 'status', seq: c.nextSeq(), [`shape${i}`]: i })));
        if (i % 100 === 0) await sleep(1);
      }
      await sleep(200);
      c.close();
      return report([c]);
    },
  },
  {
    name: 'hugeMap',
    row: 'a command map with 1,000,000 unknown keys, sent again on each answer',
    async run(t) {
      const c = await HostileConnection.authenticated(t.endpoint, t.token);
      const fields: Record<string, number> = {};
      for (let k = 0; k < 1_000_000; k++) fields[`u${k}`] = 0;
      const codec = new Packr({ useRecords: false, variableMapSize: true });
      const until = Date.now() + t.durationMs;
      while (Date.now() < until && !c.outcome.disconnected) await c.request('status', fields, codec);
      c.close();
      return report([c]);
    },
  },
  {
    name: 'truncatedPng',
    row: 'setImage with a PNG cut short',
    async run(t) {
      const c = await HostileConnection.authenticated(t.endpoint, t.token);
      const hud = await ownHud(c);
      await c.request('sync');
      const before = await snapshot(c, hud);
      const png = pngBytes(128);
      const cut = png.subarray(0, Math.floor(png.length * 0.6));
      await repeatUntil(t, c, 100, () => c.send('setImage', { surface: hud, key: 'img', x: 0, y: 0, data: cut }));
      await c.request('sync');
      const findings = (await snapshot(c, hud)) !== before ? ['a truncated PNG was drawn'] : [];
      c.close();
      return report([c], findings);
    },
  },
];

export function attackNamed(name: string): Attack {
  const attack = ATTACKS.find((a) => a.name === name);
  if (!attack) throw new Error(`unknown attack "${name}" (have ${ATTACKS.map((a) => a.name).join(', ')})`);
  return attack;
}
