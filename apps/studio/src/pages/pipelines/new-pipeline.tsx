import { useState, type FormEvent } from 'react';

/** The YAML a new pipeline starts from: valid as it is, every other key at its documented default. */
export function newPipelineText(path: string): string {
  const name = (path.split('/').pop() ?? 'pipeline').replace(/\.ya?ml$/, '').replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'pipeline';
  return `version: 1
name: ${name}
data:
  # One sub-folder per class; the sub-folder name is the label. Ctrl-Space lists the other kinds.
  source: { kind: folder, root: data }
`;
}

/** "New pipeline": a path in the configs folder, created from a minimal valid config. */
export function NewPipeline({ onCreate }: { onCreate(path: string): Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const target = /\.ya?ml$/.test(path) ? path : `${path}.yaml`;
    setBusy(true);
    try {
      await onCreate(target);
      setOpen(false);
      setPath('');
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return (
      <button type="button" className="small" onClick={() => setOpen(true)}>
        New pipeline…
      </button>
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="new-pipeline">
      <input autoFocus value={path} onChange={(e) => setPath(e.target.value)} placeholder="folder/name.yaml" aria-label="New pipeline path" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)} />
      <button type="submit" className="small primary" disabled={busy || path.trim() === ''}>
        Create
      </button>
    </form>
  );
}
