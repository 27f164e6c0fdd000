// Integer codes of the GLM links and families: the kernel ABI's names for them. Plain constants,
// valid as both AssemblyScript and TypeScript: the kernels (assembly/glm.ts,
// src/backend/js/links.ts, src/backend/js/families.ts) and the host (LinkCode in
// src/model/links.ts, FamilyCode in src/model/family.ts) import this one file.

// Links, as R's make.link names them.
export const LINK_IDENTITY = 0;
export const LINK_LOG = 1;
export const LINK_LOGIT = 2;
export const LINK_PROBIT = 3;
export const LINK_CLOGLOG = 4;
export const LINK_CAUCHIT = 5;
export const LINK_INVERSE = 6;
export const LINK_SQRT = 7;
export const LINK_INVSQUARE = 8; // "1/mu^2"

// Families, as R's family constructors name them.
export const FAMILY_GAUSSIAN = 0;
export const FAMILY_BINOMIAL = 1;
export const FAMILY_POISSON = 2;
export const FAMILY_GAMMA = 3;
export const FAMILY_INVERSE_GAUSSIAN = 4;
export const FAMILY_NEGATIVE_BINOMIAL = 5; // NB2 with a given θ
