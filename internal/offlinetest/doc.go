// Package offlinetest runs the commands of the "Test your configuration
// offline" guide and the example GitHub Actions workflow
// (examples/guides/offline-testing, examples/ci), so that what users copy
// keeps working. It has no code outside its tests.
//
// TestGuideShowsOnlyTestedCommands always runs: it checks that the guide
// shows its commands only from those files. The tests that run them need a
// Terraform CLI in NIM_GUIDE_TERRAFORM, curl and bash, and skip without
// NIM_GUIDE_TERRAFORM; `make module-test` sets it.
package offlinetest
