import { memoryStore, type KeyValueStore } from '../core/remembered-login.js';

/** localStorage, or a memory store when the browser refuses it (privacy modes, sandboxed frames). */
export function safeStorage(win: Window = window): KeyValueStore {
  try {
    const s = win.localStorage;
    s.getItem('vodia-call.probe');
    return s;
  } catch {
    return memoryStore();
  }
}
