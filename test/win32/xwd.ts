// Decoder for X Window Dump files as written by `xwd` (X11 XWD version 7):
// a big-endian header, the window name, a colormap, then raw ZPixmap rows
// whose byte order and channel masks the header gives (TrueColor, 16/24/32 bpp).

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, rows top to bottom; alpha is always 255. */
  rgba: Buffer;
  pixel(x: number, y: number): Rgb;
}

const HEADER_FIELDS = 25;
const ZPIXMAP = 2;
const MSB_FIRST = 1;
const PSEUDO_COLOR = 3;

/** Shift and width of a channel mask, to scale any bit depth to 8 bits. */
function maskInfo(mask: number): { shift: number; max: number } {
  if (mask === 0) throw new Error('XWD: zero channel mask');
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

export function decodeXwd(buf: Buffer): DecodedImage {
  if (buf.length < HEADER_FIELDS * 4) throw new Error('XWD: file too short');
  const h = (i: number): number => buf.readUInt32BE(i * 4);
  const headerSize = h(0);
  const version = h(1);
  const format = h(2);
  const width = h(4);
  const height = h(5);
  const byteOrder = h(7);
  const bitsPerPixel = h(11);
  const bytesPerLine = h(12);
  const visualClass = h(13);
  const masks = [h(14), h(15), h(16)];
  const ncolors = h(19);
  if (version !== 7) throw new Error(`XWD: unsupported version ${version}`);
  if (format !== ZPIXMAP) throw new Error(`XWD: unsupported pixmap format ${format}`);
  if (bitsPerPixel !== 16 && bitsPerPixel !== 24 && bitsPerPixel !== 32) throw new Error(`XWD: unsupported ${bitsPerPixel} bits per pixel`);
  if (visualClass === PSEUDO_COLOR) throw new Error('XWD: colormapped visuals are not supported');

  const dataStart = headerSize + ncolors * 12; // XWDColor entries are 12 bytes
  if (buf.length < dataStart + bytesPerLine * height) throw new Error('XWD: truncated pixel data');
  const bytesPerPixel = bitsPerPixel / 8;
  const [rInfo, gInfo, bInfo] = masks.map(maskInfo) as [ReturnType<typeof maskInfo>, ReturnType<typeof maskInfo>, ReturnType<typeof maskInfo>];
  const scale = (raw: number, info: { shift: number; max: number }): number => Math.round((((raw >>> info.shift) & info.max) * 255) / info.max);

  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    let src = dataStart + y * bytesPerLine;
    let dst = y * width * 4;
    for (let x = 0; x < width; x++, src += bytesPerPixel, dst += 4) {
      let raw = 0;
      for (let i = 0; i < bytesPerPixel; i++) {
        const byte = buf[src + (byteOrder === MSB_FIRST ? i : bytesPerPixel - 1 - i)]!;
        raw = raw * 256 + byte; // not <<: 32-bit values would turn negative
      }
      rgba[dst] = scale(raw, rInfo);
      rgba[dst + 1] = scale(raw, gInfo);
      rgba[dst + 2] = scale(raw, bInfo);
      rgba[dst + 3] = 255;
    }
  }

  const pixel = (x: number, y: number): Rgb => {
    if (x < 0 || y < 0 || x >= width || y >= height) throw new RangeError(`pixel (${x}, ${y}) outside ${width}x${height}`);
    const i = (y * width + x) * 4;
    return { r: rgba[i]!, g: rgba[i + 1]!, b: rgba[i + 2]! };
  };
  return { width, height, rgba, pixel };
}
