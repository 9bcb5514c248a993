/**
 * Notification-area icons (Shell_NotifyIconW, NOTIFYICON_VERSION_4), owned
 * by the control's hidden top-level listener window. Clicks arrive as the
 * callback message and become trayClicked events; a right click with a menu
 * set shows it with TrackPopupMenuEx(TPM_RETURNCMD) (the documented
 * SetForegroundWindow before and WM_NULL after) and reports trayMenuItem.
 * Icons come back after an Explorer restart (TaskbarCreated).
 * Platform tray handles are negative (-uID) so they never collide with HWNDs.
 */
import type { MenuItem, Rect } from '../../../protocol';
import type { PlatformEvent, TraySpec } from '../platform';
import { koffi, type Handle } from './bindings/koffi';
import { CreateBitmap, CreateDIBSection, DeleteObject, DIB_RGB_COLORS } from './bindings/gdi32';
import {
  NIF_ICON,
  NIF_MESSAGE,
  NIF_SHOWTIP,
  NIF_TIP,
  NIM_ADD,
  NIM_DELETE,
  NIM_MODIFY,
  NIM_SETVERSION,
  NOTIFYICON_VERSION_4,
  Shell_NotifyIconGetRect,
  Shell_NotifyIconW,
} from './bindings/shell32';
import {
  AppendMenuW,
  CreateIconIndirect,
  CreatePopupMenu,
  DestroyIcon,
  DestroyMenu,
  GetCursorPos,
  GetSystemMetrics,
  IDI_APPLICATION,
  LoadIconW,
  MF_CHECKED,
  MF_GRAYED,
  MF_SEPARATOR,
  MF_STRING,
  PostMessageW,
  RegisterWindowMessageW,
  SetForegroundWindow,
  SM_CXSMICON,
  SM_CYSMICON,
  TPM_BOTTOMALIGN,
  TPM_NONOTIFY,
  TPM_RETURNCMD,
  TPM_RIGHTBUTTON,
  TrackPopupMenuEx,
  WM_APP,
  WM_CONTEXTMENU,
  WM_LBUTTONDBLCLK,
  WM_LBUTTONUP,
  WM_MBUTTONDBLCLK,
  WM_MBUTTONUP,
  WM_NULL,
  WM_RBUTTONDBLCLK,
  WM_RBUTTONUP,
} from './bindings/user32';
import type { ControlWindow } from './controlWindow';
import { bitmapInfo32, hiword, iconInfo, loword, notifyIconData, notifyIconIdentifier, readPoint, readRect, rectBuffer } from './structs';

/** The tray icons' callback message to the listener window. */
const WM_PANEPIPE_TRAY = WM_APP + 3;

interface TrayIcon {
  id: number;
  spec: TraySpec;
  icon: Handle;
  ownsIcon: boolean;
  menu: MenuItem[];
  /** NIM_SETVERSION(4) accepted: callback lParam = MAKELPARAM(event, id). */
  v4: boolean;
  added: boolean;
  /** Cursor position at the last click on the icon (fallback for its rectangle). */
  lastClick: { x: number; y: number } | null;
}

type Button = 'left' | 'right' | 'middle';

const CLICKS = new Map<number, { button: Button; double: boolean }>([
  [WM_LBUTTONUP, { button: 'left', double: false }],
  [WM_LBUTTONDBLCLK, { button: 'left', double: true }],
  [WM_RBUTTONUP, { button: 'right', double: false }],
  [WM_RBUTTONDBLCLK, { button: 'right', double: true }],
  [WM_MBUTTONUP, { button: 'middle', double: false }],
  [WM_MBUTTONDBLCLK, { button: 'middle', double: true }],
]);

/** An HICON from straight RGBA: a 32-bit BGRA colour DIB (alpha used by the shell) plus an all-zero mask. */
export function iconFromRgba(width: number, height: number, rgba: Uint8Array): Handle {
  const bits = Buffer.alloc(8);
  const color = CreateDIBSection(0, bitmapInfo32(width, height), DIB_RGB_COLORS, bits, 0, 0);
  if (!color) return 0;
  const dst = new Uint8Array(koffi.view(bits.readBigUInt64LE(0), width * height * 4));
  for (let i = 0; i < width * height * 4; i += 4) {
    dst[i] = rgba[i + 2]!;
    dst[i + 1] = rgba[i + 1]!;
    dst[i + 2] = rgba[i]!;
    dst[i + 3] = rgba[i + 3]!;
  }
  const mask = CreateBitmap(width, height, 1, 1, Buffer.alloc(Math.ceil(width / 16) * 2 * height));
  const icon = CreateIconIndirect(iconInfo(mask, color));
  DeleteObject(mask);
  DeleteObject(color);
  return icon;
}

export class TrayIcons {
  private readonly icons = new Map<number, TrayIcon>();
  private nextId = 1;
  private readonly taskbarCreated: number;
  private readonly owner: Handle;

  constructor(
    control: ControlWindow,
    private readonly push: (ev: PlatformEvent) => void,
    /** Run an engine cycle now (before a modal menu loop starts). */
    private readonly cycleNow: () => void,
  ) {
    this.owner = control.listener;
    this.taskbarCreated = RegisterWindowMessageW('TaskbarCreated');
    control.on((hwnd, msg, wParam, lParam) => {
      if (hwnd !== this.owner) return undefined;
      if (msg === WM_PANEPIPE_TRAY) {
        this.onCallback(wParam, lParam);
        return 0;
      }
      if (this.taskbarCreated !== 0 && msg === this.taskbarCreated) {
        for (const icon of this.icons.values()) {
          icon.added = false;
          this.add(icon);
        }
        return 0;
      }
      return undefined;
    });
  }

  create(spec: TraySpec): number {
    const icon: TrayIcon = { id: this.nextId++, spec, icon: 0, ownsIcon: false, menu: [], v4: false, added: false, lastClick: null };
    this.setIcon(icon, spec);
    this.icons.set(icon.id, icon);
    this.add(icon);
    return -icon.id;
  }

  update(handle: number, spec: TraySpec): void {
    const icon = this.icons.get(-handle);
    if (!icon) return;
    const old = icon.ownsIcon ? icon.icon : 0;
    this.setIcon(icon, spec);
    if (icon.added) Shell_NotifyIconW(NIM_MODIFY, this.data(icon));
    else this.add(icon);
    if (old) DestroyIcon(old);
  }

  setMenu(handle: number, items: MenuItem[]): void {
    const icon = this.icons.get(-handle);
    if (icon) icon.menu = items;
  }

  destroy(handle: number): void {
    const icon = this.icons.get(-handle);
    if (!icon) return;
    this.icons.delete(icon.id);
    Shell_NotifyIconW(NIM_DELETE, notifyIconData({ hwnd: this.owner, id: icon.id, flags: 0 }));
    if (icon.ownsIcon) DestroyIcon(icon.icon);
  }

  /**
   * The icon's screen rectangle from the shell; where the shell cannot tell
   * (Wine: Shell_NotifyIconGetRect fails), a small-icon-sized square around
   * the last click on it, which is where a popup toggled by that click belongs.
   */
  rect(handle: number): Rect | null {
    const icon = this.icons.get(-handle);
    if (!icon) return null;
    if (Shell_NotifyIconGetRect) {
      const out = rectBuffer();
      if (Shell_NotifyIconGetRect(notifyIconIdentifier(this.owner, icon.id), out) === 0) {
        const r = readRect(out);
        if (r.width > 0 && r.height > 0) return r;
      }
    }
    if (!icon.lastClick) return null;
    const w = GetSystemMetrics(SM_CXSMICON) || 16;
    const h = GetSystemMetrics(SM_CYSMICON) || 16;
    return { x: icon.lastClick.x - Math.floor(w / 2), y: icon.lastClick.y - Math.floor(h / 2), width: w, height: h };
  }

  dispose(): void {
    for (const icon of [...this.icons.values()]) this.destroy(-icon.id);
  }

  private setIcon(icon: TrayIcon, spec: TraySpec): void {
    icon.spec = spec;
    const made = spec.icon ? iconFromRgba(spec.icon.width, spec.icon.height, spec.icon.rgba) : 0;
    icon.icon = made || LoadIconW(0, IDI_APPLICATION);
    icon.ownsIcon = made !== 0;
  }

  private data(icon: TrayIcon): Buffer {
    return notifyIconData({
      hwnd: this.owner,
      id: icon.id,
      flags: NIF_MESSAGE | NIF_ICON | NIF_TIP | NIF_SHOWTIP,
      callbackMessage: WM_PANEPIPE_TRAY,
      icon: icon.icon,
      tip: icon.spec.tooltip,
    });
  }

  private add(icon: TrayIcon): void {
    icon.added = Shell_NotifyIconW(NIM_ADD, this.data(icon)) !== 0;
    if (!icon.added) return; // no taskbar yet: TaskbarCreated adds it
    icon.v4 = Shell_NotifyIconW(NIM_SETVERSION, notifyIconData({ hwnd: this.owner, id: icon.id, flags: 0, version: NOTIFYICON_VERSION_4 })) !== 0;
  }

  private onCallback(wParam: number, lParam: number): void {
    // Version 4: LOWORD(lParam) = event, HIWORD(lParam) = icon id. Older: wParam = id, lParam = event.
    const v4Id = hiword(lParam);
    const v4Icon = this.icons.get(v4Id);
    const icon = v4Icon?.v4 ? v4Icon : this.icons.get(wParam);
    if (!icon) return;
    const event = icon.v4 ? loword(lParam) : lParam;
    const click = CLICKS.get(event);
    if (click) {
      const pt = Buffer.alloc(8);
      if (GetCursorPos(pt)) icon.lastClick = readPoint(pt);
      this.push({ type: 'trayClicked', tray: -icon.id, button: click.button, double: click.double });
      if (click.button === 'right' && !click.double && !icon.v4) this.showMenu(icon);
      return;
    }
    if (event === WM_CONTEXTMENU && icon.v4) this.showMenu(icon);
  }

  private showMenu(icon: TrayIcon): void {
    const items = icon.menu;
    if (items.length === 0) return;
    this.cycleNow(); // deliver the click before the modal menu loop
    const menu = CreatePopupMenu();
    if (!menu) return;
    try {
      items.forEach((item, i) => {
        if (item.separator) AppendMenuW(menu, MF_SEPARATOR, 0, null);
        else AppendMenuW(menu, MF_STRING | (item.enabled === false ? MF_GRAYED : 0) | (item.checked ? MF_CHECKED : 0), i + 1, item.label ?? item.id);
      });
      const pt = Buffer.alloc(8);
      GetCursorPos(pt);
      const at = readPoint(pt);
      SetForegroundWindow(this.owner);
      const chosen = TrackPopupMenuEx(menu, TPM_RETURNCMD | TPM_NONOTIFY | TPM_RIGHTBUTTON | TPM_BOTTOMALIGN, at.x, at.y, this.owner, null);
      PostMessageW(this.owner, WM_NULL, 0, 0);
      const item = chosen > 0 ? items[chosen - 1] : undefined;
      if (item && !item.separator && item.enabled !== false && this.icons.has(icon.id)) {
        this.push({ type: 'trayMenuItem', tray: -icon.id, itemId: item.id });
      }
    } finally {
      DestroyMenu(menu);
    }
  }
}
