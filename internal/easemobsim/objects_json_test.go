package easemobsim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestObjectsEmptyListsAreArrays: empty lists are [] in
// GET /_sim/easemob/objects, never null.
func TestObjectsEmptyListsAreArrays(t *testing.T) {
	sim, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_sim/easemob/objects", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, `"superAdmins":[]`) || strings.Contains(body, "null") {
		t.Fatalf("HTTP %d %s, want superAdmins [] and no null", rec.Code, body)
	}
}
