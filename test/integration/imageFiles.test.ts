/**
 * Images named by file: the client library reads them in its own process,
 * relative to its own working directory, and the engine opens no file a
 * client names. Real engine, real client processes, real files and FIFOs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { connect, type Client } from '../../client';
import { IMAGES_AS_BYTES, LIMITS, overLimit } from '../../protocol';
import { Agent } from '../helpers/agent';
import { decodePng, inkBox, solidPng } from '../helpers/png';
import { rawClient, type RawClient } from '../helpers/rawClient';
import { isAlive, nextEvent, sharedEngine, startEngine, type TestEngine } from '../helpers/engine';

const shared = sharedEngine(['--persistent', '--test-input', '--monitors', '800x600@96']);
let engine: TestEngine;
let pp: Client;
beforeAll(() => ({ engine, client: pp } = shared));

const GREEN = [0, 255, 0, 255];

/** A fresh folder holding `green.png` (20×20) and a FIFO, `fifo`. */
function filesDir(): { dir: string; green: string; fifo: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-files-'));
  const green = path.join(dir, 'green.png');
  fs.writeFileSync(green, solidPng(20, 20, '#00ff00'));
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  return { dir, green, fifo };
}

async function elementCount(id: string): Promise<number> {
  return (await pp.listSurfaces()).find((s) => s.id === id)!.elements;
}

/** The message the raw client received for `seq` (a reply, or an error event). */
async function answer(raw: RawClient, seq: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = (raw.received as Array<Record<string, unknown>>).find((m) => m.seq === seq);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no answer to seq ${seq}; got ${JSON.stringify(raw.received)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('image files', () => {
  it("reads a relative path against the client process's working directory, not the engine's", async () => {
    const { dir } = filesDir();
    // The engine runs in the repository's folder, where no green.png exists.
    expect(fs.existsSync(path.join(process.cwd(), 'green.png'))).toBe(false);
    const agent = new Agent(shared.env(), [], { cwd: dir });
    try {
      await agent.waitLine((l) => l.ready === true);
      agent.send({ do: 'request', id: 1, op: 'createHud', fields: { width: 20, height: 20, placement: { x: 700, y: 500 } } });
      const { id } = (await agent.waitLine((l) => l.id === 1)).result as { id: string };
      agent.send({ do: 'command', id: 2, op: 'setImage', fields: { surface: id, key: 'pic', x: 0, y: 0, path: 'green.png' } });
      agent.send({ do: 'command', id: 3, op: 'show', fields: { surface: id } });
      agent.send({ do: 'request', id: 4, op: 'sync', fields: {} });
      await agent.waitLine((l) => l.id === 4);
      const shot = await decodePng((await pp.request('screenshot', {})).png);
      expect(shot.at(710, 510)).toEqual(GREEN);
      expect(agent.lines.filter((l) => (l.event as { type?: string } | undefined)?.type === 'error')).toEqual([]);
    } finally {
      await agent.kill();
    }
  });

  it('refuses a FIFO, a device, a directory, a missing file and a file over maxImageBytes in the client, before reading, and goes on', async () => {
    const { dir, green, fifo } = filesDir();
    const huge = path.join(dir, 'huge.png');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, LIMITS.maxImageBytes + 1); // sparse: no disk, no time
    const hud = await pp.createHud({ width: 20, height: 20 });
    const refusals: Array<[string, string, string]> = [
      [fifo, 'imageError', 'not a regular file (a FIFO)'],
      ['/dev/zero', 'imageError', 'not a regular file (a character device)'],
      [dir, 'imageError', 'not a regular file (a directory)'],
      [path.join(dir, 'missing.png'), 'imageError', 'ENOENT'],
      [huge, 'limitExceeded', `${overLimit('maxImageBytes')} ("${huge}" has ${LIMITS.maxImageBytes + 1} bytes)`],
    ];
    const started = Date.now();
    for (const [file, code, text] of refusals) {
      const seq = pp.command('setImage', { surface: hud.id, key: 'img', x: 0, y: 0, path: file });
      expect(await nextEvent(pp, 'error')).toEqual({ type: 'error', seq, op: 'setImage', code, message: expect.stringContaining(text) });
    }
    await expect(pp.createTray({ icon: { path: '/dev/zero' } })).rejects.toMatchObject({
      code: 'imageError',
      message: expect.stringContaining('a character device'),
    });
    // Refused from the file's type and size: nothing of /dev/zero or the sparse file was read.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await elementCount(hud.id)).toBe(0);
    hud.setImage('img', { x: 0, y: 0, path: green });
    const p = await decodePng((await hud.snapshot()).png);
    expect(p.at(10, 10)).toEqual(GREEN);
    hud.destroy();
  });

  it('reports a command whose files make a frame over maxFrameBytes as an error event, and goes on', async () => {
    const { dir, green } = filesDir();
    // Three valid PNGs, each padded after its end to three quarters of maxImageBytes: together over maxFrameBytes.
    const padded = path.join(dir, 'padded.png');
    fs.copyFileSync(green, padded);
    fs.truncateSync(padded, (LIMITS.maxImageBytes * 3) / 4);
    const hud = await pp.createHud({ width: 20, height: 20 });
    const image = (key: string) => ({ op: 'setImage' as const, surface: hud.id, key, x: 0, y: 0, path: padded });
    const seq = pp.command('batch', { commands: [image('a'), image('b'), image('c')] });
    hud.setImage('after', { x: 0, y: 0, path: green });
    expect(await nextEvent(pp, 'error')).toMatchObject({
      seq,
      op: 'batch',
      code: 'frameTooLarge',
      message: expect.stringContaining(`${LIMITS.maxFrameBytes}-byte limit`),
    });
    expect((await decodePng((await hud.snapshot()).png)).at(10, 10)).toEqual(GREEN);
    expect(await elementCount(hud.id)).toBe(1);
    hud.destroy();
  });

  it('keeps the order of the commands behind an image file being read', async () => {
    const { green } = filesDir();
    const hud = await pp.createHud({ width: 40, height: 20 });
    // Drawn in the order the elements were added: the text only shows on the image if it came after it.
    hud.setImage('pic', { x: 0, y: 0, width: 40, height: 20, path: green });
    hud.setText('label', { text: 'Hi', x: 2, y: 2, fontSize: 14, color: '#000000' });
    // The same key: the rect, sent last, must be what stays.
    hud.setImage('corner', { x: 30, y: 10, path: green });
    hud.setRect('corner', { x: 30, y: 10, width: 10, height: 10, fill: '#0000ff' });
    pp.batch([
      { op: 'setImage', surface: hud.id, key: 'batched', x: 20, y: 0, width: 5, height: 5, path: green },
      { op: 'setRect', surface: hud.id, key: 'batched', x: 20, y: 0, width: 5, height: 5, fill: '#ff0000' },
    ]);
    const p = await decodePng((await hud.snapshot()).png);
    const darkTextOnImage = Array.from({ length: 18 * 18 }, (_, i) => p.at(i % 18, Math.floor(i / 18))).some(([, g]) => g < 128);
    expect(darkTextOnImage).toBe(true);
    expect(p.at(25, 15)).toEqual(GREEN);
    expect(p.at(35, 15)).toEqual([0, 0, 255, 255]);
    expect(p.at(22, 2)).toEqual([255, 0, 0, 255]);
    expect(await elementCount(hud.id)).toBe(4);
    hud.destroy();
  });

  it('refuses a truncated PNG or JPEG with imageError and draws nothing', async () => {
    const hud = await pp.createHud({ width: 20, height: 20 });
    const png = solidPng(20, 20, '#00ff00');
    const jpeg = createCanvas(20, 20).encodeSync('jpeg', 90);
    for (const [data, text] of [
      [png.subarray(0, png.length - 12), 'truncated PNG: no IEND chunk'],
      [jpeg.subarray(0, jpeg.length - 2), 'truncated JPEG: no EOI marker'],
    ] as const) {
      const seq = pp.command('setImage', { surface: hud.id, key: 'cut', x: 0, y: 0, data });
      expect(await nextEvent(pp, 'error')).toMatchObject({ seq, code: 'imageError', message: expect.stringContaining(text) });
    }
    expect(inkBox(await decodePng((await hud.snapshot()).png))).toBeNull();
    expect(await elementCount(hud.id)).toBe(0);
    hud.destroy();
  });
});

describe('the wire carries bytes only', () => {
  it('a frame naming a file gets invalidCommand, and the engine never opens it: a FIFO blocks nothing, a PNG is not drawn', async () => {
    const { green, fifo } = filesDir();
    const raw = await rawClient(engine);
    try {
      raw.send({ op: 'createHud', seq: 1, width: 20, height: 20 });
      const { id } = (await answer(raw, 1)).result as { id: string };
      raw.send({ op: 'setImage', seq: 2, surface: id, key: 'a', x: 0, y: 0, path: fifo });
      raw.send({ op: 'setImage', seq: 3, surface: id, key: 'b', x: 0, y: 0, path: green });
      raw.send({ op: 'setDraw', seq: 4, surface: id, key: 'c', ops: [{ type: 'image', x: 0, y: 0, path: green }] });
      raw.send({ op: 'batch', seq: 5, commands: [{ op: 'setImage', surface: id, key: 'd', x: 0, y: 0, path: green }] });
      raw.send({ op: 'createTray', seq: 6, icon: { path: green } });
      raw.send({ op: 'snapshot', seq: 7, surface: id });
      for (const seq of [2, 3, 4, 5]) {
        expect(await answer(raw, seq)).toMatchObject({ type: 'error', seq, code: 'invalidCommand', message: expect.stringContaining(IMAGES_AS_BYTES) });
      }
      expect(await answer(raw, 6)).toMatchObject({ type: 'reply', error: { code: 'invalidCommand', message: expect.stringContaining(IMAGES_AS_BYTES) } });
      const shot = (await answer(raw, 7)).result as { png: Uint8Array };
      expect(inkBox(await decodePng(shot.png))).toBeNull();
      // No process has the FIFO open for reading: opening it to write, without waiting, finds no reader.
      expect(() => fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)).toThrow(expect.objectContaining({ code: 'ENXIO' }));
      // Everyone else's images still go straight through.
      const hud = await pp.createHud({ width: 20, height: 20 });
      hud.setImage('inline', { x: 0, y: 0, data: solidPng(20, 20, '#00ff00') });
      const started = Date.now();
      expect((await decodePng((await hud.snapshot()).png)).at(10, 10)).toEqual(GREEN);
      expect(Date.now() - started).toBeLessThan(2_000);
      hud.destroy();
    } finally {
      raw.close();
    }
  });
});

it('after a reconnect, surfaces are rebuilt from the bytes read, not by reading the files again', async () => {
  const { green } = filesDir();
  const own = await startEngine(['--persistent', '--test-input']);
  const client = await connect({
    endpoint: own.endpoint,
    stateDir: own.stateDir,
    reconnect: true,
    autostart: true,
    engineArgs: ['--test-input'],
    idleExitMs: 500,
  });
  try {
    const hud = await client.createHud({ width: 20, height: 20 });
    hud.setImage('pic', { x: 0, y: 0, path: green });
    const tray = await client.createTray({ tooltip: 'icon from a file', icon: { path: green } });
    await client.sync();
    // The file changes after it was sent: the rebuilt surface shows what the app sent, as before.
    fs.writeFileSync(green, solidPng(20, 20, '#ff0000'));
    own.proc.kill('SIGKILL');
    await nextEvent(client, 'reconnecting');
    expect(await nextEvent(client, 'reconnected', 15_000)).toMatchObject({ surfaces: 2 });
    expect((await decodePng((await hud.snapshot()).png)).at(10, 10)).toEqual(GREEN);
    expect((await client.listSurfaces()).map((s) => s.id).sort()).toEqual([hud.id, tray.id].sort());
  } finally {
    const { pid } = await client.status();
    await client.close();
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
}, 30_000);
