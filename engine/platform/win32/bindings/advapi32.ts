/**
 * advapi32.dll: tokens, SIDs and security descriptors (the engine pipe's
 * DACL, see ../pipeSecurity.ts). Out-parameters are Buffers; pointers that
 * Windows allocates (LocalAlloc) are read from them as BigInt and given back
 * to `void *` parameters and to LocalFree.
 */
import { bind, koffi, type Handle } from './koffi';

const lib = koffi.load('advapi32.dll');

// ---- tokens and SIDs -----------------------------------------------------------------

/** `token` receives the HANDLE (8 bytes). */
export const OpenProcessToken = bind<(process: Handle, access: number, token: Buffer) => number>(
  lib,
  'int __stdcall OpenProcessToken(intptr_t process, uint32_t access, void *token)',
);
/** `info` may be null to learn the size in `returned` (then it fails with ERROR_INSUFFICIENT_BUFFER). */
export const GetTokenInformation = bind<(token: Handle, infoClass: number, info: Buffer | null, length: number, returned: Buffer) => number>(
  lib,
  'int __stdcall GetTokenInformation(intptr_t token, int infoClass, void *info, uint32_t length, void *returned)',
);
/** `out` receives a LocalAlloc'd wide string pointer. */
export const ConvertSidToStringSidW = bind<(sid: bigint | Buffer, out: Buffer) => number>(lib, 'int __stdcall ConvertSidToStringSidW(void *sid, void *out)');
/** `out` receives a LocalAlloc'd SID pointer. */
export const ConvertStringSidToSidW = bind<(sid: string, out: Buffer) => number>(lib, 'int __stdcall ConvertStringSidToSidW(str16 sid, void *out)');
/** token 0 = the calling thread's (impersonation or primary) token. */
export const CheckTokenMembership = bind<(token: Handle, sid: bigint, isMember: Buffer) => number>(
  lib,
  'int __stdcall CheckTokenMembership(intptr_t token, void *sid, void *isMember)',
);

// ---- security descriptors --------------------------------------------------------------

/** `sd` receives a LocalAlloc'd self-relative SECURITY_DESCRIPTOR pointer; `size` may be null. */
export const ConvertStringSecurityDescriptorToSecurityDescriptorW = bind<(sddl: string, revision: number, sd: Buffer, size: Buffer | null) => number>(
  lib,
  'int __stdcall ConvertStringSecurityDescriptorToSecurityDescriptorW(str16 sddl, uint32_t revision, void *sd, void *size)',
);
/** `out` receives a LocalAlloc'd wide string pointer; `length` may be null. */
export const ConvertSecurityDescriptorToStringSecurityDescriptorW = bind<
  (sd: bigint | Buffer, revision: number, info: number, out: Buffer, length: Buffer | null) => number
>(lib, 'int __stdcall ConvertSecurityDescriptorToStringSecurityDescriptorW(void *sd, uint32_t revision, uint32_t info, void *out, void *length)');
/** `dacl` receives a pointer into `sd` (not separately allocated). */
export const GetSecurityDescriptorDacl = bind<(sd: bigint, present: Buffer, dacl: Buffer, defaulted: Buffer) => number>(
  lib,
  'int __stdcall GetSecurityDescriptorDacl(void *sd, void *present, void *dacl, void *defaulted)',
);
/** Returns a Win32 error code (0 = success), not a BOOL. */
export const SetSecurityInfo = bind<
  (handle: Handle, objectType: number, info: number, owner: bigint | null, group: bigint | null, dacl: bigint | null, sacl: bigint | null) => number
>(lib, 'uint32_t __stdcall SetSecurityInfo(intptr_t handle, int objectType, uint32_t info, void *owner, void *group, void *dacl, void *sacl)');
/** Self-relative descriptor into `sd`; `sd` null and length 0 to learn the size in `needed`. */
export const GetKernelObjectSecurity = bind<(handle: Handle, info: number, sd: Buffer | null, length: number, needed: Buffer) => number>(
  lib,
  'int __stdcall GetKernelObjectSecurity(intptr_t handle, uint32_t info, void *sd, uint32_t length, void *needed)',
);

// ---- constants ----------------------------------------------------------------------------

export const TOKEN_QUERY = 0x0008;
/** TOKEN_INFORMATION_CLASS */
export const TokenUser = 1;
/** SE_OBJECT_TYPE: a handle to any kernel object, pipes included. */
export const SE_KERNEL_OBJECT = 6;
export const SDDL_REVISION_1 = 1;
export const OWNER_SECURITY_INFORMATION = 0x1;
export const DACL_SECURITY_INFORMATION = 0x4;
/** SetSecurityInfo: the DACL does not inherit ACEs from a parent. */
export const PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000;
export const READ_CONTROL = 0x00020000;
export const WRITE_DAC = 0x00040000;
export const ERROR_INSUFFICIENT_BUFFER = 122;
