/** Entry point of the `glmm` command (bundled to dist/cli.js by tsup). */
import { readFileSync } from 'node:fs';
import { glmer, lmer } from '../index';
import { setWorkerLibraryUrl } from '../worker/spawn';
import { run } from './run';

// workers (fit-many) load the library bundle beside this one, not the CLI
setWorkerLibraryUrl(new URL('./index.js', import.meta.url).href);

run(
  process.argv.slice(2),
  {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: (path) => readFileSync(path, 'utf8'),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  },
  { lmer, glmer },
).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
