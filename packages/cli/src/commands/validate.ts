import { ConfigError, formatConfigIssue } from '@cvf/core';
import { loadPipelineConfigFile } from '@cvf/core/node';
import type { Command } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';

/**
 * `cvf validate FILE [--json]`: checks a pipeline YAML before anything runs. Exit 0 when valid;
 * exit 2 for an invalid config (every issue, each as file:line:col: path: message; a UTF-16 or
 * non-UTF-8 file is one issue at 1:1) or a file that cannot be read (FILE_UNREADABLE), is not a
 * regular file (FILE_NOT_REGULAR) or is over 1 MiB (FILE_TOO_LARGE).
 */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a pipeline YAML against the schema and list every issue with its line, column and path')
    .argument('<file>', 'pipeline YAML file')
    .option('--json', 'print {"file","valid":true} or {"error":{"code","message","issues"}} on stdout')
    .action((file: string, options: { json?: boolean }) => {
      const json = options.json === true;
      return runAction(
        json,
        async () => {
          try {
            await loadPipelineConfigFile(file);
          } catch (error) {
            // --json and other errors go through the CLI's common error report (code, message, issues).
            if (json || !(error instanceof ConfigError)) throw error;
            // One line per issue, in the file:line:col form that editors and CI annotators link.
            process.stderr.write(`${error.issues.map(formatConfigIssue).join('\n')}\n`);
            return EXIT.badInput;
          }
          if (json) printJson({ file, valid: true });
          else process.stdout.write(`${file}: valid\n`);
          return EXIT.ok;
        },
        // Whatever stops validation (unreadable file, invalid config) is bad input.
        EXIT.badInput,
      );
    });
}
