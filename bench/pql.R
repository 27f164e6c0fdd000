# MASS::glmmPQL timed live on the CSV of bench/pql.mjs (median of 3; seconds).
suppressMessages({library(MASS); library(nlme); library(jsonlite)})
d <- read.csv(commandArgs(TRUE)[1]); d$g <- factor(d$g)
t <- numeric(3)
for (i in 1:3) t[i] <- system.time(m <- glmmPQL(y ~ x + trt, random = ~ 1 | g, family = binomial, data = d, verbose = FALSE))[["elapsed"]]
cat(toJSON(list(seconds_median = median(t), fixef = as.list(fixef(m)), iterations_note = "glmmPQL: at most 10"), auto_unbox = TRUE, digits = NA))
