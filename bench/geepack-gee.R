# geepack's geeglm on the data bench/gee.mjs wrote (little-endian doubles: y, x1, x2, trt, id,
# wave, n rows each; already sorted by id and wave as geepack needs). Prints one JSON line:
# seconds (geeglm's own time, the file read excluded), coefficients, robust SEs, alpha, scale.
# Usage: Rscript geepack-gee.R FILE N CORSTR FAMILY
suppressMessages(library(geepack))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]; n <- as.integer(args[2]); corstr <- args[3]; family <- args[4]
con <- file(file, "rb")
cols <- lapply(1:6, function(k) readBin(con, "double", n = n, endian = "little"))
close(con)
d <- data.frame(y = cols[[1]], x1 = cols[[2]], x2 = cols[[3]], trt = cols[[4]],
                id = cols[[5]], wave = cols[[6]])
fam <- switch(family, poisson = poisson(), binomial = binomial(), gaussian = gaussian())
t0 <- proc.time()[["elapsed"]]
fit <- if (corstr == "ar1") {
  geeglm(y ~ x1 + x2 + trt, family = fam, data = d, id = id, waves = wave, corstr = corstr)
} else {
  geeglm(y ~ x1 + x2 + trt, family = fam, data = d, id = id, corstr = corstr)
}
secs <- proc.time()[["elapsed"]] - t0
cat(jsonlite::toJSON(list(seconds = secs, fixef = as.list(coef(fit)),
                          robustSe = as.list(sqrt(diag(vcov(fit)))),
                          alpha = unname(fit$geese$alpha), scale = unname(fit$geese$gamma)),
                     auto_unbox = TRUE, digits = NA), "\n")
