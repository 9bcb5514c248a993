// Unit test for the XWD decoder on synthetic dumps (no X server needed), so
// byte order, masks, padding and the colormap offset are covered everywhere.
import { decodeXwd } from './xwd';

interface Synth {
  bpp: 16 | 24 | 32;
  msbFirst: boolean;
  masks: [number, number, number];
  ncolors: number;
}

/** Builds a 3x2 XWD whose pixel (x, y) has raw value raw(x, y). */
function synth(o: Synth, raw: (x: number, y: number) => number): Buffer {
  const width = 3,
    height = 2,
    name = 'test\0';
  const headerSize = 100 + name.length;
  const bytesPerPixel = o.bpp / 8;
  const bytesPerLine = Math.ceil((width * bytesPerPixel) / 4) * 4 + 4; // extra padding on purpose
  const header = Buffer.alloc(headerSize);
  const fields = [
    headerSize,
    7,
    2,
    o.bpp === 32 ? 24 : o.bpp,
    width,
    height,
    0,
    o.msbFirst ? 1 : 0,
    32,
    0,
    32,
    o.bpp,
    bytesPerLine,
    4,
    ...o.masks,
    8,
    o.ncolors,
    o.ncolors,
    width,
    height,
    0,
    0,
    0,
  ];
  for (const [i, v] of fields.entries()) header.writeUInt32BE(v, i * 4);
  header.write(name, 100, 'latin1');
  const colors = Buffer.alloc(o.ncolors * 12, 0xaa); // must be skipped
  const data = Buffer.alloc(bytesPerLine * height, 0xee);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const off = y * bytesPerLine + x * bytesPerPixel;
      const v = raw(x, y);
      for (let i = 0; i < bytesPerPixel; i++) {
        const byte = Math.floor(v / 256 ** i) % 256; // i-th least significant byte
        data[off + (o.msbFirst ? bytesPerPixel - 1 - i : i)] = byte;
      }
    }
  }
  return Buffer.concat([header, colors, data]);
}

const rgbMasks: [number, number, number] = [0xff0000, 0x00ff00, 0x0000ff];
const value = (x: number, y: number): number => ((x * 80) << 16) | ((y * 200) << 8) | (x + y * 3 + 7);

describe('decodeXwd', () => {
  for (const bpp of [24, 32] as const) {
    for (const msbFirst of [false, true]) {
      test(`${bpp} bpp, ${msbFirst ? 'MSB' : 'LSB'} first`, () => {
        const img = decodeXwd(synth({ bpp, msbFirst, masks: rgbMasks, ncolors: 256 }, value));
        expect([img.width, img.height]).toEqual([3, 2]);
        for (let y = 0; y < 2; y++) {
          for (let x = 0; x < 3; x++) {
            expect(img.pixel(x, y)).toEqual({ r: x * 80, g: y * 200, b: x + y * 3 + 7 });
            expect([...img.rgba.subarray((y * 3 + x) * 4, (y * 3 + x) * 4 + 4)]).toEqual([x * 80, y * 200, x + y * 3 + 7, 255]);
          }
        }
      });
    }
  }

  test('BGR masks and an alpha byte set in 32 bpp', () => {
    const img = decodeXwd(synth({ bpp: 32, msbFirst: false, masks: [0x0000ff, 0x00ff00, 0xff0000], ncolors: 0 }, () => 0xff000000 + 0x123456));
    expect(img.pixel(2, 1)).toEqual({ r: 0x56, g: 0x34, b: 0x12 });
  });

  test('16 bpp RGB565 scales channels to 8 bits', () => {
    const img = decodeXwd(synth({ bpp: 16, msbFirst: false, masks: [0xf800, 0x07e0, 0x001f], ncolors: 0 }, (x) => (x === 0 ? 0xffff : 0x0000)));
    expect(img.pixel(0, 0)).toEqual({ r: 255, g: 255, b: 255 });
    expect(img.pixel(1, 0)).toEqual({ r: 0, g: 0, b: 0 });
  });

  test('rejects truncated data and out-of-range pixels', () => {
    const full = synth({ bpp: 32, msbFirst: false, masks: rgbMasks, ncolors: 2 }, value);
    expect(() => decodeXwd(full.subarray(0, full.length - 1))).toThrow(/truncated/);
    expect(() => decodeXwd(full).pixel(3, 0)).toThrow(RangeError);
  });
});
