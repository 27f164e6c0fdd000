# One lme4 ML fit of a nested-design benchmark case (bench/nested.mjs), the counterpart of
# `glmm fit --data FILE.csv --ml --json`: load lme4, read.csv, factor(), one lmer(REML = FALSE) fit,
# one line of JSON. bench/nested.mjs times the whole Rscript process from outside.
# usage: Rscript lme4-nested.R DATA.csv FORMULA FACTORS
#   FACTORS  comma-separated columns converted with factor() before fitting
# JSON: nobs, seconds (the lmer call only), feval (m@optinfo$feval), logLik, theta, optimizer,
#       conv (optimizer return code), warnings, maxRssKiB (VmHWM of /proc/self/status after the
#       fit: peak resident memory of this R process; null where /proc is absent), cpuSeconds
#       (user + system CPU time of the R process so far), lme4 version.
suppressMessages({library(lme4); library(jsonlite)})
a <- commandArgs(TRUE)
if (length(a) < 3) stop("usage: Rscript lme4-nested.R DATA.csv FORMULA FACTORS")
dat <- read.csv(a[1])
for (v in strsplit(a[3], ",", fixed = TRUE)[[1]]) if (nzchar(v)) dat[[v]] <- factor(dat[[v]])
f <- as.formula(a[2])
warn <- character()
t0 <- proc.time()[["elapsed"]]
m <- withCallingHandlers(lmer(f, data = dat, REML = FALSE),
  warning = function(c) { warn <<- unique(c(warn, conditionMessage(c))); invokeRestart("muffleWarning") },
  message = function(c) { warn <<- unique(c(warn, sub("\n$", "", conditionMessage(c)))); invokeRestart("muffleMessage") })
secs <- proc.time()[["elapsed"]] - t0
hwm <- function() {
  s <- tryCatch(readLines("/proc/self/status"), error = function(e) character(), warning = function(w) character())
  l <- grep("^VmHWM:", s, value = TRUE)
  if (length(l)) as.numeric(gsub("[^0-9]", "", l[1])) else NULL
}
cat(toJSON(list(nobs = nobs(m), seconds = secs, feval = m@optinfo$feval, logLik = as.numeric(logLik(m)),
  theta = unname(getME(m, "theta")), optimizer = m@optinfo$optimizer, conv = m@optinfo$conv$opt,
  warnings = I(warn), maxRssKiB = hwm(),
  cpuSeconds = sum(proc.time()[c("user.self", "sys.self")]), lme4 = as.character(packageVersion("lme4"))),
  auto_unbox = TRUE, digits = NA), "\n")
