# Whole-process lme4 run for the benchmarks: load lme4, read.csv, factor conversion, one fit,
# one line of JSON. bench/run.mjs times the whole Rscript process from outside, the counterpart
# of `glmm fit --data FILE.csv --json`.
# usage: Rscript lme4-whole.R DATA.csv FORMULA FAMILY REML FACTORS [LINK] [NAGQ]
#   FAMILY   gaussian -> lmer(REML = REML); anything else -> glmer(family = FAMILY(link = LINK))
#   FACTORS  comma-separated columns converted with factor(), or "-" for none
suppressMessages({library(lme4); library(jsonlite)})
a <- commandArgs(TRUE)
if (length(a) < 5) stop("usage: Rscript lme4-whole.R DATA.csv FORMULA FAMILY REML FACTORS [LINK] [NAGQ]")
dat <- read.csv(a[1])
for (v in strsplit(a[5], ",", fixed = TRUE)[[1]]) if (nzchar(v) && v != "-") dat[[v]] <- factor(dat[[v]])
f <- as.formula(a[2])
link <- if (length(a) >= 6 && nzchar(a[6]) && a[6] != "-") a[6] else NULL
nAGQ <- if (length(a) >= 7) as.integer(a[7]) else 1L
t0 <- proc.time()[["elapsed"]]
m <- suppressWarnings(suppressMessages(
  if (a[3] == "gaussian") lmer(f, data = dat, REML = as.logical(a[4])) else {
    fam <- get(a[3], mode = "function")
    glmer(f, data = dat, family = if (is.null(link)) fam() else fam(link = link), nAGQ = nAGQ)
  }))
secs <- proc.time()[["elapsed"]] - t0
cat(toJSON(list(nobs = nobs(m), seconds = secs, logLik = as.numeric(logLik(m))),
  auto_unbox = TRUE, digits = NA), "\n")
