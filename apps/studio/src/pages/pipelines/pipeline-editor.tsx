import { lintGutter } from '@codemirror/lint';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import type { ConfigIssue } from '@cvf/core';
import { useEffect, useRef } from 'react';
import { pipelineLanguage } from './pipeline-language.js';

interface Props {
  /** The file's name, for the issues. */
  file: string;
  text: string;
  /** Changes when `text` comes from outside (a file opened or reloaded): the editor then takes it. */
  revision: number;
  onChange(text: string): void;
  onIssues(issues: readonly ConfigIssue[]): void;
  onSave(): void;
  onRun(): void;
}

/** The CodeMirror 6 YAML editor of a pipeline, with schema completion, hover docs and live validation. */
export function PipelineEditor({ file, text, revision, onChange, onIssues, onSave, onRun }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is built once per file; the latest callbacks are read through this ref.
  const props = useRef({ file, onChange, onIssues, onSave, onRun });
  props.current = { file, onChange, onIssues, onSave, onRun };

  useEffect(() => {
    const state = EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        lintGutter(),
        EditorState.tabSize.of(2),
        Prec.highest(
          keymap.of([
            { key: 'Mod-s', preventDefault: true, run: () => (props.current.onSave(), true) },
            { key: 'Mod-Enter', preventDefault: true, run: () => (props.current.onRun(), true) },
          ]),
        ),
        pipelineLanguage(
          () => props.current.file,
          (issues) => props.current.onIssues(issues),
        ),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) props.current.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': `pipeline YAML ${file}` }),
      ],
    });
    view.current = new EditorView({ state, parent: host.current! });
    return () => {
      view.current?.destroy();
      view.current = null;
    };
    // Rebuilt only when another text is loaded; typing flows the other way (onChange).
  }, [revision]);

  return <div className="editor" ref={host} data-testid="pipeline-editor" />;
}
