import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../app/error-message.js';

export const ALIASES = ['staging', 'production'] as const;

interface Props {
  model: string;
  version: number;
  /** Alias → the version it points at now. */
  current: Readonly<Record<string, number>>;
  onConfirm(alias: string): Promise<unknown>;
  onClose(): void;
}

/** Promote a version: pick the alias; the confirmation names the version the alias leaves. */
export function PromoteDialog({ model, version, current, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [alias, setAlias] = useState<string>('production');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const leaves = current[alias];
  const consequence =
    leaves === undefined
      ? `${model}@${alias} is new: it will point at v${version}.`
      : leaves === version
        ? `${model}@${alias} already points at v${version}.`
        : `${model}@${alias} moves from v${leaves} to v${version}: whatever serves @${alias} gets v${version} on its next load.`;
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm(alias);
      ref.current?.close();
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="promote-title" data-testid="promote-dialog">
      <h2 id="promote-title">
        Promote {model} v{version}
      </h2>
      <fieldset className="alias-choice">
        <legend>Alias</legend>
        {ALIASES.map((a) => (
          <label key={a}>
            <input type="radio" name="alias" value={a} checked={alias === a} onChange={() => setAlias(a)} /> {a}
            {current[a] !== undefined && <span className="muted"> (now v{current[a]})</span>}
          </label>
        ))}
      </fieldset>
      <p data-testid="promote-consequence">{consequence}</p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => ref.current?.close()}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy || leaves === version} onClick={() => void confirm()} autoFocus>
          {busy ? 'Promoting…' : `Promote to ${alias}`}
        </button>
      </div>
    </dialog>
  );
}
