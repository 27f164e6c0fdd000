// A consumer of the published package, bundled by esbuild with no configuration at all
// (`esbuild main.js --bundle --outfile=...`): it must find the browser build through package.json.
import { glmer, parseCsv } from 'glmm-wasm';

async function main() {
  const text = await (await fetch('/data/cbpp.csv')).text();
  const fit = await glmer(
    'cbind(incidence, size - incidence) ~ period + (1 | herd)',
    parseCsv(text),
    { family: 'binomial', factors: ['period'] },
  );
  return { fixef: fit.fixef, backend: fit.backend };
}

window.consumerResult = main().catch((e) => ({ error: String(e) }));
