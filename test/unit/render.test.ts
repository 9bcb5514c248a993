import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import type { DrawElement, Element, TextStyle } from '../../protocol';
import { Scene } from '../../engine/core/scene';
import type { Frame } from '../../engine/platform/platform';
import { cssColor } from '../../engine/render/colors';
import { parseColor } from '../../protocol';
import { composeDesktop, cropFrame, encodePng, scaleFrame } from '../../engine/render/compose';
import { defaultFontFamily, fontFamilyList, registerFonts } from '../../engine/render/fonts';
import { decodeImage } from '../../engine/render/decodeImage';
import { attachDecoded } from '../../engine/render/images';
import { SkiaRenderer } from '../../engine/render/skiaRenderer';
import { inkBoxOf } from '../helpers/png';

const renderer = new SkiaRenderer();

function sceneOf(...elements: Element[]): Scene {
  const scene = new Scene();
  for (const [i, e] of elements.entries()) scene.set({ ...e, key: `e${i}` });
  return scene;
}

function render(width: number, height: number, ...elements: Element[]): Frame {
  return renderer.render(sceneOf(...elements), width, height, 1);
}

function px(frame: Frame, x: number, y: number): number[] {
  const i = (y * frame.width + x) * 4;
  return [...frame.pixels.subarray(i, i + 4)];
}

/** Bounding box of every pixel with any alpha, or null when nothing was drawn. */
function inkBox(frame: Frame): ReturnType<typeof inkBoxOf> {
  return inkBoxOf(frame.width, frame.height, (x, y) => frame.pixels[(y * frame.width + x) * 4 + 3]!);
}

/** Asserts ink exists and every inked pixel lies within the logical box (scaled). */
function expectInkWithin(frame: Frame, box: { x: number; y: number; width: number; height: number }, scale = 1): void {
  const ink = inkBox(frame);
  expect(ink).not.toBeNull();
  expect(ink!.left).toBeGreaterThanOrEqual(Math.floor(box.x * scale));
  expect(ink!.top).toBeGreaterThanOrEqual(Math.floor(box.y * scale));
  expect(ink!.right).toBeLessThan(Math.ceil((box.x + box.width) * scale));
  expect(ink!.bottom).toBeLessThan(Math.ceil((box.y + box.height) * scale));
}

function expectClose(actual: number[], expected: number[], tolerance = 1): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, v] of actual.entries()) expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance);
}

/** A 4×4 PNG: top half opaque red, bottom half half-transparent blue; decoded and attached as the engine's main thread does. */
async function testPng(): Promise<{ png: Buffer; blueAlpha: number }> {
  const canvas = createCanvas(4, 4);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ff0000';
  ctx.fillRect(0, 0, 4, 2);
  ctx.fillStyle = 'rgba(0, 0, 255, 0.5)';
  ctx.fillRect(0, 2, 4, 2);
  const png = canvas.encodeSync('png');
  attachDecoded(png, await decodeImage(png));
  return { png, blueAlpha: canvas.data()[2 * 16 + 3]! };
}

describe('colors', () => {
  test('all four forms, alpha included', () => {
    expect(parseColor('#f80')).toEqual([255, 136, 0, 255]);
    expect(parseColor('#f808')).toEqual([255, 136, 0, 136]);
    expect(parseColor('#FF8800')).toEqual([255, 136, 0, 255]);
    expect(parseColor('#ff880080')).toEqual([255, 136, 0, 128]);
    expect(cssColor('#ff880080')).toBe(`rgba(255, 136, 0, ${128 / 255})`);
  });
});

describe('render', () => {
  test('frame is the physical size, transparent where nothing is drawn', () => {
    const frame = renderer.render(new Scene(), 30.4, 20.6, 1.5);
    expect([frame.width, frame.height]).toEqual([46, 31]);
    expect(frame.pixels.length).toBe(46 * 31 * 4);
    expect(frame.pixels.every((v) => v === 0)).toBe(true);
  });

  test('rect fill comes out premultiplied, exactly', () => {
    const frame = render(
      100,
      50,
      { kind: 'rect', x: 10, y: 10, width: 40, height: 20, fill: '#ff000080' },
      { kind: 'rect', x: 60, y: 10, width: 20, height: 20, fill: '#3366cc' },
    );
    expect(px(frame, 20, 20)).toEqual([128, 0, 0, 128]);
    expect(px(frame, 70, 20)).toEqual([0x33, 0x66, 0xcc, 255]);
    expect(px(frame, 5, 5)).toEqual([0, 0, 0, 0]);
    expect(px(frame, 50, 20)).toEqual([0, 0, 0, 0]);
    expect(inkBox(frame)).toEqual({ left: 10, top: 10, right: 79, bottom: 29 });
  });

  test('rounded corners are transparent', () => {
    const frame = render(40, 40, { kind: 'rect', x: 0, y: 0, width: 40, height: 40, fill: '#ffffff', cornerRadius: 10 });
    for (const [x, y] of [
      [0, 0],
      [1, 1],
      [39, 0],
      [0, 39],
      [38, 38],
    ] as const)
      expect(px(frame, x, y)).toEqual([0, 0, 0, 0]);
    for (const [x, y] of [
      [20, 20],
      [20, 0],
      [0, 20],
      [39, 20],
      [20, 39],
    ] as const)
      expect(px(frame, x, y)).toEqual([255, 255, 255, 255]);
  });

  test('border is drawn inside the rect', () => {
    const frame = render(60, 60, { kind: 'rect', x: 10, y: 10, width: 30, height: 30, fill: '#000000', borderColor: '#00ff00', borderWidth: 3 });
    for (const x of [10, 11, 12, 37, 38, 39]) expect(px(frame, x, 25)).toEqual([0, 255, 0, 255]);
    for (const y of [10, 12, 37, 39]) expect(px(frame, 25, y)).toEqual([0, 255, 0, 255]);
    expect(px(frame, 13, 25)).toEqual([0, 0, 0, 255]);
    expect(px(frame, 25, 25)).toEqual([0, 0, 0, 255]);
    expect(inkBox(frame)).toEqual({ left: 10, top: 10, right: 39, bottom: 39 });
  });

  test('element opacity scales every pixel', () => {
    const frame = render(20, 20, { kind: 'rect', x: 0, y: 0, width: 20, height: 20, fill: '#ffffff', opacity: 0.5 });
    expectClose(px(frame, 10, 10), [128, 128, 128, 128]);
  });

  test('later elements draw over earlier ones; z reorders', () => {
    const red = { kind: 'rect', x: 0, y: 0, width: 10, height: 10, fill: '#ff0000' } as const;
    const blue = { kind: 'rect', x: 0, y: 0, width: 10, height: 10, fill: '#0000ff' } as const;
    expect(px(render(10, 10, red, blue), 5, 5)).toEqual([0, 0, 255, 255]);
    expect(px(render(10, 10, { ...red, z: 1 }, blue), 5, 5)).toEqual([255, 0, 0, 255]);
  });

  test('scale 2 doubles the pixels and keeps the colors', () => {
    const scene = sceneOf({ kind: 'rect', x: 10, y: 10, width: 20, height: 20, fill: '#00ff0080' });
    const frame = renderer.render(scene, 50, 40, 2);
    expect([frame.width, frame.height]).toEqual([100, 80]);
    expect(px(frame, 30, 30)).toEqual([0, 128, 0, 128]);
    expect(inkBox(frame)).toEqual({ left: 20, top: 20, right: 59, bottom: 59 });
  });
});

describe('text', () => {
  const text = { kind: 'text', text: 'Hello, gyp! ÉÅ', x: 10, y: 8, fontSize: 20 } as const;

  test('pixels exist inside the measured box and none outside', () => {
    const m = renderer.measureText(text.text, { fontSize: 20 });
    expect(m.lines).toBe(1);
    expect(m.height).toBe(25);
    expect(m.width).toBeGreaterThan(50);
    const frame = render(240, 50, text);
    expectInkWithin(frame, { x: 10, y: 8, width: m.width, height: m.height });
    // Default colour is white.
    expect(frame.pixels.some((v, i) => i % 4 === 3 && v === 255 && frame.pixels[i - 1] === 255)).toBe(true);
  });

  test('the same holds at scale 2 and for bold italic', () => {
    const style: TextStyle = { fontSize: 20, fontWeight: 'bold', fontStyle: 'italic' };
    const m = renderer.measureText(text.text, style);
    const frame = renderer.render(sceneOf({ ...text, ...style, color: '#ff8800' }), 240, 50, 2);
    expectInkWithin(frame, { x: 10, y: 8, width: m.width, height: m.height }, 2);
    expect(m.width).toBeGreaterThan(renderer.measureText(text.text, { fontSize: 20 }).width);
  });

  test('wrapWidth wraps into more lines, breaking an over-long word', () => {
    const words = 'The quick brown fox jumps over the lazy dog';
    const one = renderer.measureText(words, {});
    const wrapped = renderer.measureText(words, { wrapWidth: 100 });
    expect(one.lines).toBe(1);
    expect(wrapped.lines).toBeGreaterThan(2);
    expect(wrapped.width).toBeLessThanOrEqual(100);
    // Line boxes of 1.25 × fontSize; the box grows a little when ink needs it (descenders here).
    expect(wrapped.height).toBeGreaterThanOrEqual(wrapped.lines * 14 * 1.25);
    expect(wrapped.height).toBeLessThan(wrapped.lines * 14 * 1.25 + 1);
    const long = renderer.measureText('Supercalifragilisticexpialidocious', { wrapWidth: 50 });
    expect(long.lines).toBeGreaterThan(2);
    expect(long.width).toBeLessThanOrEqual(50);
    expect(renderer.measureText('a\nb\n\nc', {}).lines).toBe(4);
    // A line narrower than any character still terminates: one character per line.
    expect(renderer.measureText('abc de', { wrapWidth: 1 }).lines).toBe(5);
    // Cuts fall between characters, not inside a combined one (e + combining acute).
    const accented = 'e\u0301'.repeat(12);
    const narrow = renderer.measureText(accented, { wrapWidth: 30 });
    expect(narrow.lines).toBeGreaterThan(1);
    expect(narrow.width).toBeLessThanOrEqual(30);
    const frame = render(200, 200, { kind: 'text', text: words, x: 20, y: 10, wrapWidth: 100 });
    expectInkWithin(frame, { x: 20, y: 10, width: wrapped.width, height: wrapped.height });
  });

  test('ellipsis keeps one line within wrapWidth', () => {
    const element = { kind: 'text', text: 'A rather long status line that cannot fit', x: 5, y: 5, wrapWidth: 90, ellipsis: true } as const;
    const frame = render(200, 60, element);
    const bounds = renderer.elementBounds(sceneOf(element), 'e0')!;
    expect(bounds.height).toBeCloseTo(14 * 1.25);
    expect(bounds.width).toBeLessThanOrEqual(90);
    expectInkWithin(frame, { x: 5, y: 5, width: 90, height: 14 * 1.25 });
    // A short text is left alone.
    const short = renderer.elementBounds(sceneOf({ ...element, text: 'Short' }), 'e0')!;
    expect(short.width).toBeCloseTo(renderer.measureText('Short', {}).width);
  });

  test('align right ends at x, or at x + wrapWidth; center centres', () => {
    const base = { kind: 'text', text: 'Right', x: 150, y: 5, fontSize: 16 } as const;
    const left = inkBox(render(200, 30, base))!;
    const right = inkBox(render(200, 30, { ...base, align: 'right' }))!;
    expect(left.left).toBeGreaterThanOrEqual(150);
    expect(right.right).toBeLessThan(150);
    expect(right.right).toBeGreaterThan(145);
    const wrapped = inkBox(render(200, 30, { ...base, x: 10, align: 'right', wrapWidth: 100 }))!;
    expect(wrapped.right).toBeLessThan(110);
    expect(wrapped.right).toBeGreaterThan(105);
    const centred = renderer.elementBounds(sceneOf({ ...base, align: 'center' }), 'e0')!;
    expect(centred.x + centred.width / 2).toBeCloseTo(150);
    expectInkWithin(render(200, 30, { ...base, align: 'center' }), centred);
  });

  test('the default family is a real face, generic names map to real faces', () => {
    expect(GlobalFonts.has(defaultFontFamily())).toBe(true);
    expect(fontFamilyList('sans-serif')).not.toMatch(/sans-serif/);
    expect(fontFamilyList('Nope, DEJAVU SANS MONO')).toMatch(/^"Nope", "DejaVu Sans Mono"/);
    const mono: TextStyle = { fontFamily: 'monospace' };
    expect(renderer.measureText('iiii', mono).width).toBeCloseTo(renderer.measureText('MMMM', mono).width);
    expect(renderer.measureText('iiii', {}).width).toBeLessThan(renderer.measureText('MMMM', {}).width);
  });

  test('registerFonts names the families a file provides', () => {
    const dejavu = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    // DejaVu Sans renamed in its name table (same length, both encodings): a family Skia has not seen.
    const font = readFileSync(dejavu);
    for (const [from, to] of [
      [Buffer.from('DejaVu Sans', 'latin1'), Buffer.from('Panepipe Ts', 'latin1')],
      [Buffer.from('DejaVu Sans', 'utf16le').swap16(), Buffer.from('Panepipe Ts', 'utf16le').swap16()],
    ] as const) {
      for (let at = font.indexOf(from); at >= 0; at = font.indexOf(from, at + 1)) to.copy(font, at);
    }
    const dir = mkdtempSync(join(tmpdir(), 'panepipe-font-'));
    const file = join(dir, 'renamed.ttf');
    writeFileSync(file, font);
    expect(registerFonts([file])).toEqual(['Panepipe Ts']);
    expect(fontFamilyList('panepipe ts')).toMatch(/^"Panepipe Ts"/);
    expect(renderer.measureText('Hello', { fontFamily: 'PANEPIPE TS' }).width).toBeCloseTo(renderer.measureText('Hello', { fontFamily: 'DejaVu Sans' }).width);
    // A face Skia already has adds no family.
    expect(registerFonts([dejavu])).toEqual([]);
    expect(() => registerFonts(['/nonexistent.ttf'])).toThrow(/cannot load font/);
    rmSync(dir, { recursive: true });
  });
});

describe('images', () => {
  let png: Buffer;
  let blueAlpha: number;
  beforeAll(async () => ({ png, blueAlpha } = await testPng()));

  // Rendering itself never awaits: it runs on the engine thread, whose event loop never turns.
  test('an image element draws its pixels, premultiplied, at its own size by default', () => {
    const frame = render(20, 20, { kind: 'image', x: 5, y: 5, data: png });
    expect(px(frame, 6, 6)).toEqual([255, 0, 0, 255]);
    expect(px(frame, 6, 8)).toEqual([0, 0, blueAlpha, blueAlpha]);
    expect(inkBox(frame)).toEqual({ left: 5, top: 5, right: 8, bottom: 8 });
    const scaled = render(20, 20, { kind: 'image', x: 0, y: 0, width: 16, height: 8, data: png });
    expect(inkBox(scaled)).toEqual({ left: 0, top: 0, right: 15, bottom: 7 });
    expect(px(scaled, 8, 1)).toEqual([255, 0, 0, 255]);
  });

  test('bad bytes are refused with imageError before they reach the engine thread; undecoded bytes draw nothing', async () => {
    const expectImageError = (data: Uint8Array) => expect(decodeImage(data)).rejects.toMatchObject({ code: 'imageError' });
    await expectImageError(new TextEncoder().encode('not an image at all'));
    // A PNG header with nothing after it, and one declaring 100000×100000 pixels.
    await expectImageError(png.subarray(0, 40));
    const huge = Buffer.from(png);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    await expect(decodeImage(huge)).rejects.toThrow(/100000×100000/);
    expect(await decodeImage(png)).toMatchObject({ width: 4, height: 4 });
    const jpeg = createCanvas(6, 3).encodeSync('jpeg', 90);
    expect(await decodeImage(jpeg)).toMatchObject({ width: 6, height: 3 });
    const frame = render(10, 10, { kind: 'image', x: 0, y: 0, data: Buffer.from(png) });
    expect(inkBox(frame)).toBeNull();
  });

  test('an image cut short is refused as truncated before decoding; bytes after its end are allowed', async () => {
    // Noise, so the compressed pixels (not the headers) make up most of each file.
    const canvas = createCanvas(64, 48);
    const ctx = canvas.getContext('2d');
    const noise = ctx.createImageData(64, 48);
    for (let i = 0; i < noise.data.length; i++) noise.data[i] = i % 4 === 3 ? 255 : (i * 7919) % 251;
    ctx.putImageData(noise, 0, 0);
    const whole = { PNG: canvas.encodeSync('png'), JPEG: canvas.encodeSync('jpeg', 90) };
    const end = { PNG: 'IEND chunk', JPEG: 'EOI marker' };
    for (const format of ['PNG', 'JPEG'] as const) {
      const bytes = whole[format];
      // Without the end marker alone (what decoders quietly accept), one byte short, and cut in the middle.
      for (const cut of [bytes.length - (format === 'PNG' ? 12 : 2), bytes.length - 1, Math.floor(bytes.length / 2)]) {
        await expect(decodeImage(bytes.subarray(0, cut))).rejects.toMatchObject({
          code: 'imageError',
          message: expect.stringContaining(`truncated ${format}: no ${end[format]}`),
        });
      }
      expect(await decodeImage(Buffer.concat([bytes, Buffer.from('trailing bytes')]))).toMatchObject({ width: 64, height: 48 });
    }
  });

  test('imagePixels gives the attached straight RGBA', () => {
    const { width, height, rgba } = renderer.imagePixels(png)!;
    expect([width, height]).toEqual([4, 4]);
    expect([...rgba.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    expect([...rgba.subarray(2 * 16, 2 * 16 + 4)]).toEqual([0, 0, 255, blueAlpha]);
    expect(renderer.imagePixels(new Uint8Array([1, 2, 3]))).toBeNull();
  });
});

describe('draw', () => {
  const draw = (ops: DrawElement['ops'], extra: Partial<DrawElement> = {}): Element => ({ kind: 'draw', ops, ...extra });

  test('a filled path triangle, from commands and from SVG data', () => {
    const commands = draw(
      [
        {
          type: 'path',
          commands: [{ cmd: 'moveTo', x: 10, y: 10 }, { cmd: 'lineTo', x: 50, y: 10 }, { cmd: 'lineTo', x: 10, y: 50 }, { cmd: 'close' }],
          fill: '#ff0000',
        },
      ],
      { x: 5, y: 5 },
    );
    const frame = render(60, 60, commands);
    expect(px(frame, 20, 20)).toEqual([255, 0, 0, 255]);
    expect(px(frame, 45, 45)).toEqual([0, 0, 0, 0]);
    expect(inkBox(frame)).toEqual({ left: 15, top: 15, right: 54, bottom: 54 });
    const svg = render(60, 60, draw([{ type: 'path', d: 'M10 10 L50 10 L10 50 Z', fill: '#ff0000' }], { x: 5, y: 5 }));
    expect(svg.pixels).toEqual(frame.pixels);
    expect(renderer.elementBounds(sceneOf(commands), 'e0')).toEqual({ x: 15, y: 15, width: 40, height: 40 });
    // Unparseable SVG data draws nothing rather than failing the frame.
    expect(inkBox(render(60, 60, draw([{ type: 'path', d: 'M 10 zz', fill: '#ff0000' }])))).toBeNull();
  });

  test('an ellipse', () => {
    const frame = render(100, 50, draw([{ type: 'ellipse', cx: 50, cy: 25, rx: 20, ry: 10, fill: '#0000ff' }]));
    expect(px(frame, 50, 25)).toEqual([0, 0, 255, 255]);
    expect(px(frame, 32, 25)).toEqual([0, 0, 255, 255]);
    expect(px(frame, 50, 13)).toEqual([0, 0, 0, 0]);
    expect(px(frame, 32, 17)).toEqual([0, 0, 0, 0]);
    expect(inkBox(frame)).toEqual({ left: 30, top: 15, right: 69, bottom: 34 });
  });

  test('a linear gradient changes colour along x', () => {
    const frame = render(
      100,
      10,
      draw([
        {
          type: 'rect',
          x: 0,
          y: 0,
          width: 100,
          height: 10,
          fill: {
            type: 'linearGradient',
            x0: 0,
            y0: 0,
            x1: 100,
            y1: 0,
            stops: [
              { offset: 0, color: '#ff0000' },
              { offset: 1, color: '#0000ff' },
            ],
          },
        },
      ]),
    );
    const reds = [5, 25, 50, 75, 95].map((x) => px(frame, x, 5));
    expect(reds[0]![0]).toBeGreaterThan(230);
    expect(reds[4]![2]).toBeGreaterThan(230);
    for (let i = 1; i < reds.length; i++) {
      expect(reds[i]![0]).toBeLessThan(reds[i - 1]![0]!);
      expect(reds[i]![2]).toBeGreaterThan(reds[i - 1]![2]!);
      expect(reds[i]![3]).toBe(255);
    }
  });

  test('a radial gradient is brightest at its centre', () => {
    const frame = render(
      40,
      40,
      draw([
        {
          type: 'rect',
          x: 0,
          y: 0,
          width: 40,
          height: 40,
          fill: {
            type: 'radialGradient',
            x0: 20,
            y0: 20,
            r0: 0,
            x1: 20,
            y1: 20,
            r1: 20,
            stops: [
              { offset: 0, color: '#ffffff' },
              { offset: 1, color: '#000000' },
            ],
          },
        },
      ]),
    );
    expect(px(frame, 20, 20)[0]).toBeGreaterThan(px(frame, 30, 20)[0]!);
    expect(px(frame, 30, 20)[0]).toBeGreaterThan(px(frame, 39, 20)[0]!);
  });

  test('a stroked arc', () => {
    const frame = render(100, 100, draw([{ type: 'arc', cx: 50, cy: 50, radius: 30, startAngle: 0, endAngle: Math.PI, stroke: '#00ff00', strokeWidth: 4 }]));
    expect(px(frame, 50, 80)).toEqual([0, 255, 0, 255]);
    expect(px(frame, 50, 20)).toEqual([0, 0, 0, 0]);
    expect(px(frame, 50, 50)).toEqual([0, 0, 0, 0]);
    const bounds = renderer.elementBounds(
      sceneOf(draw([{ type: 'arc', cx: 50, cy: 50, radius: 30, startAngle: 0, endAngle: Math.PI, strokeWidth: 4 }])),
      'e0',
    )!;
    expectInkWithin(frame, bounds);
  });

  test('lines, polylines, dashes, and an unpainted line strokes white', () => {
    const frame = render(
      60,
      20,
      draw([
        { type: 'line', x1: 0, y1: 5, x2: 60, y2: 5, strokeWidth: 2 },
        { type: 'polyline', points: [0, 15, 60, 15], stroke: '#ff0000', strokeWidth: 2, dash: [4, 4] },
      ]),
    );
    expect(px(frame, 30, 5)).toEqual([255, 255, 255, 255]);
    expect(px(frame, 1, 15)).toEqual([255, 0, 0, 255]);
    expect(px(frame, 5, 15)).toEqual([0, 0, 0, 0]);
  });

  test('width/height clip the ops; text and image ops draw', async () => {
    const { png } = await testPng();
    const frame = render(100, 60, draw([{ type: 'rect', x: 0, y: 0, width: 100, height: 100, fill: '#ff0000' }], { x: 10, y: 10, width: 20, height: 20 }));
    expect(px(frame, 15, 15)).toEqual([255, 0, 0, 255]);
    expect(px(frame, 35, 15)).toEqual([0, 0, 0, 0]);
    expect(inkBox(frame)).toEqual({ left: 10, top: 10, right: 29, bottom: 29 });
    const mixed = render(
      100,
      60,
      draw(
        [
          { type: 'text', text: 'Hi', x: 0, y: 0 },
          { type: 'image', x: 40, y: 0, data: png },
        ],
        { x: 10, y: 10 },
      ),
    );
    expect(px(mixed, 51, 11)).toEqual([255, 0, 0, 255]);
    const bounds = renderer.elementBounds(
      sceneOf(
        draw(
          [
            { type: 'text', text: 'Hi', x: 0, y: 0 },
            { type: 'image', x: 40, y: 0, data: png },
          ],
          { x: 10, y: 10 },
        ),
      ),
      'e0',
    )!;
    expect(bounds).toEqual({ x: 10, y: 10, width: 44, height: 14 * 1.25 });
  });
});

describe('elementBounds', () => {
  test('rect, image, text and unknown keys', async () => {
    const { png } = await testPng();
    const scene = sceneOf(
      { kind: 'rect', x: 1, y: 2, width: 3, height: 4 },
      { kind: 'image', x: 5, y: 6, data: png },
      { kind: 'text', text: 'Hi', x: 100, y: 10, align: 'right' },
    );
    expect(renderer.elementBounds(scene, 'e0')).toEqual({ x: 1, y: 2, width: 3, height: 4 });
    expect(renderer.elementBounds(scene, 'e1')).toEqual({ x: 5, y: 6, width: 4, height: 4 });
    const m = renderer.measureText('Hi', {});
    expect(renderer.elementBounds(scene, 'e2')).toEqual({ x: 100 - m.width, y: 10, width: m.width, height: m.height });
    expect(renderer.elementBounds(scene, 'nope')).toBeNull();
  });
});

describe('compose', () => {
  const solid = (width: number, height: number, rgba: number[]): Frame => {
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
    return { width, height, pixels };
  };

  test('two overlapping layers with opacity blend source-over, premultiplied', () => {
    const bottom = solid(4, 4, [255, 0, 0, 255]);
    const top = solid(4, 4, [0, 128, 0, 128]);
    const desktop = composeDesktop(
      8,
      8,
      [
        { x: 0, y: 0, opacity: 1, frame: bottom },
        { x: 2, y: 2, opacity: 0.5, frame: top },
      ],
      [0, 0, 255, 255],
    );
    const topAlpha = (128 / 255) * 0.5;
    expectClose(px(desktop, 3, 3), [255 * (1 - topAlpha), 128 * 0.5, 0, 255]);
    expect(px(desktop, 1, 1)).toEqual([255, 0, 0, 255]);
    expectClose(px(desktop, 5, 5), [0, 128 * 0.5, 255 * (1 - topAlpha), 255]);
    expect(px(desktop, 7, 0)).toEqual([0, 0, 255, 255]);
    // Without a background the desktop stays premultiplied and transparent.
    const bare = composeDesktop(8, 8, [{ x: 6, y: 6, opacity: 1, frame: top }]);
    expect(px(bare, 7, 7)).toEqual([0, 128, 0, 128]);
    expect(px(bare, 0, 0)).toEqual([0, 0, 0, 0]);
  });

  test('encodePng round-trips', async () => {
    const frame = render(
      64,
      32,
      { kind: 'rect', x: 0, y: 0, width: 64, height: 32, fill: '#20408080', cornerRadius: 6 },
      {
        kind: 'draw',
        ops: [
          {
            type: 'rect',
            x: 0,
            y: 0,
            width: 64,
            height: 32,
            fill: {
              type: 'linearGradient',
              x0: 0,
              y0: 0,
              x1: 64,
              y1: 0,
              stops: [
                { offset: 0, color: '#ff000000' },
                { offset: 1, color: '#00ff00c0' },
              ],
            },
          },
        ],
      },
      { kind: 'text', text: 'PNG', x: 4, y: 4 },
    );
    const png = encodePng(frame);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const image = await loadImage(png);
    const canvas = createCanvas(image.width, image.height);
    canvas.getContext('2d').drawImage(image, 0, 0);
    const back = canvas.data();
    expect([image.width, image.height]).toEqual([64, 32]);
    let worst = 0;
    for (let i = 0; i < back.length; i++) worst = Math.max(worst, Math.abs(back[i]! - frame.pixels[i]!));
    expect(worst).toBe(0);
  });

  test('crop and scale, as a pip does', () => {
    const source = composeDesktop(8, 4, [
      { x: 0, y: 0, opacity: 1, frame: solid(4, 4, [255, 0, 0, 255]) },
      { x: 4, y: 0, opacity: 1, frame: solid(4, 4, [0, 0, 255, 255]) },
    ]);
    const crop = cropFrame(source, { x: 2, y: -1, width: 4, height: 4 });
    expect([crop.width, crop.height]).toEqual([4, 4]);
    expect(px(crop, 0, 0)).toEqual([0, 0, 0, 0]);
    expect(px(crop, 1, 1)).toEqual([255, 0, 0, 255]);
    expect(px(crop, 2, 1)).toEqual([0, 0, 255, 255]);
    const down = scaleFrame(source, 2, 1);
    expect(px(down, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(px(down, 1, 0)).toEqual([0, 0, 255, 255]);
    const averaged = scaleFrame(source, 1, 1);
    expectClose(px(averaged, 0, 0), [128, 0, 128, 255]);
    const up = scaleFrame(source, 16, 8);
    expect(px(up, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(px(up, 15, 7)).toEqual([0, 0, 255, 255]);
    const edge = px(up, 8, 4);
    expect(edge[0]).toBeGreaterThan(0);
    expect(edge[2]).toBeGreaterThan(0);
    expect(edge[3]).toBe(255);
  });
});
