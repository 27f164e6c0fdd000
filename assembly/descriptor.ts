// Field indices of the descriptors that hand a whole mixed-model system, or a PIRLS run, to one
// kernel. Plain constants, valid as both AssemblyScript and TypeScript: the host
// (src/model/system.ts, src/model/pirls.ts) and the kernels (assembly/system.ts,
// assembly/pirls.ts, src/backend/js/system.ts, src/backend/js/pirls.ts) import this one file.
// Every descriptor is an i32 record in the heap; its offsets are ELEMENT offsets (f64 or i32
// units, as in the TypeScript kernel contract); -1 means "none".

// System descriptor: the blocked system of src/model/layout.ts and its resident arrays.
export const SYS_N = 0; // observations
export const SYS_V1 = 1; // columns per level of block 1
export const SYS_NL1 = 2; // levels of block 1
export const SYS_NTAIL = 3; // tail blocks
export const SYS_SUMVT = 4; // Σ v over the tail blocks
export const SYS_P = 5; // fixed-effect columns in the system (0 for the u-only system)
export const SYS_T = 6; // tail size qt + p + 1
export const SYS_QT = 7; // random-effect rows in the tail
export const SYS_DENSE_L21 = 8; // 1 when every level of block 1 touches every tail row
export const SYS_REFS1 = 9; // i32[n]
export const SYS_Z1 = 10; // f64[n·v1]
export const SYS_TAIL_ROW = 11; // i32[n·nTail]
export const SYS_TAIL_POS = 12; // i32[n·nTail]
export const SYS_TAIL_V = 13; // i32[nTail]
export const SYS_Z_TAIL = 14; // f64[n·sumVt]
export const SYS_X = 15; // f64[n·p], row-major
export const SYS_Y = 16; // f64[n]: the system's response (data, or PIRLS working response)
export const SYS_W = 17; // f64[n]: weights (PIRLS working weights)
export const SYS_ROW_PTR = 18; // i32[nl1 + 1]
export const SYS_ROW_IDX = 19; // i32[nnz]
export const SYS_ROW_T = 20; // i32[t]
export const SYS_ROW_START = 21; // i32[t]
export const SYS_ROW_V = 22; // i32[t]
export const SYS_A11 = 23;
export const SYS_L11 = 24;
export const SYS_A21 = 25;
export const SYS_L21 = 26;
export const SYS_A22 = 27;
export const SYS_L22 = 28;
export const SYS_X1 = 29; // f64[nl1·v1]: solution, block 1
export const SYS_X2 = 30; // f64[t]: solution, tail
export const SYS_SCRATCH_I32 = 31;
export const SYS_SCRATCH_F64 = 32;
export const SYS_NBLOCKS = 33; // random-effect blocks (1 + nTail)
export const SYS_BLOCKS = 34; // i32[4·nBlocks]: per block nl, v, T offset, start of its b/u
export const SYS_FIELDS = 35;

// PIRLS descriptor (i32 fields), with an f64 record for the real-valued ones.
export const PIRLS_SYS_JOINT = 0; // system descriptor with the X columns (u and β)
export const PIRLS_SYS_U = 1; // system descriptor without X (u alone, β fixed)
export const PIRLS_FAMILY = 2;
export const PIRLS_LINK = 3;
export const PIRLS_Y = 4; // f64[n]: the data
export const PIRLS_PRIOR_WT = 5; // f64[n]
export const PIRLS_OFFSET = 6; // f64[n] or -1
export const PIRLS_FIXED = 7; // f64[n]: offset + Xβ
export const PIRLS_ETA = 8; // f64[n]
export const PIRLS_MU = 9; // f64[n]
export const PIRLS_U = 10; // f64[q]: current u (in: start; out: mode)
export const PIRLS_U_NEW = 11; // f64[q]: candidate
export const PIRLS_BETA = 12; // f64[p]: current β (in/out)
export const PIRLS_BETA_NEW = 13; // f64[p]: candidate
export const PIRLS_B = 14; // f64[q]: b = Λu scratch
export const PIRLS_Q = 15;
export const PIRLS_P = 16; // fixed effects of the model (the joint system's p)
export const PIRLS_MAX_ITER = 17;
export const PIRLS_REALS = 18; // f64 record: [nbTheta, tol, out pdev, noise]
export const PIRLS_OUT_ITER = 19; // iterations used (out)
export const PIRLS_OUT_FACTORED = 20; // 1 if the joint system was factored last, 0 if the u-only
export const PIRLS_FIELDS = 21;
export const PIRLS_REAL_NB_THETA = 0;
export const PIRLS_REAL_TOL = 1;
export const PIRLS_REAL_PDEV = 2;
// Below this step size, a step no smaller than the previous one is rounding noise: PIRLS
// has converged as far as the arithmetic allows (the step is then at most this large).
export const PIRLS_REAL_NOISE = 3;
export const PIRLS_REAL_FIELDS = 4;

// PIRLS status codes (returned by the kernel).
export const PIRLS_OK = 0;
export const PIRLS_NOT_PD = 1; // the penalised weighted system is not positive definite
export const PIRLS_STEP_FAILED = 2; // step halving could not reduce the penalised deviance
export const PIRLS_NO_CONVERGENCE = 3; // iteration limit reached
