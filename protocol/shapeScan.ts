import { LIMITS, overLimit } from './limits';

/** Why a client's frame is refused before it is decoded. */
export interface ShapeRefusal {
  code: 'limitExceeded' | 'badFrame';
  message: string;
}

/** What the scan found: a reason to refuse the frame, and whether it defines record shapes (which change the decoder's state). */
export interface ShapeScan {
  refused: ShapeRefusal | null;
  definesShapes: boolean;
}

/** msgpackr's extension type for a record definition ("r"). */
const RECORD_DEFINITION = 0x72;

/**
 * Check a frame body's maps and record definitions before msgpackr decodes
 * it, since decoding is what costs: msgpackr builds every key of a shape,
 * compiles a reader for it after a few uses (a 300,000-key shape took
 * seconds and a GiB), and a map of a million keys takes half a second to
 * decode before validation even starts.
 *
 * A flat walk over the tokens, without building anything: each token's
 * length is known from its first bytes, and what a map, an array or a
 * record holds is just the tokens that follow. It reads exactly the token
 * boundaries msgpackr reads, provided every shape uses a one-byte id, which
 * it enforces: a reference to a shape defined under a two-byte id would be
 * two bytes long. Strings, binaries and extension payloads are skipped
 * whole, so a look-alike byte inside them never counts.
 */
export function scanShapes(body: Uint8Array, start: number, end: number): ShapeScan {
  const max = LIMITS.maxObjectKeys;
  let definesShapes = false;
  let values = 0;
  let at = start;
  while (at < end) {
    if (++values > LIMITS.maxValuesPerFrame) {
      return { refused: { code: 'limitExceeded', message: `${overLimit('maxValuesPerFrame')}: a frame of more values` }, definesShapes };
    }
    const token = body[at]!;
    // Positive and negative fixints and one-byte record references; fixmaps (≤ 15 keys) and fixarrays.
    if (token < 0xa0 || token >= 0xe0) {
      at++;
      continue;
    }
    if (token < 0xc0) {
      at += 1 + (token & 0x1f);
      continue;
    }
    switch (token) {
      case 0xc4: // bin 8
      case 0xd9: // str 8
        at += 2 + body[at + 1]!;
        break;
      case 0xc5:
      case 0xda:
        at += 3 + uint16(body, at + 1);
        break;
      case 0xc6:
      case 0xdb:
        at += 5 + uint32(body, at + 1);
        break;
      case 0xc7: // ext 8: length, type, payload
        at += 3 + body[at + 1]!;
        break;
      case 0xc8:
        at += 4 + uint16(body, at + 1);
        break;
      case 0xc9:
        at += 6 + uint32(body, at + 1);
        break;
      case 0xcc:
      case 0xd0:
        at += 2;
        break;
      case 0xcd:
      case 0xd1:
        at += 3;
        break;
      case 0xca:
      case 0xce:
      case 0xd2:
        at += 5;
        break;
      case 0xcb:
      case 0xcf:
      case 0xd3:
        at += 9;
        break;
      case 0xd4: // fixext 1: type, one byte (a record definition's id), then what the extension reads
        if (body[at + 1] === RECORD_DEFINITION) {
          const refused = checkDefinition(body, at + 2, end, max);
          if (refused) return { refused, definesShapes: true };
          definesShapes = true;
        }
        at += 3;
        break;
      case 0xd5: // fixext 2: a record definition here has a two-byte id
        if (body[at + 1] === RECORD_DEFINITION) {
          return {
            refused: { code: 'limitExceeded', message: `${overLimit('maxRecordShapes')}: a record shape was defined under a two-byte id` },
            definesShapes: true,
          };
        }
        at += 4;
        break;
      case 0xd6:
        at += 6;
        break;
      case 0xd7:
        at += 10;
        break;
      case 0xd8:
        at += 18;
        break;
      case 0xdc: // array 16 and 32: the items follow as tokens
        at += 3;
        break;
      case 0xdd:
        at += 5;
        break;
      case 0xde:
        if (uint16(body, at + 1) > max) return { refused: tooManyKeys(uint16(body, at + 1), 'a map'), definesShapes };
        at += 3;
        break;
      case 0xdf:
        if (uint32(body, at + 1) > max) return { refused: tooManyKeys(uint32(body, at + 1), 'a map'), definesShapes };
        at += 5;
        break;
      default: // nil, false, true, and the unused 0xc1
        at++;
    }
  }
  return { refused: null, definesShapes };
}

/** A record definition: the id byte at `at`, then the array of its keys. */
function checkDefinition(body: Uint8Array, at: number, end: number, max: number): ShapeRefusal | null {
  const id = body[at]! & 0x3f;
  if (id >= LIMITS.maxRecordShapes) return { code: 'limitExceeded', message: `${overLimit('maxRecordShapes')}: a record shape was defined under id ${id}` };
  const header = at + 1 < end ? body[at + 1]! : -1;
  const keys = header >= 0x90 && header <= 0x9f ? header & 0x0f : header === 0xdc ? uint16(body, at + 2) : header === 0xdd ? uint32(body, at + 2) : -1;
  // Anything else would be read as a value first (an array-like extension, say) and escape the count.
  if (keys < 0) return { code: 'badFrame', message: 'a record definition must list its keys in an array' };
  return keys > max ? tooManyKeys(keys, 'a record shape') : null;
}

function tooManyKeys(keys: number, what: string): ShapeRefusal {
  return { code: 'limitExceeded', message: `${overLimit('maxObjectKeys')}: ${what} with ${keys} keys` };
}

function uint16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function uint32(b: Uint8Array, at: number): number {
  return b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
}
