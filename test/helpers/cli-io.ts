/** An in-memory CliIO for running the CLI in-process: captured output, files from a table. */
import { readFileSync } from 'node:fs';
import { glmer } from '../../src/api/glmer';
import { lmer } from '../../src/api/lmer';
import { run, type CliIO } from '../../src/cli/run';

export function memoryIO(files: Record<string, string> = {}): {
  io: CliIO;
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    readFile: (p) => (p in files ? files[p] : readFileSync(p, 'utf8')),
    stderrIsTTY: false,
  };
  return { io, out, err };
}

/** Runs `glmm <argv>` in-process with the real fitting functions. */
export async function runCli(
  argv: string[],
  files: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, out, err } = memoryIO(files);
  const code = await run(argv, io, { lmer, glmer });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
