// Preloaded (with --expose-gc) into the servers whose memory the benches
// measure: SIGUSR2 makes the process collect its garbage, so that resident
// memory read afterwards is what its connections hold, not garbage that a
// collection may or may not have freed in between (bench/connections.ts).
process.on('SIGUSR2', () => globalThis.gc?.());
