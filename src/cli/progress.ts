/**
 * Progress lines on stderr for slow fits: nothing during the first second, then at most one line
 * per second with the number of objective evaluations and the elapsed time. On a terminal the
 * line is rewritten in place; otherwise each report is its own line.
 */

/** What the fitting functions report through `onProgress`. */
export interface ProgressInfo {
  evaluations: number;
  fval: number;
  elapsedMs: number;
}

/** A progress printer bound to one fit. */
export interface ProgressReporter {
  /** Pass as the fit's `onProgress`. */
  onProgress(p: ProgressInfo): void;
  /** Ends the progress display (newline after an in-place line). */
  done(): void;
}

/** Creates a reporter writing to `write`; `label` names the fit (e.g. the example name). */
export function createProgress(
  write: (s: string) => void,
  isTTY: boolean,
  label = 'fitting',
  intervalMs = 1000,
): ProgressReporter {
  let last = -Infinity;
  let printed = false;
  return {
    onProgress(p) {
      if (p.elapsedMs < intervalMs || p.elapsedMs - last < intervalMs) return;
      last = p.elapsedMs;
      const line = `${label}: ${p.evaluations} evaluations, ${(p.elapsedMs / 1000).toFixed(1)} s, objective ${p.fval.toFixed(4)}`;
      if (isTTY) write(`\r${line}\x1b[K`);
      else write(line + '\n');
      printed = true;
    },
    done() {
      if (printed && isTTY) write('\n');
      printed = false;
    },
  };
}
