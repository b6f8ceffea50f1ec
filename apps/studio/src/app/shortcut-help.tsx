import { useEffect, useRef } from 'react';
import { GO_TO } from './use-shortcuts.js';

const PAGE_KEYS = [
  ['Ctrl S', 'save the pipeline'],
  ['Ctrl Enter', 'run the pipeline'],
  ['Ctrl Space', 'complete a key or value in the editor'],
  ['/', 'filter the runs'],
  ['j / k', 'move through the runs; Enter opens one'],
  ['x', 'select a run for comparison'],
  ['Space', 'pause or resume the live video'],
] as const;

/** The list of keyboard shortcuts (`?`). */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcut-table">
        <tbody>
          {Object.entries(GO_TO).map(([key, target]) => (
            <tr key={key}>
              <td>
                <kbd>g</kbd> <kbd>{key}</kbd>
              </td>
              <td>go to {target.label}</td>
            </tr>
          ))}
          {PAGE_KEYS.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                {keys.split(' ').map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
