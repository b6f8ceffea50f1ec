import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorMessage } from '../../app/error-message.js';
import { ConfigsTree } from './configs-tree.js';
import { NewPipeline, newPipelineText } from './new-pipeline.js';
import { PipelineEditor } from './pipeline-editor.js';
import { usePipelinesStore } from './pipelines-store.js';
import { QueuePanel } from './queue-panel.js';
import { useQueueStore } from './queue-store.js';
import { formatIssue } from './validate-config.js';

/** /pipelines?file=P: the configs tree, the YAML editor with live validation, Save and Run, the queue. */
export function PipelinesPage() {
  const [search, setSearch] = useSearchParams();
  const file = search.get('file');
  const store = usePipelinesStore();
  const enqueue = useQueueStore((s) => s.enqueue);
  const { files, listError, path, text, savedText, revision, issues, saving, conflict, error, notice } = store;
  const dirty = text !== savedText;

  useEffect(() => {
    void store.loadFiles();
  }, [store.loadFiles]);
  // Open the file the URL names, or the first one.
  useEffect(() => {
    const wanted = file ?? files?.[0]?.path ?? null;
    if (wanted && wanted !== path) void store.open(wanted);
  }, [file, files, path, store.open]);

  const save = useCallback(() => void usePipelinesStore.getState().save(), []);
  const run = useCallback(async () => {
    const state = usePipelinesStore.getState();
    if (!state.path) return;
    if (state.issues.length > 0) {
      usePipelinesStore.setState({ error: new Error(`fix the ${state.issues.length} error${state.issues.length === 1 ? '' : 's'} listed under the editor before running`) });
      return;
    }
    if (state.text !== state.savedText && !(await state.save())) return;
    const job = await enqueue(state.path);
    if (job) usePipelinesStore.setState({ notice: `queued ${job.config}` });
  }, [enqueue]);

  // Closing the tab or reloading with unsaved edits asks first.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  // Ctrl-S and Ctrl-Enter also work when the focus is outside the editor.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      if (event.key === 's') {
        event.preventDefault();
        save();
      } else if (event.key === 'Enter') {
        event.preventDefault();
        void run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, run]);

  return (
    <div className="pipelines-layout">
      <aside className="panel sidebar">
        <h2>Configs</h2>
        {listError !== null && <ErrorMessage error={listError} title="The configs folder could not be listed" onRetry={() => void store.loadFiles()} />}
        {files && <ConfigsTree files={files} selected={path} onSelect={(p) => (!dirty || window.confirm(`Discard your unsaved changes to ${path}?`)) && setSearch({ file: p })} />}
        <NewPipeline
          onCreate={async (p) => {
            if (await store.create(p, newPipelineText(p))) setSearch({ file: p });
          }}
        />
      </aside>
      <section className="editor-column" aria-labelledby="pipeline-title">
        <div className="toolbar">
          <h1 id="pipeline-title" className="file-title">
            {path ?? 'No pipeline open'}
            {dirty && <span className="dirty" title="unsaved changes"> ●</span>}
          </h1>
          <span className="spacer" />
          {path && (
            <span className={issues.length ? 'validity invalid' : 'validity valid'} data-testid="validity">
              {issues.length ? `${issues.length} error${issues.length === 1 ? '' : 's'}` : 'valid'}
            </span>
          )}
          <button type="button" onClick={save} disabled={!path || saving || !dirty} title="Save (Ctrl S)">
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="primary" onClick={() => void run()} disabled={!path} title="Run (Ctrl Enter)">
            Run
          </button>
        </div>
        {conflict && (
          <div className="warning-box" role="alert" data-testid="save-conflict">
            <strong>{path} changed on disk since you opened it.</strong> Reload it (your edits are lost) or overwrite it with your version.
            <div className="actions">
              <button type="button" onClick={() => void store.reload()}>
                Reload from disk
              </button>
              <button type="button" className="danger" onClick={() => void store.save({ overwrite: true })}>
                Overwrite
              </button>
            </div>
          </div>
        )}
        {error !== null && <ErrorMessage error={error} title="The pipeline could not be saved or run" />}
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {!path && files?.length === 0 && <p className="empty">The configs folder is empty: create a pipeline on the left.</p>}
        {path && (
          <PipelineEditor
            key={path}
            file={path}
            text={text}
            revision={revision}
            onChange={store.edit}
            onIssues={store.setIssues}
            onSave={save}
            onRun={() => void run()}
          />
        )}
        <div className="issues" data-testid="validation-errors" aria-live="polite">
          {issues.map((issue, i) => (
            <div key={i} className="issue">
              {formatIssue(issue)}
            </div>
          ))}
        </div>
      </section>
      <aside className="queue-column">
        <QueuePanel />
      </aside>
    </div>
  );
}
