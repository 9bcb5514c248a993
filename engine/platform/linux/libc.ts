/**
 * glibc calls panepipe makes on Linux, declared once. Loading fails on a
 * libc other than glibc (musl); callers then go without (see each user).
 */
import * as koffi from 'koffi';

export const SOL_SOCKET = 1;
/** Its value differs on a few architectures (asm-generic/socket.h and the arch headers). */
export const SO_PEERCRED = process.arch === 'ppc64' || process.arch === 'ppc' ? 21 : process.arch === 'mips' || process.arch === 'mipsel' ? 18 : 17;

/** sizeof(struct ucred { pid_t pid; uid_t uid; gid_t gid; }): what SO_PEERCRED reports about the process at the other end of a Unix socket. */
export const UCRED_BYTES = 12;

/** mallopt's parameter for the most malloc arenas the process may have (malloc.h). */
export const M_ARENA_MAX = -8;

export interface Libc {
  malloc_trim(pad: number): number;
  mallopt(param: number, value: number): number;
  /** `value` receives the option (a struct ucred for SO_PEERCRED); `length` is a uint32 in and out. */
  getsockopt(fd: number, level: number, name: number, value: Buffer, length: Buffer): number;
}

let libc: Libc | null | undefined;

/** glibc, or null when this is not Linux with glibc. */
export function glibc(): Libc | null {
  if (libc === undefined) libc = process.platform === 'linux' ? load() : null;
  return libc;
}

function load(): Libc | null {
  let lib: koffi.LibraryHandle;
  try {
    lib = koffi.load('libc.so.6');
  } catch {
    return null;
  }
  return {
    malloc_trim: lib.func('int malloc_trim(size_t pad)') as Libc['malloc_trim'],
    mallopt: lib.func('int mallopt(int param, int value)') as Libc['mallopt'],
    getsockopt: lib.func('int getsockopt(int fd, int level, int name, void *value, void *length)') as Libc['getsockopt'],
  };
}
