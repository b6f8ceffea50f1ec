import { MAX_ECHO_CHARS, quoteShort } from './limits.js';
import type { ConfigPath } from './yaml-locate.js';

/** `train.optimizer.lr`, `data.classes[1]`, `tune.space["train.optimizer.lr"]`. */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (String(step).length <= MAX_ECHO_CHARS && /^[A-Za-z_$][\w$-]*$/.test(String(step))) text += text === '' ? String(step) : `.${String(step)}`;
    else text += `[${quoteShort(String(step))}]`; // a long key is shortened, as values are
  }
  return text;
}
