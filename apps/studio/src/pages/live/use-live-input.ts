import { useEffect } from 'react';
import { isTyping } from '../../app/use-shortcuts.js';
import { useLiveStore } from './live-store.js';

/** The page's keys — space pauses and resumes, Escape stops — and the whole page as a drop target for a video file. */
export function useLiveInput(): void {
  useEffect(() => {
    const key = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const { togglePause, stop } = useLiveStore.getState();
      if (event.key === ' ') {
        // Also keeps a focused button from being pressed by the same key.
        event.preventDefault();
        togglePause();
      } else if (event.key === 'Escape') {
        stop();
      }
    };
    const over = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void useLiveStore.getState().start({ kind: 'file', file });
    };
    window.addEventListener('keydown', key);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('keydown', key);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
}
