package offlinetest

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// simControl is a simulator control as the README and the guide name it,
// without its query.
var simControl = regexp.MustCompile(`/_sim/easemob/[a-z/-]+`)

// TestGuideListsEasemobControls: every Easemob control of the simulator
// that the README lists is in the offline-testing guide too.
func TestGuideListsEasemobControls(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	guide, err := os.ReadFile("../../templates/guides/offline-testing.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	controls := simControl.FindAllString(string(readme), -1)
	if len(controls) < 4 {
		t.Fatalf("the README names only %v", controls)
	}
	for _, c := range controls {
		if !strings.Contains(string(guide), strings.TrimSuffix(c, "/")) {
			t.Errorf("the guide does not list %s", c)
		}
	}
}
