// Field indices of the descriptors that hand a whole mixed-model system, or a PIRLS run, to one
// kernel. Plain constants, valid as both AssemblyScript and TypeScript: the host
// (src/model/system.ts, src/model/pirls.ts) and the kernels (assembly/system.ts,
// assembly/pirls.ts, src/backend/js/system.ts, src/backend/js/pirls.ts) import this one file.
// Every descriptor is an i32 record in the heap; its offsets are ELEMENT offsets (f64 or i32
// units, as in the TypeScript kernel contract); -1 means "none".

// System descriptor: the sparse system of src/model/layout.ts and its resident arrays.
// Global rows: the q random effects (blocks in layout order), the p X rows, the y row.
export const SYS_N = 0; // observations
export const SYS_P = 1; // fixed-effect columns in the system (0 for the u-only system)
export const SYS_Q = 2; // random-effect rows
export const SYS_NROWS = 3; // q + p + 1
export const SYS_NBLOCKS = 4; // random-effect blocks
export const SYS_BLOCKS = 5; // i32[BLOCK_FIELDS·nBlocks]: per block nl, v, T offset, first row
export const SYS_NSPARSE = 6; // sparse columns (nodes 0..nSparse-1)
export const SYS_D0 = 7; // first global row of the dense tail
export const SYS_T = 8; // dense tail size nRows - d0
export const SYS_QT = 9; // random-effect rows in the tail
export const SYS_DENSE_SCHUR = 10; // 1: every panel has the same v and the whole tail as pattern
export const SYS_NODE_ROW = 11; // i32[nodes]: global row of each node
export const SYS_NODE_V = 12; // i32[nSparse]
export const SYS_ROW_PTR = 13; // i32[nSparse + 1] into SYS_PANEL_ROWS
export const SYS_PANEL_ROWS = 14; // i32[..]: global rows of each panel below its own rows
export const SYS_VAL_PTR = 15; // i32[nSparse + 1]: f64 offset of each panel in A and L
export const SYS_TAIL_FROM = 16; // i32[nSparse]: local row of each panel's first tail row
export const SYS_UPD_PTR = 17; // i32[nSparse + 1]
export const SYS_UPD_COL = 18; // i32[..]
export const SYS_UPD_POS = 19; // i32[..]
export const SYS_ROW_T = 20; // i32[nRows]: f64 offset of the row's T, -1 for X and y rows
export const SYS_ROW_START = 21; // i32[nRows]: first row of the row's node
export const SYS_ROW_V = 22; // i32[nRows]: v of the row's block (1 for X and y)
export const SYS_OBS_NODE = 23; // i32[n·nBlocks]
export const SYS_OBS_Z = 24; // f64[n·sumV], row-major: the blocks' z values of each observation
export const SYS_SUMV = 25; // Σ v over the blocks
export const SYS_PAIR_POS = 26; // i32[n·nPairs]
export const SYS_NPAIRS = 27;
export const SYS_X = 28; // f64[n·p], row-major
export const SYS_Y = 29; // f64[n]: the system's response (data, or PIRLS working response)
export const SYS_W = 30; // f64[n]: weights (PIRLS working weights)
export const SYS_A_PANELS = 31; // f64[valPtr[nSparse]]
export const SYS_L_PANELS = 32;
export const SYS_A22 = 33; // f64[t·t], full storage
export const SYS_L22 = 34; // f64[t·t], lower triangle
export const SYS_XSOL = 35; // f64[nRows]: solution of Lᵀ x = c (u, then β)
export const SYS_SCRATCH_I32 = 36; // i32[nRows + 2·(sumV + p + 1)]
export const SYS_SCRATCH_F64 = 37; // f64[sumV + p + 1]
export const SYS_FIELDS = 38;
// Per-block record in SYS_BLOCKS.
export const BLOCK_NL = 0;
export const BLOCK_V = 1;
export const BLOCK_T = 2;
export const BLOCK_ROW = 3;
export const BLOCK_FIELDS = 4;

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
