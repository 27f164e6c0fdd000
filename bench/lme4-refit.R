# lme4's refit(m, newresp) timed per response, the counterpart of bench/refit.mjs (same models,
# same deterministic responses). usage: Rscript lme4-refit.R CASE COUNT; prints one JSON line.
suppressMessages({library(lme4); library(jsonlite)})
a <- commandArgs(TRUE); case <- a[1]; count <- as.integer(a[2])
if (case == "sleepstudy") {
  d <- read.csv("test/fixtures/sleepstudy.csv"); d$Subject <- factor(d$Subject)
  m <- lmer(Reaction ~ Days + (Days | Subject), d)
  k <- seq_len(nrow(d)) - 1
  resp <- function(i) d$Reaction + 20 * sin(i * 7.3 + k * 1.7)
} else if (case == "cbpp") {
  d <- read.csv("test/fixtures/cbpp.csv"); d$period <- factor(d$period); d$herd <- factor(d$herd)
  m <- glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), family = binomial, data = d)
  j <- seq_len(nrow(d)) - 1
  resp <- function(i) { s <- (d$incidence + ((i + j) %% 3)) %% (d$size + 1); cbind(s, d$size - s) }
} else if (case == "crossed8000") {
  # the design of bench/fitmany.mjs: 8,000 rows, 200 subjects crossed with 40 items
  i <- seq_len(8000) - 1
  d <- data.frame(x = sin(i), s = factor(i %% 200), item = factor((i * 7) %% 40))
  sv <- i %% 200; iv <- (i * 7) %% 40
  resp <- function(k) d$x + sin(sv * 1.3 + k) + cos(iv * 0.7 + 2 * k) + 0.5 * sin(i * 12.9898 + k * 78.233)
  d$y <- resp(0)
  m <- lmer(y ~ x + (1 | s) + (1 | item), d)
} else stop("unknown case")
ys <- lapply(seq_len(count) - 1, resp)
invisible(suppressWarnings(suppressMessages(refit(m, ys[[1]]))))
t0 <- proc.time()[["elapsed"]]
for (y in ys) invisible(suppressWarnings(suppressMessages(refit(m, y))))
secs <- proc.time()[["elapsed"]] - t0
cat(toJSON(list(refitMs = 1000 * secs / count, lme4 = as.character(packageVersion("lme4"))), auto_unbox = TRUE), "\n")
