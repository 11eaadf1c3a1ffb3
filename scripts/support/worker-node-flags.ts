// How the worker process's Node runs, wherever it is launched (npm start, `npm run worker`, the e2e server, the bench).
// `--optimize-for-size` makes V8 collect and size its heap for memory rather than speed: the bulk jobs (import
// apply, directory sync) allocate a batch's worth of short-lived objects per transaction, and with the default
// heuristics V8 lets the heap grow to several times its live size before a full collection (a first sync of
// 100,000 entries peaked above 500 MB for about 60 MB live). Not a heap cap: the heap still grows as far as the
// work needs. README: "Measured speed" has the figures with and without it.
export const WORKER_NODE_FLAGS = ["--optimize-for-size"];

// The web process too: an import's dry run runs in it (the upload is read and checked as it arrives), and
// without the flag a 100,000-row dry run peaked at 330–440 MB against 175 MB with it, for about the same CPU
// (README: "Import and export").
export const WEB_NODE_FLAGS = ["--optimize-for-size"];
