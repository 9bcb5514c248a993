import { z } from 'zod';

/** JSON-RPC 2.0 error codes (the standard ones winpane-host uses). */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

/** Any JSON value, echoed as given (winpane-host echoes objects, arrays and booleans too). */
export type RpcId = unknown;

/** An error a method handler throws; becomes the `error` member of the response. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalidParams = (message: string): RpcError => new RpcError(INVALID_PARAMS, message);

/** The request envelope. Extra members are ignored; `params` may be absent (then `{}`). */
const Envelope = z.object({
  jsonrpc: z.string(),
  method: z.string(),
  params: z.unknown().optional(),
  id: z.unknown().optional(),
});

export interface Request {
  /** Absent for a notification: the method runs and nothing is answered. */
  id?: RpcId;
  method: string;
  params: unknown;
}

export type Parsed = { ok: true; request: Request } | { ok: false; response: string };

/** Parse one line of input. A line that is not a valid request yields the error response to write. */
export function parseLine(line: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, response: errorResponse(null, PARSE_ERROR, `parse error: ${(err as Error).message}`) };
  }
  const id = value !== null && typeof value === 'object' && !Array.isArray(value) ? ((value as { id?: unknown }).id ?? null) : null;
  if (Array.isArray(value)) {
    return { ok: false, response: errorResponse(null, INVALID_REQUEST, 'invalid request: batch arrays are not supported (use the "batch" method)') };
  }
  const env = Envelope.safeParse(value);
  if (!env.success) {
    const issue = env.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')}: ${issue.message})` : '';
    return { ok: false, response: errorResponse(id, INVALID_REQUEST, `invalid request${where}`) };
  }
  if (env.data.jsonrpc !== '2.0') return { ok: false, response: errorResponse(id, INVALID_REQUEST, 'jsonrpc must be "2.0"') };
  const request: Request = { method: env.data.method, params: env.data.params ?? {} };
  if ('id' in (value as object)) request.id = env.data.id ?? null;
  return { ok: true, request };
}

// Member order follows winpane-host: jsonrpc, result|error, id.
export function resultResponse(id: RpcId, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', result, id });
}

export function errorResponse(id: RpcId, code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id });
}

export function notification(method: string, params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}
