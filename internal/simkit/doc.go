// Package simkit holds what the vendor simulators (internal/nimsim,
// internal/easemobsim) share that is not an API: fault injection, latency,
// the token bucket of their rate limits and the atomic state file. It uses
// the standard library only, so a simulator never depends on a client.
package simkit
