// Integer codes of the GEE working-correlation structures: the kernel ABI's names for them
// (assembly/gee.ts, src/backend/js/gee.ts and the host, src/gee/). Plain constants, valid as both
// AssemblyScript and TypeScript, like ./codes.

export const CORSTR_INDEPENDENCE = 0;
export const CORSTR_EXCHANGEABLE = 1;
export const CORSTR_AR1 = 2;
export const CORSTR_UNSTRUCTURED = 3;
