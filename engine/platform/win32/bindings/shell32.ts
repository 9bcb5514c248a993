/** shell32.dll: notification-area (tray) icons. */
import { bind, bindOptional, koffi } from './koffi';

const lib = koffi.load('shell32.dll');

export const Shell_NotifyIconW = bind<(message: number, data: Buffer) => number>(lib, 'int __stdcall Shell_NotifyIconW(uint32_t message, void *data)');
/** Windows 7+; HRESULT. */
export const Shell_NotifyIconGetRect = bindOptional<(id: Buffer, rect: Buffer) => number>(
  lib,
  'int32_t __stdcall Shell_NotifyIconGetRect(void *id, void *rect)',
);

export const NIM_ADD = 0;
export const NIM_MODIFY = 1;
export const NIM_DELETE = 2;
export const NIM_SETVERSION = 4;
export const NIF_MESSAGE = 0x1;
export const NIF_ICON = 0x2;
export const NIF_TIP = 0x4;
export const NIF_SHOWTIP = 0x80;
export const NOTIFYICON_VERSION_4 = 4;
/** With version 4, the callback's LOWORD(lParam) carries these besides mouse messages. */
export const NIN_SELECT = 0x0400;
export const NIN_KEYSELECT = 0x0401;
