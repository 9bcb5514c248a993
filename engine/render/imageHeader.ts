/** The formats the engine decodes. */
export type ImageFormat = 'PNG' | 'JPEG' | 'BMP';

const PNG_SIGNATURE = [0x89504e47, 0x0d0a1a0a] as const;
const PNG_IEND = 0x49454e44;
const JPEG_EOI = 0xd9;

/**
 * Format and size of a PNG, JPEG or BMP from its header, without decoding: lets
 * the engine refuse other formats and oversized images before any pixel is
 * allocated (a small compressed file can declare an enormous image).
 */
export function imageHeader(data: Uint8Array): { format: ImageFormat; width: number; height: number } | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (at: number): number => view.getUint16(at);
  // PNG: 8-byte signature, then the IHDR chunk: length, "IHDR", width, height.
  if (data.length >= 24 && view.getUint32(0) === PNG_SIGNATURE[0] && view.getUint32(4) === PNG_SIGNATURE[1] && view.getUint32(12) === 0x49484452) {
    return { format: 'PNG', width: view.getUint32(16), height: view.getUint32(20) };
  }
  const bmp = bmpHeader(view);
  if (bmp) return bmp;
  // JPEG: SOI, then segments until a start-of-frame marker carrying the size.
  if (data.length < 4 || u16(0) !== 0xffd8) return null;
  let at = 2;
  while (at + 9 <= data.length) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // SOF0–SOF15, except DHT (c4), JPG (c8) and DAC (cc), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'JPEG', width: u16(at + 7), height: u16(at + 5) };
    }
    at += 2 + u16(at + 2);
  }
  return null;
}

/**
 * BMP: "BM", the file header (14 bytes), then the info header whose size
 * says which: the old core header (12) holds 16-bit sizes, the others 32-bit
 * ones, height negative for rows stored top-down.
 */
function bmpHeader(view: DataView): { format: 'BMP'; width: number; height: number } | null {
  if (view.byteLength < 26 || view.getUint16(0) !== 0x424d) return null;
  const infoSize = view.getUint32(14, true);
  if (infoSize === 12) return { format: 'BMP', width: view.getUint16(18, true), height: view.getUint16(20, true) };
  if (infoSize < 40 || view.byteLength < 30) return null;
  return { format: 'BMP', width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
}

/**
 * Whether the image runs to its format's end: a PNG's chunks reach IEND, a
 * JPEG reaches its EOI marker. The decoder accepts a file cut short and
 * draws what it got, so a truncated image would pass for a whole one. A BMP
 * holds the file size it declares. Bytes after the end are allowed, as
 * decoders allow them.
 */
export function reachesEnd(data: Uint8Array, format: ImageFormat): boolean {
  if (format === 'BMP') return data.length >= new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(2, true);
  return format === 'PNG' ? pngReachesIend(data) : jpegReachesEoi(data);
}

/** Walks the chunks (length, type, data, CRC) from the signature on. */
function pngReachesIend(data: Uint8Array): boolean {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let at = 8; at + 12 <= data.length; at += 12 + view.getUint32(at)) {
    if (view.getUint32(at + 4) === PNG_IEND) return true;
  }
  return false;
}

/**
 * Walks the markers: a segment is skipped by its length, and entropy-coded
 * data (after a scan header) is searched for the next marker, where 0xff is
 * followed by 0x00 (a stuffed byte) or a restart marker unless a marker starts.
 */
function jpegReachesEoi(data: Uint8Array): boolean {
  let at = 2;
  for (;;) {
    at = data.indexOf(0xff, at);
    if (at < 0 || at + 1 >= data.length) return false;
    const marker = data[at + 1]!;
    if (marker === JPEG_EOI) return true;
    const standalone = marker === 0x00 || marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
    if (standalone) {
      at++;
      continue;
    }
    if (at + 4 > data.length) return false;
    at += 2 + ((data[at + 2]! << 8) | data[at + 3]!);
  }
}
