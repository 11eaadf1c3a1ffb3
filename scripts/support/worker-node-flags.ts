// How the worker's and the web process's Node run, wherever they are launched (npm start, `npm run worker`, the e2e
// server, the bench). The bulk work (an import's dry run in the web process; its apply and a directory sync in the
// worker) allocates a batch's worth of short-lived objects per transaction, and with V8's default heuristics the heap
// grows to several times its live size before a full collection (a first sync of 100,000 entries peaked above
// 500 MB for about 60 MB live). Not a heap cap: the heap still grows as far as the work needs.
// - `--max-semi-space-size=8`: a young generation of 8 MB semi-spaces instead of V8's larger default;
// - `--heap-growing-percent=50`: after a full collection the old generation may grow by half its live size before
//   the next one, instead of up to four times.
// `--optimize-for-size` held memory as well but cost 1.5 to 3 times the CPU in the apply's process (README:
// "Import and export" has the figures).
// The worker holds tighter (4 MB semi-spaces, 30%): a first directory sync of 100,000 entries peaked at 253–304 MB with
// the web process's flags and 232–276 MB with these, for about a tenth more of its own (small) CPU.
export const WORKER_NODE_FLAGS = ["--max-semi-space-size=4", "--heap-growing-percent=30"];

// The web process: an import's dry run runs in it (the upload is read and checked as it arrives), bound by its own
// thread, where a smaller young generation would cost time.
export const WEB_NODE_FLAGS = ["--max-semi-space-size=8", "--heap-growing-percent=50"];
