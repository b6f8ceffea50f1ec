import { useEffect } from 'react';
import { useNavigate } from 'react-router';

/** `g` then a letter goes to a page, as in GitHub and Gmail. */
export const GO_TO: Readonly<Record<string, { path: string; label: string }>> = {
  p: { path: '/pipelines', label: 'Pipelines' },
  r: { path: '/runs', label: 'Runs' },
  m: { path: '/models', label: 'Models' },
  d: { path: '/data', label: 'Data' },
  v: { path: '/viewer', label: 'Viewer' },
  l: { path: '/live', label: 'Live' },
};

/** Shell-wide keys: `g x` navigation and `?` for the list. Ignored while typing in a field or the editor. */
export function useShortcuts(onHelp: () => void): void {
  const navigate = useNavigate();
  useEffect(() => {
    let pendingG = 0;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === '?') {
        onHelp();
        return;
      }
      if (event.key === 'g') {
        pendingG = event.timeStamp;
        return;
      }
      const target = GO_TO[event.key];
      // The second key counts within 1.5 s of the `g`.
      if (target && pendingG && event.timeStamp - pendingG < 1500) {
        event.preventDefault();
        navigate(target.path);
      }
      pendingG = 0;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, onHelp]);
}

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
