/**
 * Win32 structs as Buffers with x64 layouts (koffi passes a Buffer to a
 * `void *` parameter as a pointer to its bytes). One builder/reader per
 * struct, so offsets live in one place.
 */
import type { Rect } from '../../../protocol';
import type { Handle } from './bindings/koffi';

/** MSG: hwnd 0, message 8, wParam 16, lParam 24, time 32, pt 36. */
export const MSG_SIZE = 48;
export function msgMessage(msg: Buffer): number {
  return msg.readUInt32LE(8);
}
export function msgHwnd(msg: Buffer): number {
  return Number(msg.readBigInt64LE(0));
}
export function msgWParam(msg: Buffer): number {
  return Number(msg.readBigUInt64LE(16));
}

export function point(x: number, y: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32LE(Math.round(x), 0);
  b.writeInt32LE(Math.round(y), 4);
  return b;
}
export function readPoint(b: Buffer): { x: number; y: number } {
  return { x: b.readInt32LE(0), y: b.readInt32LE(4) };
}

export function size(width: number, height: number): Buffer {
  return point(width, height);
}

/** RECT: left, top, right, bottom. */
export function rectBuffer(): Buffer {
  return Buffer.alloc(16);
}
export function rectOf(x: number, y: number, width: number, height: number): Buffer {
  const b = rectBuffer();
  b.writeInt32LE(x, 0);
  b.writeInt32LE(y, 4);
  b.writeInt32LE(x + width, 8);
  b.writeInt32LE(y + height, 12);
  return b;
}
export function readRect(b: Buffer, offset = 0): Rect {
  const left = b.readInt32LE(offset);
  const top = b.readInt32LE(offset + 4);
  return { x: left, y: top, width: b.readInt32LE(offset + 8) - left, height: b.readInt32LE(offset + 12) - top };
}

/** BLENDFUNCTION { AC_SRC_OVER, 0, SourceConstantAlpha, AC_SRC_ALPHA }. */
export function blendFunction(constantAlpha: number): Buffer {
  return Buffer.from([0, 0, Math.max(0, Math.min(255, Math.round(constantAlpha))), 1]);
}

/** BITMAPINFO with a 32-bit top-down BI_RGB header (negative height). */
export function bitmapInfo32(width: number, height: number): Buffer {
  const b = Buffer.alloc(44);
  b.writeUInt32LE(40, 0);
  b.writeInt32LE(width, 4);
  b.writeInt32LE(-height, 8);
  b.writeUInt16LE(1, 12);
  b.writeUInt16LE(32, 14);
  return b;
}

/** WNDCLASSEXW fields for RegisterClassExW (a koffi struct: its class name is a string koffi keeps alive for the call). */
export function wndClassEx(className: string, wndProc: bigint, instance: Handle): Record<string, unknown> {
  return {
    cbSize: 80,
    style: 0,
    lpfnWndProc: wndProc,
    cbClsExtra: 0,
    cbWndExtra: 0,
    hInstance: instance,
    hIcon: 0,
    hCursor: 0,
    hbrBackground: 0,
    lpszMenuName: null,
    lpszClassName: className,
    hIconSm: 0,
  };
}

/** TRACKMOUSEEVENT: cbSize, dwFlags, hwndTrack, dwHoverTime (24 bytes). */
export function trackMouseEvent(flags: number, hwnd: Handle): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(24, 0);
  b.writeUInt32LE(flags, 4);
  b.writeBigInt64LE(BigInt(hwnd), 8);
  return b;
}

/** MONITORINFO: cbSize, rcMonitor (4), rcWork (20), dwFlags (36); 40 bytes. */
export function monitorInfo(): Buffer {
  const b = Buffer.alloc(40);
  b.writeUInt32LE(40, 0);
  return b;
}

/** ICONINFO: fIcon, xHotspot, yHotspot, hbmMask (16), hbmColor (24); 32 bytes. */
export function iconInfo(mask: Handle, color: Handle): Buffer {
  const b = Buffer.alloc(32);
  b.writeInt32LE(1, 0);
  b.writeBigInt64LE(BigInt(mask), 16);
  b.writeBigInt64LE(BigInt(color), 24);
  return b;
}

/**
 * NOTIFYICONDATAW (976 bytes on x64): cbSize 0, hWnd 8, uID 16, uFlags 20,
 * uCallbackMessage 24, hIcon 32, szTip[128] 40, dwState 296, dwStateMask 300,
 * szInfo[256] 304, uVersion 816, szInfoTitle[64] 820, dwInfoFlags 948,
 * guidItem 952, hBalloonIcon 968.
 */
export const NOTIFYICONDATAW_SIZE = 976;
export function notifyIconData(fields: {
  hwnd: Handle;
  id: number;
  flags: number;
  callbackMessage?: number;
  icon?: Handle;
  tip?: string;
  version?: number;
}): Buffer {
  const b = Buffer.alloc(NOTIFYICONDATAW_SIZE);
  b.writeUInt32LE(NOTIFYICONDATAW_SIZE, 0);
  b.writeBigInt64LE(BigInt(fields.hwnd), 8);
  b.writeUInt32LE(fields.id, 16);
  b.writeUInt32LE(fields.flags, 20);
  b.writeUInt32LE(fields.callbackMessage ?? 0, 24);
  b.writeBigInt64LE(BigInt(fields.icon ?? 0), 32);
  if (fields.tip !== undefined) writeWideString(b, 40, 128, fields.tip);
  b.writeUInt32LE(fields.version ?? 0, 816);
  return b;
}

/** NOTIFYICONIDENTIFIER: cbSize, hWnd (8), uID (16), guidItem (20); 40 bytes. */
export function notifyIconIdentifier(hwnd: Handle, id: number): Buffer {
  const b = Buffer.alloc(40);
  b.writeUInt32LE(40, 0);
  b.writeBigInt64LE(BigInt(hwnd), 8);
  b.writeUInt32LE(id, 16);
  return b;
}

/** A NUL-terminated UTF-16 string truncated to `chars` (including the NUL). */
export function writeWideString(b: Buffer, offset: number, chars: number, text: string): void {
  const s = text.slice(0, chars - 1);
  b.write(s, offset, Math.min(s.length * 2, (chars - 1) * 2), 'utf16le');
}

/** Signed x/y packed in an LPARAM (GET_X_LPARAM / GET_Y_LPARAM). */
export function lparamX(lParam: number): number {
  return (Number(BigInt.asIntN(32, BigInt(lParam))) << 16) >> 16;
}
export function lparamY(lParam: number): number {
  return Number(BigInt.asIntN(32, BigInt(lParam))) >> 16;
}
export function loword(v: number): number {
  return Number(BigInt.asUintN(16, BigInt(v)));
}
export function hiword(v: number): number {
  return Number(BigInt.asUintN(16, BigInt(v) >> 16n));
}
