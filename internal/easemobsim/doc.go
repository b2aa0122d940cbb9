// Package easemobsim is an in-memory simulator of the Easemob (环信) IM REST
// API for chatrooms.
package easemobsim
