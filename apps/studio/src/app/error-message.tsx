import { ApiError } from '../api/client.js';

/** An error in words: what failed, the server's code, and what to try. Never a blank page. */
export function ErrorMessage({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const { code, message } = describeError(error);
  return (
    <div className="error-box" role="alert">
      <strong>{title ?? 'Something went wrong'}</strong>
      <p>
        {message} {code && <code className="error-code">{code}</code>}
      </p>
      {hintFor(code) && <p className="muted">{hintFor(code)}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function describeError(error: unknown): { code: string | undefined; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: undefined, message: error.message };
  return { code: undefined, message: String(error) };
}

function hintFor(code: string | undefined): string | undefined {
  switch (code) {
    case 'NETWORK_FAILED':
      return 'Is `cvf studio` still running? Start it again and reload this page.';
    case 'HTTP_401':
    case 'UNAUTHORIZED':
      return 'Sign in again at /login with the studio token.';
    case 'RESPONSE_INVALID':
      return 'The server and this page come from different versions: rebuild the studio (npm run build -w apps/studio).';
    default:
      return undefined;
  }
}
