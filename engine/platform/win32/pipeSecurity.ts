/**
 * The engine's named pipe admits only the current user, and no network
 * logon. Runs on the engine's main thread, once, right after `listen`;
 * `../../server/listener.ts` loads it lazily and only on Windows.
 *
 * Why after listen and through a client handle: libuv creates every
 * instance of the pipe with `CreateNamedPipeW(..., NULL)` (default security:
 * full control to LocalSystem, Administrators and the creator owner, read to
 * Everyone and Anonymous; no PIPE_REJECT_REMOTE_CLIENTS), and Node exposes
 * neither the security attributes nor the instance handles. A named pipe has
 * one security descriptor for all its instances: the one given to the first
 * instance, checked (FILE_CREATE_PIPE_INSTANCE) when libuv creates each later
 * instance and when a client opens one. So the engine opens its own pipe with
 * READ_CONTROL | WRITE_DAC and replaces the DACL through that handle with
 * SetSecurityInfo. This is what libuv's own uv_pipe_chmod relies on: it edits
 * the DACL through whichever single instance handle the server holds.
 * The side effect is one connection that closes at once without a hello
 * (the engine drops it like any client that goes away).
 *
 * The DACL (protected: nothing inherited):
 *   (D;;GA;;;NU)     deny the NETWORK logon SID (S-1-5-2): any token from a
 *                    network logon, i.e. a client on another machine, even
 *                    as this user. It comes first, so it wins. This stands
 *                    in for PIPE_REJECT_REMOTE_CLIENTS, which libuv does not
 *                    set. Left out (with a warning) when the engine's own
 *                    token is a network logon (e.g. started over SSH),
 *                    because it would then lock the engine out of creating
 *                    further instances of its own pipe.
 *   (A;;GA;;;<user>) allow the engine's user (TokenUser SID): clients of the
 *                    same user, elevated or not, and libuv's later
 *                    instances (GA includes FILE_CREATE_PIPE_INSTANCE).
 *   (A;;GA;;;SY)     allow LocalSystem, as the default DACL does.
 * Everyone, Anonymous and Administrators lose the access the default DACL
 * gave them. The owner is unchanged (it keeps READ_CONTROL | WRITE_DAC).
 */
import {
  CheckTokenMembership,
  ConvertSecurityDescriptorToStringSecurityDescriptorW,
  ConvertSidToStringSidW,
  ConvertStringSecurityDescriptorToSecurityDescriptorW,
  ConvertStringSidToSidW,
  DACL_SECURITY_INFORMATION,
  ERROR_INSUFFICIENT_BUFFER,
  GetKernelObjectSecurity,
  GetSecurityDescriptorDacl,
  GetTokenInformation,
  OWNER_SECURITY_INFORMATION,
  OpenProcessToken,
  PROTECTED_DACL_SECURITY_INFORMATION,
  READ_CONTROL,
  SDDL_REVISION_1,
  SE_KERNEL_OBJECT,
  SetSecurityInfo,
  TOKEN_QUERY,
  TokenUser,
  WRITE_DAC,
} from './bindings/advapi32';
import {
  CloseHandle,
  CreateFileW,
  ERROR_PIPE_BUSY,
  GetCurrentProcess,
  GetLastError,
  INVALID_HANDLE_VALUE,
  LocalFree,
  OPEN_EXISTING,
} from './bindings/kernel32';
import { koffi, type Handle } from './bindings/koffi';

/** The well-known SID of network logons (SDDL alias NU). */
export const NETWORK_SID = 'S-1-5-2';

export interface PipeAccess {
  /** The SDDL that was applied. */
  applied: string;
  /** The pipe's owner and DACL as read back after applying. */
  readBack: string;
  /** False when the engine's own token is a network logon, so the deny ACE was left out. */
  networkDenied: boolean;
}

export class Win32Error extends Error {
  constructor(
    what: string,
    readonly code: number,
  ) {
    super(`${what} failed (Win32 error ${code})`);
  }
}

const ptr = (buf: Buffer): bigint => buf.readBigUInt64LE(0);
const out = (): Buffer => Buffer.alloc(8);

function wideString(p: bigint): string {
  try {
    return koffi.decode.string16(p);
  } finally {
    LocalFree(p);
  }
}

/** The current process's user SID as a string (S-1-5-21-…). */
export function currentUserSid(): string {
  return processUserSid(GetCurrentProcess());
}

/** The user SID (S-1-5-21-…) a process runs as, from a handle with PROCESS_QUERY_LIMITED_INFORMATION. */
export function processUserSid(process: Handle): string {
  const tokenOut = out();
  if (!OpenProcessToken(process, TOKEN_QUERY, tokenOut)) throw new Win32Error('OpenProcessToken', GetLastError());
  const token = Number(tokenOut.readBigInt64LE(0));
  try {
    const size = Buffer.alloc(4);
    if (!GetTokenInformation(token, TokenUser, null, 0, size)) {
      const err = GetLastError();
      if (err !== ERROR_INSUFFICIENT_BUFFER && size.readUInt32LE(0) === 0) throw new Win32Error('GetTokenInformation(size)', err);
    }
    const info = Buffer.alloc(Math.max(size.readUInt32LE(0), 64));
    if (!GetTokenInformation(token, TokenUser, info, info.length, size)) throw new Win32Error('GetTokenInformation', GetLastError());
    // TOKEN_USER = SID_AND_ATTRIBUTES { PSID Sid; DWORD Attributes; }: the SID lies inside `info`.
    const str = out();
    if (!ConvertSidToStringSidW(ptr(info), str)) throw new Win32Error('ConvertSidToStringSidW', GetLastError());
    return wideString(ptr(str));
  } finally {
    CloseHandle(token);
  }
}

/** True if the current token holds the given SID (enabled). */
export function tokenHasSid(sid: string): boolean {
  const sidOut = out();
  if (!ConvertStringSidToSidW(sid, sidOut)) throw new Win32Error('ConvertStringSidToSidW', GetLastError());
  try {
    const member = Buffer.alloc(4);
    if (!CheckTokenMembership(0, ptr(sidOut), member)) throw new Win32Error('CheckTokenMembership', GetLastError());
    return member.readInt32LE(0) !== 0;
  } finally {
    LocalFree(ptr(sidOut));
  }
}

/** The engine pipe's DACL as SDDL (see the header comment for each ACE). */
export function pipeDacl(userSid: string, denyNetwork: boolean): string {
  return `D:P${denyNetwork ? '(D;;GA;;;NU)' : ''}(A;;GA;;;${userSid})(A;;GA;;;SY)`;
}

/**
 * Opens a client handle to the pipe (one free instance) for its security
 * only. While every instance is busy it retries for up to `waitMs`, yielding
 * to the event loop in between: libuv creates the next instance only when
 * the loop processes an accept, so a blocking wait (WaitNamedPipeW) on this
 * thread could never end early.
 */
export async function openPipe(pipeName: string, access: number, waitMs = 2_000): Promise<Handle> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const h = CreateFileW(pipeName, access, 0, null, OPEN_EXISTING, 0, 0);
    if (h !== INVALID_HANDLE_VALUE && h !== 0) return h;
    const err = GetLastError();
    if (err !== ERROR_PIPE_BUSY || Date.now() > deadline) throw new Win32Error(`CreateFileW(${pipeName})`, err);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function readSecurity(h: Handle): string {
  const info = OWNER_SECURITY_INFORMATION + DACL_SECURITY_INFORMATION;
  const needed = Buffer.alloc(4);
  GetKernelObjectSecurity(h, info, null, 0, needed);
  const n = needed.readUInt32LE(0);
  if (n === 0) throw new Win32Error('GetKernelObjectSecurity(size)', GetLastError());
  const sd = Buffer.alloc(n);
  if (!GetKernelObjectSecurity(h, info, sd, n, needed)) throw new Win32Error('GetKernelObjectSecurity', GetLastError());
  const str = out();
  if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1, info, str, null)) {
    throw new Win32Error('ConvertSecurityDescriptorToStringSecurityDescriptorW', GetLastError());
  }
  return wideString(ptr(str));
}

/** The pipe's owner and DACL as SDDL, read through a new client handle. */
export async function readPipeSecurity(pipeName: string): Promise<string> {
  const h = await openPipe(pipeName, READ_CONTROL);
  try {
    return readSecurity(h);
  } finally {
    CloseHandle(h);
  }
}

/**
 * Replaces the pipe's DACL (for every instance) with the given SDDL ("D:…").
 * Returns the owner and DACL read back through the same handle.
 */
export async function setPipeDacl(pipeName: string, sddl: string): Promise<string> {
  const sdOut = out();
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, sdOut, null)) {
    throw new Win32Error(`ConvertStringSecurityDescriptorToSecurityDescriptorW(${sddl})`, GetLastError());
  }
  const sd = ptr(sdOut);
  try {
    const present = Buffer.alloc(4);
    const dacl = out();
    const defaulted = Buffer.alloc(4);
    if (!GetSecurityDescriptorDacl(sd, present, dacl, defaulted) || !present.readInt32LE(0)) {
      throw new Win32Error('GetSecurityDescriptorDacl', GetLastError());
    }
    const h = await openPipe(pipeName, READ_CONTROL + WRITE_DAC);
    try {
      const err = SetSecurityInfo(h, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION + PROTECTED_DACL_SECURITY_INFORMATION, null, null, ptr(dacl), null);
      if (err !== 0) throw new Win32Error('SetSecurityInfo', err);
      return readSecurity(h);
    } finally {
      CloseHandle(h);
    }
  } finally {
    LocalFree(sd);
  }
}

/** Restricts the engine's pipe to the current user, no network logons; see the header comment. */
export async function restrictPipeToCurrentUser(pipeName: string): Promise<PipeAccess> {
  const networkDenied = !tokenHasSid(NETWORK_SID);
  const applied = pipeDacl(currentUserSid(), networkDenied);
  return { applied, readBack: await setPipeDacl(pipeName, applied), networkDenied };
}
