// Loaded before every spec file, in Node (jasmine.json "helpers") and in Chromium (karma.conf.js).
//
// jasmine's 5 s default timeout for an async spec is a wall-clock budget: a spec that starts real
// workers or processes passes on an idle laptop and times out on a shared, busy 2-core machine.
// Specs are bounded by their outcomes; this timeout is only the guard against a real hang, so it
// is generous (and under karma's 60 s browserNoActivityTimeout).
jasmine.DEFAULT_TIMEOUT_INTERVAL = 55_000;
