/**
 * Renders docs/protocol.md from the protocol's zod schemas, so the reference
 * cannot drift: a test compares the file with this output, and
 * `npm run docs` rewrites it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { EngineEvent, ErrorCode, LIMITS, OpFields, OpResults, STATE_OPS, isReplyingOp, type OpName } from '../protocol';

type Json = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Json[];
  oneOf?: Json[];
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  pattern?: string;
};

function typeOf(s: Json, depth = 0): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map((u) => typeOf(u, depth)).join(' \\| ');
  const range = (lo?: number, hi?: number) =>
    lo !== undefined && hi !== undefined ? ` ${lo}..${hi}` : hi !== undefined ? ` ≤${hi}` : lo !== undefined ? ` ≥${lo}` : '';
  switch (s.type) {
    case 'string':
      return s.pattern?.startsWith('^#')
        ? 'color'
        : s.pattern?.startsWith('^[st]')
          ? 'SurfaceId'
          : `string${s.maxLength !== undefined ? ` (≤${s.maxLength})` : ''}`;
    case 'integer':
      return `integer${range(s.minimum, s.maximum)}`;
    case 'number':
      return `number${range(s.minimum, s.maximum)}`;
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `${typeOf(s.items ?? {}, depth)}[]${s.maxItems !== undefined ? ` (≤${s.maxItems})` : ''}`;
    case 'object':
      if (depth > 1) return 'object';
      return `{ ${Object.entries(s.properties ?? {})
        .map(([k, v]) => `${k}${s.required?.includes(k) ? '' : '?'}: ${typeOf(v, depth + 1)}`)
        .join(', ')} }`;
    default:
      return 'bytes';
  }
}

function schemaJson(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) as Json;
}

function fieldsTable(schema: z.ZodType): string {
  const json = schemaJson(schema);
  const props = Object.entries(json.properties ?? {});
  if (props.length === 0) return '_no fields_\n';
  return `${['| field | type | required |', '|---|---|---|', ...props.map(([k, v]) => `| \`${k}\` | ${typeOf(v)} | ${json.required?.includes(k) ? 'yes' : ''} |`)].join('\n')}\n`;
}

const GROUPS: Array<[string, OpName[]]> = [
  ['Create (reply: `{ id }`)', ['createHud', 'createPanel', 'createPip', 'createTray']],
  ['Scene (HUD, panel)', ['setText', 'setRect', 'setImage', 'setDraw', 'removeElement', 'clearElements']],
  [
    'Surface (HUD, panel, pip; `destroy` also trays)',
    ['show', 'hide', 'setPosition', 'setSize', 'setOpacity', 'fadeIn', 'fadeOut', 'anchorTo', 'unanchor', 'setCaptureExcluded', 'setBackdrop', 'destroy'],
  ],
  ['Pip', ['setSourceRegion', 'clearSourceRegion']],
  ['Tray', ['setTooltip', 'setTrayIcon', 'setPopup', 'setMenu']],
  ['Batch', ['batch']],
  ['Queries (reply)', ['getPosition', 'monitors', 'capabilities', 'measureText', 'snapshot', 'screenshot', 'listSurfaces', 'status', 'sync', 'stop']],
  [
    'Test hooks (engine started with `--test-input`)',
    ['testPointer', 'testTrayClick', 'testTrayMenuSelect', 'testCreateWindow', 'testMoveWindow', 'testCloseWindow'],
  ],
];

export function renderProtocolReference(): string {
  const out: string[] = [];
  out.push(`# Protocol reference

Generated from the zod schemas in \`protocol/\` by \`npm run docs\`; a test fails if this file
and the schemas disagree. Types are the wire types; every map is strict (unknown fields are
rejected with \`invalidCommand\`).

## Transport

* Endpoint: a named pipe \`\\\\.\\pipe\\panepipe-<user>\` on Windows, a Unix socket
  \`engine.sock\` in a per-user 0700 directory elsewhere (\`$XDG_RUNTIME_DIR/panepipe\` or
  \`<tmp>/panepipe-<user>-<uid>\`). \`PANEPIPE_ENDPOINT\` and \`PANEPIPE_HOME\` override them.
  The directory must be the user's own, not a link, and writable by no one else, or the
  engine and the client refuse it.
* Connection file \`engine-<hash of endpoint>.json\` beside the socket (in the state directory
  \`%LOCALAPPDATA%\\panepipe\` for a pipe), mode 0600: endpoint, pid, token, protocol and
  engine versions, backend. Before its hello the client checks that the file and the socket
  are the user's and that the process serving the endpoint is that pid, run by the user.
* Frames: a 4-byte little-endian body length, then one msgpack value. A length over
  \`maxFrameBytes\` (\`maxHelloBytes\` before the hello is accepted) is answered with
  \`frameTooLarge\` and the pipe is closed: the engine reads nothing after that header.
* Before decoding a client's frame the engine checks its maps and record shapes: a map or
  shape of more than \`maxObjectKeys\` keys, a shape defined under a two-byte record id
  (\`maxRecordShapes\`), or a frame of more than \`maxValuesPerFrame\` msgpack values, is
  answered with \`limitExceeded\` and the pipe is closed.
* After the handshake the client's frames form one msgpack stream in msgpackr's
  sequential record encoding: a map's shape (its key list) is defined inline the first
  time it is sent and referenced by id later (msgpackr \`Packr({ sequential: true })\`,
  one per connection). The engine decodes each connection's frames in order with a
  matching decoder; plain maps are accepted too. Everything else (handshake, replies,
  events) is plain maps.
* Handshake: the client's first frame is \`{ hello: "panepipe", protocol, client, pid, token }\`,
  within \`handshakeTimeoutMs\` of connecting; the engine answers
  \`{ welcome: "panepipe", protocol, engineVersion, session, backend, capabilities }\`
  or \`{ refused: <error code>, reason }\` and closes the pipe.
* Commands: \`{ op, seq, ...fields }\`. \`seq\` is chosen by the client and names the command in its
  reply and in \`error\` events.
* Images (\`setImage\`, draw \`image\` ops, tray icons) travel as their encoded bytes in \`data\`:
  the engine opens no file a client names. A \`path\` is refused with \`invalidCommand\`; the
  client library and \`panepipe host\` accept one and read the file in their own process,
  relative to their own working directory.
* Replies (ops marked "reply" below): \`{ type: "reply", seq, result }\` or
  \`{ type: "reply", seq, error: { code, message } }\`. An error's \`message\` is at most
  \`maxErrorMessageBytes\` of UTF-8. A client that lets more than \`maxQueuedBytesPerSession\`
  of replies and events wait unread is disconnected.
* Events: \`{ type: <event type>, ... }\`, sent only to the session owning the surface concerned.
* Shutdown: \`{ type: "goodbye", reason }\`, then the engine closes the pipe.

## Ops
`);
  for (const [title, ops] of GROUPS) {
    out.push(`### ${title}\n`);
    for (const op of ops) {
      const flags = [isReplyingOp(op) ? 'reply' : 'fire-and-forget', (STATE_OPS as string[]).includes(op) ? 'batchable' : null].filter(Boolean).join(', ');
      out.push(`#### \`${op}\` — ${flags}\n`);
      out.push(fieldsTable(OpFields[op]));
      if (isReplyingOp(op)) out.push(`Result: \`${typeOf(schemaJson(OpResults[op]))}\`\n`);
    }
  }
  out.push('## Events\n');
  out.push('| type | fields |\n|---|---|');
  for (const option of EngineEvent.options) {
    const json = schemaJson(option);
    const { type, ...rest } = json.properties ?? {};
    out.push(
      `| \`${String(type?.const)}\` | ${Object.entries(rest)
        .map(([k, v]) => `\`${k}\`: ${typeOf(v)}`)
        .join(', ')} |`,
    );
  }
  out.push('\nThe client library adds `disconnected` (`reason`: `closed`, `engineShutdown`, `connectionLost`, `refused`).\n');
  out.push('## Error codes\n');
  out.push(`${ErrorCode.options.map((c) => `* \`${c}\``).join('\n')}\n`);
  out.push('## Limits\n');
  out.push('| limit | value |\n|---|---|');
  for (const [name, value] of Object.entries(LIMITS)) out.push(`| \`${name}\` | ${value.toLocaleString('en-US')} |`);
  out.push('');
  return out.join('\n');
}

export const PROTOCOL_DOC = path.join(__dirname, '..', '..', 'docs', 'protocol.md');

if (require.main === module) {
  fs.writeFileSync(PROTOCOL_DOC, renderProtocolReference());
  process.stdout.write(`wrote ${PROTOCOL_DOC}\n`);
}
