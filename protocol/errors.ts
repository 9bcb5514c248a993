import { z } from 'zod';

/** Machine-readable error codes carried by reply errors, `error` events and refusals. */
export const ErrorCode = z.enum([
  /** The bytes were not a frame or not msgpack. */
  'badFrame',
  /** A frame larger than LIMITS.maxFrameBytes. */
  'frameTooLarge',
  /** The op is not part of the protocol. */
  'unknownOp',
  /** The command failed schema validation (wrong type, missing field, out of range). */
  'invalidCommand',
  /** No surface with that id belongs to this session. Foreign ids get this too. */
  'unknownSurface',
  /** The surface's kind does not support this op (e.g. setText on a tray). */
  'wrongSurfaceKind',
  /** The op is valid but this engine or platform cannot do it. */
  'unsupported',
  /** A named limit from LIMITS would be exceeded. */
  'limitExceeded',
  /** An image could not be read or decoded. */
  'imageError',
  /** A referenced window (pip source, anchor target) does not exist. */
  'unknownWindow',
  /** The handshake's token did not match. */
  'authFailed',
  /** The client speaks a protocol version this engine does not. */
  'protocolMismatch',
  /** The engine is shutting down. */
  'shuttingDown',
  /** A bug in the engine; the command was not applied. */
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** An error carrying a protocol code; thrown inside the engine, raised by the client. */
export class PanepipeError extends Error {
  override readonly name: string = 'PanepipeError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The op that failed, when known. */
    readonly op?: string,
  ) {
    super(message);
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}
