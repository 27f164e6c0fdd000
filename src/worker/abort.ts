/**
 * The error an aborted fit rejects with: named 'AbortError', as fetch's, so `e.name ===
 * 'AbortError'` works the same for both. A DOMException where the engine has one (browsers,
 * Node ≥ 17), else an Error with that name; the signal's reason is kept as `cause`.
 */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const why =
    reason instanceof Error
      ? `: ${reason.message}`
      : reason === undefined
        ? ''
        : `: ${String(reason)}`;
  const message = `the fit was aborted${why}`;
  const e =
    typeof DOMException === 'function'
      ? (new DOMException(message, 'AbortError') as Error)
      : Object.assign(new Error(message), { name: 'AbortError' });
  if (reason !== undefined)
    Object.defineProperty(e, 'cause', { value: reason, configurable: true });
  return e;
}
