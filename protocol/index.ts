/** The wire contract between panepipe clients and the engine. No I/O policy lives here. */
export * from './color';
export * from './commands';
export * from './elements';
export * from './endpoint';
export * from './errors';
export * from './errorMessage';
export * from './events';
export * from './framing';
export * from './frameBatch';
export * from './handshake';
export * from './limits';
export * from './messages';
export * from './placement';
export * from './primitives';
export * from './results';
export * from './validate';
